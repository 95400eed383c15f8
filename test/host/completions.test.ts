// Completions of SAML vocabulary in XML documents, through VS Code's own completion command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/ids';

const CURSOR = '|';

/** Opens an untitled XML document with `marked` (one `|` marks the cursor) and asks for completions there. */
async function completionsAt(marked: string): Promise<vscode.CompletionItem[]> {
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  const offset = marked.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no cursor marker');
  const document = await vscode.workspace.openTextDocument({
    language: 'xml',
    content: marked.slice(0, offset) + marked.slice(offset + 1),
  });
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    document.uri,
    document.positionAt(offset),
  );
  return list.items;
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function find(items: vscode.CompletionItem[], label: string): vscode.CompletionItem {
  const item = items.find((candidate) => labelOf(candidate) === label);
  assert.ok(item, `no completion "${label}" among ${items.length}: ${items.slice(0, 10).map(labelOf).join(', ')}…`);
  return item;
}

function documentationOf(item: vscode.CompletionItem): string {
  const documentation = item.documentation;
  return typeof documentation === 'string' ? documentation : (documentation?.value ?? '');
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SP_OPEN = `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://www.upwork.com">\n  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n`;
const SP_CLOSE = `\n  </md:SPSSODescriptor>\n</md:EntityDescriptor>\n`;

suite('SAML completions', () => {
  test('Binding="" offers the SAML bindings with short names and descriptions', async () => {
    const items = await completionsAt(
      `${SP_OPEN}    <md:AssertionConsumerService Binding="${CURSOR}" Location="https://www.upwork.com/acs" index="0"/>${SP_CLOSE}`,
    );
    const post = find(items, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    find(items, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');
    find(items, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact');
    assert.equal(typeof post.label === 'string' ? undefined : post.label.detail?.trim(), 'HTTP-POST');
    assert.match(documentationOf(post), /hidden form field/);
    assert.ok(!items.some((item) => labelOf(item).includes('nameid-format')), 'NameID formats offered for Binding');
  });

  test('Format on NameID offers NameID formats', async () => {
    const items = await completionsAt(
      `<saml:Assertion xmlns:saml="${SAML}"><saml:Subject><saml:NameID Format="${CURSOR}">B.Simon@contoso.com</saml:NameID></saml:Subject></saml:Assertion>`,
    );
    const persistent = find(items, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    find(items, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    assert.match(documentationOf(persistent), /stable/);
    assert.ok(!items.some((item) => labelOf(item).includes(':bindings:')));
  });

  test('Attribute Name offers claim URIs, eduPerson OIDs with their FriendlyName', async () => {
    const items = await completionsAt(
      `<saml:AttributeStatement xmlns:saml="${SAML}">\n  <saml:Attribute Name="${CURSOR}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"/>\n</saml:AttributeStatement>`,
    );
    find(items, 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname');
    find(items, 'http://schemas.microsoft.com/identity/claims/objectidentifier');
    const eppn = find(items, 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6');
    assert.equal(typeof eppn.label === 'string' ? undefined : eppn.label.description, 'eduPersonPrincipalName');
  });

  test('NameFormat offers the attribute name formats and the replace range covers the typed prefix', async () => {
    const marked = `<saml:Attribute xmlns:saml="${SAML}" Name="FirstName" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname${CURSOR}"/>`;
    const items = await completionsAt(marked);
    const basic = find(items, 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic');
    const range = basic.range as vscode.Range;
    const valueStart = marked.indexOf('NameFormat="') + 'NameFormat="'.length;
    assert.equal(range.start.character, valueStart);
  });

  test('protocolSupportEnumeration completes the second protocol of a list', async () => {
    const items = await completionsAt(
      `<md:EntityDescriptor xmlns:md="${MD}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol ${CURSOR}">`,
    );
    find(items, 'urn:oasis:names:tc:SAML:1.1:protocol');
    assert.ok(
      !items.some((item) => labelOf(item) === 'urn:oasis:names:tc:SAML:2.0:protocol'),
      'offers a protocol already listed',
    );
  });

  test('a Binding attribute on an element outside the documented schemas still gets bindings', async () => {
    const items = await completionsAt(
      `${SP_OPEN}    <hoksso:SingleSignOnService xmlns:hoksso="urn:oasis:names:tc:SAML:2.0:profiles:holder-of-key:SSO:browser" hoksso:ProtocolBinding="${CURSOR}"/>${SP_CLOSE}`,
    );
    find(items, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');
  });

  test('use="" offers signing and encryption', async () => {
    const items = await completionsAt(`${SP_OPEN}    <md:KeyDescriptor use="${CURSOR}">${SP_CLOSE}`);
    assert.deepEqual(items.map(labelOf).sort(), ['encryption', 'signing']);
  });

  test('element content of NameIDFormat offers NameID formats', async () => {
    const items = await completionsAt(`${SP_OPEN}    <md:NameIDFormat>${CURSOR}</md:NameIDFormat>${SP_CLOSE}`);
    find(items, 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
  });

  test('after < inside SPSSODescriptor, the allowed children in schema order, with documentation', async () => {
    const items = await completionsAt(`${SP_OPEN}    <${CURSOR}${SP_CLOSE}`);
    const ordered = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map(labelOf);
    assert.deepEqual(ordered, [
      'ds:Signature',
      'md:Extensions',
      'md:KeyDescriptor',
      'md:Organization',
      'md:ContactPerson',
      'md:ArtifactResolutionService',
      'md:SingleLogoutService',
      'md:ManageNameIDService',
      'md:NameIDFormat',
      'md:AssertionConsumerService',
      'md:AttributeConsumingService',
    ]);
    const acs = find(items, 'md:AssertionConsumerService');
    assert.match(documentationOf(acs), /Reply URL/);
    // ds is not declared in the document, so the inserted element declares it.
    const signature = find(items, 'ds:Signature');
    assert.match(
      (signature.insertText as vscode.SnippetString).value,
      /xmlns:ds="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"/,
    );
  });

  test('nothing in an XML document that is not SAML', async () => {
    const items = await completionsAt(`<project><dependency Binding="${CURSOR}"/></project>`);
    assert.ok(!items.some((item) => labelOf(item).startsWith('urn:oasis:')), items.map(labelOf).join(', '));
  });

  test('nothing inside a comment', async () => {
    const items = await completionsAt(
      `${SP_OPEN}    <!-- <md:AssertionConsumerService Binding="${CURSOR}" -->${SP_CLOSE}`,
    );
    assert.ok(!items.some((item) => labelOf(item).startsWith('urn:oasis:names:tc:SAML:2.0:bindings:')));
  });
});

suite('SAML snippets', () => {
  async function snippetLabels(language: string, marked: string): Promise<string[]> {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const offset = marked.indexOf(CURSOR);
    const document = await vscode.workspace.openTextDocument({
      language,
      content: marked.slice(0, offset) + marked.slice(offset + 1),
    });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      document.positionAt(offset),
    );
    return list.items.filter((item) => item.kind === vscode.CompletionItemKind.Snippet).map(labelOf);
  }

  test('the XML snippets are contributed for XML documents', async () => {
    const labels = await snippetLabels(
      'xml',
      `<saml:AttributeStatement xmlns:saml="${SAML}">\n  upwork${CURSOR}\n</saml:AttributeStatement>`,
    );
    assert.ok(labels.includes('upwork attributes'), labels.join(', '));
    assert.ok(labels.includes('upwork requested attributes'), labels.join(', '));
  });

  test('the claims-mapping policy snippet is contributed for JSON documents', async () => {
    const labels = await snippetLabels('json', `claims${CURSOR}`);
    assert.ok(labels.includes('claims mapping policy'), labels.join(', '));
  });
});
