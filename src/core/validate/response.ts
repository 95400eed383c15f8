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

/** What the steps of validating one Response share: its document, the context, the report being filled. */
interface ResponseRun {
  readonly doc: Document;
  readonly root: Element;
  readonly ctx: ValidationContext;
  readonly report: ValidationReport;
  readonly findings: FindingList;
  /** Something essential could not be checked: the verdict can be no better than "not verifiable". */
  essentialUnchecked: boolean;
}

/** The signatures found and which of them a trusted key verified. */
interface ResponseSignatures {
  readonly checks: SignatureCheck[];
  readonly response?: SignatureCheck;
  readonly assertion?: SignatureCheck;
}

/** What is read and displayed: from signed bytes where a trusted signature covers them. */
interface SignedViews {
  readonly response: Element;
  /** The Response as its signature covers it, when a trusted signature does. */
  readonly signedResponse?: Element;
  readonly assertion?: AssertionView;
}

/**
 * Every reason a service provider would reject a samlp:Response: a pipeline of the rule families of
 * docs/rules.md, each step adding findings to the report.
 */
export function validateResponseDocument(doc: Document, ctx: ValidationContext): ValidationReport {
  const run: ResponseRun = {
    doc,
    root: doc.documentElement,
    ctx,
    report: emptyReport('Response'),
    findings: new FindingList(),
    essentialUnchecked: false,
  };
  if (!isResponse(run)) return finish(run, false);
  checkVersionAndId(run.root, 'Response', run.findings);
  checkUniqueIds(doc, run.findings);
  const succeeded = checkStatus(run);
  const { plain, encrypted } = checkAssertionCount(run, succeeded);
  const trusted = prepareTrustedCertificates(ctx.trustedCertificates, run.findings);
  const { assertion, assertionDoc } = assertionToProcess(run, plain, encrypted);
  const signatures = checkResponseSignatures(run, trusted, assertion, assertionDoc);
  const views = signedViews(run, assertion, signatures);
  checkResponseIssuers(run, expectedIssuers(ctx, trusted, signatures.checks), views);
  checkResponseDestination(run, views, signatures);
  const timeChecks: TimeCheck[] = [
    {
      label: 'Response IssueInstant',
      value: attribute(views.response, 'IssueInstant'),
      rule: 'not-after-now',
      code: 'time.issued-in-future',
      required: 'structure.issue-instant',
      fix: "Synchronise the IdP's or this machine's clock (NTP).",
    },
  ];
  if (views.assertion) timeChecks.push(...checkAssertion(run, views.assertion, views, assertion!));
  checkTimes(timeChecks, ctx, run.findings, run.report.timeline);
  const unverifiedContent =
    !!views.assertion && !views.assertion.verified && signatures.checks.length > 0 && trusted.length === 0;
  return finish(run, unverifiedContent);
}

function finish(run: ResponseRun, unverifiedContent: boolean): ValidationReport {
  run.report.findings = run.findings.items;
  run.report.verdict = decideVerdict(run.findings, run.essentialUnchecked || unverifiedContent);
  return run.report;
}

/** R2: the root is a SAML 2.0 protocol Response. */
function isResponse(run: ResponseRun): boolean {
  const { root, findings } = run;
  if (root.namespaceURI === NS.samlp && root.localName === 'Response') return true;
  run.report.messageType = 'unknown';
  findings.fail('structure.root', {
    message: `The root element is {${root.namespaceURI ?? ''}}${root.localName}, not a SAML 2.0 protocol Response.`,
    expected: `{${NS.samlp}}Response`,
    fix: 'Paste the SAMLResponse (the whole samlp:Response), not only an assertion or metadata.',
  });
  return false;
}

/** R10: the top-level status is Success. */
function checkStatus(run: ResponseRun): boolean {
  const { root, report, findings } = run;
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
  return succeeded;
}

/** R7, R8: exactly one assertion, as a direct child (Advice may legitimately nest signed assertions). */
function checkAssertionCount(run: ResponseRun, succeeded: boolean): { plain: Element[]; encrypted: Element[] } {
  const { doc, root, findings } = run;
  const plain = childElements(root, NS.saml, 'Assertion');
  const encrypted = childElements(root, NS.saml, 'EncryptedAssertion');
  const strayAssertions = descendants(doc, NS.saml, 'Assertion').filter(
    (a) => a.parentNode !== root && !hasAncestor(a, NS.saml, 'Advice'),
  );
  const assertionCount = plain.length + encrypted.length;
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
      message: `A SAML 2.0 Response with unique IDs and ${encrypted.length ? 'one EncryptedAssertion' : 'one Assertion'}.`,
    });
  }
  return { plain, encrypted };
}

