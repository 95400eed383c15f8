// The validity of every certificate of a metadata document on one time line: one bar per
// certificate (notBefore → notAfter), grouped by entity, role and use, each with its state as the
// certificate diagnostics judge it (expired, expiring within the warning days, not yet valid) and
// where it is in the text, so a view can draw it and lead back to the source.
import { certificateFacts } from '../certs/facts';
import { DEFAULT_WARN_DAYS } from '../certs/findings';
import { formatDate } from '../time';
import { LineIndex } from '../xml/lineIndex';
import { ROLE_NAMES } from './diff';
import type { MetadataModel, Range } from './model';

export type TimelineState = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

export interface TimelineBar {
  readonly entityId: string;
  /** "IdP", "SP", … or "metadata signature" for the certificate of a ds:Signature. */
  readonly role: string;
  /** "signing", "encryption", "signing+encryption" (a KeyDescriptor without use) or "signature". */
  readonly use: string;
  readonly subject: string;
  readonly sha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly state: TimelineState;
  /** The X509Certificate text, and its first line (0-based). */
  readonly range: Range;
  readonly line: number;
  /** What a screen reader says: entity, use, dates and state. */
  readonly label: string;
}

export interface TimelineGroup {
  readonly entityId: string;
  readonly role: string;
  readonly use: string;
  readonly bars: readonly TimelineBar[];
}

export interface CertificateTimeline {
  readonly groups: readonly TimelineGroup[];
  readonly bars: readonly TimelineBar[];
  /** Certificates that could not be read, with where they are. */
  readonly unreadable: readonly { readonly range: Range; readonly line: number; readonly message: string }[];
  /** The span to draw: the earliest notBefore and the latest notAfter, widened to include `now`. */
  readonly start: Date;
  readonly end: Date;
  readonly now: Date;
}

const STATE_LABEL: Record<TimelineState, string> = {
  valid: 'valid',
  expiring: 'expiring soon',
  expired: 'expired',
  'not-yet-valid': 'not valid yet',
};

function stateAt(notBefore: Date, notAfter: Date, now: Date, warnDays: number): TimelineState {
  const remaining = notAfter.getTime() - now.getTime();
  if (remaining <= 0) return 'expired';
  if (remaining <= warnDays * 86_400_000) return 'expiring';
  if (now < notBefore) return 'not-yet-valid';
  return 'valid';
}

export function certificateTimeline(
  model: MetadataModel,
  text: string,
  options: { now: Date; warnDays?: number },
): CertificateTimeline {
  const lines = new LineIndex(text);
  const warnDays = options.warnDays ?? DEFAULT_WARN_DAYS;
  const groups = new Map<string, { entityId: string; role: string; use: string; bars: TimelineBar[] }>();
  const bars: TimelineBar[] = [];
  const unreadable: { range: Range; line: number; message: string }[] = [];
  for (const occurrence of model.certificates) {
    const line = lines.positionAt(occurrence.range.start).line;
    const facts = certificateFacts(occurrence.base64);
    if (!facts.ok) {
      unreadable.push({ range: occurrence.range, line, message: facts.error.message });
      continue;
    }
    const entityId = occurrence.entityID ?? model.entities[0]?.entityID?.value ?? '(no entityID)';
    const signature = occurrence.place === 'signature';
    const role = signature ? 'metadata signature' : occurrence.roleKind ? ROLE_NAMES[occurrence.roleKind] : 'other';
    const use = signature
      ? 'signature'
      : occurrence.keyUse === 'signing' || occurrence.keyUse === 'encryption'
        ? occurrence.keyUse
        : 'signing+encryption';
    const { notBefore, notAfter, subject } = facts.value;
    const state = stateAt(notBefore, notAfter, options.now, warnDays);
    const bar: TimelineBar = {
      entityId,
      role,
      use,
      subject,
      sha256: facts.value.thumbprints.sha256WithColons,
      notBefore,
      notAfter,
      state,
      range: occurrence.range,
      line,
      label: `${entityId}, ${role} ${use} certificate ${subject}, valid from ${formatDate(notBefore)} to ${formatDate(notAfter)}, ${STATE_LABEL[state]}, line ${line + 1}`,
    };
    bars.push(bar);
    const key = JSON.stringify([entityId, role, use]);
    const group = groups.get(key) ?? { entityId, role, use, bars: [] };
    group.bars.push(bar);
    groups.set(key, group);
  }
  // A loop, not Math.min(...): an aggregate has more certificates than a call takes arguments.
  let start = options.now.getTime();
  let end = start;
  for (const bar of bars) {
    start = Math.min(start, bar.notBefore.getTime());
    end = Math.max(end, bar.notAfter.getTime());
  }
  return {
    groups: [...groups.values()],
    bars,
    unreadable,
    start: new Date(start),
    end: new Date(end),
    now: options.now,
  };
}
