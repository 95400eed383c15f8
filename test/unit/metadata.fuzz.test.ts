import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { lintMetadata, parseMetadata } from '../../src/core/metadata';
import { LineIndex, parseXmlDom } from '../../src/core/xml';
import { seededRandom } from '../fuzz/random';

const fixture = readFileSync(
  join(resolve(__dirname, '..', '..'), 'test', 'fixtures', 'metadata', 'aggregate.idp-sp-nested.mdui-contacts.xml'),
  'utf8',
);

const fragments = [
  '<',
  '>',
  '/',
  '"',
  "'",
  '&',
  '&amp;',
  '&#x1F600;',
  '😀',
  '\r',
  '\r\n',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  'xmlns:md="x"',
  '<md:',
  '</md:',
  '<!DOCTYPE x>',
  '\uFEFF',
  '\u0000',
];

function mutate(text: string, random: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * result.length);
    const choice = random();
    if (choice < 0.4) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(random() * 20));
    else if (choice < 0.8)
      result = result.slice(0, at) + fragments[Math.floor(random() * fragments.length)] + result.slice(at);
    else
      result =
        result.slice(0, at) +
        result
          .slice(at, at + 40)
          .split('')
          .reverse()
          .join('') +
        result.slice(at + 40);
  }
  return result;
}

test('mutated metadata never crashes: either a model or an error with a position inside the text', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261129);
  const random = seededRandom(seed);
  let refused = 0;
  for (let iteration = 0; iteration < 300; iteration++) {
    const text = mutate(fixture, random);
    const context = `seed ${seed}, iteration ${iteration} (rerun with FUZZ_SEED=${seed})`;
    const result = parseMetadata(text);
    if (result.ok) {
      assert.doesNotThrow(() => lintMetadata(result.model, { now: new Date('2026-11-29T00:00:00Z') }), context);
      for (const certificate of result.model.certificates) {
        assert.equal(text.slice(certificate.range.start, certificate.range.end), certificate.base64, context);
      }
    } else {
      refused++;
      const { error } = result;
      assert.ok(error.offset >= 0 && error.offset <= text.length, `${context}: offset ${error.offset}`);
      const position = new LineIndex(text).positionAt(error.offset);
      assert.deepEqual([error.line, error.column], [position.line + 1, position.character + 1], context);
      assert.match(error.message, /^Line \d+, column \d+: \S/, context);
      assert.doesNotMatch(error.message, /undefined|\[object/, context);
    }
    // The DOM loader may be stricter than the scanner (xmldom refuses astral characters in names),
    // never more lenient; either way it answers with a positioned message.
    const dom = parseXmlDom(text);
    if (!result.ok) assert.equal(dom.ok, false, `${context}: the DOM loader accepted what the scanner refused`);
    if (!dom.ok) assert.match(dom.error.message, /^Line \d+, column \d+: \S/, context);
  }
  assert.ok(refused > 100, `most mutations break the XML (${refused} of 300 refused)`);
});
