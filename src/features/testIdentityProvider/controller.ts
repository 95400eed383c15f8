// "SAML: Start Test Identity Provider": starts the loopback test IdP (headless/loopbackIdentityProvider.ts)
// with the test users of samlLens.testIdentityProvider.usersFile and a throwaway or chosen signing key,
// answering the SPs whose metadata is in the workspace. A status bar item shows it runs, with Stop.
import * as vscode from 'vscode';
import { offerCapture, saveCapture } from '../testSignIn/captures';
import { HarRecorder } from '../testSignIn/headless/harRecorder';
import { readConfig } from '../../config';
import { CommandId } from '../../ids';
import { log } from '../../log';
import { resolveSettingPath } from '../settingFiles';
import { workspaceXmlContaining } from '../workspaceXml';
import { forwardedBase } from '../testSignIn/forwarding';
import {
  IDP_PATHS,
  LoopbackIdentityProvider,
  type IdpSigningKey,
  type SignInEvent,
} from './headless/loopbackIdentityProvider';
import { serviceProvidersInMetadata, type WorkspaceServiceProvider } from './headless/serviceProviders';
import { chosenSigningKey, throwawaySigningKey } from './headless/signingKey';
import { DEFAULT_TEST_USERS, parseTestUsers, type TestUser } from './headless/testUsers';

const RUNNING_CONTEXT = 'samlLens.testIdentityProviderRunning';
/** Metadata files larger than this are not read for SPs (a federation aggregate is not the SP under development). */
const MAX_METADATA_BYTES = 8 * 1024 * 1024;

/** What a caller (or a test) may pass instead of the defaults. */
export interface StartTestIdentityProviderArguments {
  /** Default true: offer the next steps in a notification. */
  notify?: boolean;
  /**
   * The signing key: a throwaway one, or PEM files of a key and its certificate. Asked when not
   * given; never kept in a setting (no setting names a private key).
   */
  keys?: 'throwaway' | { keyFile: string; certificateFile: string };
}

export interface TestIdentityProviderState {
  running: boolean;
  port?: number;
  entityId?: string;
  metadataUrl?: string;
  ssoUrl?: string;
  myAppsUrl?: string;
  /** The signing certificate published in the metadata (PEM); never the key. */
  certificatePem?: string;
  /** 'throwaway' or the certificate file's path. */
  keySource?: string;
  users?: readonly string[];
  /** The HAR file of the last finished run. */
  lastCapture?: string;
}

async function readText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

export class TestIdentityProvider implements vscode.Disposable {
  private idp: LoopbackIdentityProvider | undefined;
  private recorder = new HarRecorder();
  private lastCapture: vscode.Uri | undefined;
  private keySource = 'throwaway';
  private users: readonly TestUser[] = DEFAULT_TEST_USERS;
  private readonly statusBar = vscode.window.createStatusBarItem(
    'samlLens.testIdentityProvider',
    vscode.StatusBarAlignment.Left,
    49,
  );
  private readonly signedIn = new vscode.EventEmitter<SignInEvent>();
  /** Fires with each response the IdP sends (tests wait on it). */
  readonly onDidSignIn = this.signedIn.event;

  /** `storage`: where each run's HAR capture is written. */
  constructor(private readonly storage: vscode.Uri) {
    this.statusBar.name = 'SAML Lens test identity provider';
    this.statusBar.command = CommandId.StopTestIdentityProvider;
  }

  get state(): TestIdentityProviderState {
    const idp = this.idp;
    return idp
      ? {
          running: true,
          port: idp.port,
          entityId: idp.entityId,
          metadataUrl: idp.url(IDP_PATHS.metadata),
          ssoUrl: idp.url(IDP_PATHS.sso),
          myAppsUrl: idp.url(IDP_PATHS.apps),
          certificatePem: idp.certificatePem,
          keySource: this.keySource,
          users: this.users.map((user) => user.nameId),
        }
      : { running: false, ...(this.lastCapture && { lastCapture: this.lastCapture.toString() }) };
  }

