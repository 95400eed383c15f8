/**
 * Runs inside the real extension host (loaded as the extension-tests module by bench/hostRun.ts,
 * bundled separately so the normal host test run never sees it) and measures what only the host
 * can show:
 *
 * - activation: `extension.activate()` on a host where nothing has activated SAML Lens yet (no XML
 *   editor is open), which includes loading dist/extension.js;
 * - blocking: the longest stretch the host's main thread is busy while the aggregate is opened,
 *   its tree shown and its diagnostics computed, seen by a 4 ms timer whose late ticks are the busy
 *   stretches; references: the same host idle, and opening a plain-text file of the same size;
 * - edit latency: WorkspaceEdit → the diagnostics of that document changed (seen by polling
 *   getDiagnostics, and by onDidChangeDiagnostics, which VS Code fires 50 ms late), on a 1 MB
 *   metadata file; reference: WorkspaceEdit → onDidChangeTextDocument.
 *
 * Results go to the JSON file named by SAML_LENS_BENCH_RESULTS; settings come in SAML_LENS_BENCH_CONFIG.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import type { MetadataNode } from '../../src/features/metadataTree/nodes';
import { CertificateCode } from '../../src/core/certs/codes';
import { MetadataLintCode } from '../../src/core/metadata/lint';
import { editDebounceMs } from '../../src/features/certificates/diagnostics';
import { DIAGNOSTIC_SOURCE, EXTENSION_ID } from '../../src/ids';

export interface ProbeConfig {
  aggregate: string;
  /** A plain-text file the size of the aggregate: what VS Code itself costs to open it. */
  plainSameSize: string;
  editFile: string;
  /** Edit sites of each kind (certificate, text, attribute) in the 1 MB file; each is typed and deleted. */
  editSitesPerKind: number;
  /** The same in the aggregate; 0 leaves the aggregate unedited. */
  aggregateEditSitesPerKind: number;
  /** Write a CPU profile of the extension host while the aggregate opens to this file. */
  profileFile?: string;
  /**
   * Measure only activation, this long after the probe starts, in a staged copy whose manifest has
   * no onStartupFinished (bench/hostRun.ts), so nothing has begun activating SAML Lens and the
   * host's startup is over: what activating costs by itself.
   */
  coldActivationAfterMs?: number;
  /** Measure only Check Certificates in Workspace, on the launch's workspace (the 10,000 generated files). */
  workspaceCheck?: boolean;
  /** Measure only the tree on this file, four times the aggregate (over VS Code's 50 MB limit: read from disk). */
  scaleAggregate?: string;
}

export interface BusyStretches {
  /** How long the window was watched. */
  windowMs: number;
  /** Longest busy stretch: a timer tick that came this much later than due. */
  longestMs: number;
  /** The five longest, with when they ended (ms after the window opened). */
  top: { ms: number; endedAtMs: number }[];
  /** perf_hooks.monitorEventLoopDelay's maximum over the same window, as a cross-check. */
  histogramMaxMs: number;
}

/**
 * Whose code the busy stretches ran, from a CPU profile taken over the same window: within each
 * stretch, the sampled time whose stack holds a frame of the extension's bundles (dist/) is ours;
 * the rest is VS Code's (document sync, link detection, its own extensions), other extensions' and
 * garbage collection (not attributed: it runs for whoever allocated).
 */
export interface StretchAttribution {
  /** The longest time spent in our code within one busy stretch. */
  oursLongestMs: number;
  /** The five stretches with the most of our time: how long each was, how much of it was ours, and in which of our functions. */
  top: { ms: number; oursMs: number; endedAtMs: number; heaviest: string[] }[];
  /** Of the longest stretch overall: how much was ours, and the functions that took most of it. */
  longestStretch: { ms: number; oursMs: number; heaviest: string[]; stacks: string[] };
}

