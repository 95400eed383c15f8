import * as vscode from 'vscode';
import { isAbortError, nextTurn } from '../../core/workerChannel';
import { readConfig } from '../../config';
import { type MetadataDocuments, sharedMetadataDocuments } from '../metadataDocuments/headless/client';
import { log } from '../../log';
import type { CountedAt, HeldOutline } from './headless/outlineParts';
import { type TreeSource, diskKey, loadOutline, positionsOnDisk, sameSource, sourceUri, watchDocuments } from './load';
import type { PlacedSignatureStatus } from '../metadataSignatures/headless/answer';
import { type MetadataSignatures, sharedMetadataSignatures } from '../metadataSignatures/service';
import {
  CertificateNode,
  EntityNode,
  ErrorNode,
  GroupNode,
  KeyNode,
  type MetadataNode,
  type NodeContext,
  UnknownNode,
  rootNodes,
  showSignatureStatus,
} from './nodes';
import {
  type Clock,
  type EntityFilter,
  type MetadataOutline,
  type OutlineCounts,
  type OutlineEntity,
  type OutlineGroup,
  countOutline,
  isGroup,
  entityMatches,
  searchTextOf,
  spanContains,
} from './headless/outline';

/** Above this many, a group's rows and a filter's verdicts are worked out a slice at a time. */
const SLICED_ABOVE = 5_000;
/** About 5 ms of a certificate filter over an aggregate. */
const ENTITIES_PER_FILTER_SLICE = 8_000;

/** Which entities pass the filter (1 for those that do), and how many. */
interface Visibility {
  readonly visible: Uint8Array;
  readonly count: number;
}

/** What the view currently shows. */
export type TreeState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-metadata'; readonly source: TreeSource }
  | {
      readonly kind: 'outline';
      readonly source: TreeSource;
      readonly outline: MetadataOutline;
      /** The line of the outline's error in a file read from disk (a document has its own `positionAt`). */
      readonly errorLine?: number;
      readonly counts: OutlineCounts;
      readonly searchTexts: readonly string[];
      /** The document version the worker made the outline of; it sends only what changed since. */
      readonly version?: number;
    };

/**
 * The data behind the "SAML Metadata" view: one outline at a time, nodes built lazily on expand
 * and cached until the next refresh(), an optional entity filter, and an injectable clock.
 */
export class MetadataTreeProvider implements vscode.TreeDataProvider<MetadataNode> {
  private readonly changeEmitter = new vscode.EventEmitter<MetadataNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private state: TreeState = { kind: 'empty' };
  private roots: MetadataNode[] | undefined;
  private filter: EntityFilter | undefined;
  private clock: () => Date = () => new Date();
  private loadGeneration = 0;
  private cachedJudgement: Clock | undefined;
  /** Which entities pass the filter; goes with `cachedJudgement`. */
  private visible: Visibility | undefined;
  /** Counts filters set, so a filter worked out in slices is dropped when another replaced it. */
  private filtering = 0;
  private runningLoad: AbortController | undefined;

  private readonly documents: MetadataDocuments;
  private readonly diskWatch = watchDocuments();
  /** A closed document's worker and model go (the certificate checks do the same for XML documents). */
  private readonly closeWatch = vscode.workspace.onDidCloseTextDocument((document) =>
    this.documents.forget(document.uri.toString()),
  );

  private readonly signatures: MetadataSignatures;
  /** The root's signature status, once known for the outline shown (a document's, not a file read from disk). */
  private signature: { readonly status?: PlacedSignatureStatus; readonly problems: readonly string[] } | undefined;
  private readonly signatureWatch: vscode.Disposable;

  constructor(private readonly workerPath: string) {
    this.documents = sharedMetadataDocuments(workerPath);
    this.signatures = sharedMetadataSignatures(workerPath);
    this.signatureWatch = this.signatures.onDidChange(() => {
      if (this.state.kind === 'outline' && this.state.source.kind === 'document')
        void this.loadSignature(this.state.source.document, this.loadGeneration);
    });
  }

