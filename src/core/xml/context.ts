/**
 * Where is the cursor in an XML text? A small, tolerant scanner for editor features
 * (completions, hovers) that must work on half-typed, ill-formed documents, so it never
 * builds a tree: it looks back from the cursor over the markup before it.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** A start tag that is still open at the cursor (an ancestor) or that the cursor is in. */
export interface OpenTag {
  /** The name as written, e.g. `md:SingleSignOnService`. */
  qname: string;
  prefix: string;
  localName: string;
  /** Offset of the `<`. */
  start: number;
  /** Attributes written in the tag (values as written, entities not expanded). */
  attributes: ReadonlyMap<string, string>;
}

export type XmlContext =
  | {
      /** Inside a quoted attribute value. */
      kind: 'attribute-value';
      tag: OpenTag;
      attribute: string;
      /** Offset just after the opening quote. */
      valueStart: number;
      quote: '"' | "'";
      /** Start of the whitespace-separated token the cursor is in (lists like protocolSupportEnumeration). */
      tokenStart: number;
      /** The value typed so far, from valueStart to the cursor. */
      valueBeforeCursor: string;
      ancestors: readonly OpenTag[];
    }
  | { kind: 'attribute-name'; tag: OpenTag; nameStart: number; ancestors: readonly OpenTag[] }
  | {
      /** Typing an element name right after `<`. */
      kind: 'element-name';
      /** Offset just after the `<`. */
      nameStart: number;
      parent: OpenTag | undefined;
      ancestors: readonly OpenTag[];
    }
  | {
      /** Character data between tags. */
      kind: 'text';
      /** Offset where this run of text starts (just after the previous markup). */
      textStart: number;
      parent: OpenTag | undefined;
      ancestors: readonly OpenTag[];
    }
  | { kind: 'none'; reason: 'comment' | 'cdata' | 'processing-instruction' | 'declaration' | 'closing-tag' };

interface Markup {
  kind: 'start-tag' | 'end-tag' | 'empty-tag' | 'comment' | 'cdata' | 'processing-instruction' | 'declaration';
  start: number;
  /** Offset just after the closing `>`, or undefined when the markup is not closed before the limit. */
  end: number | undefined;
}

