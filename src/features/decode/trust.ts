/**
 * Gathers what trust and expectations may come from in the editor: workspace metadata, files and
 * fingerprints in `samlLens.trustedCertificates` (trusted workspaces only), a service provider's
 * `idpMetadata`, `samlLens.serviceProviders`, or what the user picked in the panel. The choice
 * itself is core/trust's `selectTrust`, the rule the command line uses too. A certificate inside the
 * message itself is never a source of trust.
 */
import * as vscode from 'vscode';
import type { SourceNote } from '../../shared/protocol';
import type { DecodeEngine } from './headless/engine';
import type { MessageAddressing } from '../../core/messages/text';
import {
  EMPTY_METADATA_SUMMARY,
  type IdentityProviderSummary,
  type MetadataSummary,
  type ServiceProviderSummary,
} from '../../core/metadata/summary';
import {
  describeChoice,
  looksLikeFingerprint,
  parseFingerprint,
  serviceProviderMatch,
  type ConfiguredAnchor,
  type ConfiguredServiceProvider,
  type MetadataContents,
  type MetadataDocument,
  type TrustSelection,
} from '../../core/trust';
import type { DecodeSettings, ServiceProviderSetting } from './settings';
import { describeUri, readAnchorFile, resolveSettingPath } from '../settingFiles';

export { describeUri } from '../settingFiles';

/** How many XML files the workspace scan reads at most, and how large one may be. */
export const MAX_METADATA_FILES = 500;
export const MAX_METADATA_BYTES = 64 * 1024 * 1024;

export type CertificateChoice =
  | { readonly kind: 'automatic' }
  | { readonly kind: 'file'; readonly uri: vscode.Uri }
  | {
      readonly kind: 'metadata';
      readonly uri: vscode.Uri;
      readonly entityId: string;
      /** How it was chosen, when not in the panel ("given by the test sign-in"). */
      readonly how?: string;
    };

export type ServiceProviderChoice =
  | { readonly kind: 'automatic' }
  | { readonly kind: 'none' }
  | { readonly kind: 'metadata'; readonly uri: vscode.Uri; readonly entityId: string }
  | { readonly kind: 'setting'; readonly entityId: string }
  /** Expectations another feature states (the test sign-in's own SP), used whatever the message says. */
  | {
      readonly kind: 'given';
      readonly entityId: string;
      readonly acsUrls: readonly string[];
      readonly expectedAttributes: readonly string[];
      /** Shown as where they came from ("the test sign-in's SP"). */
      readonly source: string;
    };

export interface IndexedMetadata {
  readonly uri: vscode.Uri;
  readonly identityProviders: readonly IdentityProviderSummary[];
  readonly serviceProviders: readonly ServiceProviderSummary[];
  readonly summary: MetadataContents;
}

/** A metadata document for the selection, remembering its file so a change re-validates. */
export type PanelDocument = MetadataDocument & { readonly uri?: vscode.Uri };

export interface ResolvedTrust {
  readonly documents: readonly PanelDocument[];
  readonly anchors: readonly ConfiguredAnchor[];
  /** Problems reading the sources (what was used is described by the selection). */
  readonly notes: readonly SourceNote[];
  /** Files whose change should trigger a re-validation. */
  readonly watched: readonly vscode.Uri[];
}

export interface ResolvedExpectations {
  readonly documents: readonly PanelDocument[];
  readonly serviceProviders: readonly ConfiguredServiceProvider[];
  readonly noServiceProvider?: boolean;
  readonly notes: readonly SourceNote[];
  readonly watched: readonly vscode.Uri[];
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
        indexed.push({
          uri,
          identityProviders: summary.identityProviders,
          serviceProviders: summary.serviceProviders,
          summary,
        });
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
      : EMPTY_METADATA_SUMMARY;
    if (!summary.ok && text.includes('EntityDescriptor'))
      this.log.warn(`Decode: could not read metadata ${describeUri(uri)}: ${summary.message}`);
    this.cache.set(key, { mtime: stat.mtime, size: stat.size, summary });
    return summary;
  }
}

/** Only the named entity of a summary, for metadata picked in the panel. */
function onlyEntity(summary: MetadataSummary | undefined, entityId: string): MetadataContents | undefined {
  if (!summary?.ok) return undefined;
  const contents = {
    identityProviders: summary.identityProviders.filter((e) => e.entityId === entityId),
    serviceProviders: summary.serviceProviders.filter((e) => e.entityId === entityId),
    attributeAuthorities: summary.attributeAuthorities.filter((e) => e.entityId === entityId),
    entityCount: 1,
  };
  return contents.identityProviders.length + contents.serviceProviders.length + contents.attributeAuthorities.length
    ? contents
    : undefined;
}

