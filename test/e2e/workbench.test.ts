// End-to-end: the real workbench in Chromium, with the extension loaded from source.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before } from 'node:test';
import { e2eFile, openWorkbench, samplesFolder, uiTest, type Workbench } from './harness';

/** A file of the sample workspace to open: the Entra ID metadata, else any XML file, else any file. */
function sampleFileToOpen(): string {
  const files = readdirSync(samplesFolder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(samplesFolder, join(entry.parentPath, entry.name)))
    .sort();
  assert.ok(files.length > 0, `${samplesFolder} holds no files to open`);
  return (
    files.find((file) => file.startsWith('entra-id/') && file.endsWith('.xml')) ??
    files.find((file) => file.endsWith('.xml')) ??
    files[0]
  );
}

e2eFile('workbench', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  uiTest('the workbench opens the sample workspace', async () => {
    const explorer = workbench.page.locator('.explorer-folders-view');
    await explorer.waitFor({ state: 'visible' });
    const title = await workbench.page.title();
    assert.match(title, /samples/, `window title "${title}" does not name the samples folder`);
    console.log(`screenshot: ${await workbench.screenshot('workbench')}`);
  });

  uiTest('quick open shows a sample file in an editor', async () => {
    const file = sampleFileToOpen();
    const name = file.split('/').pop() as string;
    await workbench.quickOpen(name);
    const tabLabel = (await workbench.activeTab().textContent()) ?? '';
    assert.ok(tabLabel.includes(name), `active tab is "${tabLabel}", expected ${name}`);
    console.log(`screenshot: ${await workbench.screenshot('sample-file')}`);
  });

  uiTest('the command palette runs SAML: Show Log and the log shows the activation', async () => {
    await workbench.runCommand('SAML: Show Log');
    // The output panel shows the "SAML Lens" channel, which logged the activation.
    const output = workbench.page.locator('.part.panel .output-view');
    await output.waitFor({ state: 'visible' });
    await output.locator('.view-lines', { hasText: 'activated' }).waitFor({ state: 'visible' });
    // The editor renders spaces as no-break spaces; compare with plain ones.
    const text = (await output.locator('.view-lines').innerText()).replace(/\s+/g, ' ');
    assert.match(text, /\[info\] SAML Lens \d+\.\d+\.\d+ activated/);
    console.log(`screenshot: ${await workbench.screenshot('log')}`);
  });
});
