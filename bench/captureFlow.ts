/**
 * The capture row: a browser capture of about 100 MB (thousands of ordinary page loads with their
 * bodies, and one SP-initiated sign-in among them) turned into a validated SAML flow, as the flow
 * view's worker does it (read from disk, flowFromCapture, flowSummary), against JSON.parse of the
 * same bytes, measured in the same rounds.
 */
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { generateCertificate } from '../src/core/build/certificate';
import { buildAuthnRequest, buildSamlResponse, encodeRedirect } from '../src/core/build/response';
import { flowFromCapture, flowSummary } from '../src/core/flow';
import type { Measurement } from './inProcess';
import { collectGarbage, cpuMs, summarise, timeMs } from './stats';

const SP = 'https://www.upwork.com';
const ACS = 'https://www.upwork.com/ab/account-security/login';
const IDP = 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/';
const SSO = 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2';

function entry(started: Date, method: string, url: string, status: number, body: string, postText?: string) {
  return {
    startedDateTime: started.toISOString(),
    time: 42,
    request: {
      method,
      url,
      httpVersion: 'HTTP/2',
      headers: [
        { name: 'user-agent', value: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36' },
        { name: 'accept', value: 'text/html,application/xhtml+xml' },
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: postText?.length ?? 0,
      ...(postText !== undefined && {
        postData: {
          mimeType: 'application/x-www-form-urlencoded',
          text: postText,
          params: [...new URLSearchParams(postText)].map(([name, value]) => ({ name, value })),
        },
      }),
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'HTTP/2',
      headers: [{ name: 'content-type', value: 'text/html; charset=utf-8' }],
      cookies: [],
      content: { size: body.length, mimeType: 'text/html', text: body },
      redirectURL: '',
      headersSize: -1,
      bodySize: body.length,
    },
    cache: {},
    timings: { send: 1, wait: 40, receive: 1 },
  };
}

/** The capture's text: `filler` ordinary entries of ~50 KB each around one sign-in. */
export function generateCapture(filler = 2000): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = generateCertificate(
    { keyType: 'rsa', bits: 2048 },
    {
      subject: { commonName: 'bench IdP' },
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2035-01-01T00:00:00Z'),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  );
  const start = new Date('2026-11-15T09:00:00Z');
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
  const page = `<!DOCTYPE html><html><body>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'.repeat(800)}</body></html>`;
  const entries: unknown[] = [];
  const half = Math.floor(filler / 2);
  for (let i = 0; i < half; i++)
    entries.push(entry(at(i * 0.01), 'GET', `https://www.upwork.com/assets/${i}.html`, 200, page));
  const requestXml = buildAuthnRequest({
    id: '_bench-request',
    issuer: SP,
    destination: SSO,
    assertionConsumerServiceUrl: ACS,
    issueInstant: at(100),
  });
  entries.push(
    entry(
      at(100),
      'GET',
      encodeRedirect(requestXml, { destination: SSO, parameter: 'SAMLRequest', relayState: 'r1' }),
      200,
      page,
    ),
  );
  const responseXml = buildSamlResponse({
    issuer: IDP,
    destination: ACS,
    audience: SP,
    recipient: ACS,
    nameId: 'B.Simon@contoso.com',
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    attributes: [{ name: 'Email', values: ['B.Simon@contoso.com'] }],
    issueInstant: at(101),
    notBefore: at(96),
    notOnOrAfter: at(3700),
    inResponseTo: '_bench-request',
    signResponse: false,
    signAssertion: true,
    ...keys,
  });
  const posted = new URLSearchParams({
    SAMLResponse: Buffer.from(responseXml).toString('base64'),
    RelayState: 'r1',
  }).toString();
  entries.push(entry(at(102), 'POST', ACS, 302, '', posted));
  for (let i = half; i < filler; i++)
    entries.push(entry(at(200 + i * 0.01), 'GET', `https://www.upwork.com/assets/${i}.html`, 200, page));
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, entries } });
}

export function measureCaptureFlow(file: string, runs: number): Measurement {
  const flowCpu: number[] = [];
  const flowWall: number[] = [];
  const parseWall: number[] = [];
  const ratio: number[] = [];
  let messages = 0;
  for (let round = 0; round < runs; round++) {
    collectGarbage();
    const parse = timeMs(() => JSON.parse(readFileSync(file, 'utf8')));
    collectGarbage();
    let cpu = 0;
    const wall = timeMs(() => {
      cpu = cpuMs(() => {
        const flow = flowFromCapture(readFileSync(file, 'utf8'));
        if (!flow.ok) throw new Error(`flowFromCapture refused the bench capture: ${flow.message}`);
        messages = flowSummary(flow).messages.length;
      });
    });
    flowWall.push(wall);
    flowCpu.push(cpu);
    parseWall.push(parse);
    ratio.push(wall / parse);
  }
  const ratioSummary = summarise(ratio);
  const bytes = readFileSync(file).length;
  return {
    name: 'capture flow',
    subject: `read + flowFromCapture + flowSummary of a ${(bytes / 1024 / 1024).toFixed(0)} MB HAR (${messages} SAML messages among thousands of entries)`,
    subjectMs: summarise(flowWall),
    reference: 'read + JSON.parse of the same file',
    referenceMs: summarise(parseWall),
    ratio: ratioSummary,
    target: '≤ 3 × JSON.parse (median)',
    met: ratioSummary.median <= 3,
    notes: [
      `${runs} interleaved rounds; CPU of the flow: median ${summarise(flowCpu).median.toFixed(0)} ms`,
      'What the flow view adds after this (posting the summary to the extension host, the tree rows) is not included.',
    ],
  };
}
