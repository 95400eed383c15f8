// End-to-end: "SAML: Decode Message" through the real workbench. The sample response is selected
// in an editor and decoded from the command palette; the panel is read from inside its webview
// frame and photographed for the README. A second workspace holds a signed response whose values
// are HTML/JavaScript payloads: they must appear as literal text, run nothing, and cause no CSP
// violation.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after } from 'node:test';
import { decodePanelFrame, decodeWholeFile, e2eFile, openWorkbench, publishScreenshot, uiTest } from './harness';
import { payloadWorkspace } from './payloadWorkspace';

e2eFile('decode panel', () => {
  const cleanups: Array<() => void> = [];

  after(() => cleanups.forEach((cleanup) => cleanup()));

  uiTest('decodes the selected sample response: valid, trusted through the Entra ID metadata', async () => {
    const workbench = await openWorkbench();
    let frame = await decodeWholeFile(workbench, 'b.simon-valid.saml.txt');

    await frame.locator('#verdict .verdict-word', { hasText: 'Valid' }).waitFor({ state: 'visible' });
    const sources = await frame.locator('#sources').innerText();
    assert.match(sources, /entra-id\/UpworkEnterprise-FederationMetadata\.xml/);
    assert.match(sources, /upwork-enterprise\/sp-metadata\.xml/);
    const attributeRows = await frame.locator('#attributes table').first().locator('tbody tr').allInnerTexts();
    assert.deepEqual(
      attributeRows.map((row) => row.split('\t')[0].trim()),
      ['FirstName', 'LastName', 'Country', 'Email'],
    );
    for (const row of attributeRows) assert.match(row, /signed/);
    assert.equal(await frame.evaluate(() => document.documentElement.dataset.cspViolations), undefined);

    // For the README: more room for the panel, its top in view.
    await workbench.runCommand('View: Close Primary Side Bar');
    await frame.evaluate(() => window.scrollTo(0, 0));
    await workbench.page.mouse.move(300, 600); // over the editor text: no tooltip in the picture
    publishScreenshot(await workbench.screenshot('decode-panel'), 'decode-panel.png');

    // The service provider libraries beside SAML Lens's verdict: Entra ID signs only the assertion,
    // which node-saml's defaults refuse, with the option that changes it.
    const nodeSaml = frame.locator('#libraries [data-library="node-saml"]');
    await nodeSaml.scrollIntoViewIfNeeded();
    assert.match(await nodeSaml.innerText(), /rejected[\s\S]*Invalid document signature[\s\S]*wantAuthnResponseSigned/);
    assert.match(await frame.locator('#libraries [data-library="python3-saml"]').innerText(), /accepted/);
    await frame.locator('#libraries').evaluate((section) => section.scrollIntoView({ block: 'start' }));
    publishScreenshot(await workbench.screenshot('library-verdicts'), 'library-verdicts.png');
    await frame.evaluate(() => window.scrollTo(0, 0));

    // Hidden behind another editor, the page is discarded; shown again, it says "ready" and the
    // host sends the report again.
    const panelTab = workbench.page.locator('.tabs-container .tab', { hasText: 'SAML Response' });
    await frame.evaluate(() => (document.body.dataset.firstPage = 'yes'));
    await panelTab.click();
    await workbench.quickOpen('README.md');
    await panelTab.click();
    frame = await decodePanelFrame(workbench.page);
    await frame.locator('#verdict .verdict-word', { hasText: 'Valid' }).waitFor({ state: 'visible' });
    assert.equal(
      await frame.evaluate(() => document.body.dataset.firstPage),
      undefined,
      'expected a new page, not the hidden one',
    );

    // Panel actions reach the host: choosing "None" as service provider re-validates without expectations.
    await frame.locator('#action-choose-sp').click();
    const quickInput = workbench.page.locator('.quick-input-widget');
    await quickInput.locator('.monaco-list-row', { hasText: 'do not check audience' }).click();
    await frame.locator('#sources', { hasText: 'none (chosen in the panel)' }).waitFor({ state: 'visible' });
    assert.equal(await frame.locator('#attributes table').count(), 1, 'no claim-mapping table without an SP');

    // "Request ID…" works from the keyboard: the ID typed in the input box is compared with
    // InResponseTo (the sample answers another request, so the verdict turns invalid) and listed.
    await frame.locator('#action-request-id').focus();
    await frame.locator('#action-request-id').press('Enter');
    await quickInput.locator('input').waitFor({ state: 'visible' });
    await workbench.page.keyboard.type('_e2e-request-1');
    await workbench.page.keyboard.press('Enter');
    await frame.locator('#sources', { hasText: '_e2e-request-1 (entered in the panel)' }).waitFor({ state: 'visible' });
    await frame.locator('#verdict .verdict-word', { hasText: 'Invalid' }).waitFor({ state: 'visible' });
    assert.equal(await frame.locator('#action-decryption-key').count(), 1, 'the Decryption key… action is offered');

    // The XML section opens from the keyboard, and the raw decoded text is one key away from the
    // pretty-printed XML.
    await frame.locator('#xml .collapsible-header').press('Enter');
    await frame.locator('#xml-raw').waitFor({ state: 'visible' });
    await frame.locator('#xml-raw').press('Enter');
    assert.equal(await frame.locator('#xml-raw').getAttribute('aria-pressed'), 'true');
    assert.match(
      (await frame.locator('#xml-text').textContent()) ?? '',
      /^<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2\.0:protocol"/,
    );
  });

  uiTest('HTML and JavaScript in attribute values render as text and run nothing', async () => {
    const payloads = {
      script: `<script>window.__samlLensPwned = 'script'</script>`,
      image: `<img src=x onerror="window.__samlLensPwned = 'img'">`,
      link: `javascript:window.__samlLensPwned = 'link'`,
    };
    const folder = payloadWorkspace({
      nameId: `<b onmouseover="window.__samlLensPwned = 'nameid'">admin</b>`,
      attributes: [
        { name: 'Script', values: [payloads.script] },
        { name: 'Image', values: [payloads.image] },
        { name: 'Link', values: [payloads.link] },
      ],
    });
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));

    const workbench = await openWorkbench({ folder });
    const frame = await decodeWholeFile(workbench, 'payload.saml.txt');
    await frame.locator('#verdict .verdict-word', { hasText: 'Valid' }).waitFor({ state: 'visible' });

    // Each payload is in the table, character for character, as text.
    const values = await frame.locator('#attributes td .value').allTextContents();
    assert.deepEqual(values, [payloads.script, payloads.image, payloads.link]);
    assert.equal(
      await frame.locator('#name-id').textContent(),
      `<b onmouseover="window.__samlLensPwned = 'nameid'">admin</b>`,
    );

    // Nothing was turned into markup: no images, links, scripts or bold text inside the panel.
    assert.equal(await frame.locator('#root img, #root a, #root script, #root b').count(), 0);
    await frame.locator('#name-id').hover();
    assert.equal(
      await frame.evaluate(() => (window as unknown as { __samlLensPwned?: string }).__samlLensPwned),
      undefined,
    );
    assert.equal(await frame.evaluate(() => document.documentElement.dataset.cspViolations), undefined);
    console.log(`screenshot: ${await workbench.screenshot('decode-panel-payloads')}`);

    // The counter above is live: an image from elsewhere, added behind the page's back, is blocked and counted.
    await frame.evaluate(() => {
      const image = document.createElement('img');
      image.src = 'https://example.invalid/tracker.png';
      document.body.append(image);
    });
    await frame.waitForFunction(() => document.documentElement.dataset.cspViolations === '1');
  });
});
