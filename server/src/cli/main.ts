// leaklint: the command-line front door of the engine.
// Exit status: 0 clean, 1 findings reported, 2 usage or internal error.
import * as fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, parseConfig, type LeakLintConfig } from '../engine/config';
import { combineFixes, applyEdits } from '../engine/fixes';
import { parseGoVersion } from '../engine/gomod';
import { LineIndex } from '../engine/positions';
import { SEVERITIES, type Severity, type TextEdit } from '../engine/types';
import { DEFAULT_BUDGET_MS, formatBudget } from '../engine/budget';
import { buildSalt, defaultCacheDir, PackageCache } from '../scan/cache';
import { defaultParallelism } from '../scan/pool';
import { scanFiles, type ScannedFile } from '../scan/scan';
import { discoverGoFiles } from './files';
import { display, formatJson, formatSarif, formatText, type Located } from './format';
import { dumpMain } from './dump';
import { formatCheckstyle, formatGithub } from './annotations';
import { AdoptionError, keepNew, writeBaseline, type AdoptionOptions } from './adoption';

declare const LEAKLINT_VERSION: string | undefined;
const VERSION = typeof LEAKLINT_VERSION === 'string' ? LEAKLINT_VERSION : '0.0.0-dev';

interface Options extends AdoptionOptions {
  format: 'text' | 'json' | 'sarif' | 'github' | 'checkstyle';
  fix: boolean;
  config?: string;
  gitignore: boolean;
  goVersion?: string;
  maxFileSize: number;
  minSeverity: Severity;
  includeGenerated: boolean;
  verbose: boolean;
  jobs: number;
  cache: boolean;
  cacheDir: string;
  fileBudget: number;
}

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr, cwd: process.cwd() }): Promise<number> {
  // `leaklint dump FILE`: its own command line (a folder named dump is scanned as ./dump).
  if (argv[0] === 'dump') return dumpMain(argv.slice(1), io);
  const program = new Command('leaklint')
    .description('Find goroutine leaks in Go code.')
    .version(VERSION)
    .argument('[paths...]', 'files, folders (scanned recursively) or patterns like ./...', ['.'])
    .option('-f, --format <format>', 'output: text, json, sarif, github (Actions annotations) or checkstyle', choice(['text', 'json', 'sarif', 'github', 'checkstyle']), 'text')
    .option('--fix', 'apply the preferred fix of every finding in place', false)
    .option('-c, --config <file>', 'config file (default: .leaklint.json in the current folder)')
    .option('--no-gitignore', 'scan files that .gitignore excludes')
    .option('--go-version <version>', 'Go version to assume (overrides go.mod), e.g. 1.22')
    .option('--max-file-size <bytes>', 'skip files larger than this', positiveInt, 2 * 1024 * 1024)
    .option('--min-severity <level>', `report only this level and above: ${SEVERITIES.join(', ')}`, choice(['error', 'warning', 'info', 'hint']), 'info')
    .option('--include-generated', 'also scan files marked "Code generated ... DO NOT EDIT."', false)
    .option('-j, --jobs <n>', 'worker threads for the scan', positiveInt, defaultParallelism())
    .option('--no-cache', 'do not reuse or store results of unchanged packages')
    .option('--cache-dir <dir>', 'where results of unchanged packages are kept', defaultCacheDir())
    .option('--file-budget <ms>', 'stop analysing a file after this many milliseconds and say so (0: no limit)', nonNegativeInt, DEFAULT_BUDGET_MS)
    .option('--baseline <file>', 'report only findings not recorded in this baseline file')
    .option('--write-baseline <file>', "record today's findings in this baseline file (and report none)")
    .option('--new-from-rev <rev>', 'report only findings on lines changed since this git revision (untracked files count as new)')
    .option('--new-from-patch <file>', 'report only findings on lines this unified diff adds or changes')
    .option('-v, --verbose', 'say which files were skipped and why, and how long the scan took', false)
    .addHelpText('after', '\nGoroutine dumps: leaklint dump FILE|- [--format text|json|sarif] [--root DIR] [--fail-count N] (leaklint dump --help)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = program.opts<Options>();
  const inputs = program.args.length ? program.args : ['.'];
  try {
    return await run(inputs, opts, io);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof AdoptionError) {
      io.err.write(`leaklint: ${e.message}\n`);
      return 2;
    }
    io.err.write(`leaklint: internal error: ${(e as Error).message}\n`);
    if (opts.verbose) io.err.write(`${(e as Error).stack}\n`);
    return 2;
  }
}