export interface ProbeResults {
  done: boolean;
  error?: string;
  activation?: {
    alreadyActive: boolean;
    ms?: number;
    /** CPU time of the extension host process during activate(). */
    cpuMs?: number;
    /**
     * dist/extension.js was loaded before the probe asked: VS Code had begun activating SAML Lens
     * (onStartupFinished) and was waiting for its context, so the await covers the rest of it.
     */
    underWay?: boolean;
    /**
     * Loading dist/extension.js and the activate() call, timed around the two themselves: what
     * VS Code's Running Extensions view counts as activation time. Absent when the load came first.
     */
    own?: OwnActivation;
    /** Evaluating dist/extension.js again from scratch (require cache cleared), several times: the module-loading share. */
    moduleLoadMs?: number[];
  };
  idle?: BusyStretches;
  plainOpen?: BusyStretches & { shownMs: number };
  aggregateOpen?: BusyStretches & {
    shownMs: number;
    treeMs: number;
    diagnosticsMs: number;
    entities: number;
    diagnostics: number;
    attribution?: StretchAttribution;
  };
  edit?: EditLatency;
  /** The same edits on the aggregate, with the host's busy stretches over them. */
  aggregateEdit?: EditLatency;
  /**
   * Those edits again with VS Code's merge-conflict decorations and CodeLens turned off: each
   * reads the whole document after every change, on the extension host's thread.
   */
  aggregateEditWithoutMergeConflict?: EditLatency;
  scale?: {
    bytes: number;
    /** vscode.open → the tree holds the file's entities, read from disk by the worker. */
    treeMs: number;
    entities: number;
    /** The tree's description: entities, roles and judged certificates. */
    description: string;
    /** The filter applied and its rows handed out as the view asks for them, and how many. */
    filters: { text: string; ms: number; rows: number }[];
    /** The last entity's range in lines, asked of the worker that holds the text (it indexes the lines the first time). */
    rangeMs: number;
    /** Clicking that row → the workbench showed the file there (vscode.open with a selection). */
    revealMs: number;
    /** The extension host process (its worker threads included), in MB. */
    rssBeforeMB: number;
    rssShownMB: number;
    peakRssMB: number;
    busy: BusyStretches;
    attribution?: StretchAttribution;
  };
  workspaceCheck?: {
    /** Whole checks, one after the other (the first reads the files from a cold cache). */
    ms: number[];
    files: number;
    certificates: number;
    /** Cancel → the check's promise settled, for checks cancelled after a while. */
    cancelMs: number[];
    filesAtCancel: number[];
    cancelledAfterMs: number[];
    /** Self time by function over the last whole check (all of the host: VS Code's code and ours). */
    heaviest: string[];
  };
}

export interface EditLatency {
  debounceMs: number;
  /** Which kind of place each measured edit was typed in. */
  kinds?: ('certificate' | 'text' | 'attribute')[];
  busy?: BusyStretches;
  attribution?: StretchAttribution;
  textChangedMs: number[];
  /** To the onDidChangeDiagnostics event. */
  diagnosticsMs: number[];
  /** To the moment getDiagnostics shows the change (polled every 2 ms). */
  publishedMs?: number[];
  diagnostics: number;
  timeouts: string[];
}

const TICK_MS = 4;

