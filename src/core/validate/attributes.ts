// Compares received attributes with what the service provider expects, and recognises near-misses:
// the same claim arriving under the IdP's default name (e.g. Entra ID's
// http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname where the SP expects FirstName).
import type { FindingList } from './findings';
import type { AttributeReport, ExpectedAttribute } from './types';

/** Names that denote the same piece of user data, compared after normalising (see `normalise`). */
const SYNONYM_GROUPS: string[][] = [
  ['firstname', 'givenname', 'fname', 'forename'],
  ['lastname', 'surname', 'sn', 'familyname', 'lname'],
  ['email', 'emailaddress', 'mail', 'emailaddr'],
  ['country', 'countryname', 'c', 'co'],
  ['displayname', 'name', 'fullname', 'cn', 'commonname'],
  ['username', 'userprincipalname', 'upn', 'login', 'uid'],
  ['groups', 'group', 'memberof', 'role', 'roles'],
  ['phone', 'telephonenumber', 'mobilephone', 'mobile', 'phonenumber'],
  ['department', 'dept', 'ou'],
  ['jobtitle', 'title'],
];

/** Last segment of a claim URI or URN, lower case, letters and digits only: ".../claims/givenname" → "givenname". */
function normalise(name: string): string {
  const lastSegment = name.split(/[/#:]/).filter(Boolean).pop() ?? name;
  return lastSegment.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function sameData(a: string, b: string): boolean {
  const left = normalise(a);
  const right = normalise(b);
  if (left === right) return true;
  return SYNONYM_GROUPS.some((group) => group.includes(left) && group.includes(right));
}

function isEntraClaim(name: string): boolean {
  return /^http:\/\/schemas\.(xmlsoap\.org|microsoft\.com)\//.test(name);
}

function mappingAdvice(received: string, expected: string): string {
  const shortName = received.split('/').pop() ?? received;
  if (isEntraClaim(received)) {
    return `In Entra ID (Enterprise applications → your app → Single sign-on → Attributes & Claims), edit the claim ${shortName} → name it ${expected} and clear its namespace, or map ${received} to ${expected} in the service provider.`;
  }
  return `Rename the attribute at the IdP: release ${received} under the name ${expected} (or map ${received} to ${expected} in the service provider).`;
}

export function compareAttributes(
  received: AttributeReport[],
  expected: ExpectedAttribute[] | undefined,
  findings: FindingList,
): void {
  const counts = new Map<string, number>();
  for (const attribute of received) counts.set(attribute.name, (counts.get(attribute.name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) {
      findings.fail('attributes.duplicate', {
        message: `The attribute ${name} appears ${count} times. Service providers either reject this or keep only one of the values.`,
        found: `${count} × ${name}`,
        fix: 'Release the attribute once, with all its values inside one Attribute element.',
      });
    }
  }
  for (const attribute of received) {
    if (attribute.values.length === 0 || attribute.values.every((value) => value.trim() === '')) {
      findings.warn('attributes.empty', {
        message: `The attribute ${attribute.name} has no value${attribute.values.length ? ' (only empty strings)' : ''}.`,
        fix: 'Fill in the source field for this user at the IdP (e.g. the user profile in Entra ID), or remove the claim.',
      });
    }
  }
  if (!expected) return;

  const explained = new Set<string>();
  const present = expected.filter((want) => received.some((attribute) => attribute.name === want.name));
  if (expected.length > 0 && present.length === expected.length) {
    findings.pass('attributes.expected', {
      message: `All ${expected.length} expected attributes arrived: ${expected.map((want) => want.name).join(', ')}.`,
    });
  }
  for (const want of expected) {
    if (received.some((attribute) => attribute.name === want.name)) continue;
    const nearMiss = received.find(
      (attribute) =>
        sameData(attribute.name, want.name) ||
        (attribute.friendlyName !== undefined && sameData(attribute.friendlyName, want.name)),
    );
    if (nearMiss) explained.add(nearMiss.name);
    const details = {
      message: nearMiss
        ? `The service provider expects the attribute ${want.name}; it is missing, but ${nearMiss.name} arrived and looks like the same data under another name.`
        : `The service provider expects the attribute ${want.name}, and nothing like it arrived.`,
      expected: want.name,
      found: nearMiss?.name,
      fix: nearMiss
        ? mappingAdvice(nearMiss.name, want.name)
        : `Add a claim named ${want.name} at the IdP (in Entra ID: Attributes & Claims → Add new claim).`,
    };
    if (want.required === false) findings.warn('attributes.missing', details);
    else findings.fail('attributes.missing', details);
  }
  for (const attribute of received) {
    if (expected.some((want) => want.name === attribute.name) || explained.has(attribute.name)) continue;
    findings.info('attributes.extra', {
      message: `The attribute ${attribute.name} is not among the attributes the service provider expects.`,
      found: attribute.name,
      fix: 'Nothing to do unless the SP should use it; remove the claim at the IdP to release less personal data.',
    });
  }
}
