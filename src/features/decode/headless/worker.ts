/**
 * Worker thread entry (bundled to dist/decodeWorker.js): decodes, validates and redacts SAML
 * messages away from the extension host thread. No vscode import.
 */
import { decodeSamlInput } from '../../../core/messages/decode';
import { readAddressing, redactedXml } from '../../../core/messages/text';
import { summariseMetadata } from '../../../core/metadata/summary';
import { runValidation } from './validation';
import { serveRequests } from '../../../core/workerChannel';
import type { DecodeWorkerBody, WorkerResults } from './workerProtocol';

function handle(request: DecodeWorkerBody): WorkerResults[DecodeWorkerBody['op']] {
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

// Core functions return results for expected failures; a thrown error is a bug, reported with its message.
serveRequests<DecodeWorkerBody>((request) => ({ result: handle(request) }));
