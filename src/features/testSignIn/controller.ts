// "SAML: Test Sign-in with an Identity Provider": picks IdP metadata, starts the loopback test SP
// (headless/loopbackServiceProvider.ts), says what to register at the IdP, opens the system browser
// at the SP's login URL, and shows the Response that arrives in the decode panel, validated against
// that IdP and the SP's expectations. A status bar item shows it is listening, with Stop.
import * as vscode from 'vscode';
import { readConfig } from '../../config';
import { CommandId } from '../../ids';
import { log } from '../../log';
import { workspaceXmlContaining } from '../workspaceXml';
import { forwardedBase } from './forwarding';
import { offerCapture, saveCapture } from './captures';
import { HarRecorder } from './headless/harRecorder';
import { identityProvidersForSignIn } from './headless/identityProviders';
import {
  LoopbackServiceProvider,
  PATHS,
  type IdentityProviderEndpoint,
  type ReceivedResponse,
} from './headless/loopbackServiceProvider';

const LISTENING_CONTEXT = 'samlLens.testSignInListening';
/** Metadata files larger than this are not offered (federation aggregates are not an IdP to test). */
const MAX_METADATA_BYTES = 8 * 1024 * 1024;

/** What a caller (or a test) may pass instead of choosing in the UI. */
export interface TestSignInArguments {
  /** The IdP metadata file. */
  idpMetadata?: string;
  /** Which IdP of that file, when it holds several. */
  entityId?: string;
  /** Open the system browser at the login URL; default samlLens.testSignIn.openBrowser. */
  openBrowser?: boolean;
}

interface Session {
  sp: LoopbackServiceProvider;
  recorder: HarRecorder;
  metadataUri: vscode.Uri;
  idp: IdentityProviderEndpoint;
}

export interface TestSignInState {
  listening: boolean;
  loginUrl?: string;
  entityId?: string;
  acsUrl?: string;
  port?: number;
  /** The HAR file of the last finished run. */
  lastCapture?: string;
}

/** Entra ID's IdP entityIDs: its portal names the fields differently from other IdPs. */
function isEntraId(entityId: string): boolean {
  return /^https:\/\/sts\.windows\.net\/|^https:\/\/login\.microsoftonline\.com\//i.test(entityId);
}

export class TestSignIn implements vscode.Disposable {
  private session: Session | undefined;
  private readonly statusBar = vscode.window.createStatusBarItem(
    'samlLens.testSignIn',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly received = new vscode.EventEmitter<ReceivedResponse>();
  /** Fires with each Response the test SP receives (tests wait on it). */
  readonly onDidReceive = this.received.event;
  private lastCapture: vscode.Uri | undefined;

  /** `storage`: where each run's HAR capture is written. */
  constructor(private readonly storage: vscode.Uri) {
    this.statusBar.name = 'SAML Lens test sign-in';
    this.statusBar.command = CommandId.StopTestSignIn;
  }

  get state(): TestSignInState {
    const sp = this.session?.sp;
    return sp
      ? {
          listening: true,
          loginUrl: sp.url(PATHS.login),
          entityId: sp.entityId,
          acsUrl: sp.url(PATHS.acs),
          port: sp.port,
        }
      : { listening: false };
  }

  async start(args: TestSignInArguments = {}): Promise<TestSignInState | undefined> {
    if (this.session) {
      void this.offerNextSteps(this.session, args.openBrowser ?? readConfig().testSignIn.openBrowser);
      return this.state;
    }
    const metadataUri = args.idpMetadata ? vscode.Uri.parse(args.idpMetadata) : await this.pickMetadataFile();
    if (!metadataUri) return undefined;
    const idp = await this.pickIdentityProvider(metadataUri, args.entityId);
    if (!idp) return undefined;

    const config = readConfig().testSignIn;
    const externalBase = config.baseUrl || (await forwardedBase(config.port));
    const recorder = new HarRecorder();
    const sp = new LoopbackServiceProvider(
      {
        idp,
        recorder,
        port: config.port,
        entityId: config.entityId || undefined,
        externalBase: () => externalBase,
        expectedAttributes: config.expectedAttributes,
      },
      {
        onResponse: (received) => void this.onResponse(received),
        onRequestSent: (id) => log().info(`Test sign-in: AuthnRequest ${id} sent to ${idp.ssoUrl}`),
        onRefused: (reason) => log().warn(`Test sign-in refused a request: ${reason}`),
      },
    );
    try {
      await sp.start();
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('SAML Lens: {0}', (error as Error).message));
      return undefined;
    }
    const session: Session = { sp, recorder, metadataUri, idp };
    this.session = session;
    void vscode.commands.executeCommand('setContext', LISTENING_CONTEXT, true);
    this.statusBar.text = `$(broadcast) SAML test SP :${sp.port}`;
    this.statusBar.tooltip = vscode.l10n.t(
      'Listening on 127.0.0.1:{0} for a sign-in with {1}. Click to stop.',
      sp.port,
      idp.entityId,
    );
    this.statusBar.show();
    log().info(
      `Test sign-in: listening on 127.0.0.1:${sp.port}; entityID ${sp.entityId}, reply URL ${sp.url(PATHS.acs)}, IdP ${idp.entityId} (${vscode.workspace.asRelativePath(metadataUri)})`,
    );
    // The notification waits for a click; the command returns as soon as the SP listens.
    void this.offerNextSteps(session, args.openBrowser ?? config.openBrowser);
    return this.state;
  }

