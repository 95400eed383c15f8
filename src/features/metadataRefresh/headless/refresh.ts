/**
 * "Refresh Metadata from Source" without the editor: download, read, check the signature against
 * the pinned signer, and compare with the current file. The result is a plan the person accepts or
 * declines; nothing here writes anything. Each failure names its step.
 */
import { parseMetadata, type MetadataModel } from '../../../core/metadata';
import { diffMetadata, formatMetadataDiff, type MetadataDiff } from '../../../core/metadata/diff';
import { checkMetadataSignatures, type MetadataSignatureStatus } from '../../../core/metadata/signature';
import type { TrustedCertificate } from '../../../core/validate/types';
import { downloadMetadata, type DownloadFailureKind, type DownloadOptions } from './download';

export type RefreshStep = 'download' | 'parse' | 'signature';

export interface RefreshInput {
  readonly url: string;
  /** The file's current text, and its name for messages. */
  readonly currentText: string;
  readonly fileName: string;
  /** The signers pinned for this source; none: the signature proves integrity only. */
  readonly signers: readonly TrustedCertificate[];
  readonly now: Date;
  readonly download?: DownloadOptions;
}

export type RefreshPlan =
  | {
      readonly ok: true;
      readonly text: string;
      /** Where the document finally came from (after redirects). */
      readonly url: string;
      /** The root's signature: 'trusted' with a pinned signer; otherwise what it proves, for the person. */
      readonly signature: MetadataSignatureStatus;
      readonly signatureNote: string;
      readonly diff: MetadataDiff;
      /** The diff as Markdown (core/metadata/diff.ts formatMetadataDiff). */
      readonly diffText: string;
      /** One paragraph for the confirmation: entity counts and the rollover verdict. */
      readonly summary: string;
      readonly unchanged: boolean;
    }
  | {
      readonly ok: false;
      readonly step: RefreshStep;
      readonly kind?: DownloadFailureKind;
      readonly message: string;
    };

function readModel(text: string, what: string): { ok: true; model: MetadataModel } | { ok: false; message: string } {
  const parsed = parseMetadata(text);
  if (!parsed.ok) return { ok: false, message: `${what} cannot be read: ${parsed.error.message}` };
  if (parsed.model.entities.length === 0)
    return { ok: false, message: `${what} holds no EntityDescriptor: it is not SAML metadata.` };
  return { ok: true, model: parsed.model };
}

/** Refuses what a pinned signer does not vouch for, and any broken signature; says what the rest proves. */
function judgeSignature(
  status: MetadataSignatureStatus,
  pinned: boolean,
): { ok: true; note: string } | { ok: false; message: string } {
  if (pinned) {
    if (status.state === 'trusted') return { ok: true, note: status.message };
    const why =
      status.state === 'unsigned'
        ? 'it is not signed'
        : status.state === 'broken'
          ? `its signature is broken (${status.reasons.map((r) => r.message).join(' ')})`
          : status.state === 'integrity-only'
            ? `it is signed by another key (${status.certificate?.subject ?? 'unknown'}, SHA-256 ${status.certificate?.sha256 ?? '?'})`
            : 'its signature cannot be checked';
    return {
      ok: false,
      message: `The downloaded metadata is refused: a signer is pinned for this source, but ${why}.`,
    };
  }
  if (status.state === 'broken') return { ok: false, message: `The downloaded metadata is refused: ${status.message}` };
  if (status.state === 'unsigned')
    return {
      ok: true,
      note: 'Unsigned: nothing shows the download is authentic or unaltered. Pin the publisher’s signing certificate as the source’s signer.',
    };
  return { ok: true, note: `Integrity only: ${status.message}` };
}

export async function planRefresh(input: RefreshInput): Promise<RefreshPlan> {
  const downloaded = await downloadMetadata(input.url, input.download);
  if (!downloaded.ok)
    return { ok: false, step: 'download', kind: downloaded.kind, message: `Download failed: ${downloaded.message}` };
  const after = readModel(downloaded.text, `The document downloaded from ${downloaded.url}`);
  if (!after.ok) return { ok: false, step: 'parse', message: after.message };
  const before = readModel(input.currentText, input.fileName);
  if (!before.ok) return { ok: false, step: 'parse', message: `${before.message} (the current file)` };
  const checked = checkMetadataSignatures(downloaded.text, { signers: input.signers, now: input.now });
  if (!checked.ok) return { ok: false, step: 'parse', message: checked.message };
  const judged = judgeSignature(checked.report.root, input.signers.length > 0);
  if (!judged.ok) return { ok: false, step: 'signature', message: judged.message };
  const diff = diffMetadata(before.model, after.model, { now: input.now });
  const newName = `${input.fileName} (downloaded)`;
  const changed = (['added', 'removed', 'changed'] as const).map(
    (change) => `${diff.entities.filter((e) => e.change === change).length} ${change}`,
  );
  const unchanged = downloaded.text === input.currentText;
  const summary = [
    unchanged
      ? 'The downloaded document is identical to the file.'
      : `Entities: ${changed.join(', ')}, ${diff.unchanged} unchanged.`,
    ...diff.verdict.map((note) => note.message),
    judged.note,
  ].join('\n');
  return {
    ok: true,
    text: downloaded.text,
    url: downloaded.url,
    signature: checked.report.root,
    signatureNote: judged.note,
    diff,
    diffText: formatMetadataDiff(diff, { old: input.fileName, new: newName }),
    summary,
    unchanged,
  };
}
