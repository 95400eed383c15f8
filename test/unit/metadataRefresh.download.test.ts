// Refresh from the source, against real HTTP servers on 127.0.0.1: each refusal of the download
// (timeouts, size, redirects, plain http elsewhere) and of the document (signature against the
// pinned signer), and what changed between two downloads. Certificates are built with the
// project's builder; their SHA-256 is compared with openssl's.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import { downloadMetadata, type ProxyInUse } from '../../src/features/metadataRefresh/headless/download';
import { proxyFor } from '../../src/features/metadataRefresh/headless/proxy';
import { planRefresh } from '../../src/features/metadataRefresh/headless/refresh';
import { readMetadataSources } from '../../src/features/metadataRefresh/headless/sources';
import { makeEcCertificate, makeRsaKeyPair } from '../fixtures/builder/keys';
import { opensslFingerprint } from '../fixtures/builder/peers';
import { OPENSSL, skipWithout } from '../requirements';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const NOW = new Date('2026-06-01T00:00:00Z');
const publisher = makeRsaKeyPair('publisher.test');
const stranger = makeRsaKeyPair('stranger.test');

const first = makeEcCertificate('signer 2025', '2025-01-01T00:00:00Z', '2030-01-01T00:00:00Z').certificatePem;
const second = makeEcCertificate('signer 2027', '2025-01-01T00:00:00Z', '2030-01-01T00:00:00Z').certificatePem;

function metadata(certificates: string[], signWith = publisher): string {
  return buildIdpMetadata({ tenantId: TENANT, signingCertificates: certificates, signWith });
}

async function serve(
  handler: http.RequestListener,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const pinned = [{ kind: 'certificate' as const, pem: publisher.certificatePem, source: 'publisher.pem' }];

test('content that changes between requests: a new certificate appears in the diff, signed by the pinned key', async (t) => {
  if (skipWithout(t, OPENSSL)) return;
  const versions = [metadata([first]), metadata([first, second])];
  let served = 0;
  const server = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
    response.end(versions[Math.min(served++, versions.length - 1)]);
  });
  try {
    const input = { url: `${server.url}/federationmetadata.xml`, fileName: 'idp.xml', signers: pinned, now: NOW };
    const current = await downloadMetadata(input.url);
    assert.ok(current.ok);
    assert.equal(current.text, versions[0]);
    const plan = await planRefresh({ ...input, currentText: current.text });
    assert.ok(plan.ok, plan.ok ? '' : plan.message);
    assert.equal(plan.text, versions[1]);
    assert.equal(plan.signature.state, 'trusted');
    assert.equal(plan.signature.certificate?.sha256, opensslFingerprint(publisher.certificatePem, 'sha256'));
    assert.deepEqual(
      plan.diff.entities.flatMap((e) => e.certificates.added.map((c) => c.sha256)),
      [opensslFingerprint(second, 'sha256')],
    );
    assert.match(plan.diffText, /CN=signer 2027/);
    assert.match(plan.summary, /Entities: 0 added, 0 removed, 1 changed, 0 unchanged\./);
    assert.equal(server.requests.length, 2);
  } finally {
    await server.close();
  }
});

