// Counting events (sends, Done calls) along the paths of a statement tree: the largest
// number on any one path (can a buffer of N take every send?) and the smallest (is Done
// reached on every path?). One walk, two algebras.
import { endsProcess } from './exits';
import { field, namedChildren, some, type Node } from './syntax';

/** Counts on paths that end (return/panic) and on paths that fall through; `none` = no such path. */
interface PathCount {
  end: number;
  fall: number;
}

interface Algebra {
  /** The count of "no such path": the identity of `pick`. */
  none: number;
  /** Max for the largest count, min for the smallest. */
  pick: (a: number, b: number) => number;
  /** A for loop: how to count one. */
  loop(n: Node, isEvent: (n: Node) => boolean, depth: number): PathCount;
  /** Sends in a select case's communication count too (largest count only). */
  countsCommunication: boolean;
  /** A statement that hides an event (in a closure, a go statement): unknown count. */
  hidden: PathCount;
  /** Calls that end the whole process (panic, os.Exit, log.Fatal) end no path of interest. */
  processExitEndsNothing?: boolean;
  /** `continue` ends the path (the loop's next turn starts over); inner loops count without it. */
  continueEnds?: boolean;
}

const MAX_DEPTH = 200;

const LARGEST: Algebra = {
  none: -Infinity,
  pick: Math.max,
  loop: (n, isEvent) => (some(n, isEvent, true) ? { end: Infinity, fall: Infinity } : { end: -Infinity, fall: 0 }),
  countsCommunication: true,
  hidden: { end: Infinity, fall: Infinity },
};

const SMALLEST: Algebra = {
  none: Infinity,
  pick: Math.min,
  // The body may run zero times; a return inside it still ends a path.
  loop: (n, isEvent, depth) => {
    const body = field(n, 'body');
    return { end: body ? count(body, isEvent, depth, SMALLEST).end : Infinity, fall: 0 };
  },
  countsCommunication: false,
  hidden: { end: Infinity, fall: 0 },
};

/**
 * The largest number of `isEvent` nodes executed on any one path through `root`. Loops
 * that contain an event, and events inside closures, count as unbounded (Infinity).
 */
export function maxOnAnyPath(root: Node, isEvent: (n: Node) => boolean): number {
  const r = count(root, isEvent, 0, LARGEST);
  return Math.max(r.end, r.fall, 0);
}

/**
 * The smallest number of `isEvent` nodes executed on any one path through `root`. With
 * `processExitEndsNothing`, a path that ends in panic, os.Exit or log.Fatal is not counted:
 * the program is gone, so nothing waits on what that path skipped.
 */
export function minOnAnyPath(root: Node, isEvent: (n: Node) => boolean, opts: { processExitEndsNothing?: boolean } = {}): number {
  const r = count(root, isEvent, 0, opts.processExitEndsNothing ? SMALLEST_LIVING : SMALLEST);
  return Math.min(r.end, r.fall);
}

const SMALLEST_LIVING: Algebra = { ...SMALLEST, loop: (n, isEvent, depth) => {
  const body = field(n, 'body');
  return { end: body ? count(body, isEvent, depth, SMALLEST_LIVING).end : Infinity, fall: 0 };
}, processExitEndsNothing: true };


