// Bounded time on any input: the analysis is linear in the size of a file whatever its shape
// (goroutines, selects, loops, ifs nested thousands deep), and a per-file budget stops what
// still runs too long with a note, never a stall, while the other files go on.
// Times are compared as ratios of the fastest of a few runs, with room for a noisy 2-core machine.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Node, Tree } from 'web-tree-sitter';
import { AnalysisStopped, budgetClock, formatBudget } from '../server/src/engine/budget';
import { defaultConfig } from '../server/src/engine/config';
import type { Rule } from '../server/src/engine/context';
import { LeakEngine } from '../server/src/engine/engine';
import { withTreeIndex } from '../server/src/engine/go/tree-index';
import { PackageIndex } from '../server/src/engine/package-index';
import { runPackageJob } from '../server/src/scan/package-job';
import { FIXTURES, packageDirs } from './helpers/fixtures';
import { LspClient } from './helpers/lsp-client';
import { nestedSource, SHAPES, type Payload, type Shape } from './helpers/shapes';

let engine: LeakEngine;
const ready = LeakEngine.create().then((e) => (engine = e));

/** Parse, summarise and analyse one file; CPU milliseconds taken, and the findings. */
function analyse(text: string, budgetMs?: number): { ms: number; findings: number } {
  // CPU time of this process, not wall time: the ratios hold on a loaded machine too.
  const t0 = process.cpuUsage();
  const tree = engine.parse(text);
  try {
    const summary = engine.summarize('/deep/a.go', tree, text, undefined, budgetMs);
    const r = engine.analyze('/deep/a.go', text, tree, { config: defaultConfig(), goVersion: null, pkg: new PackageIndex([summary]), budgetMs });
    assert.deepEqual(r.errors, []);
    const used = process.cpuUsage(t0);
    return { ms: (used.user + used.system) / 1000, findings: r.findings.length };
  } finally {
    tree.delete();
  }
}

function fastest(text: string, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, analyse(text).ms);
  return best;
}

/** Twice the depth may take at most about twice the time: < 3x, plus a constant for tiny times. */
function assertLinear(shape: Shape, payload: Payload, n: number): void {
  analyse(nestedSource(shape, n, payload)); // warm up
  const small = fastest(nestedSource(shape, n, payload));
  const large = fastest(nestedSource(shape, 2 * n, payload));
  assert.ok(large < 3 * small + 50, `${shape} (${payload}) nested ${2 * n} deep took ${large.toFixed(0)} ms, ${n} deep ${small.toFixed(0)} ms`);
}

for (const shape of SHAPES) {
  test(`${shape} nested 500 and 1000 deep: twice the depth, about twice the time`, async () => {
    await ready;
    assertLinear(shape, 'rich', 500);
    assertLinear(shape, 'plain', 500);
  });
}

test('a payload at every level (2,500 to 5,000 findings): twice the depth, about twice the time', async () => {
  await ready;
  for (const shape of ['mix', 'go'] as const) assertLinear(shape, 'every', 150);
});

test('flat and fed-at-every-level shapes: many goroutines in one function, one channel fed by every nested goroutine', async () => {
  await ready;
  const shapes = {
    flat: (n: number) => 'package p\n\nimport "sync"\n\nfunc f() int {\nc := make(chan int)\nvar wg sync.WaitGroup\n' + 'wg.Add(1)\ngo func() {\ndefer wg.Done()\nc <- 1\n}()\n'.repeat(n) + 'wg.Wait()\nreturn <-c\n}\n',
    fed: (n: number) => 'package p\n\nfunc f() chan int {\nc := make(chan int)\n' + 'go func() {\nc <- 1\n'.repeat(n) + '}()\n'.repeat(n) + 'return c\n}\n',
  };
  for (const [name, source] of Object.entries(shapes)) {
    analyse(source(250)); // warm up
    const small = fastest(source(500));
    const large = fastest(source(1000));
    assert.ok(large < 3 * small + 50, `${name}: 1000 took ${large.toFixed(0)} ms, 500 took ${small.toFixed(0)} ms`);
  }
});

test('2,000-deep go func, select, for, if and a mix of them each finish within a few seconds', async () => {
  await ready;
  for (const shape of ['go', 'select', 'for', 'if', 'mix'] as const) {
    const { ms, findings } = analyse(nestedSource(shape, 2000, 'rich'));
    assert.ok(findings > 0, `${shape}: the leaks at the bottom are found`);
    // Well under a second on the project's machine; generous here for loaded CI machines.
    assert.ok(ms < 5000, `${shape} nested 2,000 deep took ${ms.toFixed(0)} ms`);
  }
});

