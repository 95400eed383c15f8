// docs/rules.md is the validator's rule table. It stays true only if it is checked: every finding
// code the validator registers has a row, every code a row names is registered, and every test a row
// names exists (the file, and the test or case name inside it).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FINDING_CODES } from '../../src/core/validate';

const root = join(__dirname, '..', '..');
const table = readFileSync(join(root, 'docs', 'rules.md'), 'utf8');

interface Row {
  id: string;
  codes: string[];
  testFile: string;
  testName: string;
}

function rows(): Row[] {
  const found: Row[] = [];
  for (const line of table.split('\n')) {
    const match = /^\| (R\d+) \|/.exec(line);
    if (!match) continue;
    const cells = line.split(' | ');
    const codes = [...cells[3].matchAll(/`([a-z0-9-]+(?:\.[a-z0-9-]+)+)`/g)].map((m) => m[1]);
    const testCell = /`([\w.-]+\.test\.ts)` › "([^"]+)"/.exec(cells[4]);
    assert.ok(testCell, `${match[1]} names its test as \`file.test.ts\` › "name"`);
    found.push({ id: match[1], codes, testFile: testCell[1], testName: testCell[2] });
  }
  return found;
}

test('every registered finding code has a row in docs/rules.md', () => {
  const documented = new Set(rows().flatMap((row) => row.codes));
  assert.deepEqual(
    Object.keys(FINDING_CODES).filter((code) => !documented.has(code)),
    [],
  );
});

test('every code docs/rules.md names is registered', () => {
  const registered = new Set(Object.keys(FINDING_CODES));
  const unknown = rows().flatMap((row) =>
    row.codes.filter((code) => !registered.has(code)).map((c) => `${row.id}: ${c}`),
  );
  assert.deepEqual(unknown, []);
});

test('every test docs/rules.md names exists', () => {
  const missing: string[] = [];
  for (const row of rows()) {
    const file = join(root, 'test', 'unit', row.testFile);
    if (!existsSync(file)) missing.push(`${row.id}: no file test/unit/${row.testFile}`);
    else if (!readFileSync(file, 'utf8').includes(row.testName))
      missing.push(`${row.id}: "${row.testName}" is not in ${row.testFile}`);
  }
  assert.deepEqual(missing, []);
});

test('rule numbers are unique and every row names at least one code', () => {
  const all = rows();
  assert.ok(all.length >= 60, `only ${all.length} rows read`);
  assert.equal(new Set(all.map((row) => row.id)).size, all.length);
  assert.deepEqual(
    all.filter((row) => row.codes.length === 0).map((row) => row.id),
    [],
  );
});
