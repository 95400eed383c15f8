import * as vscode from 'vscode';
import { CONFIG_SECTION, SettingKey } from './ids';
import { SP_LIBRARY_IDS, type OptionValue, type SpLibraryId } from './core/libraries/types';

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
  /**
   * `samlLens.spLibrary`: the SP libraries the decode panel models and their options, by each
   * library's own option names. Option names and value types are checked where the verdicts are
   * computed (core/libraries `readLibrarySettings`), which names what it ignores.
   */
  readonly spLibrary: SpLibrarySetting;
  /** The loopback test SP of "Test Sign-in with an Identity Provider". */
  readonly testSignIn: {
    /** The port it listens on, registered at the IdP in its reply URL. */
    readonly port: number;
    /** Its entityID; empty: its metadata URL. */
    readonly entityId: string;
    /** Attribute names the sign-in must deliver (checked in the panel). */
    readonly expectedAttributes: readonly string[];
    /** The URL the browser and the IdP reach the test SP at; empty: what VS Code's port forwarding gives. */
    readonly baseUrl: string;
    /** Open the system browser at the sign-in URL (otherwise it is offered for copying). */
    readonly openBrowser: boolean;
  };
  /** The loopback IdP of "Start Test Identity Provider". */
  readonly testIdentityProvider: {
    readonly port: number;
    /** Workspace-relative or absolute path of the test users (JSON); empty: B.Simon. */
    readonly usersFile: string;
    /** The URL the browser reaches the IdP at; empty: what VS Code's port forwarding gives. */
    readonly baseUrl: string;
  };
}

export interface SpLibrarySetting {
  readonly libraries: readonly SpLibraryId[];
  readonly options: Readonly<Partial<Record<SpLibraryId, Readonly<Record<string, OptionValue>>>>>;
}

/** Defaults, used when a setting is missing or holds a value of the wrong type. */
export const DEFAULT_CONFIG: SamlLensConfig = {
  certificates: {
    expiryWarningDays: 30,
    workspaceGlob: '**/*.{xml,pem,cer,crt}',
    exclude: '**/node_modules/**',
  },
  spLibrary: { libraries: SP_LIBRARY_IDS, options: {} },
  testSignIn: { port: 8765, entityId: '', expectedAttributes: [], baseUrl: '', openBrowser: true },
  testIdentityProvider: { port: 8766, usersFile: '', baseUrl: '' },
};

/** `samlLens.spLibrary` with unknown library ids dropped and anything not an object ignored. */
export function spLibrarySetting(value: unknown): SpLibrarySetting {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return DEFAULT_CONFIG.spLibrary;
  const { libraries, options } = value as { libraries?: unknown; options?: unknown };
  const ids = Array.isArray(libraries)
    ? SP_LIBRARY_IDS.filter((id) => libraries.includes(id))
    : DEFAULT_CONFIG.spLibrary.libraries;
  const byLibrary: Partial<Record<SpLibraryId, Record<string, OptionValue>>> = {};
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    for (const id of SP_LIBRARY_IDS) {
      const values = (options as Record<string, unknown>)[id];
      // A plain copy: VS Code hands out proxies, which cannot be posted to the decode worker.
      if (typeof values === 'object' && values !== null && !Array.isArray(values))
        byLibrary[id] = JSON.parse(JSON.stringify(values)) as Record<string, OptionValue>;
    }
  }
  return { libraries: ids, options: byLibrary };
}

function numberSetting(section: vscode.WorkspaceConfiguration, key: string, fallback: number): number {
  const value = section.get<unknown>(key);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function stringSetting(section: vscode.WorkspaceConfiguration, key: string, fallback: string): string {
  const value = section.get<unknown>(key);
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

function portSetting(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? value : fallback;
}

function trimmedSetting(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** An http(s) URL without a trailing slash, or '' (also for anything that is not one). */
function baseUrlSetting(value: unknown): string {
  if (typeof value !== 'string' || !/^https?:\/\/[^/\s]+/i.test(value.trim())) return '';
  return value.trim().replace(/\/+$/, '');
}

function stringsSetting(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
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
    spLibrary: spLibrarySetting(section.get<unknown>(SettingKey.SpLibrary)),
    testSignIn: {
      port: portSetting(section.get<unknown>(SettingKey.TestSignInPort), DEFAULT_CONFIG.testSignIn.port),
      entityId:
        section.get<unknown>(SettingKey.TestSignInEntityId) === undefined
          ? ''
          : String(section.get<unknown>(SettingKey.TestSignInEntityId)).trim(),
      expectedAttributes: stringsSetting(section.get<unknown>(SettingKey.TestSignInExpectedAttributes)),
      baseUrl: baseUrlSetting(section.get<unknown>(SettingKey.TestSignInBaseUrl)),
      openBrowser: section.get<unknown>(SettingKey.TestSignInOpenBrowser) !== false,
    },
    testIdentityProvider: {
      port: portSetting(
        section.get<unknown>(SettingKey.TestIdentityProviderPort),
        DEFAULT_CONFIG.testIdentityProvider.port,
      ),
      usersFile: trimmedSetting(section.get<unknown>(SettingKey.TestIdentityProviderUsersFile)),
      baseUrl: baseUrlSetting(section.get<unknown>(SettingKey.TestIdentityProviderBaseUrl)),
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
