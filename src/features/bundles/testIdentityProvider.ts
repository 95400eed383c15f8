// Entry of dist/features/testIdentityProvider.js, loaded when the test IdP first starts (see ../lazy.ts).
export { TestIdentityProvider } from '../testIdentityProvider/controller';
