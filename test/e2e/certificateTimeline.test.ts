// End-to-end: "SAML: Show Certificate Timeline" in the real workbench, on an IdP's metadata in the
// middle of a rollover: one signing certificate expired, one expiring within the warning days, one
// valid, each dated relative to today. Checks what a person sees and hears (one bar per
// certificate, its spoken label, today's marker, the colour class), then chooses a bar with the
// mouse and another with Enter and checks the editor's selection moved to that certificate each
// time. Saves the README screenshot.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { buildSamlIdpMetadata } from '../../src/core/build/metadata';
import { makeEcCertificate } from '../fixtures/builder/keys';
import { e2eFile, openWorkbench, publishScreenshot, uiTest } from './harness';

const DAY = 24 * 60 * 60 * 1000;
const ENTITY = 'https://idp.rollover.example/saml';
const FILE = 'rollover-idp-metadata.xml';

/** Midnight UTC today plus `days`, so every date is a whole day and reads the same in every report. */
function day(days: number): Date {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + days * DAY);
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

const CERTIFICATES = [
  { name: 'Rollover Signing 2023', from: day(-3 * 365), to: day(-20), state: 'expired', spoken: 'expired' },
  { name: 'Rollover Signing 2024', from: day(-2 * 365), to: day(12), state: 'expiring', spoken: 'expiring soon' },
  { name: 'Rollover Signing 2026', from: day(-15), to: day(3 * 365), state: 'valid', spoken: 'valid' },
].map((c) => ({ ...c, base64: makeEcCertificate(c.name, c.from.toISOString(), c.to.toISOString()).certificateBase64 }));

/** The webview frame that holds the timeline's chart (webviews are nested iframes). */
async function timelineFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator('svg[role="list"] g.bar').count()) > 0) return frame;
      } catch {
        // A frame detached while we looked at it; try the others.
      }
    }
    if (Date.now() > deadline) throw new Error('the certificate timeline did not draw its bars');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

e2eFile('certificate timeline', () => {
  const folder = mkdtempSync(join(tmpdir(), 'saml-lens-timeline-e2e-'));
  const xml = buildSamlIdpMetadata({
    entityId: ENTITY,
    ssoUrl: 'https://idp.rollover.example/saml/sso',
    signingCertificates: CERTIFICATES.map((c) => c.base64),
  });
  writeFileSync(join(folder, FILE), xml);
  const lines = xml.split('\n');
  /** 1-based line and column where a certificate's base64 starts, read from the text itself. */
  const placeOf = (base64: string) => {
    const line = lines.findIndex((text) => text.includes(base64));
    assert.ok(line >= 0, 'the certificate is not on one line of the document');
    return { line: line + 1, column: lines[line].indexOf(base64) + 1 };
  };

  after(() => rmSync(folder, { recursive: true, force: true }));

  uiTest('SAML: Show Certificate Timeline shows a rollover and leads to the chosen certificate', async () => {
    const workbench = await openWorkbench({ folder });
    const page = workbench.page;
    await workbench.quickOpen(FILE);
    await workbench.runCommand('SAML: Show Certificate Timeline');
    const frame = await timelineFrame(page);

    const bars = frame.locator('svg[role="list"] g.bar');
    assert.equal(await bars.count(), CERTIFICATES.length);
    const shown = await bars.evaluateAll((elements) =>
      elements.map((e) => ({ label: e.getAttribute('aria-label') ?? '', classes: e.getAttribute('class') ?? '' })),
    );
    for (const certificate of CERTIFICATES) {
      const bar = shown.find((b) => b.label.includes(`CN=${certificate.name}`));
      assert.ok(bar, `no bar for ${certificate.name}: ${shown.map((b) => b.label).join(' | ')}`);
      assert.equal(
        bar.label,
        `${ENTITY}, IdP signing certificate CN=${certificate.name}, valid from ${isoDay(certificate.from)} to ${isoDay(certificate.to)}, ${certificate.spoken}, line ${placeOf(certificate.base64).line}`,
      );
      assert.equal(bar.classes, `bar ${certificate.state}`);
    }
    assert.equal((await frame.locator('.today-label').textContent())?.trim(), `today ${isoDay(day(0))}`);
    assert.equal(await frame.locator('line.today').count(), 1);

    const barOf = (certificate: (typeof CERTIFICATES)[number]) =>
      bars.filter({ has: frame.locator('text.label', { hasText: certificate.name }) });
    // The status bar gives the cursor (the selection's end) and the length selected: the whole base64.
    const selected = (certificate: (typeof CERTIFICATES)[number]) => {
      const { line, column } = placeOf(certificate.base64);
      const length = certificate.base64.length;
      return page
        .locator('[id="status.editor.selection"]')
        .filter({ hasText: `Ln ${line}, Col ${column + length} (${length} selected)` })
        .waitFor({ state: 'visible' });
    };
    // The mouse: click the valid certificate's bar.
    await barOf(CERTIFICATES[2]).locator('text.label').click();
    await selected(CERTIFICATES[2]);
    // The keyboard: focus the expiring certificate's bar and press Enter.
    await barOf(CERTIFICATES[1]).press('Enter');
    await selected(CERTIFICATES[1]);

    // The picture: the side bar hidden, so the chart has room.
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });

    publishScreenshot(await workbench.screenshot('certificate-timeline'), 'certificate-timeline.png');
  });
});
