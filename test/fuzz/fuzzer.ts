// Seeded fuzzing of everything that reads untrusted text: decodeSamlInput + validateDecoded (responses as
// XML, base64, DEFLATE and form bodies), parseMetadata, certificateFacts and certificateFindings.
// Seeds are valid responses, every attack fixture, the samples' metadata and certificates, and the shared
// corpus when present. Each case is checked for: no exception, a specific message, under a second, and that
// nothing the attacker planted is ever shown as verified in a "valid" verdict.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { deflateRawSync } from 'node:zlib';
import { certificateFacts, certificateFindings } from '../../src/core/certs';
import { decodeSamlInput } from '../../src/core/messages/decode';
import { parseMetadata } from '../../src/core/metadata';
import { validateDecoded } from '../../src/core/validate';
import type { ValidationReport } from '../../src/core/validate';
import { ATTACK_FIXTURES, EVIL, attackContext } from '../fixtures/attacks/catalogue';
import { buildResponse, idpKeyPair, NOW } from '../fixtures/builder/responses';
import { seededRandom } from './random';

export interface ResponseSeed {
  name: string;
  xml: string;
  /** An attack shape: must never come out "valid" with planted values shown as verified. */
  evil: boolean;
}

export interface Seeds {
  responses: ResponseSeed[];
  metadata: { name: string; text: string }[];
  certificates: { name: string; text: string }[];
}

/** The NameIDs our own IdP key ever signed in the seeds: the only ones a "valid" verdict may show. */
const SIGNED_NAME_IDS = new Set(['B.Simon@contoso.com', 'admin@contoso.com.evil.com']);
const PLANTED = new Set([EVIL.nameId, EVIL.email]);
/** Inputs bigger than this are not worth a metadata/corpus seed: the case count matters more. */
const MAX_SEED_LENGTH = 200_000;

function textFiles(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).size <= MAX_SEED_LENGTH);
}

export async function loadSeeds(repoRoot: string): Promise<Seeds> {
  const responses: ResponseSeed[] = [
    { name: 'valid.assertion-signed', xml: buildResponse(), evil: false },
    { name: 'valid.response-signed', xml: buildResponse({ signResponse: true, signAssertion: false }), evil: false },
    { name: 'valid.both-signed', xml: buildResponse({ signResponse: true }), evil: false },
  ];
  for (const fixture of ATTACK_FIXTURES) {
    // Fixtures that need a decryption key or a non-default context are covered by the attack test itself.
    if (fixture.context) continue;
    responses.push({ name: `attack.${fixture.id}`, xml: await fixture.build(), evil: fixture.outcome !== 'ACCEPT' });
  }
  const samples = path.join(repoRoot, 'samples');
  const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'metadata');
  const metadata = [
    ...textFiles(path.join(samples, 'entra-id'), '.xml'),
    ...textFiles(path.join(samples, 'upwork-enterprise'), '.xml'),
    ...textFiles(path.join(samples, 'certificates'), '.xml'),
    ...textFiles(corpus, '.xml'),
  ].map((file) => ({ name: path.relative(path.dirname(repoRoot), file), text: readFileSync(file, 'utf8') }));
  const certificates = [
    ...textFiles(path.join(samples, 'certificates'), '.pem'),
    ...textFiles(path.join(samples, 'upwork-enterprise'), '.pem'),
  ].map((file) => ({ name: path.relative(repoRoot, file), text: readFileSync(file, 'utf8') }));
  certificates.push({ name: 'idp test certificate', text: idpKeyPair().certificatePem });
  return { responses, metadata, certificates };
}

// ── mutations ─────────────────────────────────────────────────────────────────────────────────────

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const FRAGMENTS = [
  '<',
  '>',
  '/>',
  '"',
  "'",
  '&',
  '&amp;',
  '&#13;',
  '&#x0;',
  '😀',
  '\r',
  '\r\n',
  '<!--',
  '-->',
  '<!---->',
  '<![CDATA[',
  ']]>',
  '<?pi x?>',
  '<!DOCTYPE x>',
  '\uFEFF',
  '\u0000',
  'xmlns="urn:x"',
  'xmlns:saml="urn:evil"',
  'ID="_assert-0001"',
  '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>',
];
const TAG_NAMES = [
  'saml:Assertion',
  'samlp:Response',
  'ds:Signature',
  'ds:SignedInfo',
  'ds:Reference',
  'saml:NameID',
  'saml:Advice',
  'samlp:Extensions',
  'x:y',
  'a',
];
const NAMESPACES = [
  'urn:oasis:names:tc:SAML:2.0:assertion',
  'urn:oasis:names:tc:SAML:2.0:protocol',
  'http://www.w3.org/2000/09/xmldsig#',
  'urn:evil',
];

