// `samlLens.metadata.sources`: where metadata files come from. Read without the editor so every
// entry that cannot be used is named with its reason.
import { refuseUrl } from './download';

export interface MetadataSourceEntry {
  /** A path (absolute or relative to the workspace folder) or a glob of workspace files. */
  readonly file: string;
  /** The https URL the file is downloaded from (http only on a loopback address). */
  readonly url: string;
  /** A certificate or public-key file, or a `sha256:…` fingerprint, pinned as the signer of this source. */
  readonly signer?: string;
}

export function isGlob(file: string): boolean {
  return /[*?[\]{}]/.test(file);
}

export function readMetadataSources(value: unknown): { sources: MetadataSourceEntry[]; problems: string[] } {
  const sources: MetadataSourceEntry[] = [];
  const problems: string[] = [];
  for (const item of Array.isArray(value) ? (value as unknown[]) : []) {
    const { file, url, signer } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof file !== 'string' || file.trim() === '' || typeof url !== 'string' || url.trim() === '') {
      problems.push(`${JSON.stringify(item)} needs "file" (a path or glob) and "url"`);
      continue;
    }
    const refused = refuseUrl(url.trim());
    if (refused) {
      problems.push(`${file}: ${refused.message}`);
      continue;
    }
    if (signer !== undefined && (typeof signer !== 'string' || signer.trim() === '')) {
      problems.push(`${file}: "signer" must be a certificate file or a sha256 fingerprint`);
      continue;
    }
    sources.push({
      file: file.trim(),
      url: url.trim(),
      signer: typeof signer === 'string' ? signer.trim() : undefined,
    });
  }
  return { sources, problems };
}