test('signed by another key than the pinned one, unsigned, or broken: refused at the signature step', async () => {
  const documents: Record<string, string> = {
    '/stranger': metadata([first, second], stranger),
    '/unsigned': buildIdpMetadata({ tenantId: TENANT, signingCertificates: [first, second] }),
    // Edited after signing: the SAML endpoint now points elsewhere.
    '/tampered': metadata([first, second]).replace(/saml2"/, 'saml2-elsewhere"'),
  };
  assert.notEqual(documents['/tampered'], metadata([first, second]));
  const server = await serve((request, response) => {
    response.writeHead(200).end(documents[request.url ?? '']);
  });
  try {
    const base = { currentText: metadata([first]), fileName: 'idp.xml', now: NOW };
    const stranger = await planRefresh({ ...base, url: `${server.url}/stranger`, signers: pinned });
    assert.ok(!stranger.ok);
    assert.equal(stranger.step, 'signature');
    assert.match(
      stranger.message,
      /a signer is pinned for this source, but it is signed by another key \(.*stranger\.test/,
    );
    const unsigned = await planRefresh({ ...base, url: `${server.url}/unsigned`, signers: pinned });
    assert.ok(!unsigned.ok);
    assert.match(unsigned.message, /but it is not signed\.$/);
    const tampered = await planRefresh({ ...base, url: `${server.url}/tampered`, signers: [] });
    assert.ok(!tampered.ok);
    assert.equal(tampered.step, 'signature');
    assert.match(tampered.message, /is broken/);
    const withoutSigner = await planRefresh({ ...base, url: `${server.url}/stranger`, signers: [] });
    assert.ok(withoutSigner.ok);
    assert.match(withoutSigner.signatureNote, /^Integrity only: /);
  } finally {
    await server.close();
  }
});

test('a server that does not answer, or answers too slowly: the connect and total timeouts', async () => {
  const server = await serve((request, response) => {
    if (request.url === '/silent') return; // never answers
    response.writeHead(200);
    response.write('<md:EntityDescriptor');
    // The rest never comes.
  });
  try {
    const silent = await downloadMetadata(`${server.url}/silent`, { connectTimeoutMs: 300 });
    assert.ok(!silent.ok);
    assert.equal(silent.kind, 'timeout');
    assert.match(silent.message, /did not answer within 0\.3 s \(connect timeout\)/);
    const trickle = await downloadMetadata(`${server.url}/trickle`, { totalTimeoutMs: 500 });
    assert.ok(!trickle.ok);
    assert.equal(trickle.kind, 'timeout');
    assert.match(trickle.message, /did not finish within 0\.5 s \(total timeout\)/);
    const plan = await planRefresh({
      url: `${server.url}/silent`,
      currentText: '',
      fileName: 'idp.xml',
      signers: [],
      now: NOW,
      download: { connectTimeoutMs: 300 },
    });
    assert.ok(!plan.ok);
    assert.equal(plan.step, 'download');
    assert.match(plan.message, /^Download failed: /);
  } finally {
    await server.close();
  }
});

test('a 50 MB response is refused as soon as the limit is passed, announced or not', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let sent = 0;
  const server = await serve((request, response) => {
    response.writeHead(200, request.url === '/announced' ? { 'content-length': String(50 * chunk.length) } : {});
    const write = () => {
      while (sent < 50 * chunk.length) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', write);
      }
      response.end();
    };
    response.on('close', () => response.removeAllListeners('drain'));
    write();
  });
  try {
    const streamed = await downloadMetadata(`${server.url}/streamed`);
    assert.ok(!streamed.ok);
    assert.equal(streamed.kind, 'too-large');
    assert.match(streamed.message, /sent more than the limit of 20 MB; the download was stopped\./);
    assert.ok(
      sent < 40 * chunk.length,
      `the server could send only ${sent / chunk.length} MB before the connection closed`,
    );
    sent = 0;
    const announced = await downloadMetadata(`${server.url}/announced`);
    assert.ok(!announced.ok);
    assert.equal(announced.kind, 'too-large');
    assert.match(announced.message, /announces 50 MB, more than the limit of 20 MB\./);
  } finally {
    await server.close();
  }
});

