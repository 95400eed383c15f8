/**
 * One decode session at a time: the decoded message, the trust and expectation choices, the last
 * report, and the panel showing it. Re-validates when a file it relied on or a setting changes.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { DecodeSuccess } from '../../core/messages/decode';
import type { ValidationReport } from '../../core/validate/types';
import { log } from '../../log';
import type { PanelModel } from '../../shared/protocol';
import { askRequestId, askToRemember, pickDecryptionKey, type DecryptionKeyStore } from './decryptionKeyPicker';
import { isAbortError } from '../../core/workerChannel';
import { abortSignalFor } from '../cancellation';
import type { DecodeEngine } from './headless/engine';
import type { DecodeOutcome } from './headless/workerProtocol';
import type { MessageAddressing } from '../../core/messages/text';
import { DecodePanel } from './panel';
import { readDecodeSettings } from './settings';
import { readConfig } from '../../config';
import {
  describeUri,
  resolveExpectations,
  resolveTrust,
  selectionNotes,
  settingForMessage,
  WorkspaceMetadataIndex,
  type CertificateChoice,
  type ServiceProviderChoice,
} from './trust';
import { selectForPanel, type ValidationInputs } from './headless/validation';

export interface DecodeOptions {
  /** Pins the validation clock (tests); otherwise each validation uses the current time. */
  readonly now?: Date;
  readonly certificate?: CertificateChoice;
  readonly serviceProvider?: ServiceProviderChoice;
  /** The ID of the request the service provider sent (compared with InResponseTo). */
  readonly requestId?: string;
  /** Where the request ID came from, when not from the panel ("the test sign-in", "the capture"). */
  readonly requestIdSource?: string;
  /** Open the panel (default true). */
  readonly show?: boolean;
  readonly cancel?: vscode.CancellationToken;
}

export type DecodeTextResult =
  | { readonly ok: true; readonly report: ValidationReport; readonly model: PanelModel }
  | { readonly ok: false; readonly message: string };

interface Session {
  readonly decoded: DecodeSuccess;
  readonly addressing: MessageAddressing;
  readonly now?: Date;
  certificate: CertificateChoice;
  serviceProvider: ServiceProviderChoice;
  requestId?: string;
  requestIdSource?: string;
  /** A key picked in the panel for this message; otherwise a remembered one is looked up per validation. */
  pickedKey?: { readonly pem: string; readonly fileName: string };
  /** The service provider the last validation checked against, which keys a remembered decryption key. */
  spEntityId?: string;
  report?: ValidationReport;
  model?: PanelModel;
  watched: readonly vscode.Uri[];
}

const REVALIDATE_DELAY_MS = 300;

/** A remembered decryption key is only fetched for messages that need one. */
const ENCRYPTED_PART = /<(?:[\w.-]+:)?Encrypted(?:Assertion|ID)[\s>]/;

