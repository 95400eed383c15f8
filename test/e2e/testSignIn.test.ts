// End-to-end: a test sign-in between SAML Lens's test SP and an identity provider built with samlify
// (a real SAML library), as a person does it. The test SP is started from the command palette on a
// workspace holding the IdP's metadata; a browser tab (recording a HAR, as developer tools do)
// signs in; the decode panel shows the Response, valid, with the request it answers; the panel is
// photographed for the README. The recorded HAR then opens as a SAML flow whose rows match what
// the IdP logged.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after } from 'node:test';
import { B_SIMON, startSamlifyIdentityProvider } from '../fixtures/signIn/samlifyIdentityProvider';
import { freePort } from '../fixtures/signIn/ports';
import { decodePanelFrame, e2eFile, openWorkbench, publishScreenshot, step, uiTest, writeWorkspace } from './harness';

e2eFile('test sign-in', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  uiTest('signs in against a samlify IdP from the command palette; the recorded capture opens as a flow', async () => {
    const idp = await startSamlifyIdentityProvider();
    cleanups.push(() => idp.close());
    const port = await freePort();
    const base = `http://localhost:${port}`;
    idp.setServiceProviderMetadataUrl(`${base}/saml/metadata`);
    const { folder, remove } = writeWorkspace(
      'saml-lens-e2e-sign-in-',
      { 'idp-metadata.xml': idp.metadataXml },
      {
        'samlLens.testSignIn.port': port,
        'samlLens.testSignIn.baseUrl': base,
        'samlLens.testSignIn.openBrowser': false,
        'samlLens.testSignIn.expectedAttributes': Object.keys(B_SIMON.attributes),
      },
    );
    cleanups.push(remove);

    const workbench = await openWorkbench({ folder });
    const page = workbench.page;
    // The metadata first, as a person would look at it; by then the extension's commands are listed.
    await workbench.quickOpen('idp-metadata.xml');
    await workbench.runCommand('SAML: Test Sign-in with an Identity Provider', { opensQuickPick: true });
    await step('pick the IdP metadata', () =>
      page.locator('.quick-input-widget .monaco-list-row', { hasText: 'idp-metadata.xml' }).click(),
    );
    await page.locator('.statusbar-item', { hasText: `SAML test SP :${port}` }).waitFor({ state: 'visible' });

    // The person's browser, recording what it does as the developer tools' "Save all as HAR" would.
    const harFile = join(folder, 'sign-in.har');
    const browser = page.context().browser();
    assert.ok(browser, 'the workbench page has no browser');
    const signInContext = await browser.newContext({ recordHar: { path: harFile } });
    const signIn = await signInContext.newPage();
    await step('sign in', async () => {
      await signIn.goto(`${base}/saml/login`);
      await signIn.getByText('Response received').waitFor({ state: 'visible' });
    });
    await signInContext.close(); // writes the HAR
    assert.equal(idp.log.length, 1, 'the IdP answered one request');

    const frame = await decodePanelFrame(page);
    await frame.locator('#verdict .verdict-word', { hasText: 'Valid' }).waitFor({ state: 'visible' });
    const sources = await frame.locator('#sources').innerText();
    assert.match(sources, /the test sign-in's SP/);
    assert.ok(
      sources.includes(`${idp.log[0].requestId} (given by the test sign-in)`),
      `the request ID ${idp.log[0].requestId} is listed as the test sign-in's: ${sources}`,
    );
    assert.match(sources, /idp-metadata\.xml \(given by the test sign-in\)/);
    const attributes = await frame.locator('#attributes table').first().locator('tbody tr').allInnerTexts();
    assert.deepEqual(
      attributes.map((row) => row.split('\t')[0].trim()),
      Object.keys(B_SIMON.attributes),
    );
    await frame.evaluate(() => window.scrollTo(0, 0));
    publishScreenshot(await workbench.screenshot('test-sign-in'), 'test-sign-in.png');

    // The capture of the same sign-in, as a flow: the request and the response that answers it.
    await workbench.quickOpen('sign-in.har');
    await workbench.runCommand('SAML: Open Capture as Flow');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'SAML Flow' }) });
    const rows = view.locator('.monaco-list-row');
    await rows.filter({ hasText: idp.log[0].requestId }).first().waitFor({ state: 'visible' });
    const texts = await rows.allInnerTexts();
    const request = texts.find((t) => t.includes('AuthnRequest') && t.includes(idp.log[0].requestId));
    const response = texts.find((t) => /Response/.test(t) && /answers #1/.test(t));
    assert.ok(request, `a row for the AuthnRequest ${idp.log[0].requestId}: ${texts.join(' | ')}`);
    assert.ok(response, `a row for the Response answering it: ${texts.join(' | ')}`);
  });
});
