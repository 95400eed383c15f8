// Hovers that explain SAML vocabulary (URIs and element names), through VS Code's own hover command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/ids';

async function hoverText(content: string, needle: string, charactersIn = 3): Promise<string> {
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  const document = await vscode.workspace.openTextDocument({ language: 'xml', content });
  const at = content.indexOf(needle);
  assert.ok(at >= 0, `"${needle}" not in the document`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    document.positionAt(at + charactersIn),
  );
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n---\n');
}

const METADATA = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.net/tenant/">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/tenant/saml2"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Unknown" Location="https://login.microsoftonline.com/tenant/saml2"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;

suite('SAML vocabulary hovers', () => {
  test('a binding URI explains the binding', async () => {
    const text = await hoverText(METADATA, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 40);
    assert.match(text, /HTTP-Redirect/);
    assert.match(text, /DEFLATE/);
  });

  test('a NameID format in element content', async () => {
    const text = await hoverText(METADATA, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    assert.match(text, /persistent/);
    assert.match(text, /pairwise/);
  });

  test('an element name explains the element', async () => {
    const text = await hoverText(METADATA, 'md:IDPSSODescriptor', 5);
    assert.match(text, /identity provider role/);
  });

  test('an attribute name explains the attribute and its values', async () => {
    const text = await hoverText(METADATA, 'protocolSupportEnumeration', 5);
    assert.match(text, /protocolSupportEnumeration.*IDPSSODescriptor/);
    assert.match(text, /protocol URIs/);
  });

  test('an insecure algorithm says so', async () => {
    const text = await hoverText(
      `<ds:SignatureMethod xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:x="urn:oasis:names:tc:SAML:2.0:assertion" Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>`,
      'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
      35,
    );
    assert.match(text, /RSA-SHA1/);
    assert.match(text, /Insecure/);
  });

  test('a namespace URI says which part of SAML it is', async () => {
    const text = await hoverText(METADATA, 'urn:oasis:names:tc:SAML:2.0:metadata', 30);
    assert.match(text, /SAML 2\.0 metadata/);
  });

  test('no vocabulary hover on an unknown URI', async () => {
    const text = await hoverText(METADATA, 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Unknown', 40);
    assert.doesNotMatch(text, /SAML binding/);
  });
});
