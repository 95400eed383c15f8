// Drives the real VS Code workbench for end-to-end tests: starts the offline VS Code server with
// this extension loaded from source, opens the workbench in headless Chromium, and offers the
// few gestures tests need. Everything waits by polling the page; nothing sleeps a fixed time.
//
//   e2eFile('the log', () => {
//     uiTest('SAML: Show Log shows the log', async () => {
//       const workbench = await openWorkbench();   // closed after the test, whatever happens
//       await workbench.quickOpen('entra-id.xml');
//       await workbench.runCommand('SAML: Show Log');
//       console.log(await workbench.screenshot('log'));
//     });
//   });
//
// No test can leave a server or browser running: every workbench is tracked, the ones a test
// opened are closed when it ends, and the rest (opened in before hooks) when the file ends. Each
// test and each file has a hard time limit; a failing test leaves a screenshot named after it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
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
/** How long one end-to-end test may take, opening its workbench included. */
export const TEST_TIMEOUT_MS = 4 * 60_000;
/** How long one end-to-end test file may take, all its tests and hooks included. */
export const FILE_TIMEOUT_MS = 8 * 60_000;

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
  /**
   * Runs a command from the command palette (F1), by its label as shown there, e.g. "SAML: Show Log".
   * `opensQuickPick`: the command asks with a quick pick of its own, so the quick input stays open.
   */
  runCommand(label: string, options?: { opensQuickPick?: boolean }): Promise<void>;
  /** Opens a file through quick open (Ctrl+P) and waits until its editor is active. */
  quickOpen(fileName: string): Promise<void>;
  /** The active editor tab. */
  activeTab(): Locator;
  /** Saves a PNG of the whole window under .test-results/screenshots and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Closes the browser and stops the server; closing again does nothing. */
  close(): Promise<void>;
}

/** Everything started and not yet stopped: servers and browsers, with how to stop each. */
const running = new Set<{ close(): Promise<void> }>();
let fileFinished = false;

/** Closes every workbench still open (and any server or browser still starting). */
export async function closeAllWorkbenches(): Promise<void> {
  await Promise.all([...running].map((entry) => entry.close().catch(() => undefined)));
}

// When the file's tests are over (passed, failed or timed out), nothing it started may stay
// running: a live browser or server would keep this process, and so the test run, from ending.
after(async () => {
  fileFinished = true;
  await closeAllWorkbenches();
});

/** Tracks `close` until it has run once; running it again waits for the first run. */
function track(close: () => Promise<void>): { close(): Promise<void> } {
  let closing: Promise<void> | undefined;
  const entry = {
    close() {
      closing ??= close().finally(() => running.delete(entry));
      return closing;
    },
  };
  running.add(entry);
  return entry;
}

/**
 * Runs one UI step; when it fails, the error names the step and keeps the reason, e.g.
 * `quick open "entra-id.xml": the quick input did not open`.
 */
/**
 * A throwaway workspace folder holding `files` (name → text) and `.vscode/settings.json`, for a
 * test that opens the workbench on it; `remove` deletes it.
 */
export function writeWorkspace(
  prefix: string,
  files: Record<string, string>,
  settings: Record<string, unknown>,
): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify(settings));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export async function step<T>(description: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${description}: ${reason}`, { cause: error });
  }
}

/** A file name from a test's title: "a → b: c" becomes "a-b-c". */
function fileNameFor(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'test'
  );
}

/**
 * One test file's tests, under a hard time limit for the whole file. Everything the file opens is
 * closed when the file ends, so a failed or timed-out step cannot keep the run alive.
 */
export function e2eFile(name: string, body: () => void): void {
  describe(name, { timeout: FILE_TIMEOUT_MS }, body);
}

/**
 * An end-to-end test with a hard time limit. Workbenches it opens are closed when it ends, pass or
 * fail; when it fails, every open workbench is photographed as
 * .test-results/screenshots/failed-<test title>.png and the failing step's reason is printed.
 */
export function uiTest(
  name: string,
  body: (t: TestContext) => Promise<void>,
  options: { timeout?: number } = {},
): void {
  const timeout = options.timeout ?? TEST_TIMEOUT_MS;
  test(name, { timeout }, async (t) => {
    const before = new Set(running);
    // Gives up a little before the runner's own limit, while the page can still be photographed.
    const ownLimitMs = Math.max(timeout - 20_000, timeout / 2);
    let timer: NodeJS.Timeout | undefined;
    const overtime = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the test did not finish within ${Math.round(ownLimitMs / 1000)} s`)),
        ownLimitMs,
      );
    });
    try {
      await Promise.race([body(t), overtime]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.log(`✖ "${name}" failed: ${reason.split('\n').slice(0, 6).join('\n  ')}`);
      await screenshotOnFailure(name);
      throw error;
    } finally {
      clearTimeout(timer);
      await Promise.all(
        [...running].filter((entry) => !before.has(entry)).map((entry) => entry.close().catch(() => undefined)),
      );
    }
  });
}

/** Pages of the open workbenches, for the failure screenshot. */
const openPages = new Map<{ close(): Promise<void> }, Page>();

