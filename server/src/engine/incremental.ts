// Analysis of an open document after an edit: only the top-level declarations whose text
// changed, or whose package facts, imports or line changed, are analysed again. The findings
// are exactly those of a fresh analysis (LeakEngine.analyze): test/incremental.test.ts compares
// the two over random edits.
//
// Each top-level node is analysed on its own, with the reads that reach beyond it recorded
// (decl-deps.ts). Its findings are kept by the text of its lines; after an edit, a node whose
// text is found again reuses them, if what it read reads the same. Offsets inside its lines
// move with it; offsets elsewhere came from package facts that were checked to be unchanged.
// A node that read anything else of the file is analysed again after every edit; so is the
// whole file while it has syntax errors (error recovery is not local).
import type { Tree } from 'web-tree-sitter';
import { RuleContext } from './context';
import { changedTables, recordInto, recordingView, samePackageReads, noDeps, unrecorded, type DeclDeps } from './decl-deps';
import { dedupeFindings, dispatchTable, runFileRule, runNodeRules, type AnalyzeOptions, type FileResult, type LeakEngine } from './engine';
import { nameOf } from './fingerprint';
import { eolOf, seedTopLevel, topLevel, type TopLevelEntry } from './go/syntax';
export { topLevel };
import { checkBudget, withTreeIndex } from './go/tree-index';
import { deadlineIn } from './budget';
import type { LineIndex } from './positions';
import { RULES } from './rules';
import { isSuppressed, readSuppressions } from './suppress';
import type { Finding, Refactor, Span } from './types';
import type { ImportedPackage } from './deps';
import type { PackageIndex } from './package-index';
import type { EditLog } from './edit-log';
import { detachAll, detached } from './source';

/** Numbers kept per node of the last run (see `spans`). */
const S = 6;

interface Entry {
  /** Where the lines started when analysed, and their length. */
  base: number;
  length: number;
  /** 0-based line of `base`, for entries that used line numbers. */
  row: number;
  findings: Finding[];
  refactors: Refactor[];
  deps: DeclDeps;
  imports: ReadonlyMap<string, ImportedPackage>;
}

export interface IncrementalStats {
  nodes: number;
  reused: number;
  analysed: number;
  /** Analysed again because they read beyond themselves (decl-deps `file`). */
  fileBound: number;
  full: boolean;
}

/** One per open document: keeps the findings of its top-level nodes between analyses. */
export class IncrementalAnalysis {
  /** The last run's entries, in the order of its nodes (undefined: not reusable). */
  private list: (Entry | undefined)[] = [];
  private settingsKey = '';
  private lastPkg: PackageIndex | null = null;
  /** Keys (texts) of the last run's nodes, in order, and where they were (S numbers each: base, end, node start, node end, lead, row). */
  private texts: string[] = [];
  private spans = new Int32Array(0);
  /** The edit log's count and the text's line count at the last run. */
  private seq = -1;
  private lineCount = 0;
  last: IncrementalStats = { nodes: 0, reused: 0, analysed: 0, fileBound: 0, full: true };

  /** `edits`: the document's edit log, which tells which nodes' text is the same without reading it. */
  constructor(
    private readonly engine: LeakEngine,
    private readonly edits?: EditLog,
  ) {}

  /** Same result as `engine.analyze(path, source, tree, opts)`; `lines` must be the LineIndex of `source`. */
  analyze(path: string, source: string, tree: Tree, opts: AnalyzeOptions, lines: LineIndex): FileResult {
    const rules = (opts.rules ?? RULES).filter((r) => opts.config.rules[r.meta.id] !== 'off');
    const goVersion = opts.config.goVersion ?? opts.goVersion;
    const key = JSON.stringify([path, goVersion, opts.config.strictGoroutines, rules.map((r) => r.meta.id), eolOf(source)]);
    if (key !== this.settingsKey) {
      this.list = [];
      this.texts = [];
      this.spans = new Int32Array(0);
      this.lastPkg = null;
      this.settingsKey = key;
    }
    if (tree.rootNode.hasError) {
      // The last run's state stays: the edit log covers the edits since, broken states included.
      this.last = { nodes: 0, reused: 0, analysed: 0, fileBound: 0, full: true };
      return this.engine.analyze(path, source, tree, opts);
    }
    return withTreeIndex(tree, () => this.run(path, source, tree, opts, lines, rules), deadlineIn(opts.budgetMs));
  }