test('the findings at the bottom of a deep nest are the ones found at the top level', async () => {
  await ready;
  const messages = (text: string) => {
    const tree = engine.parse(text);
    try {
      const pkg = new PackageIndex([engine.summarize('/deep/a.go', tree, text)]);
      return engine.analyze('/deep/a.go', text, tree, { config: defaultConfig(), goVersion: null, pkg }).findings.map((f) => `${f.rule}: ${f.message.replace(/line \d+/g, 'line N')}`);
    } finally {
      tree.delete();
    }
  };
  for (const shape of ['select', 'for', 'if', 'switch', 'elseif'] as const) {
    assert.deepEqual(messages(nestedSource(shape, 300, 'rich')).sort(), messages(nestedSource(shape, 3, 'rich')).sort(), shape);
  }
});

// ---- the tree index answers as tree-sitter does ----------------------------------------

function allNodes(tree: Tree): Node[] {
  const out: Node[] = [];
  const cursor = tree.walk();
  for (;;) {
    out.push(cursor.currentNode);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return (cursor.delete(), out);
  }
}

test('parents, siblings and descendantForIndex from the tree index equal tree-sitter own, broken files included', async () => {
  await ready;
  const texts = packageDirs(FIXTURES).flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.go')).map((f) => fs.readFileSync(path.join(d, f), 'utf8')));
  for (const s of SHAPES) texts.push(nestedSource(s, 20, 'every'));
  // Broken code: MISSING and ERROR nodes, empty nodes, unbalanced braces.
  texts.push('package p\nfunc f() {\n\tif x {\n\t\tgo func( {\n\t}\n', texts[0].slice(0, texts[0].length >> 1) + '}})) x :=');
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const t of texts.slice(0, 30)) {
    const at = Math.floor(random() * t.length);
    texts.push(t.slice(0, at) + ['{', '}', '(', 'go ', 'func() ', '\n'][Math.floor(random() * 6)] + t.slice(at + 1));
  }
  const props = ['parent', 'nextSibling', 'previousSibling', 'nextNamedSibling', 'previousNamedSibling'] as const;
  let checked = 0;
  for (const text of texts) {
    const tree = engine.parse(text);
    try {
      const nodes = allNodes(tree);
      const expected = nodes.map((n) => props.map((p) => n[p]?.id ?? 0));
      const ranges = Array.from({ length: 50 }, () => {
        const a = Math.floor(random() * text.length);
        return [a, Math.min(text.length, a + 1 + Math.floor(random() * 4))] as const;
      });
      const expectedAt = ranges.map(([a, b]) => tree.rootNode.descendantForIndex(a, b)?.id ?? 0);
      withTreeIndex(tree, () => {
        // In a scrambled order, so the index walks to nodes from everywhere.
        const order = nodes.map((_, i) => i).sort(() => random() - 0.5);
        for (const i of order) {
          props.forEach((p, j) => assert.equal(nodes[i][p]?.id ?? 0, expected[i][j], `${p} of ${nodes[i].type} at ${nodes[i].startIndex}`));
          checked++;
        }
        ranges.forEach(([a, b], i) => {
          nodes[Math.floor(random() * nodes.length)].parent; // move the finger somewhere
          assert.equal(tree.rootNode.descendantForIndex(a, b)?.id ?? 0, expectedAt[i], `descendantForIndex(${a}, ${b})`);
        });
      });
    } finally {
      tree.delete();
    }
  }
  assert.ok(checked > 50000, `checked ${checked} nodes`);
});

// ---- the per-file budget ---------------------------------------------------------------

/** Counts the budget's clock readings instead of reading a clock: stopping by work done, the same on any machine. */
async function withCountingClock<T>(f: () => T | Promise<T>): Promise<T> {
  const real = budgetClock.now;
  let reads = 0;
  budgetClock.now = () => reads++;
  try {
    return await f();
  } finally {
    budgetClock.now = real;
  }
}

