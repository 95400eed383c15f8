// The rules behind "Normalise certificate", table-driven, with hand-written expected texts.
import * as assert from 'node:assert/strict';
import { normaliseCertificateText } from '../../src/features/certificates/headless/normalise';

// 150 characters of base64 alphabet: two full 64-column lines and 22 left over.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.repeat(3).slice(0, 150);
const LINE1 = B64.slice(0, 64);
const LINE2 = B64.slice(64, 128);
const LINE3 = B64.slice(128);

interface Case {
  name: string;
  written: string;
  innerBase64?: string;
  eol?: string;
  /** undefined: no rewrite offered. */
  expected?: string;
  reasons?: string[];
}

const cases: Case[] = [
  { name: 'one clean line', written: B64 },
  { name: '64-column lines with indentation', written: `\n      ${LINE1}\n      ${LINE2}\n      ${LINE3}\n    ` },
  { name: 'regular 76-column lines (as Okta publishes)', written: `\n    ${B64.slice(0, 76)}\n    ${B64.slice(76)}\n` },
  { name: 'empty element', written: '  \n  ' },
  {
    name: 'one line with stray spaces stays one line',
    written: `${B64.slice(0, 40)} ${B64.slice(40, 90)}  ${B64.slice(90)}`,
    expected: B64,
    reasons: ['it has spaces inside the base64'],
  },
  {
    name: 'irregular wrapping is re-wrapped at 64 columns with the continuation indentation',
    written: `\n        ${B64.slice(0, 50)}\n        ${B64.slice(50, 120)}\n        ${B64.slice(120)}\n      `,
    expected: `\n        ${LINE1}\n        ${LINE2}\n        ${LINE3}\n      `,
    reasons: ['its line wrapping is irregular'],
  },
  {
    name: 'CRLF documents keep CRLF',
    written: `${B64.slice(0, 30)}\r\n  ${B64.slice(30)}`,
    eol: '\r\n',
    expected: `${LINE1}\r\n  ${LINE2}\r\n  ${LINE3}`,
    reasons: ['its line wrapping is irregular'],
  },
  {
    name: 'both spaces and irregular wrapping are named',
    written: `${B64.slice(0, 20)} ${B64.slice(20, 60)}\n${B64.slice(60)}`,
    expected: `${LINE1}\n${LINE2}\n${LINE3}`,
    reasons: ['it has spaces inside the base64', 'its line wrapping is irregular'],
  },
  {
    name: 'PEM armour inside the element is removed',
    written: `\n-----BEGIN CERTIFICATE-----\n${LINE1}\n${LINE2}\n${LINE3}\n-----END CERTIFICATE-----\n`,
    expected: `\n${LINE1}\n${LINE2}\n${LINE3}\n`,
    reasons: ['it contains "-----BEGIN/END CERTIFICATE-----" lines'],
  },
  {
    name: 'a double-encoded PEM on one line becomes the inner base64 on one line',
    written: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
    innerBase64: B64,
    expected: B64,
    reasons: ['it is a whole PEM file encoded a second time'],
  },
];

suite('Normalise certificate text', () => {
  for (const c of cases) {
    test(c.name, () => {
      const result = normaliseCertificateText({ written: c.written, innerBase64: c.innerBase64, eol: c.eol ?? '\n' });
      if (c.expected === undefined) {
        assert.equal(result, undefined);
        return;
      }
      assert.ok(result, 'no rewrite offered');
      assert.equal(result.replacement, c.expected);
      assert.deepEqual(result.reasons, c.reasons);
    });
  }
});
