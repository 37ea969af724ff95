// The shortcuts of a cold scan give the results of the long way: quiet files (no rule can report
// in them by their text) are parsed with function bodies blanked and analysed only when their
// package's facts give a rule something to look for; big packages are shared by the workers.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../server/src/engine/config';
import { importSpecs } from '../server/src/engine/deps';
import { LeakEngine } from '../server/src/engine/engine';
import { blankFunctionBodies, isQuiet } from '../server/src/engine/quiet';
import { RULES } from '../server/src/engine/rules';
import { funcMayHoldFacts, ownerTypesIn, type FileSummary } from '../server/src/engine/package-index';
import { runPackageJob } from '../server/src/scan/package-job';
import { splitBySize } from '../server/src/scan/split-job';
import { FIXTURES } from './helpers/fixtures';

const BIN = path.resolve(__dirname, '../bin/leaklint.js');
const ready = LeakEngine.create();

function goFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.go')).map((f) => path.join(dir, f));
}

test('blanking keeps every offset and line, and only the bodies of methods and functions without a result', () => {
  const src = [
    'package p',
    '',
    'func (s *S) Run() {',
    '\tx := "é😀"',
    '',
    '\tuse(x)',
    '}',
    '',
    'func noResult(f func(int) (int, error)) {',
    '\tf(1)',
    '}',
    '',
    'func NewS() *S {',
    '\treturn &S{}',
    '}',
    '',
    'func (s *S) Template() {',
    '\tt := `',
    'at column 0',
    '`',
    '\tuse(t)',
    '}',
    '',
  ].join('\n');
  const out = blankFunctionBodies(src);
  assert.equal(out.length, src.length);
  assert.deepEqual(out.split('\n').map((l) => l.length), src.split('\n').map((l) => l.length));
  const lines = out.split('\n');
  assert.match(lines[3], /^\s+$/, 'a method body is blanked');
  assert.match(lines[9], /^\s+$/, 'a function with no result is blanked');
  assert.equal(lines[13], '\treturn &S{}', 'a function with a result may be a constructor: kept');
  assert.equal(lines[17], '\tt := `', 'a body with a line at column 0 (a raw string) is kept');
  assert.equal(lines[20], '\tuse(t)');
});

test('a body that a raw string ends early leaves an error in the blanked parse (the scan then parses in full)', async () => {
  const engine = await ready;
  const src = 'package p\n\nfunc (s *S) T() {\n\tt := `\n}\nfunc fake() {`\n\tuse(t)\n}\n';
  const blanked = blankFunctionBodies(src);
  assert.notEqual(blanked, src);
  const tree = engine.parse(blanked);
  try {
    assert.ok(tree.rootNode.hasError);
  } finally {
    tree.delete();
  }
});

/** A summary without the owner facts of types that no rule looks at (ownerTypesIn). */
function relevant(s: FileSummary, ownerTypes: ReadonlySet<string> | null): FileSummary {
  const owners = s.owners?.filter((o) => ownerTypes?.has(o.type));
  const { owners: _all, ...rest } = s;
  return owners?.length ? { ...rest, owners } : rest;
}

