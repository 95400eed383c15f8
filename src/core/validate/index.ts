export { validateDecoded, validateResponse } from './validate';
export { validateProtocolMessage, checkRedirectSignature } from './requests';
export { FINDING_CODES } from './codes';
export type { FindingCode } from './codes';
export * from './types';
