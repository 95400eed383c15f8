// What changed between two versions of a metadata document, in SAML terms rather than lines: entities
// added, removed or changed, and per entity its certificates (by SHA-256), endpoints, NameID formats,
// attributes, entity attributes and validUntil; on top, a verdict on certificate rollover.
import { certificateFacts } from '../certs/facts';
import { formatDateTime } from '../time';
import type { AttributeNode, EntityDescriptorNode, MetadataModel, RoleNode } from './model';

export interface DiffCertificate {
  /** SHA-256 of the DER, colon-separated upper-case hex; for an unreadable certificate, its base64 start. */
  readonly sha256: string;
  readonly subject: string;
  /** ISO 8601, when the certificate could be read. */
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** "signing", "encryption", or "signing+encryption" (a KeyDescriptor without use). */
  readonly use: string;
  /** The roles it is published in: "IdP", "SP", … */
  readonly roles: readonly string[];
}

export interface AddedRemoved<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
}

export interface EntityDiff {
  readonly entityId: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly certificates: AddedRemoved<DiffCertificate>;
  /** "SingleSignOnService HTTP-Redirect https://…" (binding URIs as written). */
  readonly endpoints: AddedRemoved<string>;
  readonly nameIdFormats: AddedRemoved<string>;
  /** "offered Name" or "requested Name (required)". */
  readonly attributes: AddedRemoved<string>;
  /** "Name = value1, value2" of mdattr:EntityAttributes. */
  readonly entityAttributes: AddedRemoved<string>;
  readonly validUntil?: { readonly old?: string; readonly new?: string };
}

export type VerdictSeverity = 'error' | 'warning' | 'info';

export interface RolloverNote {
  readonly severity: VerdictSeverity;
  readonly entityId: string;
  readonly message: string;
}

export interface MetadataDiff {
  /** Entities that were added, removed or changed, in the order of the new document (removed ones last). */
  readonly entities: readonly EntityDiff[];
  readonly unchanged: number;
  /** The rollover verdict, most severe first. */
  readonly verdict: readonly RolloverNote[];
  /** A signing certificate of the old document, valid at `now`, is absent from the new one. */
  readonly signingCertificateRemoved: boolean;
}

export const ROLE_NAMES: Record<RoleNode['kind'], string> = {
  IDPSSODescriptor: 'IdP',
  SPSSODescriptor: 'SP',
  AttributeAuthorityDescriptor: 'attribute authority',
  AuthnAuthorityDescriptor: 'authentication authority',
  PDPDescriptor: 'PDP',
  RoleDescriptor: 'role',
};

interface CertificateEntry extends DiffCertificate {
  readonly notAfterDate?: Date;
  readonly notBeforeDate?: Date;
}

function certificatesOf(entity: EntityDescriptorNode): Map<string, CertificateEntry> {
  const found = new Map<string, CertificateEntry>();
  for (const role of entity.roles) {
    for (const key of role.keyDescriptors) {
      const use = key.use === 'signing' || key.use === 'encryption' ? key.use : 'signing+encryption';
      for (const certificate of key.certificates) {
        const facts = certificateFacts(certificate.base64);
        const sha256 = facts.ok
          ? facts.value.thumbprints.sha256WithColons
          : `unreadable ${certificate.base64.replace(/\s+/g, '').slice(0, 24)}…`;
        const id = `${sha256} ${use}`;
        const previous = found.get(id);
        const roleName = role.xsiType?.localName ?? ROLE_NAMES[role.kind];
        const roles = [...new Set([...(previous?.roles ?? []), roleName])];
        found.set(id, {
          sha256,
          use,
          roles,
          subject: facts.ok ? facts.value.subject : 'unreadable certificate',
          notBefore: facts.ok ? facts.value.notBefore.toISOString() : undefined,
          notAfter: facts.ok ? facts.value.notAfter.toISOString() : undefined,
          notBeforeDate: facts.ok ? facts.value.notBefore : undefined,
          notAfterDate: facts.ok ? facts.value.notAfter : undefined,
        });
      }
    }
  }
  return found;
}

