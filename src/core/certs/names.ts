// Distinguished names read straight from DER, so that multi-valued RDNs, unusual string types and
// unknown attribute types survive intact (Node's X509Certificate.subject flattens them into lines).

import { type DerElement, DerReader, Tag, readOid, readString } from './der';
import { nameAttributeShortName } from './algorithms';

export interface NameAttribute {
  readonly oid: string;
  /** "CN", "O", … or the dotted OID when the type is unknown. */
  readonly type: string;
  readonly value: string;
}

/** A distinguished name in DER order (most general first, usually C or DC). Each entry is one RDN. */
export type DistinguishedName = readonly (readonly NameAttribute[])[];

export function readName(der: Uint8Array, name: DerElement): DistinguishedName {
  const rdns: NameAttribute[][] = [];
  const sets = new DerReader(der, name);
  while (!sets.atEnd) {
    const set = new DerReader(der, sets.next('Name.RelativeDistinguishedName', Tag.Set));
    const attributes: NameAttribute[] = [];
    while (!set.atEnd) {
      const pair = new DerReader(der, set.next('Name.AttributeTypeAndValue', Tag.Sequence));
      const oid = readOid(der, pair.next('Name.AttributeType'), 'Name.AttributeType');
      const value = readString(der, pair.next('Name.AttributeValue'));
      attributes.push({ oid, type: nameAttributeShortName(oid), value });
    }
    rdns.push(attributes);
  }
  return rdns;
}

/** RFC 4514 escaping of one attribute value. */
function escapeValue(value: string): string {
  let escaped = value.replace(/[\\,+"<>;]/g, (c) => `\\${c}`);
  // A lone space is escaped once, as a leading space.
  if (value.length > 1 && value.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  if (escaped.startsWith('#') || escaped.startsWith(' ')) escaped = `\\${escaped}`;
  return escaped;
}

/**
 * RFC 4514 string, most specific first: "CN=Microsoft Azure Federated SSO Certificate, O=…".
 * This is the order Windows, Entra and `openssl -nameopt RFC2253` use.
 */
export function formatName(name: DistinguishedName): string {
  return [...name]
    .reverse()
    .map((rdn) => rdn.map((attribute) => `${attribute.type}=${escapeValue(attribute.value)}`).join('+'))
    .join(', ');
}

/** The most specific common name (the last CN in DER order), if any. */
export function commonName(name: DistinguishedName): string | undefined {
  for (let i = name.length - 1; i >= 0; i--) {
    const cn = name[i].find((attribute) => attribute.oid === '2.5.4.3');
    if (cn) return cn.value;
  }
  return undefined;
}
