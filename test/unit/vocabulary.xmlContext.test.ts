import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SaxesParser } from 'saxes';
import {
  namespaceOf,
  openAncestors,
  prefixFor,
  resolvePrefix,
  tokenAt,
  xmlContextAt,
  type XmlContext,
} from '../../src/core/xml/context';
import { corpus, skipWithout } from '../requirements';

const corpusDir = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'metadata');

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** Splits a `|` cursor marker out of the text. */
function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'no cursor marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** A compact, hand-checkable summary of a context. */
function describeContext(context: XmlContext): string {
  switch (context.kind) {
    case 'attribute-value':
      return `value ${context.tag.qname}@${context.attribute} typed=${JSON.stringify(context.valueBeforeCursor)} token@${context.tokenStart - context.valueStart} parents=${context.ancestors.map((a) => a.qname).join('>')}`;
    case 'attribute-name':
      return `attribute-name ${context.tag.qname}`;
    case 'element-name':
      return `element-name in ${context.parent?.qname ?? '(root)'}`;
    case 'text':
      return `text in ${context.parent?.qname ?? '(root)'}`;
    case 'none':
      return `none ${context.reason}`;
  }
}

const ENTITY_HEAD =
  '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.com">';

describe('xmlContextAt', () => {
  const cases: [name: string, marked: string, expected: string][] = [
    [
      'empty binding value',
      `${ENTITY_HEAD}<md:SPSSODescriptor><md:AssertionConsumerService Binding="|"`,
      'value md:AssertionConsumerService@Binding typed="" token@0 parents=md:SPSSODescriptor>md:EntityDescriptor',
    ],
    [
      'partly typed value, closed quote after cursor',
      `<md:SingleSignOnService Binding="urn:oasis|" Location="x"/>`,
      'value md:SingleSignOnService@Binding typed="urn:oasis" token@0 parents=',
    ],
    ['single quotes', `<NameID Format='urn:|'>`, `value NameID@Format typed="urn:" token@0 parents=`],
    [
      'second token of a space-separated list',
      `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol urn:|">`,
      'value md:IDPSSODescriptor@protocolSupportEnumeration typed="urn:oasis:names:tc:SAML:2.0:protocol urn:" token@37 parents=',
    ],
    [
      'value after another attribute containing > and /',
      `<a x="1>2/3" Binding="|"`,
      'value a@Binding typed="" token@0 parents=',
    ],
    [
      'value spanning lines (CRLF)',
      `<md:KeyDescriptor\r\n    use="|"`,
      'value md:KeyDescriptor@use typed="" token@0 parents=',
    ],
    ['attribute name position', `<md:KeyDescriptor |`, 'attribute-name md:KeyDescriptor'],
    ['after a closed value', `<md:KeyDescriptor use="signing" |`, 'attribute-name md:KeyDescriptor'],
    ['element name right after <', `${ENTITY_HEAD}<md:SPSSODescriptor>\n  <|`, 'element-name in md:SPSSODescriptor'],
    [
      'partly typed element name',
      `${ENTITY_HEAD}<md:SPSSODescriptor>\n  <md:Ass|`,
      'element-name in md:SPSSODescriptor',
    ],
    [
      'siblings closed before the cursor are not parents',
      `${ENTITY_HEAD}<md:SPSSODescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo/></md:KeyDescriptor><md:NameIDFormat>x</md:NameIDFormat><|`,
      'element-name in md:SPSSODescriptor',
    ],
    [
      'self-closing siblings are not parents',
      `${ENTITY_HEAD}<md:SingleLogoutService Binding="b" Location="l"/><|`,
      'element-name in md:EntityDescriptor',
    ],
    ['text content', `${ENTITY_HEAD}<md:SPSSODescriptor><md:NameIDFormat>urn:|`, 'text in md:NameIDFormat'],
    [
      'tags inside a comment are ignored',
      `${ENTITY_HEAD}<!-- <md:SPSSODescriptor> --><|`,
      'element-name in md:EntityDescriptor',
    ],
    ['tags inside CDATA are ignored', `<a><![CDATA[ <b> ]]><|`, 'element-name in a'],
    ['prolog and PI before the root', `<?xml version="1.0"?>\n<!-- c -->\n<|`, 'element-name in (root)'],
    ['inside an unclosed comment', `<a><!-- Binding="|`, 'none comment'],
    ['inside a CDATA section', `<a><![CDATA[ x|`, 'none cdata'],
    [
      'in a tag inside a comment that closes after the cursor',
      `<a><!-- <md:AssertionConsumerService Binding="|" --></a>`,
      'none comment',
    ],
    [
      'after a closed comment that contains a tag',
      `<a><!-- <b Binding=" --><c Binding="|"`,
      'value c@Binding typed="" token@0 parents=a',
    ],
    ['in a tag inside a CDATA section that closes after the cursor', `<a><![CDATA[ <b x="| ]]></a>`, 'none cdata'],
    ['inside a closing tag', `<a></a|`, 'none closing-tag'],
    ['inside the XML declaration', `<?xml version="|`, 'none processing-instruction'],
    ['document start', `|`, 'text in (root)'],
    [
      'nested elements of the same name are skipped as a whole',
      `<md:EntitiesDescriptor><md:EntitiesDescriptor><md:EntityDescriptor/></md:EntitiesDescriptor><md:EntitiesDescriptor/><md:EntityDescriptor entityID="|"`,
      'value md:EntityDescriptor@entityID typed="" token@0 parents=md:EntitiesDescriptor',
    ],
    [
      'a same-named empty element inside a closed one',
      `<r><b><b/></b><c x="|"`,
      'value c@x typed="" token@0 parents=r',
    ],
    [
      'a start tag mentioned in a comment inside a closed element',
      `<a><b><!-- <b> --></b><c x="|"`,
      'value c@x typed="" token@0 parents=a',
    ],
    ['a balanced copy inside a comment', `<a><b><!-- <b></b> --></b><c x="|"`, 'value c@x typed="" token@0 parents=a'],
    [
      'an end tag mentioned in a comment inside a closed element',
      `<a><b><!-- </b> --></b><c x="|"`,
      'value c@x typed="" token@0 parents=a',
    ],
    [
      'an unrelated comment inside a closed element',
      `<a><b><!-- note --><d/></b><c x="|"`,
      'value c@x typed="" token@0 parents=a',
    ],
    [
      'a tag name inside CDATA of a closed element',
      `<a><b><![CDATA[ <b> ]]></b><c x="|"`,
      'value c@x typed="" token@0 parents=a',
    ],
    ['stray > in text', `<a>1 > 0 and <|`, 'element-name in a'],
  ];
  for (const [name, marked, expected] of cases) {
    test(name, () => {
      const { text, offset } = at(marked);
      assert.equal(describeContext(xmlContextAt(text, offset)), expected);
    });
  }

  test('the attributes of the tag include those written after the cursor', () => {
    const { text, offset } = at(
      `<saml:Attribute Name="|" xmlns:saml="${SAML}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">`,
    );
    const context = xmlContextAt(text, offset);
    assert.equal(context.kind, 'attribute-value');
    if (context.kind !== 'attribute-value') return;
    assert.equal(namespaceOf(context.tag, context.ancestors), SAML);
    assert.equal(context.tag.attributes.get('NameFormat'), 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri');
  });
});

describe('namespace resolution', () => {
  test('prefixes resolve from the innermost declaration outwards, with shadowing', () => {
    const { text, offset } = at(
      `<EntityDescriptor xmlns="${MD}" xmlns:x="urn:outer"><SPSSODescriptor xmlns:x="urn:inner"><AssertionConsumerService Binding="|"`,
    );
    const context = xmlContextAt(text, offset);
    if (context.kind !== 'attribute-value') return assert.fail(context.kind);
    const scope = [context.tag, ...context.ancestors];
    assert.equal(namespaceOf(context.tag, context.ancestors), MD);
    assert.equal(resolvePrefix('x', scope), 'urn:inner');
    assert.equal(resolvePrefix('nope', scope), undefined);
    assert.equal(resolvePrefix('xml', scope), 'http://www.w3.org/XML/1998/namespace');
    assert.equal(prefixFor(MD, scope), '');
    assert.equal(prefixFor('urn:outer', scope), undefined, 'x is rebound to urn:inner');
  });

  test('xmlns="" undeclares the default namespace', () => {
    const { text, offset } = at(`<a xmlns="${MD}"><b xmlns=""><c |`);
    const context = xmlContextAt(text, offset);
    if (context.kind !== 'attribute-name') return assert.fail(context.kind);
    assert.equal(namespaceOf(context.tag, context.ancestors), undefined);
  });
});

describe('tokenAt', () => {
  test('a URI in an attribute value', () => {
    const { text, offset } = at(
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bind|ings:HTTP-POST" Location="x"/>`,
    );
    const token = tokenAt(text, offset);
    assert.deepEqual(token, {
      kind: 'value',
      value: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      start: 33,
      end: 79,
    });
  });

  test('one word of a space-separated value', () => {
    const { text, offset } = at(`<r protocolSupportEnumeration="urn:a urn:oasis:names:tc:SA|ML:2.0:protocol">`);
    assert.equal((tokenAt(text, offset) as { value: string }).value, 'urn:oasis:names:tc:SAML:2.0:protocol');
  });

  test('a URI in text content', () => {
    const { text, offset } = at(
      `<md:NameIDFormat>\n  urn:oasis:names:tc:SAML:2.0:nameid-format:trans|ient\n</md:NameIDFormat>`,
    );
    assert.equal(
      (tokenAt(text, offset) as { value: string }).value,
      'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    );
  });

  test('an element name in a start tag and in an end tag, with its namespace', () => {
    const doc = `<md:EntityDescriptor xmlns:md="${MD}"><md:SPSSODescriptor/></md:EntityDescriptor>`;
    const inStart = tokenAt(doc, doc.indexOf('SPSSO') + 2);
    assert.equal(inStart?.kind, 'element-name');
    if (inStart?.kind === 'element-name') {
      assert.equal(inStart.tag.localName, 'SPSSODescriptor');
      assert.equal(inStart.namespaceUri, MD);
      assert.equal(doc.slice(inStart.start, inStart.end), 'md:SPSSODescriptor');
    }
    const inEnd = tokenAt(doc, doc.lastIndexOf('Entity'));
    assert.equal(inEnd?.kind === 'element-name' && inEnd.tag.localName, 'EntityDescriptor');
    assert.equal(inEnd?.kind === 'element-name' && inEnd.namespaceUri, MD);
  });

  test('an attribute name, with the namespace of its element', () => {
    const { text, offset } = at(
      `<EntityDescriptor xmlns="${MD}"><SPSSODescriptor protocolSupport|Enumeration="x" WantAssertionsSigned = "true">`,
    );
    const token = tokenAt(text, offset);
    assert.equal(token?.kind, 'attribute-name');
    if (token?.kind !== 'attribute-name') return;
    assert.equal(token.name, 'protocolSupportEnumeration');
    assert.equal(token.tag.localName, 'SPSSODescriptor');
    assert.equal(token.namespaceUri, MD);
    assert.equal(text.slice(token.start, token.end), 'protocolSupportEnumeration');
    const spaced = tokenAt(text, text.indexOf('WantAssertions') + 4);
    assert.equal(spaced?.kind === 'attribute-name' && spaced.name, 'WantAssertionsSigned');
  });

  test('nothing inside comments, on whitespace, or on a word in a tag that is not an attribute name', () => {
    for (const marked of [
      `<a Bind|ing>`,
      `<a><!-- urn:oasis:names:tc:SAML:2.0:bindings:SO|AP -->`,
      `<a>  |  </a>`,
      `<a><!-- <md:Entity|Descriptor> --></a>`,
    ]) {
      const { text, offset } = at(marked);
      assert.equal(tokenAt(text, offset), undefined, marked);
    }
  });
});

test('scanning back over a large document stays fast (linear)', () => {
  const entity = `<md:EntityDescriptor entityID="https://e.example/x"><!-- c --><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://e.example/acs" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>\n`;
  const text = `<md:EntitiesDescriptor xmlns:md="${MD}">\n${entity.repeat(20000)}<md:EntityDescriptor entityID="e"><md:SPSSODescriptor><md:AssertionConsumerService Binding="`;
  const started = process.hrtime.bigint();
  const context = xmlContextAt(text, text.length);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(
    describeContext(context),
    'value md:AssertionConsumerService@Binding typed="" token@0 parents=md:SPSSODescriptor>md:EntityDescriptor>md:EntitiesDescriptor',
  );
  // 6 MB: a quadratic scan would take minutes; generous bound for slow CI machines.
  assert.ok(elapsedMs < 5000, `took ${elapsedMs} ms`);
});

test('open ancestors agree with a real XML parser at every 7th start tag of the corpus', (t) => {
  if (skipWithout(t, corpus('metadata'))) return;
  let checked = 0;
  for (const file of readdirSync(corpusDir).filter((name) => name.endsWith('.xml') && !name.startsWith('malformed-'))) {
    const text = readFileSync(path.join(corpusDir, file), 'utf8').replace(/^\uFEFF/, '');
    // saxes keeps the element stack; after each start tag we ask the scanner for the same stack.
    const parser = new SaxesParser({ xmlns: false });
    const stack: string[] = [];
    let count = 0;
    const mismatches: string[] = [];
    parser.on('opentag', (node) => {
      if (!node.isSelfClosing) stack.push(node.name);
      if (count++ % 7 !== 0) return;
      const offset = parser.position; // just after the tag's `>`
      const expected = [...stack].reverse();
      const actual = openAncestors(text, offset).map((tag) => tag.qname);
      if (JSON.stringify(actual) !== JSON.stringify(expected) && mismatches.length < 3)
        mismatches.push(`@${offset}: ${actual.join('<')} vs ${expected.join('<')}`);
      checked++;
    });
    parser.on('closetag', (node) => {
      if (!node.isSelfClosing) stack.pop();
    });
    parser.write(text).close();
    assert.deepEqual(mismatches, [], file);
  }
  assert.ok(checked > 1000, `only ${checked} positions checked`);
  t.diagnostic(`${checked} positions checked`);
});
