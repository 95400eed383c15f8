// Parsing and checking what the generator commands ask for in input boxes. No vscode import: each
// function returns a value or the specific message the input box shows.
import type { RequestedAttribute } from '../../../core/build/metadata';
import type { ResponseAttribute } from '../../../core/build/response';
import type { ExpectedAttribute } from '../../../core/validate/types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Requested attributes of the reference scenario: SAML name = Entra ID source. */
export const DEFAULT_REQUESTED_ATTRIBUTES_TEXT =
  'FirstName=user.givenname; LastName=user.surname; Country=user.country; Email=user.userprincipalname';

/** Splits "a=b; c=d" into trimmed pairs; empty entries (a trailing ";") are skipped. */
function pairs(text: string, what: string): Parsed<[string, string | undefined][]> {
  const result: [string, string | undefined][] = [];
  for (const entry of text.split(';')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const name = (equals < 0 ? entry : entry.slice(0, equals)).trim();
    const value = equals < 0 ? undefined : entry.slice(equals + 1).trim();
    if (name === '') return { ok: false, message: `"${entry.trim()}" has no ${what} name before "=".` };
    if (/\s/.test(name))
      return {
        ok: false,
        message: `The ${what} name "${name}" contains a space; names are single tokens such as FirstName or a URI.`,
      };
    result.push([name, value]);
  }
  return { ok: true, value: result };
}

/**
 * "FirstName=user.givenname; Email" → requested attributes (the part after "=" becomes the
 * FriendlyName, which records the IdP source). Empty text means none.
 */
export function parseRequestedAttributes(text: string): Parsed<RequestedAttribute[]> {
  const parsed = pairs(text, 'attribute');
  if (!parsed.ok) return parsed;
  const seen = new Set<string>();
  const attributes: RequestedAttribute[] = [];
  for (const [name, friendlyName] of parsed.value) {
    if (seen.has(name)) return { ok: false, message: `The attribute "${name}" is listed twice.` };
    seen.add(name);
    attributes.push({ name, friendlyName: friendlyName || undefined, isRequired: true });
  }
  return { ok: true, value: attributes };
}

/** The attribute values of the test user, for a default that matches what the SP requests. */
export function defaultAttributeValuesText(
  requested: readonly ExpectedAttribute[],
  defaults: readonly ResponseAttribute[],
): string {
  const byName = new Map(defaults.map((attribute) => [attribute.name, attribute.values]));
  const names =
    requested.length > 0 ? requested.map((attribute) => attribute.name) : defaults.map((attribute) => attribute.name);
  return names.map((name) => (byName.get(name) ?? ['']).map((value) => `${name}=${value}`).join('; ')).join('; ');
}

/** "FirstName=B; Country=United States; Group=a; Group=b" → attributes; a repeated name adds a value. */
export function parseAttributeValues(text: string): Parsed<ResponseAttribute[]> {
  const parsed = pairs(text, 'attribute');
  if (!parsed.ok) return parsed;
  const attributes: ResponseAttribute[] = [];
  for (const [name, value] of parsed.value) {
    if (value === undefined)
      return { ok: false, message: `The attribute "${name}" has no value: write ${name}=value.` };
    const existing = attributes.find((attribute) => attribute.name === name);
    if (existing) existing.values.push(value);
    else attributes.push({ name, values: [value] });
  }
  return { ok: true, value: attributes };
}

/** An absolute http(s) URL, or why not. */
export function urlProblem(text: string, what: string): string | undefined {
  const value = text.trim();
  if (value === '') return `Enter the ${what}.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `The ${what} must be an absolute URL such as https://sp.example.com/saml/acs.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `The ${what} must start with https:// (or http:// for local tests).`;
  return undefined;
}

/** One or more ACS URLs separated by spaces or commas; the first is the default. */
export function parseUrlList(text: string, what: string): Parsed<string[]> {
  const urls = text.split(/[\s,]+/).filter((url) => url !== '');
  if (urls.length === 0) return { ok: false, message: `Enter at least one ${what}.` };
  for (const url of urls) {
    const problem = urlProblem(url, what);
    if (problem) return { ok: false, message: `${url}: ${problem}` };
  }
  if (new Set(urls).size !== urls.length) return { ok: false, message: `A ${what} is listed twice.` };
  return { ok: true, value: urls };
}

/** An entityID: a URI (URL or URN) of at most 1024 characters (SAML metadata §2.3.2). */
export function entityIdProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'Enter the entityID, e.g. https://sp.example.com/saml.';
  if (value.length > 1024) return `An entityID has at most 1024 characters; this one has ${value.length}.`;
  if (/\s/.test(value)) return 'An entityID cannot contain spaces.';
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value))
    return 'An entityID must be an absolute URI, such as https://sp.example.com/saml or urn:example:sp.';
  return undefined;
}
