// "Does the function wait for this goroutine on every path to its return?" A wait is a
// statement that blocks until the goroutine has signalled: a receive from (or a range over)
// a channel it sends on or closes, or a `.Wait()` call. A select counts only on the cases
// whose communication is such a receive, so a timer, ctx.Done() or default case is a path
// that does not wait. Paths that end the process (panic, os.Exit, log.Fatal) do not count.
import { endsProcess } from './exits';
import { calleeName, field, isReceive, namedChildren, some, unparen, walkNamed, type Node } from './syntax';

/** Smallest number of waits on the paths that end (return), fall through, or break out. */
interface Paths {
  end: number;
  fall: number;
  brk: number;
}

const NONE = Infinity;
const MAX_DEPTH = 200;

/** What the goroutine signals on: the texts of the channels it sends on or closes. */
export interface Signals {
  chans: ReadonlySet<string>;
  /** Identifies the set, for the cache. */
  key: string;
}

/**
 * Per-analysis memo of the paths through the tail of each statement list (one entry per list
 * and set of signals), so N goroutines in one function cost N, not N² statement walks.
 */
export interface WaitCache {
  tails: Map<string, Paths[]>;
  index: Map<number, Map<number, number>>;
  defers: Map<string, number>;
}

export function newWaitCache(): WaitCache {
  return { tails: new Map(), index: new Map(), defers: new Map() };
}

/** Channels a goroutine's body sends on or closes, and the Done() receivers it calls. */
export function signalsOf(body: Node, extra: Iterable<string> = []): Signals {
  const chans = new Set<string>(extra);
  walkNamed(body, (n) => {
    if (n.type === 'send_statement') {
      const ch = unparen(field(n, 'channel'));
      if (ch) chans.add(ch.text);
    } else if (n.type === 'call_expression' && calleeName(n) === 'close') {
      const arg = field(n, 'arguments')?.namedChild(0);
      if (arg) chans.add(unparen(arg)?.text ?? arg.text);
    }
    return true;
  });
  return { chans, key: [...chans].sort().join('\u0000') };
}

function isWaitExpr(n: Node, s: Signals): boolean {
  if (isReceive(n)) {
    const op = unparen(field(n, 'operand'));
    return !!op && s.chans.has(op.text);
  }
  return n.type === 'call_expression' && /\.Wait$/.test(calleeName(n) ?? '');
}

/** `n` (not the insides of function literals) holds a wait. */
function holdsWait(n: Node, s: Signals, intoFuncLits = false): boolean {
  return isWaitExpr(n, s) || some(n, (x) => isWaitExpr(x, s), intoFuncLits);
}

function seq(a: Paths, b: Paths): Paths {
  return { end: Math.min(a.end, a.fall + b.end), fall: a.fall + b.fall, brk: Math.min(a.brk, a.fall + b.brk) };
}

function merge(a: Paths, b: Paths): Paths {
  return { end: Math.min(a.end, b.end), fall: Math.min(a.fall, b.fall), brk: Math.min(a.brk, b.brk) };
}

const EMPTY: Paths = { end: NONE, fall: 0, brk: NONE };

function pre(count: number, p: Paths): Paths {
  return { end: count + p.end, fall: count + p.fall, brk: count + p.brk };
}

let cache: WaitCache = newWaitCache();

function list(stmts: Node[], s: Signals, d: number): Paths {
  let acc = EMPTY;
  for (const c of stmts) {
    if (c.type === 'comment') continue;
    acc = seq(acc, walk(c, s, d));
    if (acc.fall === NONE) break;
  }
  return acc;
}

/** The paths through the named children of `parent` from index `from` on, memoized per list. */
function tail(parent: Node, from: number, s: Signals, d: number): Paths {
  const key = `${parent.id}:${s.key}`;
  let memo = cache.tails.get(key);
  if (!memo) {
    const kids = namedChildren(parent);
    memo = new Array<Paths>(kids.length + 1);
    memo[kids.length] = EMPTY;
    for (let i = kids.length - 1; i >= 0; i--) memo[i] = kids[i].type === 'comment' ? memo[i + 1] : seq(walk(kids[i], s, d), memo[i + 1]);
    cache.tails.set(key, memo);
  }
  return memo[Math.min(from, memo.length - 1)];
}

function caseBody(c: Node, s: Signals, d: number): Paths {
  return list(namedChildren(c).filter((x) => x.type === 'statement_list').flatMap(namedChildren), s, d);
}

/** A break inside a switch or select ends that statement, like falling through it. */
function breakEnds(p: Paths): Paths {
  return { end: p.end, fall: Math.min(p.fall, p.brk), brk: NONE };
}

