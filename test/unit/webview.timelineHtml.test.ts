// The certificate timeline's page: a strict CSP with one nonce, every text escaped, one focusable
// bar with its spoken label per certificate, and the gate that lets only { type: 'reveal', index } in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CertificateTimeline, TimelineBar } from '../../src/core/metadata/timeline';
import { buildTimelineHtml, readTimelineMessage } from '../../src/webview/timelineHtml';

const bar = (subject: string, state: TimelineBar['state']): TimelineBar => ({
  entityId: 'https://idp.example.org/<script>',
  role: 'IdP',
  use: 'signing',
  subject,
  sha256: 'AB:CD',
  notBefore: new Date('2024-01-01T00:00:00Z'),
  notAfter: new Date('2027-01-01T00:00:00Z'),
  state,
  range: { start: 10, end: 20 },
  line: 4,
  label: `https://idp.example.org/<script>, IdP signing certificate ${subject}, line 5`,
});

test('strict CSP, escaped text, one labelled bar per certificate', () => {
  const bars = [bar('CN="a" & <b>', 'expired'), bar('CN=c', 'valid')];
  const timeline: CertificateTimeline = {
    groups: [{ entityId: bars[0].entityId, role: 'IdP', use: 'signing', bars }],
    bars,
    unreadable: [{ range: { start: 0, end: 1 }, line: 2, message: 'bad <der>' }],
    start: new Date('2024-01-01T00:00:00Z'),
    end: new Date('2027-01-01T00:00:00Z'),
    now: new Date('2026-01-01T00:00:00Z'),
  };
  const html = buildTimelineHtml({ timeline, title: 'Certificates of idp.xml', warnDays: 30, nonce: 'N0nce' });
  assert.match(html, /content="default-src 'none'; style-src 'nonce-N0nce'; script-src 'nonce-N0nce'"/);
  assert.equal([...html.matchAll(/<script/g)].length, 1);
  assert.match(html, /<script nonce="N0nce">/);
  assert.ok(!html.includes('<script>'), 'the entityID is escaped');
  assert.ok(!html.includes('<b>'));
  assert.equal(
    [...html.matchAll(/<g class="bar (expired|valid)" role="link" tabindex="0" data-index="(\d)"/g)].length,
    2,
  );
  assert.match(
    html,
    /aria-label="https:\/\/idp\.example\.org\/&lt;script&gt;, IdP signing certificate CN=&quot;a&quot; &amp; &lt;b&gt;, line 5"/,
  );
  assert.match(html, /today 2026-01-01/);
  assert.match(html, /line 3: bad &lt;der&gt;/);
});

test('the page may only ask to reveal an existing bar', () => {
  assert.equal(readTimelineMessage({ type: 'reveal', index: 1 }, 2), 1);
  for (const message of [
    { type: 'reveal', index: 2 },
    { type: 'reveal', index: -1 },
    { type: 'reveal', index: 0.5 },
    { type: 'reveal', index: '0' },
    { type: 'reveal', index: 0, command: 'x' },
    { type: 'open', index: 0 },
    null,
    'reveal',
  ])
    assert.equal(readTimelineMessage(message, 2), undefined, JSON.stringify(message));
});
