// `saml-lens flow`, run as a child process on a fresh bundle of the current source: exit codes,
// the printed flow and its JSON, against captures built from the project's own builders.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildCliBundle } from './cliBundle';
import {
  idpInitiatedHar,
  idpMetadataXml,
  spInitiatedHar,
  spMetadataXml,
  har,
  harEntry,
  at,
} from '../fixtures/builder/captures';
import { ACS_URL, REQUEST_ID, buildResponse } from '../fixtures/builder/responses';

let cli: string;
let dir: string;
const file = (name: string, text: string) => {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
};

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-cli-flow-'));
  cli = buildCliBundle(dir);
  file('idp.xml', idpMetadataXml());
  file('sp.xml', spMetadataXml());
});

function run(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', cwd: dir });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const trust = ['--idp-metadata', 'idp.xml', '--sp-metadata', 'sp.xml'];

describe('saml-lens flow', () => {
  test('an SP-initiated sign-in: both messages valid, linked, exit 0', () => {
    const capture = file('signin.har', spInitiatedHar());
    const result = run(['flow', capture, ...trust, '--no-color']);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'VALID  HAR · 4 requests · 2 SAML messages · SP-initiated');
    assert.match(lines[2], /^ 1 {2}09:58:30 {2}→ IdP {2}Redirect {4}AuthnRequest _req-4f1c2a {2}VALID$/);
    assert.ok(
      lines.some((l) => /^ 2 {2}09:59:10 {2}→ SP {3}POST {8}Response _resp-0001 answers #1 {2}VALID$/.test(l)),
      result.stdout,
    );
    assert.match(
      result.stdout,
      /Clock: the IdP's IssueInstant \(message 2\) is 10 s behind the capture's time; the validator allows 180 s\./,
    );
  });

  test('--json carries every message with its links, and the flow findings', () => {
    const capture = file('other.har', spInitiatedHar({ responseXml: buildResponse({ inResponseTo: '_req-other' }) }));
    const result = run(['flow', capture, ...trust, '--json']);
    assert.equal(result.code, 1);
    const body = JSON.parse(result.stdout);
    assert.equal(body.verdict, 'invalid');
    assert.equal(body.format, 'har');
    assert.deepEqual(
      body.messages.map((m: { messageType: string; requestId?: string; verdict: string }) => [
        m.messageType,
        m.requestId,
        m.verdict,
      ]),
      [
        ['AuthnRequest', undefined, 'valid'],
        ['Response', REQUEST_ID, 'invalid'],
      ],
    );
    assert.ok(body.messages[1].findings.some((f: { code: string }) => f.code === 'in-response-to.mismatch'));
    assert.deepEqual(body.findings.map((f: { code: string }) => f.code).sort(), [
      'flow.unanswered-request',
      'flow.unknown-request',
    ]);
  });

  test('without metadata nothing is trusted: exit 2', () => {
    const result = run(['flow', file('idp.har', idpInitiatedHar())]);
    assert.equal(result.code, 2, result.stdout);
    assert.match(result.stdout, /IdP-initiated \(unsolicited\) Response/);
  });

  test('unreadable captures and captures without SAML: exit 3 with the reason', () => {
    const cases: [string, string, RegExp][] = [
      ['cut.har', spInitiatedHar().slice(0, 300), /cut off while saving/],
      ['meta.har', idpMetadataXml(), /markup \(XML or HTML\), not a browser capture/],
      ['plain.har', har([harEntry({ time: at(0), url: 'https://www.upwork.com/' })]), /none carrying SAMLRequest/],
    ];
    for (const [name, text, message] of cases) {
      const result = run(['flow', file(name, text)]);
      assert.equal(result.code, 3, name);
      assert.match(result.stderr, message);
    }
    assert.match(
      run(['flow', path.join(dir, 'missing.har')]).stderr,
      /Cannot read capture ".*missing\.har": no such file/,
    );
    const json = run(['flow', file('cut2.har', '{"log": '), '--json']);
    assert.equal(json.code, 3);
    assert.equal(JSON.parse(json.stdout).error.code, 'capture.truncated');
  });

  test('usage mistakes: exit 64', () => {
    assert.equal(run(['flow']).code, 64);
    assert.equal(run(['flow', 'a.har', 'b.har']).code, 64);
    assert.equal(run(['flow', 'a.har', '--redact-saml']).code, 64);
    assert.equal(run(['flow', 'a.har', '--clock-skew', 'soon']).code, 64);
  });

  test('--redact-to writes a copy without the session cookie; the capture is untouched', () => {
    const original = har([
      harEntry({
        time: at(-50),
        method: 'POST',
        url: ACS_URL,
        requestHeaders: [{ name: 'Cookie', value: 'sid=sess-0f9e8d7c' }],
        form: [{ name: 'SAMLResponse', value: Buffer.from(buildResponse()).toString('base64') }],
      }),
    ]);
    const capture = file('cookie.har', original);
    const result = run(['flow', capture, ...trust, '--redact-to', 'shared.har', '--redact-saml']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /Redacted copy written to shared\.har: 1 credential headers, 0 cookies, 0 password fields, 2 SAML message copies replaced\./,
    );
    const shared = readFileSync(path.join(dir, 'shared.har'), 'utf8');
    assert.equal(shared.includes('sess-0f9e8d7c'), false);
    assert.equal(readFileSync(capture, 'utf8'), original);
  });
});
