// End-to-end safety checks of the decode panel that the main panel test leaves out: a very long value
// full of markup renders as text, in full, and runs nothing; and in restricted mode (an untrusted
// workspace) the certificate file named by the workspace settings is not used, so nothing is called valid.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildSamlResponse } from '../../src/core/build/response';
import { makeRsaKeyPair } from '../fixtures/builder/keys';
import { decodeWholeFile, openWorkbench, type Workbench } from './harness';

const SP = 'https://sp.payload.example/';
const ACS = 'https://sp.payload.example/acs';

/** A folder with a signed response (base64 wrapped at 76 columns), the IdP certificate and settings naming it. */
function payloadWorkspace(values: { nameId: string; attributes: { name: string; values: string[] }[] }): string {
  const folder = mkdtempSync(join(tmpdir(), 'saml-lens-safe-panel-'));
  const keys = makeRsaKeyPair('Safe Panel Test IdP');
  const response = buildSamlResponse({
    issuer: 'https://idp.payload.example/',
    destination: ACS,
    audience: SP,
    recipient: ACS,
    nameId: values.nameId,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    attributes: values.attributes,
    // Valid for a day around now: these tests are about rendering and trust, not the clock.
    issueInstant: new Date(Date.now() - 60_000),
    notBefore: new Date(Date.now() - 120_000),
    notOnOrAfter: new Date(Date.now() + 24 * 3600_000),
    signResponse: false,
    signAssertion: true,
    privateKeyPem: keys.privateKeyPem,
    certificatePem: keys.certificatePem,
  });
  writeFileSync(join(folder, 'payload.saml.txt'), Buffer.from(response).toString('base64').replace(/(.{76})/g, '$1\n'));
  writeFileSync(join(folder, 'payload-idp.pem'), keys.certificatePem);
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(
    join(folder, '.vscode', 'settings.json'),
    JSON.stringify({
      'samlLens.trustedCertificates': ['payload-idp.pem'],
      'samlLens.serviceProviders': [{ entityId: SP, acsUrls: [ACS], expectedAttributes: values.attributes.map((a) => a.name) }],
    }),
  );
  return folder;
}

describe('decode panel safety', () => {
  let workbench: Workbench | undefined;
  const folders: string[] = [];

  after(async () => {
    await workbench?.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  test('a 100,000-character value full of markup renders as text, in full, and runs nothing', async () => {
    const unit = `<img src=x onerror="window.__samlLensPwned='long'"><script>window.__samlLensPwned='long'</script>javascript:alert(1) `;
    const longValue = unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
    const longNameId = `${'a'.repeat(4_000)}@contoso.com`;
    const folder = payloadWorkspace({ nameId: longNameId, attributes: [{ name: 'Notes', values: [longValue] }] });
    folders.push(folder);
    workbench = await openWorkbench({ folder });
    const frame = await decodeWholeFile(workbench, 'payload.saml.txt');
    await frame.locator('#verdict .verdict-word', { hasText: 'Valid' }).waitFor({ state: 'visible' });

    const values = await frame.locator('#attributes td .value').allTextContents();
    assert.equal(values.length, 1);
    assert.equal(values[0].length, longValue.length, 'the value is shown in full');
    assert.equal(values[0], longValue);
    assert.equal(await frame.locator('#name-id').textContent(), longNameId);
    assert.equal(await frame.locator('#root img, #root a, #root script').count(), 0);
    assert.equal(await frame.evaluate(() => (window as unknown as { __samlLensPwned?: string }).__samlLensPwned), undefined);
    assert.equal(await frame.evaluate(() => document.documentElement.dataset.cspViolations), undefined);
    // The long value wraps inside the panel instead of widening the page beyond the window.
    const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px`);
    await workbench.close();
    workbench = undefined;
  });

  test('restricted mode: the certificate named in workspace settings is not read, so nothing is called valid', async () => {
    const folder = payloadWorkspace({ nameId: 'B.Simon@contoso.com', attributes: [{ name: 'Email', values: ['B.Simon@contoso.com'] }] });
    folders.push(folder);
    workbench = await openWorkbench({ folder, trustWorkspaces: false });
    const frame = await decodeWholeFile(workbench, 'payload.saml.txt');
    await frame.locator('#verdict .verdict-word').waitFor({ state: 'visible' });
    // VS Code itself withholds restricted settings (samlLens.trustedCertificates) of an untrusted
    // workspace; should one get through, the extension refuses to read the file and says so.
    const verdict = (await frame.locator('#verdict .verdict-word').textContent()) ?? '';
    const sources = await frame.locator('#sources').innerText();
    assert.doesNotMatch(verdict, /^Valid/, `verdict in restricted mode: ${verdict}; sources: ${sources}`);
    assert.doesNotMatch(sources, /payload-idp\.pem \(samlLens\.trustedCertificates\)/, sources);
    console.log(`restricted mode: verdict "${verdict.trim()}"; sources: ${sources.replace(/\s+/g, ' ')}`);
  });
});
