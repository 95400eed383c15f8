// End-to-end: the SAML Metadata view in the real workbench. Opens the sample Entra ID metadata,
// opens the view from the activity bar, expands the entity, its IdP role and the endpoints, and
// checks the rows against values xmllint reads from the same file. Saves the README screenshot.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before } from 'node:test';
import type { Locator } from 'playwright-core';
import { e2eFile, openWorkbench, publishScreenshot, samplesFolder, uiTest, type Workbench } from './harness';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

/** The Entra ID IdP metadata among the samples: the XML file under entra-id/ that is metadata. */
function entraMetadataFile(): string {
  const folder = join(samplesFolder, 'entra-id');
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => join(folder, name));
  const metadata = files.find((file) => /EntityDescriptor/.test(readFileSync(file, 'utf8')));
  assert.ok(metadata, `no metadata file in ${folder}`);
  return metadata;
}

function xpathString(file: string, xpath: string): string {
  return execFileSync('xmllint', ['--xpath', `string(${xpath})`, file], { encoding: 'utf8' }).trim();
}

e2eFile('metadata tree', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  uiTest('the SAML Metadata view shows the Entra ID metadata, expanded node by node', async () => {
    const file = entraMetadataFile();
    const entityID = xpathString(file, `//*[local-name()='EntityDescriptor' and namespace-uri()='${MD}']/@entityID`);
    const ssoLocation = xpathString(
      file,
      `(//*[local-name()='IDPSSODescriptor' and namespace-uri()='${MD}']/*[local-name()='SingleSignOnService'])[1]/@Location`,
    );
    assert.ok(entityID && ssoLocation, 'xmllint found no entityID or SingleSignOnService in the sample');

    const page = workbench.page;
    await page.locator('.activitybar .action-item a[aria-label^="SAML Lens"]').click();
    const view = page.locator('.part.sidebar .pane', {
      has: page.locator('.pane-header', { hasText: 'SAML Metadata' }),
    });
    await view.waitFor({ state: 'visible' });
    // No editor yet: the welcome content offers the samples and the decoder.
    for (const button of ['Open Sample Workspace', 'Decode a SAML Message']) {
      await view.locator('.welcome-view-content', { hasText: button }).waitFor({ state: 'visible' });
    }

    await workbench.quickOpen(file.split('/').pop()!);
    // Widen the side bar by dragging its edge, so labels and descriptions fit in the screenshot.
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    assert.ok(sidebar, 'the side bar is not laid out');
    const edgeX = sidebar.x + sidebar.width;
    const middleY = sidebar.y + sidebar.height / 2;
    await page.mouse.move(edgeX + 1, middleY);
    await page.mouse.down();
    await page.mouse.move(edgeX + 320, middleY, { steps: 8 });
    await page.mouse.up();
    const rows = view.locator('.monaco-list-row');

    // A row's aria-label starts with its label (then its description), so rows are found by prefix.
    const row = (label: string, extra = ''): Locator =>
      view.locator(`.monaco-list-row${extra}[aria-label^=${JSON.stringify(label)}]`).first();
    const expand = async (label: string) => {
      const target = row(label);
      await target.waitFor({ state: 'visible' });
      if ((await target.getAttribute('aria-expanded')) !== 'true') await target.locator('.monaco-tl-twistie').click();
      await row(label, '[aria-expanded="true"]').waitFor({ state: 'visible' });
    };

    await expand(entityID);
    await expand('IdP');
    await expand('Endpoints');
    await view
      .locator(`.monaco-list-row[aria-label*=${JSON.stringify(ssoLocation)}]`)
      .first()
      .waitFor({ state: 'visible' });
    await expand('Keys');
    await row('signing: ').waitFor({ state: 'visible' });

    const labels = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.ok(
      labels.some((l) => l.includes(entityID)),
      `no row for ${entityID}: ${labels.join(' | ')}`,
    );
    assert.ok(
      labels.some((l) => l.startsWith('IdP')),
      `no IdP role row: ${labels.join(' | ')}`,
    );
    assert.ok(
      labels.some((l) => l.includes(`HTTP-Redirect ${ssoLocation}`) || l.includes(`HTTP-POST ${ssoLocation}`)),
      `no endpoint row for ${ssoLocation}: ${labels.join(' | ')}`,
    );
    assert.ok(
      labels.some((l) => /^signing: /.test(l)),
      `no signing key row: ${labels.join(' | ')}`,
    );

    publishScreenshot(await workbench.screenshot('metadata-tree'), 'metadata-tree.png');
  });
});
