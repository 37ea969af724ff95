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
import { changedTables, recordInto, recordingView, samePackageReads, noDeps, type DeclDeps } from './decl-deps';
import { dedupeFindings, dispatchTable, runFileRule, runRule, type AnalyzeOptions, type FileResult, type LeakEngine } from './engine';
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
  private entries = new Map<string, Entry>();
  private settingsKey = '';
  private lastPkg: PackageIndex | null = null;
  /** Texts of the last run's nodes, in order. */
  private texts: string[] = [];
  last: IncrementalStats = { nodes: 0, reused: 0, analysed: 0, fileBound: 0, full: true };

  constructor(private readonly engine: LeakEngine) {}

  /** Same result as `engine.analyze(path, source, tree, opts)`; `lines` must be the LineIndex of `source`. */
  analyze(path: string, source: string, tree: Tree, opts: AnalyzeOptions, lines: LineIndex): FileResult {
    const rules = (opts.rules ?? RULES).filter((r) => opts.config.rules[r.meta.id] !== 'off');
    const goVersion = opts.config.goVersion ?? opts.goVersion;
    const key = JSON.stringify([path, goVersion, opts.config.strictGoroutines, rules.map((r) => r.meta.id), eolOf(source)]);
    if (key !== this.settingsKey) {
      this.entries = new Map();
      this.lastPkg = null;
      this.settingsKey = key;
    }
    if (tree.rootNode.hasError) {
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
    let nodes: (TopLevelEntry['node'])[] | null = null;
    const nodeOf = (e: TopLevelEntry) => (e.node ??= (nodes ??= tree.rootNode.namedChildren)[e.index]);
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

    const kept = new Map<string, Entry>();
    const findings: Finding[] = [];
    const refactors: Refactor[] = [];
    const errors: string[] = [];
    const stats: IncrementalStats = { nodes: top.length, reused: 0, analysed: 0, fileBound: 0, full: false };
    const texts: string[] = [];
    let next = 0;
    for (const t of top) {
      checkBudget();
      const row = lines.lineOf(t.lead);
      const base = lines.lineStart(row);
      const end = lines.lineEnd(lines.lineOf(Math.max(t.start, t.end - 1)));
      const text = source.slice(base, end);
      // Nodes mostly come in the last run's order: comparing with the node at the same place
      // costs a memcmp, where a lookup by text would hash every node's text on every edit.
      const same = next < this.texts.length && this.texts[next] === text;
      // The last run's string (its hash is known) stands for this text from now on.
      const key = same ? this.texts[next] : text;
      next++;
      texts.push(key);
      const hit = this.entries.get(key) ?? kept.get(key);
      if (hit && fresh(hit, row)) {
        const delta = base - hit.base;
        const moved = delta ? { ...hit, base, row, findings: hit.findings.map((f) => shiftFinding(f, hit, delta, path)), refactors: hit.refactors.map((r) => shiftRefactor(r, hit, delta, path)) } : hit;
        findings.push(...moved.findings);
        refactors.push(...moved.refactors);
        kept.set(key, moved);
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
        const declText = source.slice(t.start, t.end);
        const wanting = nodeRules.filter((r) => !r.wants || r.wants(declText, ctx));
        if (wanting.length) {
          const types = [...new Set(wanting.flatMap((r) => r.nodeTypes))];
          for (const node of decl.descendantsOfType(types)) {
            if (!node) continue;
            checkBudget();
            let nodeText: string | undefined;
            for (const rule of byType.get(node.type) ?? []) {
              if (!wanting.includes(rule)) continue;
              if (rule.wants && !rule.wants((nodeText ??= source.slice(node.startIndex, node.endIndex)), ctx)) continue;
              runRule(rule, node, ctx, errors, lines);
            }
          }
        }
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
        kept.set(key, { base, length: end - base, row, findings: own, refactors: ctx.refactors, deps, imports });
      }
    }
    ctx.pkg = opts.pkg;
    ctx.region = null;
    ctx.regionNode = null;
    this.entries = kept;
    this.texts = texts;
    this.lastPkg = opts.pkg;
    this.last = stats;

    const suppressions = readSuppressions(source, tree, lines);
    const shown = findings
      .filter((f) => !isSuppressed(f, suppressions, lines))
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