/** The assertion to process (R59, R60): the single child Assertion, or the decrypted EncryptedAssertion. */
function assertionToProcess(
  run: ResponseRun,
  plain: Element[],
  encrypted: Element[],
): { assertion?: Element; assertionDoc: Document } {
  const { ctx, report, findings } = run;
  let assertion: Element | undefined = plain.length === 1 && encrypted.length === 0 ? plain[0] : undefined;
  let assertionDoc: Document = run.doc;
  if (encrypted.length === 1 && plain.length === 0) {
    report.encrypted = true;
    describeEncryption(encrypted[0], findings);
    if (!ctx.decryptionKeyPem) {
      run.essentialUnchecked = true;
      findings.notChecked('encryption.no-key', {
        message:
          'The assertion is encrypted and no decryption key was given, so its signature, subject, conditions and attributes cannot be checked.',
        fix: "Provide the SP's private key (the one matching the encryption certificate in the SP metadata), or disable assertion encryption at the IdP while testing.",
      });
    } else {
      const decryption = decryptElement(encrypted[0], ctx.decryptionKeyPem, findings, 'EncryptedAssertion');
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
  return { assertion, assertionDoc };
}

/** R15–R31: signatures in the message and in the decrypted assertion (a separate document). */
function checkResponseSignatures(
  run: ResponseRun,
  trusted: PreparedCertificate[],
  assertion: Element | undefined,
  assertionDoc: Document,
): ResponseSignatures {
  const { doc, root, ctx, report, findings } = run;
  const signable = new Set<Element>([root]);
  if (assertion) signable.add(assertion);
  const checks = checkSignatures(doc, signable, trusted, ctx, findings);
  if (assertionDoc !== doc) checks.push(...checkSignatures(assertionDoc, signable, trusted, ctx, findings));
  report.signatures = checks.map((c) => c.report);

  const response = checks.find((c) => c.parent === root && c.verified);
  const assertionSignature = assertion ? checks.find((c) => c.parent === assertion && c.verified) : undefined;
  if (checks.length === 0) {
    if (ctx.allowUnsigned) {
      run.essentialUnchecked = true;
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
    run.essentialUnchecked = true;
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
  return { checks, response, assertion: assertionSignature };
}

/** The Response and the assertion as they are read and displayed: from signed bytes when a trusted signature covers them. */
function signedViews(run: ResponseRun, assertion: Element | undefined, signatures: ResponseSignatures): SignedViews {
  const signedResponse = signatures.response?.signedXml ? parseSignedBytes(signatures.response.signedXml) : undefined;
  let view: AssertionView | undefined;
  if (assertion) {
    if (signatures.assertion?.signedXml) {
      const signedAssertion = parseSignedBytes(signatures.assertion.signedXml);
      if (signedAssertion) view = { element: signedAssertion, verified: true };
    } else if (signedResponse) {
      if (run.report.encrypted) {
        // The Response signature covers the ciphertext, so the decrypted content is authenticated too.
        view = { element: assertion, verified: true };
      } else {
        const signedAssertion = firstChild(signedResponse, NS.saml, 'Assertion');
        if (signedAssertion) view = { element: signedAssertion, verified: true };
      }
    }
    view ??= { element: assertion, verified: false };
  }
  return { response: signedResponse ?? run.root, signedResponse, assertion: view };
}

/** R11–R14: the Issuers. */
function checkResponseIssuers(run: ResponseRun, expected: string[], views: SignedViews): void {
  const { report, findings } = run;
  report.issuer.response = issuerOf(views.response);
  report.issuer.assertion = views.assertion && issuerOf(views.assertion.element);
  report.issuer.verified = !!views.assertion?.verified;
  checkIssuer('Response', report.issuer.response, expected, findings, false);
  checkIssuerFormat('Response', views.response, findings);
  if (views.assertion) {
    checkIssuer('Assertion', report.issuer.assertion, expected, findings, true);
    checkIssuerFormat('Assertion', views.assertion.element, findings);
    checkIssuersAgree(report.issuer.response, report.issuer.assertion, findings);
  }
}

/** R49, R50: the Response's Destination. */
function checkResponseDestination(run: ResponseRun, views: SignedViews, signatures: ResponseSignatures): void {
  const { ctx, findings } = run;
  const conditions = run.report.conditions;
  conditions.destination = attribute(views.response, 'Destination');
  conditions.inResponseTo = attribute(views.response, 'InResponseTo');
  checkDestination(
    conditions.destination,
    ctx,
    findings,
    'Response',
    'an Assertion Consumer Service URL of this service provider',
  );
  if (conditions.destination === undefined && signatures.response) {
    findings.fail('destination.missing', {
      message:
        'The Response is signed but has no Destination: the HTTP-POST binding requires a signed message to name the URL it was sent to, so that it cannot be replayed to another endpoint.',
      expected: 'Destination="<the ACS URL>"',
      fix: 'Configure the IdP to include Destination (its Reply URL) in signed responses.',
    });
  }
}

/**
 * The assertion's own rules (R3–R6, R9, R35–R48, R51–R57): subject and bearer confirmation,
 * conditions and audience, InResponseTo, NameID and attributes. Returns its time conditions, which
 * are judged together with the Response's.
 */
function checkAssertion(run: ResponseRun, view: AssertionView, views: SignedViews, assertion: Element): TimeCheck[] {
  const { ctx, report, findings } = run;
  const conditions = report.conditions;
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

  // InResponseTo: compared only when the request ID is known (unsolicited responses have none), and
  // verified only where a trusted signature covers it.
  const unchecked = checkInResponseTo(
    {
      response: {
        value: attribute(views.response, 'InResponseTo'),
        signed: !!views.signedResponse,
        where: 'Response',
      },
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
  run.essentialUnchecked ||= unchecked;

  report.subject.nameId = readNameId(view, assertion, ctx, findings);
  report.attributes = readAttributes(view, findings);
  compareAttributes(report.attributes, ctx.sp?.expectedAttributes, findings);

  return [
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
  ];
}
