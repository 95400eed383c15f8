// Generates the sample workspace (samples/): the reference scenario (Microsoft Entra ID as IdP for
// "Upwork Enterprise" as SP), certificates that show every certificate diagnostic, and signed
// SAML responses for the test user B.Simon@contoso.com.
//
// Deterministic: fixed seeds and a fixed generation date, so running it again gives byte-identical
// files (a unit test checks this).
//
//   npm run samples                                  regenerate samples/ (keys too; slow: pure-JS RSA)
//   npm run samples -- --now 2027-01-01T00:00:00Z    another generation date
//   npm run samples -- --out /tmp/x --keys samples/keys   reuse existing keys (fast)

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  generateCertificate,
  generatePrivateKey,
  type KeySpec,
  buildIdpMetadata,
  buildSpMetadata,
} from '../src/core/build';
import { buildXml } from '../src/core/xml/build';
import { buildAuthnRequest, buildSamlResponse, encodeRedirect, type ResponseSpec } from '../src/core/build/response';

export const DEFAULT_GENERATION_DATE = '2026-11-29T00:00:00Z';

const DAY = 86_400_000;
const TENANT_ID = '4f1a9c2e-7b3d-4e8a-9c51-2d6b8e0f3a77';
const ENTRA_ENTITY_ID = `https://sts.windows.net/${TENANT_ID}/`;
const ENTRA_SAML_ENDPOINT = `https://login.microsoftonline.com/${TENANT_ID}/saml2`;
const SP_ENTITY_ID = 'https://www.upwork.com/upwork-enterprise';
const SP_ACS_URL = 'https://www.upwork.com/ab/account-security/saml/acs';
const SP_SIGN_ON_URL = 'https://www.upwork.com/ab/account-security/login';
const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const TEST_USER = 'B.Simon@contoso.com';

/** Throwaway keys: name → key type. Each is seeded by its name (sampleKeySeed). */
export const KEYS = {
  'entra-id-signing': { keyType: 'rsa', bits: 2048 },
  'upwork-enterprise-sp': { keyType: 'rsa', bits: 2048 },
  'partner-idp': { keyType: 'rsa', bits: 2048 },
  'legacy-idp-rsa-1024': { keyType: 'rsa', bits: 1024 },
  'modern-idp-ec-p256': { keyType: 'ec', curve: 'P-256' },
} as const satisfies Record<string, KeySpec>;
export type KeyName = keyof typeof KEYS;

export function sampleKeySeed(name: KeyName): string {
  return `saml-lens-samples/${name}`;
}

export const KEY_WARNING =
  'THROWAWAY TEST KEY for the SAML Lens samples. It is public on purpose: never use it for anything real.\n' +
  'Regenerate with `npm run samples`.\n';

export interface SampleOptions {
  /** The generation date every validity period is relative to. */
  readonly now: Date;
  /** Read keys from this directory (as written by a previous run) instead of generating them. */
  readonly keysDirectory?: string;
}

/** Relative path → file content. */
export type SampleFiles = Map<string, string>;

export function keyFile(name: KeyName): string {
  return `keys/${name}.throwaway-test-key.pem`;
}

function loadKeys(options: SampleOptions): Record<KeyName, string> {
  const keys = {} as Record<KeyName, string>;
  for (const [name, spec] of Object.entries(KEYS) as [KeyName, KeySpec][]) {
    keys[name] = options.keysDirectory
      ? readFileSync(join(options.keysDirectory, keyFile(name).slice('keys/'.length)), 'utf8').slice(KEY_WARNING.length)
      : generatePrivateKey(spec, sampleKeySeed(name));
  }
  return keys;
}

function idpMetadata(
  entityId: string,
  ssoUrl: string,
  signingCertificates: readonly string[],
  comment: string,
): string {
  const sso = (binding: string) => ({
    '@Binding': `urn:oasis:names:tc:SAML:2.0:bindings:${binding}`,
    '@Location': ssoUrl,
  });
  return buildXml(
    {
      '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
      '#comment': ` ${comment} `,
      'md:EntityDescriptor': {
        '@xmlns:md': 'urn:oasis:names:tc:SAML:2.0:metadata',
        '@xmlns:ds': 'http://www.w3.org/2000/09/xmldsig#',
        '@entityID': entityId,
        'md:IDPSSODescriptor': {
          '@protocolSupportEnumeration': 'urn:oasis:names:tc:SAML:2.0:protocol',
          '@WantAuthnRequestsSigned': 'false',
          'md:KeyDescriptor': signingCertificates.map((certificate) => ({
            '@use': 'signing',
            'ds:KeyInfo': { 'ds:X509Data': { 'ds:X509Certificate': certificate } },
          })),
          'md:NameIDFormat': 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
          'md:SingleSignOnService': [sso('HTTP-Redirect'), sso('HTTP-POST')],
        },
      },
    },
    { pretty: true },
  );
}

