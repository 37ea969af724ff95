// Channel flow inside one function: which local channels are made, who sends,
// who receives, whether they escape. Shared by the channel rules and the package index.
import {
  calleeName,
  callArgs,
  countNaming,
  ofType,
  field,
  identifiersIn,
  isReceive,
  namedChildren,
  params,
  statementOf,
  unparen,
  type Node,
} from './syntax';
import { closureBoundTo } from './scope';

export type UseKind = 'send' | 'recv' | 'range' | 'close' | 'return' | 'lenCap' | 'escape';

export interface ChanUse {
  kind: UseKind;
  /** The send_statement, the `<-x` unary, the range_clause, the return_statement, or the identifier. */
  node: Node;
  /** The go statement (directly in the function) whose goroutine performs this use; null for the function itself. */
  goStmt: Node | null;
  /** Inside a closure that is not a goroutine (deferred, callback): when it runs is unknown. */
  inClosure: boolean;
  /**
   * With `{ callbacks: true }`: inside a function literal handed to someone else (a call's
   * argument, stored in a field, map or struct literal), which then runs it on its own
   * goroutine at a time of its choosing; goStmt is the statement that hands it over.
   */
  callback?: Node;
  /** For send/recv: the select statement whose case this is, when another case could be taken instead. */
  leavingSelect: Node | null;
}

export interface LocalChan {
  name: string;
  fn: Node;
  make: Node;
  /** The statement declaring the channel. */
  decl: Node;
  /** Literal capacity, 0 when unbuffered, null when not a literal. */
  capacity: number | null;
  uses: ChanUse[];
}

/** `make(chan T[, n])` → capacity (0 if none, null if not a literal); undefined if not a channel make. */
export function chanMakeCapacity(call: Node): number | null | undefined {
  if (call.type !== 'call_expression' || calleeName(call) !== 'make') return undefined;
  const args = callArgs(call);
  if (args[0]?.type !== 'channel_type') return undefined;
  if (args.length < 2) return 0;
  const cap = unparen(args[1]);
  return cap && cap.type === 'int_literal' ? Number(cap.text.replace(/_/g, '')) : null;
}

export interface ChanOptions {
  /** Treat a literal handed to someone else (a callback, a hook) like a goroutine (see ChanUse.callback). */
  callbacks?: boolean;
  /** What the function a call reaches does with the channels it is given (see paramSends). */
  sendsAt?: (call: Node) => ParamSends | undefined;
  /**
   * Follow a channel passed to a closure bound to a local (`wait := func(c chan T) {…}`;
   * `wait(ch)`): the call runs the closure's body on the caller's goroutine (or on a new one
   * with `go wait(ch)`), so its uses of the parameter are the caller's.
   */
  localCalls?: boolean;
}

/** Positions of a function's channel parameters it sends on: directly, or only from goroutines/callbacks it starts. */
export interface ParamSends {
  sync: number[];
  async: number[];
}

/**
 * The positions of `fn`'s channel parameters that it sends on with a send that can block
 * (not a select case with another way out), and that it neither receives from, closes nor
 * hands on: a caller passing an unbuffered channel there has a sender in this call. `async`
 * when every such send is in a goroutine or a callback the function starts or hands over:
 * then the call returns while the send is still to come, as a `go` statement would.
 */
export function paramSends(fn: Node): ParamSends {
  const body = field(fn, 'body');
  const out: ParamSends = { sync: [], async: [] };
  if (!body) return out;
  params(fn).forEach((p, i) => {
    if (!p.name || p.name === '_' || p.type.type !== 'channel_type' || /^<-/.test(p.type.text)) return;
    const uses: ChanUse[] = [];
    usesIn(body, p.name, null, null, uses, 0, { callbacks: true });
    if (uses.some((u) => u.kind !== 'send' && u.kind !== 'lenCap')) return;
    const blocking = uses.filter((u) => u.kind === 'send' && !u.leavingSelect && !u.inClosure);
    if (blocking.length === 0) return;
    (blocking.every((u) => u.goStmt) ? out.async : out.sync).push(i);
  });
  return out;
}

