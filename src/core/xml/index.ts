export { LineIndex, stripBom, type LinePosition } from './lineIndex';
export { XmlErrorCode, makeXmlError, type XmlError } from './errors';
export { findDoctype } from './prolog';
export {
  scanXml,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_LENGTH,
  type XmlLimits,
  type XmlScanResult,
  type XmlVisitor,
  type XmlTag,
  type XmlAttribute,
} from './scan';
export { decodeAttributeValue } from './tag';
export { parseXmlDom, DEFAULT_DOM_MAX_LENGTH, type XmlDomResult } from './dom';
