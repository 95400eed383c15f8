import * as vscode from 'vscode';
import type { CertificatesApi } from '../../api';
import { onConfigChange } from '../../config';
import { CertificateAnalyzer } from './analysis';
import { registerCertificateCodeLens } from './codeLens';
import { registerCertificateCommands } from './commands';
import { DiagnosticDocs, registerCertificateDiagnostics } from './diagnostics';
import { registerCertificateHover } from './certificateHover';
import { registerCertificateQuickFix } from './quickFix';
import { registerCertificateStatusBar } from './statusBar';
import { CERTIFICATE_DOCUMENTS } from './selector';
import { registerWorkspaceCheck } from './workspaceCheck';

/**
 * Certificates in the editor: diagnostics, hovers, CodeLens, the normalise quick fix, the
 * workspace check and the status bar, all fed by one analysis cache and one diagnostic collection.
 * Read-only analysis, so it runs in untrusted workspaces too.
 */
export function registerCertificates(
  context: vscode.ExtensionContext,
): vscode.Disposable & { readonly api: CertificatesApi } {
  const analyzer = new CertificateAnalyzer(
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'metadataWorker.js').fsPath,
  );
  const collection = vscode.languages.createDiagnosticCollection('saml-lens-certificates');
  const docs = DiagnosticDocs.forExtension(context.extensionUri);
  const statusBar = registerCertificateStatusBar(analyzer);
  const workspaceCheck = registerWorkspaceCheck(analyzer, collection, docs);
  const disposable = vscode.Disposable.from(
    analyzer,
    collection,
    registerCertificateDiagnostics(analyzer, collection, docs),
    registerCertificateHover(analyzer, CERTIFICATE_DOCUMENTS),
    registerCertificateCodeLens(analyzer, CERTIFICATE_DOCUMENTS),
    registerCertificateQuickFix(analyzer, CERTIFICATE_DOCUMENTS),
    registerCertificateCommands(analyzer),
    workspaceCheck,
    statusBar.disposable,
    onConfigChange(() => analyzer.settingsChanged(), 'certificates'),
  );
  const api: CertificatesApi = {
    setClock: (now) => analyzer.setClock(now),
    statusBarText: () => statusBar.current(),
    checkWorkspace: (token) => workspaceCheck.check(token),
  };
  return Object.assign(disposable, { api });
}
