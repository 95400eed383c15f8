import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseMetadata } from '../../src/core/metadata';
import { XmlErrorCode } from '../../src/core/xml';
import { corpusRoot, pathRequirement, skipWithout, XMLLINT } from '../requirements';

const corpusDirs = [resolve(corpusRoot, 'metadata'), resolve(corpusRoot, 'python3-saml', 'metadata')];
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

/** Files that are not well-formed on purpose (see SOURCES.md), with the error we expect. */
const malformed: Record<string, string> = {
  'malformed-two-root-entitydescriptors-samlify.xml': XmlErrorCode.MultipleRoots,
  'unparsed_metadata.xml': XmlErrorCode.MismatchedTag,
};

/**
 * Counts by xmllint's XPath: metadata elements by namespace URI (endpoints and keys as children of a
 * role of an EntityDescriptor), certificates anywhere and in any namespace.
 */
function xmllintCounts(file: string): number[] {
  const md = (name: string) => `*[local-name()='${name}' and namespace-uri()='${MD}']`;
  const inRole = (name: string) => `count(//${md('EntityDescriptor')}/*[namespace-uri()='${MD}']/${md(name)})`;
  const expression = `concat(${[
    `count(//${md('EntityDescriptor')})`,
    "count(//*[local-name()='X509Certificate'])",
    inRole('SingleSignOnService'),
    inRole('AssertionConsumerService'),
    inRole('KeyDescriptor'),
  ].join(", ',', ")})`;
  return execFileSync('xmllint', ['--xpath', expression, file]).toString().trim().split(',').map(Number);
}

/** The line xmllint reports for a file it cannot parse. */
function xmllintErrorLine(file: string): number {
  const output = spawnSync('xmllint', ['--noout', file]).stderr.toString();
  return Number(/:(\d+): parser error/.exec(output)?.[1]);
}

for (const dir of corpusDirs) {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.xml'))
        .sort()
    : [];
  test(`corpus ${dir.split('/').slice(-2).join('/')}: every file parses and matches xmllint's counts`, (t) => {
    if (skipWithout(t, pathRequirement(dir, '../shared/corpus'), XMLLINT)) return;
    assert.ok(files.length > 10);
    for (const name of files) {
      const file = join(dir, name);
      const text = readFileSync(file, 'utf8');
      const result = parseMetadata(text);
      if (name in malformed) {
        assert.equal(result.ok, false, `${name} must be refused`);
        if (result.ok) continue;
        assert.equal(result.error.code, malformed[name], `${name}: ${result.error.message}`);
        assert.equal(
          result.error.line,
          xmllintErrorLine(file),
          `${name}: same line as xmllint: ${result.error.message}`,
        );
        continue;
      }
      assert.ok(result.ok, `${name}: ${result.ok ? '' : result.error.message}`);
      if (!result.ok) continue;
      const { model } = result;
      const roles = model.entities.flatMap((entity) => entity.roles);
      const endpoints = roles.flatMap((role) => role.endpoints);
      const actual = [
        model.entities.length,
        model.certificates.length,
        endpoints.filter((endpoint) => endpoint.localName === 'SingleSignOnService' && endpoint.namespaceURI === MD)
          .length,
        endpoints.filter(
          (endpoint) => endpoint.localName === 'AssertionConsumerService' && endpoint.namespaceURI === MD,
        ).length,
        roles.reduce((sum, role) => sum + role.keyDescriptors.length, 0),
      ];
      assert.deepEqual(actual, xmllintCounts(file), `${name}: [entities, certificates, SSO, ACS, KeyDescriptors]`);
      for (const certificate of model.certificates) {
        assert.equal(text.slice(certificate.range.start, certificate.range.end), certificate.base64, name);
      }
      for (const entity of model.entities) {
        const slice = text.slice(entity.range.start, entity.range.end);
        assert.match(slice, /^<([\w.-]+:)?EntityDescriptor[\s>]/, name);
        assert.match(slice, /(<\/([\w.-]+:)?EntityDescriptor\s*>|\/>)$/, name);
      }
    }
  });
}

test('corpus: details that SOURCES.md describes', (t) => {
  const dir = corpusDirs[0];
  if (skipWithout(t, pathRequirement(dir, '../shared/corpus'))) return;
  const read = (name: string) => {
    const result = parseMetadata(readFileSync(join(dir, name), 'utf8'));
    assert.ok(result.ok, name);
    return result.ok ? result.model : (undefined as never);
  };
  // Entra ID tenant metadata: BOM, default namespace, fed: RoleDescriptors, 10 certificates (3 roles + Signature).
  const entra = read('azure-ad-tenant-federationmetadata.xml');
  const roles = entra.entities[0].roles;
  assert.deepEqual(
    roles.map((role) => role.xsiType?.localName ?? role.kind),
    ['SecurityTokenServiceType', 'ApplicationServiceType', 'IDPSSODescriptor'],
  );
  assert.ok(
    roles
      .slice(0, 2)
      .every((role) => role.xsiType?.namespaceURI === 'http://docs.oasis-open.org/wsfed/federation/200706'),
  );
  assert.equal(entra.entities[0].signed, true);
  assert.equal(entra.certificates.filter((certificate) => certificate.place === 'signature').length, 1);
  // Unqualified SP metadata: no metadata namespace, so no entities, but both certificates are listed.
  const unqualified = read('sp-unqualified-no-namespace-crlf-samlify.xml');
  assert.equal(unqualified.entities.length, 0);
  assert.equal(unqualified.certificates.length, 2);
  // Skolfederation mixes default, md: and ns0: prefixes for the metadata namespace.
  const skol = read('skolfederation-aggregate-2014.xml');
  assert.equal(skol.groups[0].id, 'federation_root');
  assert.equal(skol.groups[0].cacheDuration?.value, 'PT30M');
});