  /** The root's signature status as the tree shows it, for tests and the status line. */
  get signatureStatus(): PlacedSignatureStatus | undefined {
    return this.signature?.status;
  }

  /** Asks for the signature status of the document shown; a newer load drops the answer. */
  private async loadSignature(document: vscode.TextDocument, generation: number): Promise<void> {
    try {
      const { answer, problems } = await this.signatures.statuses(document);
      if (generation !== this.loadGeneration) return;
      this.signature = answer.ok ? { status: answer.root, problems } : { problems: [...problems, answer.message] };
      // Only the root row changes: rebuilding every node would lose the selection and expansion.
      const root = this.roots?.[this.roots.length - 1];
      if (root && this.state.kind === 'outline' && this.state.outline.root) {
        const shown = [root.description, (root.tooltip as vscode.MarkdownString | undefined)?.value];
        showSignatureStatus(root, this.signature.status, this.signature.problems);
        // Telling VS Code the root changed makes it ask for all its rows again (12,000 in an
        // aggregate, after every edit): only when what the row shows changed.
        const same = root.description === shown[0] && (root.tooltip as vscode.MarkdownString).value === shown[1];
        if (!same) this.changeEmitter.fire(root);
      }
    } catch (error) {
      log().error(
        `Metadata tree: the signature of ${document.uri.toString()} could not be checked: ${(error as Error).message}`,
      );
    }
  }

  get current(): TreeState {
    return this.state;
  }

  get activeFilter(): EntityFilter | undefined {
    return this.filter;
  }

  now(): Date {
    return this.clock();
  }

  /** Days ahead within which a certificate counts as expiring (the certificate warning setting). */
  warnDays(): number {
    return readConfig().certificates.expiryWarningDays;
  }

  /** The clock and warning period, read once per refresh: filtering asks for it per entity. */
  private judgement(): Clock {
    this.cachedJudgement ??= { now: this.now(), warnDays: this.warnDays() };
    return this.cachedJudgement;
  }

  setClock(clock: () => Date): void {
    this.clock = clock;
    this.recount();
  }

  /** Judges certificates again, e.g. after the clock or the warning setting changed. */
  recount(): void {
    this.cachedJudgement = undefined;
    this.visible = undefined;
    if (this.state.kind === 'outline')
      this.state = { ...this.state, counts: countOutline(this.state.outline, this.judgement()) };
    this.refresh();
  }

  /**
   * Filters the entities. Over an aggregate of more than SLICED_ABOVE entities, which ones pass is
   * worked out a slice at a time and the view is told when it is known: the returned promise
   * settles then. Whoever asks for rows sooner gets them filtered all the same.
   */
  setFilter(filter: EntityFilter | undefined): Promise<void> | undefined {
    this.filter = filter && filter.text ? filter : undefined;
    const filtering = ++this.filtering;
    const entities = this.state.kind === 'outline' ? this.state.outline.entities.length : 0;
    if (!this.filter || entities <= SLICED_ABOVE) {
      this.refresh();
      return undefined;
    }
    this.forgetBuilt();
    return this.visibilityInSlices().then((visible) => {
      if (filtering !== this.filtering) return;
      if (visible) this.visible ??= visible;
      this.roots = undefined;
      this.changeEmitter.fire(undefined);
    });
  }

  /** Drops every cached node; the view asks for the roots again. */
  refresh(): void {
    this.forgetBuilt();
    this.changeEmitter.fire(undefined);
  }

  /** The nodes, the clock and the filter's verdicts worked out so far. */
  private forgetBuilt(): void {
    this.roots = undefined;
    this.cachedJudgement = undefined;
    this.visible = undefined;
  }

  clear(): void {
    this.loadGeneration++;
    this.runningLoad?.abort();
    this.releaseDisk(this.state, undefined);
    this.state = { kind: 'empty' };
    this.refresh();
  }