function walk(n: Node, s: Signals, depth: number): Paths {
  const d = depth + 1;
  if (d > MAX_DEPTH) return EMPTY;
  switch (n.type) {
    case 'block':
    case 'statement_list':
      return tail(n, 0, s, d);
    case 'labeled_statement': {
      const stmt = namedChildren(n).find((c) => c.type !== 'label_name');
      return stmt ? walk(stmt, s, d) : EMPTY;
    }
    case 'if_statement': {
      const head = [field(n, 'initializer'), field(n, 'condition')].some((x) => x && holdsWait(x, s)) ? 1 : 0;
      const cons = field(n, 'consequence');
      const alt = field(n, 'alternative');
      return pre(head, merge(cons ? walk(cons, s, d) : EMPTY, alt ? walk(alt, s, d) : EMPTY));
    }
    case 'expression_switch_statement':
    case 'type_switch_statement': {
      const head = [field(n, 'initializer'), field(n, 'value')].some((x) => x && holdsWait(x, s)) ? 1 : 0;
      let acc: Paths | null = null;
      let hasDefault = false;
      for (const c of namedChildren(n)) {
        if (!/_case$/.test(c.type)) continue;
        if (c.type === 'default_case') hasDefault = true;
        const r = breakEnds(caseBody(c, s, d));
        acc = acc ? merge(acc, r) : r;
      }
      if (!acc || !hasDefault) acc = acc ? merge(acc, EMPTY) : EMPTY;
      return pre(head, acc);
    }
    case 'select_statement': {
      let acc: Paths | null = null;
      for (const c of namedChildren(n)) {
        if (!/_case$/.test(c.type)) continue;
        const comm = field(c, 'communication');
        const waited = comm && holdsWait(comm, s) ? 1 : 0;
        const r = pre(waited, breakEnds(caseBody(c, s, d)));
        acc = acc ? merge(acc, r) : r;
      }
      return acc ?? { end: NONE, fall: NONE, brk: NONE }; // select {} blocks forever
    }
    case 'for_statement': {
      const body = field(n, 'body');
      const inner = body ? walk(body, s, d) : EMPTY;
      const clause = namedChildren(n).find((c) => c.type !== 'block' && c.type !== 'comment') ?? null;
      if (!clause) return { end: inner.end, fall: inner.brk, brk: NONE }; // for { ... }: only break leaves it
      if (clause.type === 'range_clause') {
        const over = unparen(field(clause, 'right'));
        // Ranging over a channel the goroutine closes ends only once it has closed it.
        const waits = over && s.chans.has(over.text) ? 1 : 0;
        return { end: inner.end, fall: Math.min(waits, inner.brk), brk: NONE };
      }
      const head = holdsWait(clause, s) ? 1 : 0;
      return { end: inner.end, fall: Math.min(head, inner.brk), brk: NONE };
    }
    case 'return_statement':
      return { end: holdsWait(n, s) ? 1 : 0, fall: NONE, brk: NONE };
    case 'break_statement':
      return { end: NONE, fall: NONE, brk: 0 };
    case 'continue_statement':
      return { end: NONE, fall: NONE, brk: NONE };
    case 'defer_statement':
      // From here on, every way out runs the deferred wait.
      return { end: NONE, fall: holdsWait(n, s, true) ? 1 : 0, brk: NONE };
    case 'go_statement':
      return EMPTY;
    case 'expression_statement': {
      const e = n.namedChild(0);
      if (e?.type === 'call_expression' && endsProcess(e)) return { end: NONE, fall: NONE, brk: NONE };
      break;
    }
  }
  return { end: NONE, fall: holdsWait(n, s) ? 1 : 0, brk: NONE };
}

/**
 * True when every path from just after `stmt` to the exit of the function whose body is
 * `fnBody` passes a wait on `s`: the rest of each enclosing statement list, climbing out
 * through ifs, cases and loops. A wait deferred before `stmt` covers every path.
 */
export function waitsOnEveryPath(stmt: Node, fnBody: Node, s: Signals, memo: WaitCache = newWaitCache()): boolean {
  cache = memo;
  if (deferredWaitBefore(stmt, fnBody, s)) return true;
  let best = NONE;
  let carry = 0;
  let cur: Node = stmt;
  for (let guard = 0; guard < MAX_DEPTH; guard++) {
    const parent = cur.parent;
    if (!parent) break;
    const at = indexIn(parent, cur);
    const acc = tail(parent, at + 1, s, 0);
    best = Math.min(best, carry + acc.end);
    const out = Math.min(acc.fall, acc.brk);
    if (out === NONE) return best >= 1;
    carry += out;
    if (parent.id === fnBody.id || parent.parent?.id === fnBody.id) break;
    // Climb to the statement that holds this list (a case, a block of an if or a loop).
    let holder: Node | null = parent.parent;
    while (holder && holder.parent && !['statement_list', 'block'].includes(holder.parent.type)) {
      if (holder.type === 'func_literal') return false;
      holder = holder.parent;
    }
    if (!holder || holder.type === 'func_literal' || holder.id === fnBody.id) break;
    if (holder.type === 'for_statement') {
      const clause = namedChildren(holder).find((c) => c.type !== 'block' && c.type !== 'comment');
      if (!clause) {
        // An endless loop: a turn that falls through starts the next turn, so only breaks leave.
        const body = field(holder, 'body');
        const turn = body ? walk(body, s, 0) : EMPTY;
        best = Math.min(best, carry + turn.end);
        if (turn.brk === NONE) return best >= 1;
      }
    }
    cur = holder;
  }
  return Math.min(best, carry) >= 1;
}

function indexIn(parent: Node, child: Node): number {
  let m = cache.index.get(parent.id);
  if (!m) {
    m = new Map(namedChildren(parent).map((c, i) => [c.id, i]));
    cache.index.set(parent.id, m);
  }
  return m.get(child.id) ?? Infinity;
}

function deferredWaitBefore(stmt: Node, fnBody: Node, s: Signals): boolean {
  let child: Node = stmt;
  for (let a: Node | null = stmt.parent; a; child = a, a = a.parent) {
    if ((a.type === 'statement_list' || a.type === 'block') && firstDeferredWait(a, s) < indexIn(a, child)) return true;
    if (a.id === fnBody.id || a.type === 'func_literal') break;
  }
  return false;
}

/** Index of the first `defer` in the list that waits (Infinity: none), memoized per list. */
function firstDeferredWait(list: Node, s: Signals): number {
  const key = `defer:${list.id}:${s.key}`;
  const known = cache.defers.get(key);
  if (known !== undefined) return known;
  const kids = namedChildren(list);
  let at = Infinity;
  for (let i = 0; i < kids.length && at === Infinity; i++) if (kids[i].type === 'defer_statement' && holdsWait(kids[i], s, true)) at = i;
  cache.defers.set(key, at);
  return at;
}