test('redirects: followed up to 5, a loop and plain http to another host refused, the status named', async () => {
  const server = await serve((request, response) => {
    const url = request.url ?? '';
    if (url === '/a') response.writeHead(302, { location: '/b' }).end();
    else if (url === '/b') response.writeHead(301, { location: '/a' }).end();
    else if (url.startsWith('/hop/')) {
      const n = Number(url.slice(5));
      response.writeHead(302, { location: n > 0 ? `/hop/${n - 1}` : '/done' }).end();
    } else if (url === '/done') response.writeHead(200).end(metadata([first]));
    else if (url === '/elsewhere') response.writeHead(302, { location: 'http://idp.example.org/metadata.xml' }).end();
    else response.writeHead(404, 'Not Found').end();
  });
  try {
    const loop = await downloadMetadata(`${server.url}/a`);
    assert.ok(!loop.ok);
    assert.equal(loop.kind, 'redirect-loop');
    assert.equal(loop.message, `The redirects loop: ${server.url}/a → ${server.url}/b → ${server.url}/a.`);
    const five = await downloadMetadata(`${server.url}/hop/4`);
    assert.ok(five.ok);
    assert.equal(five.redirects.length, 5);
    const six = await downloadMetadata(`${server.url}/hop/5`);
    assert.ok(!six.ok);
    assert.equal(six.kind, 'too-many-redirects');
    const before = server.requests.length;
    const elsewhere = await downloadMetadata(`${server.url}/elsewhere`);
    assert.ok(!elsewhere.ok);
    assert.equal(elsewhere.kind, 'not-https');
    assert.match(
      elsewhere.message,
      /redirects to http:\/\/idp\.example\.org\/metadata\.xml, which is refused: .*plain http to idp\.example\.org/,
    );
    assert.equal(server.requests.length, before + 1, 'only the redirecting request was made');
    const missing = await downloadMetadata(`${server.url}/missing`);
    assert.ok(!missing.ok);
    assert.equal(missing.kind, 'http-status');
    assert.match(missing.message, /answered HTTP 404 Not Found\./);
  } finally {
    await server.close();
  }
});

test('a URL that is not https, a refused connection and a name that does not resolve', async () => {
  const notHttps = await downloadMetadata('http://login.microsoftonline.com/tenant/federationmetadata.xml');
  assert.ok(!notHttps.ok);
  assert.equal(notHttps.kind, 'not-https');
  const ftp = await downloadMetadata('ftp://127.0.0.1/metadata.xml');
  assert.ok(!ftp.ok);
  assert.equal(ftp.kind, 'not-https');
  const server = await serve(() => undefined);
  const url = server.url;
  await server.close();
  const refused = await downloadMetadata(`${url}/metadata.xml`);
  assert.ok(!refused.ok);
  assert.equal(refused.kind, 'refused');
  assert.match(refused.message, /refused the connection\./);
  const unresolved = await downloadMetadata('https://no-such-host.invalid/metadata.xml', { connectTimeoutMs: 5000 });
  assert.ok(!unresolved.ok);
  assert.equal(unresolved.kind, 'dns');
  assert.match(unresolved.message, /The name no-such-host\.invalid could not be resolved/);
});

test('samlLens.metadata.sources: each entry that cannot be used is named with its reason', () => {
  const entra =
    'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/federationmetadata/2007-06/federationmetadata.xml?appid=0f8e1c2d-0000-4000-8000-000000000001';
  const read = readMetadataSources([
    { file: 'entra-id/*.xml', url: entra, signer: 'sha256:AB' },
    { file: 'local.xml', url: 'http://127.0.0.1:8080/metadata' },
    { file: 'idp.xml', url: 'http://idp.example.org/metadata' },
    { file: 'idp.xml' },
    'idp.xml',
    { file: 'idp.xml', url: entra, signer: 42 },
  ]);
  assert.deepEqual(read.sources, [
    { file: 'entra-id/*.xml', url: entra, signer: 'sha256:AB' },
    { file: 'local.xml', url: 'http://127.0.0.1:8080/metadata', signer: undefined },
  ]);
  assert.deepEqual(read.problems, [
    'idp.xml: http://idp.example.org/metadata is plain http to idp.example.org: metadata is downloaded over https only (http only from 127.0.0.1, ::1 or localhost).',
    '{"file":"idp.xml"} needs "file" (a path or glob) and "url"',
    '"idp.xml" needs "file" (a path or glob) and "url"',
    'idp.xml: "signer" must be a certificate file or a sha256 fingerprint',
  ]);
});

