// The workspace's XML files that hold a given element (an SPSSODescriptor, an IDPSSODescriptor), read
// as text: what the generators and the test SP and IdP offer or look up. node_modules is left out,
// and so are files over the caller's size limit; a file that cannot be read is skipped and logged.
import * as vscode from 'vscode';
import { log } from '../log';

/** At most this many XML files are looked at. */
const MAX_XML_FILES = 500;

export interface WorkspaceXml {
  readonly uri: vscode.Uri;
  readonly text: string;
}

export async function workspaceXmlContaining(
  marker: string,
  options: { maxBytes: number; purpose: string; token?: vscode.CancellationToken },
): Promise<WorkspaceXml[]> {
  const uris = await vscode.workspace.findFiles('**/*.xml', '**/node_modules/**', MAX_XML_FILES, options.token);
  const found: WorkspaceXml[] = [];
  for (const uri of uris) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > options.maxBytes) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      // A cheap test first: most XML files are not the metadata looked for.
      if (text.includes(marker)) found.push({ uri, text });
    } catch (error) {
      log().warn(`${options.purpose}: could not read ${uri.fsPath}: ${(error as Error).message}`);
    }
  }
  return found;
}
