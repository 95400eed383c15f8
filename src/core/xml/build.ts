// The one way the project writes XML: a plain object tree given to fast-xml-parser's XMLBuilder with
// the same options everywhere. In a tree, `@name` keys are attributes (written in key order, so
// namespace declarations stay where they are put), `#text` is an element's text, `#comment` a
// comment, an array repeats an element, and an undefined value writes nothing.

import { XMLBuilder } from 'fast-xml-parser';
import { escapeAttribute, escapeText } from './escape';

/** An element's content (or a document): attributes, text, comments and child elements. */
export interface XmlTree {
  readonly [name: string]: XmlNode;
}
export type XmlNode = string | XmlTree | readonly XmlNode[] | undefined;

export interface BuildXmlOptions {
  /** One element a line, indented by two spaces per level, ending with a line break. Default false. */
  readonly pretty?: boolean;
}

function builder(options: BuildXmlOptions): XMLBuilder {
  return new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    commentPropName: '#comment',
    format: options.pretty ?? false,
    indentBy: '  ',
    suppressEmptyNode: true,
    // Its default would write isDefault="true" as a bare name, which is not XML.
    suppressBooleanAttributes: false,
    // The project's escaping (escape.ts) instead of the builder's entity list: it keeps carriage
    // returns, and tabs and line breaks in attribute values, through parsing. (The builder itself
    // still writes ' in an attribute value as &apos;.)
    processEntities: false,
    tagValueProcessor: (_name, value) => escapeText(String(value)),
    attributeValueProcessor: (_name, value) => escapeAttribute(String(value)),
  });
}

/** The XML text of a tree (a document when it starts with `?xml`, otherwise a fragment). */
export function buildXml(tree: XmlTree, options: BuildXmlOptions = {}): string {
  return builder(options).build(tree) as string;
}
