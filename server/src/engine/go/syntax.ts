// Small, allocation-light helpers over tree-sitter-go nodes.
import type { Node, Tree } from 'web-tree-sitter';
import { tableFor, tick } from './tree-index';
import { noteFileRead, unrecorded } from '../decl-deps';

export type { Node };

export const FUNC_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);
export const LOOP_TYPE = 'for_statement';

export function isFunc(n: Node | null | undefined): boolean {
  return !!n && FUNC_TYPES.has(n.type);
}

/**
 * Visits the named descendants of `root` in source order, without recursion (a
 * generated file can nest thousands of levels deep). `visit` returns false to
 * skip a node's children.
 */
export function walkNamed(root: Node, visit: (n: Node) => boolean | void): void {
  const cursor = root.walk();
  try {
    if (!cursor.gotoFirstChild()) return;
    let depth = 1;
    for (;;) {
      tick();
      let descend = false;
      if (cursor.nodeIsNamed) descend = visit(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (--depth === 0 || !cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Descendants of `root` of the given types, found by tree-sitter's own walk (much cheaper
 * than visiting every node from JavaScript). Unless `intoFuncLits`, nodes inside function
 * literals nested in `root` are left out.
 */
export function ofType(root: Node, types: string | string[], intoFuncLits = false): Node[] {
  const list = typeof types === 'string' ? [types] : types;
  if (intoFuncLits) return root.descendantsOfType(list).filter((n): n is Node => n !== null && n.id !== root.id);
  // During an analysis, one index per top-level declaration serves every function in it, so
  // asking for each of N nested literals' own nodes costs what they hold, not N times the nest.
  const { scope, value: own } = perDeclaration(root, `ofType:${list.join(',')}`, (d) => ownNodes(d, list));
  // Whose own nodes: root's if it is a literal, else those of the literal around it (0: none in the scope).
  const owner = root.id === scope.id ? 0 : root.type === 'func_literal' ? root.id : (nearestOfType(root, LITERAL, 'lit')?.id ?? 0);
  const nodes = own.get(owner) ?? [];
  const start = root.startIndex;
  const end = root.endIndex;
  const out: Node[] = [];
  for (let i = firstFrom(nodes, start); i < nodes.length && nodes[i].start <= end; i++) {
    const n = nodes[i];
    if (n.end <= end && n.node.id !== root.id && !(n.start === start && n.end === end && isAncestor(n.node, root))) out.push(n.node);
  }
  return out;
}

/** Index of the first item of `sorted` (by start) that starts at or after `start`. */
function firstFrom(sorted: readonly { start: number }[], start: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `a` is a proper ancestor of `n`, which has the same span (the only case a span test cannot tell). */
function isAncestor(a: Node, n: Node): boolean {
  for (let p = n.parent; p && p.startIndex === n.startIndex && p.endIndex === n.endIndex; p = p.parent) if (p.id === a.id) return true;
  return false;
}

/** Nodes of some types under a scope, in source order, by the innermost function literal holding each (0: none in the scope). */
type OwnNodes = Map<number, { node: Node; start: number; end: number }[]>;

const LITERAL = new Set(['func_literal']);

function ownNodes(scope: Node, types: string[]): OwnNodes {
  const wanted = new Set(types);
  const out: OwnNodes = new Map();
  const open: { id: number; start: number; end: number }[] = [];
  for (const n of scope.descendantsOfType([...types, 'func_literal'])) {
    if (!n || n.id === scope.id) continue;
    tick();
    const start = n.startIndex;
    const end = n.endIndex;
    // Source order: the literals still open are those that hold n (same span is not "inside").
    while (open.length) {
      const l = open[open.length - 1];
      if (l.start <= start && end <= l.end && !(l.start === start && l.end === end)) break;
      open.pop();
    }
    if (wanted.has(n.type)) {
      const owner = open.length ? open[open.length - 1].id : 0;
      let list = out.get(owner);
      if (!list) out.set(owner, (list = []));
      list.push({ node: n, start, end });
    }
    if (n.type === 'func_literal') open.push({ id: n.id, start, end });
  }
  return out;
}

/**
 * `build(scope)` for the top-level declaration holding `n`, made once per analysis under
 * `what` and shared by every question about that declaration; outside an analysis, made
 * afresh for `n` itself. Answers must then be narrowed to `n`'s span by the caller.
 */
export function perDeclaration<T>(n: Node, what: string, build: (scope: Node) => T): { scope: Node; value: T } {
  const table = tableFor<T>(n.tree, `decl:${what}`);
  if (!table) return { scope: n, value: build(n) };
  const scope = topLevelOf(n);
  if (scope.type === 'source_file') noteFileRead(); // an answer about the whole file
  let value = table.get(scope.id);
  if (value === undefined) table.set(scope.id, (value = build(scope)));
  return { scope, value };
}

/**
 * The comments right above a declaration (its doc comment), in order. For a top-level
 * declaration they are part of what the incremental analysis keys it by (TopLevelEntry.lead),
 * so reading them is not reading the rest of the file.
 */
export function leadingComments(decl: Node): Node[] {
  return unrecorded(() => {
    const out: Node[] = [];
    // A top-level declaration: the tree's top-level list knows its run of comments (`lead`);
    // stepping to siblings of the root would list all the root's children for every new tree.
    const list = decl.parent?.type === 'source_file' ? topLevel(decl.tree) : null;
    const i = list ? entryAt(list, decl.startIndex) : -1;
    if (list && i >= 0 && list[i].end === decl.endIndex && list[i].type === decl.type) {
      for (let j = i - 1; j >= 0 && list[j].start >= list[i].lead && list[j].type === 'comment'; j--) out.unshift((list[j].node ??= decl.tree.rootNode.namedChild(list[j].index))!);
      return out;
    }
    for (let c = decl.previousSibling; c?.type === 'comment'; c = c.previousSibling) out.unshift(c);
    return out;
  });
}

/** The index of the entry of `list` (in order, not overlapping) starting at `start`, or -1. */
function entryAt(list: readonly TopLevelEntry[], start: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start < start) lo = mid + 1;
    else if (list[mid].start > start) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** Top-level nodes by span; `node` is fetched when first needed (see seedTopLevel). */
export interface TopLevelEntry {
  start: number;
  end: number;
  /** Start of the comments right above the node (leadingComments), or `start`. */
  lead: number;
  type: string;
  node: Node | null;
  index: number;
  /** The child of the root right before this one is the previous entry, a comment (so `lead` runs on). */
  adj: boolean;
}

const topLevelLists = new WeakMap<Tree, TopLevelEntry[]>();

/**
 * The tree's top-level named nodes, by span, listed with a cursor (no JavaScript object per
 * node) once per tree. Entries' `node` is filled in by whoever needs it; do not change the rest.
 */
export function topLevel(tree: Tree): TopLevelEntry[] {
  const known = topLevelLists.get(tree);
  if (known) return known;
  const out: TopLevelEntry[] = [];
  const c = tree.walk();
  try {
    if (c.gotoFirstChild()) listSiblings(c, out, 0, -1, Infinity);
  } finally {
    c.delete();
  }
  topLevelLists.set(tree, out);
  return out;
}

/**
 * Lists the cursor's node and its next siblings into `out` (named ones, numbered from `index`)
 * until one starts at or after `stop`; `comments`: start of the run of comments just before.
 * Returns whether the cursor stopped on a node (left on it) rather than running out.
 */
function listSiblings(c: ReturnType<Tree['walk']>, out: TopLevelEntry[], index: number, comments: number, stop: number): boolean {
  do {
    const start = c.startIndex;
    if (start >= stop) return true;
    const type = c.nodeType;
    if (c.nodeIsNamed) out.push({ start, end: c.endIndex, lead: comments === -1 ? start : comments, type, node: null, index: index++, adj: comments !== -1 });
    if (type === 'comment') comments = comments === -1 ? start : comments;
    else comments = -1;
  } while (c.gotoNextSibling());
  return false;
}

/**
 * `topLevel(tree)` for a tree reparsed after `edit` from `old` (whose list is `before`), listing
 * with the cursor only the root's children in the region that changed: `changed` (the trees'
 * changed ranges) and the edit itself. Anything unexpected falls back to a full listing.
 */
export function topLevelAfterEdit(tree: Tree, before: readonly TopLevelEntry[], edit: { start: number; oldEnd: number; newEnd: number }, changed: readonly { startIndex: number; endIndex: number }[]): TopLevelEntry[] {
  const known = topLevelLists.get(tree);
  if (known) return known;
  const delta = edit.newEnd - edit.oldEnd;
  let lo = edit.start;
  let hi = edit.newEnd;
  for (const r of changed) {
    lo = Math.min(lo, r.startIndex);
    hi = Math.max(hi, r.endIndex);
  }
  // Entries wholly before `lo` are unchanged; those starting after `hi` (new offsets) moved by delta.
  let p = 0;
  while (p < before.length && before[p].end < lo && before[p].end <= edit.start) p++;
  let q = before.length;
  while (q > p && before[q - 1].start >= edit.oldEnd && before[q - 1].start + delta > hi) q--;
  // Copies: `node` belongs to the old tree.
  const out: TopLevelEntry[] = before.slice(0, p).map((b) => ({ ...b, node: null }));
  const root = tree.rootNode;
  const prev = p > 0 ? before[p - 1] : null;
  // The first named child of the root after the kept entries, then its siblings (anonymous ones
  // included). namedChild walks the children in C; firstChildForIndex misses some after edits.
  let n: Node | null = root.namedChild(p);
  if (n && prev && n.startIndex < prev.end) return topLevel(tree);
  // The run of comments just before: only if the previous child is the kept last entry, a comment.
  let comments = prev && prev.type === 'comment' && n && isSpan(n.previousSibling, prev) ? prev.lead : -1;
  const stop = q < before.length ? before[q].start + delta : Infinity;
  let index = p;
  for (; n && n.startIndex < stop; n = n.nextSibling) {
    const start = n.startIndex;
    const type = n.type;
    if (n.isNamed) out.push({ start, end: n.endIndex, lead: comments === -1 ? start : comments, type, node: null, index: index++, adj: comments !== -1 });
    if (type === 'comment') comments = comments === -1 ? start : comments;
    else comments = -1;
  }
  if (q < before.length) {
    if (!n || n.startIndex !== stop || !n.isNamed) return topLevel(tree);
    const last = out[out.length - 1];
    for (let i = q; i < before.length; i++) {
      const b = before[i];
      const start = b.start + delta;
      // The first moved entry's run of comments may now start (or stop) in the relisted part.
      const adj = i === q ? !!last && last.type === 'comment' && isSpan(n.previousSibling, last) : b.adj;
      out.push({ start, end: b.end + delta, lead: adj ? out[out.length - 1].lead : start, type: b.type, node: null, index: out.length, adj });
    }
  }
  topLevelLists.set(tree, out);
  return out;
}

/** `n` is the node `e` spans. */
function isSpan(n: Node | null, e: TopLevelEntry): boolean {
  return !!n && n.startIndex === e.start && n.endIndex === e.end;
}

/** The tree's list of top-level entries if it is known already (topLevel or topLevelAfterEdit ran). */
export function knownTopLevel(tree: Tree): TopLevelEntry[] | undefined {
  return topLevelLists.get(tree);
}

/**
 * Gives the current analysis of `tree` its list of top-level named nodes (the incremental
 * analysis has it already, and listing them costs the size of the file).
 */
export function seedTopLevel(tree: Tree, entries: TopLevelEntry[]): void {
  tableFor<TopLevelEntry[]>(tree, 'topLevel')?.set(0, entries);
}

/** The top-level declaration holding `n` (or the root itself, for nodes outside any). */
function topLevelOf(n: Node): Node {
  const root = n.tree.rootNode;
  const table = tableFor<TopLevelEntry[]>(n.tree, 'topLevel')!;
  let decls = table.get(0);
  if (!decls) {
    decls = unrecorded(() => root.namedChildren.filter((c): c is Node => c !== null).map((c, index) => ({ start: c.startIndex, end: c.endIndex, lead: c.startIndex, type: c.type, node: c, index, adj: false })));
    table.set(0, decls);
  }
  const start = n.startIndex;
  let lo = 0;
  let hi = decls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (decls[mid].start <= start) lo = mid;
    else hi = mid - 1;
  }
  const d = decls[lo];
  if (!(d && d.start <= start && n.endIndex <= d.end)) return root;
  return (d.node ??= unrecorded(() => root.namedChild(d.index))!);
}

/**
 * Identifiers (or package identifiers) spelled `name` inside `root` (nested function literals
 * included), in source order. During an analysis one index of a top-level declaration's
 * identifiers answers every question about it, so "does this goroutine mention ctx?" asked of
 * N nested goroutines costs N lookups, not N walks of the nest.
 */
export function identifiersIn(root: Node, name: string, type: 'identifier' | 'package_identifier' = 'identifier'): Node[] {
  const { value: byName } = perDeclaration(root, type, (scope) => {
    const out = new Map<string, { node: Node; start: number; end: number }[]>();
    for (const n of scope.descendantsOfType(type)) {
      if (!n) continue;
      tick();
      const text = n.text;
      let list = out.get(text);
      if (!list) out.set(text, (list = []));
      list.push({ node: n, start: n.startIndex, end: n.endIndex });
    }
    return out;
  });
  const list = byName.get(name) ?? [];
  const end = root.endIndex;
  const out: Node[] = [];
  for (let i = firstFrom(list, root.startIndex); i < list.length && list[i].start <= end; i++) if (list[i].end <= end && list[i].node.id !== root.id) out.push(list[i].node);
  return out;
}

/**
 * How many nodes of `types` inside `root` (nested literals included, `root` itself not) have
 * `name` among `namesOf(node)`. During an analysis the names are listed once per top-level
 * declaration (under `what`, which stands for the pair types/namesOf), so asking "is x declared
 * in this loop?" of each of N nested loops does not walk the nest N times.
 */
export function countNaming(root: Node, what: string, types: string[], namesOf: (n: Node) => string[], name: string, range?: { start: number; end: number }): number {
  const { value: byName } = perDeclaration(root, `naming:${what}`, (scope) => {
    const out = new Map<string, { start: number; id: number }[]>();
    for (const n of ofType(scope, types, true)) {
      tick();
      const at = { start: n.startIndex, id: n.id };
      for (const x of namesOf(n)) {
        const list = out.get(x);
        if (list) list.push(at);
        else out.set(x, [at]);
      }
    }
    return out;
  });
  const list = byName.get(name) ?? [];
  const end = range?.end ?? root.endIndex;
  let count = 0;
  for (let i = firstFrom(list, range?.start ?? root.startIndex); i < list.length && list[i].start < end; i++) if (list[i].id !== root.id) count++;
  return count;
}

/** Named descendants of `root`, skipping the insides of nested function literals unless asked. */
export function collect(root: Node, pred: (n: Node) => boolean, intoFuncLits = false): Node[] {
  const out: Node[] = [];
  walkNamed(root, (n) => {
    if (pred(n)) out.push(n);
    return intoFuncLits || n.type !== 'func_literal';
  });
  return out;
}

export function some(root: Node, pred: (n: Node) => boolean, intoFuncLits = false): boolean {
  let found = false;
  walkNamed(root, (n) => {
    if (found) return false;
    if (pred(n)) {
      found = true;
      return false;
    }
    return intoFuncLits || n.type !== 'func_literal';
  });
  return found;
}

export function namedChildren(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null);
}

export function field(n: Node | null | undefined, name: string): Node | null {
  return n ? n.childForFieldName(name) : null;
}

/** The innermost enclosing function (declaration, method or literal). */
export function enclosingFunc(n: Node): Node | null {
  return nearestOfType(n, FUNC_TYPES, 'func');
}

/**
 * The nearest proper ancestor of `n` whose type is in `types`. During an analysis the answer
 * is remembered (in the table `memo`, one per set of types) for every node on the way up, so
 * asking from each of N nested nodes costs N, not N times the depth.
 */
export function nearestOfType(n: Node, types: ReadonlySet<string>, memo: string): Node | null {
  const table = tableFor<Node | null>(n.tree, `nearest:${memo}`);
  if (!table) {
    for (let p = n.parent; p; p = p.parent) if (types.has(p.type)) return p;
    return null;
  }
  const pending: number[] = [];
  let found: Node | null = null;
  for (let c: Node = n; ; ) {
    const known = table.get(c.id);
    if (known !== undefined) {
      found = known;
      break;
    }
    pending.push(c.id);
    const p = c.parent;
    if (!p || types.has(p.type)) {
      found = p;
      break;
    }
    c = p;
  }
  for (const id of pending) table.set(id, found);
  return found;
}

/** The outermost function around `n` (`n` itself when it is a function nothing holds); remembered per analysis. */
export function outermostFunc(n: Node): Node | null {
  const table = tableFor<Node>(n.tree, 'outermost');
  const chain: Node[] = [];
  let top: Node | null = null;
  for (let f = FUNC_TYPES.has(n.type) ? n : enclosingFunc(n); f; f = enclosingFunc(f)) {
    const known = table?.get(f.id);
    if (known) {
      top = known;
      break;
    }
    chain.push(f);
    top = f;
  }
  for (const f of chain) table?.set(f.id, top!);
  return top;
}

/**
 * `pred` holds for `fn` or for a function around it. Remembered per analysis under `memo` for
 * every function on the way, so asking from each of N nested literals costs N, not N².
 */
export function holdsAround(fn: Node, memo: string, pred: (f: Node) => boolean): boolean {
  const table = tableFor<boolean>(fn.tree, `around:${memo}`);
  const chain: Node[] = [];
  let acc = false;
  for (let f: Node | null = fn; f; f = enclosingFunc(f)) {
    const known = table?.get(f.id);
    if (known !== undefined) {
      acc = known;
      break;
    }
    chain.push(f);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    acc = acc || pred(chain[i]);
    table?.set(chain[i].id, acc);
  }
  return acc;
}

/** True if `inner` lies within `outer` (or is it). */
export function within(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** Ancestors of `n` up to (not including) `stop`. */
export function* ancestors(n: Node, stop: Node | null): Generator<Node> {
  for (let p = n.parent; p && (!stop || p.id !== stop.id); p = p.parent) yield p;
}

const LOOP_OR_LITERAL = new Set([LOOP_TYPE, 'func_literal']);

/** The innermost for loop around `n` in its own function (null when a function literal comes first). */
export function enclosingLoop(n: Node): Node | null {
  const a = nearestOfType(n, LOOP_OR_LITERAL, 'loop');
  return a?.type === LOOP_TYPE ? a : null;
}

/** A for loop holds `n` below `stop` (an ancestor of n, or null), with no function literal in between. */
export function isInsideLoop(n: Node, stop: Node | null): boolean {
  const a = nearestOfType(n, LOOP_OR_LITERAL, 'loop');
  if (!a || a.type !== LOOP_TYPE) return false;
  // Walking up from n stops at `stop`: the loop counts only when it lies below it.
  return !stop || stop.id === n.id || !within(n, stop) || (a.id !== stop.id && within(a, stop));
}

/**
 * The channel a select case works on, unparenthesised: what `case ch <- v` sends on
 * (`sends: true`), what `case <-ch` and `case v, ok := <-ch` receive from. tree-sitter-go gives
 * every case's communication as a send_statement or a receive_statement. Null for a default case.
 */
export function caseChannel(c: Node): { chan: Node; sends: boolean } | null {
  if (c.type !== 'communication_case') return null;
  const comm = field(c, 'communication');
  if (comm?.type === 'send_statement') {
    const chan = unparen(field(comm, 'channel'));
    return chan ? { chan, sends: true } : null;
  }
  const recv = comm?.type === 'receive_statement' ? unparen(field(comm, 'right')) : null;
  const chan = recv?.type === 'unary_expression' ? unparen(field(recv, 'operand')) : null;
  return chan ? { chan, sends: false } : null;
}

/** The channel a select case receives from (see caseChannel); null for a send case or default. */
export function receivedChannel(c: Node): Node | null {
  const cc = caseChannel(c);
  return cc && !cc.sends ? cc.chan : null;
}

export function unparen(n: Node | null): Node | null {
  while (n && n.type === 'parenthesized_expression') n = n.namedChild(0);
  return n;
}

/** `<-x` */
export function isReceive(n: Node): boolean {
  return n.type === 'unary_expression' && field(n, 'operator')?.type === '<-';
}

export function callee(call: Node): Node | null {
  return call.type === 'call_expression' ? field(call, 'function') : null;
}

/** "make", "close", "time.NewTimer", "wg.Add", or null for complex callees. */
export function calleeName(call: Node): string | null {
  const f = unparen(callee(call));
  if (!f) return null;
  if (f.type === 'identifier') return f.text;
  if (f.type === 'selector_expression') {
    const op = field(f, 'operand');
    const fld = field(f, 'field');
    if (op && fld) return `${op.text}.${fld.text}`;
  }
  return null;
}

export function callArgs(call: Node): Node[] {
  const args = field(call, 'arguments');
  return args ? namedChildren(args).filter((a) => a.type !== 'comment') : [];
}

/** The statement that holds `n` directly inside a statement_list, if any. */
export function statementOf(n: Node): Node | null {
  for (let c: Node | null = n; c; c = c.parent) {
    if (c.parent?.type === 'statement_list') return c;
    if (FUNC_TYPES.has(c.type) && c.id !== n.id) return null;
  }
  return null;
}

/** Leading white space of the line containing `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

/** The line terminator the file uses ("\r\n" if its first line ends so). */
export function eolOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** Start of the line containing `offset`. */
/** Start of the line `n` begins, when only indentation precedes it there; else null. */
export function startsLine(text: string, n: Node): number | null {
  const start = lineStartOf(text, n.startIndex);
  return text.slice(start, n.startIndex).trim() === '' ? start : null;
}

/** The last part of a path, whichever separator it uses (messages name files this way). */
export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The span that removes a statement: its whole line(s) with the line break when it
 * stands alone, or just the statement when a trailing comment follows (the comment stays).
 */
export function wholeLineSpan(text: string, stmt: Node): { start: number; end: number } | null {
  const start = lineStartOf(text, stmt.startIndex);
  if (text.slice(start, stmt.startIndex).trim() !== '') return null;
  let end = stmt.endIndex;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text.startsWith('//', end)) return { start: stmt.startIndex, end };
  if (text[end] === '\r') end++;
  if (text[end] !== '\n') return null;
  return { start, end: end + 1 };
}

/** Names of the parameters of a function node, in order, with their type nodes. */
export function params(fn: Node, which: 'parameters' | 'result' | 'receiver' = 'parameters'): { name: string | null; nameNode: Node | null; type: Node; decl: Node }[] {
  const list = field(fn, which);
  if (!list || list.type !== 'parameter_list') return [];
  const out: { name: string | null; nameNode: Node | null; type: Node; decl: Node }[] = [];
  for (const decl of namedChildren(list)) {
    if (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration') continue;
    const type = field(decl, 'type');
    if (!type) continue;
    const names = decl.childrenForFieldName('name').filter((x): x is Node => x !== null);
    if (names.length === 0) out.push({ name: null, nameNode: null, type, decl });
    for (const nm of names) out.push({ name: nm.text, nameNode: nm, type, decl });
  }
  return out;
}

/** Number of results a function returns. */
export function resultCount(fn: Node): number {
  const r = field(fn, 'result');
  if (!r) return 0;
  if (r.type !== 'parameter_list') return 1;
  return params(fn, 'result').length;
}

export function typeText(t: Node | null): string {
  return t ? t.text.replace(/\s+/g, ' ') : '';
}

/** The identifier a simple left-hand side names, or null. */
export function identText(n: Node | null): string | null {
  n = unparen(n);
  return n && n.type === 'identifier' ? n.text : null;
}

/** For a function declaration or method, the key used in the package index: "F" or "T.M". */
export function funcKey(fn: Node): string | null {
  const name = field(fn, 'name');
  if (!name) return null;
  if (fn.type === 'function_declaration') return name.text;
  if (fn.type !== 'method_declaration') return null;
  const recv = params(fn, 'receiver')[0];
  const base = recv ? receiverTypeName(recv.type) : null;
  return base ? `${base}.${name.text}` : null;
}

/** The receiver's type name of a method declaration (`func (s *Server[T]) ...` → Server); null for a function. */
export function methodReceiverType(decl: Node): string | null {
  const recv = params(decl, 'receiver')[0];
  return recv ? receiverTypeName(recv.type) : null;
}

export function receiverTypeName(t: Node): string | null {
  let n: Node | null = t;
  while (n && (n.type === 'pointer_type' || n.type === 'parenthesized_type')) n = n.namedChild(0);
  if (n?.type === 'generic_type') n = field(n, 'type');
  return n && n.type === 'type_identifier' ? n.text : null;
}

/** Package-qualified type check, e.g. isQualified(t, 'sync', 'WaitGroup'). */
export function isQualified(t: Node | null, pkg: string, name: string): boolean {
  return !!t && t.type === 'qualified_type' && field(t, 'package')?.text === pkg && field(t, 'name')?.text === name;
}

export function isPointerTo(t: Node | null, pkg: string, name: string): boolean {
  return !!t && t.type === 'pointer_type' && isQualified(t.namedChild(0), pkg, name);
}

/** The call a go or defer statement makes. */
export function stmtCall(stmt: Node): Node | null {
  const c = stmt.namedChild(0);
  return c && c.type === 'call_expression' ? c : null;
}

/** The function literal a go statement starts (`go func() {...}()`), or null. */
export function goLiteral(goStmt: Node | null): Node | null {
  if (!goStmt) return null;
  const fn = unparen(field(stmtCall(goStmt), 'function'));
  return fn && fn.type === 'func_literal' ? fn : null;
}

/** End of the line containing `offset`, before its line break (after any trailing comment). */
export function lineEndOf(text: string, offset: number): number {
  let nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  if (nl > 0 && text[nl - 1] === '\r') nl--;
  return nl;
}

/**
 * Where goroutine findings point: the go statement's first line (`go func() {`,
 * `go w.run(ctx)`), without trailing blanks, so that the squiggle is easy to see and hover.
 */
export function goKeyword(go: Node, source: string): { start: number; end: number } {
  // From the source, not go.text: a go statement's text holds every goroutine nested in it.
  let end = Math.min(go.endIndex, lineEndOf(source, go.startIndex));
  while (end > go.startIndex + 2 && /\s/.test(source[end - 1])) end--;
  return { start: go.startIndex, end: Math.max(end, go.startIndex + 2) };
}
