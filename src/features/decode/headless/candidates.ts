/**
 * Finds encoded SAML messages inside arbitrary text (HAR files, logs, curl commands) so they can be
 * decoded from the cursor, a CodeLens or a hover. No vscode import; offsets are UTF-16 indexes.
 */

export interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A SAMLResponse=/SAMLRequest= parameter with the rest of its query string. */
const PARAMETER = /[?&\s"'([{,;]?((?:[A-Za-z0-9_.~%-]+=[^&\s"'<>]*&)*SAML(?:Response|Request)=[^\s"'<>)\]},;]+)/g;
/**
 * A base64 run that decodes to the start of a SAML message: "<samlp:", "<saml2p:", "<?xml " or
 * "<Response" (URL-encoded or not). Redirect-binding (DEFLATE) values have no fixed prefix and are
 * only recognised after SAMLResponse=/SAMLRequest=.
 */
const BASE64_MESSAGE =
  /(?:PHNhbWxwO|PHNhbWwycD|PD94bWwg|PFJlc3BvbnNl|PHNhbWw6)[A-Za-z0-9+/%_-]{60,}(?:={0,2}|(?:%3D){0,2})/g;

/** What a parameter match cannot hold after its first character. */
const OUTSIDE_PARAMETER = /[\s"'<>]/;

/**
 * The stretches of `text` that may hold a SAMLResponse=/SAMLRequest= parameter: each run of
 * characters a match can hold that contains one, with the character before it (a match may start
 * with it). PARAMETER gives the same matches there as over the whole text, and tried at every
 * offset of a 1 MB metadata file full of base64 it took 60–130 ms per CodeLens request.
 */
function* parameterRuns(text: string): Iterable<{ start: number; end: number }> {
  let from = 0;
  for (;;) {
    const request = text.indexOf('SAMLRequest=', from);
    const response = text.indexOf('SAMLResponse=', from);
    const at = request < 0 ? response : response < 0 ? request : Math.min(request, response);
    if (at < 0) return;
    let start = at;
    while (start > 0 && !OUTSIDE_PARAMETER.test(text[start - 1])) start--;
    let end = at;
    while (end < text.length && !OUTSIDE_PARAMETER.test(text[end])) end++;
    yield { start: Math.max(0, start - 1), end };
    from = end;
  }
}

/** Every candidate in `text`, in order, without overlaps (a parameter wins over the base64 inside it). */
export function findCandidates(text: string, limit = 100): Candidate[] {
  const found: Candidate[] = [];
  for (const run of parameterRuns(text)) {
    for (const match of text.slice(run.start, run.end).matchAll(PARAMETER)) {
      const value = match[1];
      const start = run.start + match.index! + match[0].length - value.length;
      found.push({ start, end: start + value.length, text: value });
      if (found.length >= limit) return found;
    }
  }
  for (const match of text.matchAll(BASE64_MESSAGE)) {
    const start = match.index!;
    const end = start + match[0].length;
    if (found.some((c) => start < c.end && end > c.start)) continue;
    found.push({ start, end, text: match[0] });
    if (found.length >= limit) break;
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Any run of base64/URL-encoded characters (at least 20) around `offset`, for when no prefix is recognisable. */
function base64RunAround(text: string, offset: number): Candidate | undefined {
  const isBase64 = (c: string) => /[A-Za-z0-9+/=%_-]/.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isBase64(text[start - 1])) start--;
  while (end < text.length && isBase64(text[end])) end++;
  return end - start >= 20 ? { start, end, text: text.slice(start, end) } : undefined;
}

/** The candidate under `offset` (in a line or a whole document). */
export function candidateAt(text: string, offset: number): Candidate | undefined {
  const hit = findCandidates(text, Number.MAX_SAFE_INTEGER).find((c) => offset >= c.start && offset <= c.end);
  return hit ?? base64RunAround(text, offset);
}