  async start(args: StartTestIdentityProviderArguments = {}): Promise<TestIdentityProviderState | undefined> {
    if (this.idp) {
      if (args.notify ?? true) void this.offerNextSteps(this.idp);
      return this.state;
    }
    const config = readConfig().testIdentityProvider;
    const users = await this.readUsers(config.usersFile);
    if (!users) return undefined;
    const keys = args.keys ?? (await this.askForKeys());
    if (!keys) return undefined;
    const signing =
      keys === 'throwaway'
        ? { key: await throwawaySigningKey(), source: 'throwaway' }
        : await this.readSigningKey(vscode.Uri.file(keys.keyFile), vscode.Uri.file(keys.certificateFile));
    if (!signing) return undefined;
    const externalBase = config.baseUrl || (await forwardedBase(config.port));
    this.recorder = new HarRecorder();
    const idp = new LoopbackIdentityProvider(
      {
        port: config.port,
        recorder: this.recorder,
        externalBase: () => externalBase,
        signingKey: signing.key,
        users,
        serviceProviders: () => this.workspaceServiceProviders(),
      },
      {
        onRequest: (summary, notes) => {
          log().info(`Test IdP: ${summary}`);
          for (const note of notes) log().info(`Test IdP:   ${note}`);
        },
        onSignIn: (event) => {
          log().info(
            `Test IdP: signed ${event.user.nameId} in to ${event.sp.entityId} at ${event.acsUrl}` +
              `${event.requestId ? ` (answering ${event.requestId})` : ' (IdP-initiated)'}` +
              `${event.defect === 'none' ? '' : `, with the defect "${event.defect}"`}`,
          );
          this.signedIn.fire(event);
        },
        onLogout: (summary) => log().info(`Test IdP: ${summary}`),
        onRefused: (reason) => log().warn(`Test IdP refused a request: ${reason}`),
      },
    );
    try {
      await idp.start();
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('SAML Lens: {0}', (error as Error).message));
      return undefined;
    }
    this.idp = idp;
    this.users = users;
    this.keySource = signing.source;
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
    this.statusBar.text = `$(shield) SAML test IdP :${idp.port}`;
    this.statusBar.tooltip = vscode.l10n.t(
      'Test identity provider on 127.0.0.1:{0}, metadata at {1}. Click to stop.',
      idp.port,
      idp.url(IDP_PATHS.metadata),
    );
    this.statusBar.show();
    log().info(
      `Test IdP: listening on 127.0.0.1:${idp.port}; entityID ${idp.entityId}, SSO ${idp.url(IDP_PATHS.sso)}, ` +
        `signing with ${signing.source === 'throwaway' ? 'a throwaway key' : `the key of ${signing.source}`}, ` +
        `${users.length} test user${users.length === 1 ? '' : 's'}`,
    );
    if (args.notify ?? true) void this.offerNextSteps(idp);
    return this.state;
  }

  async stop(): Promise<void> {
    const idp = this.idp;
    this.idp = undefined;
    this.statusBar.hide();
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    if (idp) {
      await idp.stop();
      log().info('Test IdP: stopped');
      const capture = await saveCapture(this.storage, 'test-identity-provider', this.recorder);
      if (capture) {
        this.lastCapture = capture;
        offerCapture(capture, vscode.l10n.t('The test identity provider’s run'));
      }
    }
  }

  dispose(): void {
    void this.stop();
    this.statusBar.dispose();
    this.signedIn.dispose();
  }

  private async readUsers(file: string): Promise<readonly TestUser[] | undefined> {
    if (!file) return DEFAULT_TEST_USERS;
    let text: string;
    try {
      text = await readText(resolveSettingPath(file) ?? vscode.Uri.file(file));
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('SAML Lens: the test users file {0} cannot be read: {1}', file, (error as Error).message),
      );
      return undefined;
    }
    const read = parseTestUsers(text);
    if (!read.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('SAML Lens: {0}: {1}', file, read.message));
      return undefined;
    }
    return read.users;
  }

  /** Which key signs: a throwaway one, or a key and certificate the person picks now. */
  private async askForKeys(): Promise<StartTestIdentityProviderArguments['keys']> {
    const throwaway = vscode.l10n.t('A throwaway key');
    const files = vscode.l10n.t('Key and certificate files…');
    const picked = await vscode.window.showQuickPick(
      [
        { label: throwaway, description: vscode.l10n.t('made now, forgotten when the test IdP stops') },
        { label: files, description: vscode.l10n.t('PEM files of your own, read once and not remembered') },
      ],
      { title: vscode.l10n.t('Test identity provider: which key signs its responses?') },
    );
    if (!picked) return undefined;
    if (picked.label === throwaway) return 'throwaway';
    const open = async (title: string) =>
      (
        await vscode.window.showOpenDialog({
          canSelectMany: false,
          title,
          filters: { PEM: ['pem', 'key', 'crt', 'cer'] },
        })
      )?.[0];
    const keyFile = await open(vscode.l10n.t('The signing key (PEM)'));
    const certificateFile = keyFile && (await open(vscode.l10n.t('Its certificate (PEM)')));
    return keyFile && certificateFile
      ? { keyFile: keyFile.fsPath, certificateFile: certificateFile.fsPath }
      : undefined;
  }

  private async readSigningKey(
    keyFile: vscode.Uri,
    certificateFile: vscode.Uri,
  ): Promise<{ key: IdpSigningKey; source: string } | undefined> {
    let texts: string[];
    try {
      texts = await Promise.all([readText(keyFile), readText(certificateFile)]);
    } catch (error) {
      // The message names the file, never its content.
      void vscode.window.showErrorMessage(
        vscode.l10n.t('SAML Lens: the signing key or certificate cannot be read: {0}', (error as Error).message),
      );
      return undefined;
    }
    const chosen = chosenSigningKey(texts[0], texts[1]);
    if (!chosen.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('SAML Lens: {0}', chosen.message));
      return undefined;
    }
    return { key: chosen.key, source: vscode.workspace.asRelativePath(certificateFile) };
  }

  /** Every SP in the workspace's metadata files, read again for each request. */
  private async workspaceServiceProviders(): Promise<WorkspaceServiceProvider[]> {
    const files = await workspaceXmlContaining('SPSSODescriptor', {
      maxBytes: MAX_METADATA_BYTES,
      purpose: 'Test IdP',
    });
    const found: WorkspaceServiceProvider[] = [];
    for (const { uri, text } of files) {
      const read = serviceProvidersInMetadata(text, vscode.workspace.asRelativePath(uri));
      if (read.ok) found.push(...read.serviceProviders);
      else log().warn(`Test IdP: ${read.message}`);
    }
    return found;
  }

  /** Says what to configure at the SP, with copy buttons. */
  private async offerNextSteps(idp: LoopbackIdentityProvider): Promise<void> {
    const copyMetadata = vscode.l10n.t('Copy Metadata URL');
    const myApps = vscode.l10n.t('Open My Apps');
    const save = vscode.l10n.t('Save IdP Metadata…');
    const stop = vscode.l10n.t('Stop');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'SAML Lens test identity provider is running. Configure the SP with the metadata {0} (SSO URL {1}); it answers the SPs whose metadata is in the workspace.',
        idp.url(IDP_PATHS.metadata),
        idp.url(IDP_PATHS.sso),
      ),
      copyMetadata,
      myApps,
      save,
      stop,
    );
    if (choice === copyMetadata) await vscode.env.clipboard.writeText(idp.url(IDP_PATHS.metadata));
    else if (choice === myApps) await vscode.env.openExternal(vscode.Uri.parse(idp.url(IDP_PATHS.apps)));
    else if (choice === save) await this.saveMetadata(idp);
    else if (choice === stop) await this.stop();
  }

  private async saveMetadata(idp: LoopbackIdentityProvider): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder && vscode.Uri.joinPath(folder, 'test-idp-metadata.xml'),
      filters: { 'SAML metadata': ['xml'] },
      title: vscode.l10n.t('Save the test IdP metadata'),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(idp.metadataXml(), 'utf8'));
    void vscode.window.showInformationMessage(
      vscode.l10n.t('SAML Lens: IdP metadata saved to {0}.', vscode.workspace.asRelativePath(target)),
    );
  }
}