/** Local channels made directly in `fn` (not in nested literals), with all their uses. */
export function localChans(fn: Node, opts: ChanOptions = {}): LocalChan[] {
  const body = field(fn, 'body');
  if (!body) return [];
  const out: LocalChan[] = [];
  const makes = ofType(body, 'call_expression').filter((n) => n.text.startsWith('make') && chanMakeCapacity(n) !== undefined);
  for (const make of makes) {
    const bound = boundName(make);
    if (!bound) continue;
    // A name declared more than once is followed only inside its own block, from the
    // declaration on, when no other declaration of it lies there.
    const within = countDeclarations(fn, body, bound.name) === 1 ? undefined : blockScope(fn, bound.name, bound.decl);
    if (within === null) continue;
    const uses: ChanUse[] = [];
    usesIn(body, bound.name, null, bound.decl, uses, 0, opts, within);
    out.push({ name: bound.name, fn, make, decl: bound.decl, capacity: chanMakeCapacity(make) ?? null, uses });
  }
  return out;
}

/** The variable a make call is bound to: `x := make(...)`, `var x = make(...)`, `x = make(...)`. */
function boundName(make: Node): { name: string; decl: Node } | null {
  const list = make.parent;
  if (!list || list.type !== 'expression_list') return null;
  const stmt = list.parent;
  if (!stmt) return null;
  const index = namedChildren(list).findIndex((c) => c.id === make.id);
  if (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement') {
    if (field(stmt, 'right')?.id !== list.id) return null;
    const lhs = field(stmt, 'left');
    const target = lhs ? namedChildren(lhs)[index] : null;
    return target?.type === 'identifier' && target.text !== '_' ? { name: target.text, decl: stmt } : null;
  }
  if (stmt.type === 'var_spec') {
    const names = stmt.childrenForFieldName('name').filter((x): x is Node => x !== null);
    const target = names[index];
    const declStmt = stmt.parent?.type === 'var_declaration' ? stmt.parent : stmt;
    return target ? { name: target.text, decl: declStmt } : null;
  }
  return null;
}

/** How many times `name` is declared in fn (params, :=, var, range), nested literals included. Shadowed names are left alone. */
function countDeclarations(fn: Node, body: Node, name: string): number {
  let n = 0;
  for (const p of params(fn)) if (p.name === name) n++;
  for (const p of params(fn, 'result')) if (p.name === name) n++;
  // Counted from an index of the declaration's names: a function making N channels, or N
  // nested literals making one each, would otherwise walk their bodies N times.
  return n + countNaming(body, 'declares', DECLARING, declaredNames, name);
}

const DECLARING = ['short_var_declaration', 'range_clause', 'receive_statement', 'var_spec', 'const_spec'];

/** The names a declaration (:=, var, const, range and receive with :=) declares. */
function declaredNames(node: Node): string[] {
  if (node.type === 'var_spec' || node.type === 'const_spec') return node.childrenForFieldName('name').flatMap((c) => (c ? [c.text] : []));
  const lhs = field(node, 'left');
  const isDefine = node.type === 'short_var_declaration' || node.text.includes(':=');
  return lhs && isDefine ? namedChildren(lhs).flatMap((c) => (c.type === 'identifier' ? [c.text] : [])) : [];
}

/** Collects the uses of `name` in `scope`, following it into goroutine literals that take it as an argument. */
/** From a `:=` or `var` declaration to the end of its block, or null when that is not a clean scope for `name`. */
function blockScope(fn: Node, name: string, decl: Node): { start: number; end: number } | null {
  if (decl.type !== 'short_var_declaration' && decl.type !== 'var_declaration') return null;
  if ((['parameters', 'result', 'receiver'] as const).some((w) => params(fn, w).some((p) => p.name === name))) return null;
  const block = decl.parent;
  if (block?.type !== 'statement_list' && block?.type !== 'block') return null;
  // Another declaration of the name after it in the block (nested ones too) and the scope is
  // not clean: a range query on the declaration index, not a walk of the block.
  const range = { start: decl.endIndex, end: block.endIndex };
  if (countNaming(block, 'declares', DECLARING, declaredNames, name, range) > 0) return null;
  return { start: decl.startIndex, end: block.endIndex };
}