/** A CPU profile of this extension host (all of its main thread: VS Code's code and ours). */
async function startProfile(): Promise<() => Promise<object>> {
  const inspector = require('node:inspector') as typeof import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    session.disconnect();
    return profile;
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, on the monotonic clock `process.hrtime` reads. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A busy stretch on the monotonic clock, in microseconds, to line up with profile samples. */
interface TimedStretch {
  ms: number;
  endedAtMs: number;
  startUs: number;
  endUs: number;
}

/** Names a frame of a bundle through the source map next to it, when the bench built one (--profile). */
function frameNamer(): (frame: ProfileNode['callFrame'] & { columnNumber?: number }) => string {
  const { SourceMap } = require('node:module') as typeof import('node:module');
  const maps = new Map<string, InstanceType<typeof SourceMap> | undefined>();
  return (frame) => {
    const path = frame.url.replace(/^file:\/\//, '');
    if (!maps.has(path)) {
      let map: InstanceType<typeof SourceMap> | undefined;
      try {
        if (existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
      } catch {
        map = undefined;
      }
      maps.set(path, map);
    }
    const entry = maps.get(path)?.findEntry(frame.lineNumber, frame.columnNumber ?? 0) as
      { originalSource?: string; originalLine?: number; name?: string } | undefined;
    if (entry?.originalSource) {
      return `${entry.name ?? frame.functionName} ${entry.originalSource.replace(/^.*?\/src\//, 'src/')}:${(entry.originalLine ?? 0) + 1}`;
    }
    return `${frame.functionName || '(anonymous)'} ${path.slice(path.lastIndexOf('/') + 1)}:${frame.lineNumber + 1}`;
  };
}

/** `ourCode`: the folder of the extension's bundles (dist/extension.js and the feature chunks it loads). */
function attributeStretches(
  profile: CpuProfile,
  stretches: readonly TimedStretch[],
  ourCode: string,
): StretchAttribution {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const name = frameNamer();
  // Whether a sampled stack holds one of our frames, and our innermost frame's name.
  const ourFrame = new Map<number, string | undefined>();
  const ourFrameOf = (id: number): string | undefined => {
    if (ourFrame.has(id)) return ourFrame.get(id);
    const node = byId.get(id);
    const parent = parentOf.get(id);
    const own = node?.callFrame.url.includes(ourCode) ? name(node.callFrame) : undefined;
    const found = own ?? (parent === undefined ? undefined : ourFrameOf(parent));
    ourFrame.set(id, found);
    return found;
  };
  const ours = stretches.map(() => 0);
  const frames = stretches.map(() => new Map<string, number>());
  // Whose work the longest stretch was, ours or not: the heaviest sampled stacks in it.
  const longestIndex = stretches.reduce(
    (best, stretch, index) => (stretch.ms > (stretches[best]?.ms ?? -1) ? index : best),
    0,
  );
  const longest = stretches[longestIndex];
  const longestStacks = new Map<number, number>();
  const stackOf = (id: number): string => {
    const names: string[] = [];
    for (let at: number | undefined = id; at !== undefined && names.length < 10; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame && frame.functionName !== '(root)') names.push(name(frame));
    }
    return names.join(' < ');
  };
  const sorted = stretches
    .map((stretch, index) => ({ stretch, index }))
    .sort((a, b) => a.stretch.startUs - b.stretch.startUs);
  let time = profile.startTime;
  let next = 0;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i] ?? 0;
    // The sample stands for the time until the next one; credit only what falls inside a stretch.
    const sampleEnd = time + (profile.timeDeltas[i + 1] ?? 0);
    if (longest && time < longest.endUs && sampleEnd > longest.startUs)
      longestStacks.set(id, (longestStacks.get(id) ?? 0) + (sampleEnd - time) / 1000);
    const frame = ourFrameOf(id);
    if (frame === undefined) return;
    while (next < sorted.length && sorted[next].stretch.endUs <= time) next++;
    for (let k = next; k < sorted.length && sorted[k].stretch.startUs < sampleEnd; k++) {
      const { stretch, index } = sorted[k];
      const overlapMs = (Math.min(sampleEnd, stretch.endUs) - Math.max(time, stretch.startUs)) / 1000;
      if (overlapMs <= 0) continue;
      ours[index] += overlapMs;
      frames[index].set(frame, (frames[index].get(frame) ?? 0) + overlapMs);
    }
  });
  const heaviest = (index: number) =>
    [...frames[index]]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([frame, ms]) => `${frame} ${round(ms)} ms`);
  const ranked = stretches
    .map((stretch, index) => ({ stretch, index, oursMs: ours[index] }))
    .sort((a, b) => b.oursMs - a.oursMs);
  return {
    oursLongestMs: round(ranked[0]?.oursMs ?? 0),
    top: ranked.slice(0, 5).map(({ stretch, index, oursMs }) => ({
      ms: round(stretch.ms),
      oursMs: round(oursMs),
      endedAtMs: round(stretch.endedAtMs),
      heaviest: heaviest(index),
    })),
    longestStretch: {
      ms: round(stretches[longestIndex]?.ms ?? 0),
      oursMs: round(ours[longestIndex] ?? 0),
      heaviest: stretches.length ? heaviest(longestIndex) : [],
      stacks: [...longestStacks]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([id, ms]) => `${round(ms)} ms: ${stackOf(id)}`),
    },
  };
}

