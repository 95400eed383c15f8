// Bad input at the edges: empty, huge, non-UTF-8, entity bombs, external entities and inflate bombs.
// Each must end in a specific message, quickly, without touching the file system or the network.
// Times are CPU time of this process (user + system), which other work on a busy machine does not inflate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { decodeSamlInput, MAX_ENCODED_LENGTH, MAX_INFLATED_BYTES } from '../../src/core/messages/decode';
import { parseMetadata, DEFAULT_METADATA_MAX_LENGTH } from '../../src/core/metadata';
import { validateResponse } from '../../src/core/validate';
import { parseXmlDom } from '../../src/core/xml';
import { attackContext } from '../fixtures/attacks/catalogue';
import { buildResponse } from '../fixtures/builder/responses';

const repoRoot = path.resolve(__dirname, '..', '..');
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';

function cpuMs<T>(work: () => T): { value: T; ms: number } {
  const started = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(started);
  return { value, ms: (used.user + used.system) / 1000 };
}

function assertSpecific(message: string) {
  assert.match(message, /\w+ \w+ \w+/, 'a sentence, not a code');
  assert.doesNotMatch(message, /undefined|\[object|\n\s+at /);
}

test('empty and blank input: a specific message, never a crash', () => {
  const cases: [string, string, string][] = [
    ['empty string', '', 'decode.empty'],
    ['whitespace', ' \r\n\t ', 'decode.empty'],
    ['byte order mark only', '\uFEFF', 'decode.empty'],
    ['empty SAMLResponse parameter', 'SAMLResponse=&RelayState=x', 'decode.empty'],
    ['URL with empty SAMLRequest', 'https://idp.example/sso?SAMLRequest=', 'decode.empty'],
    ['base64 of nothing but whitespace', Buffer.from('   ').toString('base64'), 'decode.empty'],
  ];
  for (const [name, input, code] of cases) {
    const result = decodeSamlInput(input);
    assert.equal(result.ok, false, name);
    if (result.ok) continue;
    assert.equal(result.code, code, `${name}: ${result.message}`);
    assertSpecific(result.message);
  }
  const report = validateResponse('', attackContext());
  assert.deepEqual([report.verdict, report.findings.map((f) => f.code)], ['invalid', ['structure.parse-error']]);
  assertSpecific(report.findings[0].message);
});

test('20 MB of input is refused in well under a second, with the size in the message', () => {
  const twentyMb = 20 * 1024 * 1024;
  assert.ok(twentyMb > MAX_ENCODED_LENGTH);
  const inputs: [string, string][] = [
    ['base64', 'A'.repeat(twentyMb)],
    ['XML', `<samlp:Response xmlns:samlp="${PROTOCOL}">${' '.repeat(twentyMb)}</samlp:Response>`],
    ['form body', `SAMLResponse=${'A'.repeat(twentyMb)}`],
  ];
  for (const [name, input] of inputs) {
    const { value: result, ms } = cpuMs(() => decodeSamlInput(input));
    assert.equal(result.ok, false, name);
    if (result.ok) continue;
    assert.equal(result.code, 'decode.too-large', name);
    assert.match(result.message, /20\.0 MB/);
    assert.ok(ms < 1000, `${name}: ${ms.toFixed(0)} ms`);
  }
  // Metadata aggregates are legitimately large; their limit is DEFAULT_METADATA_MAX_LENGTH (256 MB).
  const huge = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${' '.repeat(DEFAULT_METADATA_MAX_LENGTH)}</md:EntitiesDescriptor>`;
  const { value: metadata, ms } = cpuMs(() => parseMetadata(huge));
  assert.equal(metadata.ok, false);
  if (!metadata.ok) assertSpecific(metadata.error.message);
  assert.ok(ms < 1000, `metadata over the limit: ${ms.toFixed(0)} ms`);
});

test('non-UTF-8 bytes: refused with the offending byte and its offset, unless the XML declaration names the encoding', () => {
  const head = `<samlp:Response xmlns:samlp="${PROTOCOL}" ID="_r" Version="2.0"><samlp:Status><samlp:StatusMessage>caf`;
  const tail = '</samlp:StatusMessage></samlp:Status></samlp:Response>';
  const latin1 = Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from(tail)]);
  for (const input of [latin1.toString('base64'), deflateRawSync(latin1).toString('base64')]) {
    const result = decodeSamlInput(input);
    assert.equal(result.ok, false);
    if (result.ok) continue;
    assert.equal(result.code, 'decode.not-utf8');
    assert.ok(result.message.includes(`byte 0xE9 at offset ${latin1.indexOf(0xe9)}`), result.message);
  }
  // The same bytes are well-formed ISO-8859-1 when the declaration says so (python3: b'\xe9'.decode('latin-1') == 'é').
  const declared = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), latin1]);
  const decoded = decodeSamlInput(declared.toString('base64'));
  assert.ok(decoded.ok && decoded.xml.includes('café'), JSON.stringify(decoded));
  // UTF-16 with a byte order mark, as Windows tools sometimes save it.
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${head}e${tail}`, 'utf16le')]);
  const fromUtf16 = decodeSamlInput(utf16.toString('base64'));
  assert.ok(fromUtf16.ok && fromUtf16.xml.startsWith('<samlp:Response'), JSON.stringify(fromUtf16));
  // Binary that is neither XML nor UTF-8 is "not XML", not an encoding problem.
  const binary = decodeSamlInput(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81, 0x82, 0x83]).toString('base64'));
  assert.ok(!binary.ok);
});