function workspaceDocuments(files: readonly IndexedMetadata[], useFor: 'trust' | 'expectations'): PanelDocument[] {
  return files.map((file) => ({
    label: describeUri(file.uri),
    contents: file.summary,
    namedFor: 'found',
    useFor,
    uri: file.uri,
  }));
}

/** The documents, certificates, keys and fingerprints trust may come from, read from the workspace and settings. */
export async function resolveTrust(
  choice: CertificateChoice,
  index: WorkspaceMetadataIndex,
  settings: DecodeSettings,
  serviceProvider: ServiceProviderSetting | undefined,
): Promise<ResolvedTrust> {
  const documents: PanelDocument[] = [];
  const anchors: ConfiguredAnchor[] = [];
  const notes: SourceNote[] = [];
  const watched: vscode.Uri[] = [];

  if (choice.kind === 'file') {
    watched.push(choice.uri);
    const read = await readAnchorFile(choice.uri, describeUri(choice.uri));
    if (read.ok) anchors.push({ ...read.anchor, how: 'chosen in the panel' });
    else notes.push({ what: 'Chosen certificate', source: `not usable: ${read.message}` });
    return { documents, anchors, notes, watched };
  }
  if (choice.kind === 'metadata') {
    watched.push(choice.uri);
    const contents = onlyEntity(await index.summary(choice.uri), choice.entityId);
    if (contents)
      documents.push({
        label: describeUri(choice.uri),
        contents,
        namedFor: 'idp',
        how: choice.how ?? 'chosen in the panel',
        useFor: 'trust',
        uri: choice.uri,
      });
    else
      notes.push({
        what: 'Chosen IdP metadata',
        source: `${choice.entityId} is no longer in ${describeUri(choice.uri)}`,
      });
    return { documents, anchors, notes, watched };
  }

  // Automatic: every metadata file in the workspace, where an entityID equals the Issuer.
  documents.push(...workspaceDocuments(await index.files(), 'trust'));
  const wantsSettingFiles = settings.trustedCertificates.length > 0 || serviceProvider?.idpMetadata !== undefined;
  if (wantsSettingFiles && !vscode.workspace.isTrusted) {
    notes.push({
      what: 'Certificates from settings',
      source: 'ignored: files named in workspace settings are only read in a trusted workspace',
    });
    return { documents, anchors, notes, watched };
  }
  if (serviceProvider?.idpMetadata) {
    const uri = resolveSettingPath(serviceProvider.idpMetadata);
    const summary = uri && (await index.summary(uri));
    if (uri) watched.push(uri);
    const label = `${uri ? describeUri(uri) : serviceProvider.idpMetadata} (idpMetadata of ${serviceProvider.entityId} in samlLens.serviceProviders)`;
    if (uri && summary?.ok) {
      // Named for this SP's IdP: used when it holds one IdP even if the Issuer differs, and an
      // aggregate without the Issuer is reported. The same file found in the workspace is not used twice.
      const key = uri.toString();
      const duplicate = documents.findIndex((d) => d.uri?.toString() === key);
      if (duplicate >= 0) documents.splice(duplicate, 1);
      documents.push({ label, contents: summary, namedFor: 'idp', useFor: 'trust', uri });
    } else {
      notes.push({ what: 'IdP metadata from settings', source: `${label}: not readable as metadata` });
    }
  }
  for (const value of settings.trustedCertificates) {
    if (looksLikeFingerprint(value)) {
      const read = parseFingerprint(value, 'samlLens.trustedCertificates');
      if (read.ok) anchors.push(read.anchor);
      else notes.push({ what: 'samlLens.trustedCertificates', source: `not usable: ${read.message}` });
      continue;
    }
    const uri = resolveSettingPath(value);
    if (!uri) {
      notes.push({
        what: 'samlLens.trustedCertificates',
        source: `${value}: relative path but no workspace folder is open`,
      });
      continue;
    }
    watched.push(uri);
    const read = await readAnchorFile(uri, `${describeUri(uri)} (samlLens.trustedCertificates)`);
    if (read.ok) anchors.push(read.anchor);
    else notes.push({ what: 'samlLens.trustedCertificates', source: `not usable: ${read.message}` });
  }
  return { documents, anchors, notes, watched };
}