/** The functions with the most self time in a profile, with their milliseconds. */
function heaviestFunctions(profile: CpuProfile, count: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const name = frameNamer();
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = name(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, ms]) => `${round(ms)} ms ${frame}`);
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Watches the event loop: every tick that arrives late marks a stretch the thread was busy. */
function watchBusyStretches(): { stop(): BusyStretches; stretches(): readonly TimedStretch[] } {
  const { monitorEventLoopDelay } = require('node:perf_hooks') as typeof import('node:perf_hooks');
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const opened = performance.now();
  const stretches: TimedStretch[] = [];
  let last = opened;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late > 1) {
      const endUs = monotonicUs();
      stretches.push({ ms: late, endedAtMs: now - opened, startUs: endUs - late * 1000, endUs });
    }
    last = now;
  }, TICK_MS);
  return {
    stretches: () => stretches,
    stop() {
      clearInterval(timer);
      histogram.disable();
      const top = [...stretches].sort((a, b) => b.ms - a.ms).slice(0, 5);
      return {
        windowMs: performance.now() - opened,
        longestMs: top[0]?.ms ?? 0,
        top: top.map((s) => ({ ms: round(s.ms), endedAtMs: round(s.endedAtMs) })),
        histogramMaxMs: round(histogram.max / 1e6),
      };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pollUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 240_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function samlDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await sleep(500);
}

export interface OwnActivation {
  loadMs: number;
  activateCallMs: number;
  /** CPU time of the host process over the two. */
  cpuMs: number;
}

/**
 * Wraps Node's loader for .js files, which the host goes through to load an extension's main
 * module, to time loading `mainPath` (reading, compiling, evaluating) and the call of its
 * activate(): the module's exports are handed on behind a proxy that times that call.
 */
function timeOwnActivation(mainPath: string): { timing(): OwnActivation | undefined; restore(): void } {
  type JsLoader = (module: { exports: unknown }, filename: string) => void;
  const loaders = (require('node:module') as { _extensions: Record<string, JsLoader> })._extensions;
  const originalJs = loaders['.js'];
  let load: { ms: number; cpu: NodeJS.CpuUsage } | undefined;
  let call: { ms: number; cpu: NodeJS.CpuUsage } | undefined;
  const timed = <T>(run: () => T, record: (ms: number, cpu: NodeJS.CpuUsage) => void): T => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    try {
      return run();
    } finally {
      record(performance.now() - started, process.cpuUsage(cpuBefore));
    }
  };
  loaders['.js'] = function (this: unknown, module, filename) {
    if (filename !== mainPath || load) return originalJs.call(this, module, filename);
    timed(
      () => originalJs.call(this, module, filename),
      (ms, cpu) => (load = { ms, cpu }),
    );
    module.exports = new Proxy(module.exports as object, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (key !== 'activate' || typeof value !== 'function') return value;
        return function (this: unknown, ...args: unknown[]) {
          return timed(
            () => value.apply(this, args),
            (ms, cpu) => (call = { ms, cpu }),
          );
        };
      },
    });
  };
  const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
  return {
    timing: () =>
      load && call
        ? { loadMs: round(load.ms), activateCallMs: round(call.ms), cpuMs: round(cpuMs(load.cpu) + cpuMs(call.cpu)) }
        : undefined,
    restore: () => {
      loaders['.js'] = originalJs;
    },
  };
}

async function measureActivation(): Promise<{ api: SamlLensApi; activation: ProbeResults['activation'] }> {
  const extension = vscode.extensions.getExtension<SamlLensApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  const moduleLoadMs = () => {
    const bundle = require.resolve(join(extension.extensionPath, 'dist', 'extension.js'));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      delete require.cache[bundle];
      const started = performance.now();
      require(bundle);
      times.push(round(performance.now() - started));
    }
    return times;
  };
  if (extension.isActive)
    return { api: extension.exports, activation: { alreadyActive: true, moduleLoadMs: moduleLoadMs() } };
  // Node names modules by their real path; the staged copy links its folders.
  const mainPath = (require('node:fs') as typeof import('node:fs')).realpathSync(
    join(extension.extensionPath, 'dist', 'extension.js'),
  );
  const underWay = require.cache[mainPath] !== undefined;
  const own = timeOwnActivation(mainPath);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let api: SamlLensApi;
  try {
    api = await extension.activate();
  } finally {
    own.restore();
  }
  const ms = round(performance.now() - started);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    api,
    activation: {
      alreadyActive: false,
      ms,
      cpuMs: round((cpu.user + cpu.system) / 1000),
      underWay,
      own: own.timing(),
      moduleLoadMs: moduleLoadMs(),
    },
  };
}

