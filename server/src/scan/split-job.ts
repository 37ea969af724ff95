// One big package shared by the scan workers, so that a 7 MB package does not run on one core.
// Step 1: each worker loads, parses and summarises its part of the files and keeps the trees.
// Step 2: once the summaries of every part are in, each worker analyses its own part against
// the whole package's facts. The result is the one runPackageJob gives for the whole package.
import * as fs from 'node:fs';
import type { LeakEngine } from '../engine/engine';
import { ownerTypesIn } from '../engine/package-index';
import {
  analyzePrepared,
  deleteTrees,
  loadFiles,
  prepareFiles,
  type JobFile,
  type JobResult,
  type PackageFacts,
  type PackageJob,
  type Prepared,
} from './package-job';

export type PartRequest = { step: 'prepare'; key: number; job: PackageJob; files: string[]; ownerTypes: string[] | null } | { step: 'analyze'; key: number; job: PackageJob; facts: PackageFacts } | { step: 'drop'; key: number };

export interface PreparedPart {
  skipped: JobFile[];
  bytes: number;
  /** Facts of this part's loaded files, in order. */
  facts: Pick<PackageFacts, 'summaries' | 'files'>;
}

export type PartReply = PreparedPart | Omit<JobResult, 'bytes'> | null;

/** A worker's side: the parts it has prepared, by key, until they are analysed or dropped. */
export class PartHolder {
  private held = new Map<number, Prepared>();

  handle(engine: LeakEngine, req: PartRequest): PartReply {
    if (req.step === 'prepare') {
      // A part whose scan was abandoned (cancelled, another worker died) is freed here.
      for (const key of [...this.held.keys()]) this.drop(key);
      const { out, loaded, bytes } = loadFiles(req.job, req.files);
      const prepared = prepareFiles(engine, req.job, loaded, req.ownerTypes && new Set(req.ownerTypes));
      this.held.set(req.key, prepared);
      return { skipped: out, bytes, facts: { summaries: prepared.summaries, files: prepared.loaded.map((f) => ({ path: f.path, mtimeMs: f.mtimeMs, size: f.size })) } };
    }
    const prepared = this.held.get(req.key);
    if (req.step === 'drop' || !prepared) {
      this.drop(req.key);
      if (req.step === 'drop') return null;
      throw new Error('split scan: part not prepared in this worker');
    }
    try {
      return analyzePrepared(engine, req.job, prepared, req.facts);
    } finally {
      this.drop(req.key);
    }
  }

  private drop(key: number): void {
    const p = this.held.get(key);
    if (p) deleteTrees(p.trees);
    this.held.delete(key);
  }
}

/** Splits files into `n` parts of about equal bytes, each part in the files' order. */
export function splitBySize(files: string[], sizes: number[], n: number): string[][] {
  const load = new Array<number>(n).fill(0);
  const owner = new Array<number>(files.length);
  const order = files.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a]);
  for (const i of order) {
    let best = 0;
    for (let k = 1; k < n; k++) if (load[k] < load[best]) best = k;
    owner[i] = best;
    load[best] += sizes[i];
  }
  return Array.from({ length: n }, (_, k) => files.filter((_, i) => owner[i] === k)).filter((p) => p.length);
}

/** Puts the parts' results together as runPackageJob would have for the whole package. */
export function mergeParts(job: PackageJob, prepared: PreparedPart[], analysed: Omit<JobResult, 'bytes'>[]): JobResult {
  const rank = new Map(job.files.map((f, i) => [f, i]));
  const byRank = (a: JobFile, b: JobFile) => rank.get(a.path)! - rank.get(b.path)!;
  const skipped = prepared.flatMap((p) => p.skipped).sort(byRank);
  const files = analysed.flatMap((a) => a.files).sort(byRank);
  // Errors part by part (a part's own in its files' order).
  const errors = analysed.flatMap((a) => a.errors);
  const deps = new Map(analysed.flatMap((a) => a.deps ?? []).map((d) => [d.dir, d]));
  const unresolved = new Map(analysed.flatMap((a) => a.unresolved ?? []));
  return { files: [...skipped, ...files], bytes: prepared.reduce((n, p) => n + p.bytes, 0), errors, deps: [...deps.values()], unresolved: [...unresolved] };
}

/** The whole package's facts from its parts', in the order of the package's files. */
export function factsOf(job: PackageJob, prepared: PreparedPart[]): PackageFacts {
  const rank = new Map(job.files.map((f, i) => [f, i]));
  const rows = prepared.flatMap((p) => p.facts.summaries.map((s, i) => ({ summary: s, file: p.facts.files[i] }))).sort((a, b) => rank.get(a.file.path)! - rank.get(b.file.path)!);
  const skipped = prepared.flatMap((p) => p.skipped);
  return {
    summaries: rows.map((r) => r.summary),
    files: rows.map((r) => r.file),
    adoptable: !job.overlays && !skipped.some((f) => !f.path.endsWith('_test.go')),
  };
}

/**
 * ownerTypesIn over every file of the package, read here (a part sees only its own files); null
 * for the language server, which keeps every file's summary and joins it with edited siblings
 * later (ownerTypesFor).
 */
export function ownerTypesOf(job: PackageJob): string[] | null {
  if (job.encoding) return null;
  const texts = function* () {
    for (const f of job.files) {
      let buf: Buffer;
      try {
        buf = fs.readFileSync(f);
      } catch {
        continue; // skipped by the part that reads it
      }
      // Most files declare no stop method: no need to decode them.
      if (buf.length <= job.maxFileSize && STOP_NAMES.some((n) => buf.includes(n))) yield buf.toString('utf8');
    }
  };
  const types = ownerTypesIn(texts());
  return types && [...types];
}

const STOP_NAMES = ['Stop', 'Close', 'Shutdown'];
