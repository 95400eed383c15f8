// Peer driver: @node-saml/node-saml 5 (the library under passport-saml) as the SP library.
//
// Reads every case from one JSON file (path argument, or stdin), validates each SAMLResponse in this
// one process with new SAML({...}).validatePostResponseAsync({ SAMLResponse }), and prints one JSON
// line per case: id, library, version, accepted, message (the thrown error's message, verbatim).
//
//   node --import tsx test/peers/node-saml.ts cases.json
//
// The SP is configured with what the case gives: idpCert, issuer (the SP's entity ID), audience,
// callbackUrl (the ACS URL) and idpIssuer (so the Issuer is checked, as the other libraries do). When
// the case has a request ID, InResponseTo is validated ('always') against an in-memory cache that
// holds that ID, as if this SP had sent the AuthnRequest. Everything else keeps node-saml's defaults.
import type * as NodeSaml from '@node-saml/node-saml';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { PeerCase } from './cases';
import { errorMessage, requireLibrary, runDriver } from './driverIo';

const LIBRARY = 'node-saml';
const MODULE = '@node-saml/node-saml';

/** The requests this SP has sent and not yet seen answered: node-saml's CacheProvider interface. */
class RequestCache implements CacheProvider {
  private readonly items = new Map<string, CacheItem>();
  saveAsync(key: string, value: string): Promise<CacheItem | null> {
    if (this.items.has(key)) return Promise.resolve(null);
    const item = { value, createdAt: Date.now() };
    this.items.set(key, item);
    return Promise.resolve(item);
  }
  getAsync(key: string): Promise<string | null> {
    return Promise.resolve(this.items.get(key)?.value ?? null);
  }
  removeAsync(key: string | null): Promise<string | null> {
    if (key === null || !this.items.has(key)) return Promise.resolve(null);
    this.items.delete(key);
    return Promise.resolve(key);
  }
}

async function validate(library: typeof NodeSaml, c: PeerCase): Promise<{ accepted: boolean; message: string }> {
  const options = c.options?.[LIBRARY] ?? {};
  const cacheProvider = new RequestCache();
  if (c.requestId !== undefined) await cacheProvider.saveAsync(c.requestId, new Date().toISOString());
  try {
    const saml = new library.SAML({
      idpCert: c.idpCertificatePem,
      issuer: c.spEntityId,
      audience: c.spEntityId,
      callbackUrl: c.acsUrl,
      idpIssuer: c.idpEntityId,
      validateInResponseTo:
        c.requestId === undefined ? library.ValidateInResponseTo.never : library.ValidateInResponseTo.always,
      cacheProvider,
      ...(c.spPrivateKeyPem !== undefined && { decryptionPvk: c.spPrivateKeyPem }),
      ...options,
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: c.responseBase64 });
    return profile ? { accepted: true, message: '' } : { accepted: false, message: 'no profile returned' };
  } catch (error) {
    return { accepted: false, message: errorMessage(error) };
  }
}

runDriver(LIBRARY, MODULE, () => requireLibrary<typeof NodeSaml>(LIBRARY, MODULE), validate);
