// Counting events (sends, Done calls) along the paths of a statement tree.
import { field, namedChildren, some, type Node } from './syntax';

/** Max count on paths that end (return/panic) and on paths that fall through. -Infinity = no such path. */
interface PathCount {
  end: number;
  fall: number;
}

const NONE = -Infinity;
const MAX_DEPTH = 200;

function seq(a: PathCount, b: PathCount): PathCount {
  return { end: Math.max(a.end, a.fall + b.end), fall: a.fall + b.fall };
}

function merge(a: PathCount, b: PathCount): PathCount {
  return { end: Math.max(a.end, b.end), fall: Math.max(a.fall, b.fall) };
}

/**
 * The largest number of `isEvent` nodes executed on any one path through `root`
 * (a block or statement). Loops that contain an event, and events inside
 * closures, count as unbounded (Infinity).
 */
export function maxOnAnyPath(root: Node, isEvent: (n: Node) => boolean): number {
  const r = count(root, isEvent, 0);
  return Math.max(r.end, r.fall, 0);
}

function count(n: Node, isEvent: (n: Node) => boolean, depth: number): PathCount {
  const has = () => some(n, isEvent, true) || isEvent(n);
  if (depth > MAX_DEPTH) return has() ? { end: Infinity, fall: Infinity } : { end: NONE, fall: 0 };
  const d = depth + 1;
  switch (n.type) {
    case 'block':
    case 'statement_list': {
      let acc: PathCount = { end: NONE, fall: 0 };
      for (const c of namedChildren(n)) {
        if (c.type === 'comment') continue;
        acc = seq(acc, count(c, isEvent, d));
        if (acc.fall === NONE) break;
      }
      return acc;
    }
    case 'labeled_statement': {
      const stmt = namedChildren(n).find((c) => c.type !== 'label_name');
      return stmt ? count(stmt, isEvent, d) : { end: NONE, fall: 0 };
    }
    case 'if_statement': {
      const cons = field(n, 'consequence');
      const alt = field(n, 'alternative');
      const a = cons ? count(cons, isEvent, d) : { end: NONE, fall: 0 };
      const b = alt ? count(alt, isEvent, d) : { end: NONE, fall: 0 };
      return merge(a, b);
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
        const comm = field(c, 'communication');
        if (comm) r = seq(r, { end: NONE, fall: isEvent(comm) ? 1 : 0 });
        for (const s of namedChildren(c)) if (s.type === 'statement_list') r = seq(r, count(s, isEvent, d));
        acc = acc ? merge(acc, r) : r;
      }
      if (!acc) return { end: NONE, fall: n.type === 'select_statement' ? NONE : 0 };
      if (!hasDefault && n.type !== 'select_statement') acc = merge(acc, { end: NONE, fall: 0 });
      return acc;
    }
    case 'return_statement':
      return { end: has() ? Infinity : 0, fall: NONE };
    case 'for_statement':
      return has() ? { end: Infinity, fall: Infinity } : { end: NONE, fall: 0 };
    case 'expression_statement': {
      const e = n.namedChild(0);
      if (e?.type === 'call_expression' && field(e, 'function')?.text === 'panic') return { end: 0, fall: NONE };
      break;
    }
  }
  if (isEvent(n)) return { end: NONE, fall: 1 };
  // Any other statement: an event nested inside (a closure, a go statement) is not countable.
  return has() ? { end: Infinity, fall: Infinity } : { end: NONE, fall: 0 };
}

/**
 * The smallest number of `isEvent` nodes executed on any one path through `root`.
 * Loops may run zero times; a panic or return ends a path.
 */
export function minOnAnyPath(root: Node, isEvent: (n: Node) => boolean): number {
  const r = countMin(root, isEvent, 0);
  return Math.min(r.end, r.fall);
}

// Here "no such path" is +Infinity, and composition takes minima.
function countMin(n: Node, isEvent: (n: Node) => boolean, depth: number): PathCount {
  const NO = Infinity;
  if (depth > MAX_DEPTH) return { end: NO, fall: 0 };
  const d = depth + 1;
  const seqMin = (a: PathCount, b: PathCount): PathCount => ({ end: Math.min(a.end, a.fall + b.end), fall: a.fall + b.fall });
  const mergeMin = (a: PathCount, b: PathCount): PathCount => ({ end: Math.min(a.end, b.end), fall: Math.min(a.fall, b.fall) });
  switch (n.type) {
    case 'block':
    case 'statement_list': {
      let acc: PathCount = { end: NO, fall: 0 };
      for (const c of namedChildren(n)) {
        if (c.type === 'comment') continue;
        acc = seqMin(acc, countMin(c, isEvent, d));
        if (acc.fall === NO) break;
      }
      return acc;
    }
    case 'labeled_statement': {
      const stmt = namedChildren(n).find((c) => c.type !== 'label_name');
      return stmt ? countMin(stmt, isEvent, d) : { end: NO, fall: 0 };
    }
    case 'if_statement': {
      const cons = field(n, 'consequence');
      const alt = field(n, 'alternative');
      return mergeMin(cons ? countMin(cons, isEvent, d) : { end: NO, fall: 0 }, alt ? countMin(alt, isEvent, d) : { end: NO, fall: 0 });
    }
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement': {
      let acc: PathCount | null = null;
      let hasDefault = false;
      for (const c of namedChildren(n)) {
        if (!/_case$/.test(c.type)) continue;
        if (c.type === 'default_case') hasDefault = true;
        let r: PathCount = { end: NO, fall: 0 };
        for (const s of namedChildren(c)) if (s.type === 'statement_list') r = seqMin(r, countMin(s, isEvent, d));
        acc = acc ? mergeMin(acc, r) : r;
      }
      if (!acc) return { end: NO, fall: n.type === 'select_statement' ? NO : 0 };
      if (!hasDefault && n.type !== 'select_statement') acc = mergeMin(acc, { end: NO, fall: 0 });
      return acc;
    }
    case 'return_statement':
      return { end: 0, fall: NO };
    case 'for_statement': {
      // The body may run zero times; a return inside it still ends a path.
      const body = field(n, 'body');
      return { end: body ? countMin(body, isEvent, d).end : NO, fall: 0 };
    }
    case 'expression_statement': {
      const e = n.namedChild(0);
      if (e?.type === 'call_expression' && field(e, 'function')?.text === 'panic') return { end: 0, fall: NO };
      break;
    }
  }
  return { end: NO, fall: isEvent(n) ? 1 : 0 };
}
