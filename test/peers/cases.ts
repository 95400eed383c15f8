// The case format every peer driver reads: one JSON file holding an array of PeerCase, the same for
// the four real SP libraries (node-saml, samlify, python3-saml, ruby-saml). Each driver prints one
// JSON line per case, a PeerVerdict. Options are the few that change a verdict, each named as its
// library names it; anything left out takes the library's own default, as an SP that never set it.
//
// Libraries read the system clock (node-saml has no clock option). A case either has times relative
// to the current time, built just before the drivers run, or names the instant the library must see
// as "now" (`now`): each driver then moves only its clock to that instant for that case (Date in
// Node, OneLogin_Saml2_Utils.now in Python, Time.now in Ruby), so fixtures built at a fixed date (the
// attack catalogue) are judged at that date.

export const PEER_LIBRARIES = ['node-saml', 'samlify', 'python3-saml', 'ruby-saml'] as const;
export type PeerLibrary = (typeof PEER_LIBRARIES)[number];

/** `new SAML({...})` options of @node-saml/node-saml 5. */
export interface NodeSamlOptions {
  /** Default true. */
  wantAssertionsSigned?: boolean;
  /** Default true: the Response element itself must carry a valid signature. */
  wantAuthnResponseSigned?: boolean;
  /** Default 0; -1 turns the time checks off. */
  acceptedClockSkewMs?: number;
}

/** ServiceProvider settings of samlify 2 that parseLoginResponse reads (its want*Signed settings do not). */
export interface SamlifyOptions {
  /** [notBefore drift, notOnOrAfter drift] in ms; default [0, 0]. */
  clockDrifts?: [number, number];
}

/** OneLogin_Saml2_Settings of python3-saml 1.12 (Debian's python3-onelogin-saml2). */
export interface Python3SamlOptions {
  /** Default true here, as SPs configure it; python3-saml's own default is also true. */
  strict?: boolean;
  security?: {
    /** Default false. */
    wantAssertionsSigned?: boolean;
    /** Default false. */
    wantMessagesSigned?: boolean;
  };
}

/** OneLogin::RubySaml settings and Response options of ruby-saml 1.13 (Debian's ruby-saml). */
export interface RubySamlOptions {
  security?: {
    /** Default false. */
    want_assertions_signed?: boolean;
  };
  /** Seconds; default 0. */
  allowed_clock_drift?: number;
  skip_conditions?: boolean;
  skip_audience?: boolean;
  skip_destination?: boolean;
  skip_recipient_check?: boolean;
  skip_subject_confirmation?: boolean;
}

export interface PeerCase {
  id: string;
  /** The SAMLResponse form field as the browser POSTs it to the ACS. */
  responseBase64: string;
  /** The IdP signing certificate the SP trusts. */
  idpCertificatePem: string;
  idpEntityId: string;
  spEntityId: string;
  /** The ACS URL the response is posted to (where the SP receives it). */
  acsUrl: string;
  /** The ID of the AuthnRequest the SP sent, when InResponseTo is to be checked. */
  requestId?: string;
  /** ISO instant the library's clock reads while it judges this case; default the real clock. */
  now?: string;
  /** The SP's private key (PEM), for encrypted assertions. */
  spPrivateKeyPem?: string;
  options?: {
    'node-saml'?: NodeSamlOptions;
    samlify?: SamlifyOptions;
    'python3-saml'?: Python3SamlOptions;
    'ruby-saml'?: RubySamlOptions;
  };
}

/** One line of a driver's output. */
export interface PeerVerdict {
  id: string;
  library: PeerLibrary;
  /** Exact version: the npm package's, or the Debian package's with its revision. */
  version: string;
  accepted: boolean;
  /** The library's own error message, verbatim; empty when accepted. */
  message: string;
}

/** Exit code of a driver that cannot load its library; its stderr says which and how to install it. */
export const DRIVER_MISSING_LIBRARY = 3;
