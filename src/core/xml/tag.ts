/**
 * A start tag as the scanner hands it to a visitor. Attribute values are decoded only when asked
 * for: a metadata aggregate has millions of attributes and the model reads a fraction of them.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XmlAttribute {
  /** The qualified name as written, e.g. `xml:lang`. */
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  /** Namespace URI: '' for unprefixed attributes, the xmlns namespace for declarations. */
  readonly uri: string;
  /** Entity references resolved, whitespace normalised (XML 1.0 §3.3.3). */
  readonly value: string;
  /** Offsets of the raw value between its quotes. */
  readonly valueStart: number;
  readonly valueEnd: number;
}

export interface XmlTag {
  /** The qualified name as written. */
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  readonly uri: string;
  readonly isSelfClosing: boolean;
  /** The value of the attribute with this qualified name (as written, e.g. `xml:lang`). */
  attribute(name: string): string | undefined;
  hasAttribute(name: string): boolean;
  /** Offsets of that attribute's raw value between its quotes. */
  attributeValueRange(name: string): { start: number; end: number } | undefined;
  /** The value of the attribute with this namespace URI and local name. */
  attributeNS(uri: string, local: string): string | undefined;
  /** Every attribute in document order, namespace declarations included. */
  readonly attributes: readonly XmlAttribute[];
}

/** Fields per attribute in `StartTag.spans`. */
export const SPAN = 5;
/** Offsets of each field within a span. */
export const NAME_START = 0;
export const NAME_END = 1;
/** Offset of the colon in the name, or -1. */
export const COLON = 2;
export const VALUE_START = 3;
export const VALUE_END = 4;

export class StartTag implements XmlTag {
  constructor(
    private readonly source: string,
    readonly name: string,
    readonly prefix: string,
    readonly local: string,
    readonly uri: string,
    readonly isSelfClosing: boolean,
    /** SPAN numbers per attribute (see NAME_START…VALUE_END). */
    private readonly spans: readonly number[],
    /** Namespace URI per attribute; undefined when no attribute has a prefix. */
    private readonly attributeUris: readonly string[] | undefined,
  ) {}

  attribute(name: string): string | undefined {
    const at = this.find(name);
    return at < 0
      ? undefined
      : decodeAttributeValue(this.source, this.spans[at + VALUE_START], this.spans[at + VALUE_END]);
  }

  hasAttribute(name: string): boolean {
    return this.find(name) >= 0;
  }

  attributeValueRange(name: string): { start: number; end: number } | undefined {
    const at = this.find(name);
    return at < 0 ? undefined : { start: this.spans[at + VALUE_START], end: this.spans[at + VALUE_END] };
  }

  attributeNS(uri: string, local: string): string | undefined {
    const uris = this.attributeUris;
    const spans = this.spans;
    for (let at = 0; at < spans.length; at += SPAN) {
      const colon = spans[at + COLON];
      const attributeUri = uris === undefined ? '' : uris[at / SPAN];
      if (attributeUri !== uri) continue;
      const localStart = colon < 0 ? spans[at + NAME_START] : colon + 1;
      if (spans[at + NAME_END] - localStart === local.length && this.source.startsWith(local, localStart)) {
        return decodeAttributeValue(this.source, spans[at + VALUE_START], spans[at + VALUE_END]);
      }
    }
    return undefined;
  }

  get attributes(): readonly XmlAttribute[] {
    const list: XmlAttribute[] = [];
    for (let at = 0; at < this.spans.length; at += SPAN) {
      const [nameStart, nameEnd, colon, valueStart, valueEnd] = this.spans.slice(at, at + SPAN);
      list.push({
        name: this.source.slice(nameStart, nameEnd),
        prefix: colon < 0 ? '' : this.source.slice(nameStart, colon),
        local: this.source.slice(colon < 0 ? nameStart : colon + 1, nameEnd),
        uri: this.attributeUris?.[at / SPAN] ?? '',
        value: decodeAttributeValue(this.source, valueStart, valueEnd),
        valueStart,
        valueEnd,
      });
    }
    return list;
  }

  private find(name: string): number {
    const spans = this.spans;
    for (let at = 0; at < spans.length; at += SPAN) {
      const start = spans[at + NAME_START];
      if (spans[at + NAME_END] - start === name.length && this.source.startsWith(name, start)) return at;
    }
    return -1;
  }
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * The character a reference the scanner has already checked stands for; `amp` is the offset of
 * `&`, `semicolon` that of its `;`.
 */
export function referenceValue(source: string, amp: number, semicolon: number): string {
  if (source.charCodeAt(amp + 1) !== 0x23 /* # */) return PREDEFINED_ENTITIES[source.slice(amp + 1, semicolon)];
  const hex = source.charCodeAt(amp + 2) === 0x78; /* x */
  return String.fromCodePoint(parseInt(source.slice(amp + (hex ? 3 : 2), semicolon), hex ? 16 : 10));
}

/** Character data between `start` and `end`: references resolved, CRLF and lone CR read as LF. */
export function decodeText(source: string, start: number, end: number): string {
  const raw = source.slice(start, end);
  if (raw.indexOf('&') < 0 && raw.indexOf('\r') < 0) return raw;
  return resolve(source, start, end, false);
}

/**
 * An attribute value between its quotes: line ends read as LF, then each tab, LF and CR becomes a
 * space; references are resolved after that, so `&#10;` stays a line feed (XML 1.0 §3.3.3).
 */
export function decodeAttributeValue(source: string, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === 0x26 || code === 0x09 || code === 0x0a || code === 0x0d) return resolve(source, start, end, true);
  }
  return source.slice(start, end);
}

/** References resolved and line ends read as LF; in an attribute value, tabs and line ends become spaces. */
function resolve(source: string, start: number, end: number, inAttribute: boolean): string {
  let out = '';
  let copied = start;
  for (let i = start; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === 0x26 /* & */) {
      const semicolon = source.indexOf(';', i);
      out += source.slice(copied, i) + referenceValue(source, i, semicolon);
      i = semicolon;
      copied = i + 1;
    } else if (code === 0x0d || (inAttribute && (code === 0x09 || code === 0x0a))) {
      out += source.slice(copied, i) + (inAttribute ? ' ' : '\n');
      if (code === 0x0d && source.charCodeAt(i + 1) === 0x0a) i++;
      copied = i + 1;
    }
  }
  return out + source.slice(copied, end);
}
