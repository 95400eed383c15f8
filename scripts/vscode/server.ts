// Starts VS Code's own server (from the cached code-server build, see setup.ts) on 127.0.0.1,
// with throwaway data folders, and builds workbench URLs that load this extension from source.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureVsCodeServer } from './setup';

export interface ServerOptions {
  /** Folder of the extension under development; loaded through the workbench payload. */
  extensionPath: string;
  /** Trust every workspace (default). Pass false to test restricted mode. */
  trustWorkspaces?: boolean;
  /** Extra environment for the server and its extension host (e.g. where host tests write results). */
  env?: Record<string, string>;
  /** Fixed port; a free one is picked when omitted. */
  port?: number;
  /** How long to wait for the server to answer, in milliseconds. */
  startTimeoutMs?: number;
}

export interface WorkbenchOptions {
  /** Absolute path of the folder the workbench opens. */
  folder: string;
  /** Absolute path of a bundled module whose run() the extension host calls (extension tests). */
  extensionTestsPath?: string;
}

export interface RunningServer {
  port: number;
  origin: string;
  /** The URL that opens a workbench on `folder` with the extension loaded from source. */
  workbenchUrl(options: WorkbenchOptions): string;
  /** Everything the server printed so far (its extension host log lines included). */
  output(): string;
  /** Stops the server and its extension hosts and deletes the throwaway data folders. */
  stop(): Promise<void>;
}

/** Asks the OS for a free port on 127.0.0.1. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('the OS gave no free port'))));
    });
  });
}

/** Polls `check` every `intervalMs` until it returns a value, or throws after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// Servers still running when the process exits (an uncaught error, Ctrl-C, kill) are killed
// here, so no server outlives its launcher. A signal's default action would skip 'exit'
// handlers, hence the explicit signal handlers.
const liveServers = new Map<ChildProcess, string>(); // server → its throwaway data folder
process.on('exit', () => {
  for (const [child, dataRoot] of liveServers) {
    killGroup(child, 'SIGKILL');
    rmSync(dataRoot, { recursive: true, force: true });
  }
});
const exitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const [signal, code] of Object.entries(exitCodes)) {
  process.on(signal as NodeJS.Signals, () => {
    if (liveServers.size > 0) console.error(`\n${signal}: stopping the VS Code server`);
    process.exit(code);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The server runs in its own process group, so this also reaches its extension hosts,
    // even after the server itself has exited.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const paths = ensureVsCodeServer();
  const port = options.port ?? (await findFreePort());
  const dataRoot = mkdtempSync(join(tmpdir(), 'saml-lens-vscode-'));
  const dirs = {
    serverData: join(dataRoot, 'server-data'),
    userData: join(dataRoot, 'user-data'),
    extensions: join(dataRoot, 'extensions'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // Machine settings apply to every workbench this server serves: keep the window quiet and predictable.
  const machineSettings = join(dirs.userData, 'Machine');
  mkdirSync(machineSettings, { recursive: true });
  writeFileSync(
    join(machineSettings, 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        // No chat side bar: it takes a third of every screenshot and needs a network service.
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );

  const args = [
    paths.serverMain,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--server-data-dir',
    dirs.serverData,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--telemetry-level',
    'off',
  ];
  if (options.trustWorkspaces !== false) args.push('--disable-workspace-trust');

  const child = spawn(paths.node, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  liveServers.set(child, dataRoot);
  // The server's log, for error messages; only the recent part, as `npm start` may run for days.
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const origin = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    port,
    origin,
    workbenchUrl({ folder, extensionTestsPath }) {
      // Paths inside the payload are remote URIs: the extension host runs in the server.
      const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
      const payload: [string, string][] = [['extensionDevelopmentPath', remote(options.extensionPath)]];
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    output: () => output,
    async stop() {
      killGroup(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      // Whether it stopped in time or not: make sure the server and its extension hosts are gone.
      killGroup(child, 'SIGKILL');
      liveServers.delete(child);
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };

  try {
    await pollUntil(
      `the VS Code server on ${origin}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`the VS Code server exited before answering:\n${output.trim()}`);
        }
        try {
          const response = await fetch(`${origin}/version`);
          return response.ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      options.startTimeoutMs ?? 60_000,
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