function endpointsOf(entity: EntityDescriptorNode): Set<string> {
  const endpoints = new Set<string>();
  for (const role of entity.roles)
    for (const endpoint of role.endpoints) {
      const index = endpoint.index === undefined ? '' : ` [${endpoint.index}${endpoint.isDefault ? ', default' : ''}]`;
      endpoints.add(
        `${endpoint.localName} ${endpoint.binding?.value ?? '(no Binding)'} ${endpoint.location?.value ?? '(no Location)'}${index}`,
      );
    }
  return endpoints;
}

function attributeText(attribute: AttributeNode, kind: 'offered' | 'requested'): string {
  const name = attribute.name ?? '(no Name)';
  const friendly = attribute.friendlyName ? ` (${attribute.friendlyName})` : '';
  return `${kind} ${name}${friendly}${attribute.isRequired ? ' required' : ''}`;
}

function attributesOf(entity: EntityDescriptorNode): Set<string> {
  const attributes = new Set<string>();
  for (const role of entity.roles) {
    for (const attribute of role.attributes) attributes.add(attributeText(attribute, 'offered'));
    for (const service of role.attributeConsumingServices)
      for (const attribute of service.requestedAttributes) attributes.add(attributeText(attribute, 'requested'));
  }
  return attributes;
}

function nameIdFormatsOf(entity: EntityDescriptorNode): Set<string> {
  return new Set(entity.roles.flatMap((role) => role.nameIDFormats.map((format) => format.value.trim())));
}

function entityAttributesOf(entity: EntityDescriptorNode): Set<string> {
  return new Set(
    (entity.extensions?.entityAttributes ?? []).map(
      (attribute) => `${attribute.name ?? '(no Name)'} = ${attribute.values.map((v) => v.trim()).join(', ')}`,
    ),
  );
}

function compare(before: Set<string>, after: Set<string>): AddedRemoved<string> {
  return { added: [...after].filter((x) => !before.has(x)), removed: [...before].filter((x) => !after.has(x)) };
}

function compareCertificates(
  before: Map<string, CertificateEntry>,
  after: Map<string, CertificateEntry>,
): { added: CertificateEntry[]; removed: CertificateEntry[] } {
  return {
    added: [...after].filter(([id]) => !before.has(id)).map(([, c]) => c),
    removed: [...before].filter(([id]) => !after.has(id)).map(([, c]) => c),
  };
}

function withoutDates({ notAfterDate: _a, notBeforeDate: _b, ...certificate }: CertificateEntry): DiffCertificate {
  return certificate;
}

function isEmpty(diff: AddedRemoved<unknown>): boolean {
  return diff.added.length === 0 && diff.removed.length === 0;
}

function isSigning(certificate: DiffCertificate): boolean {
  return certificate.use !== 'encryption';
}

function isValidAt(certificate: CertificateEntry, now: Date): boolean {
  return (
    !!certificate.notAfterDate &&
    !!certificate.notBeforeDate &&
    certificate.notBeforeDate.getTime() <= now.getTime() &&
    now.getTime() <= certificate.notAfterDate.getTime()
  );
}

/** "the IdP", "the SP": who publishes the certificate, by its SAML role when it has one. */
function publisher(certificate: DiffCertificate): string {
  const role = ['IdP', 'SP'].find((name) => certificate.roles.includes(name)) ?? certificate.roles[0];
  return `the ${role}`;
}

function describeCertificate(certificate: CertificateEntry): string {
  return `${certificate.sha256} (${certificate.subject})`;
}

function day(date: Date | undefined): string {
  return date ? formatDateTime(date) : 'an unknown date';
}

