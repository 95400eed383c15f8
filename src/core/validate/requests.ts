// AuthnRequest, LogoutRequest and LogoutResponse: structure, issuer, times, enveloped signatures,
// and HTTP-Redirect signatures over the original query string.
import * as crypto from 'crypto';
import { NS } from '../xml/namespaces';
import { SIGNATURE_ALGORITHMS, STATUS_SUCCESS } from '../messages/xmldsig';
import type { DecodeSuccess, SamlMessageType } from '../messages/decode';
import { prepareTrustedCertificates, type PreparedCertificate } from './certificates';
import { FindingList } from './findings';
import { checkIssuerFormat } from './issuer';
import { checkSignatures } from './signatures';
import type { TimelineEntry, ValidationContext, ValidationReport } from './types';
import { attribute, firstChild, fullText } from './xmlUtil';
import { checkDestination, checkTimes, checkUniqueIds, checkVersionAndId, decideVerdict, emptyReport } from './checks';

export function validateProtocolMessage(
  doc: Document,
  messageType: SamlMessageType,
  ctx: ValidationContext,
  redirect?: DecodeSuccess,
): ValidationReport {
  const report = emptyReport(messageType);
  const findings = new FindingList();
  const root = doc.documentElement;
  checkVersionAndId(root, messageType, findings);
  checkUniqueIds(doc, findings);
  const issuer = firstChild(root, NS.saml, 'Issuer');
  report.issuer.response = issuer ? fullText(issuer).trim() : undefined;
  const expectedIssuer = ctx.idpEntityId ?? ctx.trustedCertificates.find((c) => c.entityId)?.entityId;
  if (expectedIssuer && report.issuer.response !== undefined && report.issuer.response !== expectedIssuer) {
    findings.fail('issuer.mismatch', {
      message: `The ${messageType} Issuer is ${report.issuer.response}, not ${expectedIssuer}.`,
      found: report.issuer.response,
      expected: expectedIssuer,
      fix: 'Check that the message comes from the expected entity and that its entityID is configured correctly.',
    });
  }
  // Web SSO profile §4.1.4.1 and Single Logout profile §4.4.4: the Issuer is an entity.
  checkIssuerFormat(messageType, root, findings);
  report.conditions.destination = attribute(root, 'Destination');
  // An empty Destination on a logout message means "not stated"; only a stated one is compared.
  if (report.conditions.destination)
    checkDestination(report.conditions.destination, ctx, findings, messageType, 'the URL it was received at');
  report.conditions.inResponseTo = attribute(root, 'InResponseTo');

  if (messageType === 'LogoutResponse') {
    const statusCode = firstChild(firstChild(root, NS.samlp, 'Status') ?? root, NS.samlp, 'StatusCode');
    report.status = {
      code: attribute(statusCode, 'Value'),
      subCode: attribute(statusCode && firstChild(statusCode, NS.samlp, 'StatusCode'), 'Value'),
      message: undefined,
    };
    if (report.status.code !== STATUS_SUCCESS) {
      findings.fail('status.code', {
        message: `The logout failed: ${report.status.code ?? '(no StatusCode)'}.`,
        found: report.status.code,
        expected: STATUS_SUCCESS,
        fix: 'Check the logs of the party that answered.',
      });
    }
    if (
      ctx.requestId &&
      report.conditions.inResponseTo !== undefined &&
      report.conditions.inResponseTo !== ctx.requestId
    ) {
      findings.fail('in-response-to.mismatch', {
        message: `InResponseTo is ${report.conditions.inResponseTo}, not the ID of the LogoutRequest sent (${ctx.requestId}).`,
        found: report.conditions.inResponseTo,
        expected: ctx.requestId,
        fix: 'Start a new logout and capture its response.',
      });
    }
  }
  if (messageType === 'LogoutRequest') {
    const nameId = firstChild(root, NS.saml, 'NameID');
    if (nameId) {
      report.subject.nameId = {
        value: fullText(nameId),
        format: attribute(nameId, 'Format'),
        spNameQualifier: attribute(nameId, 'SPNameQualifier'),
        verified: false,
        containsComment: false,
      };
    } else if (!firstChild(root, NS.saml, 'EncryptedID')) {
      findings.fail('subject.missing-nameid', {
        message: 'The LogoutRequest names no user (no NameID or EncryptedID).',
        fix: 'A LogoutRequest must identify the session user.',
      });
    }
  }

  const timeline: TimelineEntry[] = report.timeline;
  checkTimes(
    [
      {
        label: `${messageType} IssueInstant`,
        value: attribute(root, 'IssueInstant'),
        rule: 'not-after-now',
        code: 'time.issued-in-future',
        required: 'structure.issue-instant',
        fix: 'Synchronise the clocks (NTP).',
      },
      ...(messageType === 'LogoutRequest'
        ? [
            {
              label: 'LogoutRequest NotOnOrAfter',
              value: attribute(root, 'NotOnOrAfter'),
              rule: 'still-ahead' as const,
              code: 'time.expired' as const,
              fix: 'Use a fresh logout request.',
              skewSeconds: 0,
            },
          ]
        : []),
    ],
    ctx,
    findings,
    timeline,
  );

  const trusted = prepareTrustedCertificates(ctx.trustedCertificates, findings);
  const checks = checkSignatures(doc, new Set([root]), trusted, ctx, findings);
  report.signatures = checks.map((c) => c.report);
  let essentialUnchecked = false;
  if (redirect?.binding === 'redirect' && redirect.signature !== undefined) {
    essentialUnchecked = !checkRedirectSignature(redirect, trusted, ctx, findings);
  } else if (checks.length > 0 && trusted.length === 0) {
    essentialUnchecked = true;
    findings.notChecked('signature.no-trusted-certificate', {
      message: `The ${messageType} is signed, but no trusted certificate is configured, so the signature was not verified.`,
      fix: 'Provide the sender certificate (from its metadata).',
    });
  } else if (checks.length === 0 && !(redirect?.binding === 'redirect' && redirect.signature !== undefined)) {
    const unsigned = `The ${messageType} is not signed${redirect?.binding === 'redirect' ? ' (no Signature query parameter)' : ''}`;
    if (messageType === 'AuthnRequest' && ctx.requireSignedRequest) {
      findings.fail('signature.missing', {
        message: `${unsigned}, but ${ctx.requireSignedRequest}.`,
        expected: 'a signed AuthnRequest',
        fix: "Sign AuthnRequests with the SP's signing key (in the Redirect binding: the Signature and SigAlg parameters).",
      });
    } else {
      // Requests are often legitimately unsigned; say so without failing.
      essentialUnchecked = messageType !== 'AuthnRequest';
      findings.add('signature.missing', messageType === 'AuthnRequest' ? 'info' : 'not-checked', {
        message: `${unsigned}.`,
        fix:
          messageType === 'AuthnRequest'
            ? 'Sign AuthnRequests if the IdP requires it.'
            : 'Logout messages should be signed so that a third party cannot end sessions.',
      });
    }
  }
  report.findings = findings.items;
  report.verdict = decideVerdict(findings, essentialUnchecked);
  return report;
}

