// Analysing one package folder from disk: the unit of work of every scan, in-process or in a worker.
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import type { LeakLintConfig } from '../engine/config';
import type { LeakEngine } from '../engine/engine';
import { importSpecs, type DepStamp } from '../engine/deps';
import type { GoVersion } from '../engine/gomod';
import { funcMayHoldFacts, ownerTypesIn, PackageIndex, type FileSummary } from '../engine/package-index';
import type { PositionEncoding } from '../engine/positions';
import { decodeSource, generatedNote } from '../engine/source';
import type { Finding, Refactor } from '../engine/types';
import type { Tree } from '../engine/parser';
import type { Rule } from '../engine/context';
import type { FileResult } from '../engine/engine';
import { RULES } from '../engine/rules';
import { blankFunctionBodies, isQuiet, quietFileWanted } from '../engine/quiet';
import { LineIndex } from '../engine/positions';
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

interface LoadedFile {
  path: string;
  source: string;
  exact: boolean;
  mtimeMs: number;
  size: number;
}

/** Reads (or takes from the overlays) the files of `job` at `paths`: skipped ones go to `out` with why. */
export function loadFiles(job: PackageJob, paths: readonly string[]): { out: JobFile[]; loaded: LoadedFile[]; bytes: number } {
  const out: JobFile[] = [];
  const loaded: LoadedFile[] = [];
  let bytes = 0;
  for (const path of paths) {
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
  return { out, loaded, bytes };
}

/** Files parsed and summarised, trees alive: what a package's analysis starts from. */
export interface Prepared {
  loaded: LoadedFile[];
  trees: Tree[];
  summaries: FileSummary[];
  /** Index in `loaded` → the budget (ms) its summary or analysis ran past. */
  stopped: Map<number, number>;
  /** Files no rule can report in by their text alone (quiet.ts): analysed only if the facts say so. */
  quiet: boolean[];
  /** Quiet files whose tree was parsed with function bodies blanked. */
  blanked: boolean[];
}

/** What the analysis of some of a package's files needs to know of the whole package. */
export interface PackageFacts {
  /** The summaries of every loaded file of the package, in the order of its files. */
  summaries: FileSummary[];
  /** Every loaded file's stat, same order (for the package's facts as a dependency). */
  files: { path: string; mtimeMs: number; size: number }[];
  /** Every non-test file was read as it is on disk: the package's facts serve its importers too. */
  adoptable: boolean;
}

/** Runs `f`; a file that runs past its budget is recorded in `stopped` and gets `otherwise()`. */
function onBudget<T>(stopped: Map<number, number>, i: number, f: () => T, otherwise: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof AnalysisStopped)) throw e;
    stopped.set(i, e.budgetMs);
    return otherwise();
  }
}

/**
 * Parses and summarises; the caller deletes `trees` (deleteTrees) once done. `ownerTypes`: the
 * package's types whose owner facts can matter (ownerTypesIn on the text of all its files), the
 * only ones summarised; null for all: the language server (`encoding`) keeps each file's summary
 * and joins it later with siblings as they are edited, which may make other types matter.
 */
export function prepareFiles(engine: LeakEngine, job: PackageJob, loaded: LoadedFile[], ownerTypes: ReadonlySet<string> | null): Prepared {
  const rules = enabledRules(job);
  const trees: Tree[] = [];
  const texts: string[] = [];
  const quiet: boolean[] = [];
  const blanked: boolean[] = [];
  const bodyMatters = (func: string) => funcMayHoldFacts(func, ownerTypes);
  for (const f of loaded) {
    // A quiet file's facts come from declarations, signatures and a few bodies: the others need no parse.
    const q = isQuiet(f.path, f.source, rules);
    let text = q ? blankFunctionBodies(f.source, bodyMatters) : f.source;
    let tree = engine.parse(text);
    if (text !== f.source && tree.rootNode.hasError) {
      tree.delete();
      tree = engine.parse((text = f.source));
    }
    trees.push(tree);
    texts.push(text);
    quiet.push(q);
    blanked.push(text !== f.source);
  }
  const stopped = new Map<number, number>();
  try {
    // A file whose summary or analysis runs past the budget is dropped (with a note); the others go on.
    const summaries = loaded.map((f, i) => onBudget(stopped, i, () => engine.summarize(f.path, trees[i], texts[i], undefined, job.budgetMs, ownerTypes, f.source), () => engine.emptySummary(f.path, trees[i])));
    return { loaded, trees, summaries, stopped, quiet, blanked };
  } catch (e) {
    deleteTrees(trees);
    throw e;
  }
}

