/**
 * The claim-mapping table: for each attribute the service provider expects, whether the message
 * carries it, carries it under another name (a near miss, as the validator recognised it), or not
 * at all, with the validator's suggested fix. No vscode import.
 */
import type { AttributeReport, Finding } from '../../../core/validate/types';
import type { ClaimRow } from '../../../shared/protocol';

export function claimRows(
  expected: readonly string[],
  attributes: readonly AttributeReport[],
  findings: readonly Finding[],
): ClaimRow[] {
  return expected.map((name): ClaimRow => {
    if (attributes.some((a) => a.name === name)) return { expected: name, status: 'present' };
    const missing = findings.find((f) => f.code === 'attributes.missing' && f.expected === name);
    if (missing?.found)
      return { expected: name, status: 'near-miss', foundName: missing.found, suggestion: missing.fix || undefined };
    return { expected: name, status: 'missing', suggestion: missing?.fix || undefined };
  });
}
