// Entry of dist/features/generators.js, loaded when a generator command first runs (see ../lazy.ts).
export { runBuildTestResponse } from '../generators/buildTestResponse';
export { runCreateSpMetadata } from '../generators/createSpMetadata';
export { runGenerateCertificate } from '../generators/generateCertificate';
export { runSignMetadata } from '../generators/signMetadata';
