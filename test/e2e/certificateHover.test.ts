// End-to-end: hovering a certificate in the real workbench. Opens the sample IdP metadata whose
// signing certificate expires soon, moves the mouse over the base64 in the Monaco editor, waits for
// the hover and checks it against openssl's reading of the same certificate. Saves the README
// screenshot media/screenshots/certificate-hover.png.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before } from 'node:test';
import { e2eFile, hoverOver, openWorkbench, publishScreenshot, samplesFolder, uiTest, type Workbench } from './harness';

const SAMPLE = join(samplesFolder, 'certificates', 'partner-idp-expiring-soon.xml');

function opensslField(base64: string, args: string[]): string {
  const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  return execFileSync('openssl', ['x509', '-noout', ...args], { input: pem, encoding: 'utf8' }).trim();
}

e2eFile('certificate hover', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  uiTest('hovering a certificate shows its subject, expiry and the SHA-256 thumbprint openssl computes', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const written = /<ds:X509Certificate>([\s\S]*?)<\/ds:X509Certificate>/.exec(text)![1];
    const base64 = written.replace(/\s+/g, '');
    const sha256 = /Fingerprint=([0-9A-F:]+)/.exec(opensslField(base64, ['-fingerprint', '-sha256']))![1];
    const commonName = /CN\s*=\s*([^,\n]+)/.exec(opensslField(base64, ['-subject']))![1].trim();
    // The last wrapped line: the hover then opens above it, where there is room for all of it.
    const lastLine = written.trim().split(/\s+/).pop()!;

    await workbench.quickOpen('partner-idp-expiring-soon.xml');
    const page = workbench.page;
    const editor = page.locator('.editor-instance .monaco-editor').first();
    // Monaco renders each line as a .view-line; the certificate's line is found by its text.
    const line = editor.locator('.view-lines .view-line', { hasText: lastLine.slice(0, 24) }).first();
    await line.waitFor({ state: 'visible' });
    const textSpan = line.locator('span span', { hasText: lastLine.slice(0, 12) }).first();
    // The diagnostic squiggle and CodeLens need the analysis first; the hover then has a warning too.
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'attached' });
    const hover = await hoverOver(page, textSpan, 'X.509');
    const shown = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.ok(shown.includes(sha256), `SHA-256 ${sha256} not in the hover: ${shown}`);
    assert.ok(shown.includes(commonName), `subject CN ${commonName} not in the hover: ${shown}`);
    assert.match(shown, /expires in \d+ days/);
    assert.ok(shown.includes('Copy PEM') && shown.includes('Show details'), `hover actions missing: ${shown}`);

    publishScreenshot(await workbench.screenshot('certificate-hover'), 'certificate-hover.png');
  });
});
