// Serves the workbench with the extension loaded from source on the sample workspace, prints the
// URL, and stays in the foreground until Ctrl-C. Used by `npm start` when `code` is not installed.
//   SAML_LENS_PORT=8080          fixed port (default: a free one)
//   SAML_LENS_SCREENSHOT=file.png  also open the workbench in headless Chromium once and save a screenshot
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { launchChromium } from './browser';
import { startServer } from './server';

const repoRoot = resolve(__dirname, '..', '..');

async function saveScreenshot(url: string, file: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page
      .locator('.explorer-folders-view .monaco-list-row')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    console.log(`Screenshot saved: ${file}`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const port = process.env.SAML_LENS_PORT ? Number(process.env.SAML_LENS_PORT) : undefined;
  const server = await startServer({ extensionPath: repoRoot, port });
  const url = server.workbenchUrl({ folder: join(repoRoot, 'samples') });
  console.log(`\nVS Code with SAML Lens loaded from ${repoRoot}:\n\n  ${url}\n`);
  console.log(
    'Open it in a browser on this machine (or forward the port). Rebuild with `npm run build` and reload the page to pick up changes. Ctrl-C stops the server.',
  );
  const screenshot = process.env.SAML_LENS_SCREENSHOT;
  if (screenshot) await saveScreenshot(url, resolve(screenshot));
  // The server stops with this process (Ctrl-C), see server.ts; until then keep serving.
  await new Promise(() => undefined);
}

main().catch((error) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