async function measurePlainOpen(file: string): Promise<ProbeResults['plainOpen']> {
  const watch = watchBusyStretches();
  const started = performance.now();
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document, { preview: false });
  const shownMs = performance.now() - started;
  await sleep(3000);
  const stretches = watch.stop();
  await closeAllEditors();
  return { ...stretches, shownMs: round(shownMs) };
}

async function measureAggregateOpen(
  api: SamlLensApi,
  file: string,
  profileFile: string | undefined,
): Promise<ProbeResults['aggregateOpen']> {
  const tree = api.metadataTree;
  if (!tree) throw new Error('activate() returned no metadataTree');
  // The tree parses only while it is visible: show it first, as a user looking at metadata would.
  await vscode.commands.executeCommand('samlLens.metadataTree.focus');
  await sleep(500);
  const uri = vscode.Uri.file(file);
  // Always profiled: the profile tells our stretches from VS Code's (it slows the host a little, for both).
  const stopProfile = await startProfile();
  const watch = watchBusyStretches();
  const started = performance.now();
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  const shownMs = performance.now() - started;
  let treeMs = 0;
  let diagnosticsMs = 0;
  let entities = 0;
  await Promise.all([
    pollUntil('the tree to show the aggregate', () => {
      const state = tree.provider.current;
      if (state.kind !== 'outline' || state.source.kind !== 'document' || state.source.document !== document)
        return undefined;
      entities = state.outline.entities.length;
      treeMs = performance.now() - started;
      return true;
    }),
    pollUntil('certificate diagnostics for the aggregate', () => {
      if (samlDiagnostics(uri).length === 0) return undefined;
      diagnosticsMs = performance.now() - started;
      return true;
    }),
  ]);
  await tree.whenSettled();
  // Expanding the first entity asks the provider for children, as a click would.
  const roots = await tree.provider.getChildren();
  if (roots?.[0]) await tree.provider.getChildren(roots[0]);
  await sleep(3000); // Late work (garbage collection of the parse, the view's requests) still counts.
  const stretches = watch.stop();
  const profile = (await stopProfile()) as CpuProfile;
  if (profileFile) writeFileSync(profileFile, JSON.stringify(profile));
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  const attribution = extension
    ? attributeStretches(profile, watch.stretches(), `${join(extension.extensionPath, 'dist')}/`)
    : undefined;
  const diagnostics = samlDiagnostics(uri).length;
  await closeAllEditors();
  return {
    ...stretches,
    shownMs: round(shownMs),
    treeMs: round(treeMs),
    diagnosticsMs: round(diagnosticsMs),
    entities,
    diagnostics,
    attribution,
  };
}

/**
 * Where an edit is typed, and the diagnostic that tells the analysis has seen it: a "%" in a
 * certificate's base64 makes it unreadable (cert.invalid), an "x" at the end of a NameIDFormat's
 * text or of a Binding attribute's value makes the URI unknown (metadata.unknown-nameid-format,
 * metadata.unknown-binding). Typing adds that diagnostic at the spot, deleting takes it away, so
 * every keystroke changes the diagnostics and the wait is for those that reflect this very edit.
 */
interface EditSite {
  kind: 'certificate' | 'text' | 'attribute';
  offset: number;
  character: string;
  code: string;
}