/** The rollover notes of one entity present in both documents, or removed from the new one. */
function rolloverNotes(
  entityId: string,
  certificates: { added: CertificateEntry[]; removed: CertificateEntry[] },
  kept: CertificateEntry[],
  now: Date,
  entityRemoved: boolean,
): RolloverNote[] {
  const notes: RolloverNote[] = [];
  const removedSigning = certificates.removed.filter(isSigning);
  const addedSigning = certificates.added.filter(isSigning);
  const keptSigning = kept.filter(isSigning);
  for (const certificate of removedSigning) {
    const where = entityRemoved
      ? `${entityId} is no longer in the new metadata`
      : `it is no longer in ${publisher(certificate)} metadata of ${entityId}`;
    if (isValidAt(certificate, now))
      notes.push({
        severity: 'error',
        entityId,
        message: `The signing certificate ${describeCertificate(certificate)}, valid until ${day(certificate.notAfterDate)}, is gone: ${where}. Whoever takes the new metadata stops accepting what it signs.`,
      });
    else
      notes.push({
        severity: 'info',
        entityId,
        message: `The signing certificate ${describeCertificate(certificate)} was removed${entityRemoved ? ` with ${entityId}` : ''}; it was not valid any more (valid until ${day(certificate.notAfterDate)}).`,
      });
  }
  for (const certificate of addedSigning) {
    const stillValid = keptSigning.filter((old) => isValidAt(old, now));
    const notYet = certificate.notBeforeDate && certificate.notBeforeDate.getTime() > now.getTime();
    const lastOld = stillValid
      .map((old) => old.notAfterDate)
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    const advice =
      stillValid.length > 0
        ? `trust both until the old one${stillValid.length > 1 ? 's expire' : ' expires'} on ${day(lastOld)} or the IdP switches`
        : 'it is the only valid signing certificate now: update every partner that pins a certificate';
    notes.push({
      severity: 'warning',
      entityId,
      message: `${publisher(certificate).charAt(0).toUpperCase()}${publisher(certificate).slice(1)} ${entityId} added signing certificate ${describeCertificate(certificate)}, valid from ${day(certificate.notBeforeDate)}${notYet ? ' (not yet valid)' : ''} to ${day(certificate.notAfterDate)}; ${advice}.`,
    });
  }
  return notes;
}

const SEVERITY_ORDER: Record<VerdictSeverity, number> = { error: 0, warning: 1, info: 2 };

function entityKey(entity: EntityDescriptorNode): string {
  return entity.entityID?.value ?? '';
}

/** Compares two metadata models; `now` decides which certificates are still valid. */
export function diffMetadata(before: MetadataModel, after: MetadataModel, options: { now: Date }): MetadataDiff {
  const old = new Map(before.entities.map((entity) => [entityKey(entity), entity]));
  const current = new Map(after.entities.map((entity) => [entityKey(entity), entity]));
  const entities: EntityDiff[] = [];
  const verdict: RolloverNote[] = [];
  let unchanged = 0;
  for (const [entityId, entity] of current) {
    const previous = old.get(entityId);
    const afterCertificates = certificatesOf(entity);
    if (!previous) {
      const certificates = [...afterCertificates.values()];
      entities.push({
        entityId,
        change: 'added',
        certificates: { added: certificates.map(withoutDates), removed: [] },
        endpoints: { added: [...endpointsOf(entity)], removed: [] },
        nameIdFormats: { added: [...nameIdFormatsOf(entity)], removed: [] },
        attributes: { added: [...attributesOf(entity)], removed: [] },
        entityAttributes: { added: [...entityAttributesOf(entity)], removed: [] },
      });
      continue;
    }
    const beforeCertificates = certificatesOf(previous);
    const certificates = compareCertificates(beforeCertificates, afterCertificates);
    const kept = [...afterCertificates].filter(([id]) => beforeCertificates.has(id)).map(([, c]) => c);
    verdict.push(...rolloverNotes(entityId, certificates, kept, options.now, false));
    const oldUntil = previous.validUntil?.value;
    const newUntil = entity.validUntil?.value;
    const diff: EntityDiff = {
      entityId,
      change: 'changed',
      certificates: { added: certificates.added.map(withoutDates), removed: certificates.removed.map(withoutDates) },
      endpoints: compare(endpointsOf(previous), endpointsOf(entity)),
      nameIdFormats: compare(nameIdFormatsOf(previous), nameIdFormatsOf(entity)),
      attributes: compare(attributesOf(previous), attributesOf(entity)),
      entityAttributes: compare(entityAttributesOf(previous), entityAttributesOf(entity)),
      ...(oldUntil !== newUntil ? { validUntil: { old: oldUntil, new: newUntil } } : {}),
    };
    const same =
      isEmpty(diff.certificates) &&
      isEmpty(diff.endpoints) &&
      isEmpty(diff.nameIdFormats) &&
      isEmpty(diff.attributes) &&
      isEmpty(diff.entityAttributes) &&
      !diff.validUntil;
    if (same) unchanged++;
    else entities.push(diff);
  }
  for (const [entityId, entity] of old) {
    if (current.has(entityId)) continue;
    const certificates = [...certificatesOf(entity).values()];
    verdict.push(...rolloverNotes(entityId, { added: [], removed: certificates }, [], options.now, true));
    entities.push({
      entityId,
      change: 'removed',
      certificates: { added: [], removed: certificates.map(withoutDates) },
      endpoints: { added: [], removed: [...endpointsOf(entity)] },
      nameIdFormats: { added: [], removed: [...nameIdFormatsOf(entity)] },
      attributes: { added: [], removed: [...attributesOf(entity)] },
      entityAttributes: { added: [], removed: [...entityAttributesOf(entity)] },
    });
  }
  verdict.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return {
    entities,
    unchanged,
    verdict,
    signingCertificateRemoved: verdict.some((note) => note.severity === 'error'),
  };
}

