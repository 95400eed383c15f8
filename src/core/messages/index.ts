export * from './decode';
export { NS, SIGNATURE_ALGORITHMS, DIGEST_ALGORITHMS } from './xmldsig';
