// Peer driver: samlify 2 as the SP library, with @authenio/samlify-xmllint-wasm as its schema
// validator (samlify refuses every message until one is registered; this one is libxml2 compiled to
// WebAssembly, shipped in the npm package, so it installs and runs offline with no native build).
//
// Reads every case from one JSON file (path argument, or stdin), validates each SAMLResponse in this
// one process with sp.parseLoginResponse(idp, 'post', { body: { SAMLResponse } }), and prints one JSON
// line per case: id, library, version, accepted, message (the rejection's message, verbatim).
//
//   node --import tsx test/peers/samlify.ts cases.json
//
// The IdP and SP entities are built from settings (samlify turns them into metadata): the IdP's
// entity ID and signing certificate, the SP's entity ID and POST ACS URL. samlify 2 checks the
// signature, the Issuer and the time conditions; it leaves Audience, Destination, Recipient and
// InResponseTo to the application, so a case's request ID is not passed to it.
import type * as Samlify from 'samlify';
import type { PeerCase } from './cases';
import { errorMessage, requireLibrary, runDriver } from './driverIo';

const LIBRARY = 'samlify';
const MODULE = 'samlify';
const VALIDATOR_MODULE = '@authenio/samlify-xmllint-wasm';

interface SchemaValidator {
  validate(xml: string): Promise<unknown>;
}

async function validate(library: typeof Samlify, c: PeerCase): Promise<{ accepted: boolean; message: string }> {
  const options = c.options?.[LIBRARY] ?? {};
  const post = library.Constants.namespace.binding.post;
  try {
    const idp = library.IdentityProvider({
      entityID: c.idpEntityId,
      signingCert: c.idpCertificatePem,
      // Not used to parse a response; the metadata needs one.
      singleSignOnService: [{ Binding: post, Location: c.idpEntityId }],
      // An SP that holds a decryption key expects encrypted assertions; samlify reads that from the IdP.
      isAssertionEncrypted: c.spPrivateKeyPem !== undefined,
    });
    const sp = library.ServiceProvider({
      entityID: c.spEntityId,
      assertionConsumerService: [{ Binding: post, Location: c.acsUrl }],
      ...(c.spPrivateKeyPem !== undefined && { encPrivateKey: c.spPrivateKeyPem }),
      ...options,
    });
    await sp.parseLoginResponse(idp, 'post', { body: { SAMLResponse: c.responseBase64 } });
    return { accepted: true, message: '' };
  } catch (error) {
    return { accepted: false, message: errorMessage(error) };
  }
}

runDriver(
  LIBRARY,
  MODULE,
  () => {
    const library = requireLibrary<typeof Samlify>(LIBRARY, MODULE);
    library.setSchemaValidator(requireLibrary<SchemaValidator>(LIBRARY, VALIDATOR_MODULE));
    return library;
  },
  validate,
);
