// Facts one file exports to the rest of its package, and their union for a package.
// discarded-result-chan needs to know which functions of the package return a
// goroutine-fed unbuffered channel, wherever they are declared.
import type { Tree } from 'web-tree-sitter';
import { findResultChans, addBufferEdit } from './go/resultchan';
import { paramSends, type ParamSends } from './go/chans';
import { joinOwners, ownerFactOf, type Owner, type OwnerFact } from './go/owners';
import { endlessLoops } from './go/loops';
import { ctxParker } from './go/parkers';
import { ENDLESS, GO_STMT, MAKE_CHAN } from './go/hints';
import { field, funcKey, namedChildren, topLevel, type Node } from './go/syntax';
import type { LineIndex } from './positions';
import { checkBudget, withTreeIndex } from './go/tree-index';
import type { Fix, Span } from './types';

export interface ResultChanFunc {
  key: string;
  file: string;
  resultIndex: number;
  resultCount: number;
  make: Span;
  /** 1-based line of the make call, for messages. */
  line: number;
  /** The callee's own fix (make(chan T, 1)), with edits addressed to `file`. */
  fix: Fix | null;
}

export interface EndlessFunc {
  key: string;
  file: string;
  line: number;
  what: string;
  /** The loop's keyword, for a related location. */
  loop?: Span;
}

/** A function whose first result is a named type of its own package (`func NewX() *X`): calls to it make an X. */
export interface Constructor {
  key: string;
  type: string;
}

/** A function or method that parks a goroutine on the context its caller hands in (see go/parkers.ts). */
export interface CtxParker {
  key: string;
  file: string;
  /** 1-based line of the go statement, and its span. */
  line: number;
  go: Span;
  param: number | 'options';
}

export interface FileSummary {
  path: string;
  owners?: OwnerFact[];
  chanSenders?: ({ key: string } & ParamSends)[];
  packageName: string;
  resultChans: ResultChanFunc[];
  endless: EndlessFunc[];
  packageVars: string[];
  constructors: Constructor[];
  ctxParkers?: CtxParker[];
}

export function packageNameOf(root: Node): string {
  const clause = namedChildren(root).find((c) => c.type === 'package_clause');
  return clause?.namedChild(0)?.text ?? '';
}

/** What one top-level declaration contributes, with offsets and rows relative to its start. */
interface DeclFacts {
  vars: string[];
  ctor?: Constructor | null;
  owner?: OwnerFact | null;
  /** Positions of channel parameters the function sends on (go/chans.ts paramSends). */
  sends?: ({ key: string } & ParamSends) | null;
  parker?: { key: string; row: number; param: number | 'options'; go: Span } | null;
  resultChan: (Omit<ResultChanFunc, 'file' | 'make' | 'line' | 'fix'> & { make: Span; row: number; edit: { start: number; end: number; newText: string } | null }) | null;
  endless: { key: string; row: number; what: string; start: number; end: number } | null;
}

/**
 * Per-declaration facts by declaration text, so that re-summarising a file after an edit
 * only analyses the declarations that changed. Entries not used by the latest summary are dropped.
 */
export class SummaryCache {
  private entries = new Map<string, DeclFacts>();
  private used = new Map<string, DeclFacts>();
  /** Texts of the last summary's declarations in order, and of this one so far. */
  private order: string[] = [];
  private nextOrder: string[] = [];

  /**
   * Facts of the next declaration, whose text is `text`, if known, and the string to store
   * them under: declarations mostly come in the last summary's order, and comparing with the
   * one at the same place costs a memcmp where a lookup would hash every text on every edit.
   */
  lookup(text: string): { key: string; facts: DeclFacts | undefined } {
    const at = this.nextOrder.length;
    const key = at < this.order.length && this.order[at] === text ? this.order[at] : text;
    this.nextOrder.push(key);
    const facts = this.entries.get(key) ?? this.used.get(key);
    if (facts) this.used.set(key, facts);
    return { key, facts };
  }

  set(key: string, facts: DeclFacts): void {
    this.used.set(key, facts);
  }

  sweep(): void {
    this.entries = this.used;
    this.used = new Map();
    this.order = this.nextOrder;
    this.nextOrder = [];
  }
}

const NO_FACTS: DeclFacts = { vars: [], resultChan: null, endless: null };

