// Runs the unit tests (test/unit/**/*.test.ts, plain Node, no VS Code) with Node's test runner.
// Extra arguments are passed through, e.g. `npm run test:unit -- --test-name-pattern=cert`.
// The time zone is the caller's (TZ): `npm test` runs this under TZ=UTC and TZ=America/Los_Angeles,
// so a test must hold in any zone, e.g. `TZ=Asia/Kolkata npm run test:unit`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = findTests('test/unit');
if (files.length === 0) {
  console.error('No unit tests found under test/unit.');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...process.argv.slice(2), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
