// "SAML: Create SP Metadata": a short series of questions → a complete SP metadata document in a
// new editor or a file.
import * as vscode from 'vscode';
import { buildSpMetadata } from '../../core/build/metadata';
import { serviceProviderFromMetadata } from '../../core/build/testResponse';
import { termsOfKind } from '../../core/vocabulary';
import { log } from '../../log';
import { commonNameFromEntityId } from './headless/certificateOptions';
import { defaultFileUri, fileLabel, openUntitled, pickPemFile, safeFileStem, writeTextFile } from './common';
import { runGenerateCertificate } from './generateCertificate';
import {
  DEFAULT_REQUESTED_ATTRIBUTES_TEXT,
  entityIdProblem,
  parseRequestedAttributes,
  parseUrlList,
  urlProblem,
} from './headless/inputs';

export interface CreatedSpMetadata {
  readonly xml: string;
  readonly document?: vscode.TextDocument;
  readonly uri?: vscode.Uri;
}

/** Formats an SP would name in NameIDFormat, most common first; deprecated and Issuer-only ones left out. */
const PREFERRED_FORMATS = ['emailAddress', 'persistent', 'transient', 'unspecified'];

function nameIdFormatItems(): (vscode.QuickPickItem & { uri: string })[] {
  const usable = termsOfKind('nameid-format').filter(
    (term) => !term.deprecated && !term.uri.endsWith(':entity') && !term.uri.endsWith(':encrypted'),
  );
  const rank = (shortName: string) =>
    PREFERRED_FORMATS.includes(shortName) ? PREFERRED_FORMATS.indexOf(shortName) : PREFERRED_FORMATS.length;
  return [...usable]
    .sort((a, b) => rank(a.shortName) - rank(b.shortName))
    .map((term) => ({ label: term.shortName, description: term.uri, detail: term.description, uri: term.uri }));
}

/** Default ACS URL for an entityID that is a URL: same origin, /saml/acs. */
function defaultAcsUrl(entityId: string): string {
  try {
    const url = new URL(entityId);
    return url.protocol === 'https:' || url.protocol === 'http:' ? `${url.origin}/saml/acs` : '';
  } catch {
    return '';
  }
}

function inputBoxValidator<T>(parse: (text: string) => { ok: true; value: T } | { ok: false; message: string }) {
  return (text: string) => {
    const parsed = parse(text);
    return parsed.ok ? undefined : parsed.message;
  };
}

type CertificateChoice = 'file' | 'generate' | 'none';

/** The certificate's PEM, null for "none", or undefined when the user cancelled. */
async function askCertificate(title: string): Promise<string | null | undefined> {
  const choice = await vscode.window.showQuickPick<vscode.QuickPickItem & { choice: CertificateChoice }>(
    [
      { label: vscode.l10n.t('Pick a PEM certificate file…'), choice: 'file' },
      { label: vscode.l10n.t('Generate a new self-signed certificate…'), choice: 'generate' },
      {
        label: vscode.l10n.t('None'),
        description: vscode.l10n.t('no KeyDescriptor; AuthnRequests are not signed'),
        choice: 'none',
      },
    ],
    {
      title,
      placeHolder: vscode.l10n.t('The SP certificate (for signing requests and receiving encrypted assertions)'),
      ignoreFocusOut: true,
    },
  );
  if (!choice) return undefined;
  if (choice.choice === 'none') return null;
  if (choice.choice === 'file')
    return (await pickPemFile('certificate', vscode.l10n.t('The SP certificate (PEM)')))?.pem;
  return (await runGenerateCertificate({ offerInsert: false }))?.certificate.certificatePem;
}

