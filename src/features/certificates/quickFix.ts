import * as vscode from 'vscode';
import { CertificateCode } from '../../core/certs';
import type { CertificateAnalyzer } from './analysis';
import { isReadableCertificate } from './headless/judge';
import { normaliseCertificateText } from './headless/normalise';

/** The diagnostics a normalisation resolves. */
const FIXABLE_CODES = new Set<string>([CertificateCode.Formatting, CertificateCode.DoubleEncodedPem]);

export const NORMALISE_TITLE = 'Normalise certificate';

function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'object') return String(code.value);
  return code === undefined ? undefined : String(code);
}

/**
 * "Normalise certificate": rewrites certificate text with broken wrapping, stray spaces, PEM
 * armour or a double-encoded PEM to clean base64 (one line, or 64-column lines, like it was written).
 */
export function registerCertificateQuickFix(
  analyzer: CertificateAnalyzer,
  selector: vscode.DocumentSelector,
): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    selector,
    {
      async provideCodeActions(document, range, context, token) {
        const analysis = await analyzer.analysisForVersion(document);
        if (!analysis || token.isCancellationRequested) return [];
        const actions: vscode.CodeAction[] = [];
        for (const certificate of analysis.certificates) {
          // Large documents come with positions from the worker: mapping every certificate of an
          // aggregate to positions here took 0.1 s per request.
          const { startPosition: start, endPosition: end } = certificate;
          if (start && end && (end.line < range.start.line || start.line > range.end.line)) continue;
          const certificateRange =
            start && end
              ? new vscode.Range(start.line, start.character, end.line, end.character)
              : new vscode.Range(document.positionAt(certificate.start), document.positionAt(certificate.end));
          if (!certificateRange.intersection(range)) continue;
          const normalisation = normaliseCertificateText({
            written: document.getText(certificateRange),
            innerBase64: certificate.innerBase64,
            eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
          });
          // Only offer a rewrite that yields a certificate: cleaning up garbage would hide the real problem.
          if (!normalisation || !isReadableCertificate(normalisation.replacement)) continue;
          const action = new vscode.CodeAction(NORMALISE_TITLE, vscode.CodeActionKind.QuickFix);
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, certificateRange, normalisation.replacement);
          action.diagnostics = context.diagnostics.filter(
            (diagnostic) =>
              FIXABLE_CODES.has(diagnosticCode(diagnostic) ?? '') && diagnostic.range.intersection(certificateRange),
          );
          action.isPreferred = true;
          actions.push(action);
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}