function usesIn(scope: Node, name: string, goStmt: Node | null, decl: Node | null, out: ChanUse[], depth: number, opts: ChanOptions, within?: { start: number; end: number }): void {
  if (depth > 8) return;
  const ids = within ? identifiersIn(scope, name).filter((n) => n.startIndex >= within.start && n.endIndex <= within.end) : identifiersIn(scope, name);
  if (ids.length === 0) return;
  // Literals whose own parameter shadows the name (found from the name's identifiers, not by
  // looking at every literal in scope).
  const shadows = ids
    .map(paramLiteral)
    .map((l) => field(l, 'body'))
    .filter((b): b is Node => b !== null);
  let literals: Node[] | undefined;
  for (const n of ids) {
    if (shadows.some((b) => n.startIndex >= b.startIndex && n.endIndex <= b.endIndex)) continue;
    if (n.parent?.type === 'parameter_declaration' && paramLiteral(n)) continue; // the shadowing parameter itself
    if (decl && n.startIndex >= decl.startIndex && n.endIndex <= decl.endIndex && isDeclTarget(n, decl)) continue;
    const { go, closure, callback } = executor(n, (literals ??= ofType(scope, 'func_literal')), goStmt, opts);
    const use = classify(n, name, go, closure, out, depth, opts);
    if (use) out.push(callback ? { ...use, callback } : use);
  }
}

/** The function literal that declares `id` as one of its parameters, or null. */
function paramLiteral(id: Node): Node | null {
  const decl = id.parent;
  if (decl?.type !== 'parameter_declaration' && decl?.type !== 'variadic_parameter_declaration') return null;
  if (!field(decl, 'type') || !decl.childrenForFieldName('name').some((c) => c?.id === id.id)) return null;
  const list = decl.parent;
  const lit = list?.parent;
  return lit?.type === 'func_literal' && field(lit, 'parameters')?.id === list!.id ? lit : null;
}

function isDeclTarget(id: Node, decl: Node): boolean {
  const lhs = field(decl, 'left');
  if (lhs && id.parent?.id === lhs.id) return true;
  return id.parent?.type === 'var_spec';
}

/**
 * Which goroutine runs the code at `n`, and whether it is in some other closure, from the
 * outermost function literal around `n` in the scope (`literals`: the scope's own literals,
 * which do not overlap, in source order; found by binary search, not by walking up from `n`).
 */
function executor(n: Node, literals: Node[], goStmt: Node | null, opts: ChanOptions): { go: Node | null; closure: boolean; callback?: Node } {
  let go = goStmt;
  let closure = false;
  let callback: Node | undefined;
  let lo = 0;
  let hi = literals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (literals[mid].startIndex <= n.startIndex) lo = mid + 1;
    else hi = mid;
  }
  const last = lo > 0 ? literals[lo - 1] : null;
  const outermost = last && n.endIndex <= last.endIndex ? last : null;
  if (outermost) {
    const call = outermost.parent;
    if (call?.type === 'call_expression' && call.parent?.type === 'go_statement' && field(call, 'function')?.id === outermost.id) {
      go ??= call.parent;
    } else if (!goStmt) {
      const handedOver = opts.callbacks ? handOver(outermost) : null;
      if (handedOver) {
        go = handedOver;
        callback = outermost;
      } else closure = true;
    }
  }
  return { go, closure, callback };
}

/**
 * The statement that hands the literal to someone else to run later: `x.On(func() {...})` (an
 * argument, not deferred or started with go), `w.hook = func() {...}` or `m[k] = func...`, or a
 * keyed field of a composite literal (`Options{OnDone: func() {...}}`). Null otherwise.
 */
function handOver(lit: Node): Node | null {
  const p = lit.parent;
  let stmt: Node | null = null;
  if (p?.type === 'argument_list') {
    const call = p.parent;
    if (call?.type !== 'call_expression' || call.parent?.type === 'defer_statement' || call.parent?.type === 'go_statement') return null;
    stmt = call;
  } else if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && field(p.parent, 'right')?.id === p.id) {
    const i = namedChildren(p).findIndex((x) => x.id === lit.id);
    const target = namedChildren(field(p.parent, 'left')!)[i];
    if (target?.type !== 'selector_expression' && target?.type !== 'index_expression') return null;
    stmt = p.parent;
  } else if (p?.type === 'literal_element' && p.parent?.type === 'keyed_element') {
    stmt = p.parent;
  } else return null;
  while (stmt && !/_statement$|^short_var_declaration$|^var_declaration$/.test(stmt.type)) stmt = stmt.parent;
  return stmt && stmt.type !== 'defer_statement' && stmt.type !== 'go_statement' ? stmt : null;
}