  /**
   * Parses the source and shows it. A load that finishes after a newer one started is dropped,
   * so fast typing or switching editors never shows stale results.
   */
  async load(source: TreeSource): Promise<void> {
    const generation = ++this.loadGeneration;
    this.runningLoad?.abort();
    const running = new AbortController();
    this.runningLoad = running;
    const started = Date.now();
    let result;
    const earlier = this.heldOutline(source);
    try {
      result = await loadOutline(
        source,
        this.documents,
        this.workerPath,
        running.signal,
        { now: this.now(), warnDays: this.warnDays() },
        earlier,
      );
    } catch (error) {
      // Cancelled, or the document changed while its text was being sent: the edit reloads the tree.
      if (running.signal.aborted || isAbortError(error)) return;
      const message = error instanceof Error ? error.message : String(error);
      log().error(`Metadata tree: could not read ${sourceUri(source).toString()}: ${message}`);
      result = {
        kind: 'outline' as const,
        outline: {
          entities: [],
          unknown: [],
          error: { message: vscode.l10n.t('Could not read the metadata: {0}', message) },
        },
      };
    }
    if (generation !== this.loadGeneration) return;
    if (result.kind === 'outline') result.replaceEarlier?.();
    const previous = this.state;
    this.releaseDisk(previous, source);
    const keptSignature = this.signature;
    this.signature = undefined;
    if (result.kind === 'outline' && !result.outline.error && source.kind === 'document')
      void this.loadSignature(source.document, generation);
    if (result.kind === 'not-metadata') {
      this.state = { kind: 'not-metadata', source };
    } else {
      const outline = result.outline;
      const errorOffset = outline.error?.offset;
      let errorLine: number | undefined;
      if (source.kind === 'disk' && errorOffset !== undefined) {
        errorLine = await positionsOnDisk(source.uri, this.documents, [errorOffset]).then(
          ([position]) => position?.line,
          () => undefined,
        );
        if (generation !== this.loadGeneration) return;
      }
      this.cachedJudgement = undefined;
      this.visible = undefined;
      this.state = {
        kind: 'outline',
        source,
        outline,
        errorLine,
        counts: this.countsFor(outline, result.counted),
        searchTexts: result.searchTexts ?? outline.entities.map(searchTextOf),
        version: result.version,
      };
      log().debug(
        `Metadata tree: ${outline.entities.length} entities from ${sourceUri(source).toString()} in ${Date.now() - started} ms`,
      );
      if (result.changed && previous.kind === 'outline' && this.updateInPlace(previous.outline, result.changed)) {
        // The root row keeps the signature status it shows until the new one is known.
        this.signature = keptSignature;
        return;
      }
    }
    this.refresh();
  }

  /** A file read from disk keeps a worker holding its text and model (a gigabyte for 190 MB) until the tree moves on. */
  private releaseDisk(shown: TreeState, next: TreeSource | undefined): void {
    if (shown.kind !== 'empty' && shown.source.kind === 'disk' && !sameSource(shown.source, next))
      this.documents.forget(diskKey(shown.source.uri));
  }

  /** The outline shown, when the worker made it of `source`'s document: what it may send changes to. */
  private heldOutline(source: TreeSource): HeldOutline | undefined {
    const state = this.state;
    if (state.kind !== 'outline' || state.version === undefined || !sameSource(state.source, source)) return undefined;
    return { version: state.version, outline: state.outline, searchTexts: state.searchTexts };
  }

