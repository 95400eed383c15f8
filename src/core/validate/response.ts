// validateResponseDocument: every reason a service provider would reject a SAML Response, as findings,
// with what is displayed as verified parsed only from the bytes a trusted signature covers.
import { DOMParser } from '@xmldom/xmldom';
import { NS } from '../xml/namespaces';
import { STATUS_SUCCESS } from '../messages/xmldsig';
import { compareAttributes } from './attributes';
import { prepareTrustedCertificates, type PreparedCertificate } from './certificates';
import { decryptElement, describeEncryption } from './encryption';
import { FindingList } from './findings';
import { checkAudience, audiencesOf } from './audience';
import { checkInResponseTo } from './inResponseTo';
import { checkIssuer, checkIssuerFormat, checkIssuersAgree, issuerOf } from './issuer';
import { checkSignatures, type SignatureCheck } from './signatures';
import { checkBearerConfirmations } from './subjectConfirmation';
import type { AttributeReport, NameIdReport, ValidationContext, ValidationReport } from './types';
import { attribute, childElements, containsComment, descendants, firstChild, fullText, hasAncestor } from './xmlUtil';
import {
  checkDestination,
  checkTimes,
  checkUniqueIds,
  checkVersionAndId,
  decideVerdict,
  emptyReport,
  type TimeCheck,
} from './checks';

/** Parses canonical signed bytes (xml-crypto output: no DOCTYPE, one element) into a DOM. */
function parseSignedBytes(canonicalXml: string): Element | undefined {
  return new DOMParser().parseFromString(canonicalXml, 'text/xml').documentElement ?? undefined;
}

interface AssertionView {
  element: Element;
  verified: boolean;
}

function readNameId(
  view: AssertionView,
  original: Element,
  ctx: ValidationContext,
  findings: FindingList,
): NameIdReport | undefined {
  const subject = firstChild(view.element, NS.saml, 'Subject');
  let nameId = subject && firstChild(subject, NS.saml, 'NameID');
  const originalSubject = firstChild(original, NS.saml, 'Subject');
  const originalNameId = originalSubject && firstChild(originalSubject, NS.saml, 'NameID');
  const encryptedId = subject && firstChild(subject, NS.saml, 'EncryptedID');
  if (!nameId && encryptedId) {
    if (!ctx.decryptionKeyPem) {
      findings.notChecked('subject.nameid', {
        message:
          'The NameID is encrypted (EncryptedID) and no decryption key was given, so the user identifier cannot be shown.',
        fix: "Provide the SP's private key to decrypt it.",
      });
      return undefined;
    }
    const decrypted = decryptElement(encryptedId, ctx.decryptionKeyPem, findings, 'EncryptedID')?.element;
    nameId =
      decrypted && decrypted.localName === 'NameID' && decrypted.namespaceURI === NS.saml ? decrypted : undefined;
    if (!nameId) return undefined;
  }
  if (!nameId) {
    findings.fail('subject.missing-nameid', {
      message: 'The assertion has no NameID in its Subject, so the service provider cannot tell who logged in.',
      fix: 'Configure the IdP to send a NameID (in Entra ID: Attributes & Claims → Unique User Identifier).',
    });
    return undefined;
  }
  const report: NameIdReport = {
    value: fullText(nameId),
    format: attribute(nameId, 'Format'),
    spNameQualifier: attribute(nameId, 'SPNameQualifier'),
    verified: view.verified,
    // Canonical signed bytes have comments stripped, so look for them in the original document.
    containsComment: containsComment(originalNameId ?? nameId),
  };
  if (report.value.trim() === '') {
    findings.fail('subject.empty-nameid', {
      message: 'The NameID is empty.',
      fix: 'Map the Unique User Identifier to a populated user field at the IdP.',
    });
  } else {
    findings.info('subject.nameid', {
      message: `NameID ${report.value}${report.format ? ` (format ${report.format})` : ''}${report.verified ? ', from signed content' : ', NOT covered by a trusted signature'}.`,
      found: report.value,
    });
  }
  if (report.containsComment) {
    findings.warn('subject.nameid-comment', {
      message: `The NameID contains an XML comment. Its full text is "${report.value}"; a parser that reads only the first text node would see a shorter value.`,
      found: report.value,
      fix: 'Reject messages like this in your SP if it reads only the first text node; a genuine IdP does not put comments in NameID.',
    });
  }
  if (ctx.sp?.entityId && report.spNameQualifier && report.spNameQualifier !== ctx.sp.entityId) {
    findings.warn('subject.nameid', {
      message: `The NameID's SPNameQualifier is ${report.spNameQualifier}, not the SP entityID ${ctx.sp.entityId}.`,
      found: report.spNameQualifier,
      expected: ctx.sp.entityId,
      fix: 'Check that the IdP issued this NameID for this service provider.',
    });
  }
  return report;
}

