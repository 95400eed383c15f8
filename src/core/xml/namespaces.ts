/** Namespace URIs of the SAML family and the XML security specs they build on. */
export const NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  mdui: 'urn:oasis:names:tc:SAML:metadata:ui',
  mdrpi: 'urn:oasis:names:tc:SAML:metadata:rpi',
  mdattr: 'urn:oasis:names:tc:SAML:metadata:attribute',
  shibmd: 'urn:mace:shibboleth:metadata:1.0',
  alg: 'urn:oasis:names:tc:SAML:metadata:algsupport',
  fed: 'http://docs.oasis-open.org/wsfed/federation/200706',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  idpdisc: 'urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol',
  init: 'urn:oasis:names:tc:SAML:profiles:SSO:request-init',
} as const;

export type NamespaceKey = keyof typeof NS;
