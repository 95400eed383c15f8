// Files named in settings (certificates and keys to trust), read the same way by every feature:
// paths absolute or relative to the first workspace folder, and how a file is named to the user.
import * as vscode from 'vscode';
import { readTrustAnchorFile } from '../core/trust';
import type { TrustedCertificate } from '../core/validate/types';

export function describeUri(uri: vscode.Uri): string {
  return uri.scheme === 'file' || vscode.workspace.getWorkspaceFolder(uri)
    ? vscode.workspace.asRelativePath(uri, false)
    : uri.toString(true);
}

/** Absolute paths stay as they are; relative ones are relative to the first workspace folder. */
export function resolveSettingPath(value: string): vscode.Uri | undefined {
  if (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value)) return vscode.Uri.file(value);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, value) : undefined;
}

/** Reads a certificate or public-key file (PEM, base64 or DER) as a trust anchor, or explains why it cannot. */
export async function readAnchorFile(
  uri: vscode.Uri,
  source: string,
): Promise<{ ok: true; anchor: TrustedCertificate } | { ok: false; message: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    return {
      ok: false,
      message: `cannot read ${describeUri(uri)}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return readTrustAnchorFile(bytes, describeUri(uri), source);
}
