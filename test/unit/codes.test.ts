// Every diagnostic code the editor can show has its section in docs/diagnostics.md (the Problems
// view links there), and every section there belongs to a code that exists: the registries in the
// core are the one list, the document is checked against them both ways.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CertificateCode } from '../../src/core/certs';
import { FlowFindingCode } from '../../src/core/flow';
import { MetadataLintCode } from '../../src/core/metadata';
import { MetadataSignatureCode } from '../../src/core/metadata/signature';
import { XmlErrorCode } from '../../src/core/xml';
import { diagnosticAnchor } from '../../src/ids';

const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'diagnostics.md'), 'utf8');
const registered = [
  ...Object.values(CertificateCode),
  ...Object.values(MetadataLintCode),
  ...Object.values(MetadataSignatureCode),
  ...Object.values(XmlErrorCode),
  ...Object.values(FlowFindingCode),
];

test('each registered diagnostic code has its section, anchor and heading, in docs/diagnostics.md', () => {
  const missing = registered.filter(
    (code) => !docs.includes(`<a id="${diagnosticAnchor(code)}"></a>\n### \`${code}\``),
  );
  assert.deepEqual(missing, []);
});

test('each section of docs/diagnostics.md documents a registered code', () => {
  const documented = [...docs.matchAll(/^### `([^`]+)`/gm)].map((match) => match[1]);
  assert.ok(documented.length >= registered.length, `only ${documented.length} sections found`);
  assert.deepEqual(
    documented.filter((code) => !(registered as string[]).includes(code)),
    [],
  );
  assert.equal(new Set(documented).size, documented.length, 'a code is documented twice');
});