async function screenshotOnFailure(testName: string): Promise<void> {
  const pages = [...openPages.values()];
  for (const [index, page] of pages.entries()) {
    const suffix = pages.length > 1 ? `-${index + 1}` : '';
    const path = join(screenshotsDir, `failed-${fileNameFor(testName)}${suffix}.png`);
    try {
      mkdirSync(screenshotsDir, { recursive: true });
      await page.screenshot({ path, timeout: 10_000 });
      console.log(`screenshot of the failure: ${path}`);
    } catch (error) {
      console.log(`no screenshot of the failure (${(error as Error).message.split('\n')[0]})`);
    }
  }
}

/**
 * Starts a server and a browser showing the workbench. It is closed when the test that opened it
 * ends (or, opened in a hook, when the file ends); `close()` may also be called earlier.
 */
export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  if (fileFinished) throw new Error('openWorkbench() after the test file ended');
  // Tracked from the moment each part starts, so a test that times out while this runs leaks nothing.
  let browser: Browser | undefined;
  let server: RunningServer | undefined;
  let closed = false;
  const stopParts = async () => {
    openPages.delete(entry);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  const entry = track(async () => {
    closed = true;
    await stopParts();
  });
  const stillWanted = () => {
    if (closed || fileFinished) throw new Error('the workbench was closed (test over) while it was starting');
  };
  try {
    server = await startServer({ extensionPath: repoRoot, trustWorkspaces: options.trustWorkspaces });
    stillWanted();
    browser = await launchChromium();
    stillWanted();
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      permissions: options.permissions ?? [],
    });
    const page = await context.newPage();
    openPages.set(entry, page);
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await step('opening the workbench', async () => {
      await page.goto(server!.workbenchUrl({ folder: options.folder ?? samplesFolder }));
      // The workbench is usable once the explorer lists the folder's files (samples/ always has .vscode/).
      await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible' });
    });
    return makeWorkbench(page, server, () => entry.close());
  } catch (error) {
    await entry.close();
    // A part that finished starting after an earlier close() is stopped here.
    await stopParts();
    throw error;
  }
}

function makeWorkbench(page: Page, server: RunningServer, close: () => Promise<void>): Workbench {
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('input.input');
  const activeTab = () => page.locator('.tabs-container .tab.active');

  /**
   * Gives the workbench window the keyboard: the page in front and focused, no quick input left
   * open, and focus not inside a webview (whose frame would get the keys first).
   */
  async function focusWorkbench(): Promise<void> {
    await page.bringToFront();
    if (await quickInput.isVisible()) {
      await page.keyboard.press('Escape');
      await quickInput.waitFor({ state: 'hidden' });
    }
    await page.evaluate(() => {
      if (document.activeElement instanceof HTMLIFrameElement) document.activeElement.blur();
      if (!document.hasFocus()) window.focus();
    });
  }

  /** Presses `keys` until the quick input is open with its text box focused; tries twice. */
  async function openQuickInput(keys: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await focusWorkbench();
      await page.keyboard.press(keys);
      try {
        // A busy machine can take a while; the second try waits the full step time.
        await quickInput.waitFor({ state: 'visible', timeout: attempt === 1 ? 15_000 : STEP_TIMEOUT_MS });
        await page.waitForFunction(
          () => document.activeElement?.matches('.quick-input-widget input.input') ?? false,
          undefined,
          { timeout: attempt === 1 ? 15_000 : STEP_TIMEOUT_MS },
        );
        return;
      } catch (error) {
        if (attempt === 2) {
          throw new Error(`the quick input did not open (or its text box did not take focus) after ${keys}, twice`, {
            cause: error,
          });
        }
        console.log(`${keys} did not open the quick input; trying again`);
      }
    }
  }

  /**
   * Opens a quick input with `keys`, types `text`, waits until the box shows it, and accepts the
   * row whose label matches. The command palette keeps its ">" prefix.
   */
  async function pick(keys: string, text: string, rowLabel: string, staysOpen = false): Promise<void> {
    await openQuickInput(keys);
    const prefix = keys === 'F1' ? '>' : '';
    if ((await quickInputBox.inputValue()) !== prefix) await quickInputBox.fill(prefix);
    const wanted = prefix + text;
    await quickInputBox.pressSequentially(text);
    try {
      await page.waitForFunction(
        (value) => (document.activeElement as HTMLInputElement | null)?.value === value,
        wanted,
        { timeout: 5_000 },
      );
    } catch {
      // Keys were lost or doubled on a busy machine: set the text as a whole.
      await quickInputBox.fill(wanted);
    }
    if ((await quickInputBox.inputValue()) !== wanted) {
      throw new Error(`the quick input shows "${await quickInputBox.inputValue()}", not "${wanted}"`);
    }
    const row = quickInput.locator('.monaco-list-row', { hasText: rowLabel }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    if (staysOpen)
      await page.waitForFunction(
        (value) => (document.activeElement as HTMLInputElement | null)?.value !== value,
        wanted,
      );
    else await quickInput.waitFor({ state: 'hidden' });
  }

  return {
    page,
    server,
    activeTab,
    async runCommand(label, options) {
      await step(`command palette "${label}"`, () => pick('F1', label, label, options?.opensQuickPick));
    },
    async quickOpen(fileName) {
      await step(`quick open "${fileName}"`, async () => {
        await pick('Control+P', fileName, fileName);
        await activeTab().filter({ hasText: fileName }).waitFor({ state: 'visible' });
        await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
      });
    },
    async screenshot(name) {
      mkdirSync(screenshotsDir, { recursive: true });
      const path = join(screenshotsDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close,
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
