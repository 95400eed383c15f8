// End-to-end safety checks of the decode panel that the main panel test leaves out: a very long value
// full of markup renders as text, in full, and runs nothing; and in restricted mode (an untrusted
// workspace) the certificate file named by the workspace settings is not used, so nothing is called valid.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after } from 'node:test';
import { decodeWholeFile, e2eFile, openWorkbench, uiTest } from './harness';
import { payloadWorkspace } from './payloadWorkspace';

e2eFile('decode panel safety', () => {
  const folders: string[] = [];

  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  uiTest('a 100,000-character value full of markup renders as text, in full, and runs nothing', async () => {
    const unit = `<img src=x onerror="window.__samlLensPwned='long'"><script>window.__samlLensPwned='long'</script>javascript:alert(1) `;
    const longValue = unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
    const longNameId = `${'a'.repeat(4_000)}@contoso.com`;
    const folder = payloadWorkspace({ nameId: longNameId, attributes: [{ name: 'Notes', values: [longValue] }] });
    folders.push(folder);
    const workbench = await openWorkbench({ folder });
    const frame = await decodeWholeFile(workbench, 'payload.saml.txt');
    await frame.locator('#verdict .verdict-word', { hasText: 'Valid' }).waitFor({ state: 'visible' });

    const values = await frame.locator('#attributes td .value').allTextContents();
    assert.equal(values.length, 1);
    assert.equal(values[0].length, longValue.length, 'the value is shown in full');
    assert.equal(values[0], longValue);
    assert.equal(await frame.locator('#name-id').textContent(), longNameId);
    assert.equal(await frame.locator('#root img, #root a, #root script').count(), 0);
    assert.equal(
      await frame.evaluate(() => (window as unknown as { __samlLensPwned?: string }).__samlLensPwned),
      undefined,
    );
    assert.equal(await frame.evaluate(() => document.documentElement.dataset.cspViolations), undefined);
    // The long value wraps inside the panel instead of widening the page beyond the window.
    const overflow = await frame.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px`);
  });

  uiTest(
    'restricted mode: the certificate named in workspace settings is not read, so nothing is called valid',
    async () => {
      const folder = payloadWorkspace({
        nameId: 'B.Simon@contoso.com',
        attributes: [{ name: 'Email', values: ['B.Simon@contoso.com'] }],
      });
      folders.push(folder);
      const workbench = await openWorkbench({ folder, trustWorkspaces: false });
      const frame = await decodeWholeFile(workbench, 'payload.saml.txt');
      await frame.locator('#verdict .verdict-word').waitFor({ state: 'visible' });
      // VS Code itself withholds restricted settings (samlLens.trustedCertificates) of an untrusted
      // workspace; should one get through, the extension refuses to read the file and says so.
      const verdict = (await frame.locator('#verdict .verdict-word').textContent()) ?? '';
      const sources = await frame.locator('#sources').innerText();
      assert.doesNotMatch(verdict, /^Valid/, `verdict in restricted mode: ${verdict}; sources: ${sources}`);
      assert.doesNotMatch(sources, /payload-idp\.pem \(samlLens\.trustedCertificates\)/, sources);
      console.log(`restricted mode: verdict "${verdict.trim()}"; sources: ${sources.replace(/\s+/g, ' ')}`);
    },
  );
});
