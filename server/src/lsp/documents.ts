// Open documents: text, version, and a tree kept in step with every edit
// (tree.edit + incremental reparse), in the position encoding negotiated with the client.
import type { Tree } from 'web-tree-sitter';
import type { LeakEngine } from '../engine/engine';
import { LineIndex, type PositionEncoding } from '../engine/positions';
import { decodeSource, generatedNote } from '../engine/source';
import { SummaryCache } from '../engine/package-index';
import { IncrementalAnalysis } from '../engine/incremental';
import { composeEdits, EditLog, type CoveringEdit } from '../engine/edit-log';
import { knownTopLevel, topLevelAfterEdit } from '../engine/go/syntax';

export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type ContentChange = { range: Range; text: string } | { text: string };

export class OpenDocument {
  lines: LineIndex;
  /** The edits made to the text, for what is kept across them (summaries, analysis). */
  readonly edits: EditLog;
  /** Per-declaration summary facts, reused across edits of this document. */
  readonly summaries: SummaryCache;
  /** Findings of its top-level declarations, reused across edits of this document. */
  readonly analysis: IncrementalAnalysis;
  /** Why the document is not analysed (too large, generated), or null. */
  skipReason: string | null = null;
  private tree: Tree | null = null;
  /** UTF-8 size of `text`, kept up to date by edits (measuring a large file on every keystroke costs milliseconds). */
  private bytes: number;

  constructor(
    readonly uri: string,
    readonly path: string | null,
    public text: string,
    public version: number,
    private readonly engine: LeakEngine,
    private readonly maxFileSize: () => number,
  ) {
    this.lines = new LineIndex(text);
    this.bytes = Buffer.byteLength(text);
    this.edits = new EditLog(text.length);
    this.summaries = new SummaryCache(this.edits);
    this.analysis = new IncrementalAnalysis(engine, this.edits);
    this.reparse(null);
  }

  /** The current tree (null when the document is skipped). Owned by the document: do not delete. */
  get currentTree(): Tree | null {
    return this.tree;
  }

  /** Applies LSP content changes in order; each ranged change edits the tree before one reparse. */
  applyChanges(changes: readonly ContentChange[], version: number, encoding: PositionEncoding): void {
    let incremental = this.tree !== null;
    let covering: CoveringEdit | null = null;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        this.text = change.text;
        this.bytes = Buffer.byteLength(this.text);
        this.lines = new LineIndex(this.text);
        this.edits.replaced(this.text.length);
        incremental = false;
        continue;
      }
      const start = this.lines.offsetAt(change.range.start, encoding);
      const oldEnd = Math.max(start, this.lines.offsetAt(change.range.end, encoding));
      const startPoint = this.point(start);
      const oldEndPoint = this.point(oldEnd);
      this.bytes += Buffer.byteLength(change.text) - Buffer.byteLength(this.text.slice(start, oldEnd));
      this.text = this.text.slice(0, start) + change.text + this.text.slice(oldEnd);
      this.lines = this.lines.edited(this.text, start, oldEnd, change.text);
      this.edits.record(start, oldEnd, change.text.length);
      const edit = { start, oldEnd, newEnd: start + change.text.length };
      covering = covering ? composeEdits(covering, edit) : edit;
      if (incremental && this.tree) {
        const newEnd = start + change.text.length;
        this.tree.edit({
          startIndex: start,
          oldEndIndex: oldEnd,
          newEndIndex: newEnd,
          startPosition: startPoint,
          oldEndPosition: oldEndPoint,
          newEndPosition: this.point(newEnd),
        });
      }
    }
    this.version = version;
    this.reparse(incremental ? this.tree : null, covering);
  }

  private point(offset: number) {
    const p = this.lines.positionAt(offset, 'utf-16');
    return { row: p.line, column: p.character };
  }

  /** `edit`: what changed since `old` was parsed, to list the new tree's top-level nodes from old's. */
  private reparse(old: Tree | null, edit: CoveringEdit | null = null): void {
    const size = this.bytes;
    const limit = this.maxFileSize();
    this.skipReason = size > limit ? `file is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${(limit / 1024 / 1024).toFixed(1)} MB limit (leaklint.maxFileSize)` : generatedNote(this.text);
    if (this.skipReason) {
      this.dispose();
      return;
    }
    let next = this.engine.parse(this.text, old);
    if (old && next.rootNode.hasError) {
      // Error recovery depends on the edit history; a fresh parse keeps the diagnostics
      // of a broken file exactly those of a fresh analysis (the cost is paid only while
      // the file does not parse).
      next.delete();
      next = this.engine.parse(this.text);
    } else if (old && edit) {
      const before = knownTopLevel(old);
      if (before) topLevelAfterEdit(next, before, edit, old.getChangedRanges(next));
    }
    if (this.tree && this.tree !== next) this.tree.delete();
    this.tree = next;
  }

  /** Re-checks limits after a settings change. */
  refresh(): void {
    this.reparse(null);
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
  }
}

/** Bytes on disk as analysable text, or why not. */
export function readableText(bytes: Uint8Array, maxFileSize: number): { text: string } | { reason: string } {
  const d = decodeSource(bytes, maxFileSize);
  if (!d.ok) return { reason: d.reason };
  const gen = generatedNote(d.text);
  return gen ? { reason: gen } : { text: d.text };
}
