// What the server knows of each package (one folder, one package name): the summary of
// every file, from the open document when there is one, else from disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakEngine } from '../engine/engine';
import { PackageIndex, type FileSummary } from '../engine/package-index';
import { readableText } from './documents';

interface DiskEntry {
  mtimeMs: number;
  size: number;
  summary: FileSummary | null;
}

export class PackageTracker {
  /** Summaries of open documents, by path. */
  private readonly open = new Map<string, FileSummary>();
  /** Summaries read from disk, by path, with the stat they were read at. */
  private readonly disk = new Map<string, DiskEntry>();

  /** Built indexes by folder and package name; dropped when anything in the folder changes. */
  private readonly indexes = new Map<string, Map<string, PackageIndex>>();

  constructor(
    private readonly engine: LeakEngine,
    /** The per-file analysis budget: a sibling whose summary runs past it exports nothing. */
    private readonly budgetMs: () => number | undefined = () => undefined,
  ) {}

  /** Records an open document's summary; true when what it exports to its package changed. */
  setOpen(file: string, summary: FileSummary): boolean {
    const before = this.openExports.get(file);
    const now = exportsOf(summary);
    this.open.set(file, summary);
    this.openExports.set(file, now);
    const changed = before !== now;
    if (changed) this.invalidate(file);
    return changed;
  }

  /** exportsOf each open document's summary. */
  private readonly openExports = new Map<string, string>();

  closeOpen(file: string): void {
    this.open.delete(file);
    this.openExports.delete(file);
    this.invalidate(file);
  }

  /** Records a summary computed elsewhere (the workspace scan's workers). */
  setDisk(file: string, summary: FileSummary | null, stat: { mtimeMs: number; size: number }): void {
    this.disk.set(file, { ...stat, summary });
    this.invalidate(file);
  }

  forget(file: string): void {
    this.disk.delete(file);
    this.open.delete(file);
    this.openExports.delete(file);
    this.invalidate(file);
  }

  /** Drops cached indexes of a file's folder (call when files there change on disk). */
  invalidate(file: string): void {
    this.indexes.delete(path.dirname(file));
  }

  /** The index for the package of `file`: siblings in its folder with the same package name. */
  indexFor(file: string, packageName: string, maxFileSize: number): PackageIndex {
    const dir = path.dirname(file);
    const cached = this.indexes.get(dir)?.get(packageName);
    if (cached) return cached;
    const index = this.buildIndex(file, dir, packageName, maxFileSize);
    if (!this.indexes.has(dir)) this.indexes.set(dir, new Map());
    this.indexes.get(dir)!.set(packageName, index);
    return index;
  }

  private buildIndex(file: string, dir: string, packageName: string, maxFileSize: number): PackageIndex {
    const summaries: FileSummary[] = [];
    for (const sibling of goFilesIn(dir)) {
      const s = this.open.get(sibling) ?? this.diskSummary(sibling, maxFileSize);
      if (s && s.packageName === packageName) summaries.push(s);
    }
    const own = this.open.get(file);
    if (own && !summaries.includes(own)) summaries.push(own);
    return new PackageIndex(summaries);
  }

  private diskSummary(file: string, maxFileSize: number): FileSummary | null {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.disk.delete(file);
      return null;
    }
    const hit = this.disk.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.summary;
    let summary: FileSummary | null = null;
    try {
      const t = readableText(fs.readFileSync(file), maxFileSize);
      if ('text' in t) {
        const tree = this.engine.parse(t.text);
        try {
          summary = this.engine.summarize(file, tree, t.text, undefined, this.budgetMs());
        } finally {
          tree.delete();
        }
      }
    } catch {
      summary = null; // unreadable or vanished: it exports nothing
    }
    this.disk.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, summary });
    return summary;
  }
}

/**
 * What other files can see of a summary: if this changes, its package must be re-analysed and
 * its index rebuilt. Every fact counts (owners, parkers, senders, streams, closed fields, and
 * the spans of fixes too): the index kept while it is unchanged must equal a fresh one.
 */
export function exportsOf(s: FileSummary): string {
  return JSON.stringify({ ...s, path: '' });
}

function goFilesIn(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name.endsWith('.go') && (e.isFile() || e.isSymbolicLink()))
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}