  private run(path: string, source: string, tree: Tree, opts: AnalyzeOptions, lines: LineIndex, rules: AnalyzeOptions['rules'] & object): FileResult {
    const goVersion = opts.config.goVersion ?? opts.goVersion;
    const ctx = new RuleContext(path, source, tree, opts.pkg, goVersion, { strictGoroutines: opts.config.strictGoroutines }, lines);
    const imports = opts.imports ?? new Map<string, ImportedPackage>();
    ctx.imports = imports;
    const recording = recordingView(opts.pkg);
    const { byType } = dispatchTable(rules);
    const nodeRules = rules.filter((r) => r.nodeTypes.length);
    const fileRules = rules.filter((r) => r.checkFile);
    const top = topLevel(tree);
    seedTopLevel(tree, top);
    // A few nodes: namedChild walks the root's children in C, no JavaScript object for each of
    // them; many (the first analysis): list them once.
    let nodes: (TopLevelEntry['node'])[] | null = null;
    let fetched = 0;
    const nodeOf = (e: TopLevelEntry) => (e.node ??= unrecorded(() => (++fetched > 16 ? (nodes ??= tree.rootNode.namedChildren)[e.index] : tree.rootNode.namedChild(e.index))));
    /** Name of the top-level node holding an offset, as declarationNames (fingerprint.ts) gives it. */
    const scopeAt = (offset: number): string => {
      let lo = 0;
      let hi = top.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (offset < top[mid].start) hi = mid - 1;
        else if (offset >= top[mid].end) lo = mid + 1;
        else return nameOf(nodeOf(top[mid])!);
      }
      return '';
    };
    // Entries kept from the last run matched its package index: only tables that changed since need a look.
    const changed = changedTables(opts.pkg, this.lastPkg);
    const includesMemo = new Map<string | RegExp, boolean>();
    const fileHas = (text: string | RegExp) => includesMemo.get(text) ?? includesMemo.set(text, typeof text === 'string' ? source.includes(text) : text.test(source)).get(text)!;
    const fresh = (e: Entry, row: number) =>
      !e.deps.file &&
      (!e.deps.lines || e.row === row) &&
      (!e.deps.imports || sameImports(e.imports, imports)) &&
      e.deps.includes.every(([text, answer]) => fileHas(text) === answer) &&
      samePackageReads(e.deps, opts.pkg, changed);

    /** Entries analysed this run, by key (another node with the same text reuses them). */
    const made = new Map<string, Entry>();
    const findings: Finding[] = [];
    const refactors: Refactor[] = [];
    const errors: string[] = [];
    const stats: IncrementalStats = { nodes: top.length, reused: 0, analysed: 0, fileBound: 0, full: false };
    const texts: string[] = [];
    // A typed array (off the JavaScript heap): made again on every edit.
    const spans = new Int32Array(top.length * S);
    const list: (Entry | undefined)[] = [];
    const old = { texts: this.texts, spans: this.spans, list: this.list };
    // Text outside the range the edits since the last run cover is the same, moved by `delta`
    // (and its lines by `lineDelta`): a node there whose span moved so is the same text.
    const edit = this.edits && old.texts.length ? this.edits.since(this.seq, source.length) : null;
    const delta = edit ? edit.newEnd - edit.oldEnd : 0;
    const lineDelta = lines.lineCount - this.lineCount;
    const shiftAfter = top.length - old.texts.length;
    let byText: Map<string, Entry> | null = null;
    const lookup = (key: string) => {
      if (!byText) {
        byText = new Map();
        // With the edit known, a node outside it is found by its place: only the last run's
        // nodes the edit touched can be found again by text (moved, or one more copy of them).
        // Hashing every node's text instead reads the whole file on every keystroke.
        for (let i = 0; i < old.texts.length; i++) {
          if (old.list[i] && (!edit || (old.spans[S * i + 1] >= edit.start && old.spans[S * i] <= edit.oldEnd))) byText.set(old.texts[i], old.list[i]!);
        }
      }
      return byText.get(key) ?? made.get(key);
    };
    let next = -1;
    // Indexed loops here and in summarizeTree: a for-of over thousands of nodes allocates an
    // iterator result per step until the function is optimised, on every keystroke.
    for (let ti = 0; ti < top.length; ti++) {
      const t = top[ti];
      checkBudget();
      next++;
      // The last run's node at the same place before the edits, or as far from the end after them.
      let j = -1;
      let after = false;
      if (edit) {
        if (next < old.texts.length && old.spans[S * next + 1] < edit.start) j = next;
        else if (next - shiftAfter >= 0 && next - shiftAfter < old.texts.length && old.spans[S * (next - shiftAfter)] > edit.oldEnd) (j = next - shiftAfter), (after = true);
        const d = after ? delta : 0;
        if (j >= 0 && !(old.spans[S * j + 2] + d === t.start && old.spans[S * j + 3] + d === t.end && old.spans[S * j + 4] + d === t.lead)) j = -1;
      }
      let key: string;
      let base: number;
      let end: number;
      let row: number;
      let hit: Entry | undefined;
      if (j >= 0) {
        const d = after ? delta : 0;
        base = old.spans[S * j] + d;
        end = old.spans[S * j + 1] + d;
        row = old.spans[S * j + 5] + (after ? lineDelta : 0);
        key = old.texts[j];
        hit = old.list[j];
      } else {
        row = lines.lineOf(t.lead);
        base = lines.lineStart(row);
        end = lines.lineEnd(lines.lineOf(Math.max(t.start, t.end - 1)));
        // The node's place in its lines is part of the key: two nodes on one line share their text.
        const text = `${t.start - base}:${t.end - base}:${source.slice(base, end)}`;
        // Nodes mostly come in the last run's order: comparing with the node at the same place
        // costs a memcmp, where a lookup by text would hash every node's text on every edit.
        const same = next < old.texts.length && old.texts[next] === text;
        // The last run's string (its hash is known) stands for this text from now on.
        key = same ? old.texts[next] : detached(text);
        hit = same ? old.list[next] ?? made.get(key) : lookup(key);
      }
      texts.push(key);
      const at = S * next;
      spans[at] = base;
      spans[at + 1] = end;
      spans[at + 2] = t.start;
      spans[at + 3] = t.end;
      spans[at + 4] = t.lead;
      spans[at + 5] = row;
      if (hit && fresh(hit, row)) {
        const shift = base - hit.base;
        // Moved findings get their offsets moved; an entry with none (most) is kept as it is,
        // unless its analysis read line numbers, which `fresh` compares with `row`.
        const moved =
          shift || (hit.deps.lines && hit.row !== row)
            ? hit.findings.length || hit.refactors.length || hit.deps.lines
              ? { ...hit, base, row, findings: hit.findings.map((f) => shiftFinding(f, hit!, shift, path)), refactors: hit.refactors.map((r) => shiftRefactor(r, hit!, shift, path)) }
              : hit
            : hit;
        for (const f of moved.findings) findings.push(f);
        for (const r of moved.refactors) refactors.push(r);
        list.push(moved);
        stats.reused++;
        continue;
      }
      const decl = nodeOf(t)!;
      const deps = noDeps();
      ctx.findings = [];
      ctx.refactors = [];
      ctx.region = { start: t.start, end: t.end };
      ctx.regionNode = decl;
      ctx.pkg = recording;
      const before = errors.length;
      recordInto(deps, () => {
        runNodeRules(decl, source.slice(t.start, t.end), nodeRules, byType, ctx, errors, lines);
        for (const rule of fileRules) {
          checkBudget();
          runFileRule(rule, ctx, errors);
        }
      });
      stats.analysed++;
      if (deps.file) stats.fileBound++;
      const scope = nameOf(decl);
      const local = (s: Span) => t.start <= s.start && s.start < Math.max(t.end, t.start + 1);
      const own = ctx.findings.map((f) => ({ ...f, scope: local(f.span) ? scope : scopeAt(f.span.start) }));
      findings.push(...own);
      refactors.push(...ctx.refactors);
      if (!deps.file && errors.length === before && own.every((f) => local(f.span))) {
        // Kept across edits: no string in it may keep this version of the file (source.ts detached).
        const entry: Entry = { base, length: end - base, row, findings: detachAll(own), refactors: detachAll(ctx.refactors), deps: detachAll(deps), imports };
        made.set(key, entry);
        list.push(entry);
      } else {
        list.push(undefined);
      }
    }
    ctx.pkg = opts.pkg;
    ctx.region = null;
    ctx.regionNode = null;
    this.list = list;
    this.texts = texts;
    this.spans = spans;
    this.lineCount = lines.lineCount;
    this.seq = this.edits?.current ?? -1;
    this.lastPkg = opts.pkg;
    this.last = stats;

