/**
 * Where trust and expectations come from. Trust: the signing certificates of the IdP whose
 * entityID equals the message's Issuer in workspace metadata, certificate files named in
 * `samlLens.trustedCertificates` (trusted workspaces only), or a certificate the user picked.
 * Expectations: an SP entry in `samlLens.serviceProviders` or SP metadata in the workspace, matched
 * by Audience, Destination or Recipient, or the one the user picked. A certificate inside the
 * message itself is never a source of trust.
 */
import * as vscode from 'vscode';
import { decodeCertificateDer } from '../../core/certs/decode';
import type { SamlMessageType } from '../../core/messages/decode';
import type { SourceNote } from '../../shared/protocol';
import type { DecodeEngine } from './engine';
import type { MessageAddressing } from '../../core/messages/text';
import type { IdentityProviderSummary, MetadataSummary, ServiceProviderSummary } from '../../core/metadata/summary';
import type { DecodeSettings, ServiceProviderSetting } from './settings';
import type { ServiceProviderInput, TrustedCertificateInput } from './validation';

/** How many XML files the workspace scan reads at most, and how large one may be. */
export const MAX_METADATA_FILES = 500;
export const MAX_METADATA_BYTES = 64 * 1024 * 1024;

export type CertificateChoice =
  | { readonly kind: 'automatic' }
  | { readonly kind: 'file'; readonly uri: vscode.Uri }
  | { readonly kind: 'metadata'; readonly uri: vscode.Uri; readonly entityId: string };

export type ServiceProviderChoice =
  | { readonly kind: 'automatic' }
  | { readonly kind: 'none' }
  | { readonly kind: 'metadata'; readonly uri: vscode.Uri; readonly entityId: string }
  | { readonly kind: 'setting'; readonly entityId: string };

export interface IndexedMetadata {
  readonly uri: vscode.Uri;
  readonly identityProviders: readonly IdentityProviderSummary[];
  readonly serviceProviders: readonly ServiceProviderSummary[];
}

export interface ResolvedTrust {
  readonly certificates: readonly TrustedCertificateInput[];
  readonly notes: readonly SourceNote[];
  /** Files whose change should trigger a re-validation. */
  readonly watched: readonly vscode.Uri[];
}

export interface ResolvedExpectations {
  readonly serviceProvider?: ServiceProviderInput;
  readonly notes: readonly SourceNote[];
  readonly watched: readonly vscode.Uri[];
}

