// The attack catalogue of docs/attacks.md, one fixture per row (test/fixtures/attacks), run through the same
// path a user's paste takes: decodeSamlInput → validateDecoded. For each: the verdict, the specific finding,
// and that nothing the attacker planted is ever presented as verified. The command line must agree.
// Accepted fixtures are also verified with xmlsec1, so "the signature is genuinely valid" is not our own word.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCliBundle } from './cliBundle';
import { buildIdpMetadata } from '../../src/core/build/metadata';
import { decodeSamlInput } from '../../src/core/messages/decode';
import { validateDecoded } from '../../src/core/validate';
import type { ValidationReport } from '../../src/core/validate';
import { ACS_URL, NOW, REQUEST_ID, SP_ENTITY_ID, idpKeyPair, spKeyPair } from '../fixtures/builder/responses';
import { xmlsec1Verify } from '../fixtures/builder/peers';
import { ATTACK_FIXTURES, type AttackFixture, attackContext, encodeFixture } from '../fixtures/attacks/catalogue';
import { skipWithout, XMLSEC1 } from '../requirements';

const repoRoot = path.resolve(__dirname, '..', '..');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

interface Outcome {
  fixture: AttackFixture;
  input: string;
  xml: string;
  verdict: string;
  codeFound: boolean;
  report?: ValidationReport;
}

const outcomes = new Map<string, Outcome>();

before(async () => {
  const ids = new Set<string>();
  for (const fixture of ATTACK_FIXTURES) {
    assert.ok(!ids.has(fixture.id), `fixture ids are unique: ${fixture.id}`);
    ids.add(fixture.id);
  }
  for (const fixture of ATTACK_FIXTURES) {
    const xml = await fixture.build();
    const input = encodeFixture(xml, fixture.encoding);
    const decoded = decodeSamlInput(input);
    if (!decoded.ok) {
      outcomes.set(fixture.id, {
        fixture,
        input,
        xml,
        verdict: `parse error (${decoded.code})`,
        codeFound: decoded.code === fixture.code,
      });
      continue;
    }
    const report = validateDecoded(decoded, attackContext(fixture.context));
    const codeFound = report.findings.some((f) => f.code === fixture.code && f.status === (fixture.status ?? 'fail'));
    outcomes.set(fixture.id, { fixture, input, xml, verdict: report.verdict, codeFound, report });
  }
});

/**
 * Drops the KeyInfo of the first (outer) signature. Text surgery on purpose: re-serialising with xmldom
 * would write a signed "&#13;" back as a raw CR; and a nested signature's KeyInfo is signed content.
 */
function withoutKeyInfo(xml: string): string {
  return xml.replace(/<ds:KeyInfo>[\s\S]*?<\/ds:KeyInfo>/, '');
}

const failing = (report: ValidationReport) =>
  report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => f.code)
    .join(', ');

/** The row numbers of docs/attacks.md's table ("16–17" stands for 16 and 17). */
function catalogueRows(): string[] {
  const text = readFileSync(path.join(__dirname, '..', '..', 'docs', 'attacks.md'), 'utf8');
  const rows: string[] = [];
  for (const [, first, last] of text.matchAll(/^\| (\d+)(?:–(\d+))? \|/gm)) {
    for (let row = Number(first); row <= Number(last ?? first); row++) rows.push(String(row));
  }
  return rows;
}

test('every row of docs/attacks.md has at least one fixture, and every fixture names a row there', () => {
  const documented = catalogueRows();
  assert.equal(documented.length, 35, 'docs/attacks.md lists rows 1–35');
  const built = new Set(ATTACK_FIXTURES.map((f) => f.row));
  assert.deepEqual(
    documented.filter((row) => !built.has(row)),
    [],
    'rows without a fixture',
  );
  assert.deepEqual(
    [...built].filter((row) => !documented.includes(row)),
    [],
    'fixtures naming a row the catalogue does not have',
  );
});

