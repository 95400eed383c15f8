/**
 * Finds every SAML message a capture carries, wherever the browser saw it: in a request's query
 * (HTTP-Redirect), in a posted form (HTTP-POST, POST-SimpleSign), in a redirect's Location header, or
 * in an IdP page's auto-posting form. A message seen twice (the page's form, then the post it
 * caused) is kept once, as it reached its receiver.
 */
import { percentDecode as strictPercentDecode, splitQuery } from '../messages/decode';
import type { CaptureEntry } from './capture';

/** A broken %-escape is kept as is: the value is shown, not decoded. */
export const percentDecode = (value: string): string => strictPercentDecode(value) ?? value;

export type SamlParameter = 'SAMLRequest' | 'SAMLResponse' | 'SAMLart';

export interface Carrier {
  readonly entryIndex: number;
  readonly time?: Date;
  /** Where the message was sent: the request's URL, the Location, or the form's action. */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly source: 'query' | 'form' | 'location' | 'page-form';
  readonly parameter: SamlParameter;
  /** The parameter's value as carried (URL-encoded in a query or form). */
  readonly value: string;
  /** All parameters as carried, in order (still URL-encoded). */
  readonly parameters: readonly { name: string; value: string }[];
  readonly relayState?: string;
  /** SigAlg and Signature in a posted form: POST-SimpleSign. */
  readonly simpleSign: boolean;
  /** POST-SimpleSign's SigAlg and Signature form values, decoded, when the form has them. */
  readonly sigAlg?: string;
  readonly signature?: string;
  /** SAML-tracer: the message as the tracer decoded it. */
  readonly samlXml?: string;
}

const SAML_PARAMETERS: readonly SamlParameter[] = ['SAMLRequest', 'SAMLResponse', 'SAMLart'];

function queryOf(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return '';
  const hash = url.indexOf('#', question);
  return url.slice(question + 1, hash < 0 ? undefined : hash);
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/** Attribute values of an HTML page, with character references resolved. */
export function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return HTML_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function htmlAttribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? decodeHtmlEntities(match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Auto-posting forms in a page (SAML Bindings §3.5.4): action and hidden inputs, values decoded. */
export function pageForms(html: string): { action?: string; inputs: { name: string; value: string }[] }[] {
  const forms: { action?: string; inputs: { name: string; value: string }[] }[] = [];
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)(?:<\/form\s*>|$)/gi)) {
    const inputs = [...form[2].matchAll(/<input\b[^>]*>/gi)]
      .map((input) => ({ name: htmlAttribute(input[0], 'name'), value: htmlAttribute(input[0], 'value') ?? '' }))
      .filter((input): input is { name: string; value: string } => input.name !== undefined);
    forms.push({ action: htmlAttribute(` ${form[1]}`, 'action'), inputs });
  }
  return forms;
}

function resolveUrl(action: string | undefined, base: string): string {
  if (!action) return base;
  try {
    return new URL(action, base).toString();
  } catch {
    return action;
  }
}

function carrier(
  entry: CaptureEntry,
  fields: Pick<Carrier, 'url' | 'method' | 'source' | 'parameters'>,
): Carrier | undefined {
  const saml = fields.parameters.find((p) => (SAML_PARAMETERS as readonly string[]).includes(p.name));
  if (!saml) return undefined;
  const named = (name: string) => fields.parameters.find((p) => p.name === name)?.value;
  const relayState = named('RelayState');
  return {
    entryIndex: entry.index,
    time: entry.time,
    ...fields,
    parameter: saml.name as SamlParameter,
    value: saml.value,
    relayState: relayState === undefined ? undefined : percentDecode(relayState),
    simpleSign: fields.method === 'POST' && named('SigAlg') !== undefined && named('Signature') !== undefined,
    ...(fields.method === 'POST' && named('SigAlg') !== undefined && { sigAlg: percentDecode(named('SigAlg')!) }),
    ...(fields.method === 'POST' &&
      named('Signature') !== undefined && { signature: percentDecode(named('Signature')!) }),
    samlXml: entry.samlXml,
  };
}

function carriersOf(entry: CaptureEntry): Carrier[] {
  const found: (Carrier | undefined)[] = [];
  const method: Carrier['method'] = entry.method.toUpperCase() === 'POST' ? 'POST' : 'GET';
  found.push(carrier(entry, { url: entry.url, method, source: 'query', parameters: splitQuery(queryOf(entry.url)) }));
  if (entry.form !== undefined)
    found.push(carrier(entry, { url: entry.url, method: 'POST', source: 'form', parameters: splitQuery(entry.form) }));
  if (entry.location !== undefined) {
    const url = resolveUrl(entry.location, entry.url);
    found.push(carrier(entry, { url, method: 'GET', source: 'location', parameters: splitQuery(queryOf(url)) }));
  }
  if (entry.responseBody !== undefined && /SAML(Request|Response|art)/.test(entry.responseBody)) {
    for (const form of pageForms(entry.responseBody)) {
      const parameters = form.inputs.map((i) => ({ name: i.name, value: encodeURIComponent(i.value) }));
      found.push(
        carrier(entry, { url: resolveUrl(form.action, entry.url), method: 'POST', source: 'page-form', parameters }),
      );
    }
  }
  // SAML-tracer keeps the decoded message even when its export filter replaced the parameters.
  if (!found.some((c) => c !== undefined) && entry.samlXml !== undefined) {
    found.push({
      entryIndex: entry.index,
      url: entry.url,
      method,
      source: method === 'POST' ? 'form' : 'query',
      parameter: /^\s*(<\?xml[^>]*>\s*)?<([\w-]+:)?(AuthnRequest|LogoutRequest)\b/.test(entry.samlXml)
        ? 'SAMLRequest'
        : 'SAMLResponse',
      value: '',
      parameters: [],
      simpleSign: false,
      samlXml: entry.samlXml,
    });
  }
  return found.filter((c): c is Carrier => c !== undefined);
}

/** The same message, however it was encoded on the way (base64 whitespace, %-escapes). */
function messageKey(c: Carrier): string {
  return `${c.parameter}:${percentDecode(c.value).replace(/\s+/g, '')}`;
}

/** Every SAML message of the capture in the order the browser saw them, each once. */
export function findCarriers(entries: readonly CaptureEntry[]): Carrier[] {
  const all = entries.flatMap(carriersOf);
  const delivered = new Set(all.filter((c) => c.source === 'query' || c.source === 'form').map(messageKey));
  return all.filter((c) => c.source === 'query' || c.source === 'form' || !delivered.has(messageKey(c)));
}
