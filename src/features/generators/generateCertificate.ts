// "SAML: Generate Self-Signed Certificate": key type, subject CN and validity → a PEM certificate
// and private key in files the user picks, with a warning before a key lands in a git repository,
// and an offer to put the certificate into the metadata KeyDescriptor at the cursor.
import * as vscode from 'vscode';
import type { GeneratedCertificate } from '../../core/build/certificate';
import { parseMetadata, type Range } from '../../core/metadata';
import { log } from '../../log';
import {
  commonNameFromEntityId,
  commonNameProblem,
  createSelfSignedCertificate,
  KEY_CHOICES,
  parseValidityYears,
} from './headless/certificateOptions';
import { currentServiceProvider, defaultFileUri, fileLabel, safeFileStem, writeTextFile } from './common';
import { gitExposure } from './headless/gitTracking';

export interface GeneratedCertificateFiles {
  readonly certificateUri: vscode.Uri;
  readonly keyUri: vscode.Uri;
  readonly certificate: GeneratedCertificate;
  /** The certificate went into the metadata document at the cursor. */
  readonly inserted: boolean;
}

const DEFAULT_VALIDITY_YEARS = '3';

/** The text range of the X509Certificate in the md:KeyDescriptor around the cursor, if the editor holds metadata. */
export function certificateSlotAtCursor(document: vscode.TextDocument, position: vscode.Position): Range | undefined {
  const text = document.getText();
  if (!text.includes('KeyDescriptor')) return undefined;
  const parsed = parseMetadata(text);
  if (!parsed.ok) return undefined;
  const offset = document.offsetAt(position);
  for (const entity of parsed.model.entities) {
    for (const role of entity.roles) {
      for (const keyDescriptor of role.keyDescriptors) {
        if (
          offset >= keyDescriptor.range.start &&
          offset <= keyDescriptor.range.end &&
          keyDescriptor.certificates.length > 0
        ) {
          return keyDescriptor.certificates[0].range;
        }
      }
    }
  }
  return undefined;
}

/** Asks before writing a private key where git would pick it up. True to go ahead. */
async function confirmKeyLocation(keyUri: vscode.Uri): Promise<boolean> {
  if (keyUri.scheme !== 'file') return true;
  const exposure = await gitExposure(keyUri.fsPath);
  if (!exposure.inRepository || exposure.ignored === true) return true;
  const saveAnyway = vscode.l10n.t('Save Key Anyway');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('The private key would be saved inside the git repository {0}', exposure.root),
    {
      modal: true,
      detail:
        exposure.ignored === false
          ? vscode.l10n.t(
              '{0} is not ignored by .gitignore. A private key that is committed stays in the repository history for good. Save it outside the repository, or add it to .gitignore first.',
              fileLabel(keyUri),
            )
          : vscode.l10n.t(
              'git could not be asked whether {0} is ignored. A private key that is committed stays in the repository history for good.',
              fileLabel(keyUri),
            ),
    },
    saveAnyway,
  );
  return answer === saveAnyway;
}

async function insertCertificate(
  editor: vscode.TextEditor,
  version: number,
  slot: Range,
  base64: string,
): Promise<boolean> {
  if (editor.document.isClosed || editor.document.version !== version) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The metadata document changed while the certificate was generated; it was not modified. The certificate is in the saved file.',
      ),
    );
    return false;
  }
  const range = new vscode.Range(editor.document.positionAt(slot.start), editor.document.positionAt(slot.end));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(editor.document.uri, range, base64);
  return vscode.workspace.applyEdit(edit);
}

export interface GenerateOptions {
  /** Offer to insert into the metadata at the cursor (not when called from another generator). */
  readonly offerInsert: boolean;
}

