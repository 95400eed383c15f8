// Finds the certificates in a text: XML through the metadata parser (every X509Certificate with
// its place in the document), PEM blocks, or a binary DER file. Nothing is judged here.
import {
  type CertificateOccurrence as ModelCertificate,
  type MetadataModel,
  type MetadataParseResult,
  parseMetadata,
} from '../../../core/metadata';
import { parseMetadataInWorker } from '../../metadataDocuments/headless/client';
import { XmlErrorCode, type XmlError } from '../../../core/xml';
import type { CertificateOccurrence, TextFinding } from './types';

/** Certificates found in a text, before any judgement about dates (which depend on the clock). */
export interface ExtractedDocument {
  /** The text the offsets refer to. */
  readonly text: string;
  readonly certificates: readonly CertificateOccurrence[];
  /** The metadata model, for XML that parsed (fully or partly). */
  readonly model?: MetadataModel;
  /** Role identity per certificate index, for the core's duplicate checks. */
  readonly roleKeys: readonly (string | undefined)[];
  /** The certificate came from a binary DER file: no text positions. */
  readonly binary: boolean;
  /** Why the XML could not be read to the end; certificates after `offset` were not seen. */
  readonly xmlError?: XmlError;
}

export interface ExtractOptions {
  readonly workerPath: string;
  readonly useWorker: boolean;
  readonly signal?: AbortSignal;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The certificate analysis was cancelled', 'AbortError');
}

const PEM_BLOCK = /-----BEGIN (CERTIFICATE|X509 CERTIFICATE|TRUSTED CERTIFICATE)-----([\s\S]*?)-----END \1-----/g;

function locationOf(certificate: ModelCertificate): string {
  if (certificate.place === 'signature') return 'Signature KeyInfo';
  if (certificate.place === 'key-descriptor')
    return certificate.keyUse ? `KeyDescriptor (${certificate.keyUse})` : 'KeyDescriptor';
  return 'X509Certificate';
}

function fromModel(text: string, model: MetadataModel, xmlError?: XmlError): ExtractedDocument {
  const certificates: CertificateOccurrence[] = [];
  const roleKeys: (string | undefined)[] = [];
  model.certificates.forEach((certificate, index) => {
    certificates.push({
      index,
      start: certificate.range.start,
      end: certificate.range.end,
      text: certificate.base64,
      use: certificate.keyUse,
      entityId: certificate.entityID,
      role: certificate.roleKind,
      location: locationOf(certificate),
    });
    roleKeys.push(
      certificate.place === 'key-descriptor' && certificate.entityIndex !== undefined
        ? `${certificate.entityIndex}/${certificate.roleIndex ?? '-'}`
        : undefined,
    );
  });
  return { text, certificates, model, roleKeys, binary: false, xmlError };
}

/** PEM blocks; each occurrence covers the body between the BEGIN and END lines. */
function fromPem(text: string): ExtractedDocument {
  const certificates: CertificateOccurrence[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const blockStart = match.index ?? 0;
    const start = blockStart + match[0].indexOf(match[2]);
    certificates.push({
      index: certificates.length,
      start,
      end: start + match[2].length,
      text: match[2],
      location: 'PEM file',
    });
  }
  return { text, certificates, roleKeys: certificates.map(() => undefined), binary: false };
}

function looksLikePem(text: string): boolean {
  return !/^\s*</.test(text) && text.includes('-----BEGIN');
}

/** Finds every certificate in an XML or PEM text. Rejects with an AbortError when cancelled. */
export async function extractCertificates(text: string, options: ExtractOptions): Promise<ExtractedDocument> {
  if (looksLikePem(text)) return fromPem(text);
  throwIfAborted(options.signal);
  const parsed = options.useWorker
    ? await parseMetadataInWorker(text, options.workerPath, { signal: options.signal })
    : parseMetadata(text);
  return fromParse(text, parsed);
}

/** The same as `extractCertificates` in-thread, with the parse supplied (the worker parses once per version). */
export function extractWithParse(text: string, parse: () => MetadataParseResult): ExtractedDocument {
  return looksLikePem(text) ? fromPem(text) : fromParse(text, parse());
}

function fromParse(text: string, parsed: MetadataParseResult): ExtractedDocument {
  // A document being edited is often briefly malformed: the certificates before the error still count.
  return parsed.ok ? fromModel(text, parsed.model) : fromModel(text, parsed.partial, parsed.error);
}

/**
 * Says where reading stopped and why, so a document that is not (safe, well-formed) XML is not
 * mistaken for one whose certificates are all fine. An empty document is just new: no finding.
 */
export function xmlErrorFinding(error: XmlError, textLength: number): TextFinding | undefined {
  if (error.code === XmlErrorCode.Empty) return undefined;
  const start = Math.min(error.offset, Math.max(0, textLength - 1));
  return {
    code: error.code,
    severity: 'warning',
    message: `SAML Lens stopped reading here, so certificates after this point are not checked: ${error.reason}.`,
    fix:
      error.code === XmlErrorCode.Doctype
        ? 'Remove the DOCTYPE; SAML documents never need one.'
        : 'Fix the XML at this point.',
    start,
    end: Math.min(textLength, start + 1),
  };
}

/** Text of a certificate file read from disk: UTF-8 (BOM removed, as the editor does), or base64 for binary DER. */
export function certificateFileText(bytes: Uint8Array): { text: string; binary: boolean } {
  const buffer = Buffer.from(bytes);
  const printable = buffer
    .subarray(0, 64)
    .every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f) || byte >= 0x80);
  if (buffer.length > 0 && buffer[0] === 0x30 && !printable) return { text: buffer.toString('base64'), binary: true };
  return { text: new TextDecoder('utf-8').decode(buffer), binary: false };
}

/** A binary DER file as one certificate occurrence. */
export function extractBinaryCertificate(base64: string): ExtractedDocument {
  return {
    text: base64,
    certificates: [{ index: 0, start: 0, end: 0, text: base64, location: 'DER file' }],
    roleKeys: [undefined],
    binary: true,
  };
}
