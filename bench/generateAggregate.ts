/**
 * Writes a synthetic federation aggregate for the metadata benchmarks: bench/out/aggregate.xml.
 *
 *   npx tsx bench/generateAggregate.ts [--entities 12000] [--out bench/out/aggregate.xml]
 *
 * Deterministic: the RSA keys come from a seeded generator and RSA PKCS#1 v1.5 signatures are
 * deterministic, so the same arguments always give the same bytes. A third of the entities are
 * IdPs, the rest SPs. Every entity gets its own real, parseable certificate (distinct serial,
 * subject and validity; some expired, some expiring around 2026-12, most valid for years),
 * issued by a bench CA. Keys are generated once; only the to-be-signed parts differ, and they are
 * signed with Node's crypto, which keeps generation of 12,000 certificates to a few seconds.
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import forge from 'node-forge';

interface Options {
  entities: number;
  out: string;
}

function parseArguments(argv: string[]): Options {
  const options: Options = { entities: 12_000, out: resolve(__dirname, 'out', 'aggregate.xml') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--entities') {
      const count = Number(argv[++i]);
      if (!Number.isInteger(count) || count < 1)
        throw new Error(`--entities needs a positive whole number, got "${argv[i]}"`);
      options.entities = count;
    } else if (argv[i] === '--out') {
      options.out = resolve(argv[++i] ?? '');
    } else {
      throw new Error(`unknown argument "${argv[i]}"; use --entities N and --out FILE`);
    }
  }
  return options;
}

/** A forge PRNG fed from SHA-256 in counter mode over a fixed seed, so key generation repeats exactly. */
function seededPrng(seed: string): forge.random.Random {
  const prng = forge.random.createInstance();
  let counter = 0;
  prng.seedFileSync = (needed: number) => {
    let bytes = '';
    while (bytes.length < needed) {
      bytes += createHash('sha256').update(`${seed}:${counter++}`).digest('binary');
    }
    return bytes.slice(0, needed);
  };
  return prng;
}

function generateKeyPair(seed: string): forge.pki.rsa.KeyPair {
  return forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001, prng: seededPrng(seed), algorithm: 'PRIMEINC' });
}

const DAY_MS = 24 * 60 * 60 * 1000;
const BASE_DATE = Date.UTC(2024, 0, 1);

/** Validity spread: 10 % expired, 5 % expiring in Nov–Dec 2026, the rest valid until 2030–2035. */
function validityFor(index: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(BASE_DATE - (index % 700) * DAY_MS);
  let notAfter: Date;
  if (index % 10 === 3) notAfter = new Date(Date.UTC(2025, 0, 1) + (index % 300) * DAY_MS);
  else if (index % 20 === 7) notAfter = new Date(Date.UTC(2026, 10, 1) + (index % 60) * DAY_MS);
  else notAfter = new Date(Date.UTC(2030, 0, 1) + (index % 1800) * DAY_MS);
  return { notBefore, notAfter };
}

function makeCertificateFactory() {
  const caKeys = generateKeyPair('saml-lens bench CA');
  const subjectKeys = [generateKeyPair('saml-lens bench subject 1'), generateKeyPair('saml-lens bench subject 2')];
  const caPrivateKey = createPrivateKey(forge.pki.privateKeyToPem(caKeys.privateKey));
  const issuer = [
    { name: 'countryName', value: 'SE' },
    { name: 'organizationName', value: 'Bench Federation' },
    { name: 'commonName', value: 'Bench Federation Issuing CA' },
  ];

  /** Base64 DER of a certificate for `host`, wrapped at 64 columns like most metadata. */
  return (index: number, host: string): string => {
    const cert = forge.pki.createCertificate();
    cert.publicKey = subjectKeys[index % subjectKeys.length].publicKey;
    cert.serialNumber = (0x100000 + index).toString(16);
    const { notBefore, notAfter } = validityFor(index);
    cert.validity.notBefore = notBefore;
    cert.validity.notAfter = notAfter;
    cert.setSubject([
      { name: 'countryName', value: 'SE' },
      { name: 'organizationName', value: `Member ${index}` },
      { name: 'commonName', value: host },
    ]);
    cert.setIssuer(issuer);
    // Same steps as forge's cert.sign, but the RSA signature comes from Node's crypto (much faster).
    cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
    // getTBSCertificate exists in node-forge but is missing from its type definitions.
    const { getTBSCertificate } = forge.pki as unknown as {
      getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1;
    };
    const tbs = forge.asn1.toDer(getTBSCertificate(cert)).getBytes();
    cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), caPrivateKey).toString('binary');
    const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
    return Buffer.from(der, 'binary').toString('base64').replace(/.{64}/g, '$&\n');
  };
}

const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  artifact: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact',
  soap: 'urn:oasis:names:tc:SAML:2.0:bindings:SOAP',
};

function keyDescriptor(use: string, certificate: string, indent: string): string {
  return `${indent}<md:KeyDescriptor use="${use}">
${indent}  <ds:KeyInfo>
${indent}    <ds:X509Data>
${indent}      <ds:X509Certificate>
${certificate.trimEnd()}
${indent}      </ds:X509Certificate>
${indent}    </ds:X509Data>
${indent}  </ds:KeyInfo>
${indent}</md:KeyDescriptor>
`;
}

function uiInfo(index: number, host: string, kind: string): string {
  return `      <mdui:UIInfo>
        <mdui:DisplayName xml:lang="en">${kind} number ${index} &amp; friends</mdui:DisplayName>
        <mdui:Logo height="64" width="64">https://${host}/logo.png</mdui:Logo>
        <mdui:InformationURL xml:lang="en">https://${host}/about</mdui:InformationURL>
        <mdui:PrivacyStatementURL xml:lang="en">https://${host}/privacy</mdui:PrivacyStatementURL>
      </mdui:UIInfo>
`;
}