/** Wraps base64 at 64 columns like a PEM body, as many IdPs publish it inside X509Certificate. */
function wrapped(base64: string): string {
  return `\n            ${(base64.match(/.{1,64}/g) ?? []).join('\n            ')}\n          `;
}

export function generateSamples(options: SampleOptions): SampleFiles {
  const now = options.now;
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const yearsAfter = (date: Date, years: number) => {
    const later = new Date(date);
    later.setUTCFullYear(later.getUTCFullYear() + years);
    return later;
  };
  const keys = loadKeys(options);
  const files: SampleFiles = new Map();
  for (const name of Object.keys(KEYS) as KeyName[]) files.set(keyFile(name), KEY_WARNING + keys[name]);

  // --- Entra ID: the IdP of the reference scenario. Entra issues SAML signing certificates for 3 years.
  const entraCertificate = generateCertificate(KEYS['entra-id-signing'], {
    subject: { commonName: 'Microsoft Azure Federated SSO Certificate' },
    notBefore: at(-30),
    notAfter: yearsAfter(at(-30), 3),
    seed: 'saml-lens-samples/entra-id-signing',
    privateKeyPem: keys['entra-id-signing'],
  });
  files.set('entra-id/UpworkEnterprise.cer', entraCertificate.certificatePem);
  files.set(
    'entra-id/UpworkEnterprise-FederationMetadata.xml',
    buildIdpMetadata({
      tenantId: TENANT_ID,
      signingCertificates: [entraCertificate.certificateBase64],
      signWith: { privateKeyPem: keys['entra-id-signing'], certificatePem: entraCertificate.certificatePem },
    }),
  );

  // --- Upwork Enterprise: the SP.
  const spCertificate = generateCertificate(KEYS['upwork-enterprise-sp'], {
    subject: { commonName: 'www.upwork.com', organization: 'Upwork Enterprise (sample)' },
    notBefore: at(-30),
    notAfter: at(-30 + 2 * 365),
    seed: 'saml-lens-samples/upwork-enterprise-sp',
    privateKeyPem: keys['upwork-enterprise-sp'],
  });
  files.set('upwork-enterprise/sp-certificate.pem', spCertificate.certificatePem);
  files.set(
    'upwork-enterprise/sp-metadata.xml',
    buildSpMetadata({
      entityId: SP_ENTITY_ID,
      acsUrls: [SP_ACS_URL],
      sloUrl: 'https://www.upwork.com/ab/account-security/saml/logout',
      nameIdFormat: EMAIL_NAME_ID,
      certificate: spCertificate.certificateBase64,
      serviceName: 'Upwork Enterprise',
      wantAssertionsSigned: true,
      requestedAttributes: [
        { name: 'FirstName', friendlyName: 'user.givenname', isRequired: true },
        { name: 'LastName', friendlyName: 'user.surname', isRequired: true },
        { name: 'Country', friendlyName: 'user.country', isRequired: true },
        { name: 'Email', friendlyName: 'user.userprincipalname', isRequired: true },
      ],
      organization: {
        name: 'Upwork Enterprise (sample)',
        displayName: 'Upwork Enterprise',
        url: 'https://www.upwork.com/',
      },
    }),
  );

  // --- Certificates that trigger each certificate diagnostic.
  const partner = (name: string, spec: { notBefore: Date; notAfter: Date; signatureAlgorithm?: 'sha1' }) =>
    generateCertificate(KEYS['partner-idp'], {
      subject: { commonName: `idp.partner.example (${name})`, organization: 'Partner Example' },
      seed: `saml-lens-samples/partner-idp/${name}`,
      privateKeyPem: keys['partner-idp'],
      ...spec,
    });
  const expiringSoon = partner('expiring soon', { notBefore: at(-365 * 2 + 20), notAfter: at(20) });
  files.set('certificates/partner-idp-expiring-soon.pem', expiringSoon.certificatePem);
  files.set(
    'certificates/partner-idp-expiring-soon.xml',
    idpMetadata(
      'https://idp.partner.example/saml',
      'https://idp.partner.example/saml/sso',
      [wrapped(expiringSoon.certificateBase64)],
      'Signing certificate expires 20 days after the generation date.',
    ),
  );

  const expired = partner('expired', { notBefore: at(-365 - 45), notAfter: at(-45) });
  files.set('certificates/partner-idp-expired.pem', expired.certificatePem);
  files.set(
    'certificates/partner-idp-expired.xml',
    idpMetadata(
      'https://idp.partner.example/saml',
      'https://idp.partner.example/saml/sso',
      [expired.certificateBase64],
      'Signing certificate expired 45 days before the generation date.',
    ),
  );

  const next = partner('next, rollover', { notBefore: at(10), notAfter: at(10 + 2 * 365) });
  files.set(
    'certificates/partner-idp-rollover-not-yet-valid.xml',
    idpMetadata(
      'https://idp.partner.example/saml',
      'https://idp.partner.example/saml/sso',
      [expiringSoon.certificateBase64, next.certificateBase64],
      'Certificate rollover: the current certificate expires in 20 days; the next one becomes valid in 10 days.',
    ),
  );

  const sha1 = partner('sha1-signed', {
    notBefore: at(-100),
    notAfter: at(-100 + 3 * 365),
    signatureAlgorithm: 'sha1',
  });
  files.set('certificates/partner-idp-sha1-signed.pem', sha1.certificatePem);
  files.set(
    'certificates/partner-idp-sha1-signed.xml',
    idpMetadata(
      'https://idp.partner.example/saml',
      'https://idp.partner.example/saml/sso',
      [sha1.certificateBase64],
      'The certificate itself is signed with sha1WithRSAEncryption.',
    ),
  );

  const weak = generateCertificate(KEYS['legacy-idp-rsa-1024'], {
    subject: { commonName: 'legacy-idp.example.org', organization: 'Legacy Example' },
    notBefore: at(-200),
    notAfter: at(-200 + 5 * 365),
    seed: 'saml-lens-samples/legacy-idp-rsa-1024',
    privateKeyPem: keys['legacy-idp-rsa-1024'],
  });
  files.set('certificates/legacy-idp-rsa-1024.pem', weak.certificatePem);
  files.set(
    'certificates/legacy-idp-rsa-1024.xml',
    idpMetadata(
      'https://legacy-idp.example.org/idp/shibboleth',
      'https://legacy-idp.example.org/idp/profile/SAML2/Redirect/SSO',
      [weak.certificateBase64],
      'RSA key of only 1024 bits.',
    ),
  );

  const ec = generateCertificate(KEYS['modern-idp-ec-p256'], {
    subject: { commonName: 'modern-idp.example.net', organization: 'Modern Example' },
    notBefore: at(-10),
    notAfter: at(-10 + 365),
    dnsNames: ['modern-idp.example.net'],
    seed: 'saml-lens-samples/modern-idp-ec-p256',
    privateKeyPem: keys['modern-idp-ec-p256'],
  });
  files.set('certificates/modern-idp-ec-p256.pem', ec.certificatePem);
  files.set(
    'certificates/modern-idp-ec-p256.xml',
    idpMetadata(
      'https://modern-idp.example.net/saml2',
      'https://modern-idp.example.net/saml2/sso',
      [ec.certificateBase64],
      'EC P-256 key, ecdsa-with-SHA256: valid and healthy.',
    ),
  );

  // A character that is not base64 ("%") replaces one in the middle, as a bad copy-paste would.
  const broken = `${expired.certificateBase64.slice(0, 300)}%${expired.certificateBase64.slice(301, 900)}`;
  files.set(
    'certificates/broken-base64.xml',
    idpMetadata(
      'https://idp.partner.example/saml',
      'https://idp.partner.example/saml/sso',
      [broken],
      'The certificate text has a non-base64 character and is cut short.',
    ),
  );
  files.set(
    'certificates/double-encoded-pem.xml',
    idpMetadata(
      'https://idp.partner.example/saml',
      'https://idp.partner.example/saml/sso',
      [Buffer.from(expiringSoon.certificatePem).toString('base64')],
      'X509Certificate holds the base64 of a whole PEM file (encoded twice).',
    ),
  );

  // --- Responses from Entra ID for B.Simon, signed at the assertion (Entra's default).
  const response = (overrides: Partial<ResponseSpec>) =>
    `${Buffer.from(
      buildSamlResponse({
        issuer: ENTRA_ENTITY_ID,
        destination: SP_ACS_URL,
        recipient: SP_ACS_URL,
        audience: SP_ENTITY_ID,
        nameId: TEST_USER,
        nameIdFormat: EMAIL_NAME_ID,
        attributes: [
          { name: 'FirstName', values: ['B'] },
          { name: 'LastName', values: ['Simon'] },
          { name: 'Country', values: ['United States'] },
          { name: 'Email', values: [TEST_USER] },
        ],
        // Conditions span 10 years so the sample stays valid long after it was generated.
        issueInstant: now,
        notBefore: at(-5 / (24 * 60)),
        notOnOrAfter: yearsAfter(now, 10),
        signResponse: false,
        signAssertion: true,
        privateKeyPem: keys['entra-id-signing'],
        certificatePem: entraCertificate.certificatePem,
        ...overrides,
      }),
    ).toString('base64')}\n`;
  files.set('responses/b.simon-valid.saml.txt', response({}));
  files.set(
    'responses/b.simon-expired.saml.txt',
    // Entra's usual lifetime: valid from 5 minutes before issue until 1 hour after; issued 2 days ago.
    response({
      issueInstant: at(-2),
      notBefore: new Date(at(-2).getTime() - 5 * 60_000),
      notOnOrAfter: new Date(at(-2).getTime() + 3_600_000),
    }),
  );
  files.set('responses/b.simon-wrong-audience.saml.txt', response({ audience: 'https://www.upwork.com' }));

  // --- SP-initiated sign-on: the AuthnRequest Upwork sends to Entra (HTTP-Redirect), signed with the
  // SP key as its metadata's AuthnRequestsSigned="true" promises (RSA PKCS#1 v1.5 is deterministic).
  const authnRequest = buildAuthnRequest({
    id: '_upwork-enterprise-authn-request-1',
    issuer: SP_ENTITY_ID,
    destination: ENTRA_SAML_ENDPOINT,
    assertionConsumerServiceUrl: SP_ACS_URL,
    issueInstant: now,
    nameIdFormat: EMAIL_NAME_ID,
  });
  files.set(
    'requests/upwork-enterprise-authn-request.redirect-url.txt',
    `${encodeRedirect(
      authnRequest,
      { destination: ENTRA_SAML_ENDPOINT, parameter: 'SAMLRequest', relayState: SP_SIGN_ON_URL },
      { privateKeyPem: keys['upwork-enterprise-sp'] },
    )}\n`,
  );

  files.set('README.md', readme(now));
  return files;
}

