// How a metadata signature status is named and drawn, the same on the tree's root and in the status bar.
import * as vscode from 'vscode';
import type { MetadataSignatureState } from '../../core/metadata/signature';

/** What the root's description says about its signature. */
export function signatureStateLabel(state: MetadataSignatureState): string {
  switch (state) {
    case 'trusted':
      return vscode.l10n.t('signed and trusted');
    case 'integrity-only':
      return vscode.l10n.t('signed, integrity only');
    case 'no-key':
      return vscode.l10n.t('signed, no key to check it');
    case 'broken':
      return vscode.l10n.t('signature broken');
    case 'unsigned':
      return vscode.l10n.t('unsigned');
  }
}

export const SIGNATURE_ICONS: Record<MetadataSignatureState, vscode.ThemeIcon> = {
  trusted: new vscode.ThemeIcon('verified-filled', new vscode.ThemeColor('testing.iconPassed')),
  'integrity-only': new vscode.ThemeIcon('verified'),
  'no-key': new vscode.ThemeIcon('question'),
  broken: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  unsigned: new vscode.ThemeIcon('unlock'),
};
