// The smoke cases for the peer drivers: the Entra ID → Upwork reference response, built with the
// project's own response builder and a throwaway IdP key, in the variants SPs most often disagree on
// or must all reject. Times are relative to `now` (the libraries read the system clock).
//
// By hand: node --import tsx test/peers/smokeCases.ts > /tmp/cases.json
// then give that file to any driver (see the README's Test section).
import * as crypto from 'crypto';
import { generateCertificate } from '../../src/core/build/certificate';
import { buildSamlResponse, type ResponseSpec } from '../../src/core/build/response';
import { ACS_URL, IDP_ENTITY_ID, REQUEST_ID, SP_ENTITY_ID, baseSpec } from '../fixtures/builder/responses';
import type { PeerCase } from './cases';

export interface SmokeCase {
  peer: PeerCase;
  /** The Response XML, for SAML Lens's own validator. */
  xml: string;
  title: string;
}

export const SMOKE_CASE_IDS = [
  'assertion-signed',
  'response-signed',
  'both-signed',
  'unsigned',
  'expired',
  'wrong-audience',
  'sha1-signed',
  'assertion-signed-sp-options',
] as const;
export type SmokeCaseId = (typeof SMOKE_CASE_IDS)[number];

/**
 * A throwaway IdP key pair. Node's crypto makes the RSA key (native, a fraction of a second even on a
 * busy machine, where node-forge's pure-JS key generation can take tens of seconds); the project's
 * certificate builder certifies it.
 */
function makeIdpKeyPair(): { privateKeyPem: string; certificatePem: string } {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return generateCertificate(
    { keyType: 'rsa', bits: 2048 },
    {
      subject: { commonName: 'Microsoft Azure Federated SSO Certificate' },
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2035-01-01T00:00:00Z'),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  );
}

export function buildSmokeCases(now: Date = new Date()): Map<SmokeCaseId, SmokeCase> {
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const current: Partial<ResponseSpec> = {
    issueInstant: at(-1),
    notBefore: at(-6),
    notOnOrAfter: at(59),
    sessionNotOnOrAfter: at(8 * 60),
  };
  const keys = makeIdpKeyPair();
  const both = { signResponse: true, signAssertion: true };
  const variants: Record<SmokeCaseId, { title: string; spec: Partial<ResponseSpec>; options?: PeerCase['options'] }> = {
    'assertion-signed': { title: 'signed on the Assertion only (Entra ID default)', spec: {} },
    'response-signed': { title: 'signed on the Response only', spec: { signResponse: true, signAssertion: false } },
    'both-signed': { title: 'signed on the Response and the Assertion', spec: both },
    unsigned: { title: 'not signed', spec: { signResponse: false, signAssertion: false } },
    expired: {
      title: 'NotOnOrAfter 10 minutes ago (both signed)',
      spec: { ...both, issueInstant: at(-70), notBefore: at(-75), notOnOrAfter: at(-10) },
    },
    'wrong-audience': {
      title: 'Audience of another SP (both signed)',
      spec: { ...both, audience: 'https://sp.example.org/saml' },
    },
    'sha1-signed': {
      title: 'rsa-sha1 signatures and sha1 digests (both signed)',
      spec: { ...both, signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' },
    },
    // The settings SPs change for an assertion-only signature, so the options reach each library.
    'assertion-signed-sp-options': {
      title: 'signed on the Assertion only, SP settings changed',
      spec: {},
      options: {
        'node-saml': { wantAuthnResponseSigned: false },
        samlify: { clockDrifts: [-60_000, 60_000] },
        'python3-saml': { security: { wantMessagesSigned: true } },
        'ruby-saml': { security: { want_assertions_signed: true } },
      },
    },
  };
  const cases = new Map<SmokeCaseId, SmokeCase>();
  for (const [index, id] of SMOKE_CASE_IDS.entries()) {
    const { title, spec, options } = variants[id];
    const xml = buildSamlResponse(
      baseSpec({
        ...current,
        responseId: `_resp-smoke-${index}`,
        assertionId: `_assert-smoke-${index}`,
        privateKeyPem: keys.privateKeyPem,
        certificatePem: keys.certificatePem,
        ...spec,
      }),
    );
    cases.set(id, {
      title,
      xml,
      peer: {
        id,
        responseBase64: Buffer.from(xml, 'utf8').toString('base64'),
        idpCertificatePem: keys.certificatePem,
        idpEntityId: IDP_ENTITY_ID,
        spEntityId: SP_ENTITY_ID,
        acsUrl: ACS_URL,
        requestId: REQUEST_ID,
        ...(options && { options }),
      },
    });
  }
  return cases;
}

if (require.main === module) {
  process.stdout.write(
    `${JSON.stringify(
      [...buildSmokeCases().values()].map((c) => c.peer),
      null,
      2,
    )}\n`,
  );
}