  /**
   * After an edit inside a few entities of an aggregate: the nodes already built stay (VS Code is
   * not handed 12,000 rows again), groups take their new spans and the changed entities' nodes
   * their new outline. False when that cannot be done (a filter, a changed entityID): refresh then.
   */
  private updateInPlace(previous: MetadataOutline, changed: readonly number[]): boolean {
    if (this.state.kind !== 'outline' || this.filter || !this.roots || !this.state.outline.root) return false;
    const outline = this.state.outline;
    if (changed.some((i) => outline.entities[i].key !== previous.entities[i].key)) return false;
    const groups = new Map<string, OutlineGroup>();
    const collect = (member: OutlineGroup | OutlineEntity, id: string) => {
      if (!isGroup(member)) return;
      groups.set(id, member);
      member.members.forEach((child, position) => collect(child, `${id}/g${position}`));
    };
    collect(outline.root!, 'g0');
    const replaced = new Map(changed.map((i) => [previous.entities[i], outline.entities[i]]));
    const updated: MetadataNode[] = [];
    const visit = (nodes: readonly MetadataNode[] | undefined): boolean => {
      for (const node of nodes ?? []) {
        if (node instanceof GroupNode) {
          const group = node.id === undefined ? undefined : groups.get(node.id);
          if (!group) return false;
          node.update(group);
          if (!visit(node.builtChildren())) return false;
        } else if (node instanceof EntityNode) {
          const entity = replaced.get(node.entity);
          // The root row also shows the signature status: rebuilt whole instead.
          if (entity && this.roots?.includes(node)) return false;
          if (entity) {
            node.update(entity);
            updated.push(node);
          }
        }
      }
      return true;
    };
    if (!visit(this.roots)) return false;
    for (const node of updated) this.changeEmitter.fire(node);
    return true;
  }

  /** The worker's counts when judged by the same clock (within a minute of real time), else counted here. */
  private countsFor(outline: MetadataOutline, counted: CountedAt | undefined): OutlineCounts {
    const clock = this.judgement();
    const sameClock =
      counted && counted.warnDays === clock.warnDays && Math.abs(counted.now - clock.now.getTime()) < 60_000;
    return sameClock ? counted.counts : countOutline(outline, clock);
  }

  private readonly context: NodeContext = { isVisible: (entity: OutlineEntity) => this.isVisible(entity) };

  private isVisible(entity: OutlineEntity): boolean {
    return this.filter ? this.visibility().visible[entity.index] === 1 : true;
  }

  /** How many entities pass the filter (all of them without one). */
  visibleEntityCount(): number {
    if (this.state.kind !== 'outline') return 0;
    return this.filter ? this.visibility().count : this.state.outline.entities.length;
  }

  /**
   * Which entities pass the filter, judged once per filter, outline and clock (forgotten with the
   * judgement): the view asks row by row, and judging 48,000 entities per question kept the host
   * busy for 180 ms at a time.
   */
  private visibility(): Visibility {
    if (this.visible) return this.visible;
    const visible = this.startVisibility();
    if (visible) {
      visible.judge(visible.of);
      this.visible = visible.result();
    }
    return this.visible ?? { visible: new Uint8Array(0), count: 0 };
  }

  /** The same, a slice of entities per turn of the event loop; undefined when the filter or outline changed meanwhile. */
  private async visibilityInSlices(): Promise<Visibility | undefined> {
    const visible = this.startVisibility();
    if (!visible) return undefined;
    const { state, filter } = this;
    while (visible.next < visible.of) {
      visible.judge(visible.next + ENTITIES_PER_FILTER_SLICE);
      await nextTurn();
      if (this.state !== state || this.filter !== filter) return undefined;
    }
    return visible.result();
  }

  private startVisibility() {
    if (!this.filter || this.state.kind !== 'outline') return undefined;
    const { outline, searchTexts } = this.state;
    const entities = outline.entities;
    const { filter } = this;
    const clock = this.judgement();
    const visible = new Uint8Array(entities.length);
    let count = 0;
    const progress = {
      next: 0,
      of: entities.length,
      judge(until: number) {
        const end = Math.min(until, entities.length);
        for (let i = progress.next; i < end; i++) {
          if (!entityMatches(entities[i], searchTexts[i], filter, clock)) continue;
          visible[i] = 1;
          count++;
        }
        progress.next = end;
      },
      result: (): Visibility => ({ visible, count }),
    };
    return progress;
  }