/** Node hash names of the SigAlg URIs the binding-level signatures (Redirect, POST-SimpleSign) may use. */
export const NODE_HASH_BY_SIGALG: Record<string, string> = {
  [SIGNATURE_ALGORITHMS['rsa-sha1']]: 'sha1',
  [SIGNATURE_ALGORITHMS['rsa-sha256']]: 'sha256',
  [SIGNATURE_ALGORITHMS['rsa-sha512']]: 'sha512',
  [SIGNATURE_ALGORITHMS['rsa-sha384']]: 'sha384',
  [SIGNATURE_ALGORITHMS['ecdsa-sha256']]: 'sha256',
  [SIGNATURE_ALGORITHMS['ecdsa-sha384']]: 'sha384',
  [SIGNATURE_ALGORITHMS['ecdsa-sha512']]: 'sha512',
};

/**
 * SAML Bindings §3.4.4.1: the signature covers `SAMLRequest=…&RelayState=…&SigAlg=…` (or SAMLResponse)
 * built from the parameters exactly as received, still URL-encoded. Returns true when it could be checked.
 */
export function checkRedirectSignature(
  decoded: DecodeSuccess,
  trusted: PreparedCertificate[],
  ctx: ValidationContext,
  findings: FindingList,
): boolean {
  const raw = (name: string) => decoded.rawParameters.find((p) => p.name === name);
  const message = raw('SAMLRequest') ?? raw('SAMLResponse');
  const sigAlg = raw('SigAlg');
  if (!message || !sigAlg || decoded.signature === undefined) {
    findings.fail('signature.redirect', {
      message: 'The Redirect-binding signature is incomplete: SigAlg or Signature is missing.',
      fix: 'Send both SigAlg and Signature, or neither.',
    });
    return true;
  }
  const algorithm = decoded.sigAlg ?? '';
  const hash = NODE_HASH_BY_SIGALG[algorithm];
  if (!hash) {
    findings.fail('signature.algorithm', {
      message: `The Redirect-binding SigAlg ${algorithm} is not supported or not allowed.`,
      found: algorithm,
      expected: SIGNATURE_ALGORITHMS['rsa-sha256'],
      fix: 'Sign with RSA-SHA256.',
    });
    return true;
  }
  if (hash === 'sha1') {
    const details = {
      message: 'The Redirect-binding signature uses RSA-SHA1, which is deprecated.',
      found: algorithm,
      expected: SIGNATURE_ALGORITHMS['rsa-sha256'],
      fix: 'Sign with RSA-SHA256.',
    };
    if (ctx.strictSha1) findings.fail('signature.algorithm', details);
    else findings.warn('signature.algorithm', details);
  }
  // A fingerprint names a certificate the message must carry; the Redirect binding carries none.
  const keys = trusted.filter((certificate) => certificate.publicKey);
  if (keys.length === 0) {
    findings.notChecked('signature.no-trusted-certificate', {
      message:
        trusted.length === 0
          ? 'The Redirect-binding message is signed, but no trusted certificate is configured.'
          : 'The Redirect-binding message is signed, but only certificate fingerprints are trusted, and this binding carries no certificate to compare them with.',
      fix: "Provide the sender's certificate or public key (from its metadata).",
    });
    return false;
  }
  const relayState = raw('RelayState');
  const signedText = `${message.name}=${message.value}${relayState ? `&RelayState=${relayState.value}` : ''}&SigAlg=${sigAlg.value}`;
  const signature = Buffer.from(decoded.signature.replace(/ /g, '+'), 'base64');
  const isEcdsa = /ecdsa/.test(algorithm);
  const verifiedBy = keys.find((certificate) => {
    try {
      return crypto.verify(
        hash,
        Buffer.from(signedText, 'utf8'),
        { key: certificate.publicKey!, ...(isEcdsa ? { dsaEncoding: 'ieee-p1363' as const } : {}) },
        signature,
      );
    } catch {
      return false;
    }
  });
  if (verifiedBy) {
    findings.pass('signature.redirect', {
      message: `The Redirect-binding signature is valid (trusted certificate from ${verifiedBy.summary.source}, SHA-1 ${verifiedBy.summary.sha1}).`,
    });
  } else {
    findings.fail('signature.redirect', {
      message:
        'The Redirect-binding signature does not verify with the trusted certificate(s). The query string may have been re-encoded or altered, or signed with another key.',
      fix: 'Paste the URL exactly as the browser sent it (the signature covers the original encoding).',
    });
  }
  return true;
}
