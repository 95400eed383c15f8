import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { skipWithout, type Requirement } from '../requirements';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'grammar');
const injectionPath = path.join(repoRoot, 'syntaxes', 'saml.injection.tmLanguage.json');
const INJECTION_SCOPE = 'saml.injection';

interface ScopedToken {
  /** The token's text. */
  c: string;
  /** Its scopes, outermost first, separated by spaces. */
  t: string;
}

let onigLoaded: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  onigLoaded ??= oniguruma.loadWASM(
    readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer,
  );
  return onigLoaded;
}

/** A registry with `baseGrammarPath` as text.xml and the SAML grammar injected into it, as VS Code does. */
async function xmlGrammar(baseGrammarPath: string): Promise<textmate.IGrammar> {
  await loadOniguruma();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const file =
        scopeName === 'text.xml' ? baseGrammarPath : scopeName === INJECTION_SCOPE ? injectionPath : undefined;
      return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => (scopeName === 'text.xml' ? [INJECTION_SCOPE] : undefined),
  });
  const grammar = await registry.loadGrammar('text.xml');
  assert.ok(grammar, `could not load ${baseGrammarPath}`);
  return grammar;
}

function tokenize(grammar: textmate.IGrammar, text: string): ScopedToken[][] {
  let state = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({
      c: line.slice(token.startIndex, token.endIndex),
      t: token.scopes.join(' '),
    }));
  });
}

/** Scopes of the token containing `needle` on the first line that has it. */
function scopesOf(lines: ScopedToken[][], needle: string): string[] {
  for (const line of lines) {
    const text = line.map((token) => token.c).join('');
    const at = text.indexOf(needle);
    if (at < 0) continue;
    let offset = 0;
    for (const token of line) {
      if (at >= offset && at < offset + token.c.length) {
        assert.ok(
          token.c.includes(needle) || needle.includes(token.c),
          `"${needle}" is split across tokens: first token "${token.c}"`,
        );
        return token.t.split(' ');
      }
      offset += token.c.length;
    }
  }
  throw new Error(`"${needle}" not found`);
}

const minimalXml = path.join(fixtures, 'minimal-xml.tmLanguage.json');
const fixtureFiles = readdirSync(fixtures).filter((name) => name.endsWith('.xml'));

