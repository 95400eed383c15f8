import * as vscode from 'vscode';
import type { SamlLensApi } from './api';
import { registerAuthoring } from './features/authoring';
import type * as MetadataBundle from './features/bundles/metadata';
import { CERTIFICATE_DOCUMENTS } from './features/certificates/selector';
import { registerCommonCommands } from './features/commonCommands';
import { registerDecode } from './features/decode/register';
import { registerFlow } from './features/flow/register';
import { registerGenerators } from './features/generators';
import { registerTestIdentityProvider } from './features/testIdentityProvider';
import { registerTestSignIn } from './features/testSignIn';
import { DeferredFeature, requireFeature } from './features/lazy';
import type { MetadataTreeApi } from './features/metadataTree';
import { createMetadataTreeView } from './features/metadataTree/view';
import { CommandId } from './ids';
import { disposeLog, log } from './log';

/** The certificate, metadata tree, metadata comparison, refresh and timeline commands, stand-ins until their feature loads. */
const METADATA_COMMANDS: readonly string[] = [
  CommandId.CheckWorkspaceCertificates,
  CommandId.CopyCertificateText,
  CommandId.CopyCertificatePem,
  CommandId.SaveCertificate,
  CommandId.ShowCertificateDetails,
  CommandId.MetadataTreeFilter,
  CommandId.MetadataTreeClearFilter,
  CommandId.MetadataTreeRefresh,
  CommandId.MetadataTreeRevealInEditor,
  CommandId.MetadataTreeCopyEntityId,
  CommandId.MetadataTreeCopyLocation,
  CommandId.MetadataTreeCopyCertificatePem,
  CommandId.MetadataTreeSaveCertificate,
  CommandId.MetadataTreeShowCertificateDetails,
  CommandId.MetadataTreeOpenCertificate,
  CommandId.CompareMetadata,
  CommandId.RefreshMetadataFromSource,
  CommandId.ShowCertificateTimeline,
];

/**
 * Registers every command and provider cheaply; each feature's implementation loads on first use
 * (src/features/lazy.ts). The API's feature fields load their feature when read.
 */
export function activate(context: vscode.ExtensionContext): SamlLensApi {
  const metadataTreeView = createMetadataTreeView(() => metadata.get());
  const metadata = new DeferredFeature(METADATA_COMMANDS, () => {
    const bundle = requireFeature<typeof MetadataBundle>(context.extensionUri, 'metadata');
    const certificates = bundle.registerCertificates(context);
    const signatures = bundle.registerMetadataSignatures(context);
    const compare = bundle.registerMetadataDiff();
    const refresh = bundle.registerMetadataRefresh(compare.show);
    const timeline = bundle.registerCertificateTimeline(context);
    let tree: MetadataTreeApi | undefined;
    const treeDisposable = bundle.registerMetadataTree(context, metadataTreeView, (api) => (tree = api));
    if (!tree) throw new Error('the metadata tree registered without its API');
    return Object.assign(vscode.Disposable.from(certificates, signatures, compare, refresh, timeline, treeDisposable), {
      certificates: certificates.api,
      signatures: signatures.api,
      tree,
    });
  });
  let decode: SamlLensApi['decode'];
  let flow: SamlLensApi['flow'];
  context.subscriptions.push(
    registerCommonCommands(context),
    metadataTreeView,
    metadata,
    loadWithCertificateDocuments(() => metadata.get()),
    registerAuthoring(context.extensionUri),
    registerDecode(context, (api) => (decode = api)),
    registerFlow(
      context,
      () => decode,
      (api) => (flow = api),
    ),
    registerGenerators(context.extensionUri),
    registerTestSignIn(context),
    registerTestIdentityProvider(context),
  );
  const api: SamlLensApi = {
    version: context.extension.packageJSON.version,
    get metadataTree() {
      return metadata.get().tree;
    },
    get certificates() {
      return metadata.get().certificates;
    },
    get metadataSignatures() {
      return metadata.get().signatures;
    },
    get decode() {
      return decode;
    },
    get flow() {
      return flow;
    },
  };
  log().info(`SAML Lens ${api.version} activated`);
  return api;
}

/**
 * Certificate diagnostics are due as soon as an XML or PEM document is open: the feature loads on
 * the next turn of the event loop after activation (not inside it) when one is open already, and
 * when one opens later.
 */
function loadWithCertificateDocuments(load: () => void): vscode.Disposable {
  const isCertificateDocument = (document: vscode.TextDocument) =>
    vscode.languages.match(CERTIFICATE_DOCUMENTS, document) > 0;
  let loaded = false;
  const loadSoon = () => {
    if (loaded) return;
    loaded = true;
    setImmediate(() => {
      try {
        load();
      } catch (error) {
        log().error(`Loading the certificate checks failed: ${(error as Error).stack ?? error}`);
      }
    });
  };
  if (vscode.workspace.textDocuments.some(isCertificateDocument)) loadSoon();
  const listener = vscode.workspace.onDidOpenTextDocument((document) => {
    if (isCertificateDocument(document)) {
      loadSoon();
      listener.dispose();
    }
  });
  return listener;
}

export function deactivate(): void {
  disposeLog();
}