/** `perKind` sites of each kind, spread evenly over the document. */
function editSites(text: string, perKind: number): EditSite[] {
  const spread = (pattern: RegExp, at: (match: RegExpExecArray) => number): number[] => {
    const offsets: number[] = [];
    for (let k = 0; k < perKind; k++) {
      pattern.lastIndex = Math.floor(((k + 0.5) / perKind) * text.length);
      const match = pattern.exec(text);
      if (match) offsets.push(at(match));
    }
    return offsets;
  };
  const sites = [
    ...spread(/<ds:X509Certificate>\s*MII/g, (m) => m.index + m[0].length).map((offset) => ({
      kind: 'certificate' as const,
      offset,
      character: '%',
      code: CertificateCode.Invalid,
    })),
    ...spread(/nameid-format:persistent(?=<\/md:NameIDFormat>)/g, (m) => m.index + m[0].length).map((offset) => ({
      kind: 'text' as const,
      offset,
      character: 'x',
      code: MetadataLintCode.UnknownNameIdFormat,
    })),
    ...spread(/Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect(?=")/g, (m) => m.index + m[0].length).map(
      (offset) => ({ kind: 'attribute' as const, offset, character: 'x', code: MetadataLintCode.UnknownBinding }),
    ),
  ];
  if (sites.length < perKind * 3) throw new Error(`found ${sites.length} of the ${perKind * 3} edit sites`);
  return sites.sort((a, b) => a.offset - b.offset);
}

/** Whether a diagnostic with `code` covers `position`. */
function diagnosticAt(uri: vscode.Uri, position: vscode.Position, code: string): boolean {
  return samlDiagnostics(uri).some((d) => {
    const dcode = typeof d.code === 'object' ? d.code.value : d.code;
    return dcode === code && d.range.contains(position);
  });
}

/**
 * Types one character at each site and deletes it again (2 × sites edits), waiting after each for
 * the diagnostics that reflect it. When `watch` is set, the host's busy stretches over the edits
 * are watched and a CPU profile tells how much of each was SAML Lens code.
 */
async function measureEdits(file: string, perKind: number, watch: boolean): Promise<NonNullable<ProbeResults['edit']>> {
  const uri = vscode.Uri.file(file);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  await pollUntil(`the first diagnostics of ${file}`, () => samlDiagnostics(uri).length > 0);
  await sleep(watch ? 5000 : 1000);
  const sites = editSites(document.getText(), perKind);
  const textChangedMs: number[] = [];
  const diagnosticsMs: number[] = [];
  const publishedMs: number[] = [];
  const kinds: EditSite['kind'][] = [];
  const timeouts: string[] = [];
  const stopProfile = watch ? await startProfile() : undefined;
  const stretches = watch ? watchBusyStretches() : undefined;
  let unapplied = false;
  // Sites from the end backwards, so an inserted character never moves a site still to come.
  for (const site of [...sites].reverse()) {
    for (const typing of [true, false]) {
      const at = document.positionAt(site.offset);
      const edit = new vscode.WorkspaceEdit();
      if (typing) edit.insert(uri, at, site.character);
      else edit.delete(uri, new vscode.Range(at, at.translate(0, 1)));
      const shown = () => diagnosticAt(uri, at, site.code) === typing;
      let textChanged = 0;
      const started = performance.now();
      const diagnosticsUpdated = new Promise<number>((resolve) => {
        const listener = vscode.languages.onDidChangeDiagnostics((event) => {
          if (!event.uris.some((changed) => changed.toString() === uri.toString()) || !shown()) return;
          listener.dispose();
          resolve(performance.now() - started);
        });
      });
      const textListener = vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === uri.toString() && !textChanged) textChanged = performance.now() - started;
      });
      // VS Code fires onDidChangeDiagnostics 50 ms after a collection changes (a DebounceEmitter in its
      // extension host); the editor receives the markers at once. Polling tells when they were set.
      let published = 0;
      const poll = setInterval(() => {
        if (!published && textChanged && shown()) published = performance.now() - started;
      }, 2);
      if (!(await vscode.workspace.applyEdit(edit))) {
        // The workbench refuses an edit made against a version it has moved past; the next site
        // starts from the document as it is.
        clearInterval(poll);
        textListener.dispose();
        timeouts.push(`${site.kind} edit at offset ${site.offset}: VS Code did not apply the edit`);
        unapplied = true;
        await sleep(1000);
        break;
      }
      const elapsed = await Promise.race([diagnosticsUpdated, sleep(60_000).then(() => -1)]);
      clearInterval(poll);
      textListener.dispose();
      if (elapsed < 0) {
        timeouts.push(
          `${site.kind} edit at offset ${site.offset}: the diagnostics did not ${typing ? 'report' : 'drop'} ${site.code} within 60 s`,
        );
        continue;
      }
      kinds.push(site.kind);
      textChangedMs.push(round(textChanged));
      diagnosticsMs.push(round(elapsed));
      publishedMs.push(round(published || elapsed));
      await sleep(300);
    }
  }
  const busy = stretches?.stop();
  const profile = stopProfile ? ((await stopProfile()) as CpuProfile) : undefined;
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  const attribution =
    profile && stretches && extension
      ? attributeStretches(profile, stretches.stretches(), `${join(extension.extensionPath, 'dist')}/`)
      : undefined;
  const diagnostics = samlDiagnostics(uri).length;
  // The debounce adapts to the document's size: the one this file gets.
  const debounceMs = editDebounceMs(document);
  // Every typed character was deleted again; saving leaves the file as it was even where the
  // workbench saves on its own. After an edit VS Code did not apply, the file is read again instead.
  if (unapplied) await vscode.commands.executeCommand('workbench.action.files.revert', uri);
  else await document.save();
  // The workbench writes a 48 MB file through the server for a while after save() resolves: the
  // launch must not end (and stop the server) before the file is whole again.
  const bytes = Buffer.byteLength(document.getText());
  await pollUntil(`${file} to be written whole`, () => statSync(file).size === bytes || undefined, 60_000);
  await closeAllEditors();
  return {
    debounceMs,
    textChangedMs,
    diagnosticsMs,
    publishedMs,
    kinds,
    diagnostics,
    timeouts,
    busy,
    attribution,
  };
}