test('proxyFor repeats the choice VS Code makes: proxySupport off, loopback, noProxy (NO_PROXY when empty), http.proxy, then HTTPS_PROXY', () => {
  const idp = new URL('https://idp.example.test/metadata.xml');
  const proxy = 'http://user:secret@proxy.corp:3128';
  const named = (url: URL, settings: Parameters<typeof proxyFor>[1]) => {
    const found = proxyFor(url, settings);
    return found && `${found.href} ${found.hostname}:${found.port} ${found.from}`;
  };
  assert.equal(named(idp, { proxy }), 'http://proxy.corp:3128 proxy.corp:3128 http.proxy');
  assert.equal(named(idp, { proxy, proxySupport: 'off' }), undefined);
  assert.equal(named(new URL('http://127.0.0.1:8080/m.xml'), { proxy }), undefined);
  assert.equal(named(new URL('https://localhost/m.xml'), { proxy }), undefined);
  assert.equal(named(idp, { proxy, noProxy: ['example.test'] }), undefined);
  assert.equal(named(idp, { proxy, noProxy: ['.example.test:443'] }), undefined);
  assert.equal(
    named(idp, { proxy, noProxy: ['example.test:8443'] }),
    'http://proxy.corp:3128 proxy.corp:3128 http.proxy',
  );
  assert.equal(named(idp, { proxy, noProxy: ['ample.test'] }), 'http://proxy.corp:3128 proxy.corp:3128 http.proxy');
  assert.equal(named(idp, { proxy, env: { NO_PROXY: 'other.test, example.test' } }), undefined);
  assert.equal(
    named(idp, { proxy, noProxy: ['other.test'], env: { NO_PROXY: 'example.test' } }),
    'http://proxy.corp:3128 proxy.corp:3128 http.proxy',
  );
  assert.equal(named(idp, { proxy, env: { NO_PROXY: '*' } }), undefined);
  assert.equal(
    named(idp, { env: { HTTPS_PROXY: 'http://10.0.0.1:8080' } }),
    'http://10.0.0.1:8080 10.0.0.1:8080 HTTPS_PROXY',
  );
  assert.equal(named(idp, { env: { HTTP_PROXY: 'http://10.0.0.2' } }), 'http://10.0.0.2 10.0.0.2:80 HTTP_PROXY');
  assert.equal(named(idp, { proxy: '', env: {} }), undefined);
});

/**
 * Stands in for VS Code's patch of https for one download: every https request goes to a local
 * server instead, over plain TCP, as a proxy's answer to CONNECT arrives.
 */
async function throughProxy<T>(port: number, run: () => Promise<T>): Promise<T> {
  const original = https.globalAgent;
  class ToProxy extends https.Agent {
    override createConnection(): net.Socket {
      return net.connect(port, '127.0.0.1');
    }
  }
  https.globalAgent = new ToProxy();
  try {
    return await run();
  } finally {
    https.globalAgent = original;
  }
}

test('a proxy that refuses (403, 407) or cannot be reached is named with its answer, not taken for the server', async () => {
  let status = 403;
  const server = await serve((_request, response) =>
    response.writeHead(status, status === 407 ? 'Proxy Authentication Required' : 'Forbidden').end(),
  );
  const port = Number(new URL(server.url).port);
  const proxy: ProxyInUse = { href: server.url, hostname: '127.0.0.1', port, from: 'http.proxy' };
  try {
    const forbidden = await throughProxy(port, () =>
      downloadMetadata('https://idp.example.test/metadata.xml', { proxyFor: () => proxy }),
    );
    assert.ok(!forbidden.ok);
    assert.equal(forbidden.kind, 'proxy');
    assert.equal(
      forbidden.message,
      `The proxy ${server.url} (http.proxy) refused to connect to idp.example.test:443: it answered HTTP 403 Forbidden.`,
    );
    status = 407;
    const credentials = await throughProxy(port, () => downloadMetadata('https://idp.example.test:8443/m.xml'));
    assert.ok(!credentials.ok);
    assert.equal(
      credentials.message,
      'A proxy between VS Code and the server refused to connect to idp.example.test:8443: it answered HTTP 407 Proxy Authentication Required. It asks for credentials: put them in http.proxy (http://user:password@host:port) or set http.proxyAuthorization.',
    );
  } finally {
    await server.close();
  }
  const unreachable = await throughProxy(port, () =>
    downloadMetadata('https://idp.example.test/metadata.xml', { proxyFor: () => proxy }),
  );
  assert.ok(!unreachable.ok);
  assert.equal(unreachable.kind, 'proxy');
  assert.equal(
    unreachable.message,
    `The proxy ${server.url} (http.proxy) cannot be reached: it refused the connection (ECONNREFUSED).`,
  );
});
