/**
 * The decode panel's "Decryption key…" and "Request ID…" prompts, and where a remembered decryption
 * key lives: VS Code's SecretStorage (the OS keychain), keyed by the service provider's entityID.
 * Never in settings, logs, the report or the panel: only what the key is called reaches those.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { loadPrivateKeyFile, MAX_KEY_FILE_BYTES } from './headless/decryptionKey';

/** One secret holding a JSON object: SP entityID (or ANY_SERVICE_PROVIDER) → PKCS#8 PEM. */
const SECRET_NAME = 'samlLens.decode.decryptionKeys';
/** Used when the message names no service provider (no Audience, none chosen). */
const ANY_SERVICE_PROVIDER = '';

export class DecryptionKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private async all(): Promise<Record<string, string>> {
    const stored = await this.secrets.get(SECRET_NAME);
    if (!stored) return {};
    try {
      const parsed: unknown = JSON.parse(stored);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  /** The key remembered for this service provider, else the one remembered for any. */
  async get(spEntityId: string | undefined): Promise<string | undefined> {
    const keys = await this.all();
    const own = spEntityId !== undefined ? keys[spEntityId] : undefined;
    return typeof own === 'string'
      ? own
      : typeof keys[ANY_SERVICE_PROVIDER] === 'string'
        ? keys[ANY_SERVICE_PROVIDER]
        : undefined;
  }

  async remember(spEntityId: string | undefined, pem: string): Promise<void> {
    const keys = await this.all();
    keys[spEntityId ?? ANY_SERVICE_PROVIDER] = pem;
    await this.secrets.store(SECRET_NAME, JSON.stringify(keys));
  }

  async hasAny(): Promise<boolean> {
    return Object.keys(await this.all()).length > 0;
  }

  /** Forgets every remembered key; returns how many there were. */
  async forget(): Promise<number> {
    const count = Object.keys(await this.all()).length;
    await this.secrets.delete(SECRET_NAME);
    return count;
  }
}

export interface PickedKey {
  readonly pem: string;
  /** The file's name, for the panel's source note. */
  readonly fileName: string;
}

/** Asks for a PEM or PKCS#12 file, and its password when it has one. Problems are shown to the user. */
export async function pickDecryptionKey(): Promise<PickedKey | undefined> {
  const files = await vscode.window.showOpenDialog({
    title: 'Service provider decryption key',
    openLabel: 'Use this key',
    canSelectMany: false,
    filters: { 'Private keys and PKCS#12': ['pem', 'key', 'p12', 'pfx'], 'All files': ['*'] },
  });
  const uri = files?.[0];
  if (!uri) return undefined;
  const fileName = path.posix.basename(uri.path);
  // A wrong pick (a disk image, a log) is refused before it is read into memory.
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > MAX_KEY_FILE_BYTES) {
    void vscode.window.showErrorMessage(
      `SAML Lens: ${fileName}: the file is ${size} bytes; a private key file is a few kilobytes. Choose the key file itself.`,
    );
    return undefined;
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  let result = loadPrivateKeyFile(fileName, bytes);
  if (!result.ok && result.needsPassword) {
    const password = await vscode.window.showInputBox({
      title: `Password for ${fileName}`,
      prompt: result.message,
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return undefined;
    result = loadPrivateKeyFile(fileName, bytes, password);
  }
  if (!result.ok) {
    void vscode.window.showErrorMessage(`SAML Lens: ${fileName}: ${result.message}`);
    return undefined;
  }
  return { pem: result.pem, fileName };
}

/** Whether to keep the key in the OS keychain for later messages. */
export async function askToRemember(spEntityId: string | undefined): Promise<boolean> {
  const remember = 'Remember';
  const answer = await vscode.window.showInformationMessage(
    `Remember this decryption key for ${spEntityId ?? 'messages without a service provider'}? It is kept in VS Code's secret storage (the OS keychain) until you run "SAML: Forget Decryption Keys".`,
    remember,
    'Only for this message',
  );
  return answer === remember;
}

/** The ID of the AuthnRequest (or LogoutRequest) the service provider sent; "" clears it. */
export async function askRequestId(current: string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Request ID',
    prompt:
      "The ID of the request the service provider sent; the response's InResponseTo must equal it. Leave empty to stop checking.",
    value: current ?? '',
    placeHolder: '_a1b2c3d4…',
    ignoreFocusOut: true,
    validateInput: requestIdProblem,
  });
}

/** IDs are xs:ID values (NCNames): no spaces, not starting with a digit, "-" or ".". */
export function requestIdProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 256) return 'A request ID is at most 256 characters.';
  if (/\s/.test(value)) return 'A request ID has no spaces: paste the ID attribute of the AuthnRequest only.';
  if (!/^[\p{L}_][\p{L}\p{N}_.-]*$/u.test(value))
    return 'A request ID is an XML ID: it starts with a letter or "_" and holds only letters, digits, "_", "-" and ".".';
  return undefined;
}
