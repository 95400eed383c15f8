import { parseMetadata, type MetadataModel } from '../../core/metadata';
import { diffMetadata, formatMetadataDiff } from '../../core/metadata/diff';
import type { CliCommand } from '../command';
import { ExitCode, InputError, UsageError } from '../errors';
import { readTextFile } from '../inputs';
import type { Output } from '../output';
import { parseInstant } from './validate';

export const DIFF_HELP = `Usage: saml-lens diff OLD NEW [--json] [--now ISO-8601]

Compares two versions of a metadata file in SAML terms: entities added, removed or changed, and per
entity its certificates (by SHA-256, with subject and validity), endpoints, NameID formats,
attributes, entity attributes and validUntil. On top, a verdict on certificate rollover: a signing
certificate added while the old one is valid ("trust both until the old one expires"), or a signing
certificate that is still valid but gone from NEW.

  --json          the diff as JSON
  --now ISO-8601  judge certificate validity as of this instant (default: now)

Exit codes: 0 compared, 1 a signing certificate of OLD that is valid now is absent from NEW,
3 a file is unreadable or not metadata, 64 usage error.`;

function readModel(file: string, what: string): MetadataModel {
  const parsed = parseMetadata(readTextFile(file, what));
  if (!parsed.ok) throw new InputError(`${file}: ${parsed.error.message}`);
  if (parsed.model.entities.length === 0)
    throw new InputError(`${file} holds no EntityDescriptor: it is not SAML metadata.`);
  return parsed.model;
}

export function runDiff(args: { files: readonly string[]; json: boolean; now?: string }, out: Output): number {
  if (args.files.length !== 2)
    throw new UsageError(`diff compares two metadata files, OLD and NEW; got ${args.files.length}.`);
  const [oldFile, newFile] = args.files;
  const now = parseInstant(args.now, '--now');
  const diff = diffMetadata(readModel(oldFile, 'old metadata file'), readModel(newFile, 'new metadata file'), { now });
  if (args.json) out.line(JSON.stringify({ old: oldFile, new: newFile, now: now.toISOString(), ...diff }, null, 2));
  else out.line(formatMetadataDiff(diff, { old: oldFile, new: newFile }).trimEnd());
  return diff.signingCertificateRemoved ? ExitCode.Invalid : ExitCode.Ok;
}

export const diffCommand: CliCommand = {
  name: 'diff',
  summary: 'compare two versions of a metadata file: entities, certificates, rollover',
  help: DIFF_HELP,
  options: { now: { type: 'string' } },
  run: (line, out) => runDiff({ files: line.positionals, json: line.flag('json'), now: line.string('now') }, out),
};
