/**
 * Every identifier the extension shares with package.json: command ids, view ids,
 * setting keys and diagnostic codes. A host test checks that these match the manifest.
 */
export const EXTENSION_ID = 'saml-lens.saml-lens';

export const enum CommandId {
  ShowLog = 'samlLens.showLog',
  OpenSamples = 'samlLens.openSamples',
}

export const ALL_COMMAND_IDS: readonly string[] = [CommandId.ShowLog, CommandId.OpenSamples];

export const CONFIG_SECTION = 'samlLens';

export const LOG_CHANNEL_NAME = 'SAML Lens';
