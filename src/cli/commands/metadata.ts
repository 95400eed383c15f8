import { certificateFindings } from '../../core/certs';
import { lintMetadata, parseMetadata } from '../../core/metadata';
import type { EntityDescriptorNode, MetadataModel, RoleNode } from '../../core/metadata';
import { lookupTerm } from '../../core/vocabulary';
import { LineIndex } from '../../core/xml';
import { ExitCode, InputError } from '../errors';
import { readTextFile } from '../inputs';
import type { CliCommand } from '../command';
import type { Output } from '../output';
import { parseInstant } from './validate';

export const METADATA_HELP = `Usage: saml-lens metadata FILE [--json] [--now ISO-8601]

Prints the metadata model: entities, roles, keys, endpoints, NameID formats, attributes, and the
lint findings (expired validUntil, missing signing keys, non-https endpoints, …).

  --json          the model as JSON (offsets are UTF-16 code units into the file's text)
  --now ISO-8601  judge validUntil and certificates as of this instant (default: now)

Exit codes: 0 read (findings do not change it), 3 unreadable or not well-formed, 64 usage error.`;

const ROLE_NAMES: Record<RoleNode['kind'], string> = {
  IDPSSODescriptor: 'IdP',
  SPSSODescriptor: 'SP',
  AttributeAuthorityDescriptor: 'Attribute authority',
  AuthnAuthorityDescriptor: 'Authn authority',
  PDPDescriptor: 'PDP',
  RoleDescriptor: 'Role',
};

function roleName(role: RoleNode): string {
  return role.xsiType ? `${ROLE_NAMES[role.kind]} (${role.xsiType.localName})` : ROLE_NAMES[role.kind];
}

function bindingName(uri: string | undefined): string {
  if (!uri) return '(no Binding)';
  return lookupTerm(uri)?.shortName ?? uri;
}

function printEntity(entity: EntityDescriptorNode, out: Output, now: Date): void {
  const c = out.colour;
  const displayName = entity.extensions?.uiInfo?.displayNames[0]?.value ?? entity.organization?.displayNames[0]?.value;
  out.line(`${c.bold(entity.entityID?.value ?? '(no entityID)')}${displayName ? `  ${c.dim(displayName)}` : ''}`);
  for (const role of entity.roles) {
    out.line(`  ${roleName(role)}`);
    for (const key of role.keyDescriptors) {
      for (const cert of key.certificates) {
        const findings = certificateFindings(cert.base64, { now });
        const note = findings.map((f) => f.message).join(' ') || 'ok';
        out.line(
          `    key ${key.use ?? 'signing+encryption'}: ${findings.some((f) => f.severity === 'error') ? c.red(note) : findings.length ? c.yellow(note) : c.dim(note)}`,
        );
      }
    }
    for (const endpoint of role.endpoints) {
      const index =
        endpoint.index !== undefined
          ? ` [${endpoint.index}${endpoint.isDefault ? ', default' : ''}]`
          : endpoint.isDefault
            ? ' [default]'
            : '';
      out.line(
        `    ${endpoint.localName} ${bindingName(endpoint.binding?.value)}${index}: ${endpoint.location?.value ?? '(no Location)'}`,
      );
    }
    for (const format of role.nameIDFormats) out.line(`    NameIDFormat ${format.value}`);
    for (const attribute of role.attributes)
      out.line(`    offers ${attribute.name}${attribute.friendlyName ? ` (${attribute.friendlyName})` : ''}`);
    for (const service of role.attributeConsumingServices) {
      for (const attribute of service.requestedAttributes) {
        out.line(
          `    requests ${attribute.name}${attribute.friendlyName ? ` (${attribute.friendlyName})` : ''}${attribute.isRequired ? ' required' : ''}`,
        );
      }
    }
  }
}

function counts(model: MetadataModel) {
  const roles = model.entities.flatMap((e) => e.roles);
  return {
    entities: model.entities.length,
    identityProviders: model.entities.filter((e) => e.roles.some((r) => r.kind === 'IDPSSODescriptor')).length,
    serviceProviders: model.entities.filter((e) => e.roles.some((r) => r.kind === 'SPSSODescriptor')).length,
    roles: roles.length,
    keyDescriptors: roles.reduce((n, r) => n + r.keyDescriptors.length, 0),
    endpoints: roles.reduce((n, r) => n + r.endpoints.length, 0),
    certificates: model.certificates.length,
  };
}

export function runMetadata(args: { file?: string; json: boolean; now?: string }, out: Output): number {
  if (!args.file) throw new InputError('metadata needs a FILE.');
  const text = readTextFile(args.file, 'metadata file');
  const now = parseInstant(args.now, '--now');
  const parsed = parseMetadata(text);
  if (!parsed.ok) throw new InputError(`${args.file}: ${parsed.error.message}`);
  const findings = lintMetadata(parsed.model, { now });
  const lines = new LineIndex(text);
  if (args.json) {
    out.line(
      JSON.stringify(
        {
          file: args.file,
          counts: counts(parsed.model),
          findings: findings.map((f) => ({ ...f, line: lines.positionAt(f.range.start).line + 1 })),
          model: parsed.model,
        },
        null,
        2,
      ),
    );
    return ExitCode.Ok;
  }
  const n = counts(parsed.model);
  out.line(
    `${args.file}: ${n.entities} entities · ${n.identityProviders} IdPs · ${n.serviceProviders} SPs · ${n.certificates} certificates`,
  );
  out.line();
  for (const entity of parsed.model.entities) printEntity(entity, out, now);
  if (findings.length > 0) {
    out.line();
    out.line(out.colour.bold('Findings'));
    for (const f of findings) {
      const mark =
        f.severity === 'error'
          ? out.colour.red('✗')
          : f.severity === 'warning'
            ? out.colour.yellow('!')
            : out.colour.dim('i');
      out.line(
        `${mark} line ${lines.positionAt(f.range.start).line + 1}: ${f.message} ${out.colour.dim(`[${f.code}]`)}`,
      );
    }
  }
  return ExitCode.Ok;
}

export const metadataCommand: CliCommand = {
  name: 'metadata',
  summary: 'print the entities, roles, keys and endpoints of a metadata file',
  help: METADATA_HELP,
  options: { now: { type: 'string' } },
  run: (line, out) =>
    runMetadata({ file: line.onePositional('FILE'), json: line.flag('json'), now: line.string('now') }, out),
};