test('an analysis past its budget stops with AnalysisStopped, soon after the deadline', async () => {
  await ready;
  const deep = nestedSource('mix', 2000, 'every');
  const t0 = performance.now();
  assert.throws(() => analyse(deep, 1), (e: unknown) => e instanceof AnalysisStopped && e.budgetMs === 1 && /stopped after 0\.001 s/.test(e.message));
  assert.ok(performance.now() - t0 < 2000, 'stopped within a few hundred milliseconds (parse included)');
  // A rule that never ends on its own is stopped too, between nodes.
  const stuck: Rule = {
    meta: { id: 'stuck', description: '', defaultSeverity: 'warning', docs: '', fixable: false },
    nodeTypes: ['go_statement'],
    check() {
      const until = performance.now() + 30;
      while (performance.now() < until);
    },
  };
  const text = nestedSource('go', 50, 'plain');
  const tree = engine.parse(text);
  try {
    const opts = { config: defaultConfig(), goVersion: null, pkg: PackageIndex.empty, rules: [stuck], budgetMs: 100 };
    const t1 = performance.now();
    assert.throws(() => engine.analyze('/deep/a.go', text, tree, opts), AnalysisStopped);
    assert.ok(performance.now() - t1 < 1000);
    assert.equal(engine.analyze('/deep/a.go', text, tree, { ...opts, budgetMs: undefined }).errors.length, 0, 'no budget: runs to the end');
  } finally {
    tree.delete();
  }
});

test('in a package job, a file past its budget gets a note and no findings; the other files are analysed', async () => {
  await ready;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-budget-'));
  const leaky = 'package p\n\nfunc Start() chan error {\n\terrc := make(chan error)\n\tgo func() { errc <- nil }()\n\treturn errc\n}\n';
  fs.writeFileSync(path.join(dir, 'a_deep.go'), nestedSource('mix', 400, 'rich'));
  fs.writeFileSync(path.join(dir, 'b_leaky.go'), leaky);
  const files = ['a_deep.go', 'b_leaky.go'].map((f) => path.join(dir, f));
  // Budget in clock readings: the deep file needs thousands, the small one a handful.
  await withCountingClock(() => {
    const plain = runPackageJob(engine, { files, config: defaultConfig(), goVersion: null, maxFileSize: 1 << 24, budgetMs: 200 });
    const [deep, small] = plain.files;
    assert.equal(deep.stoppedAfterMs, 200);
    assert.deepEqual(deep.findings, []);
    assert.equal(small.stoppedAfterMs, undefined);
    assert.equal(small.findings!.length, 1);
    const lsp = runPackageJob(engine, { files, config: defaultConfig(), goVersion: null, maxFileSize: 1 << 24, budgetMs: 200, encoding: 'utf-16' });
    assert.deepEqual(lsp.files[0].diagnostics!.map((d) => [d.severity, d.range.start, d.message]), [
      [4, { line: 0, character: 0 }, `Go Leak Lint stopped analysing this file after ${formatBudget(200)} (its analysis budget), so its leaks are not shown.`],
    ]);
    assert.equal(lsp.files[1].diagnostics!.length, 1);
  });
});

test('CLI: --file-budget 1 says on stderr which file it stopped analysing; the run goes on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-budget-cli-'));
  fs.writeFileSync(path.join(dir, 'deep.go'), nestedSource('mix', 1000, 'rich'));
  const bin = path.resolve(__dirname, '../bin/leaklint.js');
  const r = spawnSync(process.execPath, [bin, '--no-cache', '--file-budget', '1', '.'], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `exit status ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, /^leaklint: stopped analysing deep\.go after 0\.001 s \(the per-file analysis budget; --file-budget\): its findings are not reported$/m);
  assert.doesNotMatch(r.stderr, /internal error/);
  const none = spawnSync(process.execPath, [bin, '--no-cache', '--file-budget', '0', '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(none.status, 1, 'no budget: the leaks are reported');
  assert.doesNotMatch(none.stderr, /stopped/);
});

test('server: a document past its budget shows a Hint at the top and a line in the output channel', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-budget-lsp-')));
  const client = new LspClient(dir);
  client.settings = () => ({ scanOnStartup: false });
  try {
    await client.initialize(pathToFileURL(dir).href, { initializationOptions: { analysisBudgetMs: 1, cacheDir: null } });
    const uri = pathToFileURL(path.join(dir, 'deep.go')).href;
    client.open(uri, nestedSource('mix', 1000, 'rich'));
    const diags = await client.waitFor('the note', () => client.diagnosticsFor(uri));
    assert.deepEqual(
      diags.map((d) => [d.severity, d.range.start.line, d.message]),
      [[4, 0, 'Go Leak Lint stopped analysing this file after 0.001 s (its analysis budget), so its leaks are not shown.']],
    );
    await client.waitFor('the log line', () => client.logs.find((l) => l.includes(`analysis of ${path.join(dir, 'deep.go')} stopped after 0.001 s`)));
  } finally {
    await client.stop();
  }
});