function idpEntity(index: number, certificate: string): string {
  const host = `idp${index}.members.example.org`;
  return `  <md:EntityDescriptor entityID="https://${host}/idp/shibboleth">
    <md:Extensions>
      <mdrpi:RegistrationInfo registrationAuthority="https://federation.example.org" registrationInstant="2024-01-01T00:00:00Z"/>
      <mdattr:EntityAttributes>
        <saml:Attribute Name="http://macedir.org/entity-category-support" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">
          <saml:AttributeValue>http://refeds.org/category/research-and-scholarship</saml:AttributeValue>
        </saml:Attribute>
      </mdattr:EntityAttributes>
    </md:Extensions>
    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:Extensions>
        <shibmd:Scope regexp="false">members${index}.example.org</shibmd:Scope>
${uiInfo(index, host, 'Identity provider')}      </md:Extensions>
${keyDescriptor('signing', certificate, '      ')}      <md:ArtifactResolutionService Binding="${BINDING.soap}" Location="https://${host}:8443/idp/profile/SAML2/SOAP/ArtifactResolution" index="1"/>
      <md:SingleLogoutService Binding="${BINDING.redirect}" Location="https://${host}/idp/profile/SAML2/Redirect/SLO"/>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
      <md:SingleSignOnService Binding="${BINDING.redirect}" Location="https://${host}/idp/profile/SAML2/Redirect/SSO"/>
      <md:SingleSignOnService Binding="${BINDING.post}" Location="https://${host}/idp/profile/SAML2/POST/SSO"/>
    </md:IDPSSODescriptor>
${organizationAndContacts(index, host)}  </md:EntityDescriptor>
`;
}

function spEntity(index: number, certificate: string): string {
  const host = `sp${index}.members.example.org`;
  return `  <md:EntityDescriptor entityID="https://${host}/shibboleth">
    <md:Extensions>
      <mdrpi:RegistrationInfo registrationAuthority="https://federation.example.org" registrationInstant="2024-01-01T00:00:00Z"/>
    </md:Extensions>
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
      <md:Extensions>
        <idpdisc:DiscoveryResponse Binding="urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol" Location="https://${host}/Shibboleth.sso/Login" index="1"/>
${uiInfo(index, host, 'Service')}      </md:Extensions>
${keyDescriptor('signing', certificate, '      ')}      <md:SingleLogoutService Binding="${BINDING.redirect}" Location="https://${host}/Shibboleth.sso/SLO/Redirect"/>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
      <md:AssertionConsumerService Binding="${BINDING.post}" Location="https://${host}/Shibboleth.sso/SAML2/POST" index="0" isDefault="true"/>
      <md:AssertionConsumerService Binding="${BINDING.artifact}" Location="https://${host}/Shibboleth.sso/SAML2/Artifact" index="1"/>
      <md:AttributeConsumingService index="0" isDefault="true">
        <md:ServiceName xml:lang="en">Service ${index}</md:ServiceName>
        <md:RequestedAttribute FriendlyName="mail" Name="urn:oid:0.9.2342.19200300.100.1.3" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" isRequired="true"/>
        <md:RequestedAttribute FriendlyName="eduPersonPrincipalName" Name="urn:oid:1.3.6.1.4.1.5923.1.1.1.6" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" isRequired="true"/>
      </md:AttributeConsumingService>
    </md:SPSSODescriptor>
${organizationAndContacts(index, host)}  </md:EntityDescriptor>
`;
}

function organizationAndContacts(index: number, host: string): string {
  return `    <md:Organization>
      <md:OrganizationName xml:lang="en">Member ${index}</md:OrganizationName>
      <md:OrganizationURL xml:lang="en">https://${host}/</md:OrganizationURL>
    </md:Organization>
    <md:ContactPerson contactType="technical">
      <md:GivenName>Tech</md:GivenName>
      <md:SurName>Contact ${index}</md:SurName>
      <md:EmailAddress>mailto:tech@${host}</md:EmailAddress>
    </md:ContactPerson>
`;
}

export function generateAggregate(entityCount: number): string {
  const certificateFor = makeCertificateFactory();
  const parts: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" xmlns:mdrpi="urn:oasis:names:tc:SAML:metadata:rpi" xmlns:mdattr="urn:oasis:names:tc:SAML:metadata:attribute" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0" xmlns:idpdisc="urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol" Name="https://federation.example.org/bench" validUntil="2027-01-01T00:00:00Z" cacheDuration="PT6H">
`,
  ];
  for (let index = 0; index < entityCount; index++) {
    const isIdp = index % 3 === 0;
    const host = isIdp ? `idp${index}.members.example.org` : `sp${index}.members.example.org`;
    const certificate = certificateFor(index, host);
    parts.push(isIdp ? idpEntity(index, certificate) : spEntity(index, certificate));
  }
  parts.push('</md:EntitiesDescriptor>\n');
  return parts.join('');
}

// Only when run as a script itself, not when bundled into the benchmark (where require.main is the bundle).
if (require.main === module && /generateAggregate\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  try {
    const options = parseArguments(process.argv.slice(2));
    const started = performance.now();
    const xml = generateAggregate(options.entities);
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, xml);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Wrote ${options.out}: ${options.entities} entities, ${(Buffer.byteLength(xml) / 1e6).toFixed(1)} MB in ${seconds} s`,
    );
  } catch (error) {
    console.error(`generateAggregate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
