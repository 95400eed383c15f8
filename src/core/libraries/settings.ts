// Which SP libraries to model and with which options, read from what a person typed (the CLI's
// --as and --library-option) or from the `samlLens.spLibrary` setting. Unknown library ids and
// option names are named back with the valid ones, so a typo never silently models the defaults.
import { LIBRARY_MODELS, type LibrarySettings } from './predict';
import { SP_LIBRARY_IDS, type OptionValue, type SpLibraryId } from './types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const VALID_IDS = SP_LIBRARY_IDS.join(', ');

export function isLibraryId(value: string): value is SpLibraryId {
  return (SP_LIBRARY_IDS as readonly string[]).includes(value);
}

/** `--as` values: library ids, or `all` for the four. */
export function parseLibraryIds(values: readonly string[]): Parsed<SpLibraryId[]> {
  const ids: SpLibraryId[] = [];
  for (const value of values) {
    if (value === 'all') {
      ids.push(...SP_LIBRARY_IDS);
      continue;
    }
    if (!isLibraryId(value))
      return { ok: false, message: `"${value}" is not a library SAML Lens models; use one of ${VALID_IDS}, or all.` };
    ids.push(value);
  }
  return { ok: true, value: [...new Set(ids)] };
}

function optionNames(id: SpLibraryId): string {
  return LIBRARY_MODELS[id].options.map((o) => o.name).join(', ');
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

/** One option's value checked against the library's own option (its name, and the type of its default). */
export function checkOption(id: SpLibraryId, name: string, value: unknown): Parsed<OptionValue> {
  const option = LIBRARY_MODELS[id].options.find((o) => o.name === name);
  if (!option) return { ok: false, message: `${id} has no option "${name}"; its options are ${optionNames(id)}.` };
  const expected = typeOf(option.default);
  const valid =
    typeOf(value) === expected && (!Array.isArray(value) || value.every((item) => typeof item === 'number'));
  if (!valid)
    return {
      ok: false,
      message: `${id} option ${name} takes a${expected === 'array' ? 'n' : ''} ${expected} (default ${JSON.stringify(option.default)}), not ${JSON.stringify(value)}.`,
    };
  return { ok: true, value: value as OptionValue };
}

/** `LIB.OPTION=VALUE`; the value is read as JSON when it is JSON, else as a string. */
export function parseLibraryOption(text: string): Parsed<{ library: SpLibraryId; option: string; value: OptionValue }> {
  const match = /^([a-z0-9-]+)\.([^=]+)=(.*)$/s.exec(text);
  if (!match)
    return {
      ok: false,
      message: `--library-option takes LIBRARY.OPTION=VALUE (for example node-saml.wantAuthnResponseSigned=false), not "${text}".`,
    };
  const [, library, option, raw] = match as unknown as [string, string, string, string];
  if (!isLibraryId(library))
    return { ok: false, message: `"${library}" is not a library SAML Lens models; use one of ${VALID_IDS}.` };
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a plain string
  }
  const checked = checkOption(library, option, value);
  return checked.ok ? { ok: true, value: { library, option, value: checked.value } } : checked;
}

/**
 * The `samlLens.spLibrary` setting as the user wrote it: what is valid is kept, each thing that is
 * not is named in `problems` (and left out, so the library's default applies).
 */
export function readLibrarySettings(raw: unknown): { settings: LibrarySettings; problems: string[] } {
  const problems: string[] = [];
  const settings: LibrarySettings = {};
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('samlLens.spLibrary must be an object with "libraries" and "options".');
    return { settings, problems };
  }
  const { libraries, options } = raw as { libraries?: unknown; options?: unknown };
  if (Array.isArray(libraries)) {
    const ids: SpLibraryId[] = [];
    for (const value of libraries) {
      if (typeof value === 'string' && isLibraryId(value)) ids.push(value);
      else problems.push(`${JSON.stringify(value)} is not a library SAML Lens models; use one of ${VALID_IDS}.`);
    }
    settings.libraries = [...new Set(ids)];
  } else if (libraries !== undefined) {
    problems.push(`samlLens.spLibrary.libraries must be a list of ${VALID_IDS}.`);
  }
  if (options && typeof options === 'object' && !Array.isArray(options)) {
    const byLibrary: Partial<Record<SpLibraryId, Record<string, OptionValue>>> = {};
    for (const [library, values] of Object.entries(options)) {
      if (!isLibraryId(library)) {
        problems.push(`"${library}" is not a library SAML Lens models; use one of ${VALID_IDS}.`);
        continue;
      }
      if (!values || typeof values !== 'object' || Array.isArray(values)) continue;
      for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
        const checked = checkOption(library, name, value);
        if (checked.ok) (byLibrary[library] ??= {})[name] = checked.value;
        else problems.push(checked.message);
      }
    }
    settings.options = byLibrary;
  }
  return { settings, problems };
}
