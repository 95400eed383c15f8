// "SAML: Build Test Response": an SP from the workspace, a test IdP key, a user, attributes and at
// most one defect → a signed SAMLResponse (base64) and an HTML page that posts it. The response is
// validated before it is shown, and must fail exactly as the chosen defect says (or be valid).
import * as vscode from 'vscode';
import {
  buildTestResponse,
  checkTestResponse,
  DEFAULT_TEST_ATTRIBUTES,
  DEFAULT_TEST_USER,
  RESPONSE_DEFECTS,
  serviceProviderFromMetadata,
  type ResponseDefect,
  type TestIdentityProvider,
  type TestResponseSpec,
  type TestServiceProvider,
} from '../../core/build/testResponse';
import type { FindingCode } from '../../core/validate/codes';
import { log } from '../../log';
import { commonNameFromEntityId, createSelfSignedCertificate, KEY_CHOICES } from './headless/certificateOptions';
import { fileLabel, findServiceProviderMetadata, openUntitled, pickPemFile } from './common';
import { defaultAttributeValuesText, entityIdProblem, parseAttributeValues } from './headless/inputs';

export interface BuiltTestResponse {
  readonly xml: string;
  readonly base64Document: vscode.TextDocument;
  readonly htmlDocument: vscode.TextDocument;
  readonly defect: ResponseDefect;
  /** What the validator failed on (empty for a valid response). */
  readonly failures: readonly FindingCode[];
  readonly idpCertificatePem: string;
}

/** The sample SP of the reference scenario is offered first when present. */
const PREFERRED_SP_METADATA = 'upwork-enterprise/sp-metadata.xml';
const DEFAULT_TEST_IDP_ENTITY_ID = 'https://test-idp.example.com/saml';

async function readServiceProvider(uri: vscode.Uri): Promise<TestServiceProvider | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} cannot be read: {1}', fileLabel(uri), (error as Error).message),
    );
    return undefined;
  }
  const read = serviceProviderFromMetadata(text);
  if (!read.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', fileLabel(uri), read.message));
    return undefined;
  }
  return read.sp;
}

async function pickServiceProvider(title: string): Promise<TestServiceProvider | undefined> {
  const found = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Looking for SP metadata…') },
    () => findServiceProviderMetadata(),
  );
  const preferredFirst = [...found].sort(
    (a, b) =>
      Number(fileLabel(b.uri).replace(/\\/g, '/').endsWith(PREFERRED_SP_METADATA)) -
      Number(fileLabel(a.uri).replace(/\\/g, '/').endsWith(PREFERRED_SP_METADATA)),
  );
  type Item = vscode.QuickPickItem & { sp?: TestServiceProvider; browse?: true };
  const items: Item[] = preferredFirst.map((entry) => ({
    label: fileLabel(entry.uri),
    description: entry.sp.entityId,
    sp: entry.sp,
  }));
  items.push({ label: vscode.l10n.t('Browse…'), description: vscode.l10n.t('pick an SP metadata file'), browse: true });
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder:
      found.length > 0
        ? vscode.l10n.t('SP metadata (the service provider the response is for)')
        : vscode.l10n.t('No SP metadata found in the workspace: browse for a file'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.sp) return picked.sp;
  const uris = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('SP metadata'),
    canSelectMany: false,
    filters: { [vscode.l10n.t('XML')]: ['xml'], [vscode.l10n.t('All files')]: ['*'] },
  });
  return uris?.[0] ? readServiceProvider(uris[0]) : undefined;
}

async function pickIdentityProvider(title: string): Promise<TestIdentityProvider | undefined> {
  const throwaway = vscode.l10n.t('Generate a throwaway key and certificate');
  const choice = await vscode.window.showQuickPick(
    [throwaway, vscode.l10n.t('Pick PEM files (private key, then certificate)…')],
    {
      title,
      placeHolder: vscode.l10n.t('The test IdP signing key'),
      ignoreFocusOut: true,
    },
  );
  if (!choice) return undefined;

  const entityIdText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('entityID of the test IdP (the Issuer the SP must trust)'),
    value: DEFAULT_TEST_IDP_ENTITY_ID,
    ignoreFocusOut: true,
    validateInput: entityIdProblem,
  });
  if (entityIdText === undefined) return undefined;
  const entityIdError = entityIdProblem(entityIdText);
  if (entityIdError) {
    void vscode.window.showErrorMessage(entityIdError);
    return undefined;
  }
  const entityId = entityIdText.trim();

  if (choice === throwaway) {
    const rsa2048 = KEY_CHOICES.find((candidate) => candidate.id === 'rsa-2048')!;
    // Named after the IdP's host; a URN entityID has none, so a generic name then.
    const commonName = commonNameFromEntityId(entityId) ?? 'SAML Lens test IdP';
    try {
      const generated = await createSelfSignedCertificate({ key: rsa2048.spec, commonName, years: 1, now: new Date() });
      return { entityId, privateKeyPem: generated.privateKeyPem, certificatePem: generated.certificatePem };
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('The throwaway IdP key could not be generated: {0}', (error as Error).message),
      );
      return undefined;
    }
  }
  const key = await pickPemFile('private key', vscode.l10n.t('The test IdP private key (PEM)'));
  if (!key) return undefined;
  const certificate = await pickPemFile('certificate', vscode.l10n.t('The test IdP certificate (PEM)'));
  if (!certificate) return undefined;
  return { entityId, privateKeyPem: key.pem, certificatePem: certificate.pem };
}

