// The scanner against libxml2: for hundreds of small documents, each mutated at a random place,
// `scanXml` must accept exactly what `xmllint --noout` accepts (namespace errors included). The
// scanner guards what reaches xmldom and xml-crypto, so being laxer than libxml2 would be a hole.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { scanXml } from '../../src/core/xml';
import { seededRandom } from '../fuzz/random';
import { skipWithout, XMLLINT } from '../requirements';

const ignoreAll = { captureText: false, open() {}, close() {} };

const SEEDS = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.org/a?b=1&amp;c=2">\n  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location=\'https://idp.example.org/sso\'/>\n  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n',
  '<r xmlns="urn:x" xmlns:p="urn:p" p:a="1" b=\'2\'><!-- note --><p:c>t &lt; &#x3C; &#60; u</p:c><![CDATA[ <raw> & ]]><?pi data?></r>',
  '<a xml:lang="en"><b\n  x = "1"\n  y="&quot;&apos;"/>text &amp; more<c></c ></a>\n<!-- after -->\n',
  '<?xml version="1.0" standalone="yes"?><!-- c --><?app x?><doc xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:space="preserve" a="&#x10FFFF;"><é:n xmlns:é="urn:e">ü &#233; 😀</é:n>]]&gt;<e/></doc><!-- end -->',
  '<?xml version="1.0"?><x:root xmlns:x="urn:x" xmlns:y="urn:y"><y:k x:at="v" y:at="w">&#10;</y:k></x:root>',
];

/** Characters the mutations insert: the ones that make or break markup. */
const SPECIALS = ['<', '>', '&', '"', "'", '=', '/', ':', ';', '!', '?', '-', ']', ' ', 'x', '#', '\t'];

/** One random edit, on code points so the file written for xmllint holds exactly the same text. */
function mutate(text: string, random: () => number): string {
  const points = Array.from(text);
  const at = Math.floor(random() * (points.length + 1));
  const special = () => SPECIALS[Math.floor(random() * SPECIALS.length)];
  const kind = Math.floor(random() * 4);
  if (kind === 0)
    points.splice(at, 1); // delete one character
  else if (kind === 1)
    points.splice(at, 0, special()); // insert one
  else if (kind === 2)
    points.splice(at, 0, ...points.slice(at, at + 1 + Math.floor(random() * 6))); // repeat a few
  else points.splice(at, 1, special()); // replace one
  return points.join('');
}

test('scanXml accepts exactly what xmllint accepts, over 600 mutated documents', (t) => {
  if (skipWithout(t, XMLLINT)) return;
  const random = seededRandom(Number(process.env.SAML_LENS_XML_SEED ?? 20261129));
  const cases: string[] = [...SEEDS];
  while (cases.length < 600) {
    let text = SEEDS[Math.floor(random() * SEEDS.length)];
    const rounds = 1 + Math.floor(random() * 2);
    for (let i = 0; i < rounds; i++) text = mutate(text, random);
    // DOCTYPE is refused on purpose, where libxml2 would read it; leave that to the DOCTYPE tests.
    if (/<!DOCTYPE/i.test(text)) continue;
    cases.push(text);
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-xml-'));
  try {
    const files = cases.map((text, i) => {
      const file = path.join(dir, `case${i}.xml`);
      writeFileSync(file, text);
      return file;
    });
    const run = spawnSync('xmllint', ['--noout', '--nonet', ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const refused = new Set<string>();
    // libxml2 stops at an encoding it does not know, before reading any markup. The scanner reads
    // text that is already decoded, so those cases say nothing about well-formedness.
    const unknownEncoding = new Set<string>();
    for (const line of run.stderr.split('\n')) {
      // libxml2 also checks that a namespace name is a valid URI reference. The Namespaces
      // recommendation does not make that a well-formedness error, and the scanner does not check it.
      if (line.includes('is not a valid URI')) continue;
      const match = /^(.+?\.xml):\d+: (?:[\w ]+ )?error ?:/.exec(line);
      if (match && /unsupported encoding/i.test(line)) unknownEncoding.add(match[1]);
      else if (match) refused.add(match[1]);
    }
    assert.ok(
      refused.size > 100 && refused.size < cases.length - 100,
      `both verdicts are well represented (xmllint refused ${refused.size})`,
    );

    const disagreements: string[] = [];
    cases.forEach((text, i) => {
      if (unknownEncoding.has(files[i])) return;
      const ours = scanXml(text, ignoreAll);
      const libxml2Accepts = !refused.has(files[i]);
      if (ours.ok !== libxml2Accepts) {
        disagreements.push(
          `case ${i}: xmllint ${libxml2Accepts ? 'accepts' : 'refuses'}, scanXml ${ours.ok ? 'accepts' : `refuses (${ours.error.message})`}: ${JSON.stringify(text)}`,
        );
      }
    });
    assert.deepEqual(disagreements, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