/**
 * The tree on an aggregate four times the usual size, read from disk (VS Code does not share a
 * file over 50 MB with extensions): opened as a person would, filtered, a row clicked; the host's
 * busy stretches and its process's memory (worker threads included) watched throughout.
 */
async function measureScale(api: SamlLensApi, file: string): Promise<NonNullable<ProbeResults['scale']>> {
  const tree = api.metadataTree;
  if (!tree) throw new Error('activate() returned no metadataTree');
  await vscode.commands.executeCommand('samlLens.metadataTree.focus');
  await sleep(500);
  const uri = vscode.Uri.file(file);
  const rssBeforeMB = process.memoryUsage().rss / 1024 / 1024;
  const stopProfile = await startProfile();
  const watch = watchBusyStretches();
  const started = performance.now();
  await vscode.commands.executeCommand('vscode.open', uri);
  let entities = 0;
  await pollUntil(
    'the tree to show the file read from disk',
    () => {
      const state = tree.provider.current;
      if (state.kind !== 'outline' || state.source.kind !== 'disk' || state.source.uri.fsPath !== uri.fsPath)
        return undefined;
      if (state.outline.error) throw new Error(`the tree reports: ${state.outline.error.message}`);
      entities = state.outline.entities.length;
      return true;
    },
    300_000,
  );
  const treeMs = performance.now() - started;
  await tree.whenSettled();
  const rssShownMB = process.memoryUsage().rss / 1024 / 1024;
  const description = tree.treeView.description ?? '';
  // The generated aggregate is flat: its EntitiesDescriptor is the root row, the entities under it.
  // Rows are asked for as the view asks (a large group's come in slices).
  const rows = async () => {
    const all: MetadataNode[] = [];
    for (const root of await tree.provider.getChildren()) all.push(...(await tree.provider.getChildren(root)));
    return all;
  };
  const filters: { text: string; ms: number; rows: number }[] = [];
  for (const text of ['cert:expired', 'role:idp', `sp${entities - 1}.members`]) {
    const filterStarted = performance.now();
    const error = tree.setFilter(text);
    if (error) throw new Error(`the filter "${text}" was refused: ${error}`);
    await tree.whenSettled();
    const shown = (await rows()).length;
    filters.push({ text, ms: round(performance.now() - filterStarted), rows: shown });
    await sleep(1500);
  }
  tree.setFilter('');
  await sleep(1500);
  const all = await rows();
  const rangeStarted = performance.now();
  const range = await tree.provider.rangeOf(all[all.length - 1]);
  const rangeMs = performance.now() - rangeStarted;
  if (!range) throw new Error('the last entity has no range');
  const revealStarted = performance.now();
  await tree.revealInEditor(all[all.length - 1]);
  const revealMs = performance.now() - revealStarted;
  await sleep(3000);
  const busy = watch.stop();
  const profile = (await stopProfile()) as CpuProfile;
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  const attribution = extension
    ? attributeStretches(profile, watch.stretches(), `${join(extension.extensionPath, 'dist')}/`)
    : undefined;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  await closeAllEditors();
  return {
    bytes: statSync(file).size,
    treeMs: round(treeMs),
    entities,
    description,
    filters,
    rangeMs: round(rangeMs),
    revealMs: round(revealMs),
    rssBeforeMB: round(rssBeforeMB),
    rssShownMB: round(rssShownMB),
    peakRssMB: round(peakRssMB),
    busy,
    attribution,
  };
}

