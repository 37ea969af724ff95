// The incremental analysis of open documents (engine/incremental.ts) against a fresh analysis:
// random edits over the real fixtures and a large generated file; after every edit both must
// give the same findings (spans, messages, related locations, fixes, scopes) and refactors.
// LEAKLINT_PROPERTY_SEED picks another sequence of edits, LEAKLINT_PROPERTY_SEEDS runs that many
// seeds from it, LEAKLINT_PROPERTY_STEPS makes each sequence longer.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LeakEngine } from '../server/src/engine/engine';
import { IncrementalAnalysis, topLevel } from '../server/src/engine/incremental';
import { PackageIndex, type FileSummary } from '../server/src/engine/package-index';
import { defaultConfig } from '../server/src/engine/config';
import { importSpecs } from '../server/src/engine/deps';
import { OpenDocument, type ContentChange } from '../server/src/lsp/documents';

const FIXTURES = path.resolve(__dirname, '../test-fixtures');
const SEED = Number(process.env.LEAKLINT_PROPERTY_SEED ?? 20261129);
const STEPS = Number(process.env.LEAKLINT_PROPERTY_STEPS ?? 12);
const SEEDS = Array.from({ length: Number(process.env.LEAKLINT_PROPERTY_SEEDS ?? 1) }, (_, i) => (SEED + i * 7919) >>> 0);

/** xorshift32: the same edits on every run for one seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

function goFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? goFiles(path.join(dir, e.name)) : e.name.endsWith('.go') ? [path.join(dir, e.name)] : []));
}

const SNIPPETS = [
  '\n',
  '\n\n',
  '\t// a note\n',
  '\tgo func() { for { work() } }()\n',
  '\tdone := make(chan struct{})\n',
  '\tctx, cancel := context.WithCancel(ctx)\n',
  '\tt := time.NewTimer(time.Second)\n',
  '\twg.Add(1)\n',
  '\tdefer cancel()\n',
  '\treturn\n',
  '\terrc <- nil\n',
  '\tgo loop()\n',
  'x',
  ' ',
  '}',
  '{',
  '(',
  '"',
  '/*',
  'go ',
];

type Edit = { start: number; end: number; text: string };

/** A random edit: text typed, deleted, a line duplicated, moved or removed, a name changed. */
function randomEdit(text: string, r: ReturnType<typeof rng>): Edit {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const line = r.int(lineStarts.length);
  const ls = lineStarts[line];
  const le = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
  switch (r.int(11)) {
    case 0: {
      const at = r.int(text.length + 1);
      return { start: at, end: at, text: r.pick(SNIPPETS) };
    }
    case 1: {
      // A whole line of code at the start of a line (valid inside a function body).
      const snippet = r.pick(SNIPPETS.filter((s) => s.endsWith('\n')));
      return { start: ls, end: ls, text: snippet };
    }
    case 2: {
      const at = r.int(text.length);
      return { start: at, end: Math.min(text.length, at + 1 + r.int(8)), text: '' };
    }
    case 3:
      return { start: ls, end: ls, text: text.slice(ls, le) }; // duplicate a line
    case 4:
      return { start: ls, end: le, text: '' }; // delete a line
    case 5: {
      // Type inside a comment: the code stays valid.
      const c = text.indexOf('//', ls);
      const at = c === -1 ? ls : c + 2;
      return { start: at, end: at, text: r.pick(['x', ' word', 'TODO ']) };
    }
    case 6: {
      // Rename one occurrence of an identifier.
      const ids = [...text.slice(ls, le).matchAll(/\b[a-z]\w*\b/g)];
      if (!ids.length) return { start: ls, end: ls, text: '\n' };
      const m = r.pick(ids);
      return { start: ls + m.index!, end: ls + m.index! + m[0].length, text: r.pick(['ctx', 'done', 'errc', 'wg', 'x', m[0] + '2']) };
    }
    case 8: {
      // A statement about a field or function named elsewhere in the file, at the start of a
      // line (inside a function body, most often): what another declaration's finding may read
      // (a stop method closing the field a loop ranges over, a send that feeds it, a range over
      // a stream, a goroutine started on a method).
      const sels = [...text.matchAll(/\b([a-z]\w*)\.([a-zA-Z]\w*)\b/g)];
      if (!sels.length) return { start: ls, end: ls, text: '\n' };
      const [, x, f] = r.pick(sels);
      return { start: ls, end: ls, text: r.pick([`\tclose(${x}.${f})\n`, `\t${x}.${f} <- nil\n`, `\tgo ${x}.${f}()\n`, `\tfor v := range ${x}.${f} {\n\t\t_ = v\n\t}\n`, `\tfor range ${f}(ctx) {\n\t\treturn\n\t}\n`, `\t${f}(ctx)\n`, `\tsrv.Shutdown(ctx)\n`]) };
    }
    case 9: {
      // Rename a function or method: stop methods, servers and constructors are found by name.
      const decls = [...text.matchAll(/^func (?:\([^)]*\) )?(\w+)/gm)];
      if (!decls.length) return { start: ls, end: ls, text: '\n' };
      const m = r.pick(decls);
      const at = m.index! + m[0].length - m[1].length;
      return { start: at, end: at + m[1].length, text: r.pick(['Stop', 'Close', 'Shutdown', 'quit', 'loop', 'Serve', 'New' + m[1], m[1] + 'X']) };
    }
    case 10: {
      // Copy a whole top-level declaration (its lines up to the next blank line) elsewhere, or delete it.
      const end = text.indexOf('\n\n', ls);
      const stop = end === -1 ? text.length : end + 1;
      const to = lineStarts[r.int(lineStarts.length)];
      return to <= ls ? { start: to, end: to, text: text.slice(ls, stop) } : { start: ls, end: stop, text: '' };
    }
    default: {
      // Move a line elsewhere.
      const to = lineStarts[r.int(lineStarts.length)];
      return to <= ls ? { start: to, end: to, text: text.slice(ls, le) } : { start: ls, end: le, text: '' };
    }
  }
}