  async stop(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.statusBar.hide();
    void vscode.commands.executeCommand('setContext', LISTENING_CONTEXT, false);
    if (session) {
      await session.sp.stop();
      log().info('Test sign-in: stopped');
      const capture = await saveCapture(this.storage, 'test-sign-in', session.recorder);
      if (capture) {
        this.lastCapture = capture;
        offerCapture(capture, vscode.l10n.t('The test sign-in'));
      }
    }
  }

  dispose(): void {
    void this.stop();
    this.statusBar.dispose();
    this.received.dispose();
  }

  /** Says what to register at the IdP, with copy buttons, and opens the browser at the login URL. */
  private async offerNextSteps(session: Session, openBrowser: boolean): Promise<void> {
    const { sp, idp } = session;
    const [identifier, replyUrl] = isEntraId(idp.entityId)
      ? ['Identifier (Entity ID)', 'Reply URL (Assertion Consumer Service URL)']
      : ['SP entityID', 'ACS URL'];
    if (openBrowser) await vscode.env.openExternal(vscode.Uri.parse(sp.url(PATHS.login)));
    const copyId = vscode.l10n.t('Copy {0}', identifier);
    const copyAcs = vscode.l10n.t('Copy {0}', replyUrl);
    const metadata = vscode.l10n.t('Save SP Metadata…');
    const copyLogin = vscode.l10n.t('Copy Sign-in URL');
    const stop = vscode.l10n.t('Stop');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'SAML Lens test SP is listening. At {0}, register {1}: {2} and {3}: {4}.',
        idp.entityId,
        identifier,
        sp.entityId,
        replyUrl,
        sp.url(PATHS.acs),
      ) +
        ' ' +
        (openBrowser
          ? vscode.l10n.t('The browser opens the sign-in; the response will show in the decode panel.')
          : vscode.l10n.t('Sign in at {0}; the response will show in the decode panel.', sp.url(PATHS.login))),
      copyId,
      copyAcs,
      ...(openBrowser ? [] : [copyLogin]),
      metadata,
      stop,
    );
    if (choice === copyId) await vscode.env.clipboard.writeText(sp.entityId);
    else if (choice === copyAcs) await vscode.env.clipboard.writeText(sp.url(PATHS.acs));
    else if (choice === copyLogin) await vscode.env.clipboard.writeText(sp.url(PATHS.login));
    else if (choice === metadata) await this.saveMetadata(sp);
    else if (choice === stop) await this.stop();
  }

  private async saveMetadata(sp: LoopbackServiceProvider): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder && vscode.Uri.joinPath(folder, 'test-sign-in-sp-metadata.xml'),
      filters: { 'SAML metadata': ['xml'] },
      title: vscode.l10n.t('Save the test SP metadata'),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(sp.metadataXml(), 'utf8'));
    void vscode.window.showInformationMessage(
      vscode.l10n.t('SAML Lens: SP metadata saved to {0}.', vscode.workspace.asRelativePath(target)),
    );
  }

  private async onResponse(received: ReceivedResponse): Promise<void> {
    const session = this.session;
    if (!session) return;
    log().info(
      `Test sign-in: ${received.requestId ? `response to ${received.requestId}` : 'IdP-initiated response'} received`,
    );
    const config = readConfig().testSignIn;
    // The sign-in is complete: stop listening, then show the response (the decode command opens the panel).
    await this.stop();
    this.received.fire(received);
    await vscode.commands.executeCommand(CommandId.DecodeMessage, received.samlResponse, {
      origin: 'the test sign-in',
      requestId: received.requestId,
      idpMetadata: { uri: session.metadataUri.toString(), entityId: session.idp.entityId },
      serviceProvider: {
        entityId: session.sp.entityId,
        acsUrls: [session.sp.url(PATHS.acs)],
        expectedAttributes: config.expectedAttributes,
        source: "the test sign-in's SP",
      },
    });
  }

  private async pickMetadataFile(): Promise<vscode.Uri | undefined> {
    const files = await workspaceXmlContaining('IDPSSODescriptor', {
      maxBytes: MAX_METADATA_BYTES,
      purpose: 'Test sign-in',
    });
    const offered: Array<vscode.QuickPickItem & { uri?: vscode.Uri }> = [];
    for (const { uri, text } of files) {
      const found = identityProvidersForSignIn(text);
      if (found.ok)
        offered.push({
          label: vscode.workspace.asRelativePath(uri),
          description: found.identityProviders.map((i) => i.entityId).join(', '),
          uri,
        });
    }
    offered.push({
      label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`,
      description: vscode.l10n.t('an IdP metadata file elsewhere'),
    });
    const picked = await vscode.window.showQuickPick(offered, {
      title: vscode.l10n.t('Test sign-in: the identity provider’s metadata'),
      placeHolder:
        offered.length > 1
          ? vscode.l10n.t('IdP metadata in the workspace')
          : vscode.l10n.t('No IdP metadata in the workspace: browse for a file'),
    });
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
    const chosen = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { 'SAML metadata': ['xml'] },
      title: vscode.l10n.t('IdP metadata for the test sign-in'),
    });
    return chosen?.[0];
  }

  private async pickIdentityProvider(
    uri: vscode.Uri,
    entityId: string | undefined,
  ): Promise<IdentityProviderEndpoint | undefined> {
    let text: string;
    try {
      text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('SAML Lens: {0} cannot be read: {1}', uri.fsPath, (error as Error).message),
      );
      return undefined;
    }
    const found = identityProvidersForSignIn(text);
    if (!found.ok) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('SAML Lens: {0}: {1}', vscode.workspace.asRelativePath(uri), found.message),
      );
      return undefined;
    }
    if (entityId !== undefined) {
      const named = found.identityProviders.find((i) => i.entityId === entityId);
      if (!named)
        void vscode.window.showErrorMessage(
          vscode.l10n.t('SAML Lens: {0} has no identity provider {1}.', vscode.workspace.asRelativePath(uri), entityId),
        );
      return named;
    }
    if (found.identityProviders.length === 1) return found.identityProviders[0];
    const picked = await vscode.window.showQuickPick(
      found.identityProviders.map((idp) => ({ label: idp.entityId, description: idp.ssoUrl, idp })),
      { title: vscode.l10n.t('Test sign-in: which identity provider?') },
    );
    return picked?.idp;
  }
}
