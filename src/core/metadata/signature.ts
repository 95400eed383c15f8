// Whether a metadata document is authentic: the enveloped signature on its root, and on each
// EntityDescriptor of an aggregate, checked with the validator's own signature code
// (core/validate/signatures.ts) under the same structural rules as a SAML message: one Reference
// to the element's ID (or "" on the root), enveloped + c14n transforms, allow-listed algorithms.
import { checkSignature, type SignatureCheck } from '../validate/signatures';
import { prepareTrustedCertificates, readCertificate } from '../validate/certificates';
import { FindingList } from '../validate/findings';
import type { Finding, TrustedCertificate } from '../validate/types';
import { childElements, firstChild, childPath } from '../validate/xmlUtil';
import { parseXmlDom } from '../xml/dom';
import { NS } from '../xml/namespaces';

/**
 * Signatures are checked on a DOM, which holds far more per element than the model: aggregates of
 * tens of MB, not the model's larger limit (DEFAULT_METADATA_MAX_LENGTH), and still more than a
 * single message's.
 */
export const SIGNED_METADATA_MAX_LENGTH = 64 * 1024 * 1024;

/** The editor's diagnostic for a broken metadata signature (docs/diagnostics.md). */
export const MetadataSignatureCode = { Broken: 'metadata.signature-broken' } as const;
export type MetadataSignatureCode = (typeof MetadataSignatureCode)[keyof typeof MetadataSignatureCode];

export type MetadataSignatureState = 'trusted' | 'integrity-only' | 'no-key' | 'broken' | 'unsigned';

/** Why a signature is broken, in the terms a metadata publisher uses. */
export type BrokenReason =
  | 'digest-mismatch'
  | 'signature-value'
  | 'wrong-reference'
  | 'with-comments'
  | 'unsupported-algorithm'
  | 'rejected-algorithm'
  | 'structure';

export interface MetadataSignatureStatus {
  state: MetadataSignatureState;
  /** The signed element: the document's root or an EntityDescriptor inside an aggregate. */
  element: 'EntityDescriptor' | 'EntitiesDescriptor';
  /** entityID of an EntityDescriptor, Name of an EntitiesDescriptor. */
  name?: string;
  /** One or two sentences for the user, saying plainly what the state proves and what it does not. */
  message: string;
  /** For 'broken': each reason with its specific explanation. */
  reasons: { reason: BrokenReason; message: string }[];
  /** Warnings that do not break the signature (SHA-1). */
  warnings: string[];
  /** The certificate that verified it (trusted: the pinned one; integrity-only: the one it carries). */
  certificate?: { subject: string; sha256: string; source: string };
}

export interface MetadataSignatureReport {
  /** The root's own signature status ('unsigned' when it carries none). */
  root: MetadataSignatureStatus;
  /** Signed EntityDescriptors inside an aggregate, in document order. */
  entities: MetadataSignatureStatus[];
}

export type MetadataSignatureResult = { ok: true; report: MetadataSignatureReport } | { ok: false; message: string };

export interface MetadataSignatureOptions {
  /**
   * The certificates, public keys or fingerprints the user pinned for this document. A signer with
   * an entityId applies only to the EntityDescriptor with that entityID (or the aggregate with that Name).
   */
  signers?: readonly TrustedCertificate[];
  now?: Date;
}

const SIGNED_KINDS = new Set(['EntityDescriptor', 'EntitiesDescriptor']);

function isMetadataElement(element: Element): boolean {
  return element.namespaceURI === NS.md && SIGNED_KINDS.has(element.localName);
}

function nameOf(element: Element): string | undefined {
  return element.getAttribute(element.localName === 'EntityDescriptor' ? 'entityID' : 'Name') ?? undefined;
}

/** The elements whose signatures are judged: the root, and each signed EntityDescriptor of an aggregate. */
function signedElements(root: Element): Element[] {
  const found: Element[] = [root];
  const pending: Element[] = root.localName === 'EntitiesDescriptor' ? [root] : [];
  for (let group = pending.pop(); group; group = pending.pop()) {
    for (const entity of childElements(group, NS.md, 'EntityDescriptor'))
      if (firstChild(entity, NS.ds, 'Signature')) found.push(entity);
    pending.push(...childElements(group, NS.md, 'EntitiesDescriptor'));
  }
  return found;
}

function brokenReason(finding: Finding): BrokenReason {
  switch (finding.code) {
    case 'signature.wrapping':
    case 'signature.references':
      return 'wrong-reference';
    case 'signature.canonicalization':
    case 'signature.transforms':
      return /WithComments/i.test(finding.found ?? '') ? 'with-comments' : 'structure';
    case 'signature.unsupported-algorithm':
      return 'unsupported-algorithm';
    case 'signature.algorithm':
    case 'signature.digest-algorithm':
      return 'rejected-algorithm';
    default:
      return 'structure';
  }
}

function describe(element: Element): string {
  const name = nameOf(element);
  return name ? `${element.localName} ${name}` : `the ${element.localName}`;
}

