// "SAML: Sign Metadata": signs the metadata in the active editor with a key and certificate the
// user picks. The signed text replaces the document through a WorkspaceEdit (so undo works), and
// only after the signature has been checked against the certificate.
import * as vscode from 'vscode';
import { signMetadata, verifyMetadataSignature } from '../../core/build/signMetadata';
import { log } from '../../log';
import { fileLabel, pickPemFile } from './common';

export interface SignedMetadataResult {
  readonly id: string;
  readonly addedId: boolean;
  readonly replacedSignature: boolean;
}

function fail(message: string): undefined {
  void vscode.window.showErrorMessage(message);
  return undefined;
}

export async function runSignMetadata(): Promise<SignedMetadataResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return fail(vscode.l10n.t('Open the metadata document to sign first: there is no active editor.'));
  const document = editor.document;
  const original = document.getText();
  if (!/EntityDescriptor|EntitiesDescriptor/.test(original)) {
    return fail(
      vscode.l10n.t(
        '{0} is not SAML metadata: it has no EntityDescriptor or EntitiesDescriptor.',
        fileLabel(document.uri),
      ),
    );
  }

  const key = await pickPemFile('private key', vscode.l10n.t('The private key to sign the metadata with (PEM)'));
  if (!key) return undefined;
  const certificate = await pickPemFile('certificate', vscode.l10n.t('The certificate of that key (PEM)'));
  if (!certificate) return undefined;

  const signed = signMetadata(original, { privateKeyPem: key.pem, certificatePem: certificate.pem });
  if (!signed.ok) return fail(vscode.l10n.t('{0} was not signed: {1}', fileLabel(document.uri), signed.message));

  if (document.isClosed || document.getText() !== original) {
    return fail(
      vscode.l10n.t(
        '{0} changed while it was being signed; it was left as it is. Run the command again.',
        fileLabel(document.uri),
      ),
    );
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    document.uri,
    new vscode.Range(document.positionAt(0), document.positionAt(original.length)),
    signed.xml,
  );
  if (!(await vscode.workspace.applyEdit(edit)))
    return fail(vscode.l10n.t('{0} could not be changed (is it read-only?).', fileLabel(document.uri)));

  // What the editor now holds (its line endings may differ from ours) must still verify.
  const check = verifyMetadataSignature(document.getText(), certificate.pem);
  if (!check.ok)
    return fail(
      vscode.l10n.t(
        'The signed document in the editor does not verify: {0} Undo (Ctrl+Z) restores the original.',
        check.message,
      ),
    );

  log().info(
    `Signed ${document.uri.toString()} (root ID ${signed.id}${signed.addedId ? ', added' : ''}) with the certificate ${fileLabel(certificate.uri)}`,
  );
  const notes = [
    signed.addedId ? vscode.l10n.t('The root had no ID; it now has ID="{0}".', signed.id) : '',
    signed.replacedSignature ? vscode.l10n.t('The previous signature was replaced.') : '',
  ].filter(Boolean);
  void vscode.window.showInformationMessage(
    [
      vscode.l10n.t(
        'Signed {0} (RSA-SHA256, exclusive c14n) and verified with {1}.',
        fileLabel(document.uri),
        fileLabel(certificate.uri),
      ),
      ...notes,
    ].join(' '),
  );
  return { id: signed.id, addedId: signed.addedId, replacedSignature: signed.replacedSignature };
}
