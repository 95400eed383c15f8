/**
 * Every identifier the extension shares with package.json: command ids, view ids,
 * setting keys and diagnostic codes. A host test checks that these match the manifest.
 */
export const EXTENSION_ID = 'saml-lens.saml-lens';

export const enum CommandId {
  ShowLog = 'samlLens.showLog',
  OpenSamples = 'samlLens.openSamples',
  CheckWorkspaceCertificates = 'samlLens.checkWorkspaceCertificates',
  CopyCertificateText = 'samlLens.certificates.copyText',
  CopyCertificatePem = 'samlLens.certificates.copyPem',
  SaveCertificate = 'samlLens.certificates.save',
  ShowCertificateDetails = 'samlLens.certificates.showDetails',
  DecodeMessage = 'samlLens.decodeMessage',
  DecodeAtCursor = 'samlLens.decodeAtCursor',
  ForgetDecryptionKeys = 'samlLens.forgetDecryptionKeys',
  MetadataTreeFilter = 'samlLens.metadataTree.filter',
  MetadataTreeClearFilter = 'samlLens.metadataTree.clearFilter',
  MetadataTreeRefresh = 'samlLens.metadataTree.refresh',
  MetadataTreeRevealInEditor = 'samlLens.metadataTree.revealInEditor',
  MetadataTreeCopyEntityId = 'samlLens.metadataTree.copyEntityId',
  MetadataTreeCopyLocation = 'samlLens.metadataTree.copyLocation',
  MetadataTreeCopyCertificatePem = 'samlLens.metadataTree.copyCertificatePem',
  MetadataTreeSaveCertificate = 'samlLens.metadataTree.saveCertificate',
  MetadataTreeShowCertificateDetails = 'samlLens.metadataTree.showCertificateDetails',
  MetadataTreeOpenCertificate = 'samlLens.metadataTree.openCertificate',
  GenerateCertificate = 'samlLens.generateCertificate',
  CreateSpMetadata = 'samlLens.createSpMetadata',
  BuildTestResponse = 'samlLens.buildTestResponse',
  SignMetadata = 'samlLens.signMetadata',
  TestSignIn = 'samlLens.testSignIn',
  StopTestSignIn = 'samlLens.stopTestSignIn',
  StartTestIdentityProvider = 'samlLens.startTestIdentityProvider',
  StopTestIdentityProvider = 'samlLens.stopTestIdentityProvider',
  OpenCaptureAsFlow = 'samlLens.openCaptureAsFlow',
  SaveRedactedCapture = 'samlLens.saveRedactedCapture',
  FlowOpenMessage = 'samlLens.flow.openMessage',
  CompareMetadata = 'samlLens.compareMetadata',
  RefreshMetadataFromSource = 'samlLens.refreshMetadataFromSource',
  ShowCertificateTimeline = 'samlLens.showCertificateTimeline',
}

export const ALL_COMMAND_IDS: readonly string[] = [
  CommandId.ShowLog,
  CommandId.OpenSamples,
  CommandId.CheckWorkspaceCertificates,
  CommandId.CopyCertificateText,
  CommandId.CopyCertificatePem,
  CommandId.SaveCertificate,
  CommandId.ShowCertificateDetails,
  CommandId.DecodeMessage,
  CommandId.DecodeAtCursor,
  CommandId.ForgetDecryptionKeys,
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
  CommandId.GenerateCertificate,
  CommandId.CreateSpMetadata,
  CommandId.BuildTestResponse,
  CommandId.SignMetadata,
  CommandId.TestSignIn,
  CommandId.StopTestSignIn,
  CommandId.StartTestIdentityProvider,
  CommandId.StopTestIdentityProvider,
  CommandId.OpenCaptureAsFlow,
  CommandId.SaveRedactedCapture,
  CommandId.FlowOpenMessage,
  CommandId.CompareMetadata,
  CommandId.RefreshMetadataFromSource,
  CommandId.ShowCertificateTimeline,
];

/** The activity-bar container and the views in it. */
export const VIEW_CONTAINER_ID = 'samlLens';

export const enum ViewId {
  MetadataTree = 'samlLens.metadataTree',
  Flow = 'samlLens.flow',
}

export const CONFIG_SECTION = 'samlLens';

/** Setting keys, relative to CONFIG_SECTION. */
export const enum SettingKey {
  ValidationClockSkewSeconds = 'validation.clockSkewSeconds',
  ServiceProviders = 'serviceProviders',
  TrustedCertificates = 'trustedCertificates',
  CertificatesExpiryWarningDays = 'certificates.expiryWarningDays',
  CertificatesWorkspaceGlob = 'certificates.workspaceGlob',
  CertificatesExclude = 'certificates.exclude',
  SpLibrary = 'spLibrary',
  TestSignInPort = 'testSignIn.port',
  TestSignInEntityId = 'testSignIn.entityId',
  TestSignInExpectedAttributes = 'testSignIn.expectedAttributes',
  TestSignInBaseUrl = 'testSignIn.baseUrl',
  TestSignInOpenBrowser = 'testSignIn.openBrowser',
  MetadataTrustedSigners = 'metadata.trustedSigners',
  MetadataSources = 'metadata.sources',
  TestIdentityProviderPort = 'testIdentityProvider.port',
  TestIdentityProviderUsersFile = 'testIdentityProvider.usersFile',
  TestIdentityProviderBaseUrl = 'testIdentityProvider.baseUrl',
}

/**
 * Diagnostic codes are the core's: certificate (src/core/certs/codes.ts), metadata lint
 * (src/core/metadata/lint.ts) and XML reading (src/core/xml/errors.ts). Each has a section in
 * docs/diagnostics.md whose anchor is the code with "." replaced by "-" (test/unit/codes.test.ts).
 */
/** The docs/diagnostics.md heading anchor of a diagnostic code, e.g. "cert.expired" → "cert-expired". */
export function diagnosticAnchor(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Diagnostics from SAML Lens carry this `source`. */
export const DIAGNOSTIC_SOURCE = 'SAML Lens';

export const LOG_CHANNEL_NAME = 'SAML Lens';
