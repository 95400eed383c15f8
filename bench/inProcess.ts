/**
 * The benchmark steps that run in this Node process, each against a reference measured in the same
 * run: the metadata model vs `xmllint --noout`, certificate expiry findings vs plain base64 decoding,
 * decode + validation of a signed response vs `xmlsec1 --verify`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCertificate } from '../src/core/build/certificate';
import { buildSamlResponse, type ResponseAttribute } from '../src/core/build/response';
import { certificateFindings } from '../src/core/certs';
import { parseMetadata } from '../src/core/metadata';
import { scanXml, type XmlVisitor } from '../src/core/xml';
import { decodeSamlInput } from '../src/core/messages';
import { validateDecoded } from '../src/core/validate';
import { collectGarbage, cpuMs, summarise, timeCommand, timeMs, type Summary } from './stats';

/** One benchmark row: what was measured, against what, and the ratio (per round, then summarised). */
export interface Measurement {
  name: string;
  subject: string;
  subjectMs: Summary;
  reference: string;
  referenceMs: Summary;
  /** subject ÷ reference, computed per round so that load from other processes hits both alike. */
  ratio: Summary;
  /** Of subjectMs and referenceMs, when they are not milliseconds (memory rows: MB). */
  unit?: string;
  target: string;
  met: boolean;
  notes: string[];
  extra?: Record<string, unknown>;
}

/** The fixed clock for certificate findings: some of the aggregate's certificates are expired, some expiring. */
export const BENCH_NOW = new Date('2026-11-15T00:00:00Z');

export function measureModel(file: string, runs: number): Measurement & { certificates: string[] } {
  const text = readFileSync(file, 'utf8');
  const wall = { model: [] as number[], xmllint: [] as number[], ratio: [] as number[] };
  const cpu = { model: [] as number[], xmllint: [] as number[], ratio: [] as number[] };
  // The scanner alone (well-formedness, namespaces, a visitor that keeps nothing): what reading the
  // XML costs before any model object is made, to tell the two apart in the same run.
  const scanCpu = { scan: [] as number[], ratio: [] as number[] };
  const keepNothing: XmlVisitor = { captureText: false, open() {}, close() {} };
  let certificates: string[] = [];
  let entities = 0;
  for (let round = 0; round < runs; round++) {
    const reference = timeCommand('xmllint', ['--noout', file]);
    collectGarbage();
    let modelCpu = 0;
    const modelWall = timeMs(() => {
      modelCpu = cpuMs(() => {
        const result = parseMetadata(text);
        if (!result.ok) throw new Error(`parseMetadata failed on ${file}: ${result.error.message}`);
        entities = result.model.entities.length;
        certificates = result.model.certificates.map((certificate) => certificate.base64);
      });
    });
    wall.model.push(modelWall);
    wall.xmllint.push(reference.wallMs);
    wall.ratio.push(modelWall / reference.wallMs);
    cpu.model.push(modelCpu);
    cpu.xmllint.push(reference.cpuMs);
    cpu.ratio.push(modelCpu / reference.cpuMs);
    collectGarbage();
    const scanned = cpuMs(() => {
      if (!scanXml(text, keepNothing, { maxLength: text.length }).ok) throw new Error(`scanXml refused ${file}`);
    });
    scanCpu.scan.push(scanned);
    scanCpu.ratio.push(scanned / reference.cpuMs);
  }
  const ratio = summarise(wall.ratio);
  return {
    name: 'model',
    subject: `parseMetadata: full model with source ranges (${entities} entities, ${(text.length / 1e6).toFixed(1)} M characters)`,
    subjectMs: summarise(wall.model),
    reference: 'xmllint --noout, same file',
    referenceMs: summarise(wall.xmllint),
    ratio,
    // Judged on CPU time like the other in-process rows: on shared cores the wall time mostly
    // measures the other processes, and xmllint, single-threaded, suffers less from them.
    target: '≤ 1.5 × xmllint (CPU time)',
    met: summarise(cpu.ratio).median <= 1.5,
    notes: [
      `CPU time: parseMetadata ${summarise(cpu.model).median.toFixed(0)} ms, xmllint ${summarise(cpu.xmllint).median.toFixed(0)} ms, ratio ${summarise(cpu.ratio).median.toFixed(2)} × (median)`,
      `the scanner alone (no model): ${summarise(scanCpu.scan).median.toFixed(0)} ms of CPU, ${summarise(scanCpu.ratio).median.toFixed(2)} × xmllint (median)`,
    ],
    extra: {
      cpuMs: { model: summarise(cpu.model), xmllint: summarise(cpu.xmllint), ratio: summarise(cpu.ratio) },
      scanOnlyCpuMs: { scan: summarise(scanCpu.scan), ratio: summarise(scanCpu.ratio) },
      entities,
    },
    certificates,
  };
}

