// The README's table of SP library defaults is the library models' output (test/peers/defaultsTable.ts),
// never hand-edited: regenerate it with `npm run library-table -- --write`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { README_END, README_START, libraryDefaultsTable } from '../peers/defaultsTable';

test('README: the "Which service provider library?" table is what the library models say', async () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  assert.ok(start >= 0 && end > start, `README.md holds the ${README_START} block`);
  const inReadme = readme.slice(start + README_START.length, end).trim();
  assert.equal(inReadme, await libraryDefaultsTable(), 'regenerate with: npm run library-table -- --write');
});
