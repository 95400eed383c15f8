import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, stripBom } from '../../src/core/xml';

// Expected positions are counted by hand: line and character are 0-based, characters are UTF-16
// code units, CRLF / LF / lone CR each end a line.
const cases: { name: string; text: string; positions: [offset: number, line: number, character: number][] }[] = [
  {
    name: 'LF',
    text: 'ab\ncd',
    positions: [
      [0, 0, 0],
      [2, 0, 2],
      [3, 1, 0],
      [5, 1, 2],
    ],
  },
  {
    name: 'CRLF',
    text: 'ab\r\ncd\r\n',
    positions: [
      [2, 0, 2],
      [4, 1, 0],
      [6, 1, 2],
      [8, 2, 0],
    ],
  },
  {
    name: 'lone CR',
    text: 'ab\rcd\r',
    positions: [
      [2, 0, 2],
      [3, 1, 0],
      [5, 1, 2],
      [6, 2, 0],
    ],
  },
  {
    name: 'mixed',
    text: 'a\r\nb\rc\nd',
    positions: [
      [3, 1, 0],
      [5, 2, 0],
      [7, 3, 0],
      [8, 3, 1],
    ],
  },
  {
    name: 'BOM is a character at offset 0',
    text: '\uFEFF<a/>\n<b/>',
    positions: [
      [0, 0, 0],
      [1, 0, 1],
      [5, 0, 5],
      [6, 1, 0],
    ],
  },
  // 😀 is U+1F600, two UTF-16 code units.
  {
    name: 'astral characters count 2',
    text: '😀x\n€😀y',
    positions: [
      [2, 0, 2],
      [3, 0, 3],
      [4, 1, 0],
      [5, 1, 1],
      [7, 1, 3],
    ],
  },
  { name: 'empty text', text: '', positions: [[0, 0, 0]] },
];

for (const { name, text, positions } of cases) {
  test(`LineIndex: ${name}`, () => {
    const index = new LineIndex(text);
    for (const [offset, line, character] of positions) {
      assert.deepEqual(index.positionAt(offset), { line, character }, `positionAt(${offset})`);
      assert.equal(index.offsetAt({ line, character }), offset, `offsetAt(${line}:${character})`);
    }
  });
}

test('LineIndex clamps positions outside the text', () => {
  const index = new LineIndex('ab\r\ncd');
  assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(99), { line: 1, character: 2 });
  // Past the end of line 0 stops before its CRLF, as VS Code does.
  assert.equal(index.offsetAt({ line: 0, character: 40 }), 2);
  assert.equal(index.offsetAt({ line: 7, character: 0 }), 6);
  assert.equal(index.lineCount, 2);
});

test('stripBom removes only a leading BOM', () => {
  assert.equal(stripBom('\uFEFF<a/>'), '<a/>');
  assert.equal(stripBom('<a>\uFEFF</a>'), '<a>\uFEFF</a>');
  assert.equal(stripBom(''), '');
});