const NAME_CHAR = /[A-Za-z0-9_.:\u00B7\u00C0-\uFFFF-]/;
const ATTRIBUTE = /([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gy;
const WHITESPACE = /\s*/y;

const DELIMITED = [
  ['<!--', '-->', 'comment'],
  ['<![CDATA[', ']]>', 'cdata'],
  ['<?', '?>', 'processing-instruction'],
] as const;

/** The markup construct whose `<` is the last one before `limit` outside comments, CDATA and PIs. */
function previousMarkup(text: string, limit: number): Markup | undefined {
  if (limit <= 0) return undefined; // lastIndexOf treats a negative position as 0
  const lt = text.lastIndexOf('<', limit - 1);
  if (lt < 0) return undefined;
  // Only the text between this `<` and the limit is searched, so a backwards walk stays linear.
  const after = text.slice(lt, limit);
  for (const [open, close, kind] of DELIMITED) {
    // A comment, CDATA section or PI that closes after this `<` contains it: jump to its start.
    const closeAt = after.indexOf(close);
    if (closeAt < 0 || after.startsWith(open)) continue;
    const openAt = text.lastIndexOf(open, lt);
    if (openAt >= 0 && text.indexOf(close, openAt + open.length) === lt + closeAt) {
      return { kind, start: openAt, end: lt + closeAt + close.length };
    }
  }
  for (const [open, close, kind] of DELIMITED) {
    if (after.startsWith(open)) {
      const closeAt = after.indexOf(close, open.length);
      return { kind, start: lt, end: closeAt >= 0 ? lt + closeAt + close.length : undefined };
    }
  }
  const end = tagEnd(text, lt, limit);
  if (after.startsWith('<!')) return { kind: 'declaration', start: lt, end };
  if (after.startsWith('</')) return { kind: 'end-tag', start: lt, end };
  const selfClosing = end !== undefined && text[end - 2] === '/';
  return { kind: selfClosing ? 'empty-tag' : 'start-tag', start: lt, end };
}

/** Offset after the `>` that closes the tag starting at `lt`, skipping quoted values; undefined if not before `limit`. */
function tagEnd(text: string, lt: number, limit: number): number | undefined {
  let quote: string | undefined;
  for (let i = lt + 1; i < limit; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    } else if (c === '<') {
      return undefined; // a new tag starts: this one was never closed
    }
  }
  return undefined;
}

function readOpenTag(text: string, start: number, end: number): OpenTag {
  let nameEnd = start + 1;
  while (nameEnd < end && NAME_CHAR.test(text[nameEnd])) nameEnd++;
  const qname = text.slice(start + 1, nameEnd);
  const colon = qname.indexOf(':');
  const attributes = new Map<string, string>();
  let at = nameEnd;
  for (;;) {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    ATTRIBUTE.lastIndex = WHITESPACE.lastIndex;
    const match = ATTRIBUTE.exec(text);
    if (!match || ATTRIBUTE.lastIndex > end) break;
    attributes.set(match[1], match[2] ?? match[3]);
    at = ATTRIBUTE.lastIndex;
  }
  return {
    qname,
    prefix: colon > 0 ? qname.slice(0, colon) : '',
    localName: colon > 0 ? qname.slice(colon + 1) : qname,
    start,
    attributes,
  };
}

/** How far a tag may reach past the cursor when collecting its attributes (namespace declarations after the cursor). */
const MAX_TAG_LOOKAHEAD = 64 * 1024;

/** The start tags still open before `limit`, innermost first. */
export function openAncestors(text: string, limit: number): OpenTag[] {
  const ancestors: OpenTag[] = [];
  let pendingEndTags = 0;
  let at = limit;
  for (;;) {
    const markup = previousMarkup(text, at);
    if (!markup) break;
    at = markup.start;
    if (markup.kind === 'end-tag') {
      // Skip the whole closed element at native search speed (a 50 MB aggregate is mostly closed
      // EntityDescriptors); fall back to counting tags when its start cannot be found.
      const start = matchingStartTag(text, markup.start);
      if (start !== undefined) at = start;
      else pendingEndTags++;
    } else if (markup.kind === 'start-tag') {
      if (pendingEndTags > 0) pendingEndTags--;
      else ancestors.push(readOpenTag(text, markup.start, markup.end ?? Math.min(text.length, limit)));
    }
  }
  return ancestors;
}

/** Offset of the last `<name` before `before` that is a whole tag name (followed by space, `>` or `/`). */
function lastTagNameIndex(text: string, tagOpen: string, before: number): number {
  let at = before;
  while (at >= 0) {
    const found = text.lastIndexOf(tagOpen, at);
    if (found < 0) return -1;
    const next = text[found + tagOpen.length];
    if (next === undefined || /[\s>/]/.test(next)) return found;
    at = found - 1;
  }
  return -1;
}

/**
 * The start tag matching the end tag at `endTagStart`, found by searching back for same-named
 * start and end tags and counting their nesting.
 */
function matchingStartTag(text: string, endTagStart: number): number | undefined {
  let nameEnd = endTagStart + 2;
  while (nameEnd < text.length && NAME_CHAR.test(text[nameEnd])) nameEnd++;
  const qname = text.slice(endTagStart + 2, nameEnd);
  if (!qname) return undefined;
  let depth = 1;
  let at = endTagStart;
  while (at > 0) {
    const start = lastTagNameIndex(text, `<${qname}`, at - 1);
    if (start < 0) return undefined;
    const nestedEnd = lastTagNameIndex(text, `</${qname}`, at - 1);
    if (nestedEnd > start) {
      depth++;
      at = nestedEnd;
      continue;
    }
    at = start;
    const end = tagEnd(text, start, text.length);
    if (end === undefined) return undefined;
    if (text[end - 2] === '/') continue; // an empty element of the same name
    depth--;
    if (depth === 0) return mentionsNameInsideCommentOrCdata(text.slice(start, endTagStart), qname) ? undefined : start;
  }
  return undefined;
}

/**
 * Whether the tag search above may have been fooled: the region starts inside a comment or CDATA
 * section, or one of them in it mentions the tag name. The caller then counts tags one by one.
 */
function mentionsNameInsideCommentOrCdata(region: string, qname: string): boolean {
  for (const [open, close] of [
    ['<!--', '-->'],
    ['<![CDATA[', ']]>'],
  ] as const) {
    const firstOpen = region.indexOf(open);
    const firstClose = region.indexOf(close);
    if (firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen)) return true;
    for (let at = firstOpen; at >= 0; at = region.indexOf(open, at)) {
      const end = region.indexOf(close, at + open.length);
      if (end < 0) return true;
      const inside = region.slice(at, end);
      if (inside.includes(`<${qname}`) || inside.includes(`</${qname}`)) return true;
      at = end + close.length;
    }
  }
  return false;
}