function billionLaughs(root: string): string {
  const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
  return `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${levels}\n]>\n${root.replace('>', '>&lol10;')}`;
}

test('a billion-laughs DOCTYPE is refused in under 50 ms by every reader', () => {
  const response = `<samlp:Response xmlns:samlp="${PROTOCOL}" ID="_r" Version="2.0"></samlp:Response>`;
  const metadata =
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"></md:EntityDescriptor>';
  // Warm up module-level initialisation, so the timing is of the refusal itself.
  decodeSamlInput(response);
  parseMetadata(metadata);
  parseXmlDom(metadata);
  validateResponse(response, attackContext());
  const readers: [string, () => string | undefined][] = [
    [
      'decodeSamlInput (XML)',
      () => {
        const r = decodeSamlInput(billionLaughs(response));
        return r.ok ? undefined : `${r.code}: ${r.message}`;
      },
    ],
    [
      'decodeSamlInput (base64)',
      () => {
        const r = decodeSamlInput(Buffer.from(billionLaughs(response)).toString('base64'));
        return r.ok ? undefined : `${r.code}: ${r.message}`;
      },
    ],
    [
      'validateResponse',
      () =>
        validateResponse(billionLaughs(response), attackContext()).findings.find(
          (f) => f.code === 'structure.parse-error',
        )?.message,
    ],
    [
      'parseMetadata',
      () => {
        const r = parseMetadata(billionLaughs(metadata));
        return r.ok ? undefined : r.error.message;
      },
    ],
    [
      'parseXmlDom',
      () => {
        const r = parseXmlDom(billionLaughs(metadata));
        return r.ok ? undefined : r.error.message;
      },
    ],
  ];
  for (const [name, read] of readers) {
    const { value: message, ms } = cpuMs(read);
    assert.ok(message, `${name} must refuse the document`);
    assert.match(message, /DOCTYPE/, name);
    assert.ok(ms < 50, `${name}: ${ms.toFixed(1)} ms`);
  }
});

/** XXE shapes pointing at `file` (a path) and `url` (a local HTTP server). */
function externalEntityDocuments(file: string, url: string): Record<string, string> {
  const response = (inner: string) =>
    `<samlp:Response xmlns:samlp="${PROTOCOL}" ID="_r" Version="2.0"><samlp:Status><samlp:StatusMessage>${inner}</samlp:StatusMessage></samlp:Status></samlp:Response>`;
  return {
    'SYSTEM entity (file)': `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://${file}">]>${response('&xxe;')}`,
    'SYSTEM entity (http)': `<!DOCTYPE r [<!ENTITY xxe SYSTEM "${url}/entity">]>${response('&xxe;')}`,
    'external DTD subset': `<?xml version="1.0"?><!DOCTYPE r SYSTEM "file://${file}">${response('x')}`,
    'parameter entity': `<!DOCTYPE r [<!ENTITY % remote SYSTEM "${url}/dtd"> %remote;]>${response('x')}`,
    'PUBLIC identifier': `<!DOCTYPE r PUBLIC "-//x//y" "${url}/public">${response('x')}`,
  };
}