function readme(now: Date): string {
  const date = now.toISOString().slice(0, 10);
  return `# SAML Lens sample workspace

Generated by \`npm run samples\` (scripts/generate-samples.ts) for the generation date **${date}**.
Everything here is made up and signed with throwaway keys; regenerate rather than edit: signed XML
stops verifying when a single byte changes. Regenerating with the same date gives byte-identical files,
keys included (they come from fixed seeds; the pure-JavaScript RSA key generation takes a minute).
\`npm run samples -- --keys samples/keys\` reuses the committed keys and takes seconds.

## The scenario

Microsoft Entra ID (tenant \`${TENANT_ID}\`, a made-up ID) is the identity provider for
**Upwork Enterprise**, the service provider. The test user is **${TEST_USER}**. The SP expects:

| SAML attribute | Entra ID source |
|---|---|
| FirstName | user.givenname |
| LastName | user.surname |
| Country | user.country |
| Email | user.userprincipalname |

The SP's entityID (Entra calls it *Identifier*) is \`${SP_ENTITY_ID}\`: an illustrative value; the real
one comes from the SP's own SAML setup page. Reply URL (ACS): \`${SP_ACS_URL}\`;
sign-on URL: \`${SP_SIGN_ON_URL}\`.

## Files

| File | What it shows |
|---|---|
| entra-id/UpworkEnterprise-FederationMetadata.xml | The IdP's Federation Metadata as Entra ID publishes it for the app: WS-Federation RoleDescriptors plus the IDPSSODescriptor; the whole document is signed (enveloped, RSA-SHA256, exclusive c14n). Signing certificate valid for 3 years. |
| entra-id/UpworkEnterprise.cer | The same signing certificate as Entra's "Certificate (Base64)" download. |
| upwork-enterprise/sp-metadata.xml | The SP's metadata: ACS, logout, emailAddress NameID, and the four required attributes. |
| upwork-enterprise/sp-certificate.pem | The SP's signing/encryption certificate. |
| certificates/partner-idp-expiring-soon.xml / .pem | A signing certificate that expires 20 days after the generation date: an "expires soon" warning. The base64 is wrapped and indented, as many IdPs publish it. |
| certificates/partner-idp-expired.xml / .pem | A certificate that expired 45 days before the generation date. |
| certificates/partner-idp-rollover-not-yet-valid.xml | A rollover in progress: the current certificate (expires in 20 days) next to the next one (valid from 10 days after the generation date). |
| certificates/partner-idp-sha1-signed.xml / .pem | A certificate signed with sha1WithRSAEncryption. |
| certificates/legacy-idp-rsa-1024.xml / .pem | An RSA key of only 1024 bits. |
| certificates/modern-idp-ec-p256.xml / .pem | A healthy EC P-256 certificate (ecdsa-with-SHA256): no findings. |
| certificates/broken-base64.xml | Certificate text with a non-base64 character, cut short: "not valid base64". |
| certificates/double-encoded-pem.xml | X509Certificate holding the base64 of a whole PEM file: the "encoded twice" error. |
| responses/b.simon-valid.saml.txt | The SAMLResponse (base64, as posted to the ACS) for B.Simon with the four attributes; the assertion is signed by the Entra key above. |
| responses/b.simon-expired.saml.txt | The same, issued 2 days before the generation date with Entra's usual one-hour lifetime: rejected as expired. |
| responses/b.simon-wrong-audience.saml.txt | The same, but for the audience \`https://www.upwork.com\` (an Identifier typed without its path): rejected for the audience. |
| requests/upwork-enterprise-authn-request.redirect-url.txt | The SP-initiated sign-on: an AuthnRequest in an HTTP-Redirect URL to Entra's SAML endpoint, with the sign-on URL as RelayState, signed with the SP's key (its metadata says \`AuthnRequestsSigned="true"\`). |
| keys/*.throwaway-test-key.pem | The private keys of every sample certificate. **Throwaway test keys, public on purpose: never use them for anything real.** They are kept so that samples regenerate identically and so that encrypted samples can be decrypted. |

## Why the valid response stays valid for 10 years

A real assertion from Entra ID is valid for about an hour. The valid sample's Conditions run from
5 minutes before the generation date to 10 years after it, so that the sample still decodes as
*valid* whenever someone opens it, without regenerating. Every other date in this folder (certificate
expiry, the expired response) is relative to the generation date, so certificate warnings change
as time passes; run \`npm run samples -- --now <date>\` to move them.
`;
}