/** How far back to look for the start of a comment, CDATA section or PI around the cursor. */
const MAX_DELIMITED_LOOKBEHIND = 1024 * 1024;

/**
 * The comment, CDATA section or PI the offset is inside, if any. Walking back over markup cannot
 * tell by itself: a `<` in an unclosed comment looks like a tag when its `-->` is after the cursor.
 * Only the last megabyte is searched, so a hover at the end of a 50 MB aggregate stays cheap.
 */
function enclosingDelimited(text: string, offset: number): Markup['kind'] | undefined {
  const windowStart = Math.max(0, offset - MAX_DELIMITED_LOOKBEHIND);
  const window = text.slice(windowStart, offset);
  for (const [open, close, kind] of DELIMITED) {
    const openAt = window.lastIndexOf(open);
    if (openAt < 0) continue;
    if (window.indexOf(close, openAt + open.length) < 0) return kind;
  }
  return undefined;
}

export function xmlContextAt(text: string, offset: number): XmlContext {
  return contextAt(text, offset, true);
}

/** `withAncestors: false` skips the walk back to the root when only the local context matters. */
function contextAt(text: string, offset: number, withAncestors: boolean): XmlContext {
  const inside = enclosingDelimited(text, offset);
  if (inside === 'comment' || inside === 'cdata' || inside === 'processing-instruction')
    return { kind: 'none', reason: inside };
  const markup = previousMarkup(text, offset);
  if (markup && markup.end === undefined) {
    switch (markup.kind) {
      case 'comment':
      case 'cdata':
      case 'processing-instruction':
      case 'declaration':
        return { kind: 'none', reason: markup.kind };
      case 'end-tag':
        return { kind: 'none', reason: 'closing-tag' };
      default:
        return insideStartTag(text, markup.start, offset, withAncestors);
    }
  }
  const ancestors = withAncestors ? openAncestors(text, offset) : [];
  return { kind: 'text', textStart: markup?.end ?? 0, parent: ancestors[0], ancestors };
}