function classify(id: Node, name: string, go: Node | null, closure: boolean, out: ChanUse[], depth: number, opts: ChanOptions): ChanUse | null {
  let p = id.parent;
  let child: Node = id;
  while (p && p.type === 'parenthesized_expression') {
    child = p;
    p = p.parent;
  }
  const base = { goStmt: go, inClosure: closure, leavingSelect: null as Node | null };
  if (!p) return { kind: 'escape', node: id, ...base };
  if (p.type === 'var_spec' && p.childrenForFieldName('name').some((x) => x?.id === id.id)) return null; // `var ch chan T`
  if (p.type === 'expression_list' && p.parent?.type === 'assignment_statement' && field(p.parent, 'left')?.id === p.id) {
    const i = namedChildren(p).findIndex((x) => x.id === child.id);
    const value = namedChildren(field(p.parent, 'right')!)[i];
    if (value && chanMakeCapacity(value) !== undefined) return null; // `ch = make(chan T)`
  }
  if (p.type === 'send_statement' && field(p, 'channel')?.id === child.id) {
    return { kind: 'send', node: p, ...base, leavingSelect: leavingSelectOf(p, name) };
  }
  if (isReceive(p)) return { kind: 'recv', node: p, ...base, leavingSelect: leavingSelectOf(p, name) };
  if (p.type === 'range_clause' && field(p, 'right')?.id === child.id) return { kind: 'range', node: p, ...base };
  if (p.type === 'expression_list' && p.parent?.type === 'return_statement') return { kind: 'return', node: p.parent, ...base };
  if (p.type === 'argument_list' && p.parent?.type === 'call_expression') {
    const call = p.parent;
    const fname = calleeName(call);
    if (fname === 'close') return { kind: 'close', node: call, ...base };
    if (fname === 'len' || fname === 'cap') return { kind: 'lenCap', node: call, ...base };
    const fn = field(call, 'function');
    const sendsAt = opts.sendsAt?.(call);
    if (sendsAt) {
      const i = callArgs(call).findIndex((a) => a.id === child.id);
      // A callee that sends from a goroutine it starts: the call is a go statement of sorts.
      if (sendsAt.async.includes(i) && !closure) return { kind: 'send', node: call, ...base, goStmt: go ?? statementOf(call), inClosure: false };
      if (sendsAt.sync.includes(i) && go) return { kind: 'send', node: call, ...base };
      // go f(ch): the callee's own send runs on the goroutine this statement starts.
      if (sendsAt.sync.includes(i) && call.parent?.type === 'go_statement' && !closure) return { kind: 'send', node: call, ...base, goStmt: call.parent };
    }
    if (fn?.type === 'func_literal' && call.parent?.type === 'go_statement') {
      // go func(out chan T) { ... }(ch): follow the parameter.
      const index = callArgs(call).findIndex((a) => a.id === child.id);
      const param = params(fn)[index];
      const body = field(fn, 'body');
      if (param?.name && body && param.type.type === 'channel_type') {
        usesIn(body, param.name, go ?? call.parent, null, out, depth + 1, opts);
        return null;
      }
    }
    if (opts.localCalls && !closure && fn?.type === 'identifier' && call.parent?.type !== 'defer_statement') {
      const lit = closureBoundTo(call, fn.text);
      const index = callArgs(call).findIndex((a) => a.id === child.id);
      const param = lit ? params(lit)[index] : undefined;
      const body = lit ? field(lit, 'body') : null;
      if (param?.name && body && param.type.type === 'channel_type') {
        usesIn(body, param.name, call.parent?.type === 'go_statement' ? go ?? call.parent : go, null, out, depth + 1, opts);
        return null;
      }
    }
  }
  return { kind: 'escape', node: id, ...base };
}

/**
 * If `op` (a send statement or a receive) is the communication of a select case,
 * and the select has another case that does not involve the same channel, that select.
 */
function leavingSelectOf(op: Node, name: string): Node | null {
  let c: Node | null = op;
  if (c.parent?.type === 'receive_statement') c = c.parent;
  const cas = c.parent;
  if (!cas || cas.type !== 'communication_case' || field(cas, 'communication')?.id !== c.id) return null;
  const sel = cas.parent;
  if (!sel || sel.type !== 'select_statement') return null;
  for (const other of namedChildren(sel)) {
    if (other.id === cas.id) continue;
    if (other.type === 'default_case') return sel;
    if (other.type !== 'communication_case') continue;
    const comm = field(other, 'communication');
    if (comm && !mentionsChannel(comm, name)) return sel;
  }
  return null;
}

function mentionsChannel(comm: Node, name: string): boolean {
  const target = comm.type === 'send_statement' ? field(comm, 'channel') : unparen(field(comm, 'right'))?.namedChild(0) ?? null;
  return unparen(target)?.text === name;
}
