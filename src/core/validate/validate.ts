// The entry points of validation: read the message, then hand it to the validator for its kind.
// The message validators never import this module back.
import type { DecodeSuccess, SamlMessageType } from '../messages/decode';
import { NS } from '../xml/namespaces';
import { emptyReport } from './checks';
import { loadMessageDocument } from '../xml/messageDocument';
import { FindingList } from './findings';
import { validateProtocolMessage } from './requests';
import { validateResponseDocument } from './response';
import type { ValidationContext, ValidationReport } from './types';

const REQUEST_LIKE = ['AuthnRequest', 'LogoutRequest', 'LogoutResponse'];

/**
 * Puts the findings about where trust came from first, and lets them weigh on the verdict like any
 * other: a failure makes it invalid, something not checked makes a valid one not verifiable, a
 * warning leaves it as it is.
 */
function withSelectionFindings(report: ValidationReport, ctx: ValidationContext): ValidationReport {
  const extra = ctx.selectionFindings ?? [];
  if (extra.length === 0) return report;
  report.findings = [...extra, ...report.findings];
  if (extra.some((f) => f.status === 'fail')) report.verdict = 'invalid';
  else if (extra.some((f) => f.status === 'not-checked') && report.verdict === 'valid')
    report.verdict = 'not-verifiable';
  return report;
}

/** Validates a SAML message given as XML text: a Response, or an AuthnRequest / LogoutRequest / LogoutResponse. */
export function validateResponse(xml: string, ctx: ValidationContext): ValidationReport {
  return withSelectionFindings(validateXml(xml, ctx), ctx);
}

function validateXml(xml: string, ctx: ValidationContext): ValidationReport {
  const loaded = loadMessageDocument(xml);
  if (!loaded.ok) {
    const report = emptyReport('unknown');
    const findings = new FindingList();
    findings.fail('structure.parse-error', {
      message: loaded.message,
      fix: 'Paste the complete message; a DOCTYPE is never acceptable in SAML.',
    });
    report.findings = findings.items;
    return report;
  }
  const doc = loaded.document;
  const root = doc.documentElement;
  if (root.namespaceURI === NS.samlp && REQUEST_LIKE.includes(root.localName)) {
    return validateProtocolMessage(doc, root.localName as SamlMessageType, ctx);
  }
  return validateResponseDocument(doc, ctx);
}

/** Validates whatever decodeSamlInput produced, including a Redirect-binding signature over the query string. */
export function validateDecoded(decoded: DecodeSuccess, ctx: ValidationContext): ValidationReport {
  if (decoded.binding === 'redirect' && decoded.signature !== undefined && decoded.messageType !== 'Response') {
    const loaded = loadMessageDocument(decoded.xml);
    if (loaded.ok)
      return withSelectionFindings(validateProtocolMessage(loaded.document, decoded.messageType, ctx, decoded), ctx);
  }
  return validateResponse(decoded.xml, ctx);
}
