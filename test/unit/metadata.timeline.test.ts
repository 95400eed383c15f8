// The certificate timeline's bars: for every certificate of corpus files with several, the dates
// equal what `openssl x509 -dates` reads; states follow the certificate diagnostics' rule.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import { parseMetadata } from '../../src/core/metadata';
import { certificateTimeline } from '../../src/core/metadata/timeline';
import { makeEcCertificate } from '../fixtures/builder/keys';
import { corpus, corpusRoot, OPENSSL, skipWithout } from '../requirements';

const FILES = ['idp-metadata-multi-signing-certs.xml', 'idp-rolling-signing-certs-samlify.xml'];

function opensslDates(base64: string): { notBefore: string; notAfter: string } {
  const pem = `-----BEGIN CERTIFICATE-----\n${base64.replace(/\s+/g, '').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  const result = spawnSync('openssl', ['x509', '-noout', '-dates', '-dateopt', 'iso_8601'], {
    input: pem,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  const read = (name: string) => {
    const match = new RegExp(`^${name}=(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d)Z$`, 'm').exec(result.stdout);
    assert.ok(match, `${name} in ${result.stdout}`);
    return new Date(`${match[1]}T${match[2]}Z`).toISOString();
  };
  return { notBefore: read('notBefore'), notAfter: read('notAfter') };
}

for (const file of FILES) {
  test(`${file}: one bar per certificate, its dates those of openssl x509 -dates`, (t) => {
    if (skipWithout(t, OPENSSL, corpus('metadata'))) return;
    const text = readFileSync(path.join(corpusRoot, 'metadata', file), 'utf8');
    const parsed = parseMetadata(text);
    assert.ok(parsed.ok);
    const timeline = certificateTimeline(parsed.model, text, { now: new Date('2026-01-01T00:00:00Z') });
    const occurrences = [...text.matchAll(/<(?:ds:)?X509Certificate>([^<]+)</g)].map((m) => m[1]);
    assert.ok(occurrences.length > 1, 'the file has several certificates');
    assert.equal(timeline.bars.length, occurrences.length);
    assert.deepEqual(timeline.unreadable, []);
    timeline.bars.forEach((bar, i) => {
      assert.deepEqual(
        { notBefore: bar.notBefore.toISOString(), notAfter: bar.notAfter.toISOString() },
        opensslDates(occurrences[i]),
      );
      // The bar leads back to the certificate's own text.
      assert.equal(text.slice(bar.range.start, bar.range.end), occurrences[i]);
      assert.equal(bar.line, text.slice(0, bar.range.start).split('\n').length - 1);
      assert.ok(bar.label.includes(bar.entityId) && bar.label.includes(bar.use), bar.label);
    });
    assert.equal(
      timeline.groups.reduce((n, g) => n + g.bars.length, 0),
      timeline.bars.length,
    );
  });
}

test('states as the certificate diagnostics judge them, with the warning days; grouped by entity, role and use', () => {
  const certificate = (commonName: string, notBefore: string, notAfter: string) =>
    makeEcCertificate(commonName, notBefore, notAfter).certificateBase64;
  const text = buildIdpMetadata({
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    signingCertificates: [
      certificate('expired', '2020-01-01T00:00:00Z', '2025-12-31T00:00:00Z'),
      certificate('expiring', '2024-01-01T00:00:00Z', '2026-01-20T00:00:00Z'),
      certificate('valid', '2025-01-01T00:00:00Z', '2028-01-01T00:00:00Z'),
      certificate('future', '2026-06-01T00:00:00Z', '2029-01-01T00:00:00Z'),
    ],
  });
  const parsed = parseMetadata(text);
  assert.ok(parsed.ok);
  const now = new Date('2026-01-01T00:00:00Z');
  const states = (warnDays?: number) =>
    certificateTimeline(parsed.model, text, { now, warnDays }).bars.map((b) => `${b.subject} ${b.state}`);
  const thirty = states();
  // Entra publishes each certificate in its RoleDescriptors and its IDPSSODescriptor.
  assert.deepEqual(
    [...new Set(thirty)],
    ['CN=expired expired', 'CN=expiring expiring', 'CN=valid valid', 'CN=future not-yet-valid'],
  );
  assert.ok(states(10).includes('CN=expiring valid'), 'not expiring with 10 warning days');
  const timeline = certificateTimeline(parsed.model, text, { now });
  const idp = timeline.groups.find((g) => g.role === 'IdP');
  assert.deepEqual([idp?.use, idp?.bars.length], ['signing', 4]);
  assert.equal(timeline.start.toISOString(), '2020-01-01T00:00:00.000Z');
  assert.equal(timeline.end.toISOString(), '2029-01-01T00:00:00.000Z');
  assert.match(
    idp?.bars[0].label ?? '',
    /^https:\/\/sts\.windows\.net\/72f988bf-86f1-41af-91ab-2d7cd011db47\/, IdP signing certificate CN=expired, valid from 2020-01-01 to 2025-12-31, expired, line \d+$/,
  );
});
