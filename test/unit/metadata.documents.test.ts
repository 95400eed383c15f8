// A large document is parsed once in its own worker, which keeps the model and answers the tree
// (its outline) and the certificate checks (findings with positions) in parts. The answers must
// equal what the in-thread path gives, whether the worker reads the saved file or gets the text,
// and a newer version must not wait for stale work on an older one.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { parseMetadata } from '../../src/core/metadata';
import { applyChanges } from '../../src/core/metadata/reparse';
import { MetadataDocuments } from '../../src/features/metadataDocuments/headless/client';
import { extractWithParse } from '../../src/features/certificates/headless/extract';
import { findingsForDocument } from '../../src/features/certificates/headless/judge';
import { CertificatesAssembler } from '../../src/features/certificates/headless/workerAnswers';
import type { AnalysedCertificate, TextFinding } from '../../src/features/certificates/headless/types';
import { outlineFromModel } from '../../src/features/metadataTree/headless/fromModel';
import { OutlineAssembler } from '../../src/features/metadataTree/headless/outlineParts';
import { countOutline, searchTextOf } from '../../src/features/metadataTree/headless/outline';

const repoRoot = resolve(__dirname, '..', '..');
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const NOW = new Date('2026-01-15T00:00:00Z');

/** `count` SPs, CRLF line breaks, each with two (unreadable) certificates and a display name. */
function aggregate(count: number, tag = 'sp'): string {
  const entities = Array.from({ length: count }, (_, i) =>
    [
      `  <md:EntityDescriptor entityID="https://${tag}${i}.example.org/shibboleth">`,
      `    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">`,
      `      <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>TUlJQ${i}signing</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
      `      <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>TUlJQ${i}encryption</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
      `      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://${tag}${i}.example.org/acs" index="0"/>`,
      `    </md:SPSSODescriptor>`,
      `  </md:EntityDescriptor>`,
    ].join('\r\n'),
  );
  return `<md:EntitiesDescriptor xmlns:md="${MD}" xmlns:ds="${DS}" Name="urn:test">\r\n${entities.join('\r\n')}\r\n</md:EntitiesDescriptor>\r\n`;
}

