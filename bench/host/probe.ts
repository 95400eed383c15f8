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
 * - edit latency: WorkspaceEdit → onDidChangeDiagnostics for that document, on a 1 MB metadata file;
 *   reference: WorkspaceEdit → onDidChangeTextDocument.
 *
 * Results go to the JSON file named by SAML_LENS_BENCH_RESULTS; settings come in SAML_LENS_BENCH_CONFIG.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import { CertificateCode } from '../../src/core/certs/codes';
import { EDIT_DEBOUNCE_MS } from '../../src/features/certificates/diagnostics';
import { DIAGNOSTIC_SOURCE, EXTENSION_ID } from '../../src/ids';

export interface ProbeConfig {
  aggregate: string;
  /** A plain-text file the size of the aggregate: what VS Code itself costs to open it. */
  plainSameSize: string;
  editFile: string;
  editRuns: number;
  /** Write a CPU profile of the extension host while the aggregate opens to this file. */
  profileFile?: string;
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

export interface ProbeResults {
  done: boolean;
  error?: string;
  activation?: {
    alreadyActive: boolean;
    ms?: number;
    /** CPU time of the extension host process during activate(). */
    cpuMs?: number;
    /** Evaluating dist/extension.js again from scratch (require cache cleared), several times: the module-loading share. */
    moduleLoadMs?: number[];
  };
  idle?: BusyStretches;
  plainOpen?: BusyStretches & { shownMs: number };
  aggregateOpen?: BusyStretches & { shownMs: number; treeMs: number; diagnosticsMs: number; entities: number; diagnostics: number };
  edit?: { debounceMs: number; textChangedMs: number[]; diagnosticsMs: number[]; diagnostics: number; timeouts: string[] };
}

const TICK_MS = 4;

/** A CPU profile of this extension host (all of its main thread: VS Code's code and ours). */
async function startProfile(): Promise<() => Promise<object>> {
  const inspector = require('node:inspector') as typeof import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    session.disconnect();
    return profile;
  };
}

