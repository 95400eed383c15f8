/**
 * "SAML: Decode Message" and "Decode SAML at Cursor": gather the input, decode and validate it in
 * the worker, show the panel. Also offers the cursor action as a CodeLens and in a hover over
 * encoded SAML messages in any file (HAR captures, logs, curl commands).
 */
import * as vscode from 'vscode';
import type { ValidationReport } from '../../core/validate/types';
import { NS } from '../../core/xml/namespaces';
import { CommandId } from '../../ids';
import type { PanelModel } from '../../shared/protocol';
import type * as DecodeBundle from '../bundles/decode';
import { CLIPBOARD_TIME_LIMIT_MS, readClipboard, withTimeLimit } from '../clipboard';
import { once, requireFeature } from '../lazy';
import { candidateAt, findCandidates, type Candidate } from './headless/candidates';
import type { DecodeController, DecodeOptions, DecodeTextResult } from './controller';
import type { DecryptionKeyStore } from './decryptionKeyPicker';
import type { CspViolation, RenderedAck } from './panel';

/** The decode feature's part of the extension API; tests drive the feature through it. */
export interface DecodeApi {
  lastReport(): ValidationReport | undefined;
  /** Pins "now" for every validation (tests), or returns to real time with `undefined`. */
  setClock(now: Date | undefined): void;
  lastModel(): PanelModel | undefined;
  /** The specific message of the last input that could not be decoded. */
  lastError(): string | undefined;
  decodeText(text: string, options?: Omit<DecodeOptions, 'cancel'>): Promise<DecodeTextResult>;
  /** What the page last reported having rendered, and the CSP violations it reported. */
  panelState(): { open: boolean; rendered: RenderedAck | undefined; cspViolations: readonly CspViolation[] };
  onDidRender: vscode.Event<RenderedAck>;
  revalidate(): Promise<DecodeTextResult | undefined>;
  copyRedacted(): Promise<string | undefined>;
  openXml(which: 'pretty' | 'raw'): Promise<vscode.TextDocument | undefined>;
  /** The panel's "Decryption key…" and "Request ID…" actions (their prompts are the user's). */
  chooseDecryptionKey(): Promise<void>;
  enterRequestId(): Promise<void>;
  /** Whether any decryption key is remembered in secret storage (never the key itself). */
  hasRememberedKey(): Promise<boolean>;
}

/** What another feature may pass with a message to the decode command (the test sign-in does). */
type CommandDecodeOptions = Pick<DecodeOptions, 'requestId' | 'requestIdSource' | 'certificate' | 'serviceProvider'>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/**
 * The decode command's second argument: `{ origin, requestId?, idpMetadata?: { uri, entityId },
 * serviceProvider?: { entityId, acsUrls, expectedAttributes, source } }`, where `origin` says who
 * gave them ("the test sign-in"), shown with each. Anything else is ignored.
 */
function commandDecodeOptions(options: unknown): CommandDecodeOptions {
  if (typeof options !== 'object' || options === null) return {};
  const given = options as Record<string, unknown>;
  const result: { -readonly [K in keyof CommandDecodeOptions]: CommandDecodeOptions[K] } = {};
  const how = isString(given.origin) ? `given by ${given.origin}` : undefined;
  if (isString(given.requestId)) {
    result.requestId = given.requestId;
    result.requestIdSource = how;
  }
  const idp = given.idpMetadata as Record<string, unknown> | undefined;
  if (idp && isString(idp.uri) && isString(idp.entityId))
    result.certificate = { kind: 'metadata', uri: vscode.Uri.parse(idp.uri), entityId: idp.entityId, how };
  const sp = given.serviceProvider as Record<string, unknown> | undefined;
  if (sp && isString(sp.entityId) && isStrings(sp.acsUrls) && isStrings(sp.expectedAttributes) && isString(sp.source))
    result.serviceProvider = {
      kind: 'given',
      entityId: sp.entityId,
      acsUrls: sp.acsUrls,
      expectedAttributes: sp.expectedAttributes,
      source: sp.source,
    };
  return result;
}

