import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { NS, lookupTerm } from '../../src/core/vocabulary';

const repoRoot = path.resolve(__dirname, '..', '..');

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

function loadSnippets(file: string): [string, Snippet][] {
  return Object.entries(
    JSON.parse(readFileSync(path.join(repoRoot, 'snippets', file), 'utf8')) as Record<string, Snippet>,
  );
}

// ---- A small expander for VS Code's snippet syntax, written for this test. ----

type Node =
  | string
  | { tabStop: number; children: Node[] }
  | { tabStop: number; choices: string[] }
  | { variable: string; children: Node[] | undefined };

/** Fixed values for the variables VS Code resolves (TM_*, dates…), so expansions are reproducible. */
const VARIABLES: Record<string, string> = {
  TM_FILENAME: 'metadata.xml',
  TM_FILENAME_BASE: 'metadata',
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  TM_DIRECTORY: '/work',
  TM_FILEPATH: '/work/metadata.xml',
  CURRENT_YEAR: '2026',
  CURRENT_MONTH: '11',
  CURRENT_DATE: '29',
  CURRENT_HOUR: '00',
  CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00',
  UUID: '00000000-0000-4000-8000-000000000000',
};

class SnippetParser {
  private at = 0;
  constructor(private readonly source: string) {}

  parse(): Node[] {
    const nodes = this.sequence(() => false);
    assert.equal(
      this.at,
      this.source.length,
      `unparsed snippet text at ${this.at}: ${this.source.slice(this.at, this.at + 20)}`,
    );
    return nodes;
  }

  /** Text and constructs until `stop()` says the enclosing construct ends. */
  private sequence(stop: () => boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    while (this.at < this.source.length && !stop()) {
      const c = this.source[this.at];
      if (c === '\\' && '$}\\'.includes(this.source[this.at + 1] ?? '')) {
        text += this.source[this.at + 1];
        this.at += 2;
      } else if (c === '$') {
        const node = this.dollar();
        if (typeof node === 'string') text += node;
        else {
          if (text) nodes.push(text);
          text = '';
          nodes.push(node);
        }
      } else {
        text += c;
        this.at++;
      }
    }
    if (text) nodes.push(text);
    return nodes;
  }

