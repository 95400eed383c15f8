// Differential smoke test against the real SP libraries (node-saml, samlify, python3-saml,
// ruby-saml; see test/peers/). Each library's verdict and message on the reference response and its
// usual variants is asserted as that library's documented behaviour with its default settings, so a
// library upgrade that changes a verdict shows up here. These cases run on the real clock (the matrix
// test moves each library's clock to a fixed instant), and SAML Lens's model of each library must
// predict the same verdict and message here too; SAML Lens's own verdict is printed beside them.
//
// A library that is not installed is skipped with the reason; with CI=true or
// SAML_LENS_REQUIRE_ALL=1 it fails the run instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictLibraryVerdicts } from '../../src/core/libraries';
import { validateResponse, type ValidationContext } from '../../src/core/validate';
import { modelOptions } from '../peers/predictions';
import { PEER_LIBRARIES, type PeerLibrary } from '../peers/cases';
import { runPeers } from '../peers/run';
import { buildSmokeCases, type SmokeCaseId } from '../peers/smokeCases';

type Expected = true | string | RegExp;

const SIGNATURE_MISSING_PYTHON = 'No Signature found. SAML Response rejected';
const SIGNATURE_MISSING_RUBY = 'Found an unexpected number of Signature Element. SAML Response rejected';

/** true: accepted; a string: rejected with exactly this message; a RegExp: rejected with a matching one. */
const EXPECTED: Record<SmokeCaseId, Record<PeerLibrary, Expected>> = {
  // node-saml 5 defaults to wantAuthnResponseSigned: true and wantAssertionsSigned: true, so it
  // rejects Entra ID's default (assertion-only) signing, and a Response-only signature too.
  'assertion-signed': {
    'node-saml': 'Invalid document signature',
    samlify: true,
    'python3-saml': true,
    'ruby-saml': true,
  },
  'response-signed': { 'node-saml': 'Invalid signature', samlify: true, 'python3-saml': true, 'ruby-saml': true },
  'both-signed': { 'node-saml': true, samlify: true, 'python3-saml': true, 'ruby-saml': true },
  unsigned: {
    'node-saml': 'Invalid document signature',
    samlify: 'FAILED_TO_VERIFY_SIGNATURE',
    'python3-saml': SIGNATURE_MISSING_PYTHON,
    'ruby-saml': SIGNATURE_MISSING_RUBY,
  },
  // node-saml checks SubjectConfirmationData's NotOnOrAfter (same instant) before Conditions.
  expired: {
    'node-saml': 'No valid subject confirmation found among those available in the SAML assertion',
    samlify: 'ERR_SUBJECT_UNCONFIRMED',
    'python3-saml': 'Could not validate timestamp: expired. Check system clock.',
    'ruby-saml': /^Current time is on or after NotOnOrAfter condition \(.+ UTC >= .+ UTC \+ 1s\)$/,
  },
  // samlify 2 leaves the Audience to the application: parseLoginResponse accepts another SP's assertion.
  'wrong-audience': {
    'node-saml':
      'SAML assertion audience mismatch. Expected: https://www.upwork.com Received: https://sp.example.org/saml',
    samlify: true,
    'python3-saml': 'https://www.upwork.com is not a valid audience for this Response',
    'ruby-saml':
      'Invalid Audience. The audience https://sp.example.org/saml, did not match the expected audience https://www.upwork.com',
  },
  // None of these versions refuses SHA-1 by default (python3-saml 1.12 predates rejectDeprecatedAlgorithm).
  'sha1-signed': { 'node-saml': true, samlify: true, 'python3-saml': true, 'ruby-saml': true },
  // node-saml with wantAuthnResponseSigned: false takes the assertion-only signature; python3-saml with
  // wantMessagesSigned: true now wants the Response signed; ruby-saml's want_assertions_signed is met.
  'assertion-signed-sp-options': {
    'node-saml': true,
    samlify: true,
    'python3-saml': 'The Message of the Response is not signed and the SP require it',
    'ruby-saml': true,
  },
};

