// Loops that never end: `for {}` with no exit, ranging over a ticker, or over a channel nobody closes.
import { localChans, type ChanUse } from './chans';
import { calleeName, enclosingFunc, field, isInsideLoop, namedChildren, ofType, unparen, walkNamed, type Node } from './syntax';

export interface EndlessLoop {
  /** The for statement (or an empty `select {}`). */
  node: Node;
  /** Human description for messages: "`for {}` loop", "`range ticker.C` loop", … */
  what: string;
  kind: 'for' | 'ticker' | 'chan' | 'select';
}

const EXIT_CALLS = new Set(['panic', 'os.Exit', 'log.Fatal', 'log.Fatalf', 'log.Fatalln', 'log.Panic', 'log.Panicf', 'runtime.Goexit', 't.Fatal', 't.Fatalf', 't.FailNow', 't.SkipNow', 'b.Fatal', 'b.Fatalf']);

/** Endless loops directly in `body` (not in nested function literals). */
export function endlessLoops(body: Node): EndlessLoop[] {
  const out: EndlessLoop[] = [];
  for (const n of ofType(body, ['for_statement', 'select_statement'])) {
    if (n.type === 'select_statement') {
      if (namedChildren(n).every((c) => c.type === 'comment')) out.push({ node: n, what: 'empty `select {}`', kind: 'select' });
      continue;
    }
    const shape = loopShape(n);
    if (shape && !hasExit(n)) out.push({ node: n, ...shape });
  }
  return out;
}

function loopShape(loop: Node): { what: string; kind: EndlessLoop['kind'] } | null {
  const header = namedChildren(loop).filter((c) => c.id !== field(loop, 'body')?.id && c.type !== 'comment');
  if (header.length === 0) return { what: '`for {}` loop', kind: 'for' };
  if (header.length === 1 && header[0].type === 'true') return { what: '`for true {}` loop', kind: 'for' };
  const clause = header[0];
  if (clause.type !== 'range_clause') return null;
  const over = unparen(field(clause, 'right'));
  if (!over) return null;
  if (over.type === 'call_expression' && calleeName(over) === 'time.Tick') return { what: '`range time.Tick(...)` loop', kind: 'ticker' };
  if (over.type === 'selector_expression' && field(over, 'field')?.text === 'C') {
    const base = unparen(field(over, 'operand'));
    if (base?.type === 'identifier' && isTickerVar(base)) return { what: `\`range ${over.text}\` loop`, kind: 'ticker' };
    if (base?.type === 'selector_expression' && isTickerField(base)) return { what: `\`range ${over.text}\` loop`, kind: 'ticker' };
    if (base?.type === 'call_expression' && calleeName(base) === 'time.NewTicker') return { what: `\`range ${over.text}\` loop`, kind: 'ticker' };
  }
  if (over.type === 'identifier' && isTickerVar(over, 'time.Tick')) return { what: `\`range ${over.text}\` loop over time.Tick`, kind: 'ticker' };
  if (over.type === 'identifier' && isNeverClosedLocalChan(over)) return { what: `\`range ${over.text}\` loop over a channel nothing closes`, kind: 'chan' };
  return null;
}

/** `t` declared as `t := time.NewTicker(...)` (or another maker) in an enclosing function. */
function isTickerVar(id: Node, maker = 'time.NewTicker'): boolean {
  const decl = new RegExp(`(^|[^\\w.])${id.text}\\s*:=\\s*${maker.replace('.', '\\.')}\\(`);
  for (let fn = enclosingFunc(id); fn; fn = enclosingFunc(fn)) if (decl.test(fn.text)) return true;
  return false;
}

/** `x.f` where the file declares a struct field `f *time.Ticker` (a Stop does not close C). */
function isTickerField(sel: Node): boolean {
  const name = field(sel, 'field')?.text;
  if (!name) return false;
  const root = sel.tree.rootNode;
  if (!root.text.includes('time.Ticker')) return false;
  return root.descendantsOfType('field_declaration').some((fd) => !!fd && fd.childrenForFieldName('name').some((n) => n?.text === name) && /^\*\s*time\.Ticker$/.test(field(fd, 'type')?.text ?? ''));
}

