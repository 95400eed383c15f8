// End-to-end: SAML Lens's test identity provider signs a user in to a service provider built with
// node-saml (a real SP library), as a person does it. The test IdP is started from the command palette
// (a throwaway signing key chosen in its quick pick) on a workspace holding node-saml's SP metadata;
// its notification saves the IdP's metadata into the workspace; a browser tab (recording a HAR, as
// developer tools do) signs B.Simon in SP-initiated (the SP's /login), then IdP-initiated (My Apps).
// The SP's log says what node-saml concluded; the IdP's log and status bar say what it did; the
// window is photographed for the README. The recorded HAR then opens as a SAML flow whose rows match
// what the SP logged: its AuthnRequest, the Response answering it, and the unsolicited one.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startNodeSamlServiceProvider, type NodeSamlSpLogEntry } from '../fixtures/signIn/nodeSamlServiceProvider';
import { freePort } from '../fixtures/signIn/ports';
import { e2eFile, openWorkbench, publishScreenshot, step, uiTest, writeWorkspace, type Workbench } from './harness';

const B_SIMON = 'B.Simon@contoso.com';
/** The default test user's claims (the Upwork Enterprise scenario), as the README documents them. */
const CLAIMS = { FirstName: 'B', LastName: 'Simon', Country: 'US', Email: B_SIMON };

/**
 * A notification, whether still a toast or already in the notification center (a toast can hide
 * before the test looks at it): the center is opened when no toast shows it.
 */
function notification(page: Page, text: string): Locator {
  return page.locator('.notification-list-item', { hasText: text }).first();
}

async function showNotification(workbench: Workbench, text: string): Promise<Locator> {
  const item = notification(workbench.page, text);
  try {
    await item.waitFor({ state: 'visible', timeout: 5_000 });
  } catch {
    await workbench.runCommand('Notifications: Show Notifications');
    await item.waitFor({ state: 'visible' });
  }
  return item;
}

/** On the test IdP's login page: B.Simon, no defect, Sign in; the page posts the Response to the ACS. */
async function signInAsBSimon(page: Page): Promise<void> {
  await page.getByLabel(B_SIMON).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`node-saml SP: signed in as ${B_SIMON}`).waitFor({ state: 'visible' });
}

