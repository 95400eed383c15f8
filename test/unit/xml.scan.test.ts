import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXmlDom, scanXml, XmlErrorCode, type XmlVisitor } from '../../src/core/xml';

const ignoreAll: XmlVisitor = { captureText: false, open() {}, close() {} };

function errorOf(text: string, limits = {}) {
  const result = scanXml(text, ignoreAll, limits);
  assert.equal(result.ok, false, 'expected the text to be refused');
  return (result as { ok: false; error: import('../../src/core/xml').XmlError }).error;
}

// Lines and columns are 1-based and were counted by hand in each text.
const malformed: { name: string; text: string; code: string; line: number; column: number; says: RegExp }[] = [
  {
    name: 'mismatched closing tag in metadata',
    text: [
      '<?xml version="1.0"?>', // 1
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"', // 2
      '    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"', // 3
      '    entityID="https://sp.example.org">', // 4
      '  <md:SPSSODescriptor', // 5
      '      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">', // 6
      '    <md:NameIDFormat>', // 7
      '      urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', // 8
      '    </md:NameIDFormat>', // 9
      '    <md:KeyDescriptor use="signing">', // 10
      '      <ds:KeyInfo/>', // 11
      '    </md:SPSSODescriptor>', // 12
      '</md:EntityDescriptor>',
    ].join('\n'),
    code: XmlErrorCode.MismatchedTag,
    line: 12,
    column: 5,
    says: /^Line 12, column 5: closing tag <\/md:SPSSODescriptor> does not match <md:KeyDescriptor> opened on line 10$/,
  },
  {
    name: 'mismatch with CRLF',
    text: '<a>\r\n  <b>\r\n</a>',
    code: XmlErrorCode.MismatchedTag,
    line: 3,
    column: 1,
    says: /<\/a> does not match <b> opened on line 2/,
  },
  {
    name: 'mismatch with lone CR',
    text: '<a>\r  <b>\r</a>',
    code: XmlErrorCode.MismatchedTag,
    line: 3,
    column: 1,
    says: /opened on line 2/,
  },
  {
    name: 'mismatch after an emoji (UTF-16 columns)',
    text: '<a>😀</b>',
    code: XmlErrorCode.MismatchedTag,
    line: 1,
    column: 6,
    says: /<\/b> does not match <a>/,
  },
  {
    name: 'mismatch after a BOM',
    text: '\uFEFF<a>\n</b>',
    code: XmlErrorCode.MismatchedTag,
    line: 2,
    column: 1,
    says: /<\/b>/,
  },
  {
    name: 'unclosed element at the end',
    text: '<a>\n<b>',
    code: XmlErrorCode.UnclosedTag,
    line: 2,
    column: 4,
    says: /ends before <b> opened on line 2 is closed/,
  },
  {
    name: 'two root elements',
    text: '<a/>\n<b/>',
    code: XmlErrorCode.MultipleRoots,
    line: 2,
    column: 1,
    says: /second root element.*first one ended on line 1/,
  },
  {
    name: 'text after the root',
    text: '<a/>\n  junk',
    code: XmlErrorCode.Malformed,
    line: 2,
    column: 3,
    says: /text outside the root element/,
  },
  {
    name: 'unbound prefix',
    text: '<a>\n  <p:b/>\n</a>',
    code: XmlErrorCode.Malformed,
    line: 2,
    column: 3,
    says: /unbound namespace prefix: "p"/,
  },
  {
    name: 'undefined entity',
    text: '<a>\n x &nbsp;</a>',
    code: XmlErrorCode.Malformed,
    line: 2,
    column: 4,
    says: /undefined entity &nbsp;/,
  },
  {
    name: 'unquoted attribute',
    text: '<a b=c/>',
    code: XmlErrorCode.Malformed,
    line: 1,
    column: 6,
    says: /unquoted attribute value/,
  },
  {
    name: 'duplicate attribute',
    text: '<r>\n<a x="1" x="2"/></r>',
    code: XmlErrorCode.Malformed,
    line: 2,
    column: 1,
    says: /duplicate attribute: x/,
  },
  {
    name: 'truncated start tag',
    text: '<a',
    code: XmlErrorCode.Malformed,
    line: 1,
    column: 3,
    says: /ends inside the start tag/,
  },
  { name: 'only whitespace', text: ' \n ', code: XmlErrorCode.Empty, line: 1, column: 1, says: /empty/ },
];

