// End-to-end: certificate checks only read documents, so they also run in Restricted Mode. Opens
// the sample workspace untrusted and checks that a broken certificate still gets its error squiggle,
// its hover and the status bar count.
import * as assert from 'node:assert/strict';
import { before } from 'node:test';
import { e2eFile, hoverOver, openWorkbench, uiTest, type Workbench } from './harness';

e2eFile('certificate hover in restricted mode', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ trustWorkspaces: false });
  });

  uiTest('in an untrusted workspace a broken certificate is still reported and explained', async () => {
    const page = workbench.page;
    // The workbench says it is in Restricted Mode (status bar entry), so the test really runs untrusted.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible' });
    await workbench.quickOpen('broken-base64.xml');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const squiggle = editor.locator('.squiggly-error').first();
    await squiggle.waitFor({ state: 'attached' });
    await page
      .locator('.statusbar-item', { hasText: /\d+ invalid/ })
      .first()
      .waitFor({ state: 'visible' });

    const hover = await hoverOver(page, squiggle, 'X.509');
    const shown = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(shown, /not a valid certificate/);
    assert.match(shown, /Not valid base64/);
  });
});