/** Spans [start, end) of elements found by a cheap scan: good enough to cut and paste whole elements. */
function elementSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const startTag = /<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s>/]/g;
  for (let match = startTag.exec(text); match && spans.length < 200; match = startTag.exec(text)) {
    const close = text.indexOf(`</${match[1]}>`, match.index);
    const selfClosing = text.indexOf('/>', match.index);
    const tagEnd = text.indexOf('>', match.index);
    if (selfClosing >= 0 && selfClosing + 1 === tagEnd) spans.push({ start: match.index, end: tagEnd + 1 });
    else if (close >= 0) spans.push({ start: match.index, end: close + match[1].length + 3 });
  }
  return spans;
}

function randomTag(random: Random): string {
  const name = pick(random, TAG_NAMES);
  const prefix = name.split(':')[0];
  const declaration = name.includes(':') && random() < 0.7 ? ` xmlns:${prefix}="${pick(random, NAMESPACES)}"` : '';
  const id = random() < 0.3 ? ` ID="${pick(random, ['_assert-0001', '_resp-0001', '_x'])}"` : '';
  return random() < 0.5
    ? `<${name}${declaration}${id}/>`
    : `<${name}${declaration}${id}>${pick(random, ['', 'admin@contoso.com', 'x'])}</${name}>`;
}

function randomBase64(random: Random, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * 64)];
  return out + pick(random, ['', '=', '==']);
}

export interface Mutation {
  name: string;
  /** True when the change cannot touch signed content (whitespace before or after the root element). */
  benign?: boolean;
  apply(text: string, random: Random): string;
}

export const TEXT_MUTATIONS: Mutation[] = [
  {
    name: 'byte flips',
    apply: (text, random) => {
      const bytes = Buffer.from(text, 'utf8');
      for (let flips = between(random, 1, 4); flips > 0; flips--)
        bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8);
      return bytes.toString('latin1');
    },
  },
  { name: 'truncation', apply: (text, random) => text.slice(0, Math.floor(random() * text.length)) },
  {
    name: 'element duplication',
    apply: (text, random) => {
      const spans = elementSpans(text);
      if (spans.length === 0) return text + text;
      const { start, end } = pick(random, spans);
      return text.slice(0, end) + text.slice(start, end) + text.slice(end);
    },
  },
  {
    name: 'element reordering',
    apply: (text, random) => {
      const spans = elementSpans(text);
      const first = pick(random, spans);
      const second = spans.find((s) => s.start >= first.end && random() < 0.3);
      if (!first || !second) return text;
      return (
        text.slice(0, first.start) +
        text.slice(second.start, second.end) +
        text.slice(first.end, second.start) +
        text.slice(first.start, first.end) +
        text.slice(second.end)
      );
    },
  },
  {
    name: 'deep nesting',
    apply: (text, random) => {
      const depth = between(random, 100, 20_000);
      const at = text.indexOf('>', Math.floor(random() * text.length)) + 1 || text.length;
      return text.slice(0, at) + '<a>'.repeat(depth) + '</a>'.repeat(depth) + text.slice(at);
    },
  },
  {
    name: 'huge attribute',
    apply: (text, random) => {
      const spans = elementSpans(text);
      const at = spans.length ? pick(random, spans).start + 1 : 0;
      const nameEnd = text.slice(at).search(/[\s/>]/);
      const insertAt = at + Math.max(nameEnd, 0);
      return `${text.slice(0, insertAt)} huge="${'A'.repeat(between(random, 10_000, 1_000_000))}"${text.slice(insertAt)}`;
    },
  },
  {
    name: 'random tags',
    apply: (text, random) => {
      let result = text;
      for (let n = between(random, 1, 5); n > 0; n--) {
        const at = Math.floor(random() * result.length);
        result =
          result.slice(0, at) + (random() < 0.5 ? randomTag(random) : pick(random, FRAGMENTS)) + result.slice(at);
      }
      return result;
    },
  },
  {
    name: 'whitespace around the root',
    benign: true,
    apply: (text, random) =>
      `${pick(random, ['', '\n', '\r\n', ' \t'])}${text}${pick(random, ['', '\n', '\r\n\r\n', '  '])}`,
  },
];

// ── encodings of a response ───────────────────────────────────────────────────────────────────────

