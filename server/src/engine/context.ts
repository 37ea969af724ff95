// What a rule sees: the file, its tree, the package index, settings, and a way to report.
import type { Tree } from 'web-tree-sitter';
import type { PackageIndex } from './package-index';
import type { ImportedPackage } from './deps';
import type { Finding, Fix, RelatedLocation, Refactor, RuleMeta, Severity, Span } from './types';
import type { GoVersion } from './gomod';
import { eolOf, type Node } from './go/syntax';
import { LineIndex } from './positions';
import { noteFileRead, noteImports, noteIncludes, noteLines, replay, unrecorded, withOwnDeps, type DeclDeps } from './decl-deps';

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
  private readonly memo = new Map<string, { value: unknown; deps: DeclDeps }>();
  findings: Finding[] = [];
  refactors: Refactor[] = [];
  rule!: Rule;
  private importsMap: ReadonlyMap<string, ImportedPackage> = new Map();
  /**
   * Where text searches of `checkFile` rules look (`callsMatching`, `matchesIn`): the whole file,
   * or, in an incremental analysis, the top-level declaration being analysed.
   */
  region: Span | null = null;
  /** The top-level declaration spanning `region`, when there is one. */
  regionNode: Node | null = null;

  constructor(
    readonly path: string,
    readonly source: string,
    readonly tree: Tree,
    /** The package's facts (a recording view of them during an incremental analysis). */
    public pkg: PackageIndex,
    readonly goVersion: GoVersion | null,
    readonly options: RuleOptions,
    lines?: LineIndex,
  ) {
    this.eol = eolOf(source);
    this.lines = lines;
  }

  /** Facts of the packages this file imports, by the name the file uses for each. */
  get imports(): ReadonlyMap<string, ImportedPackage> {
    noteImports();
    return this.importsMap;
  }

  set imports(m: ReadonlyMap<string, ImportedPackage>) {
    this.importsMap = m;
  }

  /** The whole file's tree: a rule that asks for it depends on more than its declaration. */
  get root(): Node {
    noteFileRead();
    return this.tree.rootNode;
  }

  /** The text `checkFile` rules search (see `region`). */
  get scanText(): string {
    return this.region ? this.source.slice(this.region.start, this.region.end) : this.source;
  }

  /** Where tree searches of `checkFile` rules look: the declaration of `region`, or the whole tree. */
  get searchRoot(): Node {
    return this.regionNode ?? this.root;
  }

  /** Whether the whole file contains `text` (a file-level question, e.g. an import path). */
  fileIncludes(text: string): boolean {
    const answer = this.source.includes(text);
    noteIncludes(text, answer);
    return answer;
  }

  /** Whether `pattern` (not global) matches somewhere in the whole file. */
  fileMatches(pattern: RegExp): boolean {
    const answer = pattern.test(this.source);
    noteIncludes(pattern, answer);
    return answer;
  }

  /** Offsets where `pattern` (global) matches in the searched text (see `region`). */
  *matchesIn(pattern: RegExp): Generator<RegExpMatchArray & { index: number }> {
    const base = this.region?.start ?? 0;
    for (const m of this.scanText.matchAll(pattern)) {
      m.index = m.index! + base;
      yield m as RegExpMatchArray & { index: number };
    }
  }

  /** The smallest node spanning [start, end) of the searched text. */
  nodeAt(start: number, end: number): Node | null {
    return unrecorded(() => this.tree.rootNode.descendantForIndex(start, end));
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
    for (const m of this.matchesIn(pattern)) {
      let n: Node | null = this.nodeAt(m.index, m.index + 1);
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
    const hit = this.memo.get(key);
    if (hit) {
      replay(hit.deps); // what computing it read, read again by whoever asks
      return hit.value as T;
    }
    const made = withOwnDeps(compute);
    this.memo.set(key, made);
    return made.value;
  }

  private lines?: LineIndex;
  /** 1-based line of an offset or node, for messages. */
  lineOf(at: number | Node): number {
    noteLines();
    this.lines ??= new LineIndex(this.source);
    return this.lines.lineOf(typeof at === 'number' ? at : at.startIndex) + 1;
  }
}

export function spanOf(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}
