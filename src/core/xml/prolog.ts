/**
 * Finds a document type declaration in the prolog (before the root element), without parsing it.
 * Any DOCTYPE is refused, so entity definitions (billion laughs) and external subsets (XXE) are
 * never seen by a parser. Only the prolog is scanned, so this costs nothing on large documents,
 * and a "<!DOCTYPE" inside a comment is not mistaken for one.
 *
 * Returns the offset of "<!DOCTYPE", or -1.
 */
export function findDoctype(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      i++;
      continue;
    }
    if (code !== 0x3c /* < */) return -1;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return -1;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return -1;
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      // "<!DOCTYPE" in any letter case, and any other markup declaration at this level.
      return text.slice(i + 2, i + 9).toUpperCase() === 'DOCTYPE' ? i : -1;
    } else {
      return -1; // the root element starts: the prolog is over
    }
  }
  return -1;
}
