// Robustness: random and hostile input never crashes the engine, fixes never corrupt a
// file, and incremental reanalysis always equals a fresh one.
// Bounded here; LEAKLINT_FUZZ_RUNS=N (and LEAKLINT_FUZZ_SEED) for long runs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { defaultConfig } from '../server/src/engine/config';
import { LeakEngine, type FileResult } from '../server/src/engine/engine';
import { applyEdits } from '../server/src/engine/fixes';
import { PackageIndex } from '../server/src/engine/package-index';
import { decodeSource } from '../server/src/engine/source';
import type { Tree } from 'web-tree-sitter';
import { OpenDocument } from '../server/src/lsp/documents';
import { FIXTURES, packageDirs } from './helpers/fixtures';

const RUNS = Number(process.env.LEAKLINT_FUZZ_RUNS ?? 150);
const SEED = process.env.LEAKLINT_FUZZ_SEED ? Number(process.env.LEAKLINT_FUZZ_SEED) : process.env.LEAKLINT_FUZZ_RUNS ? undefined : 20261122;
const params = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) };

const corpus = packageDirs(FIXTURES)
  .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.go')).map((f) => fs.readFileSync(path.join(d, f), 'utf8')))
  .filter((t) => t.length < 20000);

let engine: LeakEngine;
const ready = LeakEngine.create().then((e) => (engine = e));

function analyze(text: string): { result: FileResult; tree: Tree } {
  const tree = engine.parse(text);
  const summary = engine.summarize('/fuzz/a.go', tree, text);
  const result = engine.analyze('/fuzz/a.go', text, tree, { config: defaultConfig(), goVersion: null, pkg: new PackageIndex([summary]) });
  return { result, tree };
}

function errorCount(tree: Tree): number {
  return tree.rootNode.descendantsOfType('ERROR').length + (tree.rootNode.hasError ? 1 : 0);
}

/** Everything the engine promises about one input. */
function checkInvariants(text: string, budgetMs = 3000): void {
  const t0 = process.cpuUsage();
  const { result, tree } = analyze(text);
  try {
    assert.deepEqual(result.errors, [], 'no rule crashed');
    const before = errorCount(tree);
    for (const f of result.findings) {
      assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `finding span inside the text: ${JSON.stringify(f.span)}`);
      for (const fix of [...f.fixes, ...result.refactors.map((r) => r.fix)]) {
        const local = fix.edits.filter((e) => !e.file);
        for (const e of local) assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `edit inside the text (${fix.kind})`);
        const fixed = applyEdits(text, local); // throws on overlap
        const after = engine.parse(fixed);
        try {
          assert.ok(errorCount(after) <= before, `fix ${fix.kind} adds no syntax errors`);
        } finally {
          after.delete();
        }
      }
    }
  } finally {
    tree.delete();
  }
  const used = process.cpuUsage(t0);
  assert.ok((used.user + used.system) / 1000 < budgetMs, `analysed within ${budgetMs} ms of CPU`);
}

const ALPHABET = ['{', '}', '(', ')', '\n', '\r\n', ' ', '\t', 'go ', 'func() ', 'make(chan int)', '<-', 'ch', ' := ', 'return ', 'for {', 'select {', 'case ', 'default:', 'defer ', 'wg.Add(1)', 'wg.Done()', 'time.After(d)', '"', '`', '/*', '*/', '//', '日本語', '😀', '\ufeff', '\u0000', 'x', ';', ',', '.'];
const insertion = fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''));
type Op = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; len: number } | { kind: 'truncate'; at: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: insertion }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, ops: Op[]): string {
  for (const o of ops) {
    const at = text.length ? o.at % (text.length + 1) : 0;
    if (o.kind === 'insert') text = text.slice(0, at) + o.text + text.slice(at);
    else if (o.kind === 'delete') text = text.slice(0, at) + text.slice(at + o.len);
    else text = text.slice(0, Math.max(at, text.length - 200));
  }
  return text;
}

test('random edits of real Go files: no crash, spans and fixes stay inside, fixes add no syntax errors', async () => {
  await ready;
  fc.assert(
    fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(op, { minLength: 1, maxLength: 8 }), (i, ops) => checkInvariants(mutate(corpus[i], ops))),
    params,
  );
});

test('unmodified fixtures: every fix of every finding applies cleanly', async () => {
  await ready;
  for (const text of corpus) checkInvariants(text);
});