describe('SAML injection grammar: colorize snapshots', () => {
  let grammar: textmate.IGrammar;
  before(async () => {
    grammar = await xmlGrammar(minimalXml);
  });

  test('there are fixtures', () => assert.ok(fixtureFiles.length >= 2));

  for (const name of fixtureFiles) {
    test(name, () => {
      const actual = tokenize(grammar, readFileSync(path.join(fixtures, name), 'utf8'));
      const expectedFile = path.join(fixtures, name.replace(/\.xml$/, '.expected.json'));
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        writeFileSync(expectedFile, `${JSON.stringify(actual, null, 1)}\n`);
        return;
      }
      assert.ok(
        existsSync(expectedFile),
        `${path.basename(expectedFile)} is missing; run with UPDATE_SNAPSHOTS=1 and check it by hand`,
      );
      assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});

// What each construct must be scoped as, written by hand (independent of the snapshots).
const EXPECTATIONS: [fixture: string, needle: string, mustHave: string[], mustNotHave: string[]][] = [
  [
    'metadata.sp-upwork.xml',
    'urn:oasis:names:tc:SAML:2.0:metadata',
    ['string.quoted.double.xml', 'constant.other.urn.saml'],
    [],
  ],
  ['metadata.sp-upwork.xml', 'urn:oasis:names:tc:SAML:1.1:protocol', ['constant.other.urn.saml'], []],
  [
    'metadata.sp-upwork.xml',
    'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    ['constant.other.urn.saml'],
    ['string.quoted.double.xml'],
  ],
  // Single-quoted value: the URN stops before the closing quote.
  [
    'metadata.sp-upwork.xml',
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'",
    ['string.quoted.single.xml', 'constant.other.urn.saml'],
    [],
  ],
  ['metadata.sp-upwork.xml', 'urn:oid:2.5.4.42', ['constant.other.urn.generic.saml'], ['constant.other.urn.saml']],
  [
    'metadata.sp-upwork.xml',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    ['string.other.claim-uri.saml'],
    [],
  ],
  ['metadata.sp-upwork.xml', 'http://www.w3.org/2009/xmlenc11#aes256-gcm', ['constant.other.algorithm-uri.saml'], []],
  ['metadata.sp-upwork.xml', '2027-01-01T00:00:00Z', ['constant.numeric.timestamp.saml'], []],
  ['metadata.sp-upwork.xml', 'PT6H', ['constant.numeric.duration.saml'], []],
  ['metadata.sp-upwork.xml', 'AnOrganizationNameThatIsLongerThanFortyCharacters', [], ['string.unquoted.base64.saml']],
  ['metadata.sp-upwork.xml', 'AttributeConsumingService', ['entity.name.tag.xml'], ['string.unquoted.base64.saml']],
  [
    'metadata.sp-upwork.xml',
    'https://www.upwork.com/ab/account-security/login',
    ['string.quoted.double.xml'],
    ['constant.other.urn.saml', 'string.other.claim-uri.saml'],
  ],
  ['response.entra-upwork.xml', '2026-11-29T01:02:03.456Z', ['constant.numeric.timestamp.saml'], []],
  ['response.entra-upwork.xml', '2026-11-29T01:07:03+00:00', ['constant.numeric.timestamp.saml'], []],
  [
    'response.entra-upwork.xml',
    'http://schemas.microsoft.com/identity/claims/objectidentifier',
    ['string.other.claim-uri.saml'],
    [],
  ],
  ['response.entra-upwork.xml', '3f2504e0-4f89-41d3-9a0c-0305e82c3301', [], ['string.unquoted.base64.saml']],
  [
    'response.entra-upwork.xml',
    'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
    ['constant.other.urn.saml'],
    [],
  ],
  [
    'response.entra-upwork.xml',
    'IssueInstant 2026-11-29T01:02:03Z mentioned',
    ['comment.block.xml'],
    ['constant.numeric.timestamp.saml'],
  ],
];

describe('SAML injection grammar: scopes of each construct', () => {
  let grammar: textmate.IGrammar;
  before(async () => {
    grammar = await xmlGrammar(minimalXml);
  });

  for (const [fixture, needle, mustHave, mustNotHave] of EXPECTATIONS) {
    test(`${fixture}: ${needle}`, () => {
      const scopes = scopesOf(tokenize(grammar, readFileSync(path.join(fixtures, fixture), 'utf8')), needle);
      for (const scope of mustHave)
        assert.ok(scopes.includes(scope), `${needle}: missing ${scope} in ${scopes.join(' ')}`);
      for (const scope of mustNotHave)
        assert.ok(!scopes.includes(scope), `${needle}: unexpected ${scope} in ${scopes.join(' ')}`);
    });
  }

  test('the URN in the leading comment stays a plain comment', () => {
    const [, commentLine] = tokenize(grammar, readFileSync(path.join(fixtures, 'metadata.sp-upwork.xml'), 'utf8'));
    assert.ok(
      commentLine.every((token) => token.t === 'text.xml comment.block.xml'),
      JSON.stringify(commentLine),
    );
  });

  test('certificates, digests and signature values are base64 blobs (one line or wrapped)', () => {
    const lines = tokenize(grammar, readFileSync(path.join(fixtures, 'response.entra-upwork.xml'), 'utf8'));
    for (const element of ['DigestValue', 'SignatureValue']) {
      const line = lines.find((tokens) => tokens.some((token) => token.c === element))!;
      const value = line.find((token) => token.t.includes('string.unquoted.base64.saml'));
      assert.ok(value && value.c.length >= 40, `${element}: ${JSON.stringify(line)}`);
    }
    const metadata = tokenize(grammar, readFileSync(path.join(fixtures, 'metadata.sp-upwork.xml'), 'utf8'));
    const blobs = metadata.flat().filter((token) => token.t.endsWith('string.unquoted.base64.saml'));
    // The one-line certificate plus the wrapped one's full 64-character lines.
    assert.ok(blobs.length >= 3, JSON.stringify(blobs));
    assert.ok(blobs.every((token) => /^[A-Za-z0-9+/]{40,}={0,2}$/.test(token.c)));
  });
});

/** VS Code's own XML grammar, present once the offline VS Code server is set up (npm test does it first). */
const vscodeXmlGrammar: Requirement = {
  description: "VS Code's XML grammar in ~/.cache/saml-lens/vscode-server (node --import tsx scripts/vscode/setup.ts)",
  available: () => builtInXmlGrammar() !== undefined,
};

function builtInXmlGrammar(): string | undefined {
  const cache = path.join(os.homedir(), '.cache', 'saml-lens', 'vscode-server');
  if (!existsSync(cache)) return undefined;
  for (const build of readdirSync(cache)) {
    const candidate = path.join(
      cache,
      build,
      'node_modules',
      'code-server',
      'lib',
      'vscode',
      'extensions',
      'xml',
      'syntaxes',
      'xml.tmLanguage.json',
    );
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

describe("SAML injection grammar over VS Code's built-in XML grammar", () => {
  for (const [fixture, needle, mustHave, mustNotHave] of EXPECTATIONS) {
    test(`${fixture}: ${needle}`, async (t) => {
      if (skipWithout(t, vscodeXmlGrammar)) return;
      const grammar = await xmlGrammar(builtInXmlGrammar()!);
      const scopes = scopesOf(tokenize(grammar, readFileSync(path.join(fixtures, fixture), 'utf8')), needle);
      // The built-in grammar names tags differently; only the SAML scopes and comments are compared.
      const ours = (list: string[]) => list.filter((scope) => scope.endsWith('.saml') || scope.startsWith('comment.'));
      for (const scope of ours(mustHave))
        assert.ok(scopes.includes(scope), `${needle}: missing ${scope} in ${scopes.join(' ')}`);
      for (const scope of ours(mustNotHave))
        assert.ok(!scopes.includes(scope), `${needle}: unexpected ${scope} in ${scopes.join(' ')}`);
    });
  }
});
