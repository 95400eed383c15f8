// Audience restriction of a bearer assertion (SAML core §2.5.1.4, Web SSO profile §4.1.4.2): every
// AudienceRestriction must name the service provider; within one, any Audience suffices.
import { NS } from '../xml/namespaces';
import type { FindingList } from './findings';
import { childElements, fullText } from './xmlUtil';

/** The Audience values of every AudienceRestriction of the Conditions, in document order. */
export function audiencesOf(conditions: Element | undefined): string[] {
  return restrictionsOf(conditions).flatMap(audiencesIn);
}

function restrictionsOf(conditions: Element | undefined): Element[] {
  return conditions ? childElements(conditions, NS.saml, 'AudienceRestriction') : [];
}

function audiencesIn(restriction: Element): string[] {
  return childElements(restriction, NS.saml, 'Audience').map((a) => fullText(a).trim());
}

/** Judged only when the SP entityID is known: a bearer assertion must be restricted to it. */
export function checkAudience(
  conditions: Element | undefined,
  spEntityId: string | undefined,
  findings: FindingList,
): void {
  if (!spEntityId) return;
  const restrictions = restrictionsOf(conditions);
  if (restrictions.length === 0) {
    findings.fail('audience.missing', {
      message: `The assertion has no AudienceRestriction, so it is not bound to this service provider (${spEntityId}) and could be replayed to any other.`,
      expected: spEntityId,
      fix: 'Set the Identifier (Entity ID) of the application at the IdP so that it sends an AudienceRestriction.',
    });
    return;
  }
  const missing = restrictions.filter((r) => !audiencesIn(r).includes(spEntityId));
  if (missing.length === 0) {
    findings.pass('audience.match', {
      message: `The assertion is restricted to ${spEntityId}, this service provider.`,
      found: audiencesOf(conditions).join(', '),
    });
    return;
  }
  for (const restriction of missing) {
    const audiences = audiencesIn(restriction);
    const which = restrictions.length > 1 ? `AudienceRestriction #${restrictions.indexOf(restriction) + 1} ` : '';
    findings.fail('audience.mismatch', {
      message: `The assertion ${which}is meant for ${audiences.join(', ') || '(no audience)'}, not for this service provider (${spEntityId}).${restrictions.length > 1 ? ' Every AudienceRestriction must name the service provider.' : ''}`,
      found: audiences.join(', '),
      expected: spEntityId,
      fix: 'Make the Identifier (Entity ID) at the IdP equal to the SP entityID exactly (in Entra ID: Basic SAML Configuration → Identifier).',
    });
  }
}
