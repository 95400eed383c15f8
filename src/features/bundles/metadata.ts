// Entry of dist/features/metadata.js: the certificate checks, the metadata tree, the metadata
// signature checks, comparison, refresh and the certificate timeline, in one bundle because they
// share the metadata worker (features/metadataDocuments/headless/client.ts). Loaded when a certificate document is open, the
// tree is shown, or one of their commands runs (see ../lazy.ts).
export { registerCertificates } from '../certificates';
export { registerMetadataTree } from '../metadataTree';
export { registerMetadataSignatures } from '../metadataSignatures';
export { registerMetadataDiff } from '../metadataDiff';
export { registerMetadataRefresh } from '../metadataRefresh';
export { registerCertificateTimeline } from '../certificateTimeline';
