// A document's worker judges its certificates again after every edit, keeping what does not depend
// on the clock in a JudgeCache. Whatever the cache holds, its findings must be those of judging the
// text afresh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMetadata } from '../../src/core/metadata';
import { extractWithParse } from '../../src/features/certificates/headless/extract';
import { findingsForDocument, JudgeCache } from '../../src/features/certificates/headless/judge';
import { corpusCertificates } from './corpusCertificates';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const NOW = new Date('2026-01-15T00:00:00Z');

/** One SP per writing, each with the certificate written that way. */
function metadata(writings: readonly string[]): string {
  const entities = writings.map(
    (written, i) =>
      `<md:EntityDescriptor entityID="https://sp${i}.example.org/"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${written}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp${i}.example.org/acs" index="0"/>` +
      `</md:SPSSODescriptor></md:EntityDescriptor>`,
  );
  return `<md:EntitiesDescriptor xmlns:md="${MD}" xmlns:ds="${DS}">\n${entities.join('\n')}\n</md:EntitiesDescriptor>\n`;
}

async function judge(text: string, cache?: JudgeCache) {
  const parsed = parseMetadata(text);
  const judged = await findingsForDocument(
    extractWithParse(text, () => parsed),
    {
      now: NOW,
      expiryWarningDays: 30,
      cache,
    },
  );
  assert.ok(judged);
  return judged;
}

test('a judge cache gives the findings of judging afresh when a certificate is written anew, moves, or repeats with another writing', async () => {
  const base64 = corpusCertificates()
    .map((c) => c.text.replace(/\s+/g, ''))
    .find((text) => text.length > 600);
  assert.ok(base64, 'a certificate from the corpus');
  const wrapped = (width: number) => `\n${base64.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n')}\n`;
  const regular = wrapped(64);
  const irregular = `\n${base64.slice(0, 50)}\n${base64.slice(50, 170)}\n${base64.slice(170)}\n`;
  const formatting = (findings: { code: string; start: number }[]) =>
    findings.filter((f) => f.code === 'cert.formatting').map((f) => f.start);

  const cache = new JudgeCache();
  const steps = [
    [irregular],
    [regular],
    [irregular],
    // The same certificate moved further on, and written two ways in one document.
    [regular, irregular],
    [irregular, regular, irregular],
    [wrapped(76), regular],
  ];
  for (const writings of steps) {
    const text = metadata(writings);
    const cached = await judge(text, cache);
    const afresh = await judge(text);
    assert.deepEqual(cached, afresh, `writings: ${writings.map((w) => w.length).join(', ')}`);
    // Checked by hand: only the irregular writing (lines of 50 and 120 characters) is flagged.
    const irregularAt = writings.flatMap((w, i) => (w === irregular ? [i] : []));
    assert.equal(formatting(cached.findings).length, irregularAt.length);
  }
});
