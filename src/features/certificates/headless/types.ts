// Plain data shared by the certificate features. Offsets are UTF-16 offsets into the document text,
// mapped to positions with `TextDocument.positionAt` only at the edge.
import type { Severity } from '../../../core/severity';

/** One certificate as written in a document: an X509Certificate element's text or a PEM block's body. */
export interface CertificateOccurrence {
  /** Position in document order, starting at 0. */
  readonly index: number;
  /** Offsets of the certificate text (the element content, or the PEM body). */
  readonly start: number;
  readonly end: number;
  /** The text as the parser saw it (entities resolved); what gets decoded. */
  readonly text: string;
  /** KeyDescriptor `use` ("signing", "encryption"), or undefined when absent or not in a KeyDescriptor. */
  readonly use?: string;
  /** entityID of the EntityDescriptor it belongs to. */
  readonly entityId?: string;
  /** Local name of the role descriptor it belongs to, e.g. "IDPSSODescriptor". */
  readonly role?: string;
  /** Where it sits, for people: e.g. "KeyDescriptor (signing)", "Signature KeyInfo", "PEM file". */
  readonly location: string;
}

export type CertificateStatus = 'valid' | 'expiring' | 'expired' | 'not-yet-valid' | 'invalid';

export interface AnalysedCertificate extends CertificateOccurrence {
  readonly status: CertificateStatus;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Why the text is not a readable certificate (status "invalid"). */
  readonly error?: string;
  /** For a double-encoded PEM: the base64 that belongs in the element. */
  readonly innerBase64?: string;
  /**
   * `distinctKey(text)`, which tells distinct certificates apart (the status bar counts); the worker
   * works it out for large documents, where doing so on the host took 0.2 s for 24,000.
   */
  readonly distinctKey?: string;
  /** `start` and `end` as line and character, worked out by the worker for large documents (CodeLens, quick fixes). */
  readonly startPosition?: TextPosition;
  readonly endPosition?: TextPosition;
}

export interface TextFinding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** What to do about it. */
  readonly fix?: string;
  readonly start: number;
  readonly end: number;
  /**
   * `start` and `end` as line and character, when the worker already worked them out (large
   * documents), so the host does not map thousands of offsets itself.
   */
  readonly positions?: { readonly start: TextPosition; readonly end: TextPosition };
}

export interface TextPosition {
  readonly line: number;
  readonly character: number;
}
