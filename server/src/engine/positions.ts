// The one place where offsets become lines and columns.
// Engine offsets are UTF-16 code-unit indexes into the source string (what
// web-tree-sitter reports for string input). LSP speaks UTF-16 by default and may
// negotiate UTF-8 or UTF-32; Go tools and our CLI speak UTF-8 byte columns.

export type PositionEncoding = 'utf-16' | 'utf-8' | 'utf-32';

export interface LineCol {
  /** 0-based line. */
  line: number;
  /** 0-based column in the requested encoding. */
  character: number;
}

export class LineIndex {
  /** A typed array: copied on every edit of an open document, it stays off the JavaScript heap. */
  private readonly lineStarts: Int32Array;

  constructor(
    readonly text: string,
    /** Line starts already known (see `edited`). */
    lineStarts?: Int32Array,
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = Int32Array.from(starts);
  }

  /**
   * The index of `text`, which is this index's text with [start, oldEnd) replaced by `inserted`:
   * only the lines after the edit move (a keystroke in a large file does not rescan it).
   */
  edited(text: string, start: number, oldEnd: number, inserted: string): LineIndex {
    const old = this.lineStarts;
    const delta = inserted.length - (oldEnd - start);
    const keep = this.lineOf(start) + 1; // line starts at or before `start` stay
    let from = keep;
    while (from < old.length && old[from] <= oldEnd) from++; // lines whose break was removed
    const added: number[] = [];
    for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) added.push(start + i + 1);
    const starts = new Int32Array(keep + added.length + (old.length - from));
    starts.set(old.subarray(0, keep));
    starts.set(added, keep);
    const tail = keep + added.length;
    starts.set(old.subarray(from), tail);
    if (delta) for (let i = tail; i < starts.length; i++) starts[i] += delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** The 0-based line that contains `offset`. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** End of the line's content, before any "\r\n" or "\n". */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > this.lineStart(line) && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }

  positionAt(offset: number, encoding: PositionEncoding = 'utf-16'): LineCol {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    const start = this.lineStarts[line];
    return { line, character: measure(this.text, start, clamped, encoding) };
  }

  /** Inverse of positionAt; a column past the line's end clamps to the end. */
  offsetAt(pos: LineCol, encoding: PositionEncoding = 'utf-16'): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    const end = this.lineEnd(pos.line);
    if (encoding === 'utf-16') return Math.min(start + Math.max(0, pos.character), end);
    let units = 0;
    let i = start;
    while (i < end && units < pos.character) {
      const cp = this.text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      units += encoding === 'utf-8' ? utf8Length(cp) : 1;
      if (units > pos.character) break;
      i += width;
    }
    return i;
  }

  /** UTF-8 byte offset of a string offset (what tree-sitter calls a byte index for UTF-8 input). */
  byteOffset(offset: number): number {
    const line = this.lineOf(offset);
    return this.lineByteStart(line) + measure(this.text, this.lineStarts[line], offset, 'utf-8');
  }

  private byteStarts?: number[];
  private lineByteStart(line: number): number {
    if (!this.byteStarts) {
      const b = [0];
      for (let l = 1; l < this.lineStarts.length; l++) {
        b.push(b[l - 1] + measure(this.text, this.lineStarts[l - 1], this.lineStarts[l], 'utf-8'));
      }
      this.byteStarts = b;
    }
    return this.byteStarts[line];
  }
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function measure(text: string, from: number, to: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-16') return to - from;
  let n = 0;
  for (let i = from; i < to; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff && i + 1 < to ? 2 : 1;
    n += encoding === 'utf-8' ? (width === 1 && cp > 0xffff ? 3 : utf8Length(cp)) : 1;
    i += width;
  }
  return n;
}
