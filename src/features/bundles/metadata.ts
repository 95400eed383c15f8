// Entry of dist/features/metadata.js: the certificate checks, the metadata tree and the metadata
// signature checks, in one bundle because they share the metadata worker
// (features/metadataDocuments/headless/client.ts). Loaded when a certificate document is open, the
// tree is shown, or one of their commands runs (see ../lazy.ts).
export { registerCertificates } from '../certificates';
export { registerMetadataTree } from '../metadataTree';
export { registerMetadataSignatures } from '../metadataSignatures';
