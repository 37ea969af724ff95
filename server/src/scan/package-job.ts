// Analysing one package folder from disk: the unit of work of every scan, in-process or in a worker.
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import type { LeakLintConfig } from '../engine/config';
import type { LeakEngine } from '../engine/engine';
import { importSpecs, type DepStamp } from '../engine/deps';
import type { GoVersion } from '../engine/gomod';
import { PackageIndex, type FileSummary } from '../engine/package-index';
import type { LineIndex, PositionEncoding } from '../engine/positions';
import { decodeSource, generatedNote } from '../engine/source';
import type { Finding, Refactor } from '../engine/types';
import { linesOnDisk, stoppedNote, toDiagnostic } from '../lsp/convert';
import { AnalysisStopped } from '../engine/budget';

export interface PackageJob {
  /** The .go files of one folder. */
  files: string[];
  config: LeakLintConfig;
  goVersion: GoVersion | null;
  maxFileSize: number;
  includeGenerated?: boolean;
  /** Set by the language server: return LSP diagnostics in this encoding instead of findings and text. */
  encoding?: PositionEncoding;
  /** Text of files open in the editor, which wins over what is on disk. */
  overlays?: Record<string, string>;
  /** Bumped by the server whenever Go files or module files change: dependency facts read before are dropped. */
  depsEpoch?: number;
  /** Milliseconds each file's summary, and then its analysis, may take (budget.ts); unset: no limit. */
  budgetMs?: number;
}

export interface JobFile {
  path: string;
  mtimeMs: number;
  size: number;
  skipped?: string;
  summary?: FileSummary;
  /** Without `encoding`: the text analysed (for positions and --fix) and what was found. */
  source?: string;
  exact?: boolean;
  findings?: Finding[];
  refactors?: Refactor[];
  /** With `encoding`. */
  diagnostics?: Diagnostic[];
  /** Set when the file's analysis ran past its budget (this many ms) and was dropped: no findings, only a note. */
  stoppedAfterMs?: number;
}

export interface JobResult {
  files: JobFile[];
  bytes: number;
  errors: string[];
  /** The dependency packages whose facts the analysis used (a cached result is stale once one changes). */
  deps?: DepStamp[];
  /** Imports that could not be resolved, with why (for --verbose and the output channel). */
  unresolved?: [string, string][];
}

/** Files grouped by folder: a package is the unit every scan analyses together. */
export function byFolder(files: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files) {
    const dir = dirname(f);
    const list = out.get(dir);
    if (list) list.push(f);
    else out.set(dir, [f]);
  }
  return out;
}

export function runPackageJob(engine: LeakEngine, job: PackageJob): JobResult {
  const out: JobFile[] = [];
  const loaded: { path: string; source: string; exact: boolean; mtimeMs: number; size: number }[] = [];
  let bytes = 0;
  for (const path of job.files) {
    const overlay = job.overlays?.[path];
    if (overlay !== undefined) {
      loaded.push({ path, source: overlay, exact: true, mtimeMs: 0, size: overlay.length });
      continue;
    }
    let stat: fs.Stats;
    let buf: Buffer;
    try {
      stat = fs.statSync(path);
      buf = fs.readFileSync(path);
    } catch (e) {
      // Deleted or made unreadable mid-scan.
      out.push({ path, mtimeMs: 0, size: 0, skipped: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    bytes += buf.length;
    const d = decodeSource(buf, job.maxFileSize);
    const reason = !d.ok ? d.reason : job.includeGenerated ? null : generatedNote(d.text);
    if (reason || !d.ok) out.push({ path, mtimeMs: stat.mtimeMs, size: stat.size, skipped: reason ?? 'unreadable' });
    else loaded.push({ path, source: d.text, exact: d.exact, mtimeMs: stat.mtimeMs, size: stat.size });
  }
  const errors: string[] = [];
  if (!loaded.length) return { files: out, bytes, errors };
  let depStamps: DepStamp[] = [];
  let unresolved: [string, string][] = [];
  const trees = loaded.map((f) => engine.parse(f.source));
  try {
    // A file whose summary or analysis runs past the budget is dropped (with a note); the others go on.
    const stopped = new Map<number, number>();
    const onBudget = <T>(i: number, f: () => T, otherwise: () => T): T => {
      try {
        return f();
      } catch (e) {
        if (!(e instanceof AnalysisStopped)) throw e;
        stopped.set(i, e.budgetMs);
        return otherwise();
      }
    };
    const summaries = loaded.map((f, i) => onBudget(i, () => engine.summarize(f.path, trees[i], f.source, undefined, job.budgetMs), () => engine.emptySummary(f.path, trees[i])));
    const indexes = new Map<string, PackageIndex>();
    for (const name of new Set(summaries.map((s) => s.packageName))) indexes.set(name, new PackageIndex(summaries.filter((s) => s.packageName === name)));
    const deps = engine.dependencies(job.depsEpoch ?? 0);
    // Every non-test file of the folder was read as it is on disk: its facts serve its importers too.
    if (!job.overlays && !out.some((f) => !f.path.endsWith('_test.go'))) deps.adopt(dirname(job.files[0]), summaries, loaded);
    const stamps = new Map<string, DepStamp>();
    // Owner facts that reach into an imported package's constructors (go/owners.ts).
    for (const idx of indexes.values()) idx.linkOwners((p, named, q) => deps.ownerIndex(dirname(job.files[0]), p, named, q, (st) => stamps.set(st.dir, st)));
    const results = loaded.map((f, i) => {
      if (stopped.has(i)) return null;
      const { imports, stamps: used } = deps.importsFor(dirname(f.path), importSpecs(trees[i].rootNode));
      for (const st of used) stamps.set(st.dir, st);
      const opts = { config: job.config, goVersion: job.goVersion, pkg: indexes.get(summaries[i].packageName)!, imports, budgetMs: job.budgetMs };
      const r = onBudget(i, () => engine.analyze(f.path, f.source, trees[i], opts), () => null);
      if (r) errors.push(...r.errors);
      return r;
    });
    depStamps = [...stamps.values()];
    unresolved = [...deps.unresolved];
    const lines = new Map<string, LineIndex>(loaded.flatMap((f, i) => (results[i] ? [[f.path, results[i]!.lines] as const] : [])));
    loaded.forEach((f, i) => {
      const base = { path: f.path, mtimeMs: f.mtimeMs, size: f.size, summary: summaries[i] };
      const result = results[i];
      if (!result) {
        const stoppedAfterMs = stopped.get(i)!;
        out.push(job.encoding ? { ...base, stoppedAfterMs, diagnostics: [stoppedNote(stoppedAfterMs)] } : { ...base, stoppedAfterMs, exact: f.exact, findings: [], refactors: [] });
        return;
      }
      if (job.encoding) {
        const uri = pathToFileURL(f.path).href;
        const enc = job.encoding;
        out.push({ ...base, diagnostics: result.findings.map((finding) => toDiagnostic(finding, result.lines, enc, uri, (p) => lines.get(p) ?? linesOnDisk(p))) });
      } else {
        // The text travels back only where something was found: copying every file's text
        // between threads costs more than the analysis of most files.
        const found = result.findings.length > 0;
        out.push({ ...base, source: found ? f.source : undefined, exact: f.exact, findings: result.findings, refactors: result.refactors });
      }
    });
  } finally {
    for (const t of trees) t.delete();
  }
  return { files: out, bytes, errors, deps: depStamps, unresolved };
}