export async function runCreateSpMetadata(): Promise<CreatedSpMetadata | undefined> {
  const title = vscode.l10n.t('Create SP Metadata');

  const entityIdText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('entityID of the service provider (the Identifier in Entra ID)'),
    placeHolder: 'https://sp.example.com/saml',
    ignoreFocusOut: true,
    validateInput: entityIdProblem,
  });
  if (entityIdText === undefined) return undefined;
  const entityId = entityIdText.trim();
  const entityIdError = entityIdProblem(entityId);
  if (entityIdError) return fail(entityIdError);

  const acsText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Assertion Consumer Service URL(s), separated by spaces; the first is the default'),
    value: defaultAcsUrl(entityId),
    ignoreFocusOut: true,
    validateInput: inputBoxValidator((text) => parseUrlList(text, vscode.l10n.t('ACS URL'))),
  });
  if (acsText === undefined) return undefined;
  const acsUrls = parseUrlList(acsText, vscode.l10n.t('ACS URL'));
  if (!acsUrls.ok) return fail(acsUrls.message);

  const sloText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Single Logout URL (optional: leave empty for none)'),
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? undefined : urlProblem(text, vscode.l10n.t('logout URL'))),
  });
  if (sloText === undefined) return undefined;
  const sloUrl = sloText.trim() === '' ? undefined : sloText.trim();
  if (sloUrl && urlProblem(sloUrl, vscode.l10n.t('logout URL')))
    return fail(urlProblem(sloUrl, vscode.l10n.t('logout URL'))!);

  const format = await vscode.window.showQuickPick(nameIdFormatItems(), {
    title,
    placeHolder: vscode.l10n.t('NameID format'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!format) return undefined;

  const certificate = await askCertificate(title);
  if (certificate === undefined) return undefined;

  const attributesText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Requested attributes as Name=source pairs separated by ";" (empty for none)'),
    value: DEFAULT_REQUESTED_ATTRIBUTES_TEXT,
    ignoreFocusOut: true,
    validateInput: inputBoxValidator(parseRequestedAttributes),
  });
  if (attributesText === undefined) return undefined;
  const requestedAttributes = parseRequestedAttributes(attributesText);
  if (!requestedAttributes.ok) return fail(requestedAttributes.message);

  const yes = vscode.l10n.t('Yes');
  const wantSigned = await vscode.window.showQuickPick([yes, vscode.l10n.t('No')], {
    title,
    placeHolder: vscode.l10n.t('WantAssertionsSigned: must the IdP sign the assertion itself?'),
    ignoreFocusOut: true,
  });
  if (!wantSigned) return undefined;

  let xml: string;
  try {
    xml = buildSpMetadata({
      entityId,
      acsUrls: acsUrls.value,
      sloUrl,
      nameIdFormat: format.uri,
      certificate: certificate ?? undefined,
      requestedAttributes: requestedAttributes.value,
      serviceName: commonNameFromEntityId(entityId) ?? entityId,
      wantAssertionsSigned: wantSigned === yes,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  // The project's own reader must find the SP it was asked to describe.
  const check = serviceProviderFromMetadata(xml);
  if (!check.ok || check.sp.entityId !== entityId)
    return fail(
      vscode.l10n.t(
        'The generated metadata did not read back correctly: {0}',
        check.ok ? check.sp.entityId : check.message,
      ),
    );

  const openInEditor = vscode.l10n.t('Open in a New Editor');
  const output = await vscode.window.showQuickPick([openInEditor, vscode.l10n.t('Save to a File…')], {
    title,
    placeHolder: vscode.l10n.t('Where should the metadata go?'),
    ignoreFocusOut: true,
  });
  if (!output) return undefined;
  if (output === openInEditor) {
    const document = await openUntitled(xml, 'xml');
    return { xml, document };
  }
  const uri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the SP metadata'),
    defaultUri: defaultFileUri(`${safeFileStem(commonNameFromEntityId(entityId) ?? 'sp')}-metadata.xml`),
    filters: { [vscode.l10n.t('XML')]: ['xml'] },
  });
  if (!uri) return undefined;
  try {
    await writeTextFile(uri, xml);
  } catch (error) {
    return fail((error as Error).message);
  }
  log().info(`Wrote SP metadata for ${entityId} to ${uri.fsPath}`);
  await vscode.window.showTextDocument(uri, { preview: false });
  void vscode.window.showInformationMessage(vscode.l10n.t('SP metadata saved to {0}.', fileLabel(uri)));
  return { xml, uri };
}

function fail(message: string): undefined {
  void vscode.window.showErrorMessage(message);
  return undefined;
}
