// The "SAML Metadata" tree through the real extension API: node counts against xmllint's own
// counts for every corpus file, reveal ranges, refresh on edit, filtering, certificate documents
// checked against openssl, and a parse error that points at the line xmllint names.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import type { MetadataTreeApi } from '../../src/features/metadataTree';
import type { MetadataNode } from '../../src/features/metadataTree/nodes';
import { EXTENSION_ID } from '../../src/ids';
import { pathRequirement, type Requirement, skipTestWithout, XMLLINT } from '../requirements';
import { pollUntil } from './poll';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const ROLE_NAMES = [
  'IDPSSODescriptor',
  'SPSSODescriptor',
  'AttributeAuthorityDescriptor',
  'AuthnAuthorityDescriptor',
  'PDPDescriptor',
  'RoleDescriptor',
];

/** XPath pieces that match metadata elements by namespace URI, whatever their prefix. */
const md = (name: string) => `*[local-name()='${name}' and namespace-uri()='${MD}']`;
const roleTest = `(${ROLE_NAMES.map((n) => `(local-name()='${n}')`).join(' or ')}) and namespace-uri()='${MD}'`;
const XPATH = {
  entities: `count(//${md('EntityDescriptor')})`,
  roles: `count(//${md('EntityDescriptor')}/*[${roleTest}])`,
  keys: `count(//${md('EntityDescriptor')}/*[${roleTest}]/${md('KeyDescriptor')})`,
  // Endpoints: children of a role, or of the role's md:Extensions, that carry a Binding attribute.
  endpoints:
    `count(//${md('EntityDescriptor')}/*[${roleTest}]/*[@Binding]` +
    ` | //${md('EntityDescriptor')}/*[${roleTest}]/${md('Extensions')}/*[@Binding])`,
};

function xmllintCount(file: string, xpath: string): number {
  const output = execFileSync('xmllint', ['--xpath', xpath, file], { encoding: 'utf8' });
  return Number(output.trim());
}

function xmllintString(file: string, xpath: string): string {
  return execFileSync('xmllint', ['--xpath', `string(${xpath})`, file], { encoding: 'utf8' }).trim();
}

function repoRoot(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.extensionPath;
}

async function treeApi(): Promise<MetadataTreeApi> {
  const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as SamlLensApi;
  assert.ok(api.metadataTree, 'activate() returned no metadataTree');
  return api.metadataTree;
}

/** Opens a file in an editor and waits until the tree shows it. */
async function showInTree(tree: MetadataTreeApi, file: string): Promise<vscode.TextEditor> {
  // The view parses only while it is visible.
  if (!tree.treeView.visible) await vscode.commands.executeCommand('samlLens.metadataTree.focus');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  await pollUntil(`the tree to show ${path.basename(file)}`, async () => {
    await tree.whenSettled();
    const state = tree.provider.current;
    return (
      state.kind !== 'empty' &&
      'source' in state &&
      state.source.kind === 'document' &&
      state.source.document === document
    );
  });
  return editor;
}

/** Every node of the tree, fully expanded, grouped by contextValue. */
function allNodes(tree: MetadataTreeApi): Map<string, MetadataNode[]> {
  const byKind = new Map<string, MetadataNode[]>();
  const visit = (nodes: readonly MetadataNode[]) => {
    for (const node of nodes) {
      const kind = String(node.contextValue);
      const list = byKind.get(kind) ?? [];
      list.push(node);
      byKind.set(kind, list);
      visit(tree.provider.childrenOf(node));
    }
  };
  visit(tree.provider.childrenOf());
  return byKind;
}

function count(nodes: Map<string, MetadataNode[]>, ...kinds: string[]): number {
  return kinds.reduce((sum, kind) => sum + (nodes.get(kind)?.length ?? 0), 0);
}

function corpusDir(): string {
  return path.resolve(repoRoot(), '..', 'shared', 'corpus', 'metadata');
}

