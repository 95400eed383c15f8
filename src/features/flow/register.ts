/**
 * "SAML: Open Capture as Flow" (palette, Explorer context menu on .har and .json files, a CodeLens
 * at the top of a .har file) and "SAML: Save Redacted Capture". The capture is read, decoded and
 * validated in a worker (dist/flowWorker.js) with progress and cancellation; the SAML Flow view
 * shows one row per message, its verdict and its findings, and a row opens its message in the
 * decode panel with the request ID from the capture.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlowSummary } from '../../core/flow/flow';
import { isAbortError, WorkerClient } from '../../core/workerChannel';
import { CommandId, CONFIG_SECTION, SettingKey, ViewId } from '../../ids';
import { log } from '../../log';
import { abortSignalFor } from '../cancellation';
import type { DecodeApi } from '../decode/register';
import type { FlowOutcome, FlowWorkerBody, RedactOutcome } from './headless/protocol';
import { FlowTreeProvider, type FlowRow } from './view';

/** Above this size an open editor's text is not sent to the worker: the worker reads the file. */
export const MAX_SENT_TEXT = 50 * 1024 * 1024;
const MAX_METADATA_FILES = 500;

/** The flow feature's part of the extension API; tests drive it through it. */
export interface FlowApi {
  open(uri: vscode.Uri): Promise<FlowSummary | undefined>;
  lastFlow(): FlowSummary | undefined;
  /** The view's rows as shown: label, description and the rows under each. */
  rows(): FlowRow[];
}

function captureUri(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  return vscode.window.activeTextEditor?.document.uri;
}

export function registerFlow(
  context: vscode.ExtensionContext,
  decodeApi: () => DecodeApi | undefined,
  exposeApi: (api: FlowApi) => void,
): vscode.Disposable {
  let client: WorkerClient<FlowWorkerBody> | undefined;
  const worker = () =>
    (client ??= new WorkerClient(path.join(context.extensionPath, 'dist', 'flowWorker.js'), {
      name: 'flow worker',
      onAbort: 'terminate',
      unref: true,
      describeError: (message) => new Error(`Reading the capture failed unexpectedly: ${message}`),
    }));
  const tree = new FlowTreeProvider();
  const view = vscode.window.createTreeView(ViewId.Flow, { treeDataProvider: tree, showCollapseAll: true });

  async function open(uri: vscode.Uri): Promise<FlowSummary | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const captureText = open?.isDirty && open.getText().length <= MAX_SENT_TEXT ? open.getText() : undefined;
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('SAML: reading {0}', path.basename(uri.fsPath)),
        cancellable: true,
      },
      async (_progress, token) => {
        const metadata = await vscode.workspace.findFiles('**/*.xml', '**/node_modules/**', MAX_METADATA_FILES, token);
        const clockSkewSeconds = vscode.workspace
          .getConfiguration(CONFIG_SECTION)
          .get<number>(SettingKey.ValidationClockSkewSeconds);
        const body: FlowWorkerBody = {
          op: 'flow',
          capturePath: captureText === undefined ? uri.fsPath : undefined,
          captureText,
          metadataPaths: metadata.map((m) => m.fsPath),
          clockSkewSeconds,
        };
        try {
          return (await worker().request(body, { signal: abortSignalFor(token) })) as FlowOutcome;
        } catch (error) {
          if (isAbortError(error)) return undefined;
          throw error;
        }
      },
    );
    if (!outcome) return undefined;
    if (!outcome.ok) {
      log().warn(`Flow: ${uri.fsPath}: ${outcome.message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('SAML: {0}', outcome.message));
      return undefined;
    }
    tree.show(outcome.flow, uri);
    await vscode.commands.executeCommand(`${ViewId.Flow}.focus`);
    return outcome.flow;
  }

  async function saveRedacted(argument: unknown): Promise<vscode.Uri | undefined> {
    const input = captureUri(argument) ?? tree.captureUri;
    if (!input) {
      void vscode.window.showErrorMessage(vscode.l10n.t('SAML: open a capture (.har or SAML-tracer .json) first.'));
      return undefined;
    }
    const saml = await vscode.window.showQuickPick(
      [
        {
          label: vscode.l10n.t('Credentials only'),
          detail: vscode.l10n.t('Cookies, credential headers and passwords'),
          saml: false,
        },
        {
          label: vscode.l10n.t('Credentials and identities'),
          detail: vscode.l10n.t(
            'Also NameIDs and attribute values in every SAML message (signatures then no longer verify)',
          ),
          saml: true,
        },
      ],
      { title: vscode.l10n.t('SAML: Save Redacted Capture') },
    );
    if (!saml) return undefined;
    const extension = path.extname(input.fsPath);
    const output = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(
        input.fsPath.slice(0, input.fsPath.length - extension.length) + `.redacted${extension}`,
      ),
      title: vscode.l10n.t('SAML: Save Redacted Capture'),
    });
    if (!output) return undefined;
    const body: FlowWorkerBody = { op: 'redact', input: input.fsPath, output: output.fsPath, samlContent: saml.saml };
    const outcome = (await worker().request(body)) as RedactOutcome;
    if (!outcome.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('SAML: {0}', outcome.message));
      return undefined;
    }
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'SAML: redacted copy saved: {0} credential headers, {1} cookies, {2} password fields removed, {3} SAML message copies redacted.',
        outcome.summary.headers,
        outcome.summary.cookies,
        outcome.summary.formFields,
        outcome.summary.samlMessages,
      ),
    );
    return output;
  }

  const lenses: vscode.CodeLensProvider = {
    provideCodeLenses: (document) => [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: vscode.l10n.t('Open as SAML flow'),
        command: CommandId.OpenCaptureAsFlow,
        arguments: [document.uri],
      }),
    ],
  };

  exposeApi({ open, lastFlow: () => tree.flow, rows: () => tree.rows() });
  return vscode.Disposable.from(
    view,
    tree,
    vscode.commands.registerCommand(CommandId.OpenCaptureAsFlow, async (argument?: unknown) => {
      let uri = captureUri(argument);
      if (!uri || !/\.(har|json)$/i.test(uri.fsPath)) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { [vscode.l10n.t('Browser captures')]: ['har', 'json'] },
          title: vscode.l10n.t('SAML: Open Capture as Flow'),
        });
        uri = picked?.[0];
      }
      return uri ? open(uri) : undefined;
    }),
    vscode.commands.registerCommand(CommandId.SaveRedactedCapture, saveRedacted),
    vscode.commands.registerCommand(CommandId.FlowOpenMessage, async (row?: unknown) => {
      const message = tree.messageOf(row);
      const decode = decodeApi();
      if (!message || !decode) return undefined;
      if (!message.decodeInput) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('SAML: this message cannot be opened: {0}', message.decodeError?.message ?? message.binding),
        );
        return undefined;
      }
      // As of when it was captured, not now: a response from yesterday's capture is expired today.
      const now = message.time === undefined ? undefined : new Date(message.time);
      return decode.decodeText(message.decodeInput, {
        requestId: message.requestId,
        requestIdSource: 'the request in the capture',
        now,
      });
    }),
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.har' }, lenses),
    { dispose: () => client?.terminate() },
  );
}