function parseArguments(argv: readonly string[]): { now: Date; out: string; keysDirectory?: string } {
  let now = new Date(DEFAULT_GENERATION_DATE);
  let out = resolve(__dirname, '..', 'samples');
  let keysDirectory: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--now' && value) {
      now = new Date(value);
      if (Number.isNaN(now.getTime()))
        throw new Error(`--now expects an ISO date such as 2026-11-29T00:00:00Z, got ${JSON.stringify(value)}.`);
      i++;
    } else if (argv[i] === '--out' && value) {
      out = resolve(value);
      i++;
    } else if (argv[i] === '--keys' && value) {
      keysDirectory = resolve(value);
      i++;
    } else {
      throw new Error(
        `Unknown argument ${JSON.stringify(argv[i])}. Use --now <ISO date>, --out <directory>, --keys <directory of existing keys>.`,
      );
    }
  }
  return { now, out, keysDirectory };
}

export function writeSamples(files: SampleFiles, out: string): void {
  for (const [relativePath, content] of files) {
    const path = join(out, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

if (require.main === module) {
  try {
    const { now, out, keysDirectory } = parseArguments(process.argv.slice(2));
    const files = generateSamples({ now, keysDirectory });
    writeSamples(files, out);
    console.log(`Wrote ${files.size} files to ${out} for the generation date ${now.toISOString()}.`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
