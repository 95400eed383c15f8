// The metadata tree's outline as the metadata worker sends it: in parts of a few hundred
// kilobytes of JSON, each read on the host in a few milliseconds, and put together again there.
import type { EntityDescriptorNode } from '../../../core/metadata/model';
import type { MetadataParseResult } from '../../../core/metadata/parse';
import type { MetadataOutline, OutlineCertificate, OutlineEntity, OutlineGroup, OutlineUnknown, Span } from './outline';
import { type Clock, type OutlineCounts, countOutline, moveEntity, searchTextOf } from './outline';
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
  /** Set when only the entities that changed since the asker's version follow. */
  readonly reuse?: ReusedOutline;
}

/**
 * The entities of version `since` that the answer keeps: all but `changed` (whose outlines follow,
 * in that order), each moved by the delta of the last `[from, delta]` in `moves` at or before it.
 */
interface ReusedOutline {
  readonly since: number;
  readonly changed: readonly number[];
  readonly moves: readonly (readonly [number, number])[];
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

/**
 * An outline the worker sent, kept so the next answer can reuse it: the model's entity objects it
 * was made of (a re-parse keeps those it did not touch), their outlines, and where each started.
 */
export interface AnsweredOutline {
  readonly version: number;
  readonly modelEntities: readonly EntityDescriptorNode[];
  readonly entities: readonly OutlineEntity[];
  readonly starts: readonly number[];
}

/**
 * The outline of a text as the parts the worker sends, for `OutlineAssembler` on the host. With
 * `earlier` answers, entities a re-parse did not touch keep their outline, and when the asker
 * holds one of those answers (`since`) only the entities that changed are sent.
 */
export function outlineParts(
  text: string,
  parse: () => MetadataParseResult,
  clock?: Clock,
  reuse?: { readonly version: number; readonly since?: number; readonly earlier: readonly AnsweredOutline[] },
): { parts: string[]; answered?: AnsweredOutline } {
  if (!looksLikeMetadata(text)) return { parts: [JSON.stringify({ notMetadata: true } satisfies OutlineHead)] };
  const result = parse();
  if (!result.ok) {
    return {
      parts: [
        JSON.stringify({
          error: { message: result.error.message, offset: result.error.offset },
          entityCount: 0,
        } satisfies OutlineHead),
      ],
    };
  }
  const model = result.model;
  const latest = reuse?.earlier[0];
  const outline = outlineFromModel(model, (entity, key) => {
    const kept = latest && latest.modelEntities[entity.index] === entity ? latest.entities[entity.index] : undefined;
    return kept && kept.key === key && kept.index === entity.index ? kept : undefined;
  });
  const held = reuse?.since === undefined ? undefined : reuse.earlier.find((a) => a.version === reuse.since);
  const delta = held && reusedSince(held, outline.entities);
  const sent = delta ? delta.changed.map((i) => outline.entities[i]) : outline.entities;
  const parts = [
    JSON.stringify({
      root: outline.root && sentMember(outline.root),
      unknown: outline.unknown,
      entityCount: outline.entities.length,
      // Counting 24,000 certificates took 20–50 ms on the host; here it costs the host nothing.
      counted: clock && { now: clock.now.getTime(), warnDays: clock.warnDays, counts: countOutline(outline, clock) },
      reuse: delta,
    } satisfies OutlineHead),
  ];
  for (let i = 0; i < sent.length; i += ENTITIES_PER_PART) {
    const entities = sent.slice(i, i + ENTITIES_PER_PART);
    parts.push(JSON.stringify({ entities, searchTexts: entities.map(searchTextOf) } satisfies OutlineEntitiesPart));
  }
  const answered: AnsweredOutline | undefined = reuse && {
    version: reuse.version,
    modelEntities: [...model.entities],
    entities: outline.entities,
    starts: outline.entities.map((entity) => entity.span.start),
  };
  return { parts, answered };
}

/** What of `held` the new outline keeps, or undefined when the entities do not line up. */
function reusedSince(held: AnsweredOutline, entities: readonly OutlineEntity[]): ReusedOutline | undefined {
  if (held.entities.length !== entities.length) return undefined;
  const changed: number[] = [];
  const moves: [number, number][] = [];
  let last = 0;
  for (let i = 0; i < entities.length; i++) {
    if (entities[i] !== held.entities[i]) {
      changed.push(i);
      continue;
    }
    const delta = entities[i].span.start - held.starts[i];
    if (delta !== last || moves.length === 0) {
      moves.push([i, delta]);
      last = delta;
    }
  }
  // Most entities changed (a whole parse): sending them all is as cheap and simpler for the host.
  if (changed.length > entities.length / 2) return undefined;
  return { since: held.version, changed, moves };
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

/** An outline the host holds, and the version of the document it was made of. */
export interface HeldOutline {
  readonly version: number;
  readonly outline: MetadataOutline;
  readonly searchTexts: readonly string[];
}

/**
 * Rebuilds, part by part on the host, the outline the worker sent with `outlineParts`. When the
 * worker sent only what changed since `earlier`, the rest is taken from it: its entity objects
 * (spans moved in place, so tree nodes pointing at them stay right) and search texts.
 */
export class OutlineAssembler {
  private head: OutlineHead | undefined;
  private readonly entities: OutlineEntity[] = [];
  private readonly searchTexts: string[] = [];

  constructor(private readonly earlier?: HeldOutline) {}

  add(json: string): void {
    if (!this.head) {
      const head = JSON.parse(json) as OutlineHead;
      const reuse = head.reuse;
      if (reuse && (reuse.since !== this.earlier?.version || this.earlier.outline.entities.length !== head.entityCount))
        throw new Error(`the worker reused the outline of version ${reuse.since}, which this answer does not hold`);
      this.head = head;
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

  /**
   * The outline, or undefined when the text was not metadata. When entities were reused from
   * `earlier`, their spans are right only once `replaceEarlier()` moved them, which the caller does
   * when the outline takes the place of `earlier` (and not at all when it drops the answer); and
   * `changed` lists the entities that differ, if the groups kept their shape.
   */
  result():
    | {
        outline: MetadataOutline;
        searchTexts: readonly string[];
        counted?: CountedAt;
        changed?: readonly number[];
        replaceEarlier: () => void;
      }
    | undefined {
    const head = this.head;
    if (!head) throw new Error('the worker sent no outline');
    if (head.notMetadata) return undefined;
    const reuse = head.reuse;
    const expected = reuse ? reuse.changed.length : (head.entityCount ?? 0);
    if (this.entities.length !== expected) {
      throw new Error(`the worker sent ${this.entities.length} of ${expected} entities`);
    }
    let entities = this.entities;
    let searchTexts = this.searchTexts;
    let replaceEarlier = () => {};
    if (reuse && this.earlier) {
      entities = [...this.earlier.outline.entities];
      searchTexts = [...this.earlier.searchTexts];
      reuse.changed.forEach((index, i) => {
        entities[index] = this.entities[i];
        searchTexts[index] = this.searchTexts[i];
      });
      let moved = false;
      replaceEarlier = () => {
        if (!moved) moveKeptEntities(entities, reuse);
        moved = true;
      };
    }
    const member = (sent: SentMember): OutlineGroup | OutlineEntity =>
      'entity' in sent
        ? entities[sent.entity]
        : { name: sent.name, span: sent.span, members: sent.members.map(member) };
    const outline: MetadataOutline = {
      root: head.root && member(head.root),
      entities,
      unknown: head.unknown ?? [],
      error: head.error,
    };
    const sameShape = reuse && this.earlier && shapeOf(this.earlier.outline.root) === shapeOf(outline.root);
    return {
      outline,
      searchTexts,
      counted: head.counted,
      changed: sameShape ? reuse.changed : undefined,
      replaceEarlier,
    };
  }
}

/** Moves the spans of the entities kept from the earlier outline by their delta. */
function moveKeptEntities(entities: readonly OutlineEntity[], reuse: ReusedOutline): void {
  const changed = new Set(reuse.changed);
  reuse.moves.forEach(([from, delta], m) => {
    if (delta === 0) return;
    const to = m + 1 < reuse.moves.length ? reuse.moves[m + 1][0] : entities.length;
    for (let i = from; i < to; i++) if (!changed.has(i)) moveEntity(entities[i], delta);
  });
}

/** The nesting of groups and entity indexes, as a string: equal when the tree keeps its shape. */
function shapeOf(root: OutlineGroup | OutlineEntity | undefined): string {
  if (!root) return '';
  if (!('members' in root)) return `e${root.index}`;
  return `(${root.members.map(shapeOf).join(',')})`;
}
