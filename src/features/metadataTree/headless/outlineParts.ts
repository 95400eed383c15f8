// The metadata tree's outline as the metadata worker sends it: in parts of a few hundred
// kilobytes of JSON, each read on the host in a few milliseconds, and put together again there.
import type { MetadataParseResult } from '../../../core/metadata/parse';
import type { MetadataOutline, OutlineCertificate, OutlineEntity, OutlineGroup, OutlineUnknown, Span } from './outline';
import { type Clock, type OutlineCounts, countOutline, searchTextOf } from './outline';
import { looksLikeMetadata, outlineFromModel, withLazySubject } from './fromModel';

/** A group as sent by the worker: its entities are indexes into the outline's entity list. */
type SentMember =
  | { readonly entity: number }
  | { readonly name?: string; readonly span: Span; readonly members: readonly SentMember[] };

/** The first part of the worker's outline answer; entities follow in parts of `ENTITIES_PER_PART`. */
interface OutlineHead {
  readonly notMetadata?: true;
  readonly root?: SentMember;
  readonly unknown?: readonly OutlineUnknown[];
  readonly error?: MetadataOutline['error'];
  readonly entityCount?: number;
  /** The certificate counts as of a clock, when the question gave one. */
  readonly counted?: CountedAt;
}

/** Counts of an outline and the clock they were judged by. */
export interface CountedAt {
  readonly now: number;
  readonly warnDays: number;
  readonly counts: OutlineCounts;
}

interface OutlineEntitiesPart {
  readonly entities: readonly OutlineEntity[];
  /** `searchTextOf` of each entity, computed in the worker. */
  readonly searchTexts: readonly string[];
}

/** About 0.3 MB of JSON per part for federation entities: a few milliseconds to parse on the host. */
const ENTITIES_PER_PART = 48;

function sentMember(member: OutlineGroup | OutlineEntity): SentMember {
  if ('members' in member) return { name: member.name, span: member.span, members: member.members.map(sentMember) };
  return { entity: member.index };
}

/** The outline of a text as the parts the worker sends, for `OutlineAssembler` on the host. */
export function outlineParts(text: string, parse: () => MetadataParseResult, clock?: Clock): string[] {
  if (!looksLikeMetadata(text)) return [JSON.stringify({ notMetadata: true } satisfies OutlineHead)];
  const result = parse();
  if (!result.ok) {
    return [
      JSON.stringify({
        error: { message: result.error.message, offset: result.error.offset },
        entityCount: 0,
      } satisfies OutlineHead),
    ];
  }
  const outline = outlineFromModel(result.model);
  const parts = [
    JSON.stringify({
      root: outline.root && sentMember(outline.root),
      unknown: outline.unknown,
      entityCount: outline.entities.length,
      // Counting 24,000 certificates took 20–50 ms on the host; here it costs the host nothing.
      counted: clock && { now: clock.now.getTime(), warnDays: clock.warnDays, counts: countOutline(outline, clock) },
    } satisfies OutlineHead),
  ];
  for (let i = 0; i < outline.entities.length; i += ENTITIES_PER_PART) {
    const entities = outline.entities.slice(i, i + ENTITIES_PER_PART);
    parts.push(JSON.stringify({ entities, searchTexts: entities.map(searchTextOf) } satisfies OutlineEntitiesPart));
  }
  return parts;
}

/** Dates travel as ISO strings; the subject is decoded on the host only for the nodes shown. */
function receivedCertificate(sent: OutlineCertificate): OutlineCertificate {
  const dated = sent as { notBefore?: Date | string; notAfter?: Date | string };
  return withLazySubject({
    ...sent,
    notBefore: typeof dated.notBefore === 'string' ? new Date(dated.notBefore) : sent.notBefore,
    notAfter: typeof dated.notAfter === 'string' ? new Date(dated.notAfter) : sent.notAfter,
  });
}

/** Rebuilds, part by part on the host, the outline the worker sent with `outlineParts`. */
export class OutlineAssembler {
  private head: OutlineHead | undefined;
  private readonly entities: OutlineEntity[] = [];
  private readonly searchTexts: string[] = [];

  add(json: string): void {
    if (!this.head) {
      this.head = JSON.parse(json) as OutlineHead;
      return;
    }
    const part = JSON.parse(json) as OutlineEntitiesPart;
    for (const entity of part.entities) {
      for (const role of entity.roles) {
        for (const key of role.keys)
          (key.certificates as OutlineCertificate[]).forEach((c, i, list) => (list[i] = receivedCertificate(c)));
      }
      this.entities.push(entity);
    }
    for (const text of part.searchTexts) this.searchTexts.push(text);
  }

  /** The outline, or undefined when the text was not metadata. */
  result(): { outline: MetadataOutline; searchTexts: readonly string[]; counted?: CountedAt } | undefined {
    const head = this.head;
    if (!head) throw new Error('the worker sent no outline');
    if (head.notMetadata) return undefined;
    if (this.entities.length !== (head.entityCount ?? 0)) {
      throw new Error(`the worker sent ${this.entities.length} of ${head.entityCount} entities`);
    }
    const member = (sent: SentMember): OutlineGroup | OutlineEntity =>
      'entity' in sent
        ? this.entities[sent.entity]
        : { name: sent.name, span: sent.span, members: sent.members.map(member) };
    const outline: MetadataOutline = {
      root: head.root && member(head.root),
      entities: this.entities,
      unknown: head.unknown ?? [],
      error: head.error,
    };
    return { outline, searchTexts: this.searchTexts, counted: head.counted };
  }
}