function declFacts(decl: Node, text: string): DeclFacts {
  if (decl.type === 'var_declaration') {
    const vars: string[] = [];
    for (const spec of decl.descendantsOfType('var_spec')) for (const n of spec?.childrenForFieldName('name') ?? []) if (n) vars.push(n.text);
    return { vars, resultChan: null, endless: null };
  }
  if ((decl.type !== 'function_declaration' && decl.type !== 'method_declaration') || decl.hasError) return NO_FACTS;
  const ctor = constructorOf(decl);
  const facts = declChanFacts(decl, text);
  const parker = text.includes('.Done()') && GO_STMT.test(text) ? parkerOf(decl) : null;
  const owner = decl.type === 'method_declaration' || ctor ? ownerFactOf(decl, ctor?.type ?? null) : null;
  const key = text.includes('<-') && text.includes('chan') ? funcKey(decl) : null;
  const at = key ? paramSends(decl) : null;
  const sends = key && at && at.sync.length + at.async.length > 0 ? { key, ...at } : null;
  return ctor || parker || owner || sends ? { ...facts, ctor, parker, owner, sends } : facts;
}


function parkerOf(decl: Node): DeclFacts['parker'] {
  const key = funcKey(decl);
  const shape = key ? ctxParker(decl) : null;
  return shape && key ? { key, row: shape.go.startPosition.row - decl.startPosition.row, param: shape.param, go: { start: shape.go.startIndex - decl.startIndex, end: shape.go.startIndex - decl.startIndex + 2 } } : null;
}

/** `func F(...) *T` / `(T, error)` with T a plain type name of this package. */
function constructorOf(decl: Node): Constructor | null {
  if (decl.type !== 'function_declaration') return null;
  const name = field(decl, 'name')?.text;
  let result = field(decl, 'result');
  if (!name || !result) return null;
  if (result.type === 'parameter_list') {
    const first = namedChildren(result).find((c) => c.type === 'parameter_declaration');
    result = first ? field(first, 'type') : null;
  }
  if (result?.type === 'pointer_type') result = result.namedChild(0);
  return result?.type === 'type_identifier' ? { key: name, type: result.text } : null;
}

function declChanFacts(decl: Node, text: string): DeclFacts {
  const mayReturnChan = GO_STMT.test(text) && MAKE_CHAN.test(text);
  const mayLoop = ENDLESS.test(text);
  if (!mayReturnChan && !mayLoop) return NO_FACTS;
  const key = funcKey(decl);
  const body = field(decl, 'body');
  if (!key || !body) return NO_FACTS;
  const base = decl.startIndex;
  const row0 = decl.startPosition.row;
  const rc = mayReturnChan ? findResultChans(decl)[0] : undefined;
  const edit = rc?.oneSendPerPath ? addBufferEdit(rc.chan.make, '1') : null;
  const loop = mayLoop ? endlessLoops(body).find((l) => l.kind !== 'chan') : undefined;
  return {
    vars: [],
    resultChan: rc
      ? {
          key,
          resultIndex: rc.resultIndex,
          resultCount: rc.resultCount,
          make: { start: rc.chan.make.startIndex - base, end: rc.chan.make.endIndex - base },
          row: rc.chan.make.startPosition.row - row0,
          edit: edit ? { ...edit, start: edit.start - base, end: edit.end - base } : null,
        }
      : null,
    endless: loop ? { key, row: loop.node.startPosition.row - row0, what: loop.what, start: loop.node.startIndex - base, end: loop.node.endIndex - base } : null,
  };
}

export function summarize(path: string, tree: Tree, source: string, cache?: SummaryCache, lines?: LineIndex): FileSummary {
  // Parents from the tree index, so a deeply nested file stays linear (go/tree-index.ts).
  return withTreeIndex(tree, () => summarizeTree(path, tree, source, cache, lines));
}

const SUMMARISED = new Set(['var_declaration', 'function_declaration', 'method_declaration']);