/** Documents larger than this get no CodeLenses (the cursor command still works). */
const MAX_LENS_DOCUMENT_LENGTH = 5 * 1024 * 1024;
const MAX_LENSES = 50;

type Run = (text: string) => Promise<DecodeTextResult>;
/** The decoder's reason `text` is not a SAML message, or `undefined` when it is one. */
type ProblemWith = (text: string) => Promise<string | undefined>;

/** How long the command waits for the decoder's verdict on the clipboard before showing the input box anyway. */
const CLIPBOARD_CHECK_TIME_LIMIT_MS = 200;

/**
 * Whether the clipboard's text is worth offering in the input box. An encoded message the CodeLens
 * would offer, or SAML XML, is offered at once: asking the decoder first means loading it and
 * starting its worker, too slow on first use; if it does not decode after all, the box says why.
 * Anything else is offered only if the decoder accepts it within a short time limit.
 */
async function offerable(text: string, problemWith: ProblemWith): Promise<boolean> {
  if (findCandidates(text, 1).length > 0 || (/^\s*</.test(text) && text.includes(NS.samlp))) return true;
  try {
    const verdict = await withTimeLimit(
      problemWith(text).then((reason) => ({ reason })),
      CLIPBOARD_CHECK_TIME_LIMIT_MS,
    );
    return verdict !== undefined && verdict.reason === undefined;
  } catch {
    return false; // The decoder could not answer; decoding on Enter reports why.
  }
}

/**
 * How long the clipboard may still answer once the box is open: a late answer (a browser waiting on
 * its permission prompt, a busy machine) fills the box in if it is still empty. Later ones are dropped.
 */
const CLIPBOARD_LATE_ANSWER_LIMIT_MS = 10_000;

/**
 * Asks for the message in an input box, shown within a second whatever the clipboard does. The box
 * waits up to CLIPBOARD_TIME_LIMIT_MS for the clipboard and opens pre-filled with it when it holds a
 * SAML message (so what will be decoded is in view; the clipboard is never decoded unseen), empty
 * otherwise; a later answer fills the box in only while it is untouched. Text that is not a SAML
 * message is refused in the box with the decoder's reason and kept for fixing.
 */
async function askForMessage(problemWith: ProblemWith): Promise<string | undefined> {
  const reading = readClipboard(CLIPBOARD_LATE_ANSWER_LIMIT_MS);
  const inTime = await withTimeLimit(
    reading.then((text) => ({ text })),
    CLIPBOARD_TIME_LIMIT_MS,
  );

  const box = vscode.window.createInputBox();
  box.title = vscode.l10n.t('SAML: Decode Message');
  box.prompt = vscode.l10n.t(
    'Paste a SAMLResponse or SAMLRequest value, a URL or form body containing one, or the XML',
  );
  box.ignoreFocusOut = true;
  let offered = '';
  let closed = false;
  const offer = async (text: string | undefined) => {
    if (!text || text.trim() === '' || !(await offerable(text, problemWith))) return;
    // Only into an untouched box: what the person typed or pasted is never replaced.
    if (closed || box.value !== '') return;
    offered = text;
    box.value = text;
    box.prompt = vscode.l10n.t('The SAML message from the clipboard. Press Enter to decode it, or replace it.');
  };
  /** The box holds one line: the clipboard's own text (line breaks and all) when it is what the box holds. */
  const fullText = (value: string) =>
    offered !== '' && (value === offered || value === offered.replace(/[\r\n]/g, '')) ? offered : value;
  const problem = async (value: string) => {
    try {
      return await problemWith(fullText(value));
    } catch {
      return undefined; // Decoding reports what went wrong.
    }
  };

  if (inTime) await offer(inTime.text);
  else {
    box.busy = true;
    void reading
      .then(offer)
      .catch(() => undefined)
      .finally(() => {
        if (!closed) box.busy = false;
      });
  }

  const disposables: vscode.Disposable[] = [];
  try {
    return await new Promise<string | undefined>((resolve) => {
      disposables.push(
        box.onDidChangeValue(async (value) => {
          box.validationMessage = undefined;
          const reason = value === '' ? undefined : await problem(value);
          if (box.value === value) box.validationMessage = reason;
        }),
        box.onDidAccept(async () => {
          const value = box.value;
          const reason = await problem(value);
          if (box.value !== value) return;
          if (reason !== undefined) box.validationMessage = reason;
          else {
            resolve(fullText(value));
            box.hide();
          }
        }),
        box.onDidHide(() => resolve(undefined)),
      );
      box.show();
    });
  } finally {
    closed = true;
    disposables.forEach((d) => d.dispose());
    box.dispose();
  }
}