/** The `samlLens.serviceProviders` entry the message is addressed to, if any. */
export function settingForMessage(
  settings: DecodeSettings,
  addressing: MessageAddressing,
  choice: ServiceProviderChoice,
): ServiceProviderSetting | undefined {
  if (choice.kind === 'setting') return settings.serviceProviders.find((s) => s.entityId === choice.entityId);
  if (choice.kind !== 'automatic') return undefined;
  return settings.serviceProviders.find((s) => serviceProviderMatch(s, addressing) !== undefined);
}

function configuredFromSetting(setting: ServiceProviderSetting): ConfiguredServiceProvider {
  return {
    entityId: setting.entityId,
    acsUrls: setting.acsUrls,
    expectedAttributes: setting.expectedAttributes,
    source: 'samlLens.serviceProviders',
  };
}

/** Where the service provider's expectations may come from: settings and workspace metadata, or the panel's choice. */
export async function resolveExpectations(
  choice: ServiceProviderChoice,
  index: WorkspaceMetadataIndex,
  settings: DecodeSettings,
): Promise<ResolvedExpectations> {
  switch (choice.kind) {
    case 'none':
      return {
        documents: [],
        serviceProviders: [],
        noServiceProvider: true,
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
        ? {
            documents: [],
            serviceProviders: [{ ...configuredFromSetting(setting), how: 'chosen in the panel' }],
            notes: [],
            watched: [],
          }
        : {
            documents: [],
            serviceProviders: [],
            noServiceProvider: true,
            notes: [
              { what: 'Service provider', source: `${choice.entityId} is no longer in samlLens.serviceProviders` },
            ],
            watched: [],
          };
    }
    case 'given':
      return {
        documents: [],
        serviceProviders: [
          {
            entityId: choice.entityId,
            acsUrls: choice.acsUrls,
            expectedAttributes: choice.expectedAttributes,
            source: choice.source,
            how: 'given with the message',
          },
        ],
        notes: [],
        watched: [],
      };
    case 'metadata': {
      const contents = onlyEntity(await index.summary(choice.uri), choice.entityId);
      return contents
        ? {
            documents: [
              {
                label: describeUri(choice.uri),
                contents,
                namedFor: 'sp',
                how: 'chosen in the panel',
                useFor: 'expectations',
                uri: choice.uri,
              },
            ],
            serviceProviders: [],
            notes: [],
            watched: [choice.uri],
          }
        : {
            documents: [],
            serviceProviders: [],
            noServiceProvider: true,
            notes: [
              { what: 'Service provider', source: `${choice.entityId} is no longer in ${describeUri(choice.uri)}` },
            ],
            watched: [choice.uri],
          };
    }
    case 'automatic':
      return {
        documents: workspaceDocuments(await index.files(), 'expectations'),
        serviceProviders: settings.serviceProviders.map(configuredFromSetting),
        notes: [],
        watched: [],
      };
  }
}

/** The panel's sources section: how each key and the service provider were chosen. */
export function selectionNotes(selection: TrustSelection): { trust: SourceNote[]; expectations: SourceNote[] } {
  const trust: SourceNote[] = [];
  const expectations: SourceNote[] = [];
  for (const choice of selection.choices) {
    if (choice.role === 'service-provider') continue;
    trust.push({
      what: choice.what,
      source:
        choice.role === 'signer'
          ? `${choice.what.startsWith('SP ') ? 'SP' : 'IdP'} metadata ${describeChoice(choice)}`
          : describeChoice(choice),
    });
  }
  const sp = selection.sp;
  if (sp) {
    expectations.push(
      { what: 'Service provider', source: `${sp.entityId ?? '(no entityID)'} from ${sp.source}` },
      { what: 'ACS URLs', source: sp.acsUrls?.length ? sp.acsUrls.join('\n') : '(none listed)' },
      {
        what: 'Expected attributes',
        source: sp.expectedAttributes?.length ? sp.expectedAttributes.map((a) => a.name).join(', ') : '(none listed)',
      },
    );
    if (sp.wantAssertionsSigned)
      expectations.push({
        what: 'Signed assertion',
        source: 'required: the SP metadata says WantAssertionsSigned="true"',
      });
  }
  return { trust, expectations };
}