const MARK: Record<VerdictSeverity, string> = { error: '✗', warning: '!', info: '·' };

function certificateLine(certificate: DiffCertificate): string {
  const validity =
    certificate.notBefore && certificate.notAfter
      ? `, valid ${certificate.notBefore.slice(0, 10)} → ${certificate.notAfter.slice(0, 10)}`
      : '';
  return `${certificate.use} certificate ${certificate.sha256} (${certificate.subject}${validity}) in the ${certificate.roles.join(', ')}`;
}

/**
 * The diff as Markdown that also reads as plain text: the verdict, then each entity's changes with
 * "+" and "-" lines. The command line prints it, the editor shows it in the Markdown preview.
 */
export function formatMetadataDiff(diff: MetadataDiff, names: { old: string; new: string }): string {
  const lines = [`# ${names.old} → ${names.new}`, ''];
  const counts = (['added', 'removed', 'changed'] as const).map(
    (change) => `${diff.entities.filter((e) => e.change === change).length} ${change}`,
  );
  lines.push(`Entities: ${counts.join(', ')}, ${diff.unchanged} unchanged.`, '');
  lines.push('## Verdict', '');
  if (diff.verdict.length === 0) lines.push('No signing certificate was added or removed.');
  for (const note of diff.verdict) lines.push(`- ${MARK[note.severity]} ${note.message}`);
  for (const entity of diff.entities) {
    lines.push(
      '',
      `## ${entity.change === 'added' ? '+' : entity.change === 'removed' ? '-' : '~'} ${entity.entityId || '(no entityID)'} (${entity.change})`,
      '',
    );
    const section = (what: string, changes: AddedRemoved<string>) => {
      const label = what ? `${what} ` : '';
      for (const item of changes.added) lines.push(`- \`+\` ${label}${item}`);
      for (const item of changes.removed) lines.push(`- \`-\` ${label}${item}`);
    };
    section('', {
      added: entity.certificates.added.map(certificateLine),
      removed: entity.certificates.removed.map(certificateLine),
    });
    section('endpoint', entity.endpoints);
    section('NameIDFormat', entity.nameIdFormats);
    section('attribute', entity.attributes);
    section('entity attribute', entity.entityAttributes);
    if (entity.validUntil)
      lines.push(`- validUntil ${entity.validUntil.old ?? '(none)'} → ${entity.validUntil.new ?? '(none)'}`);
  }
  return `${lines
    .join('\n')
    .replace(/`\+` {2}/g, '`+` ')
    .replace(/`-` {2}/g, '`-` ')}\n`;
}