  private dollar(): Node {
    const rest = this.source.slice(this.at);
    const simple = /^\$(\d+|[A-Z_][A-Z0-9_]*)/.exec(rest);
    if (simple) {
      this.at += simple[0].length;
      return /^\d/.test(simple[1])
        ? { tabStop: Number(simple[1]), children: [] }
        : { variable: simple[1], children: undefined };
    }
    const braced = /^\$\{(\d+|[A-Z_][A-Z0-9_]*)/.exec(rest);
    if (!braced) {
      this.at++;
      return '$';
    }
    this.at += braced[0].length;
    const name = braced[1];
    const isTabStop = /^\d/.test(name);
    const next = this.source[this.at];
    if (next === '}') {
      this.at++;
      return isTabStop ? { tabStop: Number(name), children: [] } : { variable: name, children: undefined };
    }
    if (next === '|' && isTabStop) {
      this.at++;
      const choices: string[] = [];
      let current = '';
      for (;;) {
        const c = this.source[this.at];
        assert.ok(c !== undefined, 'unterminated choice');
        if (c === '\\' && ',|\\$}'.includes(this.source[this.at + 1])) {
          current += this.source[this.at + 1];
          this.at += 2;
        } else if (c === ',') {
          choices.push(current);
          current = '';
          this.at++;
        } else if (c === '|' && this.source[this.at + 1] === '}') {
          choices.push(current);
          this.at += 2;
          return { tabStop: Number(name), choices };
        } else {
          current += c;
          this.at++;
        }
      }
    }
    assert.equal(next, ':', `unsupported snippet construct at ${this.at}: ${rest.slice(0, 20)}`);
    this.at++;
    const children = this.sequence(() => this.source[this.at] === '}');
    assert.equal(this.source[this.at], '}', 'unterminated placeholder');
    this.at++;
    return isTabStop ? { tabStop: Number(name), children } : { variable: name, children };
  }
}

/** The text VS Code inserts when every placeholder keeps its default and every choice its first option. */
export function expandSnippet(body: string): string {
  const nodes = new SnippetParser(body).parse();
  // A tab stop without a default mirrors the default given at another occurrence.
  const defaults = new Map<number, Node[] | string>();
  const collect = (list: Node[]) => {
    for (const node of list) {
      if (typeof node === 'string') continue;
      if ('choices' in node) defaults.set(node.tabStop, node.choices[0] ?? '');
      else if ('tabStop' in node) {
        if (node.children.length && !defaults.has(node.tabStop)) defaults.set(node.tabStop, node.children);
        collect(node.children);
      } else if (node.children) collect(node.children);
    }
  };
  collect(nodes);
  const render = (list: Node[]): string =>
    list
      .map((node) => {
        if (typeof node === 'string') return node;
        if ('choices' in node) return node.choices[0] ?? '';
        if ('tabStop' in node) {
          const value = node.children.length ? node.children : (defaults.get(node.tabStop) ?? []);
          return typeof value === 'string' ? value : render(value);
        }
        if (node.variable in VARIABLES) return VARIABLES[node.variable];
        // VS Code inserts an unknown variable's default, or else its name as a placeholder.
        return node.children ? render(node.children) : node.variable;
      })
      .join('');
  return render(nodes);
}

function bodyText(snippet: Snippet): string {
  return Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
}

/** Every choice option in a snippet body. */
function choiceOptions(body: string): string[] {
  return [...body.matchAll(/\$\{\d+\|((?:[^|\\]|\\.)*)\|\}/g)].flatMap((match) => match[1].split(','));
}

describe('snippet expander (test helper)', () => {
  const cases: [body: string, expected: string][] = [
    ['plain', 'plain'],
    ['a $1 b $0', 'a  b '],
    ['${1:default} and $1', 'default and default'],
    ['$1 mirrors ${1:later}', 'later mirrors later'],
    ['${1|first,second|}', 'first'],
    ['${1|a\\,b,c|}', 'a,b'],
    ['${1:outer ${2:inner}} $2', 'outer inner inner'],
    ['\\$1 \\} \\\\', '$1 } \\'],
    ['$TM_FILENAME ${TM_FILENAME_BASE}', 'metadata.xml metadata'],
    ['${UNKNOWN_VAR:fallback} $NOPE', 'fallback NOPE'],
    ['cost: $ 5', 'cost: $ 5'],
  ];
  for (const [body, expected] of cases) {
    test(JSON.stringify(body), () => assert.equal(expandSnippet(body), expected));
  }
  test('rejects a malformed placeholder', () => {
    assert.throws(() => expandSnippet('${1:never closed'), /unterminated placeholder/);
  });
});

// ---- XML snippets ----

const workDir = mkdtempSync(path.join(tmpdir(), 'saml-lens-snippets-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs xmllint on the text; returns its complaints ('' when the XML is namespace-well-formed). */
function xmllintComplaints(xml: string, name: string): string {
  const file = path.join(workDir, `${name.replace(/[^\w.-]+/g, '_')}.xml`);
  writeFileSync(file, xml);
  const result = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  if (result.error) throw new Error(`xmllint could not run: ${result.error.message}`);
  // xmllint exits 0 on namespace errors, so its stderr is checked too.
  return `${result.status === 0 ? '' : `exit ${result.status}\n`}${result.stderr}`.trim();
}

/** Fragments are checked inside a root that declares the usual prefixes. */
function wrapFragment(xml: string): string {
  const declarations = ['md', 'saml', 'samlp', 'ds', 'mdui', 'mdattr', 'mdrpi']
    .map((prefix) => `xmlns:${prefix}="${NS[prefix as keyof typeof NS]}"`)
    .join(' ');
  return `<fragment ${declarations}>\n${xml}\n</fragment>\n`;
}

const xmlSnippets = loadSnippets('saml-xml.code-snippets');
const jsonSnippets = loadSnippets('saml-json.code-snippets');

describe('XML snippets', () => {
  test('the file has the expected snippets', () => {
    assert.ok(xmlSnippets.length >= 15, `only ${xmlSnippets.length} snippets`);
  });

  test('xmllint itself reports an undeclared prefix (the check below can fail)', () => {
    assert.match(xmllintComplaints('<a><md:b/></a>', 'self-check'), /Namespace prefix md on b is not defined/);
  });

  for (const [name, snippet] of xmlSnippets) {
    test(`${name}: expands to namespace-well-formed XML`, () => {
      const expanded = expandSnippet(bodyText(snippet));
      // A snippet that declares namespaces on its first element must stand alone.
      const standalone = /^<[^>]*\sxmlns:/.test(expanded);
      assert.equal(xmllintComplaints(standalone ? expanded : wrapFragment(expanded), name), '', expanded);
    });

    test(`${name}: every URI offered as a choice is known SAML vocabulary`, () => {
      const uris = choiceOptions(bodyText(snippet)).filter((option) => /^(urn:|https?:)/.test(option));
      for (const uri of uris) assert.ok(lookupTerm(uri), `${uri} is not in the vocabulary`);
    });
  }

  test('eduPerson / X.500 attribute snippets pair each urn:oid Name with its standard FriendlyName', () => {
    // Hand-checked against the eduPerson (201602) and RFC 4519 / inetOrgPerson OID assignments.
    const expectedFriendlyNames: Record<string, string> = {
      'urn:oid:2.5.4.42': 'givenName',
      'urn:oid:2.5.4.4': 'sn',
      'urn:oid:2.5.4.3': 'cn',
      'urn:oid:0.9.2342.19200300.100.1.3': 'mail',
      'urn:oid:0.9.2342.19200300.100.1.1': 'uid',
      'urn:oid:2.16.840.1.113730.3.1.241': 'displayName',
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'eduPersonPrincipalName',
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': 'eduPersonScopedAffiliation',
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': 'eduPersonAffiliation',
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': 'eduPersonEntitlement',
      'urn:oid:1.3.6.1.4.1.25178.1.2.9': 'schacHomeOrganization',
    };
    const seen = new Set<string>();
    for (const [, snippet] of xmlSnippets) {
      for (const match of expandSnippet(bodyText(snippet)).matchAll(
        /Name="(urn:oid:[\d.]+)" NameFormat="([^"]+)" FriendlyName="([^"]+)"/g,
      )) {
        assert.equal(match[3], expectedFriendlyNames[match[1]], match[1]);
        assert.equal(match[2], 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri');
        seen.add(match[1]);
      }
    }
    assert.deepEqual([...seen].sort(), Object.keys(expectedFriendlyNames).sort());
  });

  test("the Upwork Enterprise snippets carry the four expected attributes with B.Simon's values", () => {
    const statement = xmlSnippets.find(([name]) => name.startsWith('SAML AttributeStatement: Upwork'));
    assert.ok(statement);
    const attributes = [
      ...expandSnippet(bodyText(statement[1])).matchAll(
        /<saml:Attribute Name="(\w+)"[^>]*>\s*<saml:AttributeValue>([^<]*)</g,
      ),
    ].map((m) => [m[1], m[2]]);
    assert.deepEqual(attributes, [
      ['FirstName', 'Britta'],
      ['LastName', 'Simon'],
      ['Country', 'US'],
      ['Email', 'B.Simon@contoso.com'],
    ]);
    const requested = xmlSnippets.find(([name]) => name.startsWith('SP AttributeConsumingService: Upwork'));
    assert.ok(requested);
    const names = [...expandSnippet(bodyText(requested[1])).matchAll(/<md:RequestedAttribute Name="(\w+)"/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(names, ['FirstName', 'LastName', 'Country', 'Email']);
  });
});

describe('JSON snippets', () => {
  for (const [name, snippet] of jsonSnippets) {
    test(`${name}: expands to valid JSON`, () => {
      const expanded = expandSnippet(bodyText(snippet));
      assert.doesNotThrow(() => JSON.parse(expanded), expanded);
    });
  }

  test('the Upwork claims-mapping policy maps user.givenname, surname, country and userprincipalname', () => {
    const policy = jsonSnippets.find(([name]) => name.includes('ClaimsMappingPolicy: Upwork'));
    assert.ok(policy);
    const parsed = JSON.parse(expandSnippet(bodyText(policy[1]))) as {
      ClaimsMappingPolicy: {
        Version: number;
        IncludeBasicClaimSet: string;
        ClaimsSchema: { Source: string; ID: string; SamlClaimType: string }[];
      };
    };
    assert.equal(parsed.ClaimsMappingPolicy.Version, 1);
    assert.equal(parsed.ClaimsMappingPolicy.IncludeBasicClaimSet, 'true');
    assert.deepEqual(parsed.ClaimsMappingPolicy.ClaimsSchema, [
      { Source: 'user', ID: 'givenname', SamlClaimType: 'FirstName' },
      { Source: 'user', ID: 'surname', SamlClaimType: 'LastName' },
      { Source: 'user', ID: 'country', SamlClaimType: 'Country' },
      { Source: 'user', ID: 'userprincipalname', SamlClaimType: 'Email' },
    ]);
  });
});
