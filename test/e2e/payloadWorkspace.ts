// A throwaway workspace holding one signed response with chosen NameID and attribute values, the
// IdP certificate that signed it, and settings that trust it and name the service provider, so the
// decode panel validates it as "valid" and the tests can look at how the values render.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSamlResponse } from '../../src/core/build/response';
import { makeRsaKeyPair } from '../fixtures/builder/keys';

const SP = 'https://sp.payload.example/';
const ACS = 'https://sp.payload.example/acs';

/** A folder with a signed response (base64 wrapped at 76 columns), the IdP certificate and settings naming it. */
export function payloadWorkspace(values: { nameId: string; attributes: { name: string; values: string[] }[] }): string {
  const folder = mkdtempSync(join(tmpdir(), 'saml-lens-safe-panel-'));
  const keys = makeRsaKeyPair('Safe Panel Test IdP');
  const response = buildSamlResponse({
    issuer: 'https://idp.payload.example/',
    destination: ACS,
    audience: SP,
    recipient: ACS,
    nameId: values.nameId,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    attributes: values.attributes,
    // Valid for a day around now: these tests are about rendering and trust, not the clock.
    issueInstant: new Date(Date.now() - 60_000),
    notBefore: new Date(Date.now() - 120_000),
    notOnOrAfter: new Date(Date.now() + 24 * 3600_000),
    signResponse: false,
    signAssertion: true,
    privateKeyPem: keys.privateKeyPem,
    certificatePem: keys.certificatePem,
  });
  writeFileSync(
    join(folder, 'payload.saml.txt'),
    Buffer.from(response)
      .toString('base64')
      .replace(/(.{76})/g, '$1\n'),
  );
  writeFileSync(join(folder, 'payload-idp.pem'), keys.certificatePem);
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(
    join(folder, '.vscode', 'settings.json'),
    JSON.stringify({
      'samlLens.trustedCertificates': ['payload-idp.pem'],
      'samlLens.serviceProviders': [
        { entityId: SP, acsUrls: [ACS], expectedAttributes: values.attributes.map((a) => a.name) },
      ],
    }),
  );
  return folder;
}
