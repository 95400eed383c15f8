/**
 * Worker thread entry (bundled to dist/decodeWorker.js): decodes, validates and redacts SAML
 * messages away from the extension host thread. No vscode import.
 */
import { parentPort } from 'worker_threads';
import { decodeSamlInput } from '../../core/messages/decode';
import { readAddressing, redactedXml } from '../../core/messages/text';
import { summariseMetadata } from '../../core/metadata/summary';
import { runValidation } from './validation';
import type { WorkerRequest, WorkerResponse, WorkerResults } from './workerProtocol';

function handle(request: WorkerRequest): WorkerResults[WorkerRequest['op']] {
  switch (request.op) {
    case 'decode': {
      const decoded = decodeSamlInput(request.text);
      return decoded.ok ? { decoded, addressing: readAddressing(decoded.xml) } : { decoded };
    }
    case 'validate':
      return runValidation(request.decoded, request.inputs);
    case 'redact':
      return redactedXml(request.xml);
    case 'summariseMetadata':
      return summariseMetadata(request.text);
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: request.id, ok: true, result: handle(request) };
  } catch (error) {
    // Core functions return results for expected failures; this is a bug, reported with its message.
    response = {
      id: request.id,
      ok: false,
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    };
  }
  parentPort?.postMessage(response);
});