export async function runBuildTestResponse(): Promise<BuiltTestResponse | undefined> {
  const title = vscode.l10n.t('Build Test Response');
  const sp = await pickServiceProvider(title);
  if (!sp) return undefined;
  const idp = await pickIdentityProvider(title);
  if (!idp) return undefined;

  const nameId = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The test user (NameID)'),
    value: DEFAULT_TEST_USER,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value.trim() === ''
        ? vscode.l10n.t('Enter the user the response is for, e.g. {0}.', DEFAULT_TEST_USER)
        : undefined,
  });
  if (nameId === undefined) return undefined;

  const attributesText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Attributes as Name=value pairs separated by ";" (repeat a name for several values)'),
    value: defaultAttributeValuesText(sp.requestedAttributes, DEFAULT_TEST_ATTRIBUTES),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseAttributeValues(value);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (attributesText === undefined) return undefined;
  const attributes = parseAttributeValues(attributesText);
  if (!attributes.ok) {
    void vscode.window.showErrorMessage(attributes.message);
    return undefined;
  }

  const defectLabels: Record<ResponseDefect, string> = {
    none: vscode.l10n.t('No defect'),
    expired: vscode.l10n.t('Expired'),
    'wrong-audience': vscode.l10n.t('Wrong audience'),
    unsigned: vscode.l10n.t('Unsigned'),
    'wrong-recipient': vscode.l10n.t('Wrong Recipient'),
  };
  const defect = await vscode.window.showQuickPick(
    RESPONSE_DEFECTS.map((entry) => ({
      label: defectLabels[entry.defect],
      description: entry.detail,
      defect: entry.defect,
    })),
    {
      title,
      placeHolder: vscode.l10n.t('A defect to build in (the SP should reject the response for it)'),
      ignoreFocusOut: true,
    },
  );
  if (!defect) return undefined;

  const spec: TestResponseSpec = {
    sp,
    idp,
    nameId: nameId.trim(),
    attributes: attributes.value,
    defect: defect.defect,
    now: new Date(),
  };
  const built = buildTestResponse(spec);
  if (!built.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The test response was not built: {0}', built.message));
    return undefined;
  }
  const roundTrip = checkTestResponse(built.response, spec);
  if (roundTrip.problems.length > 0) {
    log().error(`Test response (${defect.defect}) did not validate as intended: ${roundTrip.problems.join('; ')}`);
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'The test response does not validate as intended, so it is not shown: {0}',
        roundTrip.problems.join('; '),
      ),
    );
    return undefined;
  }

  const base64Document = await openUntitled(`${built.response.base64}\n`, 'plaintext');
  const htmlDocument = await openUntitled(built.response.autoPostHtml, 'html');
  const outcome =
    roundTrip.failures.length === 0
      ? vscode.l10n.t('The validator finds it valid with the test IdP certificate as trusted.')
      : vscode.l10n.t('The validator rejects it exactly for: {0}.', roundTrip.failures.join(', '));
  log().info(
    `Built a test response for ${spec.nameId} to ${sp.acsUrl} (defect: ${defect.defect}); ${roundTrip.failures.join(', ') || 'valid'}`,
  );
  const showCertificate = vscode.l10n.t('Show IdP Certificate');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('Test response for {0}: {1}', spec.nameId, outcome), showCertificate)
    .then(async (answer) => {
      if (answer === showCertificate) await openUntitled(idp.certificatePem, 'plaintext');
    });
  return {
    xml: built.response.xml,
    base64Document,
    htmlDocument,
    defect: defect.defect,
    failures: roundTrip.failures,
    idpCertificatePem: idp.certificatePem,
  };
}
