import { type LineIndex } from './lineIndex';

/** Why a text could not be read as XML. */
export const XmlErrorCode = {
  Doctype: 'xml.doctype',
  TooLarge: 'xml.too-large',
  TooDeep: 'xml.too-deep',
  Empty: 'xml.empty',
  MultipleRoots: 'xml.multiple-roots',
  MismatchedTag: 'xml.mismatched-tag',
  UnclosedTag: 'xml.unclosed-tag',
  Malformed: 'xml.malformed',
} as const;
export type XmlErrorCode = (typeof XmlErrorCode)[keyof typeof XmlErrorCode];

/**
 * A reading failure at a place in the text.
 * `offset` is a UTF-16 code unit offset; `line` and `column` are 1-based (column in UTF-16 code units,
 * as VS Code's status bar shows it). `message` is `reason` prefixed with "Line L, column C: ".
 */
export interface XmlError {
  code: XmlErrorCode;
  reason: string;
  message: string;
  offset: number;
  line: number;
  column: number;
}

export function makeXmlError(code: XmlErrorCode, reason: string, offset: number, lines: LineIndex): XmlError {
  const position = lines.positionAt(offset);
  const line = position.line + 1;
  const column = position.character + 1;
  return { code, reason, message: `Line ${line}, column ${column}: ${reason}`, offset, line, column };
}