function readAllWays(xml: string): string[] {
  const messages: string[] = [];
  for (const input of [xml, Buffer.from(xml).toString('base64'), deflateRawSync(Buffer.from(xml)).toString('base64')]) {
    const decoded = decodeSamlInput(input);
    messages.push(decoded.ok ? `DECODED ${decoded.xml}` : decoded.message);
  }
  messages.push(JSON.stringify(validateResponse(xml, attackContext())));
  const metadata = parseMetadata(xml);
  messages.push(metadata.ok ? 'METADATA PARSED' : metadata.error.message);
  const dom = parseXmlDom(xml);
  messages.push(dom.ok ? 'DOM PARSED' : dom.error.message);
  return messages;
}

test('XXE: a local file named by an external entity is never opened, and no request is made', async () => {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'saml-lens-xxe-'));
  const token = `xxe-${process.pid}-${Date.now()}`;
  const secretContent = `secret content ${token.split('').reverse().join('')}`;
  const secretFile = path.join(dir, `${token}.txt`);
  fs.writeFileSync(secretFile, secretContent);
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end(secretContent);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // In-process: every way fs can open a file is watched while the readers run. The CommonJS module
  // object is patched (the ES namespace is read-only); every import of "fs" reads through it.
  const touched: string[] = [];
  const watched = [
    'openSync',
    'readFileSync',
    'open',
    'readFile',
    'createReadStream',
    'statSync',
    'existsSync',
    'accessSync',
  ] as const;
  const fsModule = createRequire(__filename)('node:fs') as Record<string, (...args: unknown[]) => unknown> & {
    promises: typeof fs.promises;
  };
  const originals = watched.map((name) => [name, fsModule[name]] as const);
  const promiseOriginals = { open: fsModule.promises.open, readFile: fsModule.promises.readFile };
  const spy = (name: string, original: (...args: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      if (String(args[0]).includes(token)) touched.push(`${name}(${String(args[0])})`);
      return original.apply(this, args);
    };
  for (const [name, original] of originals) fsModule[name] = spy(name, original);
  (fsModule.promises as unknown as Record<string, unknown>).open = spy('promises.open', promiseOriginals.open as never);
  (fsModule.promises as unknown as Record<string, unknown>).readFile = spy(
    'promises.readFile',
    promiseOriginals.readFile as never,
  );
  try {
    for (const [shape, xml] of Object.entries(externalEntityDocuments(secretFile, url))) {
      const outputs = readAllWays(xml);
      assert.ok(
        outputs.slice(0, 3).every((o) => /DOCTYPE/.test(o)),
        `${shape}: every decode refuses the DOCTYPE`,
      );
      assert.ok(!outputs.some((o) => o.includes(secretContent)), `${shape}: the file's content appears in an output`);
    }
  } finally {
    for (const [name, original] of originals) fsModule[name] = original;
    Object.assign(fsModule.promises, promiseOriginals);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let any stray request arrive before counting
    server.close();
  }
  assert.deepEqual(touched, []);
  assert.deepEqual(requests, []);

  // Out of process, at the system-call level: strace records every open() the readers make.
  const strace = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  if (strace.status === 0) {
    const script = path.join(dir, 'read.ts');
    fs.writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';\n` +
        `import { decodeSamlInput } from ${JSON.stringify(path.join(repoRoot, 'src/core/messages/decode'))};\n` +
        `import { parseMetadata } from ${JSON.stringify(path.join(repoRoot, 'src/core/metadata'))};\n` +
        `import { validateResponse } from ${JSON.stringify(path.join(repoRoot, 'src/core/validate'))};\n` +
        `const documents: string[] = JSON.parse(readFileSync(0, 'utf8'));\n` +
        `for (const xml of documents) { decodeSamlInput(xml); decodeSamlInput(Buffer.from(xml).toString('base64')); parseMetadata(xml); validateResponse(xml, { now: new Date(), trustedCertificates: [] }); }\n` +
        `console.log('read', documents.length);\n`,
    );
    const traceFile = path.join(dir, 'trace.txt');
    const documents = Object.values(externalEntityDocuments(secretFile, 'http://127.0.0.1:9'));
    const run = spawnSync(
      'strace',
      [
        '-f',
        '-qq',
        '-e',
        'trace=open,openat,openat2,stat,newfstatat,statx,access,faccessat,faccessat2,connect',
        '-o',
        traceFile,
        process.execPath,
        '--import',
        'tsx',
        script,
      ],
      { input: JSON.stringify(documents), encoding: 'utf8', cwd: repoRoot },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /read 5/);
    const trace = fs.readFileSync(traceFile, 'utf8');
    assert.ok(trace.includes('openat'), 'strace recorded the process');
    assert.ok(
      !trace.includes(token),
      `the secret file was touched: ${trace
        .split('\n')
        .filter((l) => l.includes(token))
        .join('\n')}`,
    );
    assert.ok(
      !trace.split('\n').some((line) => line.includes('connect(') && line.includes('htons(9)')),
      'no connection attempt to the entity URL',
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('inflate bombs in Redirect-binding input stop at the limit with a specific message', () => {
  const bombs: [string, number][] = [
    ['just over the limit', MAX_INFLATED_BYTES + 1],
    ['64 MB of spaces', 64 * 1024 * 1024],
  ];
  for (const [name, size] of bombs) {
    const inflated = Buffer.alloc(size, 0x20);
    inflated.write(`<samlp:AuthnRequest xmlns:samlp="${PROTOCOL}">`);
    const compressed = deflateRawSync(inflated).toString('base64');
    for (const input of [
      compressed,
      `https://idp.example/sso?SAMLRequest=${encodeURIComponent(compressed)}&SigAlg=${encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}&Signature=AAAA`,
    ]) {
      const { value: result, ms } = cpuMs(() => decodeSamlInput(input));
      assert.equal(result.ok, false, name);
      if (result.ok) continue;
      assert.equal(result.code, 'decode.inflate-too-large', `${name}: ${result.message}`);
      assert.match(result.message, /inflates to more than 20 MB/);
      assert.ok(ms < 1000, `${name}: ${ms.toFixed(0)} ms`);
    }
  }
  // Below the inflate limit the output is kept whole, and the XML reader's own size limit still applies.
  const request = `<samlp:AuthnRequest xmlns:samlp="${PROTOCOL}" ID="_a" Version="2.0" IssueInstant="2026-03-01T10:00:00Z">`;
  const end = '</samlp:AuthnRequest>';
  const padded = (size: number) => request + ' '.repeat(size - request.length - end.length) + end;
  const fifteenMb = 15 * 1024 * 1024;
  const kept = decodeSamlInput(deflateRawSync(Buffer.from(padded(fifteenMb))).toString('base64'));
  assert.ok(kept.ok, kept.ok ? '' : kept.message);
  assert.equal(kept.xml.length, fifteenMb);
  const tooLargeToRead = decodeSamlInput(deflateRawSync(Buffer.from(padded(MAX_INFLATED_BYTES))).toString('base64'));
  assert.equal(tooLargeToRead.ok, false);
  if (!tooLargeToRead.ok) {
    assert.equal(tooLargeToRead.code, 'decode.too-large', tooLargeToRead.message);
    assert.match(tooLargeToRead.message, /more than the limit/);
  }
});

test('a validly signed response still decodes after each edge-case encoding step', () => {
  // Control: the checks above refuse bad input, not good input in unusual clothing.
  const xml = buildResponse();
  const inputs = [
    xml,
    `\uFEFF${xml}`,
    Buffer.from(`\uFEFF${xml}`).toString('base64'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]).toString('base64'),
  ];
  for (const input of inputs) {
    const decoded = decodeSamlInput(input);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
  }
});