/** Line and character counted by hand: line breaks before the offset, and the distance from the last one. */
function positionByHand(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** JSON drops undefined fields and turns dates into strings, on both sides alike. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function buildWorker(t: { after(fn: () => void): void }): string {
  const outDir = mkdtempSync(join(tmpdir(), 'saml-lens-documents-'));
  t.after(() => rmSync(outDir, { recursive: true, force: true }));
  const workerPath = join(outDir, 'metadataWorker.js');
  buildSync({
    entryPoints: [join(repoRoot, 'src', 'features', 'metadataDocuments', 'headless', 'worker.ts')],
    bundle: true,
    platform: 'node',
    outfile: workerPath,
    logLevel: 'error',
  });
  return workerPath;
}

test('the outline and the certificate findings from a document worker equal the in-thread ones, read from the file or sent as text', async (t) => {
  const workerPath = buildWorker(t);
  const documents = new MetadataDocuments(workerPath);
  t.after(() => documents.dispose());
  const text = aggregate(300);
  const file = join(mkdtempSync(join(tmpdir(), 'saml-lens-documents-file-')), 'aggregate.xml');
  t.after(() => rmSync(file, { force: true }));
  // Saved with a byte order mark, which the editor drops: offsets must count without it.
  writeFileSync(file, `\ufeff${text}`);

  const parsed = parseMetadata(text);
  assert.ok(parsed.ok);
  const expectedOutline = outlineFromModel(parsed.model);
  assert.equal(expectedOutline.entities.length, 300);
  const expected = await findingsForDocument(
    extractWithParse(text, () => parsed),
    { now: NOW, expiryWarningDays: 30 },
  );
  assert.ok(expected);

  // In parts whose borders fall anywhere, one inside a CRLF pair: joined, they are the text.
  const borders = [0, 1, text.indexOf('\r\n', 5000) + 1, Math.floor(text.length / 3), text.length - 1, text.length];
  const parts = borders.slice(1).map((end, i) => text.slice(borders[i], end));
  for (const [version, source] of [
    [1, { path: file }],
    [2, { text }],
    [3, { textParts: () => parts }],
  ] as const) {
    const assembler = new OutlineAssembler();
    const clock = { now: NOW, warnDays: 30 };
    await documents.ask(
      'doc',
      { version, length: text.length },
      () => source,
      { type: 'outline', now: NOW.getTime(), warnDays: 30 },
      (json) => assembler.add(json),
    );
    const received = assembler.result();
    assert.ok(received, 'the text is metadata');
    assert.deepEqual(received.counted, {
      now: NOW.getTime(),
      warnDays: 30,
      counts: countOutline(expectedOutline, clock),
    });
    assert.equal(received.counted.counts.entities, 300);
    assert.deepEqual(plain(received.outline), plain(expectedOutline));
    assert.deepEqual(received.searchTexts, expectedOutline.entities.map(searchTextOf));
    assert.ok(
      received.outline.entities[0].roles[0].keys[0].certificates[0].invalid,
      'the test certificates are unreadable',
    );

    const certificatesQuestion = { type: 'certificates', now: NOW.getTime(), warnDays: 30 } as const;
    const answer = new CertificatesAssembler();
    await documents.ask(
      'doc',
      { version, length: text.length },
      () => assert.fail('the worker holds this version already'),
      certificatesQuestion,
      (json) => answer.add(json),
    );
    const certificates: AnalysedCertificate[] = answer.certificates();
    const findings: TextFinding[] = answer.findings;
    assert.equal(certificates.length, 600);
    assert.deepEqual(
      plain(
        certificates.map(({ distinctKey, startPosition, endPosition, ...certificate }) => {
          // The test certificates are written on one line: the key is the hash of the text as written.
          assert.equal(distinctKey, createHash('sha256').update(certificate.text).digest('base64'));
          assert.deepEqual(startPosition, positionByHand(text, certificate.start));
          assert.deepEqual(endPosition, positionByHand(text, certificate.end));
          return certificate;
        }),
      ),
      plain(expected.certificates),
    );
    assert.deepEqual(plain(findings.map(({ positions: _, ...finding }) => finding)), plain(expected.findings));
    for (const finding of findings) {
      assert.deepEqual(finding.positions, {
        start: positionByHand(text, finding.start),
        end: positionByHand(text, finding.end),
      });
    }
  }
});

test('a document worker says when the text is not metadata, and reports where a broken one stops', async (t) => {
  const documents = new MetadataDocuments(buildWorker(t));
  t.after(() => documents.dispose());
  const notMetadata = new OutlineAssembler();
  await documents.ask(
    'a',
    { version: 1, length: 10 },
    () => ({ text: '<samlp:Response xmlns:samlp="urn:x"/>' }),
    { type: 'outline' },
    (json) => notMetadata.add(json),
  );
  assert.equal(notMetadata.result(), undefined);

  const text = aggregate(20);
  const broken = text.slice(0, text.indexOf('https://sp11.example.org/acs'));
  const parsed = parseMetadata(broken);
  assert.equal(parsed.ok, false);
  const assembler = new OutlineAssembler();
  await documents.ask(
    'b',
    { version: 1, length: broken.length },
    () => ({ text: broken }),
    { type: 'outline' },
    (json) => assembler.add(json),
  );
  const received = assembler.result();
  assert.ok(received && !parsed.ok);
  assert.deepEqual(received.outline.error, { message: parsed.error.message, offset: parsed.error.offset });
  assert.equal(received.outline.entities.length, 0);
});

test('a newer version of a large document stops the worker still parsing the older one; a cancelled question frees the worker', async (t) => {
  const documents = new MetadataDocuments(buildWorker(t));
  t.after(() => documents.dispose());
  const older = aggregate(6000, 'old');
  const newer = aggregate(40, 'new');
  assert.ok(older.length > 4 * 1024 * 1024, `${older.length} characters`);

  const stale = documents.ask(
    'doc',
    { version: 1, length: older.length },
    () => ({ text: older }),
    { type: 'outline' },
    () => undefined,
  );
  const assembler = new OutlineAssembler();
  const fresh = documents.ask(
    'doc',
    { version: 2, length: newer.length },
    () => ({ text: newer }),
    { type: 'outline' },
    (json) => assembler.add(json),
  );
  await assert.rejects(stale, { name: 'AbortError' });
  await fresh;
  assert.deepEqual(
    assembler.result()?.outline.entities.map((e) => e.entityID),
    Array.from({ length: 40 }, (_, i) => `https://new${i}.example.org/shibboleth`),
  );

  const cancel = new AbortController();
  const cancelled = documents.ask(
    'doc',
    { version: 2, length: newer.length },
    () => ({ text: newer }),
    { type: 'outline' },
    () => undefined,
    cancel.signal,
  );
  cancel.abort();
  await assert.rejects(cancelled, { name: 'AbortError' });
  const again = new OutlineAssembler();
  await documents.ask(
    'doc',
    { version: 2, length: newer.length },
    () => ({ text: newer }),
    { type: 'outline' },
    (json) => again.add(json),
  );
  assert.equal(again.result()?.outline.entities.length, 40);
});

test('a saved file that is not UTF-8 is not read by the worker: the editor text is asked for instead', async (t) => {
  const workerPath = buildWorker(t);
  const documents = new MetadataDocuments(workerPath);
  t.after(() => documents.dispose());
  const dir = mkdtempSync(join(tmpdir(), 'saml-lens-documents-encoding-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // "Université" as the editor shows it, saved as ISO-8859-1 (é is the single byte 0xE9) and as UTF-16.
  const text =
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.org"><md:Organization><md:OrganizationName xml:lang="fr">Université</md:OrganizationName></md:Organization></md:EntityDescriptor>';
  const files = { latin1: join(dir, 'latin1.xml'), utf16: join(dir, 'utf16.xml') };
  writeFileSync(files.latin1, Buffer.from(text, 'latin1'));
  writeFileSync(files.utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));

  let version = 0;
  for (const file of Object.values(files)) {
    const asked: boolean[] = [];
    const assembler = new OutlineAssembler();
    await documents.ask(
      'doc',
      { version: ++version, length: text.length },
      (needsText = false) => {
        asked.push(needsText);
        return needsText ? { text } : { path: file };
      },
      { type: 'outline', now: NOW.getTime(), warnDays: 30 },
      (json) => assembler.add(json),
    );
    assert.deepEqual(asked, [false, true], `${file}: the path first, then the text`);
    const entity = assembler.result()?.outline.entities[0];
    assert.equal(entity?.entityID, 'https://idp.example.org');
    assert.match(JSON.stringify(assembler.result()), /Université/);
  }
});

test('a long text sent in parts: questions asked meanwhile wait for it, and a part that fails leaves the worker asking for the text again', async (t) => {
  const documents = new MetadataDocuments(buildWorker(t));
  t.after(() => documents.dispose());
  const text = aggregate(50);
  const parsed = parseMetadata(text);
  assert.ok(parsed.ok);
  const inParts = (count: number) => ({
    *textParts() {
      const size = Math.ceil(text.length / count);
      for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
    },
  });
  // The outline sends the parts; the certificate question, asked in the same turn, must follow them.
  const outline = new OutlineAssembler();
  const certificatesAnswer = new CertificatesAssembler();
  await Promise.all([
    documents.ask(
      'doc',
      { version: 1, length: text.length },
      () => inParts(9),
      { type: 'outline' },
      (json) => outline.add(json),
    ),
    documents.ask(
      'doc',
      { version: 1, length: text.length },
      () => assert.fail('the worker is being sent this version'),
      { type: 'certificates', now: NOW.getTime(), warnDays: 30 },
      (json) => certificatesAnswer.add(json),
    ),
  ]);
  assert.equal(outline.result()?.outline.entities.length, 50);
  assert.equal(certificatesAnswer.certificates().length, 100);

  // The document changed while its parts were read: the question fails, and the next one sends the text again.
  const failing = {
    *textParts() {
      yield text.slice(0, 100);
      throw new Error('changed while it was being read');
    },
  };
  await assert.rejects(
    documents.ask(
      'doc',
      { version: 2, length: text.length },
      () => failing,
      { type: 'outline' },
      () => undefined,
    ),
    /changed while it was being read/,
  );
  let askedAgain = false;
  const again = new OutlineAssembler();
  await documents.ask(
    'doc',
    { version: 2, length: text.length },
    () => {
      askedAgain = true;
      return inParts(3);
    },
    { type: 'outline' },
    (json) => again.add(json),
  );
  assert.ok(askedAgain, 'the text of version 2 was asked for again');
  assert.deepEqual(plain(again.result()?.outline), plain(outlineFromModel(parsed.model)));
});

test('whenAnswered waits for the answer to one kind of question about a version, gives up after its timeout, and stops on abort', async (t) => {
  const documents = new MetadataDocuments(buildWorker(t));
  t.after(() => documents.dispose());
  const text = aggregate(20);
  const order: string[] = [];
  const waiting = documents.whenAnswered('doc', 1, 'certificates').then(() => order.push('waiter'));
  await documents.ask(
    'doc',
    { version: 1, length: text.length },
    () => ({ text }),
    { type: 'outline' },
    () => {
      if (!order.includes('outline')) order.push('outline');
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(order, ['outline'], 'an outline answer does not release a waiter for certificates');
  await documents.ask(
    'doc',
    { version: 1, length: text.length },
    () => assert.fail('the worker holds version 1'),
    { type: 'certificates', now: NOW.getTime(), warnDays: 30 },
    () => {
      if (!order.includes('certificates')) order.push('certificates');
    },
  );
  await waiting;
  assert.deepEqual(order.slice(-2), ['certificates', 'waiter']);
  // Answered already (for this version or a newer one): at once.
  await documents.whenAnswered('doc', 1, 'certificates', undefined, 60_000);
  // Never answered: the timeout lets the waiter go; an abort rejects it.
  const started = Date.now();
  await documents.whenAnswered('doc', 2, 'certificates', undefined, 50);
  assert.ok(Date.now() - started >= 45, 'waited for the timeout');
  const cancel = new AbortController();
  const aborted = documents.whenAnswered('doc', 2, 'certificates', cancel.signal, 60_000);
  cancel.abort();
  await assert.rejects(aborted, { name: 'AbortError' });
});

test('edits since the version a worker holds give the answers of the whole new text, and only changed certificates travel again', async (t) => {
  const documents = new MetadataDocuments(buildWorker(t));
  t.after(() => documents.dispose());
  const text = aggregate(300);
  const question = { type: 'certificates', now: NOW.getTime(), warnDays: 30 } as const;
  const first = new CertificatesAssembler();
  await documents.ask(
    'doc',
    { version: 1, length: text.length },
    () => ({ text }),
    question,
    (json) => first.add(json),
  );
  const held = { version: 1, certificates: first.certificates() };
  assert.equal(held.certificates.length, 600);

  // A multi-cursor edit: a certificate of entity 100 and a Location of entity 200, the later one first.
  const location = text.indexOf('/acs"', text.indexOf('sp200.example.org'));
  const certificate = text.indexOf('signing</ds:X509Certificate>', text.indexOf('TUlJQ100signing'));
  const changes = [
    { start: location, end: location, text: '\r\nx' },
    { start: certificate, end: certificate, text: 'QQ' },
  ];
  const { text: edited } = applyChanges(text, changes);
  const asked: (number | undefined)[] = [];
  const parts: string[] = [];
  const second = new CertificatesAssembler(held);
  await documents.ask(
    'doc',
    { version: 2, length: edited.length },
    (_needsText, heldVersion) => {
      asked.push(heldVersion);
      return { edits: { fromVersion: 1, changes, length: edited.length } };
    },
    { ...question, since: 1 },
    (json) => {
      parts.push(json);
      second.add(json);
    },
  );
  assert.deepEqual(asked, [1], 'the worker held version 1, so edits were enough');
  const reuse = (JSON.parse(parts[0]) as { reuse?: { keep: number; keepEnd: number } }).reuse;
  // Kept: the 200 certificates before entity 100's, and those after entity 200 (99 entities, moved
  // by a line); sent: the ones between, moved by two characters but not by a line.
  assert.deepEqual(reuse && { keep: reuse.keep, keepEnd: reuse.keepEnd }, { keep: 200, keepEnd: 198 });

  const parsed = parseMetadata(edited);
  assert.ok(parsed.ok);
  const expected = await findingsForDocument(
    extractWithParse(edited, () => parsed),
    { now: NOW, expiryWarningDays: 30 },
  );
  assert.ok(expected);
  const received = second.certificates();
  assert.deepEqual(
    plain(
      received.map(({ distinctKey: _, startPosition, endPosition, ...rest }) => {
        assert.deepEqual(startPosition, positionByHand(edited, rest.start));
        assert.deepEqual(endPosition, positionByHand(edited, rest.end));
        return rest;
      }),
    ),
    plain(expected.certificates),
  );
  assert.deepEqual(plain(second.findings.map(({ positions: _, ...finding }) => finding)), plain(expected.findings));
  const outline = new OutlineAssembler();
  await documents.ask(
    'doc',
    { version: 2, length: edited.length },
    () => assert.fail('the worker holds version 2'),
    { type: 'outline' },
    (json) => outline.add(json),
  );
  assert.deepEqual(plain(outline.result()?.outline), plain(outlineFromModel(parsed.model)));

  // Edits from a version the worker never held: it says so, and the text is sent instead.
  const again = applyChanges(edited, [{ start: 0, end: 0, text: ' ' }]).text;
  const sources: string[] = [];
  const third = new CertificatesAssembler();
  await documents.ask(
    'doc',
    { version: 4, length: again.length },
    (_needsText, heldVersion) => {
      sources.push(heldVersion === undefined ? 'text' : 'edits');
      return heldVersion === undefined
        ? { text: again }
        : { edits: { fromVersion: 3, changes: [{ start: 0, end: 0, text: ' ' }], length: again.length } };
    },
    question,
    (json) => third.add(json),
  );
  assert.deepEqual(sources, ['edits', 'text']);
  assert.equal(third.certificates()[0].start, received[0].start + 1);
});

test('after an edit inside one entity the worker sends only that entity’s outline, and the host’s copy equals the new text’s outline', async (t) => {
  const documents = new MetadataDocuments(buildWorker(t));
  t.after(() => documents.dispose());
  const text = aggregate(300);
  const clock = { now: NOW, warnDays: 30 };
  const question = { type: 'outline', now: NOW.getTime(), warnDays: 30 } as const;
  const first = new OutlineAssembler();
  await documents.ask(
    'doc',
    { version: 1, length: text.length },
    () => ({ text }),
    question,
    (j) => first.add(j),
  );
  const shown = first.result();
  assert.ok(shown);
  shown.replaceEarlier();
  const held = { version: 1, outline: shown.outline, searchTexts: shown.searchTexts };
  const untouched = shown.outline.entities[250];

  let version = 1;
  let current = text;
  for (const [entity, insert] of [
    [120, '\r\n      <md:NameIDFormat>urn:x</md:NameIDFormat>'],
    [7, 'x'],
  ] as const) {
    const at = current.indexOf('</md:SPSSODescriptor>', current.indexOf(`sp${entity}.example.org`));
    const changes = [{ start: at, end: at, text: insert }];
    const next = applyChanges(current, changes).text;
    const parts: string[] = [];
    const assembler = new OutlineAssembler({ ...held, version });
    await documents.ask(
      'doc',
      { version: version + 1, length: next.length },
      () => ({ edits: { fromVersion: version, changes, length: next.length } }),
      { ...question, since: version },
      (json) => {
        parts.push(json);
        assembler.add(json);
      },
    );
    const received = assembler.result();
    assert.ok(received);
    assert.equal(parts.length, 2, 'the head and one part with the changed entity');
    assert.deepEqual(received.changed, [entity]);
    received.replaceEarlier();
    const parsed = parseMetadata(next);
    assert.ok(parsed.ok);
    const expected = outlineFromModel(parsed.model);
    assert.deepEqual(plain(received.outline), plain(expected));
    assert.deepEqual(received.searchTexts, expected.entities.map(searchTextOf));
    assert.deepEqual(received.counted?.counts, countOutline(expected, clock));
    Object.assign(held, { outline: received.outline, searchTexts: received.searchTexts });
    version++;
    current = next;
  }
  assert.equal(held.outline.entities[250], untouched, 'an entity after the edits is the same object, moved');
  assert.equal(current.slice(untouched.span.start, untouched.span.start + 21), '<md:EntityDescriptor ');
});