for (const { name, text, code, line, column, says } of malformed) {
  test(`malformed XML: ${name}`, () => {
    const error = errorOf(text);
    assert.equal(error.code, code);
    assert.equal(error.line, line, error.message);
    assert.equal(error.column, column, error.message);
    assert.match(error.message, says);
    assert.ok(error.message.startsWith(`Line ${line}, column ${column}: `));
  });
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`;

const doctypes: { name: string; text: string; line: number; column: number }[] = [
  { name: 'billion laughs', text: billionLaughs, line: 2, column: 1 },
  {
    name: 'external entity (XXE)',
    text: '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    line: 1,
    column: 1,
  },
  {
    name: 'after a BOM, declaration and comment',
    text: '\uFEFF<?xml version="1.0"?>\r\n<!-- c -->\r\n<!DOCTYPE r><r/>',
    line: 3,
    column: 1,
  },
  { name: 'lower case', text: '<!doctype r><r/>', line: 1, column: 1 },
  { name: 'in the wrong place', text: '<r><!DOCTYPE r></r>', line: 1, column: 4 },
];

for (const { name, text, line, column } of doctypes) {
  test(`DOCTYPE refused: ${name}`, () => {
    const started = performance.now();
    const error = errorOf(text);
    // Expanding it would take minutes and gigabytes; a generous bound keeps the test stable on a busy machine.
    assert.ok(performance.now() - started < 1000, 'refusal must be immediate');
    assert.equal(error.code, XmlErrorCode.Doctype, error.message);
    assert.equal(error.line, line, error.message);
    assert.equal(error.column, column, error.message);
    assert.match(error.message, /DOCTYPE declarations are refused/);
  });
}

test('DOCTYPE is refused before the size limit is even considered, and a huge text is refused fast', () => {
  const huge = `<!DOCTYPE r>${'<r>'.padEnd(1_000_000, ' ')}`;
  assert.equal(errorOf(huge, { maxLength: 10 }).code, XmlErrorCode.Doctype);
  const started = performance.now();
  const error = errorOf(`<r>${'x'.repeat(2_000_000)}</r>`, { maxLength: 1_000_000 });
  assert.equal(error.code, XmlErrorCode.TooLarge);
  assert.match(error.message, /more than the limit of 976\.6 Ki/);
  assert.ok(performance.now() - started < 1000);
});

test('"<!DOCTYPE" inside a comment is not a DOCTYPE', () => {
  assert.deepEqual(scanXml('<!-- <!DOCTYPE x> -->\n<r/>', ignoreAll), { ok: true });
});

test('nesting depth limit', () => {
  const nested = (depth: number) => '<e>'.repeat(depth) + '</e>'.repeat(depth);
  assert.deepEqual(scanXml(nested(256), ignoreAll), { ok: true });
  const error = errorOf(nested(257));
  assert.equal(error.code, XmlErrorCode.TooDeep);
  assert.equal(error.column, 256 * 3 + 1, 'points at the 257th start tag');
  assert.match(error.message, /nested more than 256 deep/);
  assert.equal(errorOf(nested(11), { maxDepth: 10 }).code, XmlErrorCode.TooDeep);
  assert.deepEqual(scanXml(nested(1000), ignoreAll, { maxDepth: 1000 }), { ok: true });
});

test('visitor gets element ranges as UTF-16 offsets, and text only while it asks', () => {
  const text = '\uFEFF<r xmlns="urn:x">😀<a k="v">t&amp;u<![CDATA[<c>]]></a><b/>\r\n<c>skip</c></r>';
  const seen: string[] = [];
  const texts: string[] = [];
  const visitor: XmlVisitor = {
    captureText: false,
    open(tag, start, startTagEnd) {
      seen.push(`open ${tag.local} ${tag.uri} ${text.slice(start, startTagEnd)}`);
      this.captureText = tag.local === 'a';
    },
    close(tag, closeTagStart, end) {
      seen.push(`close ${tag.local} ${text.slice(closeTagStart, end)}`);
      this.captureText = false;
    },
    text(data) {
      texts.push(data);
    },
  };
  assert.deepEqual(scanXml(text, visitor), { ok: true });
  assert.deepEqual(seen, [
    'open r urn:x <r xmlns="urn:x">',
    'open a urn:x <a k="v">',
    'close a </a>',
    'open b urn:x <b/>',
    'close b <b/>',
    'open c urn:x <c>',
    'close c </c>',
    'close r </r>',
  ]);
  assert.equal(texts.join(''), 't&u<c>');
});

test('parseXmlDom returns an xmldom Document for good XML', () => {
  const result = parseXmlDom('<r xmlns="urn:x"><a>1</a></r>');
  assert.ok(result.ok);
  assert.equal(result.document.documentElement.localName, 'r');
  assert.equal(result.document.documentElement.namespaceURI, 'urn:x');
});

const domRefusals: { name: string; text: string; code: string; line: number }[] = [
  { name: 'DOCTYPE', text: billionLaughs, code: XmlErrorCode.Doctype, line: 2 },
  { name: 'two roots (xmldom CVE-2022-39353)', text: '<a/><b/>', code: XmlErrorCode.MultipleRoots, line: 1 },
  // xmldom 0.8 alone accepts the next two with at most a warning.
  { name: 'text after the root', text: '<a>x</a>\njunk', code: XmlErrorCode.Malformed, line: 2 },
  { name: 'unclosed inner element', text: '<a>\n<b></a>', code: XmlErrorCode.MismatchedTag, line: 2 },
];

for (const { name, text, code, line } of domRefusals) {
  test(`parseXmlDom refuses ${name}`, () => {
    const result = parseXmlDom(text);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, code, result.error.message);
    assert.equal(result.error.line, line, result.error.message);
  });
}

test('attribute values are normalised and text line ends read as LF (XML 1.0 §2.11, §3.3.3), by hand', () => {
  const text = '<r a="x\ty\r\nz\rw&#10;&amp;&#x9;" b=\'plain\'>a\r\nb\rc&lt;&#233;</r>';
  const texts: string[] = [];
  let values: Record<string, string | undefined> = {};
  const visitor: XmlVisitor = {
    captureText: true,
    open(tag) {
      values = { a: tag.attribute('a'), b: tag.attribute('b'), missing: tag.attribute('c') };
    },
    close() {},
    text(data) {
      texts.push(data);
    },
  };
  assert.deepEqual(scanXml(text, visitor), { ok: true });
  // Literal tab, CRLF and CR each become one space; the references &#10; and &#x9; stay what they name.
  assert.deepEqual(values, { a: 'x y z w\n&\t', b: 'plain', missing: undefined });
  assert.equal(texts.join(''), 'a\nb\nc<é');
});

test('duplicates are found among many attributes too, by qualified name and by namespace and local name', () => {
  const many = Array.from({ length: 40 }, (_, i) => `a${i}="${i}"`);
  assert.deepEqual(scanXml(`<r ${many.join(' ')}/>`, ignoreAll), { ok: true });
  assert.match(errorOf(`<r ${[...many, 'a3="again"'].join(' ')}/>`).message, /duplicate attribute: a3$/);
  const prefixed = Array.from({ length: 40 }, (_, i) => `p:x${i}="${i}"`);
  const twoPrefixesOneUri = 'xmlns:p="urn:same" xmlns:q="urn:same"';
  assert.deepEqual(scanXml(`<r ${twoPrefixesOneUri} ${prefixed.join(' ')}/>`, ignoreAll), { ok: true });
  assert.match(
    errorOf(`<r ${twoPrefixesOneUri} ${[...prefixed, 'q:x7="7"'].join(' ')}/>`).message,
    /duplicate attribute: q:x7 \(same namespace and local name as p:x7\)/,
  );
});

test('a start tag with 50,000 attributes and namespace declarations is read in linear time', () => {
  // Comparing every attribute with every other, or searching every declaration for each prefix,
  // took over a minute for this tag; the editor must never freeze on such a file.
  const attributes = Array.from(
    { length: 50_000 },
    (_, i) => `xmlns:p${i}="urn:${i}" p${i}:x="${i}" a${i}="${i}"`,
  ).join(' ');
  const started = performance.now();
  assert.deepEqual(scanXml(`<r ${attributes}><p7:child/></r>`, ignoreAll), { ok: true });
  assert.ok(performance.now() - started < 5000, `took ${Math.round(performance.now() - started)} ms`);
});
