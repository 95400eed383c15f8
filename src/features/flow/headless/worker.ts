/**
 * Worker thread entry (bundled to dist/flowWorker.js): reads a capture from disk, decodes and
 * validates every message of it, and writes redacted copies, away from the extension host thread.
 * No vscode import.
 */
import { readFileSync, statSync } from 'node:fs';
import { flowFromCapture, flowSummary } from '../../../core/flow/flow';
import { saveRedactedCapture } from '../../../core/flow/redact';
import { summariseMetadata } from '../../../core/metadata/summary';
import type { MetadataDocument } from '../../../core/trust/select';
import { serveRequests } from '../../../core/workerChannel';
import type { FlowOutcome, FlowWorkerBody, RedactOutcome } from './protocol';

/** Metadata files above this size are not read for trust (an aggregate of this size is not an IdP's own). */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;

function workspaceMetadata(paths: readonly string[]): MetadataDocument[] {
  const documents: MetadataDocument[] = [];
  for (const path of paths) {
    try {
      if (statSync(path).size > MAX_METADATA_BYTES) continue;
      const text = readFileSync(path, 'utf8');
      if (!text.includes('EntityDescriptor')) continue;
      const summary = summariseMetadata(text);
      if (summary.ok && summary.entityCount > 0) documents.push({ label: path, contents: summary, namedFor: 'found' });
    } catch {
      // A file that vanished or cannot be read is no source of trust.
    }
  }
  return documents;
}

function handle(request: FlowWorkerBody): FlowOutcome | RedactOutcome {
  if (request.op === 'redact') {
    const saved = saveRedactedCapture(request.input, request.output, { samlContent: request.samlContent });
    return saved.ok ? { ok: true, summary: saved.summary } : saved;
  }
  let source = request.captureText;
  if (source === undefined) {
    try {
      source = readFileSync(request.capturePath ?? '', 'utf8');
    } catch (error) {
      return { ok: false, message: `Cannot read the capture ${request.capturePath}: ${(error as Error).message}` };
    }
  }
  const flow = flowFromCapture(source, {
    documents: workspaceMetadata(request.metadataPaths),
    clockSkewSeconds: request.clockSkewSeconds,
  });
  return flow.ok ? { ok: true, flow: flowSummary(flow) } : { ok: false, message: flow.message };
}

serveRequests<FlowWorkerBody>((request) => ({ result: handle(request) }));