/** The state of one signature, from the validator's check and the findings it made. */
function judge(
  element: Element,
  signature: Element,
  check: SignatureCheck,
  findings: FindingList,
  pinned: number,
): MetadataSignatureStatus {
  const failures = findings.items.filter((f) => f.status === 'fail' && f.code !== 'signature.untrusted-certificate');
  const warnings = findings.items.filter((f) => f.status === 'warn' && f.code !== 'signature.keyinfo-mismatch');
  const base = {
    element: element.localName as MetadataSignatureStatus['element'],
    name: nameOf(element),
    warnings: warnings.map((f) => f.message),
  };
  const what = describe(element);
  const structural = failures.filter((f) => f.code !== 'signature.invalid');
  if (structural.length > 0) {
    const reasons = structural.map((f) => ({ reason: brokenReason(f), message: f.message }));
    return {
      ...base,
      state: 'broken',
      reasons,
      message: `The signature on ${what} is broken: ${[...new Set(reasons.map((r) => REASON_LABEL[r.reason]))].join(', ')}.`,
    };
  }
  if (check.digest && !check.digest.matches) {
    return {
      ...base,
      state: 'broken',
      reasons: [
        {
          reason: 'digest-mismatch',
          message: `The content no longer matches what was signed${check.digest.error ? ` (${check.digest.error})` : ''}: it was changed after signing.`,
        },
      ],
      message: `The signature on ${what} is broken: the content no longer matches what was signed.`,
    };
  }
  const report = check.report;
  if (check.verified) {
    return {
      ...base,
      state: 'trusted',
      reasons: [],
      certificate: report.certificate && {
        subject: report.certificate.subject,
        sha256: report.certificate.sha256,
        source: report.certificate.source,
      },
      message: `${capitalise(what)} is signed by a certificate you pinned (${report.certificate?.source ?? 'samlLens.metadata.trustedSigners'}): its content is what that signer published.`,
    };
  }
  const carried = childPath(signature, NS.ds, 'KeyInfo', 'X509Data', 'X509Certificate');
  const carriedCertificate =
    carried && readCertificate((carried.textContent ?? '').replace(/\s+/g, ''), 'its own KeyInfo');
  // With pinned signers the validator reports a carried certificate that verifies as untrusted.
  const carriedVerifies =
    report.signatureValid || findings.items.some((f) => f.code === 'signature.untrusted-certificate');
  if (carriedCertificate && carriedVerifies) {
    const notPinned =
      pinned > 0
        ? ` It was not signed by ${pinned === 1 ? 'the certificate' : `any of the ${pinned} certificates`} pinned for it in samlLens.metadata.trustedSigners.`
        : ' Pin the publisher’s signing certificate in samlLens.metadata.trustedSigners to check where it comes from.';
    return {
      ...base,
      state: 'integrity-only',
      reasons: [],
      certificate: {
        subject: carriedCertificate.summary.subject,
        sha256: carriedCertificate.summary.sha256,
        source: 'the certificate in its own KeyInfo',
      },
      message: `${capitalise(what)} is intact, checked with the certificate it carries itself (${carriedCertificate.summary.subject}). That proves it was not altered after signing, not who signed it: anyone can sign with their own certificate.${notPinned}`,
    };
  }
  if (carriedCertificate || pinned > 0) {
    const key =
      pinned > 0 ? (pinned === 1 ? 'the pinned certificate' : `any of the ${pinned} pinned certificates`) : '';
    const by = [key, carriedCertificate ? 'the certificate it carries' : ''].filter(Boolean).join(' or ');
    return {
      ...base,
      state: 'broken',
      reasons: [
        {
          reason: 'signature-value',
          message: `The digest matches, but the SignatureValue does not verify with ${by}.`,
        },
      ],
      message: `The signature on ${what} is broken: the SignatureValue does not verify with ${by}.`,
    };
  }
  return {
    ...base,
    state: 'no-key',
    reasons: [],
    message: `${capitalise(what)} is signed, but there is no key to check the signature: it carries no certificate and none is pinned for it. The digest matches the content. Add the publisher's signing certificate to samlLens.metadata.trustedSigners.`,
  };
}

const REASON_LABEL: Record<BrokenReason, string> = {
  'digest-mismatch': 'digest mismatch',
  'signature-value': 'the signature value does not verify',
  'wrong-reference': 'wrong reference',
  'with-comments': '#WithComments',
  'unsupported-algorithm': 'unsupported algorithm',
  'rejected-algorithm': 'rejected algorithm',
  structure: 'not a plain enveloped signature',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unsigned(element: Element): MetadataSignatureStatus {
  return {
    state: 'unsigned',
    element: element.localName as MetadataSignatureStatus['element'],
    name: nameOf(element),
    reasons: [],
    warnings: [],
    message: `${capitalise(describe(element))} is not signed: nothing shows it is authentic or unaltered.`,
  };
}

/** Checks every metadata signature of `xml` (see the module comment). */
export function checkMetadataSignatures(xml: string, options: MetadataSignatureOptions = {}): MetadataSignatureResult {
  const loaded = parseXmlDom(xml, { maxLength: SIGNED_METADATA_MAX_LENGTH });
  if (!loaded.ok) return { ok: false, message: `The metadata cannot be read as XML: ${loaded.error.message}.` };
  const root = loaded.document.documentElement;
  if (!root || !isMetadataElement(root))
    return {
      ok: false,
      message: `The root element is <${root?.nodeName ?? '?'}>, not a SAML metadata EntityDescriptor or EntitiesDescriptor (${NS.md}).`,
    };
  const elements = signedElements(root);
  const signable = new Set(elements);
  const now = options.now ?? new Date();
  const statuses = elements.map((element) => {
    const signature = firstChild(element, NS.ds, 'Signature');
    if (!signature) return unsigned(element);
    const name = nameOf(element);
    const signers = (options.signers ?? []).filter((s) => s.entityId === undefined || s.entityId === name);
    const findings = new FindingList();
    const trusted = prepareTrustedCertificates(
      signers.map((s) => ({ ...s, entityId: undefined })),
      new FindingList(),
    );
    const check = checkSignature(signature, signable, trusted, { now, trustedCertificates: signers.slice() }, findings);
    return judge(element, signature, check, findings, trusted.length);
  });
  return { ok: true, report: { root: statuses[0], entities: statuses.slice(1) } };
}