interface Case {
  file: string;
  text: string;
  /** Other files of the same package, already summarised. */
  others: FileSummary[];
}

function toChange(doc: OpenDocument, e: Edit): ContentChange {
  return { range: { start: doc.lines.positionAt(e.start), end: doc.lines.positionAt(e.end) }, text: e.text };
}

async function run(engine: LeakEngine, c: Case, steps: number, r: ReturnType<typeof rng>, seed: number, undoBroken = 0.3) {
  const config = defaultConfig();
  const doc = new OpenDocument(`file://${c.file}`, c.file, c.text, 1, engine, () => 50 * 1024 * 1024);
  // With the document's edit log, as the server runs it: unchanged nodes are told by position.
  const inc = new IncrementalAnalysis(engine, doc.edits);
  const totals = { reused: 0, analysed: 0, compared: 0 };
  for (let step = 0; step <= steps; step++) {
    if (step > 0) {
      const e = randomEdit(doc.text, r);
      const undo = r.next() < undoBroken;
      const removed = doc.text.slice(e.start, e.end);
      doc.applyChanges([toChange(doc, e)], doc.version + 1, 'utf-16');
      if (undo && doc.currentTree?.rootNode.hasError) {
        // Mostly keep the file parseable, as it is between keystrokes, so that reuse is exercised.
        const back = { start: e.start, end: e.start + e.text.length, text: removed };
        doc.applyChanges([toChange(doc, back)], doc.version + 1, 'utf-16');
      }
    }
    const tree = doc.currentTree!;
    const summary = engine.summarize(c.file, tree, doc.text, doc.summaries, undefined, null, undefined, doc.lines);
    const pkg = new PackageIndex([...c.others.filter((o) => o.packageName === summary.packageName), summary]);
    const imports = engine.dependencies().importsFor(path.dirname(c.file), importSpecs(tree.rootNode)).imports;
    const opts = { config, goVersion: null, pkg, imports };
    const got = inc.analyze(c.file, doc.text, tree, opts, doc.lines);
    const freshTree = engine.parse(doc.text);
    try {
      const want = engine.analyze(c.file, doc.text, freshTree, opts);
      const where = `${path.relative(FIXTURES, c.file)} after ${step} edits (seed ${seed})`;
      // The top-level list made from the last tree's and the edit, against one listed afresh.
      const plain = (t: typeof freshTree) => topLevel(t).map(({ start, end, lead, type, index, adj }) => ({ start, end, lead, type, index, adj }));
      if (!tree.rootNode.hasError) assert.deepStrictEqual(plain(tree), plain(freshTree), `top-level nodes: ${where}`);
      assert.deepStrictEqual(summary, engine.summarize(c.file, freshTree, doc.text), `summary: ${where}`);
      const first = got.findings.findIndex((f, i) => JSON.stringify(f) !== JSON.stringify(want.findings[i]));
      if (first !== -1 || got.findings.length !== want.findings.length) {
        assert.fail(`${where}: finding ${first} differs\nincremental: ${JSON.stringify(got.findings[first])}\nfresh:       ${JSON.stringify(want.findings[first])}`);
      }
      assert.deepStrictEqual(got.findings, want.findings, where);
      assert.deepStrictEqual(got.refactors, want.refactors, where);
      assert.deepStrictEqual(got.errors, want.errors, where);
    } finally {
      freshTree.delete();
    }
    totals.compared++;
    totals.reused += inc.last.reused;
    totals.analysed += inc.last.analysed;
  }
  doc.dispose();
  return totals;
}