export function describeUri(uri: vscode.Uri): string {
  return uri.scheme === 'file' || vscode.workspace.getWorkspaceFolder(uri)
    ? vscode.workspace.asRelativePath(uri, false)
    : uri.toString(true);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Workspace metadata files summarised by the decode worker, cached until the file changes. */
export class WorkspaceMetadataIndex implements vscode.Disposable {
  private readonly cache = new Map<string, { mtime: number; size: number; summary: MetadataSummary }>();
  /** Reads in progress, so trust and expectations resolved side by side share one read per file. */
  private readonly inFlight = new Map<string, Promise<MetadataSummary | undefined>>();
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when an XML file in the workspace changes, is created or deleted. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly engine: DecodeEngine,
    private readonly log: { warn(message: string): void },
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.xml');
    const forget = (uri: vscode.Uri) => {
      this.cache.delete(uri.toString());
      this.changed.fire(uri);
    };
    this.watcher.onDidChange(forget);
    this.watcher.onDidCreate(forget);
    this.watcher.onDidDelete(forget);
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }

  async files(token?: vscode.CancellationToken): Promise<IndexedMetadata[]> {
    const uris = await vscode.workspace.findFiles('**/*.xml', '**/node_modules/**', MAX_METADATA_FILES, token);
    uris.sort((a, b) => a.toString().localeCompare(b.toString()));
    const indexed: IndexedMetadata[] = [];
    for (const uri of uris) {
      if (token?.isCancellationRequested) break;
      const summary = await this.summary(uri);
      if (summary?.ok && (summary.identityProviders.length > 0 || summary.serviceProviders.length > 0)) {
        indexed.push({ uri, identityProviders: summary.identityProviders, serviceProviders: summary.serviceProviders });
      }
    }
    return indexed;
  }

  /** The summary of one file (workspace or not), or undefined when it cannot be read. */
  summary(uri: vscode.Uri): Promise<MetadataSummary | undefined> {
    const key = uri.toString();
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const read = this.readSummary(uri).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, read);
    return read;
  }

  private async readSummary(uri: vscode.Uri): Promise<MetadataSummary | undefined> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return undefined;
    }
    const key = uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.mtime === stat.mtime && cached.size === stat.size) return cached.summary;
    if (stat.size > MAX_METADATA_BYTES) {
      this.log.warn(
        `Decode: skipped ${describeUri(uri)}: ${stat.size} bytes is more than the ${MAX_METADATA_BYTES}-byte limit for metadata files.`,
      );
      return undefined;
    }
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    // Most XML files in a workspace are not metadata: skip them without a trip to the worker.
    const summary: MetadataSummary = text.includes('EntityDescriptor')
      ? await this.engine.summariseMetadata(text)
      : { ok: true, identityProviders: [], serviceProviders: [] };
    if (!summary.ok && text.includes('EntityDescriptor'))
      this.log.warn(`Decode: could not read metadata ${describeUri(uri)}: ${summary.message}`);
    this.cache.set(key, { mtime: stat.mtime, size: stat.size, summary });
    return summary;
  }
}

/** Absolute paths stay as they are; relative ones are relative to the first workspace folder. */
export function resolveSettingPath(value: string): vscode.Uri | undefined {
  if (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value)) return vscode.Uri.file(value);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, value) : undefined;
}

