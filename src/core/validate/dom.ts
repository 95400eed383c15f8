// The safe DOM loader for SAML messages. src/core/xml/ is to provide a shared `parseXmlDom(text)`;
// until it does, this small loader keeps the validator's guarantees on its own:
//  - any DOCTYPE is refused before a parser sees the text (no entities, no external fetches);
//  - saxes (a strict, namespace-aware parser) checks well-formedness first, because @xmldom/xmldom
//    0.8 only warns about unclosed tags and ignores undeclared prefixes, several roots and trailing text;
//  - the DOM itself comes from @xmldom/xmldom, the same copy xml-crypto verifies with, so one parser
//    decides what is verified and what is displayed.
import { DOMParser } from '@xmldom/xmldom';
import { SaxesParser } from 'saxes';
import { findDoctype } from '../xml/prolog';

export type DomLoadResult =
  | { ok: true; document: Document }
  | { ok: false; code: 'xml.empty' | 'xml.doctype' | 'xml.malformed' | 'xml.multiple-roots'; message: string; line?: number; column?: number };

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Strict well-formedness check; returns the first problem or undefined. */
function firstWellFormednessError(text: string): { message: string; line: number; column: number; multipleRoots: boolean } | undefined {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: { message: string; line: number; column: number; multipleRoots: boolean } | undefined;
  let rootsClosed = 0;
  let depth = 0;
  parser.on('error', (error) => {
    if (!problem) {
      // saxes prefixes "line:column: "; keep the reason only, position is reported separately.
      const reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
      problem = { message: reason, line: parser.line, column: parser.column, multipleRoots: false };
    }
    throw error; // stop at the first error: later ones are usually consequences
  });
  parser.on('opentag', () => {
    if (depth === 0 && rootsClosed > 0 && !problem) {
      problem = { message: 'a second top-level element follows the root element; a SAML message has exactly one root', line: parser.line, column: parser.column, multipleRoots: true };
      throw new Error(problem.message);
    }
    depth++;
  });
  parser.on('closetag', () => {
    depth--;
    if (depth === 0) rootsClosed++;
  });
  try {
    parser.write(text).close();
  } catch {
    // recorded in `problem`
  }
  return problem;
}

/** Loads XML text into an xmldom Document, or explains precisely why it cannot. */
export function loadXmlDocument(text: string): DomLoadResult {
  if (text.trim() === '') return { ok: false, code: 'xml.empty', message: 'The message is empty.' };
  const doctypeAt = findDoctype(text);
  if (doctypeAt >= 0) {
    const { line, column } = lineAndColumn(text, doctypeAt);
    return {
      ok: false,
      code: 'xml.doctype',
      message: `Line ${line}, column ${column}: the message contains a DOCTYPE declaration. SAML messages never need one, and it can hide entity-expansion or external-entity attacks, so it is refused before parsing.`,
      line,
      column,
    };
  }
  const problem = firstWellFormednessError(text);
  if (problem) {
    return {
      ok: false,
      code: problem.multipleRoots ? 'xml.multiple-roots' : 'xml.malformed',
      message: `Line ${problem.line}, column ${problem.column}: not well-formed XML: ${problem.message}.`,
      line: problem.line,
      column: problem.column,
    };
  }
  let parserMessage: string | undefined;
  const record = (message: string) => {
    parserMessage ??= message.replace(/^\[xmldom [a-zA-Z]+\]\s*/, '').replace(/\n@#\[.*$/s, '');
  };
  const document = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(text, 'text/xml');
  if (parserMessage || !document?.documentElement) {
    return { ok: false, code: 'xml.malformed', message: `The XML could not be read: ${parserMessage ?? 'no root element'}.` };
  }
  return { ok: true, document };
}