function fixtureCases(engine: LeakEngine): Case[] {
  const files = goFiles(FIXTURES).filter((f) => !f.includes(`${path.sep}testdata${path.sep}`));
  const byDir = new Map<string, string[]>();
  for (const f of files) byDir.set(path.dirname(f), [...(byDir.get(path.dirname(f)) ?? []), f]);
  const cases: Case[] = [];
  for (const [, list] of byDir) {
    const summaries = list.map((f) => {
      const text = fs.readFileSync(f, 'utf8');
      const tree = engine.parse(text);
      try {
        return engine.summarize(f, tree, text);
      } finally {
        tree.delete();
      }
    });
    list.forEach((f, i) => cases.push({ file: f, text: fs.readFileSync(f, 'utf8'), others: summaries.filter((_, j) => j !== i) }));
  }
  return cases;
}

test('the top-level nodes listed by a cursor are the root named children', async () => {
  const engine = await LeakEngine.create();
  for (const f of goFiles(FIXTURES).slice(0, 20)) {
    const tree = engine.parse(fs.readFileSync(f, 'utf8'));
    const fromNodes = tree.rootNode.namedChildren.map((n) => [n!.startIndex, n!.endIndex]);
    assert.deepStrictEqual(
      topLevel(tree).map((t) => [t.start, t.end]),
      fromNodes,
      f,
    );
    tree.delete();
  }
});

test('incremental analysis equals a fresh one after random edits of every fixture', async () => {
  const engine = await LeakEngine.create();
  for (const seed of SEEDS) {
    const r = rng(seed);
    const totals = { reused: 0, analysed: 0, compared: 0 };
    for (const c of fixtureCases(engine)) {
      const t = await run(engine, c, STEPS, r, seed);
      totals.reused += t.reused;
      totals.analysed += t.analysed;
      totals.compared += t.compared;
    }
    // The comparison is only worth something if the reuse path ran.
    assert.ok(totals.reused > totals.analysed, `seed ${seed}: reused ${totals.reused}, analysed ${totals.analysed}`);
    if (SEEDS.length > 1) console.log(`seed ${seed}: ${totals.compared} analyses compared, ${totals.reused} declarations reused, ${totals.analysed} analysed`);
  }
});

test('incremental analysis equals a fresh one on a large file made of every fixture', async () => {
  const engine = await LeakEngine.create();
  // One package: every fixture's declarations after one package clause and the union of imports.
  const files = goFiles(FIXTURES).filter((f) => !f.includes(`${path.sep}testdata${path.sep}`));
  const imports = new Set<string>();
  let body = '';
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const tree = engine.parse(text);
    const broken = tree.rootNode.hasError;
    tree.delete();
    if (broken) continue; // the fixtures of broken code: they would keep the whole file on the slow path
    for (const m of text.matchAll(/^import\s*(?:\(([\s\S]*?)\)|("[^"]*"))/gm)) for (const line of (m[1] ?? m[2]).split('\n')) if (line.trim()) imports.add(line.trim());
    body += text.replace(/^[\s\S]*?\npackage \w+\n/, '\n').replace(/^package \w+\n/, '\n').replace(/^import\s*(\([\s\S]*?\)|"[^"]*")\s*$/gm, '');
  }
  const text = `package big\n\nimport (\n${[...imports].map((i) => `\t${i}`).join('\n')}\n)\n${body}`;
  const file = path.join(FIXTURES, 'big_generated.go');
  assert.ok(!engine.parse(text).rootNode.hasError, 'the generated file parses');
  for (const seed of SEEDS) {
    const t = await run(engine, { file, text, others: [] }, Math.ceil(STEPS / 2), rng(seed ^ 0x5eed), seed, 1);
    assert.ok(t.reused > t.analysed, `seed ${seed}: reused ${t.reused}, analysed ${t.analysed}`);
  }
});
