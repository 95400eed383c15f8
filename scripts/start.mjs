// `npm start`: builds, then opens the sample workspace in VS Code with the extension loaded
// from this folder. With a desktop `code` on PATH that is a new VS Code window; otherwise the
// offline VS Code server (scripts/vscode/) serves the workbench on 127.0.0.1 and this process
// stays in the foreground, printing the URL, until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ensureNodeModules } from './ensure-node-modules.mjs';

const repoRoot = resolve(import.meta.dirname, '..');

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

if (!ensureNodeModules(repoRoot)) process.exit(1);

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed; fix the errors above and run npm start again.');
  process.exit(1);
}

if (hasCommand('code') && !process.env.SAML_LENS_SERVER) {
  const result = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, join(repoRoot, 'samples')], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

// The server needs tsx to load its TypeScript launcher; forward Ctrl-C so it can clean up.
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/vscode/start.ts'], {
  cwd: repoRoot,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
