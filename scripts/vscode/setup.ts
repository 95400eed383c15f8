// Prepares everything the offline VS Code server needs, once per machine:
//   - Debian packages: chromium (the browser that shows the workbench) and libkrb5-dev
//     (VS Code's server builds a Kerberos module against it);
//   - a Node 24 binary (VS Code's server requires it; the project itself runs on Node 20);
//   - code-server's copy of the VS Code server, with its native modules built for Node 24.
// The result lives outside the repository, keyed by version, so clones and reruns reuse it:
//   ${XDG_CACHE_HOME:-~/.cache}/saml-lens/vscode-server/code-server-<version>/
// Run directly (`node --import tsx scripts/vscode/setup.ts`) to prepare the cache ahead of time.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
export const CHROMIUM_PATH = '/usr/bin/chromium';

const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'saml-lens', 'vscode-server');

/** Where the prepared server lives; complete once `.complete` exists in it. */
export function serverCacheDir(): string {
  return join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
}

export interface ServerPaths {
  /** The cache folder holding node_modules/node and node_modules/code-server. */
  dir: string;
  /** The Node 24 binary that runs the server. */
  node: string;
  /** VS Code's own server entry point inside code-server. */
  serverMain: string;
}

/** Paths the launcher needs, valid once ensureVsCodeServer() has returned. */
export function serverPaths(dir = serverCacheDir()): ServerPaths {
  return {
    dir,
    node: join(dir, 'node_modules', 'node', 'bin', 'node'),
    serverMain: join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'),
  };
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  console.log(`  $ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function hasDebianPackage(name: string): boolean {
  return spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs through apt, when missing: chromium and libkrb5-dev for the server and its browser, a
 * build toolchain for its native modules, xmllint, xmlsec1 and openssl, which the tests use
 * as independent references, and python3-saml and ruby-saml, real SP libraries the peer tests run.
 */
export function ensureSystemPackages(): void {
  const missing: string[] = [];
  if (!hasCommand('chromium')) missing.push('chromium');
  if (!hasDebianPackage('libkrb5-dev')) missing.push('libkrb5-dev');
  // The server's native modules are compiled when no prebuilt binary fits.
  for (const tool of ['g++', 'make', 'python3']) if (!hasCommand(tool)) missing.push(tool);
  if (!hasCommand('xmllint')) missing.push('libxml2-utils');
  for (const tool of ['xmlsec1', 'openssl']) if (!hasCommand(tool)) missing.push(tool);
  for (const pkg of ['python3-onelogin-saml2', 'ruby-saml']) if (!hasDebianPackage(pkg)) missing.push(pkg);
  if (missing.length === 0) return;
  if (!hasCommand('apt-get')) {
    throw new Error(`missing ${missing.join(', ')} and apt-get is not available; install them by hand`);
  }
  console.log(`Installing Debian packages: ${missing.join(', ')}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args: string[]) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
  apt(['update']);
  apt(['install', '-y', ...missing]);
}

/** Builds the server into a temporary folder, then moves it into place, so a half build is never reused. */
function buildServer(target: string): void {
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'saml-lens-vscode-server', private: true }));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

  console.log(
    `Building the offline VS Code server (code-server ${CODE_SERVER_VERSION}) in ${target}; this takes a few minutes once.`,
  );
  run(npm, ['install', ...quiet, `node@${NODE_MAJOR}`], { cwd: staging });
  const { node } = serverPaths(staging);
  if (!existsSync(node)) throw new Error(`npm install node@${NODE_MAJOR} did not produce ${node}`);

  // Every later step must see Node 24 first on PATH: native modules are built for it.
  const env = {
    ...process.env,
    PATH: `${join(staging, 'node_modules', 'node', 'bin')}${delimiter}${process.env.PATH}`,
  };
  const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  // A normal install fails in argon2's install script, so scripts are skipped and the
  // two steps that matter are run by hand.
  run(npm, ['install', ...quiet, '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: staging, env });
  run('npx', ['--yes', 'node-gyp-build'], { cwd: join(staging, 'node_modules', 'argon2'), env });
  // postinstall.sh checks the npm user agent for the Node major version it requires.
  run('sh', ['./postinstall.sh'], {
    cwd: join(staging, 'node_modules', 'code-server'),
    env: { ...env, npm_config_user_agent: `npm/11.6.0 node/${nodeVersion} linux x64 workspaces/false` },
  });
  if (!existsSync(serverPaths(staging).serverMain)) {
    throw new Error(`the build finished but ${serverPaths(staging).serverMain} is missing`);
  }
  writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

/** Makes sure the system packages and the cached server exist; returns the server paths. */
export function ensureVsCodeServer(): ServerPaths {
  ensureSystemPackages();
  const dir = serverCacheDir();
  if (!existsSync(join(dir, '.complete'))) {
    mkdirSync(cacheRoot, { recursive: true });
    buildServer(dir);
  }
  return serverPaths(dir);
}

if (require.main === module) {
  try {
    const paths = ensureVsCodeServer();
    console.log(`VS Code server ready: ${paths.dir}`);
  } catch (error) {
    console.error(`Setting up the VS Code server failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
