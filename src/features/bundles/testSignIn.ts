// Entry of dist/features/testSignIn.js, loaded when a test sign-in first starts (see ../lazy.ts).
export { TestSignIn } from '../testSignIn/controller';