/** Reads a PEM, base64 or DER certificate file into base64 DER, or explains why it cannot. */
export async function readCertificateFile(
  uri: vscode.Uri,
): Promise<{ ok: true; base64: string } | { ok: false; message: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    return {
      ok: false,
      message: `cannot read ${describeUri(uri)}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  // DER starts with a SEQUENCE tag; anything else is treated as text (PEM or base64).
  const base64 = bytes[0] === 0x30 ? Buffer.from(bytes).toString('base64') : new TextDecoder().decode(bytes);
  const decoded = decodeCertificateDer(base64);
  return decoded.ok
    ? { ok: true, base64: decoded.value.toString('base64') }
    : { ok: false, message: `${describeUri(uri)} is not a certificate: ${decoded.error.message}` };
}

function certificatesFromIdp(idp: IdentityProviderSummary, source: string): TrustedCertificateInput[] {
  return idp.signingCertificates.map((base64) => ({ base64, source }));
}

/** Picks the IdP to trust from a metadata summary: the one matching the Issuer, else the only one. */
function idpForIssuer(
  idps: readonly IdentityProviderSummary[],
  issuer: string | undefined,
): IdentityProviderSummary | undefined {
  return idps.find((idp) => idp.entityId === issuer) ?? (idps.length === 1 ? idps[0] : undefined);
}

export async function resolveTrust(
  messageType: SamlMessageType,
  addressing: MessageAddressing,
  choice: CertificateChoice,
  index: WorkspaceMetadataIndex,
  settings: DecodeSettings,
  serviceProvider: ServiceProviderSetting | undefined,
): Promise<ResolvedTrust> {
  const certificates: TrustedCertificateInput[] = [];
  const notes: SourceNote[] = [];
  const watched: vscode.Uri[] = [];

  if (choice.kind === 'file') {
    watched.push(choice.uri);
    const read = await readCertificateFile(choice.uri);
    if (read.ok) {
      const source = `certificate file ${describeUri(choice.uri)} (chosen in the panel)`;
      certificates.push({ base64: read.base64, source });
      notes.push({ what: 'Chosen certificate', source });
    } else {
      notes.push({ what: 'Chosen certificate', source: `not usable: ${read.message}` });
    }
    return { certificates, notes, watched };
  }
  if (choice.kind === 'metadata') {
    watched.push(choice.uri);
    const summary = await index.summary(choice.uri);
    const idp = summary?.ok ? summary.identityProviders.find((i) => i.entityId === choice.entityId) : undefined;
    const source = `IdP metadata ${describeUri(choice.uri)}, entityID ${choice.entityId} (chosen in the panel)`;
    if (idp) certificates.push(...certificatesFromIdp(idp, source));
    notes.push({
      what: 'Chosen IdP metadata',
      source: idp
        ? `${source}: ${plural(idp.signingCertificates.length, 'signing certificate')}`
        : `${source}: no longer found`,
    });
    return { certificates, notes, watched };
  }

  // Automatic: workspace metadata whose entityID equals the Issuer. Responses are signed by IdPs,
  // AuthnRequests by SPs, logout messages by either.
  if (addressing.issuer) {
    const signerRoles = messageType === 'Response' ? ['IdP'] : messageType === 'AuthnRequest' ? ['SP'] : ['IdP', 'SP'];
    for (const file of await index.files()) {
      const signers = [
        ...(signerRoles.includes('IdP') ? file.identityProviders.map((e) => ({ role: 'IdP', entity: e })) : []),
        ...(signerRoles.includes('SP') ? file.serviceProviders.map((e) => ({ role: 'SP', entity: e })) : []),
      ].filter((s) => s.entity.entityId === addressing.issuer);
      for (const { role, entity } of signers) {
        watched.push(file.uri);
        const source = `${role} metadata ${describeUri(file.uri)} (entityID matches the Issuer)`;
        certificates.push(...entity.signingCertificates.map((base64) => ({ base64, source })));
        notes.push({
          what: `${role} ${entity.entityId}`,
          source: `${source}: ${plural(entity.signingCertificates.length, 'signing certificate')}`,
        });
      }
    }
  }
  const wantsSettingFiles = settings.trustedCertificates.length > 0 || serviceProvider?.idpMetadata !== undefined;
  if (wantsSettingFiles && !vscode.workspace.isTrusted) {
    notes.push({
      what: 'Certificates from settings',
      source: 'ignored: files named in workspace settings are only read in a trusted workspace',
    });
    return { certificates, notes, watched };
  }
  if (serviceProvider?.idpMetadata) {
    const uri = resolveSettingPath(serviceProvider.idpMetadata);
    const summary = uri && (await index.summary(uri));
    const idp = summary?.ok ? idpForIssuer(summary.identityProviders, addressing.issuer) : undefined;
    if (uri) watched.push(uri);
    const label = `IdP metadata ${uri ? describeUri(uri) : serviceProvider.idpMetadata} (samlLens.serviceProviders, ${serviceProvider.entityId})`;
    if (idp) certificates.push(...certificatesFromIdp(idp, label));
    notes.push({
      what: 'IdP metadata from settings',
      source: idp
        ? `${label}: ${plural(idp.signingCertificates.length, 'signing certificate')}`
        : `${label}: no IdP matching the Issuer found`,
    });
  }
  for (const path of settings.trustedCertificates) {
    const uri = resolveSettingPath(path);
    if (!uri) {
      notes.push({
        what: 'samlLens.trustedCertificates',
        source: `${path}: relative path but no workspace folder is open`,
      });
      continue;
    }
    watched.push(uri);
    const read = await readCertificateFile(uri);
    const source = `certificate file ${describeUri(uri)} (samlLens.trustedCertificates)`;
    if (read.ok) certificates.push({ base64: read.base64, source });
    notes.push({ what: 'Certificate from settings', source: read.ok ? source : `not usable: ${read.message}` });
  }
  return { certificates, notes, watched };
}

function matchReason(
  sp: { entityId: string; acsUrls: readonly string[] },
  addressing: MessageAddressing,
): string | undefined {
  if (addressing.audiences.includes(sp.entityId)) return 'Audience';
  if (addressing.destination && sp.acsUrls.includes(addressing.destination)) return 'Destination';
  if (addressing.recipients.some((r) => sp.acsUrls.includes(r))) return 'Recipient';
  return undefined;
}

function expectationNotes(sp: ServiceProviderInput): SourceNote[] {
  return [
    { what: 'Service provider', source: `${sp.entityId} from ${sp.source}` },
    { what: 'ACS URLs', source: sp.acsUrls.length ? sp.acsUrls.join('\n') : '(none listed)' },
    {
      what: 'Expected attributes',
      source: sp.expectedAttributes.length ? sp.expectedAttributes.join(', ') : '(none listed)',
    },
  ];
}

/** The `samlLens.serviceProviders` entry the message is addressed to, if any. */
export function settingForMessage(
  settings: DecodeSettings,
  addressing: MessageAddressing,
  choice: ServiceProviderChoice,
): ServiceProviderSetting | undefined {
  if (choice.kind === 'setting') return settings.serviceProviders.find((s) => s.entityId === choice.entityId);
  if (choice.kind !== 'automatic') return undefined;
  return settings.serviceProviders.find((s) => matchReason(s, addressing) !== undefined);
}

export async function resolveExpectations(
  addressing: MessageAddressing,
  choice: ServiceProviderChoice,
  index: WorkspaceMetadataIndex,
  settings: DecodeSettings,
): Promise<ResolvedExpectations> {
  const fromSetting = (s: ServiceProviderSetting, how: string): ResolvedExpectations => {
    const serviceProvider = {
      entityId: s.entityId,
      acsUrls: s.acsUrls,
      expectedAttributes: s.expectedAttributes,
      source: `samlLens.serviceProviders (${how})`,
    };
    return { serviceProvider, notes: expectationNotes(serviceProvider), watched: [] };
  };
  const fromMetadata = (uri: vscode.Uri, sp: ServiceProviderSummary, how: string): ResolvedExpectations => {
    const serviceProvider = {
      entityId: sp.entityId,
      acsUrls: sp.acsUrls,
      expectedAttributes: sp.expectedAttributes,
      source: `SP metadata ${describeUri(uri)} (${how})`,
    };
    return { serviceProvider, notes: expectationNotes(serviceProvider), watched: [uri] };
  };

  switch (choice.kind) {
    case 'none':
      return {
        notes: [
          {
            what: 'Service provider',
            source: 'none (chosen in the panel): audience, recipient and attributes are not checked',
          },
        ],
        watched: [],
      };
    case 'setting': {
      const setting = settings.serviceProviders.find((s) => s.entityId === choice.entityId);
      return setting
        ? fromSetting(setting, 'chosen in the panel')
        : {
            notes: [
              { what: 'Service provider', source: `${choice.entityId} is no longer in samlLens.serviceProviders` },
            ],
            watched: [],
          };
    }
    case 'metadata': {
      const summary = await index.summary(choice.uri);
      const sp = summary?.ok ? summary.serviceProviders.find((s) => s.entityId === choice.entityId) : undefined;
      return sp
        ? fromMetadata(choice.uri, sp, 'chosen in the panel')
        : {
            notes: [
              { what: 'Service provider', source: `${choice.entityId} is no longer in ${describeUri(choice.uri)}` },
            ],
            watched: [choice.uri],
          };
    }
    case 'automatic': {
      for (const setting of settings.serviceProviders) {
        const reason = matchReason(setting, addressing);
        if (reason) return fromSetting(setting, `matched by ${reason}`);
      }
      for (const file of await index.files()) {
        for (const sp of file.serviceProviders) {
          const reason = matchReason(sp, addressing);
          if (reason) return fromMetadata(file.uri, sp, `matched by ${reason}`);
        }
      }
      return { notes: [], watched: [] };
    }
  }
}
