/**
 * Messages between the extension host and the decode worker (worker.ts). Decoding and validating
 * a large pasted message can take seconds of CPU; the worker keeps the extension host responsive.
 * Everything crossing the boundary is plain, structured-cloneable data.
 */
import type { DecodeResult, DecodeSuccess } from '../../../core/messages/decode';
import type { PanelModel } from '../../../shared/protocol';
import type { MessageAddressing } from '../../../core/messages/text';
import type { MetadataSummary } from '../../../core/metadata/summary';
import type { ValidationInputs, ValidationReportLike } from './validation';

/** What the decode worker is asked (through core/workerChannel). */
export type DecodeWorkerBody =
  | { readonly op: 'decode'; readonly text: string }
  | { readonly op: 'validate'; readonly decoded: DecodeSuccess; readonly inputs: ValidationInputs }
  | { readonly op: 'redact'; readonly xml: string }
  | { readonly op: 'summariseMetadata'; readonly text: string };

export interface DecodeOutcome {
  readonly decoded: DecodeResult;
  readonly addressing?: MessageAddressing;
}

export interface ValidateOutcome {
  readonly report: ValidationReportLike;
  readonly model: PanelModel;
}

export type RedactOutcome =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

export interface WorkerResults {
  readonly decode: DecodeOutcome;
  readonly validate: ValidateOutcome;
  readonly redact: RedactOutcome;
  readonly summariseMetadata: MetadataSummary;
}