const ENCODINGS: { name: string; encode(xmlBytes: Buffer, random: Random): string }[] = [
  { name: 'xml', encode: (bytes) => bytes.toString('latin1') },
  { name: 'base64', encode: (bytes) => bytes.toString('base64') },
  { name: 'deflate+base64', encode: (bytes) => deflateRawSync(bytes).toString('base64') },
  {
    name: 'form body',
    encode: (bytes, random) =>
      `SAMLResponse=${encodeURIComponent(bytes.toString('base64'))}&RelayState=${pick(random, ['', 'x', '%', '%ZZ'])}`,
  },
  {
    name: 'redirect URL',
    encode: (bytes) =>
      `https://sp.example/acs?SAMLResponse=${encodeURIComponent(deflateRawSync(bytes).toString('base64'))}&SigAlg=x&Signature=AAAA`,
  },
  {
    name: 'base64 with truncation',
    encode: (bytes, random) => {
      const b64 = bytes.toString('base64');
      return b64.slice(0, Math.floor(random() * b64.length));
    },
  },
];

// ── cases and checks ──────────────────────────────────────────────────────────────────────────────

export interface FuzzCase {
  number: number;
  target: 'response' | 'metadata' | 'certificate' | 'random';
  description: string;
  input: string;
  seedEvil: boolean;
  benign: boolean;
  seedValid: boolean;
}

export function makeCase(number: number, random: Random, seeds: Seeds): FuzzCase {
  const roll = random();
  if (roll < 0.6) {
    const seed = pick(random, seeds.responses);
    const mutation = pick(random, TEXT_MUTATIONS);
    const mutated = mutation.apply(seed.xml, random);
    const encoding = pick(random, ENCODINGS);
    // "byte flips" returns latin1 text of raw bytes: encode those bytes as they are (non-UTF-8 included).
    const bytes = mutation.name === 'byte flips' ? Buffer.from(mutated, 'latin1') : Buffer.from(mutated, 'utf8');
    // A truncated encoding is never benign, whatever the mutation before it.
    const benign = !!mutation.benign && encoding.name !== 'base64 with truncation';
    return {
      number,
      target: 'response',
      description: `${seed.name} · ${mutation.name} · ${encoding.name}`,
      input: encoding.encode(bytes, random),
      seedEvil: seed.evil,
      benign,
      seedValid: seed.name.startsWith('valid.'),
    };
  }
  if (roll < 0.8 && seeds.metadata.length) {
    const seed = pick(random, seeds.metadata);
    const mutation = pick(random, TEXT_MUTATIONS);
    return {
      number,
      target: 'metadata',
      description: `${seed.name} · ${mutation.name}`,
      input: mutation.apply(seed.text, random),
      seedEvil: false,
      benign: false,
      seedValid: false,
    };
  }
  if (roll < 0.95) {
    const seed = pick(random, seeds.certificates);
    return {
      number,
      target: 'certificate',
      ...mutateCertificate(seed, random),
      seedEvil: false,
      benign: false,
      seedValid: false,
    };
  }
  const length = between(random, 0, 5000);
  return {
    number,
    target: 'random',
    description: `random base64 of ${length} characters`,
    input: randomBase64(random, length),
    seedEvil: false,
    benign: false,
    seedValid: false,
  };
}

/** Certificate mutations work on the DER: flips, truncation, odd OIDs, deep SEQUENCE nesting, garbage. */
function mutateCertificate(
  seed: { name: string; text: string },
  random: Random,
): { description: string; input: string } {
  const base64 = seed.text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(base64, 'base64');
  const kind = pick(random, ['flip', 'truncate', 'odd OID', 'deep nesting', 'text mutation', 'length overflow']);
  let out: Buffer;
  if (kind === 'flip') {
    out = Buffer.from(der);
    for (let n = between(random, 1, 6); n > 0; n--)
      out[Math.floor(random() * out.length)] ^= 1 << Math.floor(random() * 8);
  } else if (kind === 'truncate') {
    out = der.subarray(0, Math.floor(random() * der.length));
  } else if (kind === 'odd OID') {
    out = Buffer.from(der);
    // Replace the body of some OBJECT IDENTIFIER (tag 06) with huge or non-minimal arcs.
    const oids = [...out.keys()].filter((i) => out[i] === 0x06 && out[i + 1] > 2 && out[i + 1] < 20);
    if (oids.length) {
      const at = pick(random, oids);
      for (let i = 0; i < out[at + 1]; i++) out[at + 2 + i] = pick(random, [0x80, 0xff, 0x7f, 0x00]);
    }
  } else if (kind === 'deep nesting') {
    const depth = between(random, 50, 5000);
    let inner = Buffer.alloc(0);
    for (let i = 0; i < depth; i++) {
      const length = inner.length;
      const header =
        length < 128
          ? Buffer.from([0x30, length])
          : length < 256
            ? Buffer.from([0x30, 0x81, length])
            : length < 65536
              ? Buffer.from([0x30, 0x82, length >> 8, length & 0xff])
              : Buffer.from([0x30, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff]);
      inner = Buffer.concat([header, inner]);
    }
    out = inner;
  } else if (kind === 'length overflow') {
    out = Buffer.from(der);
    out[1] = 0x84;
    out.writeUInt32BE(0xffffffff, 2);
  } else {
    const text = pick(
      random,
      TEXT_MUTATIONS.filter((m) => m.name !== 'deep nesting'),
    ).apply(seed.text, random);
    return { description: `${seed.name} · text mutation`, input: text };
  }
  const pem = random() < 0.5;
  const encoded = out.toString('base64');
  return {
    description: `${seed.name} · ${kind}${pem ? ' · PEM' : ' · base64'}`,
    input: pem
      ? `-----BEGIN CERTIFICATE-----\n${encoded.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`
      : encoded,
  };
}

