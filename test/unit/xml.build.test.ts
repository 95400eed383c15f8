// The one XML writer (src/core/xml/build.ts): what it writes, read back by xmllint, gives every value
// exactly as it was given, including the characters XML parsing would otherwise normalise away.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildXml } from '../../src/core/xml/build';
import { skipWithout, XMLLINT } from '../requirements';

const AWKWARD = `a & b < c > d "double" 'single' tab\there line\nbreak carriage\rreturn ]]> --`;

function xpathString(xml: string, expression: string): string {
  const result = spawnSync('xmllint', ['--xpath', `string(${expression})`, '-'], { input: xml, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.replace(/\n$/, ''); // xmllint ends its answer with a line break
}

test('attribute values and text read back unchanged through xmllint', (t) => {
  if (skipWithout(t, XMLLINT)) return;
  const xml = buildXml({
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    root: { '@value': AWKWARD, '@flag': 'true', child: AWKWARD, other: { '@x': AWKWARD, '#text': AWKWARD } },
  });
  assert.equal(xpathString(xml, '/root/@value'), AWKWARD);
  assert.equal(xpathString(xml, '/root/@flag'), 'true');
  assert.equal(xpathString(xml, '/root/child'), AWKWARD);
  assert.equal(xpathString(xml, '/root/other/@x'), AWKWARD);
  assert.equal(xpathString(xml, '/root/other'), AWKWARD);
});

test('pretty output: attributes in the order given, one element a line, empty elements self-closed', () => {
  const xml = buildXml(
    {
      '#comment': ' note ',
      'md:A': {
        '@xmlns:md': 'urn:x',
        '@z': '1',
        '@a': '2',
        '@skipped': undefined,
        'md:B': [{ '@i': '0' }, { '@i': '1' }],
        'md:C': 'text',
        'md:None': [],
      },
    },
    { pretty: true },
  );
  assert.equal(
    xml,
    '<!-- note -->\n<md:A xmlns:md="urn:x" z="1" a="2">\n  <md:B i="0"/>\n  <md:B i="1"/>\n  <md:C>text</md:C>\n</md:A>\n',
  );
});