  getTreeItem(node: MetadataNode): vscode.TreeItem {
    // Certificate dates are described relative to now, so they are refreshed on every hand-out.
    if (node instanceof KeyNode || node instanceof CertificateNode) node.applyClock(this.judgement());
    // Screen readers get what the row shows (label, then description), not the longer tooltip.
    const label = typeof node.label === 'string' ? node.label : node.label?.label;
    node.accessibilityInformation = { label: [label, node.description].filter(Boolean).join(' ') };
    return node;
  }

  /** Entity tooltips are made on hover: building 12,000 of them up front was most of the cost of an aggregate's group. */
  resolveTreeItem(item: vscode.TreeItem, node: MetadataNode): vscode.TreeItem {
    node.resolveTooltip();
    return item;
  }

  /** What the view asks: a large group's rows come in slices (`GroupNode.childrenInSlices`). */
  getChildren(node?: MetadataNode): MetadataNode[] | Promise<MetadataNode[]> {
    if (node instanceof GroupNode && !node.builtChildren() && node.group.members.length > SLICED_ABOVE)
      return node.childrenInSlices(this.context);
    return this.childrenOf(node);
  }

  /** The same children, built at once: for code that walks the tree. */
  childrenOf(node?: MetadataNode): MetadataNode[] {
    if (node) return node.children(this.context);
    this.roots ??= this.buildRoots();
    return this.roots;
  }

  getParent(node: MetadataNode): MetadataNode | undefined {
    return node.parent;
  }

  private buildRoots(): MetadataNode[] {
    if (this.state.kind !== 'outline') return [];
    const { outline } = this.state;
    if (outline.error) {
      const { offset } = outline.error;
      const line = this.state.errorLine ?? (offset === undefined ? undefined : this.documentPositionAt(offset)?.line);
      return [new ErrorNode(outline.error.message, line, outline.error.offset)];
    }
    const nodes: MetadataNode[] = outline.unknown.map((unknown, i) => new UnknownNode(unknown, undefined, i));
    if (outline.root) {
      const roots = rootNodes(outline.root, this.context);
      if (this.signature && roots.length > 0)
        showSignatureStatus(roots[roots.length - 1], this.signature.status, this.signature.problems);
      nodes.push(...roots);
    }
    return nodes;
  }

  /** The deepest node whose element holds `offset`, building the nodes on the way. */
  nodeAt(offset: number): MetadataNode | undefined {
    const deepest = (nodes: readonly MetadataNode[]): MetadataNode | undefined => {
      for (const node of nodes) {
        if (!node.span) {
          // Section headings have no element of their own; look inside them.
          const inner = deepest(node.children(this.context));
          if (inner) return inner;
          continue;
        }
        if (!spanContains(node.span, offset)) continue;
        return deepest(node.children(this.context)) ?? node;
      }
      return undefined;
    };
    return deepest(this.childrenOf());
  }

  /**
   * Positions of a node's element, in the text the outline was built from: a file read from disk
   * asks the worker that holds its text.
   */
  async rangeOf(node: MetadataNode): Promise<vscode.Range | undefined> {
    const state = this.state;
    if (!node.span || state.kind !== 'outline') return undefined;
    const { start, end } = node.span;
    if (state.source.kind === 'document')
      return new vscode.Range(state.source.document.positionAt(start), state.source.document.positionAt(end));
    const [from, to] = await positionsOnDisk(state.source.uri, this.documents, [start, end]);
    return from && to ? new vscode.Range(from, to) : undefined;
  }

  private documentPositionAt(offset: number): vscode.Position | undefined {
    if (this.state.kind !== 'outline' || this.state.source.kind !== 'document') return undefined;
    return this.state.source.document.positionAt(offset);
  }

  dispose(): void {
    this.releaseDisk(this.state, undefined);
    this.signatureWatch.dispose();
    this.diskWatch.dispose();
    this.closeWatch.dispose();
    this.changeEmitter.dispose();
  }
}