    // Reading the directives costs a search of the whole text: only when there is something to suppress.
    const suppressions = findings.length ? readSuppressions(source, tree, lines) : null;
    const shown = findings
      .filter((f) => !isSuppressed(f, suppressions!, lines))
      .map((f) => {
        const level = opts.config.rules[f.rule];
        return level && level !== 'off' ? { ...f, severity: level } : f;
      })
      .sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
    return { findings: dedupeFindings(shown), refactors, lines, errors };
  }
}

function sameImports(a: ReadonlyMap<string, ImportedPackage>, b: ReadonlyMap<string, ImportedPackage>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    // Made afresh for every look-up; the facts (index) are shared while the dependency is unchanged.
    if (!w || (w !== v && (w.index !== v.index || w.importPath !== v.importPath || w.dir !== v.dir || w.alias !== v.alias))) return false;
  }
  return true;
}

/** Moves an offset of the entry's own lines with them; any other offset came from an unchanged fact. */
function shift<S extends Span>(s: S, e: Entry, delta: number): S {
  return e.base <= s.start && s.end <= e.base + e.length ? { ...s, start: s.start + delta, end: s.end + delta } : s;
}

function shiftEdit<S extends Span & { file?: string }>(s: S, e: Entry, delta: number, path: string): S {
  return s.file && s.file !== path ? s : shift(s, e, delta);
}

function shiftRefactor(r: Refactor, e: Entry, delta: number, path: string): Refactor {
  return { ...r, span: shift(r.span, e, delta), fix: { ...r.fix, edits: r.fix.edits.map((ed) => shiftEdit(ed, e, delta, path)) } };
}

function shiftFinding(f: Finding, e: Entry, delta: number, path: string): Finding {
  return {
    ...f,
    span: shift(f.span, e, delta),
    related: f.related.map((r) => (r.file && r.file !== path ? r : { ...r, span: shift(r.span, e, delta) })),
    fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((ed) => shiftEdit(ed, e, delta, path)) })),
  };
}

export type { PackageIndex };
