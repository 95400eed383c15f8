// Drives the real VS Code workbench for end-to-end tests: starts the offline VS Code server with
// this extension loaded from source, opens the workbench in headless Chromium, and offers the
// few gestures tests need. Everything waits by polling the page; nothing sleeps a fixed time.
//
//   const workbench = await openWorkbench();
//   await workbench.quickOpen('entra-id.xml');
//   await workbench.runCommand('SAML: Show Log');
//   console.log(await workbench.screenshot('log'));
//   await workbench.close();
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/vscode/browser';
import { startServer, type RunningServer } from '../../scripts/vscode/server';

export const repoRoot = resolve(__dirname, '..', '..');
export const samplesFolder = join(repoRoot, 'samples');
export const screenshotsDir = join(repoRoot, '.test-results', 'screenshots');
/** The README's pictures; a test run refreshes them only when asked, so tests leave the tree clean. */
export const readmeScreenshotsDir = join(repoRoot, 'media', 'screenshots');

/**
 * Copies a screenshot over the README's copy when SAML_LENS_UPDATE_SCREENSHOTS=1
 * (e.g. `SAML_LENS_UPDATE_SCREENSHOTS=1 npm run test:e2e`); always prints where it is.
 */
export function publishScreenshot(shot: string, readmeName: string): void {
  console.log(`screenshot: ${shot}`);
  if (process.env.SAML_LENS_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(readmeScreenshotsDir, { recursive: true });
  copyFileSync(shot, join(readmeScreenshotsDir, readmeName));
  console.log(`README screenshot updated: media/screenshots/${readmeName}`);
}

/** How long one UI step may take before the test fails (the first start of the server is the slowest). */
const STEP_TIMEOUT_MS = 60_000;

export interface WorkbenchOptions {
  /** Folder to open; the sample workspace by default. */
  folder?: string;
  /** Pass false to open the folder in restricted mode. */
  trustWorkspaces?: boolean;
}

export interface Workbench {
  page: Page;
  server: RunningServer;
  /** Runs a command from the command palette (F1), by its label as shown there, e.g. "SAML: Show Log". */
  runCommand(label: string): Promise<void>;
  /** Opens a file through quick open (Ctrl+P) and waits until its editor is active. */
  quickOpen(fileName: string): Promise<void>;
  /** The active editor tab. */
  activeTab(): Locator;
  /** Saves a PNG of the whole window under .test-results/screenshots and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Closes the browser and stops the server. */
  close(): Promise<void>;
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const server = await startServer({ extensionPath: repoRoot, trustWorkspaces: options.trustWorkspaces });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(server.workbenchUrl({ folder: options.folder ?? samplesFolder }));
    // The workbench is usable once the explorer lists the folder's files (samples/ always has .vscode/).
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible' });
    return makeWorkbench(page, server, browser);
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}

function makeWorkbench(page: Page, server: RunningServer, browser: Browser): Workbench {
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('input.input');
  const activeTab = () => page.locator('.tabs-container .tab.active');

  /** Opens a quick input with `keys`, types `text`, and accepts the row whose label matches. */
  async function pick(keys: string, text: string, rowLabel: string): Promise<void> {
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press(keys);
    await quickInput.waitFor({ state: 'visible' });
    await quickInputBox.pressSequentially(text);
    const row = quickInput.locator('.monaco-list-row', { hasText: rowLabel }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await quickInput.waitFor({ state: 'hidden' });
  }

  return {
    page,
    server,
    activeTab,
    async runCommand(label) {
      await pick('F1', label, label);
    },
    async quickOpen(fileName) {
      await pick('Control+P', fileName, fileName);
      await activeTab().filter({ hasText: fileName }).waitFor({ state: 'visible' });
      await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
    },
    async screenshot(name) {
      mkdirSync(screenshotsDir, { recursive: true });
      const path = join(screenshotsDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}