e2eFile('test identity provider', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  uiTest(
    'signs B.Simon in to a node-saml SP, SP- and IdP-initiated; the recorded capture opens as a flow',
    async () => {
      const sp = await startNodeSamlServiceProvider();
      cleanups.push(() => sp.close());
      const port = await freePort();
      const base = `http://localhost:${port}`;
      sp.setIdentityProviderMetadataUrl(`${base}/saml/metadata`);
      const { folder, remove } = writeWorkspace(
        'saml-lens-e2e-test-idp-',
        { 'sp-metadata.xml': sp.metadataXml },
        { 'samlLens.testIdentityProvider.port': port, 'samlLens.testIdentityProvider.baseUrl': base },
      );
      cleanups.push(remove);

      const workbench = await openWorkbench({ folder });
      const page = workbench.page;
      // The SP's metadata first, as a person would look at it; by then the extension's commands are listed.
      await workbench.quickOpen('sp-metadata.xml');
      await workbench.runCommand('SAML: Start Test Identity Provider', { opensQuickPick: true });
      await step('choose a throwaway signing key', () =>
        page.locator('.quick-input-widget .monaco-list-row', { hasText: 'A throwaway key' }).click(),
      );
      await page.locator('.statusbar-item', { hasText: `SAML test IdP :${port}` }).waitFor({ state: 'visible' });
      await step('save the IdP metadata from its notification', async () => {
        const running = await showNotification(
          workbench,
          `SAML Lens test identity provider is running. Configure the SP with the metadata ${base}/saml/metadata`,
        );
        await running.getByRole('button', { name: 'Save IdP Metadata…' }).click();
        // The save dialog proposes test-idp-metadata.xml in the workspace folder.
        const input = page.locator('.quick-input-widget input.input');
        await page.waitForFunction(
          () => (document.activeElement as HTMLInputElement | null)?.value?.endsWith('/test-idp-metadata.xml') ?? false,
        );
        await input.press('Enter');
        await page.getByText('SAML Lens: IdP metadata saved to test-idp-metadata.xml.').waitFor({ state: 'visible' });
      });
      const idpMetadata = readFileSync(join(folder, 'test-idp-metadata.xml'), 'utf8');
      assert.match(idpMetadata, new RegExp(`entityID="${base}/saml/metadata"`));

      // The person's browser, recording what it does as the developer tools' "Save all as HAR" would.
      const harFile = join(folder, 'sign-in.har');
      const browser = page.context().browser();
      assert.ok(browser, 'the workbench page has no browser');
      const signInContext = await browser.newContext({ recordHar: { path: harFile } });
      signInContext.setDefaultTimeout(30_000);
      const signIn = await signInContext.newPage();
      await step('sign in at the SP (SP-initiated)', async () => {
        await signIn.goto(sp.loginUrl);
        await signIn.getByText(`for ${sp.entityId}; the response goes to ${sp.acsUrl}`).waitFor({ state: 'visible' });
        await signInAsBSimon(signIn);
      });
      await step('sign in from My Apps (IdP-initiated)', async () => {
        await signIn.goto(`${base}/`);
        await signIn.getByRole('link', { name: sp.entityId }).click();
        await signIn.getByText(`IdP-initiated sign-in for ${sp.entityId}`).waitFor({ state: 'visible' });
        await signInAsBSimon(signIn);
      });
      await signInContext.close(); // writes the HAR
      assert.ok(existsSync(harFile), 'the browser wrote no HAR');

      // What node-saml concluded: its request answered, then an unsolicited response, both B.Simon with the four claims.
      const [request, answered, unsolicited, ...more] = sp.log;
      assert.equal(more.length, 0, `the SP logged more: ${JSON.stringify(sp.log)}`);
      assert.ok(request?.event === 'authn-request', JSON.stringify(sp.log));
      const signedIn = (entry: NodeSamlSpLogEntry | undefined) => {
        assert.ok(entry?.event === 'response' && entry.ok, `node-saml refused: ${JSON.stringify(entry)}`);
        assert.equal(entry.nameID, B_SIMON);
        assert.deepEqual(entry.attributes, CLAIMS);
        return entry;
      };
      assert.equal(signedIn(answered).inResponseTo, request.requestId);
      assert.equal(signedIn(answered).relayState, request.relayState);
      assert.equal(signedIn(unsolicited).inResponseTo, undefined);

      // The IdP's side, in its log: both sign-ins, one answering node-saml's request.
      await workbench.runCommand('SAML: Show Log');
      const output = page.locator('.part.panel .output-view');
      await output.waitFor({ state: 'visible' });
      const logLine = (text: string) =>
        step(`the log shows "${text}"`, () =>
          output.locator('.view-lines', { hasText: text }).waitFor({ state: 'visible', timeout: 20_000 }),
        );
      await logLine(`signed ${B_SIMON} in to ${sp.entityId} at ${sp.acsUrl} (answering ${request.requestId})`);
      await logLine(`signed ${B_SIMON} in to ${sp.entityId} at ${sp.acsUrl} (IdP-initiated)`);

      // The capture of the same sign-ins, as a flow: the request, the response that answers it, the unsolicited one.
      await workbench.quickOpen('sign-in.har');
      await workbench.runCommand('SAML: Open Capture as Flow');
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'SAML Flow' }) });
      const rows = view.locator('.monaco-list-row');
      await rows.filter({ hasText: request.requestId }).first().waitFor({ state: 'visible' });
      await rows.filter({ hasText: 'flow.unsolicited' }).first().waitFor({ state: 'visible' });
      // Each row as the tree shows it: the label, then the description (dimmed).
      const shown = await rows.evaluateAll((elements) =>
        elements.map((element) => ({
          label: element.querySelector('.label-name')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
          description: element.querySelector('.label-description')?.textContent?.trim() ?? '',
        })),
      );
      const all = shown.map((row) => `${row.label} [${row.description}]`).join(' | ');
      assert.deepEqual(shown[0], { label: 'valid', description: shown[0].description }, all);
      assert.match(shown[0].description, /^sp-initiated, idp-initiated · IdP clock -?\d+ s from the capture/, all);
      const messages = shown.filter((row) => /^\d\d:\d\d:\d\d → /.test(row.label));
      assert.deepEqual(
        messages.map((row) => row.label.replace(/^\S+ /, '')),
        ['→ IdP Redirect AuthnRequest', '→ SP POST Response', '→ SP POST Response'],
        all,
      );
      // node-saml's request, the Response answering it (#1), and the unsolicited one with an ID of its own.
      assert.equal(messages[0].description, `valid · ${request.requestId}`, all);
      const answeredId = /^valid · (_\w+) · answers #1$/.exec(messages[1].description)?.[1];
      const unsolicitedId = /^valid · (_\w+)$/.exec(messages[2].description)?.[1];
      assert.ok(answeredId && unsolicitedId && answeredId !== unsolicitedId, all);
      const finding = shown[shown.indexOf(messages[2]) + 1];
      assert.deepEqual(
        finding,
        {
          label:
            'Message 3 is an IdP-initiated (unsolicited) Response: it has no InResponseTo, and the AuthnRequest before it (message 1) was answered by message 2. The SP must allow IdP-initiated sign-in.',
          description: 'flow.unsolicited',
        },
        all,
      );

      // The README's picture: the SP's metadata, the flow of the sign-ins, the IdP's log and status bar.
      // Its tab, not quick open: quick open's rows can reorder under the click once test-idp-metadata.xml exists.
      await page.locator('.tabs-container .tab', { hasText: 'sp-metadata.xml' }).click();
      await workbench.activeTab().filter({ hasText: 'sp-metadata.xml' }).waitFor({ state: 'visible' });
      const metadataView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'SAML Metadata' }) });
      await step('the metadata view shows the SP', () =>
        metadataView.locator('.monaco-list-row', { hasText: sp.entityId }).waitFor({ state: 'visible' }),
      );
      publishScreenshot(await workbench.screenshot('test-identity-provider'), 'test-identity-provider.png');

      // Stopping: the status bar item goes, and the IdP's own recording of the run is offered as a flow.
      await workbench.runCommand('SAML: Stop Test Identity Provider');
      await page.locator('.statusbar-item', { hasText: `SAML test IdP :${port}` }).waitFor({ state: 'hidden' });
      await showNotification(workbench, 'SAML Lens: The test identity provider’s run was recorded as a HAR capture.');
    },
  );
});
