// The edits made to an open document, so that what was computed for an earlier version of its
// text can tell which parts of the current text are unchanged without comparing them: text
// outside the one range covering every edit since then is the same, moved by a fixed amount.

/** [start, oldEnd) of the earlier text became [start, newEnd) of the current one. */
export interface CoveringEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** One edit after another, as one: the smallest range holding both. */
export function composeEdits(a: CoveringEdit, b: CoveringEdit): CoveringEdit {
  const start = Math.min(a.start, b.start);
  const mid = Math.max(a.newEnd, b.oldEnd); // end of what changed, in the text between the two
  return { start, oldEnd: mid - a.newEnd + a.oldEnd, newEnd: mid + b.newEnd - b.oldEnd };
}

export class EditLog {
  /** Number of edits so far; `since(seq)` answers for any seq it handed out. */
  private seq = 0;
  private edits: CoveringEdit[] = [];
  /** Edits before this one are forgotten (a whole-text replacement, or too many kept). */
  private floor = 0;
  /** Length of the current text. */
  length: number;

  constructor(length: number) {
    this.length = length;
  }

  get current(): number {
    return this.seq;
  }

  /** A ranged change: [start, oldEnd) replaced by `insertedLength` characters. */
  record(start: number, oldEnd: number, insertedLength: number): void {
    this.edits.push({ start, oldEnd, newEnd: start + insertedLength });
    this.length += insertedLength - (oldEnd - start);
    this.seq++;
    if (this.edits.length > 256) {
      this.edits = this.edits.slice(128);
      this.floor = this.seq - this.edits.length;
    }
  }

  /** The whole text replaced: nothing from before is known to be the same. */
  replaced(length: number): void {
    this.seq++;
    this.edits = [];
    this.floor = this.seq;
    this.length = length;
  }

  /**
   * The edit covering every change after `seq` (`{start: 0, oldEnd: 0, newEnd: 0}` when none),
   * or null when they are not known. `length`: the current text's, checked against the log's.
   */
  since(seq: number, length: number): CoveringEdit | null {
    if (seq < this.floor || seq > this.seq || length !== this.length) return null;
    let out: CoveringEdit | null = null;
    for (let i = seq - this.floor; i < this.edits.length; i++) out = out ? composeEdits(out, this.edits[i]) : this.edits[i];
    return out ?? { start: 0, oldEnd: 0, newEnd: 0 };
  }
}
