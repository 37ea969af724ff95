// The benchmark: `npm run bench [-- GO_SRC_ROOT]`. Not part of the test suite.
// Prints a table and writes bench/results/latest.json. Machines are noisy: read the ratios.
//
// Besides the Go tree, the repositories of the precision corpus when they are materialised
// (LEAKLINT_CORPUS_DIR, default .corpus/: one folder per repository, see corpus/run.ts): each
// is scanned cold by the CLI and by ast-grep matching one pattern, interleaved round by round,
// with peak RSS. LEAKLINT_BENCH_BASELINE=<another checkout> adds that checkout's CLI to every
// round (before/after in the same run); LEAKLINT_BENCH_ONLY=trees stops after these rows.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverGoFiles } from '../server/src/cli/files';
import { GoParser } from '../server/src/engine/parser';
import { LspClient } from '../test/helpers/lsp-client';

const ROOT = path.resolve(__dirname, '..');
// `npm run bench -- [GO_SRC_ROOT] [--only edits]`: --only edits (or LEAKLINT_BENCH_ONLY=edits) runs just the edit → diagnostics rows.
const ARGS = process.argv.slice(2);
const ONLY = ARGS.includes('--only') ? ARGS[ARGS.indexOf('--only') + 1] : process.env.LEAKLINT_BENCH_ONLY === 'edits' ? 'edits' : null;
const GOSRC = path.resolve(ARGS.find((a, i) => !a.startsWith('--') && ARGS[i - 1] !== '--only') ?? '/usr/share/go-1.19/src');
const BIN = path.join(ROOT, 'bin/leaklint.js');
const RUNS = 3;
const CORPUS = path.resolve(process.env.LEAKLINT_CORPUS_DIR ?? path.join(ROOT, '.corpus'));
const BASELINE = process.env.LEAKLINT_BENCH_BASELINE ? path.resolve(process.env.LEAKLINT_BENCH_BASELINE, 'bin/leaklint.js') : null;
/** What ast-grep looks for: one goroutine shape, the cheapest thing a leak finder must do. */
const SG_PATTERN = 'go func() { $$$ }()';
const AST_GREP = path.join(ROOT, 'node_modules/.bin/ast-grep');

if (!fs.existsSync(GOSRC)) {
  console.error(`bench: ${GOSRC} not found. Install it with: apt-get install golang-1.19-src (or pass another Go tree)`);
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** Runs a command, polling its peak RSS (VmHWM) from /proc while it runs. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number; stdout: string; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    let peak = 0;
    let cpu = 0;
    child.stdout.on('data', (d) => (stdout += d));
    const poll = setInterval(() => {
      try {
        // The process's high-water mark covers its threads (workers are threads of the same process).
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        // utime + stime (fields 14, 15), in clock ticks of 1/100 s.
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpu = (Number(stat[11]) + Number(stat[12])) / 100;
      } catch {
        // exited
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: cpu, peakRssMb: peak, stdout, code });
    });
  });
}

async function parseOnly(files: string[], bytes: number) {
  const parser = await GoParser.create();
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const t0 = process.hrtime.bigint();
  for (const t of texts) parser.parse(t).delete();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, mbPerSec: bytes / 1e6 / seconds };
}