function readAttributes(view: AssertionView, findings: FindingList): AttributeReport[] {
  const attributes: AttributeReport[] = [];
  for (const statement of childElements(view.element, NS.saml, 'AttributeStatement')) {
    for (const element of childElements(statement, NS.saml, 'Attribute')) {
      attributes.push({
        name: attribute(element, 'Name') ?? '',
        friendlyName: attribute(element, 'FriendlyName'),
        nameFormat: attribute(element, 'NameFormat'),
        values: childElements(element, NS.saml, 'AttributeValue').map(fullText),
        verified: view.verified,
      });
    }
    const encrypted = childElements(statement, NS.saml, 'EncryptedAttribute');
    if (encrypted.length > 0) {
      findings.warn('attributes.encrypted', {
        message: `${encrypted.length} attribute(s) are encrypted individually (EncryptedAttribute) and are not shown.`,
        fix: 'Encrypt the whole assertion instead; most service providers do not read EncryptedAttribute.',
      });
    }
  }
  return attributes;
}

function expectedIssuers(ctx: ValidationContext, trusted: PreparedCertificate[], checks: SignatureCheck[]): string[] {
  if (ctx.idpEntityId) return [ctx.idpEntityId];
  const verifying = checks
    .filter((c) => c.verified)
    .map((c) => trusted.find((t) => t.summary.sha1 === c.report.certificate?.sha1)?.entityId);
  const fromVerifying = verifying.filter((id): id is string => !!id);
  if (fromVerifying.length) return [...new Set(fromVerifying)];
  return [...new Set(trusted.map((t) => t.entityId).filter((id): id is string => !!id))];
}

