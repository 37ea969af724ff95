// The engine: source text in, findings out. Knows nothing of LSP, files or processes.
import { dirname } from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { RuleContext, type Rule } from './context';
import type { LeakLintConfig } from './config';
import type { GoVersion } from './gomod';
import { PackageIndex, packageNameOf, summarize, type FileSummary, type SummaryCache } from './package-index';
import { GoParser } from './parser';
import { LineIndex } from './positions';
import { RULES } from './rules';
import { isSuppressed, readSuppressions } from './suppress';
import { declarationNames } from './fingerprint';
import { parseableText } from './source';
import type { Finding, Fix, Refactor } from './types';
import { applyEdits } from './fixes';
import type { Node } from './go/syntax';
import { DependencyIndex, type ImportedPackage } from './deps';
import { checkBudget, withTreeIndex } from './go/tree-index';
import { AnalysisStopped, deadlineIn } from './budget';

export interface AnalyzeOptions {
  config: LeakLintConfig;
  /** From go.mod; the config's goVersion overrides it. */
  goVersion: GoVersion | null;
  pkg: PackageIndex;
  /** Facts of imported packages (see deps.ts), by the name the file uses. */
  imports?: ReadonlyMap<string, ImportedPackage>;
  rules?: readonly Rule[];
  /** Milliseconds the file's analysis may take; past them it stops with AnalysisStopped (budget.ts). Unset: no limit. */
  budgetMs?: number;
}

export interface FileResult {
  findings: Finding[];
  refactors: Refactor[];
  lines: LineIndex;
  /** Internal errors of individual rules: reported, never thrown. */
  errors: string[];
}

/** Rules by the node types they want, computed once per rule set. */
const dispatchCache = new WeakMap<readonly Rule[], { byType: Map<string, Rule[]> }>();

export function dispatchTable(rules: readonly Rule[]) {
  let table = dispatchCache.get(rules);
  if (!table) {
    const byType = new Map<string, Rule[]>();
    for (const r of rules) for (const t of r.nodeTypes) byType.set(t, [...(byType.get(t) ?? []), r]);
    table = { byType };
    dispatchCache.set(rules, table);
  }
  return table;
}

/** Throws AnalysisStopped when `opts.budgetMs` runs out. */
export function analyzeTree(path: string, source: string, tree: Tree, opts: AnalyzeOptions): FileResult {
  return withTreeIndex(tree, () => analyzeIndexed(path, source, tree, opts), deadlineIn(opts.budgetMs));
}

function analyzeIndexed(path: string, source: string, tree: Tree, opts: AnalyzeOptions): FileResult {
  const lines = new LineIndex(source);
  const goVersion = opts.config.goVersion ?? opts.goVersion;
  const ctx = new RuleContext(path, source, tree, opts.pkg, goVersion, { strictGoroutines: opts.config.strictGoroutines });
  if (opts.imports) ctx.imports = opts.imports;
  const errors: string[] = [];
  const rules = (opts.rules ?? RULES).filter((r) => opts.config.rules[r.meta.id] !== 'off');
  const { byType } = dispatchTable(rules);
  const nodeRules = rules.filter((r) => r.nodeTypes.length);
  // Top-level declarations are gated by their text first (every `wants` is a "text contains"
  // test, so a declaration that fails it cannot hold a node that passes); tree-sitter then
  // gathers, in one walk of each remaining declaration, the nodes its rules asked for.
  for (const decl of tree.rootNode.namedChildren) {
    if (!decl) continue;
    checkBudget();
    runNodeRules(decl, source.slice(decl.startIndex, decl.endIndex), nodeRules, byType, ctx, errors, lines);
  }
  for (const rule of rules) {
    if (!rule.checkFile) continue;
    checkBudget();
    runFileRule(rule, ctx, errors);
  }
  const suppressions = readSuppressions(source, tree, lines);
  const declarationAt = declarationNames(tree);
  const findings = ctx.findings
    .filter((f) => !isSuppressed(f, suppressions, lines))
    .map((f) => {
      const level = opts.config.rules[f.rule];
      const scope = declarationAt(f.span.start);
      return level && level !== 'off' ? { ...f, severity: level, scope } : { ...f, scope };
    })
    .sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  return { findings: dedupeFindings(findings), refactors: ctx.refactors, lines, errors };
}

/**
 * The node rules whose `wants` passes on a top-level declaration's text `declText`, run on the
 * nodes of `decl` they asked for (one walk of it; a node's own text is checked again by `wants`).
 */
export function runNodeRules(decl: Node, declText: string, nodeRules: readonly Rule[], byType: ReadonlyMap<string, Rule[]>, ctx: RuleContext, errors: string[], lines: LineIndex): void {
  const wanting = nodeRules.filter((r) => !r.wants || r.wants(declText, ctx));
  if (!wanting.length) return;
  const types = [...new Set(wanting.flatMap((r) => r.nodeTypes))];
  for (const node of decl.descendantsOfType(types)) {
    if (!node) continue;
    checkBudget();
    let text: string | undefined;
    for (const rule of byType.get(node.type) ?? []) {
      if (!wanting.includes(rule)) continue;
      if (rule.wants && !rule.wants((text ??= ctx.source.slice(node.startIndex, node.endIndex)), ctx)) continue;
      runRule(rule, node, ctx, errors, lines);
    }
  }
}