function bigGoFile(minLines: number): string {
  const parts = ['proc.go', 'mgc.go', 'mheap.go', 'malloc.go', 'mgcscavenge.go', 'chan.go', 'select.go', 'mbitmap.go', 'stack.go', 'traceback.go', 'signal_unix.go', 'os_linux.go'];
  let out = fs.readFileSync(path.join(GOSRC, 'runtime', parts[0]), 'utf8');
  for (const p of parts.slice(1)) {
    if (out.split('\n').length >= minLines) break;
    const text = fs.readFileSync(path.join(GOSRC, 'runtime', p), 'utf8');
    // Drop the package clause and imports of every file after the first.
    const body = text.replace(/^[\s\S]*?\npackage \w+\n/, '\n').replace(/^\s*import\s*(\([\s\S]*?\)|"[^"]*")\s*$/gm, '');
    out += body;
  }
  return out;
}

function cutAtFunction(text: string, lines: number): string {
  const src = text.split('\n');
  let end = Math.min(lines, src.length) - 1;
  while (end > 0 && src[end] !== '}') end--;
  return src.slice(0, end + 1).join('\n') + '\n';
}

/**
 * Where the edits type: 'comment', an 'x' just after a comment's '//' (the code stays the same);
 * 'body', an 'x' before the identifier that starts a statement inside a function in the middle
 * third of the file (`xfoo(...)`: that function's code changes, and stays valid).
 */
type EditSite = 'comment' | 'body';

function editSites(lines: string[], where: EditSite): { line: number; character: number }[] {
  if (where === 'comment') return lines.flatMap((l, line) => (l.trim().startsWith('//') ? [{ line, character: l.indexOf('//') + 2 }] : []));
  const KEYWORDS = /^(if|for|switch|select|return|go|defer|case|default|break|continue|goto|fallthrough|var|const|type|func|else)\b/;
  const out: { line: number; character: number }[] = [];
  for (let line = Math.floor(lines.length / 3); line < Math.floor((2 * lines.length) / 3); line++) {
    const m = /^(\t+)([a-zA-Z_]\w*)(\(|\.|\s*:?=|,)/.exec(lines[line]);
    if (m && !KEYWORDS.test(m[2])) out.push({ line, character: m[1].length });
  }
  return out;
}

async function editLatency(text: string, edits: number, where: EditSite = 'comment') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-bench-'));
  const file = path.join(dir, 'big.go');
  fs.writeFileSync(file, text);
  // LEAKLINT_BENCH_SERVER: another build's dist/server.js, to compare edits before/after in one run;
  // LEAKLINT_BENCH_NODE_ARGS: node options for the server (e.g. --cpu-prof).
  const execArgv = process.env.LEAKLINT_BENCH_NODE_ARGS?.split(' ').filter(Boolean);
  const client = new LspClient(dir, process.env.LEAKLINT_BENCH_SERVER || undefined, execArgv ? { execArgv } : {});
  client.settings = () => ({ scanOnStartup: false });
  await client.initialize(pathToFileURL(dir).href);
  const uri = pathToFileURL(file).href;
  client.open(uri, text);
  await client.waitFor('first diagnostics', () => client.diagnosticsFor(uri, 1), 60000);
  const sites = editSites(text.split('\n'), where);
  const times: number[] = [];
  // The server's own CPU time over the edits: on a machine shared with other work, wall-clock
  // percentiles measure the neighbours as much as the server.
  const cpuMs = () => {
    const f = fs.readFileSync(`/proc/${client.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  };
  const cpu0 = cpuMs();
  for (let i = 0, version = 1; i < edits; i++) {
    // Pairs: type an 'x' at an edit site, then delete it.
    const at = sites[(Math.floor(i / 2) * 7919) % sites.length];
    const change = i % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
    version++;
    const t0 = process.hrtime.bigint();
    client.change(uri, version, [change]);
    const v = version;
    await client.waitFor(`v${v}`, () => client.diagnosticsFor(uri, v));
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const serverCpuMsPerEdit = (cpuMs() - cpu0) / edits;
  // What the server holds after the edits (an open document once kept its old versions alive).
  const rssAfterMb = rssMb(client.proc.pid!);
  await client.stop();
  return { lines: text.split('\n').length - 1, edits, where, p50Ms: pct(times, 50), p95Ms: pct(times, 95), maxMs: Math.max(...times), serverCpuMsPerEdit, rssAfterMb };
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

async function serverScans(rounds: number) {
  const client = new LspClient(GOSRC);
  client.settings = () => ({ scanOnStartup: false });
  // A fresh cache folder: the first scan is cold, the next ones reuse unchanged packages.
  await client.initialize(pathToFileURL(GOSRC).href, { initializationOptions: { cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-bench-srvcache-')) } });
  const runs: { seconds: number; files: number; findings: number; rssAfterMb: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    const r: any = await client.conn.sendRequest('workspace/executeCommand', { command: 'leaklint.scanWorkspace', arguments: [] });
    runs.push({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, files: r.files, findings: r.findings, rssAfterMb: rssMb(client.proc.pid!) });
  }
  await client.stop();
  return runs;
}

async function editRows() {
  const small = cutAtFunction(fs.readFileSync(path.join(GOSRC, 'runtime/proc.go'), 'utf8'), 5000);
  const big = bigGoFile(20000);
  const e5k = await editLatency(small, 200);
  const e20k = await editLatency(big, 200);
  // Typing inside a function body: that function is analysed again on every keystroke.
  const e5kBody = await editLatency(small, 200, 'body');
  const e20kBody = await editLatency(big, 200, 'body');
  const rows = [e5k, e20k, e5kBody, e20kBody].map((e): [string, string, string, string] => [
    `edit → diagnostics, ${e.lines} lines, ${e.edits} edits${e.where === 'body' ? ' in a function body' : ''}`,
    `p50 ${e.p50Ms.toFixed(1)} ms`,
    `p95 ${e.p95Ms.toFixed(1)} ms`,
    `max ${e.maxMs.toFixed(1)} ms, server CPU ${e.serverCpuMsPerEdit.toFixed(1)} ms/edit, server RSS after ${e.rssAfterMb.toFixed(0)} MB`,
  ]);
  return { e5k, e20k, e5kBody, e20kBody, rows };
}

interface TreeRow {
  tree: string;
  files: number;
  mb: number;
  ours: { seconds: number; cpuSeconds: number; peakRssMb: number };
  astGrep: { seconds: number; cpuSeconds: number; peakRssMb: number } | null;
  /** Median over rounds of ours / ast-grep, each round run back to back. */
  ratio: number | null;
  /** Median over rounds of ours / ast-grep in CPU seconds (less swayed by other load than wall time). */
  cpuRatio: number | null;
  baseline?: { seconds: number; cpuSeconds: number; peakRssMb: number; ratio: number | null; cpuRatio: number | null };
}

/** The CLI cold and ast-grep on the same files, interleaved round by round. */
async function treeRow(name: string, root: string): Promise<TreeRow> {
  const { files } = discoverGoFiles([root], { exclude: [], root, useGitignore: true });
  const mb = files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1e6;
  const hasSg = fs.existsSync(AST_GREP);
  const ours: Awaited<ReturnType<typeof timed>>[] = [];
  const base: Awaited<ReturnType<typeof timed>>[] = [];
  const sg: Awaited<ReturnType<typeof timed>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await timed(process.execPath, [BIN, '--no-cache', '--format', 'json', ...files]));
    if (BASELINE) base.push(await timed(process.execPath, [BASELINE, '--no-cache', '--format', 'json', ...files]));
    if (hasSg) sg.push(await timed(AST_GREP, ['run', '-p', SG_PATTERN, '-l', 'go', '--json=compact', ...files]));
  }
  const ratioOf = (xs: typeof ours) => (hasSg ? median(xs.map((r, i) => r.seconds / sg[i].seconds)) : null);
  const cpuRatioOf = (xs: typeof ours) => (hasSg ? median(xs.map((r, i) => r.cpuSeconds / Math.max(sg[i].cpuSeconds, 0.01))) : null);
  const row: TreeRow = {
    tree: name,
    files: files.length,
    mb,
    ours: { seconds: median(ours.map((r) => r.seconds)), cpuSeconds: median(ours.map((r) => r.cpuSeconds)), peakRssMb: Math.max(...ours.map((r) => r.peakRssMb)) },
    astGrep: hasSg ? { seconds: median(sg.map((r) => r.seconds)), cpuSeconds: median(sg.map((r) => r.cpuSeconds)), peakRssMb: Math.max(...sg.map((r) => r.peakRssMb)) } : null,
    ratio: ratioOf(ours),
    cpuRatio: cpuRatioOf(ours),
  };
  if (BASELINE) row.baseline = { seconds: median(base.map((r) => r.seconds)), cpuSeconds: median(base.map((r) => r.cpuSeconds)), peakRssMb: Math.max(...base.map((r) => r.peakRssMb)), ratio: ratioOf(base), cpuRatio: cpuRatioOf(base) };
  return row;
}

function corpusTrees(): [string, string][] {
  if (!fs.existsSync(CORPUS)) return [];
  return fs
    .readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.name.includes('@') && fs.statSync(path.join(CORPUS, e.name)).isDirectory())
    .map((e): [string, string] => [e.name.replace(/@.*/, '').replace('+', '/'), path.join(CORPUS, e.name)])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

function printTreeRows(rows: TreeRow[]): void {
  const x = (r: number | null) => (r === null ? '—' : `${r.toFixed(2)}x`);
  const s = (t: number) => `${t.toFixed(2)} s`;
  console.log(`\n| tree (cold, all rules vs ast-grep '${SG_PATTERN}', same files, ${RUNS} rounds interleaved) | files | MB | ours wall / CPU | ast-grep wall / CPU | ours / ast-grep wall, CPU | our peak RSS |${BASELINE ? ' baseline wall / CPU | baseline / ast-grep wall, CPU | baseline RSS |' : ''}`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|${BASELINE ? '---:|---:|---:|' : ''}`);
  for (const r of rows) {
    const b = r.baseline ? ` ${s(r.baseline.seconds)} / ${s(r.baseline.cpuSeconds)} | ${x(r.baseline.ratio)}, ${x(r.baseline.cpuRatio)} | ${r.baseline.peakRssMb.toFixed(0)} MB |` : '';
    const sg = r.astGrep ? `${s(r.astGrep.seconds)} / ${s(r.astGrep.cpuSeconds)}` : '—';
    console.log(`| ${r.tree} | ${r.files} | ${r.mb.toFixed(1)} | ${s(r.ours.seconds)} / ${s(r.ours.cpuSeconds)} | ${sg} | ${x(r.ratio)}, ${x(r.cpuRatio)} | ${r.ours.peakRssMb.toFixed(0)} MB |${b}`);
  }
}

/**
 * Microseconds the machine takes to fault in a fresh 4 KB page (best of 5 over 64 MB). On a
 * micro-VM with shadow paging (this project's machines: 14–19 µs) it is 30–60 times what it
 * is on bare metal or hardware virtualisation, and every fresh allocation pays it: the new
 * string of an edited document, a wasm heap that grows, a freshly mapped tree.
 */
function pageFaultMicros(): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const n = 64 * 1024 * 1024;
    const b = Buffer.allocUnsafeSlow(n); // above malloc's mmap threshold: fresh pages, unmapped when freed
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += 4096) b[i] = 1;
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / (n / 4096));
  }
  return best;
}

