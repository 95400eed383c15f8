// Pieces the generator commands share: picking and reading PEM files, finding SP metadata in the
// workspace, writing files and opening results. Every failure ends in a specific message.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { serviceProviderFromMetadata, type TestServiceProvider } from '../../core/build/testResponse';
import { workspaceXmlContaining } from '../workspaceXml';

export type PemKind = 'certificate' | 'private key';

const PEM_FILTERS = { [vscode.l10n.t('PEM files')]: ['pem', 'crt', 'cer', 'key'], [vscode.l10n.t('All files')]: ['*'] };
/** Metadata and key files are small; anything bigger is not what the user meant to pick. */
const MAX_PEM_BYTES = 1024 * 1024;
const MAX_METADATA_BYTES = 5 * 1024 * 1024;

/** A path relative to the workspace, naming the folder only when there are several. */
export function fileLabel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/** Reads a PEM file and checks that it holds what was asked for; the message says what is wrong. */
export async function readPemFile(
  uri: vscode.Uri,
  kind: PemKind,
): Promise<{ ok: true; pem: string } | { ok: false; message: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    return { ok: false, message: vscode.l10n.t('{0} cannot be read: {1}', fileLabel(uri), (error as Error).message) };
  }
  if (bytes.byteLength > MAX_PEM_BYTES)
    return {
      ok: false,
      message: vscode.l10n.t('{0} is {1} bytes, too large for a PEM {2}.', fileLabel(uri), bytes.byteLength, kind),
    };
  const pem = new TextDecoder().decode(bytes);
  if (kind === 'certificate') {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      return {
        ok: false,
        message: vscode.l10n.t('{0} holds no "BEGIN CERTIFICATE" block; pick a PEM certificate.', fileLabel(uri)),
      };
    }
    try {
      new X509Certificate(pem);
    } catch (error) {
      return {
        ok: false,
        message: vscode.l10n.t('{0} is not a valid certificate: {1}', fileLabel(uri), (error as Error).message),
      };
    }
  } else {
    if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) {
      const hint = pem.includes('ENCRYPTED PRIVATE KEY')
        ? vscode.l10n.t(' It is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem).')
        : '';
      return {
        ok: false,
        message: vscode.l10n.t('{0} holds no unencrypted PEM private key.{1}', fileLabel(uri), hint),
      };
    }
    try {
      createPrivateKey(pem);
    } catch (error) {
      // The key text itself is never shown or logged.
      return {
        ok: false,
        message: vscode.l10n.t('{0} is not a readable private key: {1}', fileLabel(uri), (error as Error).message),
      };
    }
  }
  return { ok: true, pem };
}

/** Lets the user pick a PEM file; undefined when cancelled or unreadable (after saying why). */
export async function pickPemFile(kind: PemKind, title: string): Promise<{ uri: vscode.Uri; pem: string } | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: PEM_FILTERS,
    openLabel: kind === 'certificate' ? vscode.l10n.t('Use Certificate') : vscode.l10n.t('Use Private Key'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  if (!picked || picked.length === 0) return undefined;
  const read = await readPemFile(picked[0], kind);
  if (!read.ok) {
    void vscode.window.showErrorMessage(read.message);
    return undefined;
  }
  return { uri: picked[0], pem: read.pem };
}

export interface WorkspaceServiceProvider {
  readonly uri: vscode.Uri;
  readonly sp: TestServiceProvider;
}

/** SP metadata documents in the workspace: XML files whose model has an SPSSODescriptor. */
export async function findServiceProviderMetadata(
  token?: vscode.CancellationToken,
): Promise<WorkspaceServiceProvider[]> {
  const files = await workspaceXmlContaining('SPSSODescriptor', {
    maxBytes: MAX_METADATA_BYTES,
    purpose: 'Looking for SP metadata',
    token,
  });
  const found: WorkspaceServiceProvider[] = [];
  for (const { uri, text } of files) {
    const read = serviceProviderFromMetadata(text);
    if (read.ok) found.push({ uri, sp: read.sp });
  }
  return found.sort((a, b) => fileLabel(a.uri).localeCompare(fileLabel(b.uri)));
}

/** The SP of the active editor if it is SP metadata, else the first in the workspace. */
export async function currentServiceProvider(): Promise<TestServiceProvider | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.getText().includes('SPSSODescriptor')) {
    const read = serviceProviderFromMetadata(active.getText());
    if (read.ok) return read.sp;
  }
  return (await findServiceProviderMetadata())[0]?.sp;
}

/**
 * Writes a file. Private keys on the local disk are created readable by the owner only; a file
 * that cannot be written is reported with its path.
 */
export async function writeTextFile(uri: vscode.Uri, text: string, secret = false): Promise<void> {
  try {
    if (secret && uri.scheme === 'file') {
      await writeFile(uri.fsPath, text, { mode: 0o600 });
      // The mode above applies only when the file is created; an overwritten file keeps its own.
      await chmod(uri.fsPath, 0o600);
    } else await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  } catch (error) {
    throw new Error(
      vscode.l10n.t('{0} could not be written: {1}', uri.fsPath || uri.toString(), (error as Error).message),
      { cause: error },
    );
  }
}

export async function openUntitled(content: string, language: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** A default location next to the workspace: the first folder, else the home of untitled files. */
export function defaultFileUri(fileName: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
}

/** A file name fragment from free text (a host name or CN). */
export function safeFileStem(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'saml';
}
