// `leaklint dump FILE|-`: reads a goroutine dump, maps its blocking sites onto the workspace
// and joins them with the static findings there.
// Exit status: 0 read (and no site reached --fail-count), 1 a site reached --fail-count,
// 2 usage error or unreadable input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../engine/config';
import { joinFindings, type FindingAnchor } from '../engine/dump/join';
import { WorkspaceMap } from '../engine/dump/mapping';
import { describeSite, readDump, type DumpReport } from '../engine/dump/read';
import type { DumpSite, SiteFrame } from '../engine/dump/sites';
import { buildSalt, defaultCacheDir, PackageCache } from '../scan/cache';
import { defaultParallelism } from '../scan/pool';
import { scanFiles, type ScannedFile } from '../scan/scan';
import { discoverGoFiles } from './files';
import { display } from './format';

declare const LEAKLINT_VERSION: string | undefined;
const VERSION = typeof LEAKLINT_VERSION === 'string' ? LEAKLINT_VERSION : '0.0.0-dev';

interface DumpOptions {
  format: 'text' | 'json' | 'sarif';
  root?: string;
  minCount: number;
  failCount?: number;
  findings: boolean;
  cache: boolean;
}

export interface DumpIO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  cwd: string;
  stdin?: NodeJS.ReadableStream;
}