/** Validates a document whose root should be a samlp:Response (anything else is reported as such). */
export function validateResponseDocument(doc: Document, ctx: ValidationContext): ValidationReport {
  const root = doc.documentElement;
  const report = emptyReport('Response');
  const findings = new FindingList();
  if (root.namespaceURI !== NS.samlp || root.localName !== 'Response') {
    report.messageType = 'unknown';
    findings.fail('structure.root', {
      message: `The root element is {${root.namespaceURI ?? ''}}${root.localName}, not a SAML 2.0 protocol Response.`,
      expected: `{${NS.samlp}}Response`,
      fix: 'Paste the SAMLResponse (the whole samlp:Response), not only an assertion or metadata.',
    });
    report.findings = findings.items;
    return report;
  }

  let essentialUnchecked = false;
  checkVersionAndId(root, 'Response', findings);
  checkUniqueIds(doc, findings);

  // Status
  const statusCode = firstChild(firstChild(root, NS.samlp, 'Status') ?? root, NS.samlp, 'StatusCode');
  const status = firstChild(root, NS.samlp, 'Status');
  report.status = {
    code: attribute(statusCode, 'Value'),
    subCode: attribute(statusCode && firstChild(statusCode, NS.samlp, 'StatusCode'), 'Value'),
    message:
      status && firstChild(status, NS.samlp, 'StatusMessage')
        ? fullText(firstChild(status, NS.samlp, 'StatusMessage')!)
        : undefined,
  };
  const succeeded = report.status.code === STATUS_SUCCESS;
  if (!succeeded) {
    findings.fail('status.code', {
      message: `The IdP reports failure: ${report.status.code ?? '(no StatusCode)'}${report.status.subCode ? ` / ${report.status.subCode}` : ''}${report.status.message ? `: "${report.status.message}"` : ''}.`,
      found: [report.status.code, report.status.subCode].filter(Boolean).join(' / '),
      expected: STATUS_SUCCESS,
      fix:
        report.status.subCode?.endsWith(':RequestDenied') || report.status.subCode?.endsWith(':AuthnFailed')
          ? 'The user could not be authenticated or is not assigned to the application at the IdP (in Entra ID: Enterprise applications → Users and groups).'
          : 'Read the StatusMessage and the IdP sign-in logs for the reason.',
    });
  }

  // Assertions: exactly one, as a direct child (Advice may legitimately nest signed assertions).
  const plainAssertions = childElements(root, NS.saml, 'Assertion');
  const encryptedAssertions = childElements(root, NS.saml, 'EncryptedAssertion');
  const strayAssertions = descendants(doc, NS.saml, 'Assertion').filter(
    (a) => a.parentNode !== root && !hasAncestor(a, NS.saml, 'Advice'),
  );
  const assertionCount = plainAssertions.length + encryptedAssertions.length;
  if (assertionCount > 1 || strayAssertions.length > 0 || (assertionCount === 0 && succeeded)) {
    findings.fail('structure.assertion-count', {
      message:
        assertionCount === 0 && strayAssertions.length === 0
          ? 'The Response carries no Assertion.'
          : `The Response carries ${assertionCount} assertion(s) as children${strayAssertions.length ? ` and ${strayAssertions.length} more elsewhere (inside ${strayAssertions.map((a) => (a.parentNode as Element).nodeName).join(', ')})` : ''}; exactly one is allowed. Extra assertions are how signature-wrapping attacks smuggle content in.`,
      found: String(assertionCount + strayAssertions.length),
      expected: '1',
      fix: 'Reject this message.',
    });
  }
  if (!succeeded && assertionCount > 0) {
    findings.fail('structure.assertion-with-failed-status', {
      message: 'The Response status is not Success, yet it carries an assertion.',
      fix: 'Reject this message; a failed response must not log anyone in.',
    });
  }

  if (succeeded)
    findings.pass('status.success', { message: `The status is ${STATUS_SUCCESS}.`, found: STATUS_SUCCESS });
  if (!findings.items.some((f) => f.status === 'fail' && f.code.startsWith('structure.'))) {
    findings.pass('structure.valid', {
      message: `A SAML 2.0 Response with unique IDs and ${encryptedAssertions.length ? 'one EncryptedAssertion' : 'one Assertion'}.`,
    });
  }

  const trusted = prepareTrustedCertificates(ctx.trustedCertificates, findings);

  // The assertion to process: the single child Assertion, or the decrypted EncryptedAssertion.
  let assertion: Element | undefined =
    plainAssertions.length === 1 && encryptedAssertions.length === 0 ? plainAssertions[0] : undefined;
  let assertionDoc: Document = doc;
  if (encryptedAssertions.length === 1 && plainAssertions.length === 0) {
    report.encrypted = true;
    describeEncryption(encryptedAssertions[0], findings);
    if (!ctx.decryptionKeyPem) {
      essentialUnchecked = true;
      findings.notChecked('encryption.no-key', {
        message:
          'The assertion is encrypted and no decryption key was given, so its signature, subject, conditions and attributes cannot be checked.',
        fix: "Provide the SP's private key (the one matching the encryption certificate in the SP metadata), or disable assertion encryption at the IdP while testing.",
      });
    } else {
      const decryption = decryptElement(encryptedAssertions[0], ctx.decryptionKeyPem, findings, 'EncryptedAssertion');
      const decrypted = decryption?.element;
      if (decryption && decrypted && decrypted.localName === 'Assertion' && decrypted.namespaceURI === NS.saml) {
        assertion = decrypted;
        assertionDoc = decrypted.ownerDocument;
        report.decryptedAssertionXml = decrypted.toString();
        checkUniqueIds(assertionDoc, findings);
      } else if (decrypted) {
        findings.fail('structure.assertion-count', {
          message: `The EncryptedAssertion decrypts to <${decrypted.nodeName}>, not a saml:Assertion.`,
          fix: 'Reject this message.',
        });
      }
    }
  }

  // Signatures: in the message, and in the decrypted assertion (a separate document).
  const signable = new Set<Element>([root]);
  if (assertion) signable.add(assertion);
  const checks = checkSignatures(doc, signable, trusted, ctx, findings);
  if (assertionDoc !== doc) checks.push(...checkSignatures(assertionDoc, signable, trusted, ctx, findings));
  report.signatures = checks.map((c) => c.report);

  const responseSignature = checks.find((c) => c.parent === root && c.verified);
  const assertionSignature = assertion ? checks.find((c) => c.parent === assertion && c.verified) : undefined;
  if (checks.length === 0) {
    if (ctx.allowUnsigned) {
      essentialUnchecked = true;
      findings.notChecked('signature.missing', {
        message: 'Neither the Response nor the Assertion is signed; nothing in it is authenticated.',
        fix: 'Enable signing at the IdP.',
      });
    } else if (!(report.encrypted && !assertion)) {
      findings.fail('signature.missing', {
        message: 'Neither the Response nor the Assertion is signed, so anybody could have written it.',
        fix: 'Enable signing at the IdP (in Entra ID: SAML Certificates → Signing Option "Sign SAML response and assertion").',
      });
    }
  } else if (trusted.length === 0) {
    essentialUnchecked = true;
    const embedded = report.signatures.find((s) => s.certificate)?.certificate;
    findings.notChecked('signature.no-trusted-certificate', {
      message: `The message is signed${embedded ? ` (KeyInfo carries SHA-1 ${embedded.sha1}, ${embedded.subject})` : ''}, but no trusted IdP certificate is configured, so the signature was not verified.`,
      fix: 'Open the IdP metadata in the workspace, configure the IdP certificate file in the settings, or pick a certificate in the panel.',
    });
  }
  if (ctx.requireSignedAssertion && assertion && !assertionSignature && trusted.length > 0) {
    findings.fail('signature.assertion-unsigned', {
      message:
        'The service provider requires a signed Assertion, but the Assertion carries no valid signature of its own.',
      fix: 'At the IdP, sign the assertion (in Entra ID: Signing Option "Sign SAML assertion" or "Sign SAML response and assertion").',
    });
  }

  // The view of the assertion that is displayed: from signed bytes when a trusted signature covers it.
  const signedRoot = responseSignature?.signedXml ? parseSignedBytes(responseSignature.signedXml) : undefined;
  let view: AssertionView | undefined;
  if (assertion) {
    if (assertionSignature?.signedXml) {
      const signedAssertion = parseSignedBytes(assertionSignature.signedXml);
      if (signedAssertion) view = { element: signedAssertion, verified: true };
    } else if (signedRoot) {
      if (report.encrypted) {
        // The Response signature covers the ciphertext, so the decrypted content is authenticated too.
        view = { element: assertion, verified: true };
      } else {
        const signedAssertion = firstChild(signedRoot, NS.saml, 'Assertion');
        if (signedAssertion) view = { element: signedAssertion, verified: true };
      }
    }
    view ??= { element: assertion, verified: false };
  }
  const responseView = signedRoot ?? root;

  // Issuers
  const expected = expectedIssuers(ctx, trusted, checks);
  report.issuer.response = issuerOf(responseView);
  report.issuer.assertion = view && issuerOf(view.element);
  report.issuer.verified = !!view?.verified;
  checkIssuer('Response', report.issuer.response, expected, findings, false);
  checkIssuerFormat('Response', responseView, findings);
  if (view) {
    checkIssuer('Assertion', report.issuer.assertion, expected, findings, true);
    checkIssuerFormat('Assertion', view.element, findings);
    checkIssuersAgree(report.issuer.response, report.issuer.assertion, findings);
  }

  // Destination, InResponseTo (Response level)
  const conditions = report.conditions;
  conditions.destination = attribute(responseView, 'Destination');
  conditions.inResponseTo = attribute(responseView, 'InResponseTo');
  checkDestination(
    conditions.destination,
    ctx,
    findings,
    'Response',
    'an Assertion Consumer Service URL of this service provider',
  );
  if (conditions.destination === undefined && responseSignature) {
    findings.fail('destination.missing', {
      message:
        'The Response is signed but has no Destination: the HTTP-POST binding requires a signed message to name the URL it was sent to, so that it cannot be replayed to another endpoint.',
      expected: 'Destination="<the ACS URL>"',
      fix: 'Configure the IdP to include Destination (its Reply URL) in signed responses.',
    });
  }

  const timeline = report.timeline;
  const timeChecks: TimeCheck[] = [
    {
      label: 'Response IssueInstant',
      value: attribute(responseView, 'IssueInstant'),
      rule: 'not-after-now',
      code: 'time.issued-in-future',
      required: 'structure.issue-instant',
      fix: "Synchronise the IdP's or this machine's clock (NTP).",
    },
  ];

  if (view) {
    checkVersionAndId(view.element, 'Assertion', findings);
    const bearer = checkBearerConfirmations(
      {
        subject: firstChild(view.element, NS.saml, 'Subject'),
        ctx,
        recipients: [...(ctx.receivedAt ? [ctx.receivedAt] : []), ...(ctx.sp?.acsUrls ?? [])],
        responseInResponseTo: conditions.inResponseTo,
      },
      findings,
    );
    conditions.subjectConfirmationNotOnOrAfter = attribute(bearer.shown, 'NotOnOrAfter');
    conditions.recipient = attribute(bearer.shown, 'Recipient');
    const confirmationInResponseTo = attribute(bearer.shown, 'InResponseTo');
    conditions.inResponseTo ??= confirmationInResponseTo;

    const conditionsElement = firstChild(view.element, NS.saml, 'Conditions');
    conditions.notBefore = attribute(conditionsElement, 'NotBefore');
    conditions.notOnOrAfter = attribute(conditionsElement, 'NotOnOrAfter');
    conditions.audiences = audiencesOf(conditionsElement);
    conditions.verified = view.verified;
    checkAudience(conditionsElement, ctx.sp?.entityId, findings);

    const authnStatement = firstChild(view.element, NS.saml, 'AuthnStatement');
    if (!authnStatement) {
      findings.fail('structure.missing-authn-statement', {
        message: 'The assertion has no AuthnStatement, so it does not say that (or how) the user signed in.',
        fix: 'A login response from the IdP must carry an AuthnStatement; check that this is an SSO response and not an attribute query answer.',
      });
    }
    conditions.sessionNotOnOrAfter = attribute(authnStatement, 'SessionNotOnOrAfter');
    timeChecks.push(
      {
        label: 'Assertion IssueInstant',
        value: attribute(view.element, 'IssueInstant'),
        rule: 'not-after-now',
        code: 'time.issued-in-future',
        required: 'structure.issue-instant',
        fix: "Synchronise the IdP's or this machine's clock (NTP).",
      },
      {
        label: 'Conditions NotBefore',
        value: conditions.notBefore,
        rule: 'not-after-now',
        code: 'time.not-yet-valid',
        fix: 'The clocks of the IdP and this machine differ; synchronise them (NTP) or increase the allowed skew.',
      },
      {
        label: 'Conditions NotOnOrAfter',
        value: conditions.notOnOrAfter,
        rule: 'still-ahead',
        code: 'time.expired',
        fix: 'Use a fresh response: assertions are short-lived by design. If it was fresh, check the clocks.',
      },
      {
        label: 'SubjectConfirmationData NotOnOrAfter',
        value: conditions.subjectConfirmationNotOnOrAfter,
        rule: 'still-ahead',
        code: 'time.subject-confirmation-expired',
        fix: 'Use a fresh response; the bearer confirmation is valid only for a few minutes.',
        timelineOnly: true, // judged, for every bearer confirmation, by checkBearerConfirmations
      },
      {
        label: 'AuthnStatement SessionNotOnOrAfter',
        value: conditions.sessionNotOnOrAfter,
        rule: 'still-ahead',
        code: 'time.session-expired',
        fix: 'Sign in again at the IdP; the session lifetime it granted has passed.',
      },
    );

    // InResponseTo: compared only when the request ID is known (unsolicited responses have none), and
    // verified only where a trusted signature covers it.
    const unchecked = checkInResponseTo(
      {
        response: { value: attribute(responseView, 'InResponseTo'), signed: !!signedRoot, where: 'Response' },
        confirmation: bearer.chosen && {
          value: attribute(bearer.chosen, 'InResponseTo'),
          signed: view.verified,
          where: 'assertion (SubjectConfirmationData)',
        },
        anyConfirmationValue: bearer.anyInResponseTo,
      },
      ctx,
      findings,
    );
    essentialUnchecked ||= unchecked;

    report.subject.nameId = readNameId(view, assertion!, ctx, findings);
    report.attributes = readAttributes(view, findings);
    compareAttributes(report.attributes, ctx.sp?.expectedAttributes, findings);
  }
  checkTimes(timeChecks, ctx, findings, timeline);

  report.findings = findings.items;
  report.verdict = decideVerdict(
    findings,
    essentialUnchecked || (!!view && !view.verified && checks.length > 0 && trusted.length === 0),
  );
  return report;
}