export class DecodeController implements vscode.Disposable {
  readonly panel: DecodePanel;
  private readonly index: WorkspaceMetadataIndex;
  private session: Session | undefined;
  private lastError: string | undefined;
  /** The last text problemWith() decoded, and its outcome. */
  private checked: { readonly text: string; readonly outcome: Promise<DecodeOutcome> } | undefined;
  /** Pinned validation clock for tests; undefined means the current time. */
  clock: Date | undefined;
  private fileWatchers: vscode.Disposable[] = [];
  private revalidateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly engine: DecodeEngine,
    private readonly keys: DecryptionKeyStore,
  ) {
    this.index = new WorkspaceMetadataIndex(engine, log());
    // Panel actions report their failures to the user; a failed re-validation also replaces the
    // now stale report in the panel.
    const validating = (action: () => Promise<unknown>) => () =>
      action().catch((error) => this.validationFailed(error));
    this.panel = new DecodePanel(extensionUri, {
      revalidate: validating(() => this.revalidate()),
      chooseCertificate: validating(() => this.chooseCertificate()),
      chooseServiceProvider: validating(() => this.chooseServiceProvider()),
      chooseDecryptionKey: validating(() => this.chooseDecryptionKey()),
      enterRequestId: validating(() => this.enterRequestId()),
      openXml: ({ which }) => this.openXml(which).catch((error) => reportFailure('Opening the XML failed', error)),
      copyRedacted: () => this.copyRedacted().catch((error) => reportFailure('Copying the redacted XML failed', error)),
    });
    this.subscriptions.push(
      this.index.onDidChange((uri) => this.onFileChanged(uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (
          event.affectsConfiguration('samlLens.validation') ||
          event.affectsConfiguration('samlLens.serviceProviders') ||
          event.affectsConfiguration('samlLens.trustedCertificates') ||
          event.affectsConfiguration('samlLens.spLibrary')
        ) {
          this.scheduleRevalidate();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleRevalidate()),
    );
  }

  dispose(): void {
    clearTimeout(this.revalidateTimer);
    this.fileWatchers.forEach((w) => w.dispose());
    this.subscriptions.forEach((s) => s.dispose());
    this.index.dispose();
    this.panel.dispose();
  }

  get lastReport(): ValidationReport | undefined {
    return this.session?.report;
  }

  get lastModel(): PanelModel | undefined {
    return this.session?.model;
  }

  get lastErrorMessage(): string | undefined {
    return this.lastError;
  }

  /**
   * Whether `text` decodes as a SAML message: `undefined` when it does, else the decoder's specific
   * reason. Changes nothing shown; the last answer is kept, so decoding the same text next does
   * not decode it twice (the input box checks what it holds, then Enter decodes it).
   */
  async problemWith(text: string): Promise<string | undefined> {
    if (this.checked?.text !== text) {
      const outcome = this.engine.decode(text);
      this.checked = { text, outcome };
      // A failed decode (the worker stopped) is not kept: the next call tries again.
      void outcome.catch(() => {
        if (this.checked?.outcome === outcome) this.checked = undefined;
      });
    }
    const { decoded } = await this.checked.outcome;
    return decoded.ok ? undefined : decoded.message;
  }

  /** Decodes and validates `text`; bad input gives `{ ok: false, message }` with the specific reason. */
  async decodeText(text: string, options: DecodeOptions = {}): Promise<DecodeTextResult> {
    const checked = this.checked?.text === text ? this.checked.outcome : undefined;
    this.checked = undefined;
    const outcome = await (checked ?? this.engine.decode(text, abortSignalFor(options.cancel)));
    if (!outcome.decoded.ok) {
      this.lastError = outcome.decoded.message;
      return { ok: false, message: outcome.decoded.message };
    }
    this.lastError = undefined;
    this.session = {
      decoded: outcome.decoded,
      addressing: outcome.addressing ?? { audiences: [], recipients: [] },
      now: options.now ?? this.clock,
      certificate: options.certificate ?? { kind: 'automatic' },
      serviceProvider: options.serviceProvider ?? { kind: 'automatic' },
      requestId: options.requestId,
      requestIdSource: options.requestIdSource,
      watched: [],
    };
    return this.validate(this.session, options.show ?? true, options.cancel);
  }

  async revalidate(): Promise<DecodeTextResult | undefined> {
    return this.session && this.validate(this.session, this.panel.isOpen);
  }

  private async validate(
    session: Session,
    show: boolean,
    cancel?: vscode.CancellationToken,
  ): Promise<DecodeTextResult> {
    const settings = readDecodeSettings();
    const setting = settingForMessage(settings, session.addressing, session.serviceProvider);
    const [trust, expectations] = await Promise.all([
      resolveTrust(session.certificate, this.index, settings, setting),
      resolveExpectations(session.serviceProvider, this.index, settings),
    ]);
    const now = session.now ?? this.clock ?? new Date();
    const selection = selectForPanel(
      session.decoded.messageType,
      session.addressing,
      {
        trustDocuments: trust.documents,
        expectationDocuments: expectations.documents,
        anchors: trust.anchors,
        serviceProviders: expectations.serviceProviders,
        noServiceProvider: expectations.noServiceProvider,
      },
      now,
    );
    const described = selectionNotes(selection);
    const spEntityId = selection.sp?.entityId ?? session.addressing.audiences[0];
    session.spEntityId = spEntityId;
    const decryption = await this.decryptionKeyFor(session, spEntityId);
    const requestNotes = session.requestId
      ? [
          {
            what: 'Request ID (InResponseTo)',
            source: `${session.requestId} (${session.requestIdSource ?? 'entered in the panel'})`,
          },
        ]
      : [];
    const trustNotes = [...described.trust, ...trust.notes];
    const inputs: ValidationInputs = {
      now: now.toISOString(),
      clockSkewSeconds: settings.clockSkewSeconds,
      selection,
      trustNotes: decryption ? [...trustNotes, { what: 'Decryption key', source: decryption.source }] : trustNotes,
      expectationNotes: [...described.expectations, ...expectations.notes, ...requestNotes],
      decryptionKeyPem: decryption?.pem,
      requestId: session.requestId,
      spLibrary: readConfig().spLibrary,
    };
    // The metadata files a choice came from, so that their change re-validates.
    const usedLabels = new Set(selection.choices.map((c) => c.source));
    const usedFiles = [...trust.documents, ...expectations.documents]
      .filter((d) => d.uri && usedLabels.has(d.label))
      .map((d) => d.uri!);
    const { report, model } = await this.engine.validate(session.decoded, inputs, abortSignalFor(cancel));
    // A newer decode may have replaced the session meanwhile; only the current one is shown.
    if (session !== this.session) return { ok: true, report, model };
    session.report = report;
    session.model = model;
    this.watch([...trust.watched, ...expectations.watched, ...usedFiles]);
    if (show) this.panel.show({ type: 'show', model }, `SAML ${session.decoded.messageType}: ${verdictTitle(model)}`);
    log().info(
      `Decoded a ${session.decoded.messageType} from ${model.issuer ?? 'an unknown issuer'}: ${model.verdict}`,
    );
    return { ok: true, report, model };
  }

  /** The key picked for this message, else a remembered one when the message has encrypted parts. */
  private async decryptionKeyFor(
    session: Session,
    spEntityId: string | undefined,
  ): Promise<{ pem: string; source: string } | undefined> {
    if (session.pickedKey)
      return { pem: session.pickedKey.pem, source: `${session.pickedKey.fileName} (chosen in the panel)` };
    if (!ENCRYPTED_PART.test(session.decoded.xml)) return undefined;
    const remembered = await this.keys.get(spEntityId);
    return remembered ? { pem: remembered, source: 'decryption key from secret storage' } : undefined;
  }

  private watch(uris: readonly vscode.Uri[]): void {
    if (!this.session) return;
    this.session.watched = uris;
    this.fileWatchers.forEach((w) => w.dispose());
    // XML files are covered by the index's workspace watcher; others (PEM files, files outside the
    // workspace) get a watcher of their own.
    this.fileWatchers = uris
      .filter((uri) => !uri.path.toLowerCase().endsWith('.xml') || !vscode.workspace.getWorkspaceFolder(uri))
      .map((uri) => {
        const watcher = vscode.workspace.createFileSystemWatcher(
          new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), path.posix.basename(uri.path)),
        );
        const changed = () => this.onFileChanged(uri);
        watcher.onDidChange(changed);
        watcher.onDidCreate(changed);
        watcher.onDidDelete(changed);
        return watcher;
      });
  }

  private onFileChanged(uri: vscode.Uri): void {
    const session = this.session;
    if (!session) return;
    const relied = session.watched.some((w) => w.toString() === uri.toString());
    // A new or changed XML file may be metadata that now matches the Issuer or Audience.
    const couldMatch = session.certificate.kind === 'automatic' || session.serviceProvider.kind === 'automatic';
    if (relied || (couldMatch && uri.path.toLowerCase().endsWith('.xml'))) {
      if (relied) log().info(`Decode: ${describeUri(uri)} changed; validating again`);
      this.scheduleRevalidate();
    }
  }

  private scheduleRevalidate(): void {
    if (!this.session) return;
    clearTimeout(this.revalidateTimer);
    this.revalidateTimer = setTimeout(() => {
      this.revalidate().catch((error) => this.validationFailed(error));
    }, REVALIDATE_DELAY_MS);
  }

  /** Tells the user, and replaces the panel's report, which no longer reflects the inputs. */
  private validationFailed(error: unknown): void {
    reportFailure('Validating again failed', error);
    if (isAbortError(error) || !this.panel.isOpen) return;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    this.panel.show(
      { type: 'failed', message: `Validating again failed: ${reason}` },
      'SAML message: validation failed',
    );
  }

  async chooseCertificate(): Promise<void> {
    const session = this.session;
    if (!session) return;
    type Item = vscode.QuickPickItem & { choice?: CertificateChoice; browse?: true };
    const items: Item[] = [
      {
        label: 'Automatic',
        description: 'IdP metadata in the workspace matching the Issuer, and samlLens.trustedCertificates',
        choice: { kind: 'automatic' },
      },
      { label: 'Certificate or public-key file…', description: 'PEM, CER, CRT or DER', browse: true },
    ];
    for (const file of await this.index.files()) {
      for (const idp of file.identityProviders) {
        items.push({
          label: idp.entityId,
          description: describeUri(file.uri),
          detail: `${idp.signingCertificates.length} signing certificate(s)${idp.entityId === session.addressing.issuer ? ' · matches the Issuer' : ''}`,
          choice: { kind: 'metadata', uri: file.uri, entityId: idp.entityId },
        });
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Trust which certificate?',
      matchOnDescription: true,
    });
    if (!picked) return;
    let choice = picked.choice;
    if (picked.browse) {
      const files = await vscode.window.showOpenDialog({
        title: 'Trusted IdP signing certificate or public key',
        canSelectMany: false,
        filters: { 'Certificates and public keys': ['pem', 'cer', 'crt', 'der', 'pub'] },
      });
      if (!files?.[0]) return;
      choice = { kind: 'file', uri: files[0] };
    }
    if (!choice) return;
    session.certificate = choice;
    await this.revalidate();
  }

  async chooseServiceProvider(): Promise<void> {
    const session = this.session;
    if (!session) return;
    type Item = vscode.QuickPickItem & { choice: ServiceProviderChoice };
    const items: Item[] = [
      {
        label: 'Automatic',
        description: 'matched by Audience, Destination or Recipient',
        choice: { kind: 'automatic' },
      },
      { label: 'None', description: 'do not check audience, recipient and attributes', choice: { kind: 'none' } },
    ];
    for (const setting of readDecodeSettings().serviceProviders) {
      items.push({
        label: setting.entityId,
        description: 'samlLens.serviceProviders',
        choice: { kind: 'setting', entityId: setting.entityId },
      });
    }
    for (const file of await this.index.files()) {
      for (const sp of file.serviceProviders) {
        items.push({
          label: sp.entityId,
          description: describeUri(file.uri),
          detail: `${sp.acsUrls.length} ACS URL(s), ${sp.expectedAttributes.length} requested attribute(s)`,
          choice: { kind: 'metadata', uri: file.uri, entityId: sp.entityId },
        });
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Check the message against which service provider?',
      matchOnDescription: true,
    });
    if (!picked) return;
    session.serviceProvider = picked.choice;
    await this.revalidate();
  }

  async chooseDecryptionKey(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const picked = await pickDecryptionKey();
    if (!picked) return;
    session.pickedKey = picked;
    if (await askToRemember(session.spEntityId)) {
      await this.keys.remember(session.spEntityId, picked.pem);
      log().info(
        `Decode: remembered a decryption key for ${session.spEntityId ?? 'any service provider'} in secret storage`,
      );
    }
    await this.revalidate();
  }

  async enterRequestId(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const entered = await askRequestId(session.requestId);
    if (entered === undefined) return;
    session.requestId = entered.trim() === '' ? undefined : entered.trim();
    session.requestIdSource = undefined;
    await this.revalidate();
  }

  /** Clears every remembered key; the current message is validated again without it. */
  async forgetDecryptionKeys(): Promise<number> {
    const count = await this.keys.forget();
    if (this.session) this.session.pickedKey = undefined;
    await this.revalidate();
    return count;
  }

  async openXml(which: 'pretty' | 'raw'): Promise<vscode.TextDocument | undefined> {
    const session = this.session;
    if (!session) return undefined;
    const content = which === 'raw' ? session.decoded.xml : (session.model?.xml.pretty ?? session.decoded.xml);
    const document = await vscode.workspace.openTextDocument({ language: 'xml', content });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
    return document;
  }

  async copyRedacted(): Promise<string | undefined> {
    const session = this.session;
    if (!session) return undefined;
    const redacted = await this.engine.redact(session.decoded.xml);
    if (!redacted.ok) {
      void vscode.window.showErrorMessage(redacted.message);
      return undefined;
    }
    await vscode.env.clipboard.writeText(redacted.text);
    void vscode.window.showInformationMessage('Copied the message with NameID and e-mail addresses redacted.');
    return redacted.text;
  }
}

function verdictTitle(model: PanelModel): string {
  return model.verdict === 'valid' ? 'valid' : model.verdict === 'invalid' ? 'invalid' : 'not verifiable';
}

/** Unexpected failures: a message for the user, details in the log. Cancellation is not a failure. */
export function reportFailure(what: string, error: unknown): void {
  if (isAbortError(error)) return;
  const message = error instanceof Error ? error.message : String(error);
  log().error(`${what}: ${error instanceof Error && error.stack ? error.stack : message}`);
  void vscode.window.showErrorMessage(`${what}: ${message.split('\n')[0]}`);
}
