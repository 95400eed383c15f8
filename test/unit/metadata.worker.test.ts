// The metadata worker answers large models in slices (head, then entities and certificates a few
// dozen at a time): the reassembled result must equal parsing in-thread, for a complete model and
// for the partial model of a document that breaks after many entities.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { parseMetadata } from '../../src/core/metadata';
import { parseMetadataInWorker } from '../../src/features/metadataDocuments/headless/client';

const repoRoot = resolve(__dirname, '..', '..');
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

/** An aggregate of `count` SPs, each with a signing and an encryption certificate: more than one slice of each list. */
function aggregate(count: number): string {
  const entities = Array.from(
    { length: count },
    (_, i) => `
  <md:EntityDescriptor entityID="https://sp${i}.example.org/shibboleth">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>TUlJQ${i}signing</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>TUlJQ${i}encryption</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp${i}.example.org/acs" index="0"/>
    </md:SPSSODescriptor>
  </md:EntityDescriptor>`,
  );
  return `<md:EntitiesDescriptor xmlns:md="${MD}" xmlns:ds="${DS}" Name="urn:test">${entities.join('')}\n</md:EntitiesDescriptor>\n`;
}

test('parseMetadataInWorker reassembles sliced answers into the in-thread result', async (t) => {
  const outDir = mkdtempSync(join(tmpdir(), 'saml-lens-worker-'));
  t.after(() => rmSync(outDir, { recursive: true, force: true }));
  const workerPath = join(outDir, 'metadataWorker.js');
  buildSync({
    entryPoints: [join(repoRoot, 'src', 'features', 'metadataDocuments', 'headless', 'worker.ts')],
    bundle: true,
    platform: 'node',
    outfile: workerPath,
    logLevel: 'error',
  });

  const text = aggregate(300);
  const inThread = parseMetadata(text);
  assert.ok(inThread.ok);
  assert.equal(inThread.model.entities.length, 300);
  assert.equal(inThread.model.certificates.length, 600);
  const fromWorker = await parseMetadataInWorker(text, workerPath);
  // The worker answers in JSON, which drops undefined fields.
  assert.deepEqual(fromWorker, JSON.parse(JSON.stringify(inThread)));

  // Cut inside entity 201: the partial model keeps the 200 complete entities and their certificates.
  const broken = text.slice(0, text.indexOf('https://sp201.example.org/acs'));
  const partialInThread = parseMetadata(broken);
  assert.equal(partialInThread.ok, false);
  const partialFromWorker = await parseMetadataInWorker(broken, workerPath);
  assert.equal(partialFromWorker.ok, false);
  assert.deepEqual(partialFromWorker, JSON.parse(JSON.stringify(partialInThread)));
  assert.ok(!partialFromWorker.ok && partialFromWorker.partial.entities.length >= 200);
});