export async function dumpMain(argv: string[], io: DumpIO): Promise<number> {
  const cmd = new Command('leaklint dump')
    .description('Map a goroutine dump (pprof debug=2 or debug=1, runtime.Stack, a panic or SIGQUIT, goleak) onto the code.')
    .argument('<file>', 'the dump, or - for standard input')
    .option('-f, --format <format>', 'output: text, json or sarif', choice(['text', 'json', 'sarif']), 'text')
    .option('--root <dir>', 'workspace the dump is mapped onto (default: the current folder)')
    .option('--min-count <n>', 'list only sites with at least this many goroutines', positiveInt, 1)
    .option('--fail-count <n>', 'exit 1 when a site has at least this many goroutines (default: never)', positiveInt)
    .option('--no-findings', 'do not scan the workspace for static findings to join with')
    .option('--no-cache', 'do not reuse or store results of unchanged packages')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = cmd.opts<DumpOptions>();
  const input = cmd.args[0];
  const root = path.resolve(io.cwd, opts.root ?? '.');
  if (!isDirectory(root)) {
    io.err.write(`leaklint: --root ${opts.root}: not a folder\n`);
    return 2;
  }
  let stream: NodeJS.ReadableStream;
  if (input === '-') {
    stream = io.stdin ?? process.stdin;
  } else {
    const file = path.resolve(io.cwd, input);
    try {
      if (fs.statSync(file).isDirectory()) throw new Error('it is a folder');
      stream = fs.createReadStream(file);
    } catch (e) {
      io.err.write(`leaklint: cannot read ${input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  }
  const map = new WorkspaceMap(root);
  let report: DumpReport;
  try {
    report = await readDump(stream as AsyncIterable<Buffer>, { map });
  } catch (e) {
    io.err.write(`leaklint: cannot read ${input}: ${(e as Error).message}\n`);
    return 2;
  }
  for (const n of report.notes) io.err.write(`leaklint: note: ${n}\n`);
  if (opts.findings && report.sites.some((s) => s.file)) {
    try {
      joinFindings(report.sites, await staticAnchors(root, opts.cache, io.err));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      io.err.write(`leaklint: ${e.message} (static findings not joined)\n`);
    }
  }
  const shown = report.sites.filter((s) => s.count >= opts.minCount);
  const cwd = io.cwd;
  const output = opts.format === 'json' ? JSON.stringify(shown.map((s) => siteJson(s, cwd)), null, 2) : opts.format === 'sarif' ? sarif(shown, cwd) : text(shown, report, cwd);
  if (output) io.out.write(output + '\n');
  return opts.failCount !== undefined && report.sites.some((s) => s.count >= opts.failCount!) ? 1 : 0;
}

/** The workspace's static findings, reduced to the lines they name. */
async function staticAnchors(root: string, useCache: boolean, err: NodeJS.WritableStream): Promise<FindingAnchor[]> {
  const config = loadConfig(root);
  const { files } = discoverGoFiles([root], { exclude: config.exclude, root, useGitignore: true });
  const cache = useCache ? new PackageCache(defaultCacheDir(), buildSalt(VERSION)) : null;
  const scan = await scanFiles(files, { config, jobs: defaultParallelism(), cache });
  for (const e of scan.errors) err.write(`leaklint: internal error: ${e}\n`);
  return scan.files.flatMap((f) => anchorsOf(f, scan.files));
}

function anchorsOf(file: ScannedFile, all: ScannedFile[]): FindingAnchor[] {
  const lineOf = (offset: number, lines = file.result.lines) => lines.positionAt(offset, 'utf-16').line + 1;
  return file.result.findings.map((f) => ({
    rule: f.rule,
    file: file.path,
    startLine: lineOf(f.span.start),
    endLine: lineOf(f.span.end),
    related: f.related.flatMap((r) => {
      const other = r.file ? all.find((x) => x.path === r.file)?.result.lines : file.result.lines;
      return other ? [{ file: r.file ?? file.path, line: lineOf(r.span.start, other) }] : [];
    }),
  }));
}

const where = (f: SiteFrame, cwd: string) => (f.file ? display(f.file, cwd) : f.path);

function siteJson(s: DumpSite, cwd: string) {
  return {
    file: where(s, cwd),
    line: s.line,
    column: s.column,
    mapped: !!s.file,
    function: s.func,
    count: s.count,
    states: s.states,
    maxWaitMinutes: s.maxWaitMinutes,
    createdBy: s.createdBy ? { file: where(s.createdBy, cwd), line: s.createdBy.line, function: s.createdBy.func } : null,
    finding: s.finding,
    findingAt: s.findingAt ? { file: display(s.findingAt.file, cwd), line: s.findingAt.line } : null,
    frames: s.frames.map((f) => ({ function: f.func, file: where(f, cwd), line: f.line, mapped: !!f.file })),
  };
}

function text(sites: DumpSite[], report: DumpReport, cwd: string): string {
  const lines = sites.map((s) => {
    const place = s.file ? `${display(s.file, cwd)}:${s.line}:${s.column}` : `${s.path}:${s.line}`;
    const extra = [
      s.createdBy ? `created at ${where(s.createdBy, cwd)}:${s.createdBy.line}` : '',
      s.finding ? `explained by ${s.finding} (${display(s.findingAt!.file, cwd)}:${s.findingAt!.line})` : '',
      s.file ? '' : `not in the workspace: ${s.func}`,
    ].filter(Boolean);
    return `${place}: ${describeSite(s)}${extra.length ? `; ${extra.join('; ')}` : ''}`;
  });
  const explained = sites.filter((s) => s.finding).length;
  lines.push(`${report.goroutines.toLocaleString('en-US')} goroutines at ${report.sites.length} sites${report.formats.length ? ` (${report.formats.join(', ')})` : ''}; ${sites.length} shown, ${explained} explained by static findings`);
  return lines.join('\n');
}

function sarif(sites: DumpSite[], cwd: string): string {
  const loc = (f: { file: string | null; path: string; line: number }, column = 1) => ({
    physicalLocation: {
      artifactLocation: f.file ? { uri: display(f.file, cwd).split(path.sep).join('/'), uriBaseId: '%SRCROOT%' } : { uri: pathToFileURL(f.path).href },
      region: { startLine: Math.max(f.line, 1), startColumn: column },
    },
  });
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'leaklint', semanticVersion: VERSION, rules: [{ id: 'goroutine-dump', name: 'GoroutineDump', shortDescription: { text: 'Goroutines a dump shows blocked at this line' } }] } },
          originalUriBaseIds: { '%SRCROOT%': { uri: `file://${cwd.split(path.sep).join('/')}/` } },
          results: sites.map((s) => ({
            ruleId: 'goroutine-dump',
            ruleIndex: 0,
            level: s.finding ? 'warning' : 'note',
            message: { text: describeSite(s) + (s.finding ? `: explained by ${s.finding}` : '') },
            locations: [loc(s, s.column)],
            relatedLocations: [
              ...(s.createdBy ? [{ id: 0, message: { text: 'created here' }, ...loc(s.createdBy) }] : []),
              ...(s.findingAt ? [{ id: 1, message: { text: `static finding: ${s.finding}` }, ...loc({ file: s.findingAt.file, path: s.findingAt.file, line: s.findingAt.line }) }] : []),
            ],
            properties: { count: s.count, states: s.states, maxWaitMinutes: s.maxWaitMinutes, function: s.func, finding: s.finding },
          })),
        },
      ],
    },
    null,
    2,
  );
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function choice(values: string[]) {
  return (v: string) => {
    if (!values.includes(v)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return v;
  };
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}
