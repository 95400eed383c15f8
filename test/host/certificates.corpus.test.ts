// Certificate diagnostics on real-world metadata (../shared/corpus/metadata), each certificate's
// expected severity computed by openssl from the same text. Skips when the corpus is absent.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/ids';
import {
  DAY,
  NOW,
  certificateElements,
  codeOf,
  codesAt,
  expectedCodes,
  opensslFacts,
  pollFor,
  rangeOf,
  samlLensApi,
} from './certificates.fixtures';
import { pathRequirement, skipTestWithout } from '../requirements';

const extensionPath =
  vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? resolve(__dirname, '..', '..', '..');
const corpus = resolve(extensionPath, '..', 'shared', 'corpus', 'metadata');
const corpusPresent = existsSync(corpus);
/** Files above this size go through the worker; they get the responsiveness test below. */
const WORKER_FILE_LIMIT = 1024 * 1024;
/** Above this size a fixed sample of certificates is checked: openssl per certificate is slow. */
const SAMPLE_FILE_LIMIT = 100 * 1024;
const SAMPLE_SIZE = 24;
/** Two root elements: the parser stops at the second, so only the first root's certificates are checked. */
const MALFORMED = 'malformed-two-root-entitydescriptors-samlify.xml';

function corpusFiles(): { name: string; size: number }[] {
  if (!corpusPresent) return [];
  return readdirSync(corpus)
    .filter((name) => name.endsWith('.xml'))
    .map((name) => ({ name, size: statSync(join(corpus, name)).size }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Longest gap between ticks of a 10 ms timer on this thread (the extension host's) while `work` runs. */
async function longestPauseDuring<T>(work: () => Promise<T>): Promise<{ result: T; longestPause: number }> {
  let longestPause = 0;
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    longestPause = Math.max(longestPause, now - last);
    last = now;
  }, 10);
  try {
    return { result: await work(), longestPause };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Opens a corpus file and waits until every certificate (or a fixed sample) carries the codes
 * openssl implies. Expectations are computed from the file on disk before it is opened, so the
 * synchronous openssl runs do not overlap the extension's work. Returns the number checked and the
 * longest pause of the extension host while the document was opened and analysed.
 */
async function checkCertificates(
  name: string,
  now: Date,
  sample?: number,
): Promise<{ checked: number; longestPause: number }> {
  const uri = vscode.Uri.file(join(corpus, name));
  // VS Code drops a byte order mark from documents; the offsets below follow the document.
  const diskText = readFileSync(uri.fsPath, 'utf8').replace(/^\uFEFF/, '');
  let elements = certificateElements(diskText);
  if (name === MALFORMED) {
    const secondRoot = diskText.indexOf('<EntityDescriptor', diskText.indexOf('</EntityDescriptor>'));
    elements = elements.filter((element) => element.start < secondRoot);
  }
  if (sample !== undefined) {
    // A fixed spread across the file: openssl per certificate is too slow for thousands.
    const step = Math.max(1, Math.floor(elements.length / sample));
    elements = elements.filter((_, index) => index % step === 0);
  }
  const expected = elements.map((element) => ({ at: element.start, codes: expectedCodes(element.base64, now) }));
  const { longestPause } = await longestPauseDuring(async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(
      document.getText().length,
      diskText.length,
      'the document text differs from the file (line endings normalised?)',
    );
    await pollFor(
      `certificate diagnostics in ${name}`,
      () => {
        const diagnostics = vscode.languages.getDiagnostics(uri);
        return elements.map((element) => ({
          at: element.start,
          codes: codesAt(diagnostics, rangeOf(document, element.start, element.end)),
        }));
      },
      (actual) => JSON.stringify(actual) === JSON.stringify(expected),
      60_000,
    );
  });
  return { checked: elements.length, longestPause };
}

/** notAfter of the first certificate of a corpus file, as openssl reads it. */
function expectedNotAfter(name: string): Date {
  const [first] = certificateElements(readFileSync(join(corpus, name), 'utf8'));
  return opensslFacts(first.base64)!.notAfter;
}

suite('Certificate diagnostics on the metadata corpus', function () {
  this.timeout(180_000);

  suiteSetup(async function () {
    if (!corpusPresent) return;
    const api = await samlLensApi();
    api.certificates!.setClock(NOW);
  });

  suiteTeardown(async () => {
    if (corpusPresent) (await samlLensApi()).certificates!.setClock(undefined);
  });

  if (!corpusPresent) {
    test('corpus files', function () {
      skipTestWithout(this, pathRequirement(corpus, '../shared/corpus'));
    });
    return;
  }

  for (const { name, size } of corpusFiles().filter((file) => file.size <= WORKER_FILE_LIMIT)) {
    const sampled = size > SAMPLE_FILE_LIMIT;
    test(`${name}: ${sampled ? `${SAMPLE_SIZE} certificates spread over the file have` : 'every certificate has'} the severity openssl's dates imply`, async () => {
      await checkCertificates(name, NOW, sampled ? SAMPLE_SIZE : undefined);
    });
  }

  test('the Entra ID app certificate is "expiring" two weeks before 2026-11-16 and "expired" after', async () => {
    const api = await samlLensApi();
    const name = 'azure-ad-app-saml-signing-cert-federationmetadata.xml';
    const before = new Date('2026-11-01T12:00:00Z');
    api.certificates!.setClock(before);
    try {
      assert.equal((await checkCertificates(name, before)).checked, 4);
      const uri = vscode.Uri.file(join(corpus, name));
      const expiring = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'cert.expiring');
      assert.equal(expiring.length, 4);
      // notAfter is 2026-11-16 20:41:29 UTC (openssl, hand-checked): 15 days and 8 hours after `before`.
      const days = Math.floor((expectedNotAfter(name).getTime() - before.getTime()) / DAY);
      assert.equal(days, 15);
      for (const diagnostic of expiring) {
        assert.match(
          diagnostic.message,
          /^(Signing certificate for https:\/\/sts\.windows\.net\/a9054a0f-[0-9a-f-]+\/|The certificate in the document's Signature) expires in 15 days \(2026-11-16 20:41:29 UTC\)\.$/,
        );
      }
    } finally {
      api.certificates!.setClock(NOW);
    }
    assert.equal((await checkCertificates(name, NOW)).checked, 4);
  });

  for (const { name } of corpusFiles().filter((file) => file.size > WORKER_FILE_LIMIT)) {
    test(`${name}: parsed off the extension host thread, which stays responsive; sampled certificates match openssl`, async function () {
      const { checked, longestPause } = await checkCertificates(name, NOW, SAMPLE_SIZE);
      assert.ok(checked >= SAMPLE_SIZE / 2, `only ${checked} certificates sampled`);
      // Reported with the result, as the figure is the point of the test.
      this.test!.title += ` (longest pause ${longestPause} ms)`;
      assert.ok(longestPause < 750, `the extension host was blocked for ${longestPause} ms`);
    });
  }
});
