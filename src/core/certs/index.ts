// Certificate analysis: cheap exact validity for large documents, full facts for hovers, findings.

export * from './codes';
export { readValidity, readOutline } from './validity';
export type { Validity, CertificateOutline } from './validity';
export { decodeCertificateDer } from './decode';
export { certificateFacts, certificateFactsFromDer, certificateLabel } from './facts';
export type { CertificateFacts, CertificateLabel, PublicKeyFacts, Thumbprints } from './facts';
export {
  certificateFindings,
  documentCertificateFindings,
  errorFinding,
  outlineFindings,
  DEFAULT_WARN_DAYS,
} from './findings';
export type { FindingOptions, CertificateOccurrence, DocumentCertificateFinding } from './findings';
export { findCertificatesInPem } from './pem';
export type { PemCertificate } from './pem';
export { formatName, commonName } from './names';
export type { DistinguishedName, NameAttribute } from './names';
export type { SignatureAlgorithm, PublicKeyAlgorithm } from './algorithms';
