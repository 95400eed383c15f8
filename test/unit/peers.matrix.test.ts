// The differential proof of the library models: every case of the matrix (test/peers/matrixCases.ts)
// is judged by the four real SP libraries and by SAML Lens's model of each. The verdict must be the
// same, and the predicted message must equal the library's (or be the stated prefix of it). The
// agreement table is printed; a disagreement fails unless it is listed below with its reason, and a
// listed one that has come to agree fails too, so the list never goes stale.
//
// A library that is not installed is skipped with the reason; with CI=true or
// SAML_LENS_REQUIRE_ALL=1 it fails the run instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LibraryVerdict } from '../../src/core/libraries';
import { PEER_LIBRARIES, type PeerLibrary, type PeerVerdict } from '../peers/cases';
import { buildMatrixCases } from '../peers/matrixCases';
import { predictCase } from '../peers/predictions';
import { runPeers } from '../peers/run';

const NOT_READ =
  'SAML Lens never parses a DOCTYPE (docs/security.md), so it does not predict what a library that processes the DTD makes of the rest; the panel says "unknown" and why';
const NOT_DECRYPTED =
  'SAML Lens refuses RSA-1_5 key transport (Bleichenbacher-style padding oracle) and so does not look inside; this library decrypts it with OpenSSL and goes on, so the prediction is "unknown"';

/** Case → library → why the model's prediction is allowed to differ from the library's verdict. */
const KNOWN_DISAGREEMENTS: Record<string, Partial<Record<PeerLibrary, string>>> = {
  'attack.doctype.attlist-default-xmlns': { 'node-saml': NOT_READ, samlify: NOT_READ, 'ruby-saml': NOT_READ },
  'attack.doctype.after-comment-and-xml-declaration': {
    'node-saml': NOT_READ,
    samlify: NOT_READ,
    'ruby-saml': NOT_READ,
  },
  'attack.doctype.xxe-system-entity-in-nameid': { 'node-saml': NOT_READ, samlify: NOT_READ, 'ruby-saml': NOT_READ },
  'attack.encrypted-assertion.rsa-1_5-key-transport': { 'python3-saml': NOT_DECRYPTED, 'ruby-saml': NOT_DECRYPTED },
};

function agrees(predicted: LibraryVerdict, real: PeerVerdict): boolean {
  if (predicted.outcome !== (real.accepted ? 'accepted' : 'rejected')) return false;
  return predicted.match === 'exact' ? predicted.message === real.message : real.message.startsWith(predicted.message);
}

const shown = (text: string) => text.replace(/\s+/g, ' ').slice(0, 110);

test('library models agree with the real SP libraries on every case of the matrix', async (t) => {
  const cases = await buildMatrixCases();
  const started = Date.now();
  const results = await runPeers(cases.map((c) => c.peer));
  t.diagnostic(`${cases.length} cases; peer drivers took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [library, reason] of results.missing) t.diagnostic(`skipped ${library}: ${reason}`);

  const failures: string[] = [];
  const counts = new Map<PeerLibrary, { agree: number; listed: number }>();
  t.diagnostic(`case | ${PEER_LIBRARIES.join(' | ')}   (= agrees, ~ listed disagreement, ✗ disagreement)`);
  for (const c of cases) {
    const cells: string[] = [];
    const predictions = predictCase(c);
    for (const library of PEER_LIBRARIES) {
      const real = results.get(c.peer.id)?.get(library);
      if (!real) {
        cells.push('skipped');
        continue;
      }
      const predicted = predictions.get(library)!;
      const count = counts.get(library) ?? { agree: 0, listed: 0 };
      counts.set(library, count);
      const listed = KNOWN_DISAGREEMENTS[c.peer.id]?.[library];
      const realText = real.accepted ? 'accepted' : `rejected: ${shown(real.message)}`;
      if (agrees(predicted, real)) {
        count.agree++;
        cells.push(`= ${real.accepted ? 'accepted' : 'rejected'}`);
        if (listed) failures.push(`${c.peer.id} × ${library} is listed as a disagreement but now agrees: remove it`);
      } else if (listed) {
        count.listed++;
        cells.push(`~ ${realText}`);
      } else {
        cells.push(`✗ ${realText}`);
        failures.push(
          `${c.peer.id} × ${library} ${real.version}: the library ${realText}; ` +
            `the model predicts ${predicted.outcome}${predicted.message ? `: ${predicted.message}` : ''} (${predicted.check ?? 'no check'})`,
        );
      }
    }
    t.diagnostic(`${c.peer.id} | ${cells.join(' | ')}`);
  }
  for (const [library, { agree, listed }] of counts)
    t.diagnostic(`${library}: ${agree} agree, ${listed} listed disagreements of ${cases.length}`);
  assert.deepEqual(failures, [], failures.join('\n'));
});