/** A message shown to a user: non-empty, no "undefined", no stack trace, no "[object …]". */
function messageProblem(message: string | undefined, input: string, where: string): string | undefined {
  if (!message || message.trim() === '') return `${where}: empty message`;
  if (/\n\s+at .+:\d+:\d+/.test(message)) return `${where}: message carries a stack trace: ${message.slice(0, 200)}`;
  if (/\[object \w+\]/.test(message)) return `${where}: message shows an object: ${message.slice(0, 200)}`;
  if (/\bundefined\b/.test(message) && !input.includes('undefined'))
    return `${where}: message says "undefined": ${message.slice(0, 200)}`;
  return undefined;
}

function reportProblems(report: ValidationReport, fuzzCase: FuzzCase): string[] {
  const problems: string[] = [];
  if (!['valid', 'invalid', 'not-verifiable'].includes(report.verdict))
    problems.push(`unknown verdict ${report.verdict}`);
  for (const finding of report.findings) {
    const problem = messageProblem(finding.message, fuzzCase.input, `finding ${finding.code}`);
    if (problem) problems.push(problem);
  }
  if (report.verdict === 'valid') {
    const nameId = report.subject.nameId;
    if (!nameId?.verified || !SIGNED_NAME_IDS.has(nameId.value))
      problems.push(
        `"valid" with NameID ${JSON.stringify(nameId?.value)} (verified ${nameId?.verified}), which our IdP key never signed`,
      );
    const planted = report.attributes.filter((a) => a.verified && a.values.some((v) => PLANTED.has(v)));
    if (planted.length)
      problems.push(`"valid" with planted values shown as verified in ${planted.map((a) => a.name).join(', ')}`);
  }
  return problems;
}

export interface CaseResult {
  problems: string[];
  /** CPU milliseconds. */
  ms: number;
  wallMs: number;
  outcome: string;
}

/**
 * Runs one case. Time is measured as CPU time of this process (user + system), which other processes
 * on a busy machine do not inflate; wall time is reported alongside.
 */
export function runCase(fuzzCase: FuzzCase): CaseResult {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const problems: string[] = [];
  let outcome = '';
  try {
    if (fuzzCase.target === 'metadata') {
      const result = parseMetadata(fuzzCase.input);
      outcome = result.ok ? 'metadata parsed' : 'metadata refused';
      if (!result.ok) {
        const problem = messageProblem(result.error.message, fuzzCase.input, 'parseMetadata');
        if (problem) problems.push(problem);
      }
    } else if (fuzzCase.target === 'certificate') {
      const facts = certificateFacts(fuzzCase.input);
      outcome = facts.ok ? 'certificate read' : 'certificate refused';
      if (!facts.ok) {
        const problem = messageProblem(facts.error.message, fuzzCase.input, 'certificateFacts');
        if (problem) problems.push(problem);
      }
      for (const finding of certificateFindings(fuzzCase.input, { now: NOW })) {
        const problem = messageProblem(finding.message, fuzzCase.input, 'certificateFindings');
        if (problem) problems.push(problem);
      }
    } else {
      const decoded = decodeSamlInput(fuzzCase.input);
      if (!decoded.ok) {
        outcome = `decode: ${decoded.code}`;
        const problem = messageProblem(decoded.message, fuzzCase.input, `decode ${decoded.code}`);
        if (problem) problems.push(problem);
      } else {
        const report = validateDecoded(decoded, attackContext());
        outcome = `verdict: ${report.verdict}`;
        problems.push(...reportProblems(report, fuzzCase));
      }
    }
  } catch (error) {
    problems.push(`threw: ${(error as Error)?.stack ?? String(error)}`);
  }
  const cpu = process.cpuUsage(cpuStarted);
  return { problems, ms: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - started, outcome };
}

