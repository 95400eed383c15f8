// The configured sources of metadata files (samlLens.metadata.sources), matched against files.
import * as vscode from 'vscode';
import { CONFIG_SECTION, SettingKey } from '../../ids';
import { resolveSettingPath } from '../settingFiles';
import { isGlob, readMetadataSources, type MetadataSourceEntry } from './headless/sources';

export const SOURCES_SETTING = `${CONFIG_SECTION}.${SettingKey.MetadataSources}`;

/** The sources, or why none can be used: the setting is read only in a trusted workspace. */
export function configuredSources(): { sources: MetadataSourceEntry[]; problems: string[] } {
  const read = readMetadataSources(vscode.workspace.getConfiguration().get<unknown>(SOURCES_SETTING));
  if (read.sources.length > 0 && !vscode.workspace.isTrusted)
    return { sources: [], problems: [`${SOURCES_SETTING} is ignored: it is only read in a trusted workspace`] };
  return read;
}

function globPattern(glob: string): vscode.GlobPattern {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && !glob.startsWith('/') ? new vscode.RelativePattern(folder, glob) : glob;
}

export function sourceMatches(source: MetadataSourceEntry, document: vscode.TextDocument): boolean {
  if (isGlob(source.file)) return vscode.languages.match({ pattern: globPattern(source.file) }, document) > 0;
  return resolveSettingPath(source.file)?.toString() === document.uri.toString();
}

/** The first source configured for `document`. */
export function sourceFor(document: vscode.TextDocument): MetadataSourceEntry | undefined {
  return configuredSources().sources.find((source) => sourceMatches(source, document));
}

/** The files a source names: the one path, or what its glob finds in the workspace. */
export async function filesOf(source: MetadataSourceEntry): Promise<vscode.Uri[]> {
  if (!isGlob(source.file)) {
    const uri = resolveSettingPath(source.file);
    return uri ? [uri] : [];
  }
  return vscode.workspace.findFiles(globPattern(source.file));
}
