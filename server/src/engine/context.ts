// What a rule sees: the file, its tree, the package index, settings, and a way to report.
import type { Tree } from 'web-tree-sitter';
import type { PackageIndex } from './package-index';
import type { ImportedPackage } from './deps';
import type { Finding, Fix, RelatedLocation, Refactor, RuleMeta, Severity, Span } from './types';
import type { GoVersion } from './gomod';
import { eolOf, type Node } from './go/syntax';
import { LineIndex } from './positions';

export interface RuleOptions {
  /** goroutine-without-cancel: flag every `go` that has no cancellation path. */
  strictGoroutines: boolean;
}

export interface Rule {
  meta: RuleMeta;
  /** Node types this rule wants to see; the engine walks the tree once for all rules. */
  nodeTypes: readonly string[];
  /** Skips nodes whose source text cannot match (reading text is free; walking WASM nodes is not). */
  wants?(text: string, ctx: RuleContext): boolean;
  /**
   * For a `wants` that is not a plain "text contains" test (an anchored pattern): true when some
   * declaration of the whole file `source` may pass it. Quiet files (quiet.ts) are told by this,
   * else by `wants` on the whole text.
   */
  wantsSome?(source: string): boolean;
  check(node: Node, ctx: RuleContext): void;
  /** Finds its own nodes, e.g. by searching the source text, instead of (or besides) nodeTypes. */
  checkFile?(ctx: RuleContext): void;
  /**
   * False when the rule cannot report anything in this file, told from its path, its text and
   * the facts of its package and imports alone (no tree). Files no rule wants are not analysed
   * (quiet.ts). Needed by a file rule, and by a node rule whose `wants` reads the context;
   * without it every file is wanted.
   */
  fileWants?(ctx: FileFacts): boolean;
  /**
   * For a file rule, or a node rule whose `wants` reads the context: false when the rule can
   * neither report in nor read a top-level function whose whole text is `func`, given the facts
   * (`ctx.source` is the whole file's). Facts only add wants. Without it, no function body of a
   * file such a rule wants is left unparsed (body-gate.ts).
   */
  bodyWants?(func: string, ctx: FileFacts): boolean;
}

export type FileFacts = Pick<RuleContext, 'path' | 'source' | 'pkg' | 'imports'>;

export interface Report {
  span: Span | Node;
  message: string;
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

export class RuleContext {
  readonly eol: string;
  private readonly memo = new Map<string, unknown>();
  readonly findings: Finding[] = [];
  readonly refactors: Refactor[] = [];
  rule!: Rule;
  /** Facts of the packages this file imports, by the name the file uses for each. */
  imports: ReadonlyMap<string, ImportedPackage> = new Map();

  constructor(
    readonly path: string,
    readonly source: string,
    readonly tree: Tree,
    readonly pkg: PackageIndex,
    readonly goVersion: GoVersion | null,
    readonly options: RuleOptions,
  ) {
    this.eol = eolOf(source);
  }

  get root(): Node {
    return this.tree.rootNode;
  }

  /** Go version at least major.minor (unknown version: false). */
  goAtLeast(minor: number): boolean {
    return !!this.goVersion && (this.goVersion.major > 1 || this.goVersion.minor >= minor);
  }

  report(r: Report): void {
    const span = 'type' in r.span ? { start: r.span.startIndex, end: r.span.endIndex } : r.span;
    this.findings.push({
      rule: this.rule.meta.id,
      severity: r.severity ?? this.rule.meta.defaultSeverity,
      message: r.message,
      span,
      related: r.related ?? [],
      fixes: r.fixes ?? [],
    });
  }

  offerRefactor(span: Span, fix: Fix): void {
    this.refactors.push({ rule: this.rule.meta.id, span, fix });
  }

  /** Source text of a node, without a trip into WASM. */
  textOf(n: Node): string {
    return this.source.slice(n.startIndex, n.endIndex);
  }

  /**
   * Call expressions that start where `pattern` matches in the source (matches in comments
   * and strings are dropped because no call node starts there).
   */
  callsMatching(pattern: RegExp): Node[] {
    const out: Node[] = [];
    for (const m of this.source.matchAll(pattern)) {
      let n: Node | null = this.root.descendantForIndex(m.index!, m.index! + 1);
      while (n && !(n.type === 'call_expression' && n.startIndex === m.index)) {
        if (n.startIndex < m.index!) n = null;
        else n = n.parent;
      }
      if (n) out.push(n);
    }
    return out;
  }

  /** Per-file memo for analyses several rules share (keyed by e.g. "chans:" + node id). */
  cached<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  private lines?: LineIndex;
  /** 1-based line of an offset or node, for messages. */
  lineOf(at: number | Node): number {
    this.lines ??= new LineIndex(this.source);
    return this.lines.lineOf(typeof at === 'number' ? at : at.startIndex) + 1;
  }
}

export function spanOf(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}
