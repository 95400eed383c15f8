import * as vscode from 'vscode';
import { CONFIG_SECTION, SettingKey } from './ids';

/**
 * Every setting SAML Lens contributes, typed. It mirrors `contributes.configuration` in
 * package.json (keys relative to the `samlLens` section); a host test checks the two agree.
 */
export interface SamlLensConfig {
  readonly certificates: {
    /** A certificate that expires within this many days is reported as a warning. */
    readonly expiryWarningDays: number;
    /** Which files "Check Certificates in Workspace" reads. */
    readonly workspaceGlob: string;
    /** Files the workspace check skips, on top of `files.exclude`. */
    readonly exclude: string;
  };
}

/** Defaults, used when a setting is missing or holds a value of the wrong type. */
export const DEFAULT_CONFIG: SamlLensConfig = {
  certificates: {
    expiryWarningDays: 30,
    workspaceGlob: '**/*.{xml,pem,cer,crt}',
    exclude: '**/node_modules/**',
  },
};

function numberSetting(section: vscode.WorkspaceConfiguration, key: string, fallback: number): number {
  const value = section.get<unknown>(key);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function stringSetting(section: vscode.WorkspaceConfiguration, key: string, fallback: string): string {
  const value = section.get<unknown>(key);
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

/** Reads the current settings; `scope` picks folder-level values for a document. */
export function readConfig(scope?: vscode.ConfigurationScope): SamlLensConfig {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const defaults = DEFAULT_CONFIG.certificates;
  return {
    certificates: {
      expiryWarningDays: numberSetting(section, SettingKey.CertificatesExpiryWarningDays, defaults.expiryWarningDays),
      workspaceGlob: stringSetting(section, SettingKey.CertificatesWorkspaceGlob, defaults.workspaceGlob),
      exclude: stringSetting(section, SettingKey.CertificatesExclude, defaults.exclude),
    },
  };
}

/**
 * Calls `listener` with fresh settings whenever a setting under `samlLens.<subsection>` changes
 * (or any SAML Lens setting when no subsection is given).
 */
export function onConfigChange(listener: (config: SamlLensConfig) => void, subsection?: string): vscode.Disposable {
  const key = subsection ? `${CONFIG_SECTION}.${subsection}` : CONFIG_SECTION;
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(key)) listener(readConfig());
  });
}