async function run(inputs: string[], opts: Options, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; cwd: string }): Promise<number> {
  const started = process.hrtime.bigint();
  const root = io.cwd;
  const config = readConfig(opts, root);
  const { files, missing } = discoverGoFiles(inputs, { exclude: config.exclude, root, useGitignore: opts.gitignore });
  if (missing.length) {
    io.err.write(`leaklint: no such file or folder: ${missing.join(', ')}\n`);
    return 2;
  }
  const cache = opts.cache ? new PackageCache(opts.cacheDir, buildSalt(VERSION)) : null;
  const scan = await scanFiles(files, { config, maxFileSize: opts.maxFileSize, includeGenerated: opts.includeGenerated, jobs: opts.jobs, cache, budgetMs: opts.fileBudget || undefined });
  for (const e of scan.errors) io.err.write(`leaklint: internal error: ${e}\n`);
  for (const s of scan.skipped) {
    if (opts.verbose || !s.reason.startsWith('generated')) io.err.write(`leaklint: skipped ${display(s.path, root)}: ${s.reason}\n`);
  }
  for (const s of scan.stopped) {
    io.err.write(`leaklint: stopped analysing ${display(s.path, root)} after ${formatBudget(s.budgetMs)} (the per-file analysis budget; --file-budget): its findings are not reported\n`);
  }
  if (opts.verbose) for (const [imp, why] of scan.unresolved) io.err.write(`leaklint: import "${imp}" not followed: ${why}\n`);

  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  let items: Located[] = scan.files.flatMap((file) => file.result.findings.filter((f) => rank(f.severity) <= rank(opts.minSeverity)).map((finding) => ({ file, finding })));
  if (opts.writeBaseline !== undefined) {
    const n = writeBaseline(items, opts.writeBaseline, root);
    io.err.write(`leaklint: wrote ${n} finding${n === 1 ? '' : 's'} to ${opts.writeBaseline}\n`);
    return 0;
  }
  const narrowed = keepNew(items, opts, root);
  items = narrowed.items;
  if (opts.verbose && (opts.baseline || opts.newFromRev !== undefined || opts.newFromPatch)) {
    io.err.write(`leaklint: not reported: ${narrowed.inBaseline} in the baseline, ${narrowed.onOldLines} on unchanged lines\n`);
  }
  if (opts.fix) items = applyFixes(items, scan.files, root, io.err);

  const byPath = new Map(scan.files.map((f) => [f.path, f]));
  const linesOf = (p: string) => byPath.get(p)?.result.lines ?? readLines(p);
  const output =
    opts.format === 'json' ? formatJson(items, root, linesOf)
    : opts.format === 'sarif' ? formatSarif(items, root, VERSION, linesOf)
    : opts.format === 'github' ? formatGithub(items, root)
    : opts.format === 'checkstyle' ? formatCheckstyle(items, root)
    : formatText(items, root);
  if (output) io.out.write(output + '\n');
  if (opts.verbose) {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    io.err.write(`leaklint: ${scan.files.length} files (${(scan.bytes / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms, ${items.length} findings` + (cache ? `; packages from cache: ${cache.hits}, analysed: ${cache.misses}` : '') + '\n');
  }
  return items.length ? 1 : 0;
}

function readConfig(opts: Options, root: string): LeakLintConfig {
  let config: LeakLintConfig;
  if (opts.config) {
    let text: string;
    try {
      text = fs.readFileSync(opts.config, 'utf8');
    } catch {
      throw new ConfigError(`cannot read config file ${opts.config}`);
    }
    config = parseConfig(text, opts.config);
  } else {
    config = loadConfig(root);
  }
  if (opts.goVersion) {
    const v = parseGoVersion(opts.goVersion);
    if (!v) throw new ConfigError(`--go-version must look like 1.22, got "${opts.goVersion}"`);
    config.goVersion = v;
  }
  return config;
}

function readLines(p: string): LineIndex | undefined {
  try {
    return new LineIndex(fs.readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Applies each finding's preferred fix. Fixes that would overlap one already taken
 * wait for the next run; a file that changed on disk since it was read, or that was
 * not valid UTF-8, is never written. Returns the findings left unfixed.
 */
function applyFixes(items: Located[], files: ScannedFile[], root: string, err: NodeJS.WritableStream): Located[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const editsByFile = new Map<string, TextEdit[]>();
  const remaining: Located[] = [];
  const chosen = items.map((it) => ({ it, fix: it.finding.fixes.find((f) => f.preferred) ?? it.finding.fixes[0] }));
  // Combine per owning file so overlaps are judged against the same text.
  const taken = new Set<Located>();
  for (const [owner, group] of groupBy(chosen.filter((c) => c.fix), (c) => c.it.file.path)) {
    const fixes = group.map((g) => ({ ...g.fix!, edits: g.fix!.edits.map((e) => ({ ...e, file: e.file ?? owner })) }));
    const result = combineFixes(fixes);
    group.forEach((g, i) => {
      if (result.taken.includes(fixes[i])) taken.add(g.it);
    });
    for (const [file, edits] of result.editsByFile) editsByFile.set(file, [...(editsByFile.get(file) ?? []), ...edits]);
  }
  const written = new Set<string>();
  for (const [file, edits] of editsByFile) {
    const scanned = byPath.get(file);
    if (!scanned || !scanned.exact) {
      err.write(`leaklint: not fixing ${display(file, root)}: ${scanned ? 'it is not valid UTF-8' : 'it was not scanned'}\n`);
      continue;
    }
    try {
      const current = fs.readFileSync(file, 'utf8');
      if (current !== scanned.source) {
        err.write(`leaklint: not fixing ${display(file, root)}: it changed while leaklint ran\n`);
        continue;
      }
      const next = applyEdits(current, edits);
      const tmp = `${file}.leaklint-${process.pid}.tmp`;
      fs.writeFileSync(tmp, next);
      fs.renameSync(tmp, file);
      written.add(file);
    } catch (e) {
      err.write(`leaklint: not fixing ${display(file, root)}: ${(e as Error).message}\n`);
    }
  }
  for (const c of chosen) {
    const files = new Set((c.fix?.edits ?? []).map((e) => e.file ?? c.it.file.path));
    const fixed = c.fix && taken.has(c.it) && [...files].every((f) => written.has(f));
    if (!fixed) remaining.push(c.it);
  }
  const fixedCount = items.length - remaining.length;
  if (fixedCount) err.write(`leaklint: fixed ${fixedCount} finding${fixedCount === 1 ? '' : 's'} in ${written.size} file${written.size === 1 ? '' : 's'}\n`);
  return remaining;
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

function choice(values: string[]) {
  return (v: string) => {
    if (!values.includes(v)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return v;
  };
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of milliseconds (0: no limit)');
  return n;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`leaklint: internal error: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
