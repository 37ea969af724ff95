// Scanning files on disk for the CLI: group by package folder, reuse cached packages,
// analyse the rest on worker threads (or in-process for small scans).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakLintConfig } from '../engine/config';
import { LeakEngine, type FileResult } from '../engine/engine';
import { GoModLocator } from '../engine/gomod';
import { LineIndex } from '../engine/positions';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/source';
import type { PackageCache } from './cache';
import { byFolder, runPackageJob, type JobResult, type PackageJob } from './package-job';
import { ScanPool } from './pool';

export interface ScannedFile {
  path: string;
  source: string;
  /** The bytes decoded losslessly: fixes may be written back. */
  exact: boolean;
  result: FileResult;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ScanOutput {
  files: ScannedFile[];
  skipped: SkippedFile[];
  bytes: number;
  errors: string[];
  /** Imports whose package could not be found (import path → why), for --verbose. */
  unresolved: Map<string, string>;
  /** Files whose analysis ran past the per-file budget and was dropped, with the budget in ms. */
  stopped: { path: string; budgetMs: number }[];
}

export interface ScanOptions {
  config: LeakLintConfig;
  maxFileSize?: number;
  includeGenerated?: boolean;
  gomod?: GoModLocator;
  /** Worker threads; 1 analyses in-process. */
  jobs?: number;
  cache?: PackageCache | null;
  /** Per-file analysis budget in ms (budget.ts); unset: no limit. */
  budgetMs?: number;
}

/**
 * Below this many files, or this many bytes, starting workers costs more than it saves.
 * LEAKLINT_IN_PROCESS_BYTES overrides the bytes (tests use workers on small trees).
 */
const IN_PROCESS_LIMIT = 40;
const IN_PROCESS_BYTES = process.env.LEAKLINT_IN_PROCESS_BYTES ? Number(process.env.LEAKLINT_IN_PROCESS_BYTES) : 1024 * 1024;

export async function scanFiles(files: string[], opts: ScanOptions): Promise<ScanOutput> {
  const gomod = opts.gomod ?? new GoModLocator();
  const jobs: PackageJob[] = [...byFolder(files)].map(([dir, list]) => ({
    files: list,
    config: opts.config,
    goVersion: gomod.find(dir)?.version ?? null,
    maxFileSize: opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    includeGenerated: opts.includeGenerated,
    budgetMs: opts.budgetMs,
  }));

  const results: JobResult[] = [];
  const misses: PackageJob[] = [];
  for (const job of jobs) {
    const hit = opts.cache?.get(job);
    if (hit) results.push(hit);
    else misses.push(job);
  }
  const store = (job: PackageJob, result: JobResult) => {
    results.push(result);
    // A package with a file cut short by the budget is not kept: the next run tries it again.
    if (!result.files.some((f) => f.stoppedAfterMs !== undefined)) opts.cache?.put(job, result);
  };
  const errors: string[] = [];
  const missFiles = misses.reduce((n, j) => n + j.files.length, 0);
  const sizes = new Map(misses.map((j) => [j, j.files.reduce((n, f) => n + sizeOf(f), 0)]));
  const missBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  if ((opts.jobs ?? 1) > 1 && missFiles > IN_PROCESS_LIMIT && missBytes > IN_PROCESS_BYTES) {
    const pool = new ScanPool(opts.jobs);
    try {
      // Biggest packages first, so that no big one is left running alone at the end.
      await pool.run([...misses].sort((a, b) => sizes.get(b)! - sizes.get(a)!), (outcome, job) => {
        if (outcome.result) store(job, outcome.result);
        else errors.push(`${path.dirname(job.files[0])}: ${outcome.error}`);
      });
    } finally {
      pool.dispose();
    }
  } else if (misses.length) {
    const engine = await LeakEngine.create();
    for (const job of misses) store(job, runPackageJob(engine, job));
  }

  const out: ScanOutput = { files: [], skipped: [], bytes: 0, errors, unresolved: new Map(), stopped: [] };
  for (const r of results) {
    out.bytes += r.bytes;
    for (const [p, why] of r.unresolved ?? []) out.unresolved.set(p, why);
    errors.push(...r.errors);
    for (const f of r.files) {
      if (f.skipped !== undefined) {
        out.skipped.push({ path: f.path, reason: f.skipped });
        continue;
      }
      if (f.stoppedAfterMs !== undefined) out.stopped.push({ path: f.path, budgetMs: f.stoppedAfterMs });
      // From the cache, a file with no findings comes without its text: nothing needs it.
      const source = f.source ?? '';
      out.files.push({
        path: f.path,
        source,
        exact: !!f.exact,
        result: { findings: f.findings ?? [], refactors: f.refactors ?? [], lines: new LineIndex(source), errors: [] },
      });
    }
  }
  out.files.sort((a, b) => a.path.localeCompare(b.path));
  out.stopped.sort((a, b) => a.path.localeCompare(b.path));
  return out;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
