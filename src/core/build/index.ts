// Builders for test certificates, metadata documents and SAML messages.

export * from './certificate';
export * from './metadata';
export * from './response';
