// Launches Debian's Chromium through playwright-core with a fresh profile, for showing the
// workbench served by server.ts. No browser download: the system binary is used.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from './setup';

// Chromium flags for a headless, offline, root-run browser: no sandbox (root in a container),
// no GPU, and none of the background traffic a normal profile starts.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(options: { headless?: boolean } = {}): Promise<Browser> {
  const executablePath = process.env.SAML_LENS_CHROMIUM || CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; install it with apt-get install chromium`);
  }
  // launch() starts from a new temporary profile and deletes it on close; playwright also kills
  // the browser when this process exits or gets Ctrl-C.
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: options.headless ?? true });
}
