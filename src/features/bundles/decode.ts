// Entry of dist/features/decode.js, loaded on the first decode (see ../lazy.ts).
export { DecodeController, reportFailure } from '../decode/controller';
export { DecryptionKeyStore } from '../decode/decryptionKeyPicker';
export { DecodeEngine } from '../decode/headless/engine';
