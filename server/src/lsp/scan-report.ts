// One line per workspace scan for the output channel: how many files and megabytes, how
// long, how much came from the cache, the findings per rule as published, and the files
// skipped with why.
import type { Diagnostic } from 'vscode-languageserver';
import type { JobResult } from '../scan/package-job';

/** A skip reason without its figures, so that like reasons count together. */
export function skipKind(reason: string): string {
  if (/generated/i.test(reason)) return 'generated';
  if (/over the .* limit/.test(reason)) return 'over the size limit';
  if (/binary/.test(reason)) return 'binary';
  if (/cannot read/.test(reason)) return 'unreadable';
  return reason;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export class ScanReport {
  private files = 0;
  private bytes = 0;
  private packages = 0;
  private cached = 0;
  private stopped = 0;
  private failed = 0;
  private readonly skipped = new Map<string, number>();
  private readonly byRule = new Map<string, number>();
  private readonly started = performance.now();

  /** A package's outcome; `shown` gives the diagnostics published for one of its files. */
  addPackage(result: JobResult, fromCache: boolean, shown: (file: string) => readonly Diagnostic[]): void {
    this.packages++;
    if (fromCache) this.cached++;
    for (const f of result.files) {
      this.files++;
      this.bytes += f.size;
      if (f.skipped) {
        const kind = skipKind(f.skipped);
        this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
        continue;
      }
      if (f.stoppedAfterMs !== undefined) this.stopped++;
      for (const d of shown(f.path)) if (typeof d.code === 'string') this.byRule.set(d.code, (this.byRule.get(d.code) ?? 0) + 1);
    }
  }

  addFailure(): void {
    this.failed++;
  }

  text(outcome: 'done' | 'cancelled' = 'done'): string {
    const secs = ((performance.now() - this.started) / 1000).toFixed(2);
    const mb = (this.bytes / 1024 / 1024).toFixed(1);
    const head = `${outcome === 'done' ? 'Scanned' : 'Scan cancelled after'} ${plural(this.files, 'Go file')} (${mb} MB) in ${secs} s; ${this.cached} of ${plural(this.packages, 'package')} from the cache.`;
    const total = [...this.byRule.values()].reduce((a, b) => a + b, 0);
    const rules = [...this.byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([r, n]) => `${r} ${n}`);
    const found = total ? ` ${plural(total, 'finding')}: ${rules.join(', ')}.` : ' No findings.';
    const skippedTotal = [...this.skipped.values()].reduce((a, b) => a + b, 0);
    const skipped = skippedTotal ? ` Skipped ${plural(skippedTotal, 'file')}: ${[...this.skipped].map(([k, n]) => `${n} ${k}`).join(', ')}.` : '';
    const stopped = this.stopped ? ` ${plural(this.stopped, 'file')} stopped by the analysis budget.` : '';
    const failed = this.failed ? ` ${plural(this.failed, 'package')} failed (see above).` : '';
    return head + found + skipped + stopped + failed;
  }
}