/** The whole dialog; undefined when the user cancels at any step (nothing is written then). */
export async function runGenerateCertificate(options: GenerateOptions): Promise<GeneratedCertificateFiles | undefined> {
  const title = vscode.l10n.t('Generate Self-Signed Certificate');
  const editor = vscode.window.activeTextEditor;
  const slot =
    options.offerInsert && editor ? certificateSlotAtCursor(editor.document, editor.selection.active) : undefined;
  // The slot's offsets hold for this version only; an edit during the dialogs invalidates them.
  const version = editor?.document.version;

  const keyChoice = await vscode.window.showQuickPick(
    KEY_CHOICES.map((choice) => ({ label: choice.label, choice })),
    { title, placeHolder: vscode.l10n.t('Key type'), ignoreFocusOut: true },
  );
  if (!keyChoice) return undefined;

  const defaultCommonName = commonNameFromEntityId((await currentServiceProvider())?.entityId) ?? '';
  const commonName = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Subject common name (CN)'),
    value: defaultCommonName,
    placeHolder: 'sp.example.com',
    ignoreFocusOut: true,
    validateInput: (value) => commonNameProblem(value),
  });
  if (commonName === undefined) return undefined;
  const commonNameProblemText = commonNameProblem(commonName);
  if (commonNameProblemText) {
    void vscode.window.showErrorMessage(commonNameProblemText);
    return undefined;
  }

  const yearsText = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Validity in years (1–10)'),
    value: DEFAULT_VALIDITY_YEARS,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseValidityYears(value);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (yearsText === undefined) return undefined;
  const years = parseValidityYears(yearsText);
  if (!years.ok) {
    void vscode.window.showErrorMessage(years.message);
    return undefined;
  }

  const stem = safeFileStem(commonName.trim());
  const certificateUri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the certificate (PEM)'),
    defaultUri: defaultFileUri(`${stem}.crt.pem`),
    filters: { [vscode.l10n.t('PEM certificate')]: ['pem', 'crt'] },
    saveLabel: vscode.l10n.t('Save Certificate'),
  });
  if (!certificateUri) return undefined;
  const keyUri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the private key (PEM)'),
    defaultUri: vscode.Uri.joinPath(certificateUri, '..', `${stem}.key.pem`),
    filters: { [vscode.l10n.t('PEM private key')]: ['pem', 'key'] },
    saveLabel: vscode.l10n.t('Save Private Key'),
  });
  if (!keyUri) return undefined;
  if (keyUri.toString() === certificateUri.toString()) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('The certificate and the private key need two different files; both were {0}.', fileLabel(keyUri)),
    );
    return undefined;
  }
  if (!(await confirmKeyLocation(keyUri))) return undefined;

  let certificate: GeneratedCertificate;
  try {
    certificate = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Generating {0} key and certificate…', keyChoice.label),
      },
      () =>
        createSelfSignedCertificate({ key: keyChoice.choice.spec, commonName, years: years.years, now: new Date() }),
    );
    await writeTextFile(certificateUri, certificate.certificatePem);
    await writeTextFile(keyUri, certificate.privateKeyPem, true);
  } catch (error) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('The certificate was not created: {0}', (error as Error).message),
    );
    return undefined;
  }
  // Paths only: the key itself never goes to the log.
  log().info(
    `Generated a ${keyChoice.label} self-signed certificate for CN=${commonName.trim()}, valid ${years.years} year(s): certificate ${certificateUri.fsPath}, private key ${keyUri.fsPath}`,
  );

  let inserted = false;
  const written = vscode.l10n.t(
    'Certificate saved to {0}, private key to {1}.',
    fileLabel(certificateUri),
    fileLabel(keyUri),
  );
  if (slot && editor && version !== undefined) {
    const insert = vscode.l10n.t('Insert into Metadata');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} Insert the certificate into the KeyDescriptor at the cursor in {1}?',
        written,
        fileLabel(editor.document.uri),
      ),
      insert,
    );
    if (answer === insert) inserted = await insertCertificate(editor, version, slot, certificate.certificateBase64);
  } else {
    void vscode.window.showInformationMessage(written);
  }
  return { certificateUri, keyUri, certificate, inserted };
}