export function measureCertificateFindings(certificates: readonly string[], runs: number): Measurement {
  if (certificates.length === 0) throw new Error('the aggregate has no certificates to judge');
  const wall = { findings: [] as number[], decode: [] as number[], ratio: [] as number[] };
  const cpu = { findings: [] as number[], decode: [] as number[], ratio: [] as number[] };
  const counts: Record<string, number> = {};
  let decodedBytes = 0;
  for (let round = 0; round < runs; round++) {
    collectGarbage();
    let decodeCpu = 0;
    const decodeMs = timeMs(() => {
      decodeCpu = cpuMs(() => {
        decodedBytes = 0;
        for (const base64 of certificates) decodedBytes += Buffer.from(base64, 'base64').length;
      });
    });
    collectGarbage();
    let findingsCpu = 0;
    const findingsMs = timeMs(() => {
      findingsCpu = cpuMs(() => {
        for (const base64 of certificates) {
          for (const finding of certificateFindings(base64, { now: BENCH_NOW })) {
            if (round === 0) counts[finding.code] = (counts[finding.code] ?? 0) + 1;
          }
        }
      });
    });
    wall.findings.push(findingsMs);
    wall.decode.push(decodeMs);
    wall.ratio.push(findingsMs / decodeMs);
    cpu.findings.push(findingsCpu);
    cpu.decode.push(decodeCpu);
    cpu.ratio.push(findingsCpu / decodeCpu);
  }
  const subjectMs = summarise(wall.findings);
  const per24k = (subjectMs.median / certificates.length) * 24_000;
  const cpuMedian = summarise(cpu.findings).median;
  const cpuPer24k = (cpuMedian / certificates.length) * 24_000;
  return {
    name: 'cert findings',
    subject: `certificateFindings for ${certificates.length} certificates (clock ${BENCH_NOW.toISOString().slice(0, 10)})`,
    subjectMs,
    reference: `Buffer.from(base64) of the same ${certificates.length} certificates (${(decodedBytes / 1e6).toFixed(1)} MB DER)`,
    referenceMs: summarise(wall.decode),
    ratio: summarise(wall.ratio),
    // Judged on CPU time: on a shared machine the wall time of a 50 ms step mostly measures the
    // other processes that held the core meanwhile.
    target: '≤ 100 ms of CPU for 24,000 certificates',
    met: cpuPer24k <= 100,
    notes: [
      `per certificate ${((subjectMs.median / certificates.length) * 1000).toFixed(2)} µs, so ${per24k.toFixed(0)} ms for 24,000 certificates`,
      `CPU time: ${cpuMedian.toFixed(0)} ms (median), so ${cpuPer24k.toFixed(0)} ms of CPU for 24,000 certificates; base64 decoding ${summarise(cpu.decode).median.toFixed(0)} ms of CPU, ratio ${summarise(cpu.ratio).median.toFixed(2)} × (median)`,
      `findings: ${
        Object.entries(counts)
          .map(([code, count]) => `${code} ${count}`)
          .join(', ') || 'none'
      }`,
    ],
    extra: {
      certificates: certificates.length,
      per24kMs: per24k,
      cpuPer24kMs: cpuPer24k,
      cpuMs: { findings: summarise(cpu.findings), decode: summarise(cpu.decode), ratio: summarise(cpu.ratio) },
      findings: counts,
    },
  };
}

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';