export interface FuzzSummary {
  seed: number;
  cases: number;
  failures: { fuzzCase: FuzzCase; problems: string[]; file: string }[];
  slowest: { ms: number; wallMs: number; description: string; number: number }[];
  outcomes: Map<string, number>;
  benignValidStayedValid: number;
  evilBecameValid: string[];
  totalMs: number;
}

/** Cases slower than this fail: the editor must stay responsive whatever is pasted. */
export const MAX_CASE_MS = 1000;

export function runFuzz(
  seeds: Seeds,
  seed: number,
  cases: number,
  log: (line: string) => void = () => {},
): FuzzSummary {
  const random = seededRandom(seed);
  const summary: FuzzSummary = {
    seed,
    cases,
    failures: [],
    slowest: [],
    outcomes: new Map(),
    benignValidStayedValid: 0,
    evilBecameValid: [],
    totalMs: 0,
  };
  const started = performance.now();
  let failureDir: string | undefined;
  for (let number = 0; number < cases; number++) {
    const fuzzCase = makeCase(number, random, seeds);
    const result = runCase(fuzzCase);
    const outcomeKey = `${fuzzCase.target} → ${result.outcome.replace(/^verdict: |^decode: /, '')}`;
    summary.outcomes.set(outcomeKey, (summary.outcomes.get(outcomeKey) ?? 0) + 1);
    if (result.ms > MAX_CASE_MS)
      result.problems.push(`took ${result.ms.toFixed(0)} ms of CPU (limit ${MAX_CASE_MS} ms)`);
    // Whitespace outside the root changes no signed byte: a valid message must stay valid.
    if (fuzzCase.benign && fuzzCase.seedValid) {
      if (result.outcome === 'verdict: valid') summary.benignValidStayedValid++;
      else result.problems.push(`whitespace around the root turned a valid message into ${result.outcome}`);
    }
    if (fuzzCase.seedEvil && result.outcome === 'verdict: valid')
      summary.evilBecameValid.push(`case ${number}: ${fuzzCase.description}`);
    summary.slowest.push({ ms: result.ms, wallMs: result.wallMs, description: fuzzCase.description, number });
    summary.slowest.sort((a, b) => b.ms - a.ms);
    summary.slowest.length = Math.min(summary.slowest.length, 5);
    if (result.problems.length) {
      failureDir ??= mkdtempSync(path.join(tmpdir(), 'saml-lens-fuzz-'));
      const file = path.join(failureDir, `seed-${seed}-case-${number}.txt`);
      writeFileSync(file, fuzzCase.input);
      summary.failures.push({ fuzzCase, problems: result.problems, file });
      log(
        `FAIL seed ${seed} case ${number} (${fuzzCase.description}): ${result.problems.join('; ')}\n  input (${fuzzCase.input.length} chars, full text in ${file}): ${JSON.stringify(fuzzCase.input.slice(0, 300))}`,
      );
    }
    if ((number + 1) % 10_000 === 0) log(`${number + 1} cases, ${summary.failures.length} failures`);
  }
  summary.totalMs = performance.now() - started;
  return summary;
}

export function formatSummary(summary: FuzzSummary): string {
  const lines = [
    `fuzz seed ${summary.seed} (replay with FUZZ_SEED=${summary.seed} or --seed ${summary.seed}): ${summary.cases} cases in ${(summary.totalMs / 1000).toFixed(1)} s, ${summary.failures.length} failing`,
    `slowest (CPU time): ${summary.slowest.map((s) => `${s.ms.toFixed(0)} ms, ${s.wallMs.toFixed(0)} ms wall (case ${s.number}: ${s.description})`).join('; ')}`,
    `whitespace-only changes to valid responses that stayed valid: ${summary.benignValidStayedValid}`,
    `attack shapes that came out valid after a mutation (allowed only when the planted content stopped being part of the message): ${summary.evilBecameValid.length}${summary.evilBecameValid.length ? ` — e.g. ${summary.evilBecameValid.slice(0, 3).join('; ')}` : ''}`,
    'outcomes:',
    ...[...summary.outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([outcome, count]) => `  ${String(count).padStart(6)}  ${outcome}`),
  ];
  return lines.join('\n');
}