/** The selection if there is one, else the message asked for in an input box. */
async function gatherInput(run: Run, problemWith: ProblemWith): Promise<DecodeTextResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  if (selected.trim() !== '') return run(selected);
  const typed = await askForMessage(problemWith);
  return typed === undefined ? undefined : run(typed);
}

function candidateUnderCursor(editor: vscode.TextEditor): Candidate | undefined {
  const line = editor.document.lineAt(editor.selection.active.line);
  return candidateAt(line.text, editor.selection.active.character);
}

interface LoadedDecode {
  readonly bundle: typeof DecodeBundle;
  readonly controller: DecodeController;
  readonly keys: DecryptionKeyStore;
}

/**
 * Registers the decode commands, CodeLens and hover; hands the feature's API to `exposeApi`.
 * The CodeLens and hover only look for encoded messages; the decoder, the panel and the key store
 * (dist/features/decode.js, with node-forge for PKCS#12 keys) load when a message is first decoded.
 */
export function registerDecode(
  context: vscode.ExtensionContext,
  exposeApi: (api: DecodeApi) => void,
): vscode.Disposable {
  let loaded: LoadedDecode | undefined;
  const disposeWithFeature: vscode.Disposable[] = [];
  const decode = once((): LoadedDecode => {
    const bundle = requireFeature<typeof DecodeBundle>(context.extensionUri, 'decode');
    const engine = new bundle.DecodeEngine(context.extensionPath);
    const keys = new bundle.DecryptionKeyStore(context.secrets);
    loaded = { bundle, controller: new bundle.DecodeController(context.extensionUri, engine, keys), keys };
    disposeWithFeature.push(loaded.controller, { dispose: () => engine.dispose() });
    return loaded;
  });
  const reportFailure = (what: string, error: unknown) => decode().bundle.reportFailure(what, error);

  /** Decodes with a progress notification; bad input ends in the decoder's specific message. */
  const decodeWithProgress = async (text: string, options: CommandDecodeOptions = {}): Promise<DecodeTextResult> =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Decoding SAML message…', cancellable: true },
      async (_progress, token) => {
        const result = await decode().controller.decodeText(text, { ...options, cancel: token });
        if (!result.ok) void vscode.window.showErrorMessage(`SAML Lens: ${result.message}`);
        return result;
      },
    );

  const lensProvider: vscode.CodeLensProvider = {
    provideCodeLenses(document) {
      const text = document.getText();
      if (text.length > MAX_LENS_DOCUMENT_LENGTH) return [];
      return findCandidates(text, MAX_LENSES).map((candidate) => {
        const range = new vscode.Range(document.positionAt(candidate.start), document.positionAt(candidate.end));
        return new vscode.CodeLens(range, {
          title: 'Decode SAML message',
          command: CommandId.DecodeAtCursor,
          arguments: [document.uri, candidate.start, candidate.end],
        });
      });
    },
  };

  const hoverProvider: vscode.HoverProvider = {
    provideHover(document, position) {
      const line = document.lineAt(position.line);
      const hit = findCandidates(line.text).find((c) => position.character >= c.start && position.character <= c.end);
      if (!hit) return undefined;
      const start = document.offsetAt(line.range.start);
      const args = encodeURIComponent(JSON.stringify([document.uri.toString(), start + hit.start, start + hit.end]));
      const markdown = new vscode.MarkdownString(`[Decode SAML message](command:${CommandId.DecodeAtCursor}?${args})`);
      // Only this one command may run from the hover link.
      markdown.isTrusted = { enabledCommands: [CommandId.DecodeAtCursor] };
      return new vscode.Hover(markdown, new vscode.Range(position.line, hit.start, position.line, hit.end));
    },
  };

  const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
  const disposable = vscode.Disposable.from(
    { dispose: () => disposeWithFeature.forEach((d) => d.dispose()) },
    vscode.commands.registerCommand(CommandId.DecodeMessage, async (text?: unknown, options?: unknown) => {
      try {
        if (typeof text === 'string') return await decodeWithProgress(text, commandDecodeOptions(options));
        return await gatherInput(decodeWithProgress, (input) => decode().controller.problemWith(input));
      } catch (error) {
        reportFailure('Decoding the SAML message failed', error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(CommandId.DecodeAtCursor, async (uri?: unknown, start?: unknown, end?: unknown) => {
      try {
        // From a CodeLens or hover: a document and an offset range (the hover passes the URI as a string).
        if (
          (uri instanceof vscode.Uri || typeof uri === 'string') &&
          typeof start === 'number' &&
          typeof end === 'number'
        ) {
          const document = await vscode.workspace.openTextDocument(
            typeof uri === 'string' ? vscode.Uri.parse(uri) : uri,
          );
          return await decodeWithProgress(
            document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end))),
          );
        }
        const editor = vscode.window.activeTextEditor;
        if (!editor) {
          void vscode.window.showErrorMessage(
            'SAML Lens: open a file and put the cursor on an encoded SAML message first.',
          );
          return undefined;
        }
        const candidate = editor.selection.isEmpty
          ? candidateUnderCursor(editor)
          : { text: editor.document.getText(editor.selection) };
        if (!candidate) {
          void vscode.window.showErrorMessage(
            'SAML Lens: no encoded SAML message under the cursor. Put the cursor on a SAMLResponse=/SAMLRequest= value or a base64 SAML message.',
          );
          return undefined;
        }
        return await decodeWithProgress(candidate.text);
      } catch (error) {
        reportFailure('Decoding the SAML message failed', error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(CommandId.ForgetDecryptionKeys, async () => {
      try {
        const count = await decode().controller.forgetDecryptionKeys();
        void vscode.window.showInformationMessage(
          count === 0
            ? 'SAML Lens: no decryption key was remembered.'
            : `SAML Lens: forgot ${count === 1 ? 'the remembered decryption key' : `${count} remembered decryption keys`}.`,
        );
        return count;
      } catch (error) {
        reportFailure('Forgetting the decryption keys failed', error);
        return undefined;
      }
    }),
    vscode.languages.registerCodeLensProvider(selector, lensProvider),
    vscode.languages.registerHoverProvider(selector, hoverProvider),
  );

  const controller = () => decode().controller;
  exposeApi({
    // Reading the last result loads nothing: before the first decode there is none.
    lastReport: () => loaded?.controller.lastReport,
    setClock: (now) => (controller().clock = now),
    lastModel: () => loaded?.controller.lastModel,
    lastError: () => loaded?.controller.lastErrorMessage,
    decodeText: (text, options) => controller().decodeText(text, options),
    panelState: () =>
      loaded
        ? {
            open: loaded.controller.panel.isOpen,
            rendered: loaded.controller.panel.lastRendered,
            cspViolations: loaded.controller.panel.cspViolations,
          }
        : { open: false, rendered: undefined, cspViolations: [] },
    onDidRender: (listener, thisArgs, disposables) => controller().panel.onDidRender(listener, thisArgs, disposables),
    revalidate: () => controller().revalidate(),
    copyRedacted: () => controller().copyRedacted(),
    openXml: (which) => controller().openXml(which),
    chooseDecryptionKey: () => controller().chooseDecryptionKey(),
    enterRequestId: () => controller().enterRequestId(),
    hasRememberedKey: () => decode().keys.hasAny(),
  });
  return disposable;
}