function insideStartTag(text: string, lt: number, offset: number, withAncestors: boolean): XmlContext {
  const ancestors = withAncestors ? openAncestors(text, lt) : [];
  let nameEnd = lt + 1;
  while (nameEnd < offset && NAME_CHAR.test(text[nameEnd])) nameEnd++;
  if (nameEnd === offset) return { kind: 'element-name', nameStart: lt + 1, parent: ancestors[0], ancestors };

  // Read the whole tag, including attributes after the cursor, for namespace declarations.
  const fullEnd = tagEnd(text, lt, Math.min(text.length, offset + MAX_TAG_LOOKAHEAD)) ?? offset;
  const tag = readOpenTag(text, lt, Math.max(fullEnd, offset));

  // Walk the attributes before the cursor to see whether a quoted value is still open.
  let i = nameEnd;
  while (i < offset) {
    while (i < offset && /\s/.test(text[i])) i++;
    const nameStart = i;
    while (i < offset && !/[\s=/>"']/.test(text[i])) i++;
    const name = text.slice(nameStart, i);
    while (i < offset && /\s/.test(text[i])) i++;
    if (i >= offset) return { kind: 'attribute-name', tag, nameStart, ancestors };
    if (text[i] !== '=') {
      i++;
      continue;
    }
    i++;
    while (i < offset && /\s/.test(text[i])) i++;
    if (i >= offset) return { kind: 'attribute-name', tag, nameStart: offset, ancestors };
    const quote = text[i];
    if (quote !== '"' && quote !== "'") continue;
    const valueStart = i + 1;
    const close = text.indexOf(quote, valueStart);
    if (close < 0 || close >= offset) {
      const valueBeforeCursor = text.slice(valueStart, offset);
      const lastSpace = Math.max(
        valueBeforeCursor.lastIndexOf(' '),
        valueBeforeCursor.lastIndexOf('\t'),
        valueBeforeCursor.lastIndexOf('\n'),
        valueBeforeCursor.lastIndexOf('\r'),
      );
      return {
        kind: 'attribute-value',
        tag,
        attribute: name,
        valueStart,
        quote,
        tokenStart: valueStart + lastSpace + 1,
        valueBeforeCursor,
        ancestors,
      };
    }
    i = close + 1;
  }
  return { kind: 'attribute-name', tag, nameStart: offset, ancestors };
}

/**
 * The namespace URI a prefix ('' for the default namespace) is bound to, looking at the tags
 * from the innermost outwards. Undefined when unbound.
 */
export function resolvePrefix(prefix: string, tagsInnermostFirst: readonly OpenTag[]): string | undefined {
  if (prefix === 'xml') return XML_NAMESPACE;
  const attribute = prefix ? `xmlns:${prefix}` : 'xmlns';
  for (const tag of tagsInnermostFirst) {
    const uri = tag.attributes.get(attribute);
    if (uri !== undefined) return uri || undefined;
  }
  return undefined;
}

/** The prefix bound to `namespaceUri` at this point ('' for the default namespace), if any. */
export function prefixFor(namespaceUri: string, tagsInnermostFirst: readonly OpenTag[]): string | undefined {
  const seen = new Set<string>();
  for (const tag of tagsInnermostFirst) {
    for (const [name, value] of tag.attributes) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      const prefix = name === 'xmlns' ? '' : name.slice(6);
      if (seen.has(prefix)) continue; // shadowed by an inner declaration
      seen.add(prefix);
      if (value === namespaceUri) return prefix;
    }
  }
  return undefined;
}

/** The namespace URI of an element, resolving its prefix against itself and its ancestors. */
export function namespaceOf(tag: OpenTag, ancestors: readonly OpenTag[]): string | undefined {
  return resolvePrefix(tag.prefix, [tag, ...ancestors]);
}

export type TokenAt =
  | { kind: 'value'; value: string; start: number; end: number }
  | { kind: 'element-name'; tag: OpenTag; namespaceUri: string | undefined; start: number; end: number }
  | {
      kind: 'attribute-name';
      name: string;
      tag: OpenTag;
      namespaceUri: string | undefined;
      start: number;
      end: number;
    };

/**
 * The token under the cursor for hovers: an element or attribute name in a tag, or a
 * whitespace-delimited word of an attribute value or of text content.
 */
export function tokenAt(text: string, offset: number): TokenAt | undefined {
  let start = offset;
  while (start > 0 && NAME_CHAR.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && NAME_CHAR.test(text[end])) end++;
  const isStartTagName = start > 0 && text[start - 1] === '<';
  const isEndTagName = start > 1 && text[start - 1] === '/' && text[start - 2] === '<';
  if ((isStartTagName || isEndTagName) && end > start && enclosingDelimited(text, start) === undefined) {
    const qname = text.slice(start, end);
    if (isStartTagName) {
      const tagStart = start - 1;
      const tag = readOpenTag(
        text,
        tagStart,
        tagEnd(text, tagStart, Math.min(text.length, tagStart + MAX_TAG_LOOKAHEAD)) ?? end,
      );
      return { kind: 'element-name', tag, namespaceUri: namespaceOf(tag, openAncestors(text, tagStart)), start, end };
    }
    // An end tag: its namespace is the one of the matching start tag, the innermost ancestor.
    const ancestors = openAncestors(text, start - 2);
    const colon = qname.indexOf(':');
    const tag: OpenTag = {
      qname,
      prefix: colon > 0 ? qname.slice(0, colon) : '',
      localName: colon > 0 ? qname.slice(colon + 1) : qname,
      start: start - 2,
      attributes: new Map(),
    };
    return { kind: 'element-name', tag, namespaceUri: resolvePrefix(tag.prefix, ancestors), start, end };
  }

  const context = contextAt(text, offset, false);
  if (context.kind === 'attribute-name') {
    // Only a complete attribute name followed by `=` counts, not whitespace between attributes.
    const afterName = /^\s*=/.test(text.slice(end, end + 64));
    if (end === start || !afterName) return undefined;
    const namespaceUri = namespaceOf(context.tag, openAncestors(text, context.tag.start));
    return { kind: 'attribute-name', name: text.slice(start, end), tag: context.tag, namespaceUri, start, end };
  }
  if (context.kind !== 'attribute-value' && context.kind !== 'text') return undefined;
  const isBoundary = (c: string) =>
    /\s/.test(c) || c === '<' || c === '>' || (context.kind === 'attribute-value' && c === context.quote);
  let valueStart = offset;
  while (valueStart > 0 && !isBoundary(text[valueStart - 1])) valueStart--;
  let valueEnd = offset;
  while (valueEnd < text.length && !isBoundary(text[valueEnd])) valueEnd++;
  if (valueEnd === valueStart) return undefined;
  return { kind: 'value', value: text.slice(valueStart, valueEnd), start: valueStart, end: valueEnd };
}