test('random bytes and invalid UTF-8 decode and analyse without a crash', async () => {
  await ready;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const d = decodeSource(bytes);
      if (d.ok) checkInvariants(d.text);
    }),
    params,
  );
  const invalid = Buffer.concat([Buffer.from('package p\n\nfunc F() chan int {\n\tc := make(chan int) // '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('\n\tgo func() { c <- 1 }()\n\treturn c\n}\n')]);
  const d = decodeSource(invalid);
  assert.ok(d.ok && !d.exact);
  checkInvariants(d.text);
});

test('BOM, CRLF and mixed line endings, CJK and emoji', async () => {
  await ready;
  for (const text of corpus.slice(0, 20)) {
    checkInvariants('\ufeff' + text);
    checkInvariants(text.replace(/\n/g, '\r\n'));
    checkInvariants(text.split('\n').map((l, i) => l + (i % 3 === 0 ? '\r' : '')).join('\n'));
    checkInvariants(text.replace(/\/\/ /g, '// 日本語 😀 🧵 '));
  }
});

test('huge and pathological files finish within a budget', async () => {
  await ready;
  const unit = 'func f%d(ctx context.Context) chan error {\n\terrc := make(chan error)\n\tgo func() {\n\t\tfor {\n\t\t\ttime.Sleep(time.Second)\n\t\t}\n\t}()\n\tgo func() { errc <- nil }()\n\treturn errc\n}\n\n';
  let big = 'package p\n\nimport (\n\t"context"\n\t"time"\n)\n\n';
  for (let i = 0; big.length < 10 * 1024 * 1024; i++) big += unit.replace('%d', String(i));
  // CPU time, not wall time: a loaded machine must not fail this.
  const t0 = process.cpuUsage();
  const { result, tree } = analyze(big);
  tree.delete();
  const used = process.cpuUsage(t0);
  const ms = (used.user + used.system) / 1000;
  assert.deepEqual(result.errors, []);
  assert.ok(result.findings.length > 10000, `found the leaks in the 10 MB file (${result.findings.length})`);
  assert.ok(ms < 120_000, `10 MB analysed in ${ms.toFixed(0)} ms`);

  checkInvariants(`package p\n\nvar x = ${'('.repeat(10000)}1${')'.repeat(10000)}\n`, 20000);
  checkInvariants(`package p\n\nfunc f() {\n${'{\n'.repeat(10000)}${'}\n'.repeat(10000)}}\n`, 20000);
  checkInvariants(`package p\n\nfunc f(c chan int) {\n\tgo func() {\n${'\tif true {\n'.repeat(3000)}\t\tc <- 1\n${'\t}\n'.repeat(3000)}\t}()\n}\n`, 20000);
  checkInvariants('package p\n' + 'var _ = 1\n'.repeat(100000), 20000);
});

test('incremental edits always give the same diagnostics as a fresh analysis', async () => {
  await ready;
  const keyOf = (r: FileResult) => r.findings.map((f) => `${f.rule}@${f.span.start}-${f.span.end}:${f.message}`).join('\n');
  fc.assert(
    fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(op, { minLength: 1, maxLength: 25 }), (i, ops) => {
      const doc = new OpenDocument('file:///fuzz/a.go', '/fuzz/a.go', corpus[i], 1, engine, () => 1e9);
      try {
        let version = 1;
        for (const o of ops) {
          const text = doc.text;
          const at = text.length ? o.at % (text.length + 1) : 0;
          const end = o.kind === 'insert' ? at : o.kind === 'delete' ? Math.min(text.length, at + o.len) : text.length;
          const start = o.kind === 'truncate' ? Math.max(at, text.length - 200) : at;
          const range = { start: doc.lines.positionAt(start), end: doc.lines.positionAt(end) };
          doc.applyChanges([{ range, text: o.kind === 'insert' ? o.text : '' }], ++version, 'utf-16');
        }
        const tree = doc.currentTree;
        if (!tree) return; // skipped (e.g. became "generated"): nothing to compare
        const summary = engine.summarize('/fuzz/a.go', tree, doc.text);
        const incremental = engine.analyze('/fuzz/a.go', doc.text, tree, { config: defaultConfig(), goVersion: null, pkg: new PackageIndex([summary]) });
        const fresh = analyze(doc.text);
        fresh.tree.delete();
        assert.equal(keyOf(incremental), keyOf(fresh.result));
        const reparsed = engine.parse(doc.text);
        try {
          assert.equal(tree.rootNode.toString(), reparsed.rootNode.toString(), 'the edited tree equals a fresh parse');
        } finally {
          reparsed.delete();
        }
      } finally {
        doc.dispose();
      }
    }),
    { ...params, numRuns: RUNS * 2 },
  );
});
