// A baseline: the findings a codebase had when it adopted leaklint, so that only new ones are
// reported. The file is JSON meant to be committed and reviewed: one entry per fingerprint
// (fingerprint.ts), with the rule, file, declaration and message for people, and a count for
// findings that look the same (the first `count` in file order are known, the rest are new).
// Paths are relative to the folder holding the baseline file, so the CLI run from anywhere
// and the language server agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fingerprint, normalizeMessage, type FingerprintInput } from './fingerprint';

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  function: string;
  message: string;
  count: number;
}

export class BaselineError extends Error {}

const FORMAT_VERSION = 1;

export class Baseline {
  private readonly counts: Map<string, number>;

  private constructor(
    readonly entries: BaselineEntry[],
    /** Folder the entries' paths are relative to. */
    readonly root: string,
  ) {
    this.counts = new Map();
    for (const e of entries) this.counts.set(e.fingerprint, (this.counts.get(e.fingerprint) ?? 0) + e.count);
  }

  get size(): number {
    return this.entries.reduce((n, e) => n + e.count, 0);
  }

  /** Reads a baseline file; throws BaselineError when it is missing, unreadable or not a baseline. */
  static read(file: string): Baseline {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new BaselineError(`cannot read baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return Baseline.parse(text, file);
  }

  static parse(text: string, file: string): Baseline {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new BaselineError(`baseline ${file} is not valid JSON: ${(e as Error).message}`);
    }
    const d = data as { version?: unknown; findings?: unknown };
    if (!d || typeof d !== 'object' || d.version !== FORMAT_VERSION || !Array.isArray(d.findings)) {
      throw new BaselineError(`${file} is not a leaklint baseline (version ${FORMAT_VERSION}); write one with --write-baseline`);
    }
    const entries: BaselineEntry[] = [];
    for (const raw of d.findings as unknown[]) {
      const e = raw as Partial<BaselineEntry>;
      if (!e || typeof e.fingerprint !== 'string') continue; // a hand-edited entry we cannot use
      const count = typeof e.count === 'number' && Number.isInteger(e.count) && e.count > 0 ? e.count : 1;
      entries.push({ fingerprint: e.fingerprint, rule: String(e.rule ?? ''), file: String(e.file ?? ''), function: String(e.function ?? ''), message: String(e.message ?? ''), count });
    }
    return new Baseline(entries, path.dirname(path.resolve(file)));
  }

  /** A baseline of these findings, for a file to be written in `root`. */
  static of(findings: FingerprintInput[], root: string): Baseline {
    const byPrint = new Map<string, BaselineEntry>();
    for (const f of findings) {
      const fp = fingerprint(f);
      const hit = byPrint.get(fp);
      if (hit) hit.count++;
      else byPrint.set(fp, { fingerprint: fp, rule: f.rule, file: f.file, function: f.scope, message: normalizeMessage(f.message), count: 1 });
    }
    const entries = [...byPrint.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.function, b.function) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint));
    return new Baseline(entries, root);
  }

  /** Stable text: sorted entries, one key order, a final newline (diffs of it review well). */
  serialize(): string {
    return JSON.stringify({ version: FORMAT_VERSION, tool: 'leaklint', findings: this.entries }, null, 2) + '\n';
  }

  /** Writes atomically (a temporary file renamed over the target). */
  write(file: string): void {
    const tmp = `${file}.leaklint-${process.pid}.tmp`;
    fs.writeFileSync(tmp, this.serialize());
    fs.renameSync(tmp, file);
  }

  /** The path of `abs` as this baseline records it. */
  relative(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  /**
   * Splits findings (in file order) into those the baseline knows and new ones. Of several
   * findings with one fingerprint, the first `count` are known.
   */
  partition<T>(items: readonly T[], describe: (item: T) => FingerprintInput): { fresh: T[]; known: T[] } {
    const left = new Map(this.counts);
    const fresh: T[] = [];
    const known: T[] = [];
    for (const it of items) {
      const fp = fingerprint(describe(it));
      const n = left.get(fp) ?? 0;
      if (n > 0) {
        left.set(fp, n - 1);
        known.push(it);
      } else {
        fresh.push(it);
      }
    }
    return { fresh, known };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