/**
 * A channel made in an enclosing function that no code closes and that does not escape,
 * except into goroutines started in a loop: a channel shared by many senders is by Go
 * convention closed by its owner, since any one sender closing it would panic the others.
 */
function isNeverClosedLocalChan(id: Node): boolean {
  for (let fn = enclosingFunc(id); fn; fn = enclosingFunc(fn)) {
    const chan = localChans(fn).find((c) => c.name === id.text);
    if (!chan) continue;
    const f = fn;
    const sharedBySenders = (u: ChanUse) => u.kind === 'escape' && u.goStmt !== null && u.goStmt.type === 'go_statement' && isInsideLoop(u.goStmt, f);
    return !chan.uses.some((u) => u.kind === 'close' || u.kind === 'return' || (u.kind === 'escape' && !sharedBySenders(u)));
  }
  return false;
}

/** Any way out of the loop: return, goto, a break that targets it, panic/exit calls. */
export function hasExit(loop: Node): boolean {
  const label = loop.parent?.type === 'labeled_statement' ? field(loop.parent, 'label')?.text ?? loop.parent.namedChild(0)?.text : undefined;
  const body = field(loop, 'body');
  if (!body) return true;
  const text = body.text;
  if (!/\b(return|goto|break|panic|Exit|Fatal|Fatalf|Fatalln|Goexit|Panic|Panicf|FailNow|SkipNow)\b/.test(text)) return false;
  for (const n of ofType(body, ['return_statement', 'goto_statement', 'break_statement', 'call_expression'])) {
    if (n.type === 'return_statement' || n.type === 'goto_statement') return true;
    if (n.type === 'break_statement') {
      const target = n.namedChild(0);
      if (target ? target.text === label : breakTargets(n, loop)) return true;
      continue;
    }
    if (!/^[\w.]*(panic|Exit|Fatal|Fatalf|Fatalln|Goexit|Panic|Panicf|FailNow|SkipNow)\s*\(/.test(n.text)) continue;
    const name = calleeName(n);
    if (name && (EXIT_CALLS.has(name) || /\.(Fatal|Fatalf|Exit|Goexit)$/.test(name))) return true;
  }
  return false;
}

/** An unlabelled break leaves the innermost for/switch/select around it. */
function breakTargets(brk: Node, loop: Node): boolean {
  for (let p = brk.parent; p; p = p.parent) {
    if (p.id === loop.id) return true;
    if (p.type === 'for_statement' || p.type === 'select_statement' || p.type.endsWith('switch_statement')) return false;
  }
  return false;
}

/** A receive, send or range inside the loop body that is not guarded by a select default. */
export function blocksInside(loop: Node): boolean {
  const body = field(loop, 'body');
  if (!body) return false;
  let blocks = false;
  walkNamed(body, (n) => {
    if (blocks || n.type === 'func_literal') return false;
    if (n.type === 'select_statement') {
      if (!namedChildren(n).some((c) => c.type === 'default_case')) blocks = true;
      return false;
    }
    if (n.type === 'send_statement' || (n.type === 'unary_expression' && field(n, 'operator')?.type === '<-')) blocks = true;
    if (n.type === 'call_expression' && /\.(Wait|Lock|Accept|Read|ReadMessage|Recv)$/.test(calleeName(n) ?? '')) blocks = true;
    if (n.type === 'for_statement' && field(n, 'body') && namedChildren(n)[0]?.type === 'range_clause') blocks = true;
    return !blocks;
  });
  return blocks;
}


/**
 * A function that never returns: its body ends in a loop with no exit, an empty `select {}`,
 * or a call that serves until the process ends (`Serve`, `ListenAndServe`, possibly wrapped
 * in `log.Fatal` or returned). Its goroutines and timers live exactly as long as it does.
 */
export function neverReturns(fn: Node): boolean {
  const body = field(fn, 'body');
  const list = body ? namedChildren(body).find((c) => c.type === 'statement_list') : null;
  const last = list ? namedChildren(list).filter((c) => c.type !== 'comment').pop() : null;
  if (!last || !body) return false;
  if (/^(return\s+)?([\w.]+\()?[\w.]*\b(Serve|ListenAndServe|ListenAndServeTLS|ServeTLS|RunServer)\(/.test(last.text)) return true;
  return endlessLoops(body).some((l) => l.node.id === last.id && l.kind !== 'chan');
}
