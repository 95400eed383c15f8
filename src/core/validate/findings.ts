// Collects findings; every finding gets its title and "why" from the code list.
import { FINDING_CODES, type FindingCode } from './codes';
import type { Finding, FindingStatus } from './types';

export interface FindingDetails {
  message: string;
  fix?: string;
  expected?: string;
  found?: string;
}

const SEVERITY_FOR_STATUS = {
  fail: 'error',
  warn: 'warning',
  pass: 'info',
  info: 'info',
  'not-checked': 'warning',
} as const;

export class FindingList {
  readonly items: Finding[] = [];

  add(code: FindingCode, status: FindingStatus, details: FindingDetails): Finding {
    const finding: Finding = {
      code,
      status,
      severity: SEVERITY_FOR_STATUS[status],
      title: FINDING_CODES[code].title,
      message: details.message,
      why: FINDING_CODES[code].doc,
      fix: details.fix ?? '',
    };
    if (details.expected !== undefined) finding.expected = details.expected;
    if (details.found !== undefined) finding.found = details.found;
    this.items.push(finding);
    return finding;
  }

  fail(code: FindingCode, details: FindingDetails): Finding {
    return this.add(code, 'fail', details);
  }
  warn(code: FindingCode, details: FindingDetails): Finding {
    return this.add(code, 'warn', details);
  }
  pass(code: FindingCode, details: FindingDetails): Finding {
    return this.add(code, 'pass', details);
  }
  info(code: FindingCode, details: FindingDetails): Finding {
    return this.add(code, 'info', details);
  }
  notChecked(code: FindingCode, details: FindingDetails): Finding {
    return this.add(code, 'not-checked', details);
  }

  hasFailure(): boolean {
    return this.items.some((finding) => finding.status === 'fail');
  }
}