function describeExpected(expected: Expected): string {
  return expected === true ? 'accepted' : `rejected: ${String(expected)}`;
}

test('real SP libraries on the smoke cases', async (t) => {
  const now = new Date();
  const cases = buildSmokeCases(now);
  const started = Date.now();
  const results = await runPeers([...cases.values()].map((c) => c.peer));
  t.diagnostic(`peer drivers took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [library, reason] of results.missing) t.diagnostic(`skipped ${library}: ${reason}`);

  // The table: case × library, with SAML Lens's own verdict beside.
  const versions = PEER_LIBRARIES.map((library) => {
    const version = [...results.values()].find((byLibrary) => byLibrary.has(library))?.get(library)?.version;
    return `${library} ${version ?? '(missing)'}`;
  });
  t.diagnostic(`libraries: ${versions.join(', ')}`);
  const contexts = new Map<SmokeCaseId, ValidationContext>();
  for (const [id, c] of cases) {
    const context: ValidationContext = {
      now,
      trustedCertificates: [{ pem: c.peer.idpCertificatePem, source: 'smoke IdP certificate' }],
      sp: { entityId: c.peer.spEntityId, acsUrls: [c.peer.acsUrl], source: 'smoke SP' },
      idpEntityId: c.peer.idpEntityId,
      receivedAt: c.peer.acsUrl,
      requestId: c.peer.requestId,
    };
    contexts.set(id, context);
    const report = validateResponse(c.xml, context);
    const failed = report.findings.filter((f) => f.status === 'fail').map((f) => f.code);
    t.diagnostic(`${id} (${c.title})`);
    t.diagnostic(`  saml-lens     ${report.verdict}${failed.length ? `: ${failed.join(', ')}` : ''}`);
    for (const library of PEER_LIBRARIES) {
      const verdict = results.get(id)?.get(library);
      const shown = verdict ? (verdict.accepted ? 'accepted' : `rejected: ${verdict.message}`) : 'skipped';
      t.diagnostic(`  ${library.padEnd(13)} ${shown}`);
    }
  }

  for (const library of PEER_LIBRARIES) {
    await t.test(library, { skip: results.missing.get(library) ?? false }, async (lt) => {
      for (const [id] of cases) {
        await lt.test(id, () => {
          const verdict = results.get(id)?.get(library);
          assert.ok(verdict, `no verdict from ${library} for ${id}`);
          const expected = EXPECTED[id][library];
          const context = `${library} ${verdict.version} on ${id}: expected ${describeExpected(expected)}`;
          if (expected === true) {
            assert.equal(verdict.accepted, true, `${context}, got rejected: ${verdict.message}`);
            assert.equal(verdict.message, '');
          } else {
            assert.equal(verdict.accepted, false, `${context}, got accepted`);
            if (typeof expected === 'string') assert.equal(verdict.message, expected, context);
            else assert.match(verdict.message, expected, context);
          }
          const c = cases.get(id)!;
          const lensContext = contexts.get(id)!;
          const [predicted] = predictLibraryVerdicts(c.xml, validateResponse(c.xml, lensContext), lensContext, {
            libraries: [library],
            options: { [library]: modelOptions(c.peer.options?.[library]) },
          });
          assert.equal(
            predicted.outcome,
            verdict.accepted ? 'accepted' : 'rejected',
            `SAML Lens's model of ${context}`,
          );
          // On the real clock the library reads "now" a few seconds after the model's: instants are compared as <time>.
          const instants = (message: string) => message.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, '<time>');
          if (predicted.match === 'exact') assert.equal(instants(predicted.message), instants(verdict.message));
          else
            assert.ok(
              verdict.message.startsWith(predicted.message),
              `${predicted.message} is a prefix of ${verdict.message}`,
            );
        });
      }
    });
  }
});