function summarizeTree(path: string, tree: Tree, source: string, cache?: SummaryCache, lines?: LineIndex): FileSummary {
  const root = tree.rootNode;
  // With a cache (an open document, summarised after every edit) and its lines, declarations
  // are listed without a JavaScript object each, and made into nodes only when not cached.
  const listed = cache && lines ? topLevel(tree) : null;
  const clause = listed?.find((e) => e.type === 'package_clause');
  const packageName = !listed ? packageNameOf(root) : clause ? ((clause.node ??= root.namedChild(clause.index))?.namedChild(0)?.text ?? '') : '';
  const summary: FileSummary = { path, packageName, resultChans: [], endless: [], packageVars: [], constructors: [] };
  const decls = listed ?? namedChildren(root).map((n, index) => ({ start: n.startIndex, end: n.endIndex, type: n.type, node: n as Node | null, index }));
  let all: (Node | null)[] | null = null;
  for (const d of decls) {
    if (!SUMMARISED.has(d.type)) continue;
    checkBudget();
    const text = source.slice(d.start, d.end);
    // A tree with errors is not cached from: error recovery can read the same text differently.
    const found = cache?.lookup(text);
    if (found && root.hasError) found.facts = undefined;
    let facts = found?.facts;
    if (!facts) {
      const decl = (d.node ??= (all ??= root.namedChildren)[d.index])!;
      facts = declFacts(decl, text);
      if (found) cache!.set(found.key, facts);
    }
    const row0 = lines ? lines.lineOf(d.start) : d.node!.startPosition.row;
    summary.packageVars.push(...facts.vars);
    if (facts.ctor) summary.constructors.push(facts.ctor);
    if (facts.owner) (summary.owners ??= []).push(facts.owner);
    if (facts.sends) (summary.chanSenders ??= []).push(facts.sends);
    const base = d.start;
    if (facts.parker) (summary.ctxParkers ??= []).push({ key: facts.parker.key, file: path, line: facts.parker.row + row0 + 1, param: facts.parker.param, go: { start: facts.parker.go.start + base, end: facts.parker.go.end + base } });
    const rc = facts.resultChan;
    if (rc) {
      summary.resultChans.push({
        key: rc.key,
        file: path,
        resultIndex: rc.resultIndex,
        resultCount: rc.resultCount,
        make: { start: rc.make.start + base, end: rc.make.end + base },
        line: rc.row + row0 + 1,
        fix: rc.edit
          ? { kind: 'callee-add-buffer', title: `Buffer the channel in ${rc.key} (make(chan T, 1))`, edits: [{ start: rc.edit.start + base, end: rc.edit.end + base, newText: rc.edit.newText, file: path }] }
          : null,
      });
    }
    if (facts.endless) summary.endless.push({ key: facts.endless.key, file: path, line: facts.endless.row + row0 + 1, what: facts.endless.what, loop: { start: facts.endless.start + base, end: facts.endless.end + base } });
  }
  cache?.sweep();
  return summary;
}

export class PackageIndex {
  readonly resultChans = new Map<string, ResultChanFunc>();
  readonly endless = new Map<string, EndlessFunc>();
  readonly packageVars = new Set<string>();
  /** Constructor name → the type it makes. */
  readonly constructors = new Map<string, string>();
  readonly ctxParkers = new Map<string, CtxParker>();
  /** Types of the package that own long-running goroutines (go/owners.ts). */
  readonly owners: Map<string, Owner>;
  /** Function or method key → positions of channel parameters it sends on. */
  readonly chanSenders = new Map<string, ParamSends>();
  readonly packageName: string;

  static readonly empty = new PackageIndex([]);

  constructor(summaries: FileSummary[]) {
    this.packageName = summaries[0]?.packageName ?? '';
    this.owners = joinOwners(summaries.flatMap((s) => s.owners ?? []));
    for (const s of summaries) {
      for (const r of s.resultChans) this.resultChans.set(r.key, r);
      for (const e of s.endless) this.endless.set(e.key, e);
      for (const v of s.packageVars) this.packageVars.add(v);
      for (const c of s.constructors ?? []) this.constructors.set(c.key, c.type);
      for (const p of s.ctxParkers ?? []) this.ctxParkers.set(p.key, p);
      for (const c of s.chanSenders ?? []) this.chanSenders.set(c.key, { sync: c.sync, async: c.async });
    }
  }

  /** Methods named `name` on any type, for calls whose receiver type we could not resolve. */
  methodsNamed(name: string): ResultChanFunc[] {
    return [...this.resultChans.values()].filter((r) => r.key.endsWith(`.${name}`));
  }
}
