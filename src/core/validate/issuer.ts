// Issuer checks of a Response and its Assertion: present where required, the expected identity provider,
// of the entity format, and the same entity in both places.
import { NS } from '../xml/namespaces';
import type { FindingList } from './findings';
import { attribute, firstChild, fullText } from './xmlUtil';

export const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

/** The trimmed Issuer text of a Response or Assertion element, or undefined when it has none. */
export function issuerOf(element: Element | undefined): string | undefined {
  const issuer = element && firstChild(element, NS.saml, 'Issuer');
  return issuer ? fullText(issuer).trim() : undefined;
}

/** Issuer present (when required) and one of the expected identity provider entityIDs (when known). */
export function checkIssuer(
  label: string,
  value: string | undefined,
  expected: string[],
  findings: FindingList,
  required: boolean,
): void {
  if (value === undefined) {
    if (required)
      findings.fail('issuer.missing', {
        message: `The ${label} has no Issuer.`,
        fix: 'A conforming IdP always names itself in the assertion Issuer.',
      });
    return;
  }
  if (expected.length === 0) return;
  if (expected.includes(value)) {
    findings.pass('issuer.match', {
      message: `The ${label} Issuer is ${value}, the expected identity provider.`,
      found: value,
    });
  } else {
    findings.fail('issuer.mismatch', {
      message: `The ${label} Issuer is ${value}, not the expected identity provider.`,
      found: value,
      expected: expected.join(' or '),
      fix: 'Use the IdP metadata that matches this tenant/application (in Entra ID the issuer is https://sts.windows.net/<tenant-id>/), or fix the IdP entityID configured in the SP.',
    });
  }
}

/** Web SSO profile §4.1.4.2: an Issuer Format, when present, is the entity format. */
export function checkIssuerFormat(label: string, element: Element | undefined, findings: FindingList): void {
  const issuer = element && firstChild(element, NS.saml, 'Issuer');
  const format = attribute(issuer, 'Format');
  if (format === undefined || format === ENTITY_FORMAT) return;
  findings.fail('issuer.format', {
    message: `The ${label} Issuer has Format="${format}"; an issuer is an entity, so the Format must be ${ENTITY_FORMAT} or be omitted.`,
    found: format,
    expected: ENTITY_FORMAT,
    fix: 'Configure the IdP to omit the Issuer Format or to set it to the entity format.',
  });
}

/** A Response Issuer, when present, names the same entity as the Assertion Issuer. */
export function checkIssuersAgree(
  responseIssuer: string | undefined,
  assertionIssuer: string | undefined,
  findings: FindingList,
): void {
  if (responseIssuer === undefined || assertionIssuer === undefined || responseIssuer === assertionIssuer) return;
  findings.fail('issuer.inconsistent', {
    message: `The Response Issuer is ${responseIssuer} but the Assertion Issuer is ${assertionIssuer}: one entity is passing on another's assertion.`,
    found: `${responseIssuer} / ${assertionIssuer}`,
    expected: 'the same entityID in both',
    fix: 'The IdP must issue both; reject a response that wraps an assertion of another issuer.',
  });
}
