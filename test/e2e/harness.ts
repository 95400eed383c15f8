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
import type { Browser, Frame, Locator, Page } from 'playwright-core';
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
  /**
   * Permissions the page holds from the start, e.g. ['clipboard-read', 'clipboard-write'].
   * None by default: reading the clipboard is then refused, as when a person denies the prompt.
   */
  permissions?: string[];
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
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: options.permissions ?? [],
    });
    const page = await context.newPage();
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

/** The decode panel's content frame: webviews are nested iframes, so look for the panel's own root. */
export async function decodePanelFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator('#verdict').count()) > 0) return frame;
      } catch {
        // A frame detached while we looked at it; try the others.
      }
    }
    if (Date.now() > deadline) throw new Error('the decode panel did not render a verdict');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens a file, selects all of it and runs "SAML: Decode Message" on the selection. */
export async function decodeWholeFile(workbench: Workbench, fileName: string): Promise<Frame> {
  await workbench.quickOpen(fileName);
  await workbench.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await workbench.page.keyboard.press('Control+A');
  await workbench.runCommand('SAML: Decode Message');
  return decodePanelFrame(workbench.page);
}

/**
 * Moves the mouse over `target` until a hover containing `text` shows. The layout can still shift
 * (a banner, the CodeLens line appearing), so the target is measured again before each try.
 */
export async function hoverOver(page: Page, target: Locator, text: string): Promise<Locator> {
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    const box = await target.boundingBox();
    if (!box) throw new Error('the hover target is not laid out');
    await page.mouse.move(box.x + Math.min(120, box.width / 2), box.y + box.height / 2, { steps: 5 });
    try {
      await hover.waitFor({ state: 'visible', timeout: 5_000 });
      return hover;
    } catch (error) {
      if (attempt === 4) throw error;
      await page.mouse.move(0, 0);
    }
  }
}
