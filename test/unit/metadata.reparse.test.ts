import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseMetadata, type MetadataParseResult } from '../../src/core/metadata';
import { applyChanges, reparseAfterChange, type TextChange } from '../../src/core/metadata/reparse';
import { seededRandom } from '../fuzz/random';

const root = resolve(__dirname, '..', '..');
const corpus = join(root, '..', 'shared', 'corpus', 'metadata');
const files = [
  join(root, 'test', 'fixtures', 'metadata', 'aggregate.idp-sp-nested.mdui-contacts.xml'),
  join(corpus, 'swamid-test-1.0-aggregate.xml'),
  join(corpus, 'sambi-aggregate-2014.xml'),
  join(corpus, 'shibboleth-testshib-providers.xml'),
  join(corpus, 'skolfederation-aggregate-2014.xml'),
];

/** What a person types: characters, markup fragments, deletions, and pastes of nearby text. */
const insertions = [
  'x',
  ' ',
  '\n',
  '%',
  '<',
  '>',
  '"',
  '&amp;',
  '&bogus;',
  '\r\n',
  '<!-- note -->',
  '<md:Extensions/>',
  '</md:EntityDescriptor>',
  '<md:NameIDFormat>urn:x</md:NameIDFormat>',
  ' xmlns:q="urn:q"',
  'é😀',
  '\u0001',
];

function randomChange(text: string, random: () => number): TextChange {
  const start = Math.floor(random() * text.length);
  const choice = random();
  if (choice < 0.35) return { start, end: start, text: insertions[Math.floor(random() * insertions.length)] };
  if (choice < 0.7) return { start, end: Math.min(text.length, start + 1 + Math.floor(random() * 12)), text: '' };
  const from = Math.floor(random() * text.length);
  return { start, end: Math.min(text.length, start + Math.floor(random() * 4)), text: text.slice(from, from + 30) };
}

/** An edit inside the n-th entity, where most of them fall when a person edits an aggregate. */
function changeInsideEntity(text: string, result: MetadataParseResult, random: () => number): TextChange {
  const model = result.ok ? result.model : result.partial;
  if (model.entities.length === 0) return randomChange(text, random);
  const entity = model.entities[Math.floor(random() * model.entities.length)];
  const inner = entity.range.end - entity.range.start - 2;
  const start = entity.range.start + 1 + Math.floor(random() * inner);
  const change = randomChange(text, random);
  const length = Math.min(change.end - change.start, entity.range.end - 1 - start);
  return { start, end: start + Math.max(0, length), text: change.text };
}

for (const file of files) {
  test(`re-parsing one entity after an edit equals parsing the whole text: ${file.split('/').pop()}`, () => {
    const original = readFileSync(file, 'utf8');
    const random = seededRandom(0x5eed + original.length);
    let text = original;
    let previous = parseMetadata(text);
    assert.ok(previous.ok, 'the file itself parses');
    let incremental = 0;
    const rounds = 60;
    for (let round = 0; round < rounds; round++) {
      const changes: TextChange[] = [changeInsideEntity(text, previous, random)];
      if (random() < 0.3) changes.push(changeInsideEntity(applyChanges(text, changes).text, previous, random));
      const { text: next, changed } = applyChanges(text, changes);
      assert.ok(changed);
      const whole = parseMetadata(next);
      const again = reparseAfterChange(previous, next, changed);
      if (again) {
        incremental++;
        assert.deepStrictEqual(again, whole, `round ${round}: ${JSON.stringify(changes)}`);
      }
      text = next;
      // The re-parse took over the previous model; keep going from a whole parse when it gave up.
      previous = again ?? whole;
      // A broken document can only be parsed whole: start over from the file when it is.
      if (!previous.ok) {
        text = original;
        previous = parseMetadata(text);
      }
    }
    assert.ok(incremental >= rounds / 4, `only ${incremental} of ${rounds} edits were re-parsed in place`);
  });
}

test('a typed character inside an entity is re-parsed in place, shifting every later offset', () => {
  const text = readFileSync(files[0], 'utf8');
  const before = parseMetadata(text);
  assert.ok(before.ok);
  const first = before.model.entities[0];
  const at = text.indexOf('</md:EntityDescriptor>', first.range.start) - 1;
  const change = { start: at, end: at, text: 'x' };
  const { text: next, changed } = applyChanges(text, [change]);
  const again = reparseAfterChange(before, next, changed!);
  assert.ok(again?.ok);
  const second = again.model.entities[1];
  const expected = parseMetadata(next);
  assert.ok(expected.ok);
  assert.equal(second.range.start, expected.model.entities[1].range.start);
  assert.equal(next.slice(second.range.start, second.range.start + 20), '<md:EntityDescriptor');
});

test('edits between entities, at an entity edge or outside any group are left to a whole parse', () => {
  const text = readFileSync(files[0], 'utf8');
  const parsed = () => parseMetadata(text);
  const entity = (parsed() as { ok: true; model: { entities: { range: { start: number; end: number } }[] } }).model
    .entities[0].range;
  const cases: TextChange[] = [
    { start: entity.start, end: entity.start, text: ' ' },
    { start: entity.end, end: entity.end, text: ' ' },
    { start: entity.end - 1, end: entity.end, text: '>' },
    { start: 0, end: 0, text: ' ' },
  ];
  for (const change of cases) {
    const { text: next, changed } = applyChanges(text, [change]);
    assert.equal(reparseAfterChange(parsed(), next, changed!), undefined, JSON.stringify(change));
  }
  const single = readFileSync(join(corpus, 'okta-idp-metadata.xml'), 'utf8');
  const result = parseMetadata(single);
  const inside = (result as { ok: true; model: { entities: { startTagEnd: number }[] } }).model.entities[0].startTagEnd;
  const { text: next, changed } = applyChanges(single, [{ start: inside, end: inside, text: ' ' }]);
  assert.equal(reparseAfterChange(result, next, changed!), undefined, 'an entity that is the root');
});

test('applyChanges: the changed span is exactly where the texts differ, over several edits', () => {
  const random = seededRandom(7);
  for (let round = 0; round < 500; round++) {
    const old = 'abcdefghijklmnopqrstuvwxyz'.repeat(3);
    let text = old;
    let changed;
    for (let i = 0; i < 1 + Math.floor(random() * 4); i++) {
      const start = Math.floor(random() * text.length);
      const end = Math.min(text.length, start + Math.floor(random() * 5));
      const insert = 'XYZ'.slice(0, Math.floor(random() * 4));
      ({ text, changed } = applyChanges(text, [{ start, end, text: insert }], changed));
    }
    assert.ok(changed);
    assert.equal(text.slice(0, changed.start), old.slice(0, changed.start));
    assert.equal(text.slice(changed.newEnd), old.slice(changed.oldEnd));
    assert.equal(text.length - old.length, changed.newEnd - changed.oldEnd);
  }
  assert.throws(() => applyChanges('abc', [{ start: 2, end: 9, text: '' }]), /does not fit a text of 3 characters/);
});
