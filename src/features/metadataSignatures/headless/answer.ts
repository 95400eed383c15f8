/**
 * A document's signature statuses with where each Signature element starts, as the editor needs
 * them (diagnostics, quick fixes, the tree's root). Runs in the metadata worker for large documents
 * and on the host for small ones; the signatures themselves are checked by core/metadata/signature.ts.
 */
import type { MetadataParseResult } from '../../../core/metadata/parse';
import { checkMetadataSignatures, type MetadataSignatureStatus } from '../../../core/metadata/signature';
import type { TrustedCertificate } from '../../../core/validate/types';

export interface PlacedSignatureStatus extends MetadataSignatureStatus {
  /** UTF-16 offset of the ds:Signature start tag, when the element is signed. */
  readonly signatureStart?: number;
}

export type SignatureAnswer =
  /** `root` is absent when the text holds no signature at all (nothing was parsed). */
  | { readonly ok: true; readonly root?: PlacedSignatureStatus; readonly entities: readonly PlacedSignatureStatus[] }
  | { readonly ok: false; readonly message: string };

/** What the worker and the host are asked: the signers that apply to this document, and the clock. */
export interface SignatureQuestion {
  readonly signers: readonly TrustedCertificate[];
  readonly now: number;
}

export const NO_SIGNATURE: SignatureAnswer = { ok: true, entities: [] };

/** Quick look before any parse: text without a ds:Signature has nothing to check. */
export function mayBeSigned(text: string): boolean {
  return text.includes('http://www.w3.org/2000/09/xmldsig#') && /<([\w.-]+:)?Signature[\s>]/.test(text);
}

export function signatureAnswer(
  text: string,
  parse: () => MetadataParseResult,
  question: SignatureQuestion,
): SignatureAnswer {
  if (!mayBeSigned(text)) return NO_SIGNATURE;
  const result = checkMetadataSignatures(text, { signers: question.signers, now: new Date(question.now) });
  if (!result.ok) return result;
  const parsed = parse();
  const model = parsed.ok ? parsed.model : parsed.partial;
  const rootStart =
    model.groups.find((g) => g.parentGroup === undefined)?.signatureStart ??
    model.entities.find((e) => e.group === undefined)?.signatureStart;
  const starts = new Map<string, number>();
  for (const entity of model.entities)
    if (entity.group !== undefined && entity.signatureStart !== undefined && entity.entityID)
      if (!starts.has(entity.entityID.value)) starts.set(entity.entityID.value, entity.signatureStart);
  const entities = result.report.entities.map((status) => ({
    ...status,
    signatureStart: status.name === undefined ? undefined : starts.get(status.name),
  }));
  return { ok: true, root: { ...result.report.root, signatureStart: rootStart }, entities };
}

/**
 * The text a "Remove signature" deletes: the ds:Signature element starting at `start` and, when it
 * stands on lines of its own, the indentation before it and the line break after it. Undefined when
 * no Signature start tag is at `start` or its end tag cannot be found.
 */
export function signatureElementSpan(text: string, start: number): { start: number; end: number } | undefined {
  const open = /^<((?:[\w.-]+:)?Signature)[\s>/]/.exec(text.slice(start, start + 200));
  if (!open) return undefined;
  // Exactly this end tag: "</ds:Signature" is also how "</ds:SignatureValue>" starts.
  const close = new RegExp(`</${open[1].replace(/\./g, '\\.')}\\s*>`, 'g');
  close.lastIndex = start;
  const closing = close.exec(text);
  if (!closing) return undefined;
  let from = start;
  let to = closing.index + closing[0].length;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineBreak = /[ \t]*\r?\n/y;
  lineBreak.lastIndex = to;
  const afterLine = lineBreak.exec(text);
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && afterLine) {
    from = lineStart;
    to += afterLine[0].length;
  }
  return { start: from, end: to };
}