export function runRule(rule: Rule, node: Node, ctx: RuleContext, errors: string[], lines: LineIndex): void {
  ctx.rule = rule;
  try {
    rule.check(node, ctx);
  } catch (e) {
    if (e instanceof AnalysisStopped) throw e;
    const where = lines.positionAt(node.startIndex);
    errors.push(`${rule.meta.id} failed at ${ctx.path}:${where.line + 1}:${where.character + 1}: ${(e as Error).stack ?? e}`);
  }
}

export function runFileRule(rule: Rule, ctx: RuleContext, errors: string[]): void {
  ctx.rule = rule;
  try {
    rule.checkFile!(ctx);
  } catch (e) {
    if (e instanceof AnalysisStopped) throw e;
    errors.push(`${rule.meta.id} failed in ${ctx.path}: ${(e as Error).stack ?? e}`);
  }
}

export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}:${f.span.start}:${f.span.end}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** ERROR nodes, plus one if the tree has any error at all (MISSING nodes included). */
export function syntaxErrors(tree: Tree): number {
  return tree.rootNode.descendantsOfType('ERROR').length + (tree.rootNode.hasError ? 1 : 0);
}

export interface PackageFile {
  path: string;
  source: string;
}

/**
 * Parses files, builds one index per package (directory + package name), and analyses
 * every file against its package's index. Trees are freed before returning.
 */
export class LeakEngine {
  private constructor(readonly parser: GoParser) {}

  static async create(): Promise<LeakEngine> {
    return new LeakEngine(await GoParser.create());
  }

  parse(source: string, oldTree?: Tree | null): Tree {
    return this.parser.parse(parseableText(source), oldTree);
  }

  private deps: DependencyIndex | null = null;
  private depsEpoch = 0;

  /** Facts of imported packages, read once per epoch (the server bumps it when files change). */
  dependencies(epoch = 0): DependencyIndex {
    if (!this.deps || epoch !== this.depsEpoch) {
      this.deps = new DependencyIndex((s) => this.parse(s));
      this.depsEpoch = epoch;
    }
    return this.deps;
  }

  /** The file's facts for its package. Throws AnalysisStopped when `budgetMs` (if given) runs out. */
  summarize(path: string, tree: Tree, source: string, cache?: SummaryCache, budgetMs?: number, ownerTypes?: ReadonlySet<string> | null, original?: string, lines?: LineIndex): FileSummary {
    return withTreeIndex(tree, () => summarize(path, tree, source, cache, ownerTypes, original, lines), deadlineIn(budgetMs));
  }

  /** The file's package name and no facts: the summary of a file whose summary was stopped. */
  emptySummary(path: string, tree: Tree): FileSummary {
    const name = packageNameOf(tree.rootNode);
    const clause = this.parse(`package ${name || '_'}\n`);
    try {
      return { ...summarize(path, clause, ''), packageName: name };
    } finally {
      clause.delete();
    }
  }

  /**
   * analyzeTree, plus: in a file with syntax errors, fixes that would add errors are dropped.
   * Throws AnalysisStopped when `opts.budgetMs` runs out (the budget covers both).
   */
  analyze(path: string, source: string, tree: Tree, opts: AnalyzeOptions): FileResult {
    return withTreeIndex(
      tree,
      () => {
        const result = analyzeIndexed(path, source, tree, opts);
        if (tree.rootNode.hasError) this.dropFixesThatBreakParsing(source, tree, result);
        return result;
      },
      deadlineIn(opts.budgetMs),
    );
  }

  private dropFixesThatBreakParsing(source: string, tree: Tree, result: FileResult): void {
    const before = syntaxErrors(tree);
    const keeps = (fix: Fix) => {
      checkBudget(); // one parse of the whole file per fix
      let fixed: string;
      try {
        fixed = applyEdits(source, fix.edits.filter((e) => !e.file));
      } catch {
        return false;
      }
      const after = this.parse(fixed);
      try {
        return syntaxErrors(after) <= before;
      } finally {
        after.delete();
      }
    };
    for (const f of result.findings) if (f.fixes.length) f.fixes = f.fixes.filter(keeps);
    result.refactors = result.refactors.filter((r) => keeps(r.fix));
  }

  /** Convenience for one directory's files: index them together, then analyse each. */
  analyzeFiles(files: PackageFile[], opts: Omit<AnalyzeOptions, 'pkg'>): Map<string, FileResult> {
    const parsed = files.map((f) => ({ ...f, tree: this.parse(f.source) }));
    try {
      const summaries = parsed.map((f) => this.summarize(f.path, f.tree, f.source));
      const byPackage = new Map<string, FileSummary[]>();
      for (const s of summaries) byPackage.set(s.packageName, [...(byPackage.get(s.packageName) ?? []), s]);
      const indexes = new Map([...byPackage].map(([name, list]) => [name, new PackageIndex(list)]));
      for (const idx of indexes.values()) idx.linkOwners((p, named, q) => this.dependencies().ownerIndex(dirname(parsed[0].path), p, named, q));
      const out = new Map<string, FileResult>();
      parsed.forEach((f, i) => {
        const pkg = indexes.get(summaries[i].packageName) ?? PackageIndex.empty;
        out.set(f.path, this.analyze(f.path, f.source, f.tree, { ...opts, pkg }));
      });
      return out;
    } finally {
      for (const f of parsed) f.tree.delete();
    }
  }
}