function corpusFiles(): string[] {
  return readdirSync(corpusDir())
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => path.join(corpusDir(), name));
}

/** A corpus file by name; skips the test (fails it under SAML_LENS_REQUIRE_ALL) when it or a tool is missing. */
function corpusFile(context: Mocha.Context, name: string, ...tools: Requirement[]): string {
  const file = path.join(corpusDir(), name);
  skipTestWithout(context, pathRequirement(file, '../shared/corpus'), ...tools);
  return file;
}

const FIXED_NOW = new Date('2026-11-29T00:00:00Z');

suite('Metadata tree', () => {
  let tree: MetadataTreeApi;

  suiteSetup(async function () {
    tree = await treeApi();
    tree.setClock(() => FIXED_NOW);
    await vscode.commands.executeCommand(`${'samlLens.metadataTree'}.focus`);
  });

  suiteTeardown(async () => {
    tree.setFilter('');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('node counts equal xmllint counts for every corpus file', async function () {
    skipTestWithout(this, pathRequirement(corpusDir(), '../shared/corpus'), XMLLINT);
    const files = corpusFiles();
    this.timeout(240_000);
    const checked: string[] = [];
    for (const file of files) {
      const wellFormed = spawnSync('xmllint', ['--noout', file]).status === 0;
      await showInTree(tree, file);
      const nodes = allNodes(tree);
      const name = path.basename(file);
      if (!wellFormed) {
        assert.equal(
          count(nodes, 'samlError'),
          1,
          `${name}: xmllint rejects it, so the tree should show one error node`,
        );
        continue;
      }
      const actual = {
        entities: count(nodes, 'samlEntity'),
        roles: count(nodes, 'samlRole'),
        keys: count(nodes, 'samlKey', 'samlKeyCertificate'),
        endpoints: count(nodes, 'samlEndpoint'),
      };
      const expected = {
        entities: xmllintCount(file, XPATH.entities),
        roles: xmllintCount(file, XPATH.roles),
        keys: xmllintCount(file, XPATH.keys),
        endpoints: xmllintCount(file, XPATH.endpoints),
      };
      assert.deepEqual(actual, expected, `${name}: tree counts differ from xmllint`);
      assert.equal(count(nodes, 'samlError'), 0, `${name}: unexpected error node`);
      if (expected.entities === 0) {
        assert.ok(
          count(nodes, 'samlUnknown') >= 1,
          `${name}: no metadata found, so the root should show as an unknown element`,
        );
      }
      checked.push(`${name}: ${expected.entities}/${expected.roles}/${expected.keys}/${expected.endpoints}`);
    }
    assert.ok(checked.length >= 30, `only ${checked.length} corpus files were checked`);
  });

  test('a document that is not well-formed shows one error node at the line xmllint reports', async function () {
    const file = corpusFile(this, 'malformed-two-root-entitydescriptors-samlify.xml', XMLLINT);
    const lint = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    const xmllintLine = Number(/:(\d+): parser error/.exec(lint.stderr)?.[1]);
    assert.ok(xmllintLine > 0, `could not read the line from xmllint: ${lint.stderr}`);

    const editor = await showInTree(tree, file);
    const roots = tree.provider.childrenOf();
    assert.equal(roots.length, 1);
    assert.equal(roots[0].contextValue, 'samlError');
    assert.equal(roots[0].description, `line ${xmllintLine}`);
    await tree.revealInEditor(roots[0]);
    assert.equal(editor.selection.active.line + 1, xmllintLine, 'clicking the error goes to its line');
  });

  test('selecting a node selects its element in the editor', async function () {
    const file = corpusFile(this, 'adfs-federationmetadata-ucar.xml');
    const editor = await showInTree(tree, file);
    const nodes = allNodes(tree);
    const cases: [string, (node: any) => string][] = [
      ['samlEntity', () => 'EntityDescriptor'],
      ['samlRole', (node) => (node.role.elementName as string).split(' ')[0]],
      ['samlKeyCertificate', () => 'KeyDescriptor'],
      ['samlEndpoint', (node) => node.endpoint.service],
      ['samlContact', () => 'ContactPerson'],
      // WS-Federation children of the RoleDescriptors, shown by name (fed:ClaimTypesRequested…).
      ['samlOtherElement', (node) => (node.unknown.name as string).replace(/^fed:/, '')],
    ];
    for (const [kind, elementName] of cases) {
      const sample = nodes.get(kind) ?? [];
      assert.ok(sample.length > 0, `no ${kind} node in the ADFS metadata`);
      for (const node of sample) {
        await tree.revealInEditor(node);
        const selected = editor.document.getText(editor.selection);
        const expected = new RegExp(`^<([A-Za-z_][\\w.-]*:)?${elementName(node)}[\\s>/]`);
        assert.match(selected.slice(0, 200), expected, `${kind} ${String(node.label)}`);
        assert.ok(selected.endsWith('>'), `${kind} selection ends at the end tag`);
      }
    }
  });

  test('entity attributes and registration show under Extensions, as xmllint reads them', async function () {
    const file = corpusFile(this, 'sp-ns0-prefix-esi-coco-entity-categories.xml', XMLLINT);
    const categories = execFileSync(
      'xmllint',
      [
        '--xpath',
        `//*[local-name()='Attribute'][@Name='http://macedir.org/entity-category']/*[local-name()='AttributeValue']/text()`,
        file,
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const authority = xmllintString(file, `//*[local-name()='RegistrationInfo']/@registrationAuthority`);
    assert.ok(categories.length >= 2 && authority);

    const editor = await showInTree(tree, file);
    const extensions = allNodes(tree).get('samlExtensions')?.[0];
    assert.ok(extensions, 'no Extensions node');
    const details = tree.provider.childrenOf(extensions);
    const category = details.find((d) => d.label === 'http://macedir.org/entity-category');
    assert.equal(category?.description, categories.join(', '));
    const registration = details.find((d) => d.label === 'RegistrationAuthority');
    assert.ok(String(registration?.description).startsWith(authority));
    await tree.revealInEditor(extensions);
    assert.match(editor.document.getText(editor.selection), /^<([\w.-]+:)?Extensions[\s>]/);
  });

  test('moving the cursor reveals the matching node', async function () {
    const file = corpusFile(this, 'keycloak-idp-metadata.xml');
    const editor = await showInTree(tree, file);
    await vscode.commands.executeCommand('samlLens.metadataTree.focus');
    await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
    const text = editor.document.getText();
    const offset = text.indexOf('SingleLogoutService');
    assert.ok(offset > 0);
    const position = editor.document.positionAt(offset + 3);
    editor.selection = new vscode.Selection(position, position);
    const selected = await pollUntil('the tree to select the endpoint', () => {
      const node = tree.treeView.selection[0];
      return node?.contextValue === 'samlEndpoint' ? node : undefined;
    });
    assert.equal((selected as any).endpoint.service, 'SingleLogoutService');
  });

  test('the tree refreshes after an edit and keeps node ids stable', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-tree-'));
    const file = path.join(dir, 'edit-me.xml');
    writeFileSync(
      file,
      [
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://before.example.com">',
        '  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
        '    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://before.example.com/acs" index="0"/>',
        '  </md:SPSSODescriptor>',
        '</md:EntityDescriptor>',
        '',
      ].join('\n'),
    );
    const editor = await showInTree(tree, file);
    const before = allNodes(tree);
    assert.equal(before.get('samlEntity')?.[0].label, 'https://before.example.com');
    const roleIdBefore = before.get('samlRole')?.[0].id;

    const changed = new Promise<void>((resolve) => {
      const subscription = tree.provider.onDidChangeTreeData(() => {
        subscription.dispose();
        resolve();
      });
    });
    const start = editor.document.getText().indexOf('https://before.example.com');
    await editor.edit((edit) =>
      edit.replace(
        new vscode.Range(
          editor.document.positionAt(start),
          editor.document.positionAt(start + 'https://before'.length),
        ),
        'https://after',
      ),
    );
    await changed;
    await tree.whenSettled();
    const after = allNodes(tree);
    assert.equal(after.get('samlEntity')?.[0].label, 'https://after.example.com');
    assert.equal(after.get('samlEndpoint')?.[0].label, 'HTTP-POST https://before.example.com/acs');
    assert.notEqual(roleIdBefore, undefined);
    // The entityID is part of the id, so the role's id follows the new entityID; its shape stays.
    assert.equal(
      after.get('samlRole')?.[0].id,
      roleIdBefore!.replace('https://before.example.com', 'https://after.example.com'),
    );

    // The refresh button parses again: a new outline, the same nodes.
    const shownBefore = tree.provider.current;
    await vscode.commands.executeCommand('samlLens.metadataTree.refresh');
    assert.notEqual(tree.provider.current, shownBefore);
    assert.deepEqual(
      [...allNodes(tree).values()].flat().map((n) => n.id),
      [...after.values()].flat().map((n) => n.id),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('inserting an entity keeps the ids (and so the expansion) of the others', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-tree-'));
    const file = path.join(dir, 'aggregate.xml');
    const entity = (id: string) =>
      `  <md:EntityDescriptor entityID="${id}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>\n`;
    writeFileSync(
      file,
      `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">\n${entity('https://a.example.com')}${entity('https://b.example.com')}</md:EntitiesDescriptor>\n`,
    );
    const editor = await showInTree(tree, file);
    const idsBefore = new Map((allNodes(tree).get('samlEntity') ?? []).map((n) => [n.label, n.id]));
    assert.equal(idsBefore.size, 2);
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), entity('https://new.example.com')));
    const after = await pollUntil('the inserted entity', async () => {
      await tree.whenSettled();
      const entities = allNodes(tree).get('samlEntity') ?? [];
      return entities.length === 3 ? entities : undefined;
    });
    assert.deepEqual(
      after.map((n) => n.label),
      ['https://new.example.com', 'https://a.example.com', 'https://b.example.com'],
    );
    for (const node of after.slice(1))
      assert.equal(node.id, idsBefore.get(node.label), `${String(node.label)} changed its id`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the filter keeps matching entities and says how many', async function () {
    const file = corpusFile(this, 'switch-aaitest-aggregate-2019.xml', XMLLINT);
    this.timeout(60_000);
    await showInTree(tree, file);
    const total = xmllintCount(file, XPATH.entities);
    const idps = xmllintCount(file, `count(//${md('EntityDescriptor')}[${md('IDPSSODescriptor')}])`);
    const sps = xmllintCount(file, `count(//${md('EntityDescriptor')}[${md('SPSSODescriptor')}])`);
    assert.equal(
      tree.treeView.description?.startsWith(`${total} entities · ${idps} IdPs · ${sps} SPs`),
      true,
      String(tree.treeView.description),
    );

    assert.equal(tree.setFilter('role:idp'), undefined);
    assert.equal(count(allNodes(tree), 'samlEntity'), idps);
    assert.equal(tree.treeView.message, `Filter "role:idp": ${idps} of ${total} entities.`);

    assert.equal(tree.setFilter('moonswitch.eu.auth0'), undefined);
    const matches = allNodes(tree).get('samlEntity') ?? [];
    assert.deepEqual(
      matches.map((n) => n.label),
      ['https://moonswitch.eu.auth0.com'],
    );

    assert.match(tree.setFilter('role:wizard') ?? '', /Unknown role "wizard"/);
    tree.setFilter('');
    assert.equal(count(allNodes(tree), 'samlEntity'), total);
    assert.equal(tree.treeView.message, undefined);
  });

  test('certificate dates, the expiring filter and the certificate document agree with openssl', async function () {
    const file = corpusFile(this, 'azure-ad-app-saml-signing-cert-federationmetadata.xml', XMLLINT);
    const base64 = execFileSync('xmllint', ['--xpath', `string((//*[local-name()='X509Certificate'])[1])`, file], {
      encoding: 'utf8',
    }).replace(/\s+/g, '');
    const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const openssl = (...args: string[]) =>
      execFileSync('openssl', ['x509', '-noout', ...args], { input: pem, encoding: 'utf8' }).trim();
    const notAfter = new Date(openssl('-enddate').replace('notAfter=', ''));
    const sha1 = openssl('-fingerprint', '-sha1').split('=')[1].replace(/:/g, '');

    await showInTree(tree, file);
    // Ten days before expiry: a warning, "expires in 10 days", and the entity passes cert:expiring.
    tree.setClock(() => new Date(notAfter.getTime() - 10 * 86_400_000));
    let keys = allNodes(tree).get('samlKeyCertificate') ?? [];
    assert.ok(keys.length > 0);
    const key = tree.provider.getTreeItem(keys[0]);
    assert.equal(key.description, 'expires in 10 days');
    assert.equal((key.iconPath as vscode.ThemeIcon).color?.id, 'list.warningForeground');
    assert.match(String(tree.treeView.description), /1 certificate expires within 30 days/);
    tree.setFilter('cert:expiring');
    assert.equal(count(allNodes(tree), 'samlEntity'), 1);

    // A day after expiry: an error and "expired <date>".
    tree.setClock(() => new Date(notAfter.getTime() + 86_400_000));
    tree.setFilter('cert:expiring');
    assert.equal(count(allNodes(tree), 'samlEntity'), 0);
    tree.setFilter('');
    keys = allNodes(tree).get('samlKeyCertificate') ?? [];
    const expired = tree.provider.getTreeItem(keys[0]);
    assert.equal(expired.description, `expired ${notAfter.toISOString().slice(0, 10)}`);
    assert.equal((expired.iconPath as vscode.ThemeIcon).color?.id, 'list.errorForeground');
    tree.setClock(() => FIXED_NOW);

    await vscode.commands.executeCommand('samlLens.metadataTree.openCertificate', keys[0]);
    const document = await pollUntil('the certificate document', () => {
      const active = vscode.window.activeTextEditor?.document;
      return active?.uri.scheme === 'saml-lens-cert' ? active : undefined;
    });
    const text = document.getText();
    assert.ok(text.includes(sha1), `SHA-1 ${sha1} is not in the certificate document`);
    await tree.whenSettled();
    const shown = tree.provider.current;
    assert.ok(
      shown.kind === 'outline' && shown.source.kind === 'document' && shown.source.document.uri.fsPath === file,
      'the tree kept the metadata',
    );
    assert.ok(text.endsWith(pem), 'the document ends with the PEM openssl reads');

    await vscode.commands.executeCommand('samlLens.metadataTree.copyCertificatePem', keys[0]);
    assert.equal(await vscode.env.clipboard.readText(), pem);
  });

  test('an aggregate of 12,000 entities loads in the worker and filters quickly', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-big-'));
    const file = path.join(dir, 'aggregate-12000.xml');
    const entity = (i: number) =>
      `<md:EntityDescriptor entityID="https://sp${i}.example.org/shibboleth">` +
      (i % 3 === 0
        ? `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp${i}.example.org/sso"/></md:IDPSSODescriptor>`
        : `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp${i}.example.org/acs" index="0"/></md:SPSSODescriptor>`) +
      `</md:EntityDescriptor>\n`;
    const parts = ['<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="urn:example:big">\n'];
    for (let i = 0; i < 12_000; i++) parts.push(entity(i));
    parts.push('</md:EntitiesDescriptor>\n');
    writeFileSync(file, parts.join(''));

    await showInTree(tree, file);
    // Hand count: every third entity (i = 0, 3, …, 11997) is an IdP, 4,000 of them; the rest are SPs.
    assert.equal(tree.treeView.description, '12,000 entities · 4,000 IdPs · 8,000 SPs');
    // The view is handed a large group's rows in slices: every entity, in document order.
    const viewRows = await tree.provider.getChildren(tree.provider.childrenOf()[0]);
    assert.deepEqual(
      viewRows.map((n) => n.label),
      Array.from({ length: 12_000 }, (_, i) => `https://sp${i}.example.org/shibboleth`),
    );
    const started = Date.now();
    assert.equal(tree.setFilter('role:idp'), undefined);
    // Over 5,000 entities the filter is worked out in slices; rows asked for meanwhile are filtered too.
    const group = tree.provider.childrenOf()[0];
    assert.equal(tree.provider.childrenOf(group).length, 4_000);
    await tree.whenSettled();
    assert.equal(tree.treeView.message, 'Filter "role:idp": 4000 of 12000 entities.');
    assert.deepEqual(
      (await tree.provider.getChildren(tree.provider.childrenOf()[0])).map((n) => n.label),
      Array.from({ length: 4_000 }, (_, k) => `https://sp${3 * k}.example.org/shibboleth`),
    );
    assert.equal(tree.setFilter('sp11999.example'), undefined);
    assert.deepEqual(
      tree.provider.childrenOf(tree.provider.childrenOf()[0]).map((n) => n.label),
      ['https://sp11999.example.org/shibboleth'],
    );
    const filterMs = Date.now() - started;
    assert.ok(filterMs < 2_000, `filtering 12,000 entities twice took ${filterMs} ms`);
    tree.setFilter('');
  });
  test('typing in one entity of a large aggregate updates that entity’s row only; the other rows stay as they are', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-typing-'));
    const file = path.join(dir, 'aggregate-2000.xml');
    const entity = (i: number) =>
      `  <md:EntityDescriptor entityID="https://sp${i}.example.org/shibboleth">\n` +
      `    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n` +
      `      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp${i}.example.org/acs" index="0"/>\n` +
      `    </md:SPSSODescriptor>\n` +
      `  </md:EntityDescriptor>\n`;
    const text = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="urn:example:typing">\n${Array.from({ length: 2000 }, (_, i) => entity(i)).join('')}</md:EntitiesDescriptor>\n`;
    assert.ok(text.length > 256 * 1024, 'parsed in the worker');
    writeFileSync(file, text);
    const editor = await showInTree(tree, file);
    const group = tree.provider.childrenOf()[0];
    const rows = tree.provider.childrenOf(group);
    assert.equal(rows.length, 2000);
    const later = rows[1500];
    assert.equal(tree.provider.childrenOf(later)[0].description, 'SPSSODescriptor');

    // An IdP role added inside entity 1000, typed as one edit: that row now says "SP, IdP".
    const document = editor.document;
    const at = document.getText().indexOf('  </md:EntityDescriptor>', document.getText().indexOf('sp1000.example.org'));
    const role =
      '    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
      '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp1000.example.org/sso"/>' +
      '</md:IDPSSODescriptor>\n';
    const refreshed: (MetadataNode | undefined)[] = [];
    const subscription = tree.provider.onDidChangeTreeData((node) => refreshed.push(node ?? undefined));
    await editor.edit((edit) => edit.insert(document.positionAt(at), role));
    await pollUntil('the entity row updated', async () => {
      await tree.whenSettled();
      return rows[1000].description === 'SP, IdP';
    });
    subscription.dispose();
    assert.equal(tree.treeView.description, '2,000 entities · 1 IdP · 2,000 SPs');
    // Compared by identity and by id: a failed deepEqual would print the whole tree.
    assert.ok(refreshed.includes(rows[1000]), 'the changed row was refreshed');
    assert.deepEqual(
      refreshed.filter((node) => node !== rows[1000]).map((node) => node?.id),
      refreshed.length > 1 ? [group.id] : [],
      'besides it, at most the root row (its signature status) was',
    );
    assert.ok(tree.provider.childrenOf()[0] === group, 'the group row is the same object');
    assert.ok(tree.provider.childrenOf(group)[1500] === later, 'a later row is the same object');
    // The rows after the edit point at their elements as they are now.
    const range = (await tree.provider.rangeOf(later))!;
    assert.ok(
      document.getText(range).startsWith('<md:EntityDescriptor entityID="https://sp1500.example.org/shibboleth">'),
    );
    assert.ok(document.getText(range).endsWith('</md:EntityDescriptor>'));
    assert.deepEqual(
      tree.provider.childrenOf(rows[1000]).map((node) => node.description),
      ['SPSSODescriptor', 'IDPSSODescriptor'],
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    rmSync(dir, { recursive: true, force: true });
  });
  test('a document that is not metadata shows the welcome view', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'xml',
      content: '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>',
    });
    await vscode.window.showTextDocument(document);
    await pollUntil('the not-metadata state', async () => {
      await tree.whenSettled();
      return tree.provider.current.kind === 'not-metadata';
    });
    assert.deepEqual(tree.provider.childrenOf(), [], 'an empty tree lets VS Code show the welcome content');
    assert.equal(tree.treeView.description, undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('certificate details carry the facts openssl prints', async function () {
    const file = corpusFile(this, 'sp-ec-p256-encryption-cert.xml', XMLLINT);
    const base64 = execFileSync('xmllint', ['--xpath', `string((//*[local-name()='X509Certificate'])[1])`, file], {
      encoding: 'utf8',
    }).replace(/\s+/g, '');
    const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const openssl = (...args: string[]) =>
      execFileSync('openssl', ['x509', '-noout', ...args], { input: pem, encoding: 'utf8' }).trim();
    const sha256 = openssl('-fingerprint', '-sha256').split('=')[1];
    const serial = openssl('-serial').split('=')[1];

    await showInTree(tree, file);
    const key = allNodes(tree).get('samlKeyCertificate')?.[0];
    assert.ok(key, 'no key with a certificate');
    assert.equal(key.label, 'encryption: EC test');
    await vscode.commands.executeCommand('samlLens.metadataTree.showCertificateDetails', key);
    const details = await pollUntil('the details document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'saml-lens-cert' && d.uri.path.endsWith('.md')),
    );
    const text = details.getText();
    assert.ok(text.includes(sha256), `SHA-256 ${sha256} missing from the details`);
    assert.ok(text.includes(serial), `serial ${serial} missing from the details`);
    assert.match(text, /\| Public key \| EC P-256 256 bits \|/);
  });

  test('saving a certificate writes DER for .cer and PEM for .pem, as openssl reads them', async function () {
    const file = corpusFile(this, 'okta-idp-metadata.xml', XMLLINT);
    const base64 = execFileSync('xmllint', ['--xpath', `string((//*[local-name()='X509Certificate'])[1])`, file], {
      encoding: 'utf8',
    }).replace(/\s+/g, '');
    const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const fingerprint = (...args: string[]) =>
      execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', ...args], {
        input: pem,
        encoding: 'utf8',
      }).trim();
    const expected = fingerprint();

    await showInTree(tree, file);
    const key = allNodes(tree).get('samlKeyCertificate')?.[0];
    assert.ok(key);
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-save-'));
    // The save dialog cannot be driven from a test; answer it with a fixed path instead.
    const realDialog = vscode.window.showSaveDialog;
    try {
      for (const name of ['okta.cer', 'okta.pem']) {
        const target = path.join(dir, name);
        (vscode.window as { showSaveDialog: typeof realDialog }).showSaveDialog = async () => vscode.Uri.file(target);
        await vscode.commands.executeCommand('samlLens.metadataTree.saveCertificate', key);
        const inform = name.endsWith('.cer') ? 'DER' : 'PEM';
        const actual = execFileSync(
          'openssl',
          ['x509', '-noout', '-fingerprint', '-sha256', '-inform', inform, '-in', target],
          { encoding: 'utf8' },
        ).trim();
        assert.equal(actual, expected, `${name} is not the certificate`);
      }
    } finally {
      (vscode.window as { showSaveDialog: typeof realDialog }).showSaveDialog = realDialog;
    }
  });

  test('a double-encoded PEM shows and exports the certificate inside it', async function () {
    const file = corpusFile(this, 'idp-metadata-pem-double-base64-cert.xml', XMLLINT);
    // Independently: the element's text is base64 of a PEM file, which openssl reads once decoded.
    const text = xmllintString(file, `(//*[local-name()='X509Certificate'])[1]`);
    const innerPem = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    const openssl = (input: string, ...args: string[]) =>
      execFileSync('openssl', ['x509', '-noout', ...args], { input, encoding: 'utf8' }).trim();
    const commonName = /CN\s*=\s*([^,\n]+)/.exec(openssl(innerPem, '-subject'))?.[1].trim();
    assert.ok(commonName, 'openssl printed no CN');

    await showInTree(tree, file);
    const key = allNodes(tree).get('samlKeyCertificate')?.[0];
    assert.ok(key);
    assert.equal(key.label, `signing: ${commonName}`);
    await vscode.commands.executeCommand('samlLens.metadataTree.copyCertificatePem', key);
    const copied = await vscode.env.clipboard.readText();
    assert.equal(openssl(copied, '-fingerprint', '-sha256'), openssl(innerPem, '-fingerprint', '-sha256'));
  });

  test('a file too large for the editor to share is read from disk', async function () {
    this.timeout(300_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-huge-'));
    const file = path.join(dir, 'aggregate-over-50mb.xml');
    // About 52 million characters: over VS Code's 50 MB limit for syncing documents to extensions,
    // under the metadata parser's limit. Every entity is an SP; 26,000 of them (hand count below).
    const padding = 'x'.repeat(1_800);
    const parts = ['<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">\n'];
    for (let i = 0; i < 26_000; i++) {
      parts.push(
        `<md:EntityDescriptor entityID="https://sp${i}.example.org/"><md:Extensions><!-- ${padding} --></md:Extensions>` +
          `<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
          `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp${i}.example.org/acs" index="0"/>` +
          `</md:SPSSODescriptor></md:EntityDescriptor>\n`,
      );
    }
    parts.push('</md:EntitiesDescriptor>\n');
    const text = parts.join('');
    assert.ok(text.length > 50 * 1024 * 1024 && text.length < 64 * 1024 * 1024, `generated ${text.length} characters`);
    writeFileSync(file, text);

    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.open', uri);
    await pollUntil(
      'the tree to read the large file from disk',
      async () => {
        await tree.whenSettled();
        const state = tree.provider.current;
        return state.kind === 'outline' && state.source.kind === 'disk' && state.source.uri.fsPath === file;
      },
      240_000,
    );
    assert.equal(
      vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file),
      false,
      'VS Code shared the document after all',
    );
    assert.equal(tree.treeView.description, '26,000 entities · 0 IdPs · 26,000 SPs');
    assert.equal(
      tree.treeView.message,
      'Read from disk: the file is too large for the editor to share with extensions.',
    );
    const entities = tree.provider.childrenOf(tree.provider.childrenOf()[0]);
    assert.equal(entities.length, 26_000);
    assert.equal(entities[25_999].label, 'https://sp25999.example.org/');
    // Positions come from the worker that read the file: entity i is alone on line i + 1.
    const last = parts[26_000];
    const range = await tree.provider.rangeOf(entities[25_999]);
    assert.deepEqual(range && [range.start.line, range.start.character, range.end.line, range.end.character], [
      26_000,
      0,
      26_000,
      last.length - 1,
    ]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