function ownerTypesOfFolder(file: string): Set<string> | null {
  const dir = path.dirname(file);
  return ownerTypesIn(fs.readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')));
}

test('a quiet file parsed with blanked bodies has the summary and imports of its full parse', async () => {
  const engine = await ready;
  let quiet = 0;
  for (const file of goFiles(FIXTURES)) {
    const src = fs.readFileSync(file, 'utf8');
    if (!isQuiet(file, src, RULES)) continue;
    quiet++;
    const ownerTypes = ownerTypesOfFolder(file);
    const full = engine.parse(src);
    const blanked = blankFunctionBodies(src, (func) => funcMayHoldFacts(func, ownerTypes));
    const masked = engine.parse(blanked);
    try {
      if (masked.rootNode.hasError) continue; // the scan parses it in full then
      assert.deepEqual(relevant(engine.summarize(file, masked, blanked), ownerTypes), relevant(engine.summarize(file, full, src), ownerTypes), file);
      assert.deepEqual(importSpecs(masked.rootNode), importSpecs(full.rootNode), file);
    } finally {
      full.delete();
      masked.delete();
    }
  }
  assert.ok(quiet > 3, `only ${quiet} quiet fixture files`);
});

test('any file parsed with the bodies of fact-free functions blanked has the summary of its full parse (dependencies are read so)', async () => {
  const engine = await ready;
  let blankedFiles = 0;
  for (const file of goFiles(FIXTURES)) {
    const src = fs.readFileSync(file, 'utf8');
    const blanked = blankFunctionBodies(src, (func) => funcMayHoldFacts(func, new Set()));
    if (blanked === src) continue;
    const full = engine.parse(src);
    const masked = engine.parse(blanked);
    try {
      if (masked.rootNode.hasError) continue;
      blankedFiles++;
      // A dependency's owner facts are never read; text facts come from the unblanked source, as deps.ts passes it.
      assert.deepEqual(relevant(engine.summarize(file, masked, blanked, undefined, undefined, undefined, src), new Set()), relevant(engine.summarize(file, full, src), new Set()), file);
    } finally {
      full.delete();
      masked.delete();
    }
  }
  assert.ok(blankedFiles > 10, `only ${blankedFiles} fixture files had a body to blank`);
});

test('a quiet file that drops the channel of a sibling file\'s function is still reported', async () => {
  const engine = await ready;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-quiet-'));
  const producer = 'package p\n\nfunc Fetch() <-chan int {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n\treturn ch\n}\n';
  const caller = 'package p\n\nimport "fmt"\n\n// Use drops the channel.\nfunc (u *U) Use() {\n\tFetch()\n\tfmt.Println("done")\n}\n\ntype U struct{}\n';
  const bystander = 'package p\n\nfunc (u *U) Other() {\n\tprintln("nothing here")\n}\n';
  fs.writeFileSync(path.join(dir, 'a.go'), producer);
  fs.writeFileSync(path.join(dir, 'b.go'), caller);
  fs.writeFileSync(path.join(dir, 'c.go'), bystander);
  assert.ok(isQuiet('b.go', caller, RULES) && isQuiet('c.go', bystander, RULES) && !isQuiet('a.go', producer, RULES));
  const files = ['a.go', 'b.go', 'c.go'].map((f) => path.join(dir, f));
  const job = runPackageJob(engine, { files, config: defaultConfig(), goVersion: null, maxFileSize: 1 << 20 });
  const long = engine.analyzeFiles(files.map((f) => ({ path: f, source: fs.readFileSync(f, 'utf8') })), { config: defaultConfig(), goVersion: null });
  for (const f of job.files) assert.deepEqual(f.findings, long.get(f.path)!.findings, f.path);
  const inCaller = job.files.find((f) => f.path.endsWith('b.go'))!.findings!;
  assert.deepEqual(inCaller.map((x) => x.rule), ['discarded-result-chan']);
  assert.equal(job.files.find((f) => f.path.endsWith('c.go'))!.findings!.length, 0);
});

test('a quiet file keeps the bodies that feed its package: a stop method\'s helper, a function sending on a channel parameter', async () => {
  const engine = await ready;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-quiet-'));
  const files: Record<string, string> = {
    // Starts a goroutine that runs until w.ctx is cancelled.
    'w.go':
      'package p\n\nimport "context"\n\ntype W struct {\n\tctx    context.Context\n\tcancel context.CancelFunc\n}\n\n' +
      'func NewW() *W {\n\tctx, cancel := context.WithCancel(context.Background())\n\tw := &W{ctx: ctx, cancel: cancel}\n\tgo w.loop()\n\treturn w\n}\n\n' +
      'func (w *W) loop() {\n\tfor {\n\t\tselect {\n\t\tcase <-w.ctx.Done():\n\t\t\treturn\n\t\t}\n\t}\n}\n',
    // Quiet: Stop releases the context only through its helper, in another quiet file.
    'stop.go': 'package p\n\nfunc (w *W) Stop() {\n\tw.shutdown()\n}\n',
    'shutdown.go': 'package p\n\nfunc (w *W) shutdown() {\n\tw.cancel()\n}\n\nfunc (w *W) unrelated() {\n\tprintln(1)\n}\n\nfunc feed(out chan int) {\n\tout <- 1\n}\n',
    'w_test.go': 'package p\n\nimport "testing"\n\nfunc TestW(t *testing.T) {\n\tw := NewW()\n\t_ = w.ctx\n}\n',
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const paths = Object.keys(files).map((f) => path.join(dir, f));
  assert.ok(isQuiet('stop.go', files['stop.go'], RULES) && isQuiet('shutdown.go', files['shutdown.go'], RULES));
  const ownerTypes = ownerTypesIn(Object.values(files));
  assert.deepEqual(ownerTypes, new Set(['W']));
  const kept = blankFunctionBodies(files['shutdown.go'], (func) => funcMayHoldFacts(func, ownerTypes));
  assert.match(kept, /w\.cancel\(\)/, 'a method of a type with a stop method keeps its body');
  assert.match(kept, /out <- 1/, 'a function sending on its channel parameter keeps its body');
  assert.doesNotMatch(blankFunctionBodies(files['shutdown.go'], (func) => funcMayHoldFacts(func, new Set())), /w\.cancel\(\)/);
  const job = runPackageJob(engine, { files: paths, config: defaultConfig(), goVersion: null, maxFileSize: 1 << 20 });
  const long = engine.analyzeFiles(paths.map((f) => ({ path: f, source: fs.readFileSync(f, 'utf8') })), { config: defaultConfig(), goVersion: null });
  for (const f of job.files) assert.deepEqual(f.findings, long.get(f.path)!.findings, f.path);
  assert.deepEqual(job.files.find((f) => f.path.endsWith('w_test.go'))!.findings!.map((x) => x.rule), ['owner-never-stopped']);
});

test('the language server\'s scan keeps the owner facts of every type (it joins summaries with edited siblings later)', async () => {
  const engine = await ready;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-quiet-'));
  const file = path.join(dir, 'h.go');
  fs.writeFileSync(file, 'package p\n\nfunc (w *W) helper() {\n\tw.cancel()\n}\n');
  const job = { files: [file], config: defaultConfig(), goVersion: null, maxFileSize: 1 << 20 };
  assert.equal(runPackageJob(engine, job).files[0].summary!.owners, undefined, 'CLI: no type here has a stop method');
  assert.deepEqual(runPackageJob(engine, { ...job, encoding: 'utf-16' }).files[0].summary!.owners?.map((o) => `${o.type}.${o.name}`), ['W.helper']);
});

test('owner types are read from every line that may declare a stop method', () => {
  assert.deepEqual(ownerTypesIn(['func (s *Server[T]) Close() error {\n// see (x) Close() below\n']), new Set(['Server', 'T']));
  assert.equal(ownerTypesIn(['func (\n\ts *Server,\n) Stop() {\n}\n']), null, 'a receiver on other lines: every type counts');
  assert.deepEqual(ownerTypesIn(['func (s *S) Run() {\n\ts.x.Close()\n}\n']), new Set());
  assert.deepEqual(ownerTypesIn(['type A int; func (a A) Close() {}; func (b B) Stop() {}\n']), new Set(['type', 'A', 'int', 'func', 'a', 'Close', 'b', 'B', 'Stop']), 'two on a line: every word');
  const s = new Set(['S']);
  assert.ok(funcMayHoldFacts('func (x *S) run() {\n}', s) && funcMayHoldFacts('func (S) run() {\n}', s) && funcMayHoldFacts('func (x *S[K]) run() {\n}', s));
  assert.ok(!funcMayHoldFacts('func (S *T) run() {\n}', s), 'a receiver named like the type is not of it');
  assert.ok(funcMayHoldFacts('func (x *T) run() {\n}', null), 'null: every type (the language server keeps every owner fact)');
  assert.ok(!funcMayHoldFacts('func (x *T) run() {\n}', new Set()) && !funcMayHoldFacts('func run() {\n}', null));
});

test('files are split into parts of about equal size, each in the files\' order', () => {
  const parts = splitBySize(['a', 'b', 'c', 'd', 'e'], [10, 50, 20, 30, 10], 2);
  assert.deepEqual(parts, [['a', 'b'], ['c', 'd', 'e']]);
  assert.deepEqual(splitBySize(['a'], [5], 4), [['a']]);
});

test('every package shared by two workers gives the findings of one thread', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [BIN, '.', '--no-cache', '--format', 'json', '--min-severity', 'hint', ...args], { cwd: FIXTURES, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    return r;
  };
  const one = run(['-j', '1']);
  const split = run(['-j', '2'], { LEAKLINT_SPLIT_BYTES: '0', LEAKLINT_IN_PROCESS_BYTES: '0', LEAKLINT_DEBUG_SPLIT: '1' });
  assert.ok(JSON.parse(one.stdout).length > 10);
  assert.match(split.stderr, /split \d+ files in 2 parts/);
  assert.equal(split.stdout, one.stdout);
});