(async () => {
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit', cwd: ROOT });
  const faultUs = pageFaultMicros();
  console.log(`machine: ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}, first touch of a fresh page ${faultUs.toFixed(1)} µs (bare metal: well under 1 µs)`);
  if (ONLY === 'edits') {
    if (process.env.LEAKLINT_BENCH_SERVER) console.log(`server: ${process.env.LEAKLINT_BENCH_SERVER}`);
    const { rows } = await editRows();
    console.log('\n| measure | time | throughput | memory |\n|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  if (ONLY) {
    console.error(`bench: --only takes "edits", not ${ONLY}`);
    process.exit(2);
  }
  const treeRows: TreeRow[] = [];
  for (const [name, root] of [['Go ' + path.basename(path.dirname(GOSRC)) + ' src', GOSRC] as [string, string], ...corpusTrees()]) {
    treeRows.push(await treeRow(name, root));
    printTreeRows(treeRows.slice(-1));
  }
  printTreeRows(treeRows);
  if (process.env.LEAKLINT_BENCH_ONLY === 'trees') {
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), JSON.stringify({ date: new Date().toISOString(), cores: os.availableParallelism(), pageFaultMicros: faultUs, trees: treeRows }, null, 2));
    return;
  }
  const { files } = discoverGoFiles([GOSRC], { exclude: [], root: GOSRC, useGitignore: true });
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const mb = bytes / 1e6;
  const listFile = path.join(os.tmpdir(), 'leaklint-bench-files.txt');
  fs.writeFileSync(listFile, files.join('\n'));
  console.log(`tree: ${GOSRC}: ${files.length} .go files, ${mb.toFixed(1)} MB (vendor/, testdata/ and .gitignore'd paths left out)`);

  const floor = await parseOnly(files, bytes);
  console.log(`parse only (web-tree-sitter, 1 thread): ${floor.mbPerSec.toFixed(1)} MB/s`);

  const cli = async (args: string[]) => {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timed(process.execPath, [BIN, ...args, ...files]));
    return { seconds: median(runs.map((r) => r.seconds)), peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), findings: (runs[0].stdout.match(/\n/g) ?? []).length };
  };
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-bench-cache-'));
  const cold = await cli(['--no-cache']);
  const cold1 = await cli(['--no-cache', '-j', '1']);
  await timed(process.execPath, [BIN, '--cache-dir', cacheDir, ...files]);
  const warm = await cli(['--cache-dir', cacheDir]);
  console.log(`CLI cold, ${os.availableParallelism()} workers: ${cold.seconds.toFixed(2)} s`);

  const astGrep = path.join(ROOT, 'node_modules/.bin/ast-grep');
  let sg: { seconds: number; peakRssMb: number } | null = null;
  if (fs.existsSync(astGrep)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timed(astGrep, ['run', '-p', SG_PATTERN, '-l', 'go', '--json=compact', ...files]));
    sg = { seconds: median(runs.map((r) => r.seconds)), peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)) };
  }

  const { e5k, e20k, e5kBody, e20kBody, rows: editTable } = await editRows();
  const scans = await serverScans(3);

  const rows: [string, string, string, string][] = [
    ['parse only, web-tree-sitter, 1 thread (the floor)', `${floor.seconds.toFixed(2)} s`, `${floor.mbPerSec.toFixed(1)} MB/s`, '—'],
    [`CLI cold, all rules, ${os.availableParallelism()} workers`, `${cold.seconds.toFixed(2)} s`, `${(mb / cold.seconds).toFixed(1)} MB/s, ${(files.length / cold.seconds).toFixed(0)} files/s`, `${cold.peakRssMb.toFixed(0)} MB`],
    ['CLI cold, all rules, 1 thread', `${cold1.seconds.toFixed(2)} s`, `${(mb / cold1.seconds).toFixed(1)} MB/s`, `${cold1.peakRssMb.toFixed(0)} MB`],
    ['CLI warm (nothing changed, disk cache)', `${warm.seconds.toFixed(2)} s`, `${(mb / warm.seconds).toFixed(0)} MB/s`, `${warm.peakRssMb.toFixed(0)} MB`],
    ...(sg ? [[`ast-grep, one pattern, ${os.availableParallelism()} threads`, `${sg.seconds.toFixed(2)} s`, `${(mb / sg.seconds).toFixed(1)} MB/s`, `${sg.peakRssMb.toFixed(0)} MB`] as [string, string, string, string]] : []),
    ...scans.map((s, i): [string, string, string, string] => [`server workspace scan #${i + 1}, ${i === 0 ? 'cold' : 'warm (cache)'} (${s.files} files)`, `${s.seconds.toFixed(2)} s`, `${(mb / s.seconds).toFixed(1)} MB/s`, `${s.rssAfterMb.toFixed(0)} MB after`]),
    ...editTable,
  ];
  console.log('\n| measure | time | throughput | memory |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (sg) console.log(`\nratio CLI cold / ast-grep (one pattern): ${(cold.seconds / sg.seconds).toFixed(2)}x; CLI cold / parse floor per core: ${(cold.seconds / (floor.seconds / os.availableParallelism())).toFixed(2)}x`);
  printTreeRows(treeRows);
  const result = { date: new Date().toISOString(), cores: os.availableParallelism(), pageFaultMicros: faultUs, trees: treeRows, tree: { root: GOSRC, files: files.length, mb }, floor, cli: { cold, cold1, warm }, astGrep: sg, edits: { e5k, e20k, e5kBody, e20kBody }, serverScans: scans };
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), JSON.stringify(result, null, 2));
  console.log('\nwritten: bench/results/latest.json');
})();