/** Watches the event loop: every tick that arrives late marks a stretch the thread was busy. */
function watchBusyStretches(): { stop(): BusyStretches } {
  const { monitorEventLoopDelay } = require('node:perf_hooks') as typeof import('node:perf_hooks');
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const opened = performance.now();
  const stretches: { ms: number; endedAtMs: number }[] = [];
  let last = opened;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    if (late > 1) stretches.push({ ms: late, endedAtMs: now - opened });
    last = now;
  }, TICK_MS);
  return {
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

async function pollUntil<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 240_000): Promise<T> {
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

/** Whether a diagnostic at `position` says the certificate there cannot be read. */
function unreadableCertificateAt(uri: vscode.Uri, position: vscode.Position): boolean {
  return samlDiagnostics(uri).some((d) => {
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    return code === CertificateCode.Invalid && d.range.contains(position);
  });
}

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await sleep(500);
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
  if (extension.isActive) return { api: extension.exports, activation: { alreadyActive: true, moduleLoadMs: moduleLoadMs() } };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const api = await extension.activate();
  const ms = round(performance.now() - started);
  const cpu = process.cpuUsage(cpuBefore);
  return { api, activation: { alreadyActive: false, ms, cpuMs: round((cpu.user + cpu.system) / 1000), moduleLoadMs: moduleLoadMs() } };
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

async function measureAggregateOpen(api: SamlLensApi, file: string, profileFile: string | undefined): Promise<ProbeResults['aggregateOpen']> {
  const tree = api.metadataTree;
  if (!tree) throw new Error('activate() returned no metadataTree');
  // The tree parses only while it is visible: show it first, as a user looking at metadata would.
  await vscode.commands.executeCommand('samlLens.metadataTree.focus');
  await sleep(500);
  const uri = vscode.Uri.file(file);
  const stopProfile = profileFile ? await startProfile() : undefined;
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
      if (state.kind !== 'outline' || state.source.kind !== 'document' || state.source.document !== document) return undefined;
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
  if (stopProfile && profileFile) writeFileSync(profileFile, JSON.stringify(await stopProfile()));
  const diagnostics = samlDiagnostics(uri).length;
  await closeAllEditors();
  return { ...stretches, shownMs: round(shownMs), treeMs: round(treeMs), diagnosticsMs: round(diagnosticsMs), entities, diagnostics };
}

/**
 * Types one character into the first certificate and deletes it again, alternately: the character
 * makes the certificate unreadable, so each keystroke changes the diagnostics (one more error, then
 * one fewer) and the wait is for diagnostics that reflect this very edit.
 */
async function measureEdits(file: string, runs: number): Promise<ProbeResults['edit']> {
  const uri = vscode.Uri.file(file);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  await pollUntil('the first diagnostics of the 1 MB file', () => samlDiagnostics(uri).length > 0);
  await sleep(1000);
  const certificate = document.getText().indexOf('<ds:X509Certificate>');
  if (certificate < 0) throw new Error(`${file} has no ds:X509Certificate to type into`);
  const at = document.positionAt(document.getText().indexOf('MII', certificate) + 3);
  const textChangedMs: number[] = [];
  const diagnosticsMs: number[] = [];
  const timeouts: string[] = [];
  for (let run = 0; run < runs; run++) {
    // Type where there is no "%", delete it where there is: the next edit follows the text, whatever happened before.
    const typing = document.getText(new vscode.Range(at, at.translate(0, 1))) !== '%';
    const edit = new vscode.WorkspaceEdit();
    if (typing) edit.insert(uri, at, '%');
    else edit.delete(uri, new vscode.Range(at, at.translate(0, 1)));
    let textChanged = 0;
    const started = performance.now();
    const diagnosticsUpdated = new Promise<number>((resolve) => {
      const listener = vscode.languages.onDidChangeDiagnostics((event) => {
        if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
        if (unreadableCertificateAt(uri, at) !== typing) return;
        listener.dispose();
        resolve(performance.now() - started);
      });
    });
    const textListener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() === uri.toString() && !textChanged) textChanged = performance.now() - started;
    });
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit was not applied');
    const elapsed = await Promise.race([diagnosticsUpdated, sleep(30_000).then(() => -1)]);
    textListener.dispose();
    if (elapsed < 0) {
      timeouts.push(`edit ${run + 1}: the diagnostics did not ${typing ? 'report' : 'drop'} the unreadable certificate within 30 s`);
      continue;
    }
    textChangedMs.push(round(textChanged));
    diagnosticsMs.push(round(elapsed));
    await sleep(300);
  }
  const diagnostics = samlDiagnostics(uri).length;
  // Leave the file as it was, even where the workbench saves on its own: take the "%" out and save.
  if (document.getText(new vscode.Range(at, at.translate(0, 1))) === '%') {
    const undo = new vscode.WorkspaceEdit();
    undo.delete(uri, new vscode.Range(at, at.translate(0, 1)));
    await vscode.workspace.applyEdit(undo);
  }
  await document.save();
  await closeAllEditors();
  return { debounceMs: EDIT_DEBOUNCE_MS, textChangedMs, diagnosticsMs, diagnostics, timeouts };
}

export async function run(): Promise<void> {
  const resultsFile = process.env.SAML_LENS_BENCH_RESULTS;
  const config = JSON.parse(process.env.SAML_LENS_BENCH_CONFIG ?? '{}') as ProbeConfig;
  const results: ProbeResults = { done: false };
  const report = () => resultsFile && writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  try {
    const { api, activation } = await measureActivation();
    results.activation = activation;
    report();
    await sleep(2000);
    const idle = watchBusyStretches();
    await sleep(3000);
    results.idle = idle.stop();
    report();
    results.plainOpen = await measurePlainOpen(config.plainSameSize);
    report();
    results.aggregateOpen = await measureAggregateOpen(api, config.aggregate, config.profileFile);
    report();
    results.edit = await measureEdits(config.editFile, config.editRuns);
    report();
  } catch (error) {
    results.error = (error as Error).stack ?? String(error);
  }
  results.done = true;
  report();
}
