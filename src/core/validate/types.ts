// Inputs and outputs of the validator. The report is plain data: it is posted to a webview and
// printed as JSON by the CLI, so it holds no DOM nodes, Dates or class instances.
import type { FindingCode } from './codes';
import type { Severity } from '../severity';
import type { SamlMessageType } from '../messages/decode';

/** What a trust anchor is: a certificate, a bare public key, or the fingerprint of a certificate. */
export type TrustAnchorKind = 'certificate' | 'public-key' | 'fingerprint';

export interface TrustedCertificate {
  /** Default 'certificate'. */
  kind?: TrustAnchorKind;
  /** PEM text, or the base64 DER that metadata carries in X509Certificate. */
  pem?: string;
  base64?: string;
  /** kind 'public-key': the key as SPKI PEM ("-----BEGIN PUBLIC KEY-----"). */
  publicKeyPem?: string;
  /**
   * kind 'fingerprint': a certificate in the message's KeyInfo whose fingerprint equals this one is
   * treated as the user's certificate. Hex, upper case, colon-separated.
   */
  fingerprint?: { algorithm: 'sha256' | 'sha1'; hex: string };
  /** Where the certificate came from, shown to the user (e.g. "idp-metadata.xml (https://sts.windows.net/…/)"). */
  source: string;
  /** entityID of the metadata the certificate came from, used as the expected Issuer. */
  entityId?: string;
}

export interface ExpectedAttribute {
  name: string;
  friendlyName?: string;
  required?: boolean;
}

export interface ServiceProviderExpectations {
  entityId?: string;
  acsUrls?: string[];
  expectedAttributes?: ExpectedAttribute[];
  /** SPSSODescriptor/@WantAssertionsSigned: the Assertion itself must carry a valid signature. */
  wantAssertionsSigned?: boolean;
  source: string;
}

export interface ValidationContext {
  now: Date;
  /** Allowed clock difference for time conditions; default 180 s. */
  clockSkewSeconds?: number;
  trustedCertificates: TrustedCertificate[];
  sp?: ServiceProviderExpectations;
  idpEntityId?: string;
  /** The URL at which the message arrived (an ACS or SLO endpoint); Destination must match it when given. */
  receivedAt?: string;
  /** ID of the AuthnRequest this response answers; InResponseTo is compared only when given. */
  requestId?: string;
  requireSignedAssertion?: boolean;
  /** Why an AuthnRequest must be signed (from metadata); an unsigned one then fails. */
  requireSignedRequest?: string;
  /** Treat SHA-1 signatures and digests as failures instead of warnings. */
  strictSha1?: boolean;
  /** Unsigned messages become "not verifiable" instead of "invalid" (for test IdPs that do not sign). */
  allowUnsigned?: boolean;
  /** SP private key (PEM) to decrypt EncryptedAssertion / EncryptedID. Never logged or stored. */
  decryptionKeyPem?: string;
  /**
   * Findings about where trust and expectations came from (core/trust: expired metadata, an
   * aggregate without the named entity, a SHA-1 fingerprint), reported first in the report.
   */
  selectionFindings?: Finding[];
}

export type FindingStatus = 'pass' | 'fail' | 'warn' | 'not-checked' | 'info';

export interface Finding {
  code: FindingCode;
  status: FindingStatus;
  severity: Severity;
  title: string;
  message: string;
  expected?: string;
  found?: string;
  why: string;
  fix: string;
}

export type { Verdict } from '../verdict';
import type { Verdict } from '../verdict';

export interface CertificateSummary {
  /** What the trusted anchor was; absent for a certificate found only in the message. */
  kind?: TrustAnchorKind;
  subject: string;
  sha1: string;
  sha256: string;
  source: string;
}

export interface SignatureReport {
  /** The element the signature sits in (and must cover). */
  covers: 'Response' | 'Assertion' | 'AuthnRequest' | 'LogoutRequest' | 'LogoutResponse' | 'Other';
  referenceUri: string;
  signatureAlgorithm: string;
  digestAlgorithm: string;
  canonicalization: string;
  /** The trusted certificate that verified it, else the (untrusted) KeyInfo certificate, else undefined. */
  certificate: CertificateSummary | undefined;
  digestMatches: boolean;
  signatureValid: boolean;
  trusted: boolean;
}

export interface NameIdReport {
  value: string;
  format: string | undefined;
  spNameQualifier: string | undefined;
  /** True only when read from bytes covered by a valid trusted signature. */
  verified: boolean;
  containsComment: boolean;
}

export interface AttributeReport {
  name: string;
  friendlyName: string | undefined;
  nameFormat: string | undefined;
  values: string[];
  verified: boolean;
}

export interface ConditionsReport {
  notBefore: string | undefined;
  notOnOrAfter: string | undefined;
  audiences: string[];
  subjectConfirmationNotOnOrAfter: string | undefined;
  recipient: string | undefined;
  sessionNotOnOrAfter: string | undefined;
  destination: string | undefined;
  inResponseTo: string | undefined;
  verified: boolean;
}

export interface TimelineEntry {
  label: string;
  instant: string;
  /** "3 hours ago", "in 5 minutes". */
  relative: string;
  status: FindingStatus;
}

export interface StatusReport {
  code: string | undefined;
  subCode: string | undefined;
  message: string | undefined;
}

export interface ValidationReport {
  verdict: Verdict;
  messageType: SamlMessageType | 'unknown';
  findings: Finding[];
  issuer: { response: string | undefined; assertion: string | undefined; verified: boolean };
  subject: { nameId: NameIdReport | undefined };
  attributes: AttributeReport[];
  conditions: ConditionsReport;
  signatures: SignatureReport[];
  timeline: TimelineEntry[];
  status: StatusReport;
  encrypted: boolean;
  /** The decrypted assertion, when one was decrypted (for display; not the signed bytes). */
  decryptedAssertionXml?: string;
}