function count(n: Node, isEvent: (n: Node) => boolean, depth: number, A: Algebra): PathCount {
  const NONE = A.none;
  const seq = (a: PathCount, b: PathCount): PathCount => ({ end: A.pick(a.end, a.fall + b.end), fall: a.fall + b.fall });
  const merge = (a: PathCount, b: PathCount): PathCount => ({ end: A.pick(a.end, b.end), fall: A.pick(a.fall, b.fall) });
  const hasEvent = () => isEvent(n) || some(n, isEvent, true);
  if (depth > MAX_DEPTH) return hasEvent() ? A.hidden : { end: NONE, fall: 0 };
  const d = depth + 1;
  switch (n.type) {
    case 'block':
    case 'statement_list': {
      let acc: PathCount = { end: NONE, fall: 0 };
      for (const c of namedChildren(n)) {
        if (c.type === 'comment') continue;
        acc = seq(acc, count(c, isEvent, d, A));
        if (acc.fall === NONE) break;
      }
      return acc;
    }
    case 'labeled_statement': {
      const stmt = namedChildren(n).find((c) => c.type !== 'label_name');
      return stmt ? count(stmt, isEvent, d, A) : { end: NONE, fall: 0 };
    }
    case 'if_statement': {
      const cons = field(n, 'consequence');
      const alt = field(n, 'alternative');
      return merge(cons ? count(cons, isEvent, d, A) : { end: NONE, fall: 0 }, alt ? count(alt, isEvent, d, A) : { end: NONE, fall: 0 });
    }
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement': {
      let acc: PathCount | null = null;
      let hasDefault = false;
      for (const c of namedChildren(n)) {
        if (!/_case$/.test(c.type)) continue;
        if (c.type === 'default_case') hasDefault = true;
        let r: PathCount = { end: NONE, fall: 0 };
        const comm = A.countsCommunication ? field(c, 'communication') : null;
        if (comm && isEvent(comm)) r = { end: NONE, fall: 1 };
        for (const s of namedChildren(c)) if (s.type === 'statement_list') r = seq(r, count(s, isEvent, d, A));
        acc = acc ? merge(acc, r) : r;
      }
      // A select with no case blocks forever; a switch with no default may take no case.
      if (!acc) return { end: NONE, fall: n.type === 'select_statement' ? NONE : 0 };
      return !hasDefault && n.type !== 'select_statement' ? merge(acc, { end: NONE, fall: 0 }) : acc;
    }
    case 'return_statement':
      return { end: A === LARGEST && hasEvent() ? Infinity : 0, fall: NONE };
    case 'continue_statement':
      if (A.continueEnds) return { end: 0, fall: NONE };
      break;
    case 'for_statement':
      return A.loop(n, isEvent, d);
    case 'expression_statement': {
      const e = n.namedChild(0);
      if (e?.type === 'call_expression' && A.processExitEndsNothing && endsProcess(e)) return { end: NONE, fall: NONE };
      if (e?.type === 'call_expression' && field(e, 'function')?.text === 'panic') return { end: 0, fall: NONE };
      break;
    }
  }
  if (isEvent(n)) return { end: NONE, fall: 1 };
  // Any other statement: an event nested inside (a closure, a go statement) is not countable.
  return A === LARGEST && hasEvent() ? A.hidden : { end: NONE, fall: 0 };
}

/**
 * The smallest number of events on the paths that start right after `stmt` and leave the
 * function (a return, or falling off its end), or reach the end of an enclosing loop's body
 * (the next turn starts over). Paths that end the process (panic, os.Exit, log.Fatal) do not
 * count. Used to ask "is cancel() called on every way out after this statement?".
 */
export function minAfter(stmt: Node, isEvent: (n: Node) => boolean, fnBody: Node): number {
  let inLoop = false;
  for (let a = stmt.parent; a && a.id !== fnBody.id && a.type !== 'func_literal'; a = a.parent) if (a.type === 'for_statement') inLoop = true;
  const A = inLoop ? TURN : SMALLEST_LIVING;
  let best = Infinity;
  let carry = 0;
  let cur: Node = stmt;
  for (let guard = 0; guard < MAX_DEPTH; guard++) {
    const list = cur.parent;
    if (!list) return Math.min(best, carry);
    let acc: PathCount = { end: A.none, fall: 0 };
    let after = false;
    for (const c of namedChildren(list)) {
      if (c.id === cur.id) {
        after = true;
        continue;
      }
      if (!after || c.type === 'comment') continue;
      const r = count(c, isEvent, 0, A);
      acc = { end: Math.min(acc.end, acc.fall + r.end), fall: acc.fall + r.fall };
      if (acc.fall === A.none) break;
    }
    best = Math.min(best, carry + acc.end);
    if (acc.fall === A.none) return best;
    carry += acc.fall;
    // Climb to the statement that holds this list.
    let holder: Node | null = list.parent;
    if (list.type === 'statement_list' && holder?.type === 'block') holder = holder.parent;
    if (!holder || list.id === fnBody.id || holder.id === fnBody.id || list.parent?.id === fnBody.id) return Math.min(best, carry);
    if (holder.type === 'for_statement') return Math.min(best, carry);
    while (holder && holder.parent && holder.parent.type !== 'statement_list' && holder.parent.type !== 'block') {
      if (holder.type === 'for_statement' || holder.type === 'func_literal') return Math.min(best, carry);
      holder = holder.parent;
    }
    if (!holder || holder.type === 'func_literal') return Math.min(best, carry);
    if (holder.type === 'for_statement') return Math.min(best, carry);
    cur = holder;
  }
  return Math.min(best, carry);
}

const TURN: Algebra = { ...SMALLEST_LIVING, continueEnds: true };
