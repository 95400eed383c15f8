/**
 * `samlLens.metadata.trustedSigners`: the certificates the user pins as signers of metadata. Each
 * entry is a certificate or public-key file, or a SHA-256 fingerprint, optionally limited to one
 * entityID (or aggregate Name), to files matching a glob, and to documents from one source URL
 * (samlLens.metadata.sources). Files are read only in trusted
 * workspaces (the setting is restricted there, like samlLens.trustedCertificates).
 */
import * as vscode from 'vscode';
import { looksLikeFingerprint, parseFingerprint } from '../../core/trust';
import type { TrustedCertificate } from '../../core/validate/types';
import { CONFIG_SECTION, SettingKey } from '../../ids';
import { sourceFor } from '../metadataRefresh/sources';
import { describeUri, readAnchorFile, resolveSettingPath } from '../settingFiles';

export interface TrustedSignerEntry {
  /** A certificate or public-key file (absolute or relative to the workspace folder), or `sha256:AB:…`. */
  readonly certificate: string;
  /** Only for the EntityDescriptor with this entityID, or the EntitiesDescriptor with this Name. */
  readonly entityId?: string;
  /** Only for documents matching this glob, e.g. `**\/federation/*.xml`. */
  readonly files?: string;
  /** Only for documents downloaded from this URL, or files whose configured source it is. */
  readonly url?: string;
}

const SETTING = `${CONFIG_SECTION}.${SettingKey.MetadataTrustedSigners}`;

/** The entries, from a string (applies everywhere) or an object; anything else is named as a problem. */
export function readTrustedSignerEntries(value: unknown): { entries: TrustedSignerEntry[]; problems: string[] } {
  const entries: TrustedSignerEntry[] = [];
  const problems: string[] = [];
  for (const item of Array.isArray(value) ? (value as unknown[]) : []) {
    if (typeof item === 'string' && item.trim() !== '') entries.push({ certificate: item.trim() });
    else if (
      typeof item === 'object' &&
      item !== null &&
      typeof (item as TrustedSignerEntry).certificate === 'string'
    ) {
      const { certificate, entityId, files, url } = item as Record<string, unknown>;
      entries.push({
        certificate: (certificate as string).trim(),
        entityId: typeof entityId === 'string' && entityId !== '' ? entityId : undefined,
        files: typeof files === 'string' && files !== '' ? files : undefined,
        url: typeof url === 'string' && url.trim() !== '' ? url.trim() : undefined,
      });
    } else problems.push(`${JSON.stringify(item)} is neither a file or fingerprint nor an object with "certificate"`);
  }
  return { entries, problems };
}

export interface ResolvedSigners {
  readonly signers: TrustedCertificate[];
  /** Why an entry was not used; logged and shown in the tree's tooltip. */
  readonly problems: string[];
}

/**
 * The signers that apply to `document`, read from their files. `sourceUrl` is where it comes from:
 * the URL being downloaded, or by default the source configured for the file.
 */
export async function signersFor(
  document: vscode.TextDocument,
  sourceUrl: string | undefined = sourceFor(document)?.url,
): Promise<ResolvedSigners> {
  const { entries, problems } = readTrustedSignerEntries(vscode.workspace.getConfiguration().get<unknown>(SETTING));
  const signers: TrustedCertificate[] = [];
  if (entries.length > 0 && !vscode.workspace.isTrusted) {
    return { signers, problems: [`${SETTING} is ignored: it is only read in a trusted workspace`] };
  }
  for (const entry of entries) {
    if (entry.files && vscode.languages.match({ pattern: entry.files }, document) === 0) continue;
    if (entry.url && entry.url !== sourceUrl) continue;
    const source = `${SETTING}${entry.entityId ? ` for ${entry.entityId}` : ''}`;
    const read = await readSigner(entry.certificate, source);
    if (read.ok) signers.push({ ...read.signer, entityId: entry.entityId });
    else problems.push(read.message);
  }
  return { signers, problems };
}

/** One pinned signer: a SHA-256 fingerprint, or a certificate or public-key file. */
export async function readSigner(
  certificate: string,
  source: string,
): Promise<{ ok: true; signer: TrustedCertificate } | { ok: false; message: string }> {
  if (looksLikeFingerprint(certificate)) {
    const read = parseFingerprint(certificate, source);
    if (!read.ok) return read;
    if (read.anchor.fingerprint?.algorithm !== 'sha256')
      return { ok: false, message: `${certificate}: metadata signers are pinned by SHA-256 fingerprint, not SHA-1` };
    return { ok: true, signer: read.anchor };
  }
  const uri = resolveSettingPath(certificate);
  if (!uri) return { ok: false, message: `${certificate}: a relative path, but no workspace folder is open` };
  const read = await readAnchorFile(uri, `${describeUri(uri)} (${source})`);
  return read.ok ? { ok: true, signer: read.anchor } : read;
}