async function measureWorkspaceCheck(api: SamlLensApi): Promise<NonNullable<ProbeResults['workspaceCheck']>> {
  const certificates = api.certificates;
  if (!certificates) throw new Error('activate() returned no certificates API');
  const ms: number[] = [];
  let heaviest: string[] = [];
  let last: Awaited<ReturnType<typeof certificates.checkWorkspace>> | undefined;
  for (let check = 0; check < 3; check++) {
    // The last check is profiled: where the time per file goes, heaviest functions first.
    const stopProfile = check === 2 ? await startProfile() : undefined;
    const started = performance.now();
    last = await certificates.checkWorkspace();
    if (stopProfile) heaviest = heaviestFunctions((await stopProfile()) as CpuProfile, 12);
    ms.push(round(performance.now() - started));
    if (last.cancelled) throw new Error('the workspace check was cancelled without being asked to');
  }
  const cancelMs: number[] = [];
  const filesAtCancel: number[] = [];
  const cancelledAfterMs: number[] = [];
  // Cancelled a tenth, a quarter and two fifths of the way through a whole check (the time includes finding the files).
  const whole = [...ms].sort((a, b) => a - b)[1];
  for (const after of [0.1, 0.25, 0.4].map((share) => Math.round(whole * share))) {
    const source = new vscode.CancellationTokenSource();
    const checking = certificates.checkWorkspace(source.token);
    await sleep(after);
    const cancelled = performance.now();
    source.cancel();
    const result = await checking;
    cancelMs.push(round(performance.now() - cancelled));
    filesAtCancel.push(result.files);
    if (!result.cancelled) throw new Error(`the check finished within ${after} ms, before it could be cancelled`);
    cancelledAfterMs.push(after);
  }
  return {
    ms,
    files: last?.files ?? 0,
    certificates: last?.certificates ?? 0,
    cancelMs,
    filesAtCancel,
    cancelledAfterMs,
    heaviest,
  };
}

export async function run(): Promise<void> {
  const resultsFile = process.env.SAML_LENS_BENCH_RESULTS;
  const config = JSON.parse(process.env.SAML_LENS_BENCH_CONFIG ?? '{}') as ProbeConfig;
  const results: ProbeResults = { done: false };
  const report = () => resultsFile && writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  try {
    if (config.coldActivationAfterMs !== undefined) {
      await sleep(config.coldActivationAfterMs);
      results.activation = (await measureActivation()).activation;
      results.done = true;
      report();
      return;
    }
    const { api, activation } = await measureActivation();
    results.activation = activation;
    report();
    if (config.scaleAggregate) {
      await sleep(2000);
      results.scale = await measureScale(api, config.scaleAggregate);
      results.done = true;
      report();
      return;
    }
    if (config.workspaceCheck) {
      await sleep(2000);
      results.workspaceCheck = await measureWorkspaceCheck(api);
      results.done = true;
      report();
      return;
    }
    await sleep(2000);
    const idle = watchBusyStretches();
    await sleep(3000);
    results.idle = idle.stop();
    report();
    results.plainOpen = await measurePlainOpen(config.plainSameSize);
    report();
    results.aggregateOpen = await measureAggregateOpen(api, config.aggregate, config.profileFile);
    report();
    results.edit = await measureEdits(config.editFile, config.editSitesPerKind, false);
    report();
    if (config.aggregateEditSitesPerKind > 0) {
      results.aggregateEdit = await measureEdits(config.aggregate, config.aggregateEditSitesPerKind, true);
      report();
      const mergeConflict = vscode.workspace.getConfiguration('merge-conflict');
      await mergeConflict.update('decorators.enabled', false, vscode.ConfigurationTarget.Global);
      await mergeConflict.update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
      try {
        results.aggregateEditWithoutMergeConflict = await measureEdits(
          config.aggregate,
          config.aggregateEditSitesPerKind,
          true,
        );
      } finally {
        await mergeConflict.update('decorators.enabled', undefined, vscode.ConfigurationTarget.Global);
        await mergeConflict.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
      }
      report();
    }
  } catch (error) {
    results.error = (error as Error).stack ?? String(error);
  }
  results.done = true;
  report();
}