describe('attack catalogue', () => {
  for (const fixture of ATTACK_FIXTURES) {
    test(`row ${fixture.row}: ${fixture.id} → ${fixture.outcome} with ${fixture.code}`, () => {
      const outcome = outcomes.get(fixture.id)!;
      const decoded = decodeSamlInput(outcome.input);
      if (fixture.outcome === 'PARSE-FAIL') {
        assert.equal(decoded.ok, false, 'must stop before any verification');
        if (decoded.ok) return;
        assert.equal(decoded.code, fixture.code, decoded.message);
        assert.match(decoded.message, /\w{3}/);
        assert.doesNotMatch(decoded.message, /undefined|\n\s+at /);
        return;
      }
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
      const report = outcome.report!;
      if (fixture.outcome === 'ACCEPT') assert.equal(report.verdict, 'valid', `failed: ${failing(report)}`);
      else assert.notEqual(report.verdict, 'valid');
      assert.ok(
        outcome.codeFound,
        `expected ${fixture.code} with status ${fixture.status ?? 'fail'}; findings: ${report.findings.map((f) => `${f.code}:${f.status}`).join(', ')}`,
      );

      // Nothing planted by the attacker is shown as verified.
      const evil = new Set(fixture.evilValues ?? []);
      const nameId = report.subject.nameId;
      if (nameId?.verified) assert.ok(!evil.has(nameId.value), `evil NameID ${nameId.value} shown as verified`);
      for (const attribute of report.attributes) {
        if (attribute.verified)
          assert.ok(!attribute.values.some((v) => evil.has(v)), `evil ${attribute.name} shown as verified`);
      }
      if (fixture.outcome === 'ACCEPT') {
        assert.deepEqual([nameId?.value, nameId?.verified], [fixture.verifiedNameId ?? 'B.Simon@contoso.com', true]);
      }
    });
  }

  test('accepted signed fixtures also verify with xmlsec1', (t) => {
    if (skipWithout(t, XMLSEC1)) return;
    let checked = 0;
    for (const outcome of outcomes.values()) {
      const { fixture, xml } = outcome;
      if (fixture.outcome !== 'ACCEPT' || outcome.report?.encrypted) continue;
      const idAttribute = fixture.id.startsWith('response-signed')
        ? 'urn:oasis:names:tc:SAML:2.0:protocol:Response'
        : 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion';
      // KeyInfo is outside the signed bytes and never trusted; without it xmlsec1 can only use the given certificate.
      const result = xmlsec1Verify(withoutKeyInfo(xml), idpKeyPair().certificatePem, idAttribute);
      assert.ok(result.ok, `${fixture.id}: ${result.output}`);
      checked++;
    }
    assert.ok(checked >= 6, `${checked} fixtures checked with xmlsec1`);
  });
});

/** Runs the CLI on one fixture; resolves to its JSON verdict ("parse-error" for decode failures). */
function runCli(
  cli: string,
  dir: string,
  fixture: AttackFixture,
  input: string,
  metadataFile: string,
  keyFile: string,
): Promise<string> {
  const inputFile = path.join(dir, `${fixture.id}.saml.txt`);
  writeFileSync(inputFile, input);
  const options = fixture.context ?? {};
  const args = [
    cli,
    'validate',
    inputFile,
    '--idp-metadata',
    metadataFile,
    '--sp-entity-id',
    SP_ENTITY_ID,
    '--acs',
    ACS_URL,
    '--expect-attributes',
    'FirstName,LastName,Country,Email',
    '--now',
    NOW.toISOString(),
    '--json',
  ];
  if (options.requestId !== null) args.push('--request-id', options.requestId ?? REQUEST_ID);
  if (options.strictSha1) args.push('--strict-sha1');
  if (options.decrypt) args.push('--decryption-key', keyFile);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve((JSON.parse(stdout) as { verdict: string }).verdict);
      } catch {
        reject(new Error(`${fixture.id}: the CLI printed no JSON: ${stderr || stdout}`));
      }
    });
  });
}

test('the command line gives the same verdict as the core for every fixture', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-attacks-'));
  try {
    const cli = buildCliBundle(dir);
    const metadataFile = path.join(dir, 'Upwork-Entra.xml');
    writeFileSync(
      metadataFile,
      buildIdpMetadata({ tenantId: TENANT, signingCertificates: [idpKeyPair().certificatePem] }),
    );
    const keyFile = path.join(dir, 'sp-key.pem');
    writeFileSync(keyFile, spKeyPair().privateKeyPem);

    // "Signatures not required" has no command-line switch: those fixtures are compared in the core only.
    const comparable = [...outcomes.values()].filter((o) => !o.fixture.context?.allowUnsigned);
    const disagreements: string[] = [];
    const queue = [...comparable];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const cliVerdict = await runCli(cli, dir, next.fixture, next.input, metadataFile, keyFile);
        const coreVerdict = next.report ? next.report.verdict : 'parse-error';
        if (cliVerdict !== coreVerdict)
          disagreements.push(`${next.fixture.id}: core ${coreVerdict}, CLI ${cliVerdict}`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    console.log(`CLI and core agree on ${comparable.length - disagreements.length} of ${comparable.length} fixtures.`);
    assert.deepEqual(disagreements, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

after(() => {
  const rows = [...outcomes.values()].map(({ fixture, verdict, codeFound }) => ({
    row: fixture.row,
    id: fixture.id,
    expected: fixture.outcome,
    verdict,
    code: `${fixture.code}${fixture.outcome === 'PARSE-FAIL' ? '' : `:${fixture.status ?? 'fail'}`}${codeFound ? '' : ' (MISSING)'}`,
  }));
  const width = Math.max(...rows.map((r) => r.id.length));
  console.log(
    `\n${'row'.padEnd(5)} ${'attack'.padEnd(width)}  ${'expected'.padEnd(10)}  ${'verdict'.padEnd(28)}  code`,
  );
  for (const r of rows)
    console.log(
      `${r.row.padEnd(5)} ${r.id.padEnd(width)}  ${r.expected.padEnd(10)}  ${r.verdict.padEnd(28)}  ${r.code}`,
    );
  const counts = (kind: string) => rows.filter((r) => r.expected === kind).length;
  console.log(
    `${rows.length} attack fixtures: ${counts('REJECT')} REJECT, ${counts('PARSE-FAIL')} PARSE-FAIL, ${counts('ACCEPT')} ACCEPT.`,
  );
});