export function deleteTrees(trees: Tree[]): void {
  for (const t of trees) t.delete();
}

export function packageFactsOf(job: PackageJob, p: Prepared, skipped: JobFile[]): PackageFacts {
  return {
    summaries: p.summaries,
    files: p.loaded.map((f) => ({ path: f.path, mtimeMs: f.mtimeMs, size: f.size })),
    adoptable: !job.overlays && !skipped.some((f) => !f.path.endsWith('_test.go')),
  };
}

/** Analyses the prepared files against the whole package's facts. Leaves the trees alive. */
export function analyzePrepared(engine: LeakEngine, job: PackageJob, p: Prepared, pkg: PackageFacts): Omit<JobResult, 'bytes'> {
  const { loaded, trees, summaries, stopped, quiet, blanked } = p;
  const rules = enabledRules(job);
  const out: JobFile[] = [];
  const errors: string[] = [];
  const indexes = new Map<string, PackageIndex>();
  for (const name of new Set(pkg.summaries.map((s) => s.packageName))) indexes.set(name, new PackageIndex(pkg.summaries.filter((s) => s.packageName === name)));
  const deps = engine.dependencies(job.depsEpoch ?? 0);
  if (pkg.adoptable) deps.adopt(dirname(job.files[0]), pkg.summaries, pkg.files);
  const stamps = new Map<string, DepStamp>();
  // Owner facts that reach into an imported package's constructors (go/owners.ts).
  for (const idx of indexes.values()) idx.linkOwners((p, named, q) => deps.ownerIndex(dirname(job.files[0]), p, named, q, (st) => stamps.set(st.dir, st)));
  const unanalysed = new Set<number>();
  const results = loaded.map((f, i) => {
    if (stopped.has(i)) return null;
    const { imports, stamps: used } = deps.importsFor(dirname(f.path), importSpecs(trees[i].rootNode));
    for (const st of used) stamps.set(st.dir, st);
    const opts = { config: job.config, goVersion: job.goVersion, pkg: indexes.get(summaries[i].packageName)!, imports, budgetMs: job.budgetMs };
    if (quiet[i]) {
      // Nothing to look for: the full analysis would find nothing.
      if (!quietFileWanted({ path: f.path, source: f.source, pkg: opts.pkg, imports }, rules)) {
        unanalysed.add(i);
        return { findings: [], refactors: [], lines: new LineIndex(''), errors: [] } satisfies FileResult;
      }
      if (blanked[i]) {
        trees[i].delete();
        trees[i] = engine.parse(f.source);
        blanked[i] = false;
      }
    }
    const r = onBudget(stopped, i, () => engine.analyze(f.path, f.source, trees[i], opts), () => null);
    if (r) errors.push(...r.errors);
    return r;
  });
  const lines = new Map<string, LineIndex>(loaded.flatMap((f, i) => (results[i] && !unanalysed.has(i) ? [[f.path, results[i]!.lines] as const] : [])));
  const linesOf = (path: string) => {
    let l = lines.get(path);
    if (!l) {
      const f = loaded.find((x, i) => x.path === path && unanalysed.has(i));
      if (f) lines.set(path, (l = new LineIndex(f.source)));
    }
    return l ?? linesOnDisk(path);
  };
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
      out.push({ ...base, diagnostics: result.findings.map((finding) => toDiagnostic(finding, result.lines, enc, uri, linesOf)) });
    } else {
      // The text travels back only where something was found: copying every file's text
      // between threads costs more than the analysis of most files.
      const found = result.findings.length > 0;
      out.push({ ...base, source: found ? f.source : undefined, exact: f.exact, findings: result.findings, refactors: result.refactors });
    }
  });
  return { files: out, errors, deps: [...stamps.values()], unresolved: [...deps.unresolved] };
}

function enabledRules(job: PackageJob): Rule[] {
  return RULES.filter((r) => job.config.rules[r.meta.id] !== 'off');
}

export function runPackageJob(engine: LeakEngine, job: PackageJob): JobResult {
  const { out, loaded, bytes } = loadFiles(job, job.files);
  if (!loaded.length) return { files: out, bytes, errors: [] };
  const prepared = prepareFiles(engine, job, loaded, job.encoding ? null : ownerTypesIn(loaded.map((f) => f.source)));
  try {
    const r = analyzePrepared(engine, job, prepared, packageFactsOf(job, prepared, out));
    return { ...r, files: [...out, ...r.files], bytes };
  } finally {
    deleteTrees(prepared.trees);
  }
}
