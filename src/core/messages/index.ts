export * from './decode';
export { SIGNATURE_ALGORITHMS, DIGEST_ALGORITHMS } from './xmldsig';
