// predictLibraryVerdicts as the panel and the command line call it: the verdict, the library's own
// message, the setting that would change the outcome, and the plain warning when a library accepts
// what SAML Lens rejects. (Agreement with the real libraries: peers.matrix.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictLibraryVerdicts } from '../../src/core/libraries';
import { validateResponse, type ValidationContext } from '../../src/core/validate';
import { attackContext } from '../fixtures/attacks/catalogue';
import { IDP_ENTITY_ID, buildResponse } from '../fixtures/builder/responses';

const context: ValidationContext = { ...attackContext(), idpEntityId: IDP_ENTITY_ID };
const verdictsFor = (xml: string, settings = {}) =>
  new Map(predictLibraryVerdicts(xml, validateResponse(xml, context), context, settings).map((v) => [v.library, v]));

test("Entra ID's default (assertion-only signature): node-saml rejects, and says which option accepts it", () => {
  const verdicts = verdictsFor(buildResponse());
  const nodeSaml = verdicts.get('node-saml')!;
  assert.equal(nodeSaml.outcome, 'rejected');
  assert.equal(nodeSaml.message, 'Invalid document signature');
  assert.equal(nodeSaml.version, '5.1.0');
  assert.deepEqual(
    nodeSaml.changes.find((c) => c.option === 'wantAuthnResponseSigned'),
    { option: 'wantAuthnResponseSigned', value: false, outcome: 'would accept this' },
  );
  for (const library of ['samlify', 'python3-saml', 'ruby-saml'] as const)
    assert.equal(verdicts.get(library)!.outcome, 'accepted', library);
});

test('a library that accepts what SAML Lens rejects says so, naming the findings', () => {
  const verdicts = verdictsFor(buildResponse({ audience: 'https://sp.other.example/' }));
  assert.deepEqual(verdicts.get('samlify')!.acceptsWhatSamlLensRejects, ['audience.mismatch']);
  assert.equal(verdicts.get('samlify')!.outcome, 'accepted');
  assert.equal(verdicts.get('ruby-saml')!.acceptsWhatSamlLensRejects, undefined);
  assert.match(verdicts.get('ruby-saml')!.message, /^Invalid Audience\. The audience https:\/\/sp\.other\.example\//);
});

test("options override the library's defaults; only the libraries asked for are judged", () => {
  const verdicts = verdictsFor(buildResponse(), {
    libraries: ['node-saml', 'python3-saml'],
    options: {
      'node-saml': { wantAuthnResponseSigned: false },
      'python3-saml': { 'security.wantMessagesSigned': true },
    },
  });
  assert.deepEqual([...verdicts.keys()], ['node-saml', 'python3-saml']);
  assert.equal(verdicts.get('node-saml')!.outcome, 'accepted');
  assert.equal(
    verdicts.get('python3-saml')!.message,
    'The Message of the Response is not signed and the SP require it',
  );
});

test('a DOCTYPE: python3-saml refuses it; what the others do is unknown, and the verdict says why', () => {
  const xml = buildResponse().replace('<samlp:Response', '<!DOCTYPE Response><samlp:Response');
  const verdicts = verdictsFor(xml);
  assert.equal(verdicts.get('python3-saml')!.outcome, 'rejected');
  assert.equal(verdicts.get('python3-saml')!.match, 'prefix');
  assert.equal(verdicts.get('ruby-saml')!.outcome, 'unknown');
  assert.match(verdicts.get('ruby-saml')!.check ?? '', /DOCTYPE/);
});

test('requests and logout messages get no library verdicts', () => {
  const report = validateResponse(buildResponse(), context);
  assert.deepEqual(predictLibraryVerdicts('', { ...report, messageType: 'AuthnRequest' }, context), []);
});

test('settings SAML Lens was not given are taken from the message, and each verdict says so', () => {
  const xml = buildResponse();
  const bare: ValidationContext = {
    now: context.now,
    trustedCertificates: context.trustedCertificates.map(({ entityId: _, ...t }) => t),
  };
  const [python] = predictLibraryVerdicts(xml, validateResponse(xml, bare), bare, { libraries: ['python3-saml'] });
  assert.equal(python.outcome, 'accepted', python.message);
  assert.deepEqual(python.assumed, [
    `IdP entityID: the message's Issuer, ${IDP_ENTITY_ID} (no IdP metadata names it)`,
    "SP entityID: the message's Audience, https://www.upwork.com (no SP was chosen)",
    'ACS URL: where the message says it is sent, https://www.upwork.com/ab/account-security/login (no ACS URL was given)',
  ]);
});