/** Entra ID's usual claims plus group and role claims, as a real response carries them: about 10 KB signed. */
function typicalAttributes(): ResponseAttribute[] {
  const attributes: ResponseAttribute[] = [
    { name: 'FirstName', values: ['B'] },
    { name: 'LastName', values: ['Simon'] },
    { name: 'Country', values: ['US'] },
    { name: 'Email', values: ['B.Simon@contoso.com'] },
    { name: 'http://schemas.microsoft.com/identity/claims/tenantid', values: ['72f988bf-86f1-41af-91ab-2d7cd011db47'] },
    {
      name: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
      values: ['c3a2e5b1-7d44-4a7e-9f0e-2b8c1d6e9a10'],
    },
    { name: 'http://schemas.microsoft.com/identity/claims/displayname', values: ['B. Simon'] },
    {
      name: 'http://schemas.microsoft.com/identity/claims/identityprovider',
      values: ['https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/'],
    },
    {
      name: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
      values: [
        'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
        'http://schemas.microsoft.com/claims/multipleauthn',
      ],
    },
    { name: `${CLAIMS}/givenname`, values: ['B'] },
    { name: `${CLAIMS}/surname`, values: ['Simon'] },
    { name: `${CLAIMS}/emailaddress`, values: ['B.Simon@contoso.com'] },
    { name: `${CLAIMS}/name`, values: ['B.Simon@contoso.com'] },
  ];
  const groups = Array.from(
    { length: 40 },
    (_, i) => `${(0x1000 + i).toString(16)}aa1f-3c2d-4e5f-8a9b-0c1d2e3f4a${(10 + i).toString().padStart(2, '0')}`,
  );
  attributes.push({ name: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', values: groups });
  attributes.push({
    name: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    values: ['Freelancer', 'Client', 'Agency.Admin', 'Reports.Read'],
  });
  return attributes;
}

const VALIDATION_NOW = new Date('2026-03-01T10:00:00Z');

/** The files measureValidation writes and verifies with xmlsec1, for the command-line rows to reuse. */
export function validationFiles(outDir: string) {
  const file = join(outDir, 'response.xml');
  const certificateFile = join(outDir, 'idp-certificate.pem');
  const xmlsecArgs = [
    '--verify',
    '--pubkey-cert-pem',
    certificateFile,
    '--id-attr:ID',
    'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
    file,
  ];
  return { file, certificateFile, xmlsecArgs, now: VALIDATION_NOW.toISOString() };
}

export function measureValidation(outDir: string, runs: number, referenceRuns: number): Measurement {
  const now = VALIDATION_NOW;
  const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
  const idp = generateCertificate(
    { keyType: 'rsa', bits: 2048 },
    {
      subject: { commonName: 'Microsoft Azure Federated SSO Certificate' },
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2028-01-01T00:00:00Z'),
      seed: 'saml-lens bench idp',
    },
  );
  const issuer = 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/';
  const acs = 'https://www.upwork.com/ab/account-security/login';
  // Two responses that differ only in their IDs, validated alternately: the validator keeps the document
  // of the last message it parsed (decoding and validating the same text parse it once), and a run must
  // not find the previous run's document there.
  const signedResponse = (serial: string) =>
    buildSamlResponse({
      issuer,
      destination: acs,
      audience: 'https://www.upwork.com',
      recipient: acs,
      nameId: 'B.Simon@contoso.com',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      attributes: typicalAttributes(),
      issueInstant: minutes(-1),
      notBefore: minutes(-6),
      notOnOrAfter: minutes(59),
      sessionNotOnOrAfter: minutes(8 * 60),
      inResponseTo: '_req-bench-0001',
      responseId: `_resp-bench-${serial}`,
      assertionId: `_assert-bench-${serial}`,
      signResponse: false,
      signAssertion: true,
      privateKeyPem: idp.privateKeyPem,
      certificatePem: idp.certificatePem,
    });
  const xml = signedResponse('0001');
  const postings = [xml, signedResponse('0002')].map((text) => Buffer.from(text).toString('base64'));
  const posted = postings[0];
  const context = {
    now,
    trustedCertificates: [{ pem: idp.certificatePem, source: 'bench IdP certificate', entityId: issuer }],
    idpEntityId: issuer,
    receivedAt: acs,
    requestId: '_req-bench-0001',
    sp: {
      entityId: 'https://www.upwork.com',
      acsUrls: [acs],
      expectedAttributes: ['FirstName', 'LastName', 'Country', 'Email'].map((name) => ({ name, required: true })),
      source: 'bench',
    },
  };
  let run = 0;
  const validateOnce = () => {
    const decoded = decodeSamlInput(postings[run++ % postings.length]);
    if (!decoded.ok) throw new Error(`the bench response did not decode: ${decoded.message}`);
    return validateDecoded(decoded, context);
  };
  const reports = postings.map(() => validateOnce());
  const invalid = reports.find((report) => report.verdict !== 'valid');
  if (invalid) {
    const failures = invalid.findings
      .filter((finding) => finding.status === 'fail')
      .map((finding) => `${finding.code}: ${finding.message}`);
    throw new Error(`the bench responses should validate, got "${invalid.verdict}":\n  ${failures.join('\n  ')}`);
  }
  const report = reports[0];

  mkdirSync(outDir, { recursive: true });
  const { file: messageFile, certificateFile, xmlsecArgs } = validationFiles(outDir);
  writeFileSync(messageFile, xml);
  writeFileSync(certificateFile, idp.certificatePem);
  timeCommand('xmlsec1', xmlsecArgs); // Fails loudly if xmlsec1 does not verify the same document.

  for (let i = 0; i < 20; i++) validateOnce(); // Warm-up: the JIT, and the lazily loaded libraries.
  const subject: number[] = [];
  const subjectCpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    let cpu = 0;
    subject.push(timeMs(() => (cpu = cpuMs(validateOnce))));
    subjectCpu.push(cpu);
  }
  const reference: number[] = [];
  const referenceCpu: number[] = [];
  for (let i = 0; i < referenceRuns; i++) {
    const { wallMs, cpuMs: commandCpuMs } = timeCommand('xmlsec1', xmlsecArgs);
    reference.push(wallMs);
    referenceCpu.push(commandCpuMs);
  }
  const subjectMs = summarise(subject);
  const referenceMs = summarise(reference);
  const cpuMedian = summarise(subjectCpu).median;
  const referenceCpuMedian = summarise(referenceCpu).median;
  return {
    name: 'validate',
    subject: `decodeSamlInput + validateDecoded, signed ${(xml.length / 1024).toFixed(1)} KB Response (${posted.length} characters of base64), verdict "${report.verdict}"`,
    subjectMs,
    reference: 'xmlsec1 --verify of the same document (whole process)',
    referenceMs,
    // The runs are not paired one to one (many more of ours), so the ratio is of the summaries.
    ratio: {
      runs: Math.min(runs, referenceRuns),
      min: subjectMs.min / referenceMs.min,
      median: subjectMs.median / referenceMs.median,
      max: subjectMs.max / referenceMs.max,
    },
    // Judged on CPU time: on a shared machine the wall time of a 5 ms step mostly measures the other
    // processes that held the core meanwhile (a median of 12 ms of wall time for 4 ms of CPU at load 12).
    target: '≤ 5 ms of CPU (median)',
    met: cpuMedian <= 5,
    notes: [
      `${runs} runs after 20 warm-up runs, alternating two responses that differ in their IDs (each run parses its message); xmlsec1 ${referenceRuns} runs`,
      `CPU time per run: median ${cpuMedian.toFixed(2)} ms (process CPU clock, coarse for single runs); xmlsec1 ${referenceCpuMedian.toFixed(1)} ms of CPU per process, ratio ${(cpuMedian / referenceCpuMedian).toFixed(2)} ×`,
    ],
    extra: {
      xmlBytes: xml.length,
      findings: report.findings.length,
      cpuMs: { validate: summarise(subjectCpu), xmlsec1: summarise(referenceCpu) },
    },
  };
}
