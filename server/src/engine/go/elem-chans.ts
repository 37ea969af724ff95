// Channels kept one per element of a slice (table tests): `cases[i].err = make(chan error)`
// in a loop over `cases`, a goroutine per element sending on `tc.err`, and a loop over
// `cases` receiving `<-cases[i].err` that can stop early (return, t.Fatal): the goroutines of
// the elements not yet received stay blocked in their sends (go-ethereum's filter tests).
import { endsGoroutine } from './exits';
import { ancestors, collect, field, goLiteral, namedChildren, ofType, unparen, within, type Node } from './syntax';

export interface ElemChan {
  slice: string;
  field: string;
  make: Node;
  /** The go statements (one per element) whose goroutines send on the element's channel. */
  goStmts: Node[];
  /** The sends, inside those goroutines. */
  sends: Node[];
  /** The receive in the collecting loop, and the exit after it that leaves that loop. */
  recv: Node;
  exit: Node;
}

export function elemChans(fn: Node, source: string): ElemChan[] {
  const body = field(fn, 'body');
  if (!body || !body.text.includes('make(chan')) return [];
  const out: ElemChan[] = [];
  for (const assign of ofType(body, 'assignment_statement')) {
    const target = elemTarget(assign);
    if (!target) continue;
    const { slice, name, make } = target;
    // Goroutines started per element, sending on the element's channel through the range value (or a copy of it).
    const goStmts: Node[] = [];
    const sends: Node[] = [];
    for (const loop of rangeLoopsOver(body, slice)) {
      const value = rangeVar(loop, 1);
      const index = rangeVar(loop, 0);
      for (const go of ofType(field(loop, 'body')!, 'go_statement')) {
        const lit = goLiteral(go);
        if (!lit) continue;
        const names = aliasesOf(loop, go, value);
        const mine = collect(lit, (n) => n.type === 'send_statement' && sendsOnElem(field(n, 'channel'), slice, name, names, index), true);
        if (mine.length === 0) continue;
        goStmts.push(go);
        sends.push(...mine);
      }
    }
    if (goStmts.length === 0) continue;
    // Every other use of the field is one of these sends or receives in the function's own loops.
    const recvs = collect(body, (n) => n.type === 'unary_expression' && n.child(0)?.type === '<-' && elemOf(unparen(field(n, 'operand')), slice, name) !== null);
    if (recvs.length !== 1 || goStmts.some((g) => within(recvs[0], g))) continue;
    const recv = recvs[0];
    const loop = [...ancestors(recv, body)].find((a) => a.type === 'for_statement');
    if (!loop || !rangeLoopsOver(body, slice).some((l) => l.id === loop.id) || loop.startIndex < Math.max(...goStmts.map((g) => g.endIndex))) continue;
    const exit = collect(field(loop, 'body')!, (n) => (n.type === 'return_statement' || (n.type === 'call_expression' && endsGoroutine(n, source))) && n.startIndex > recv.endIndex)[0];
    if (!exit) continue;
    out.push({ slice, field: name, make, goStmts, sends, recv, exit });
  }
  return out;
}

/** `S[i].F = make(chan T)` (unbuffered): S, F and the make. */
function elemTarget(assign: Node): { slice: string; name: string; make: Node } | null {
  const left = namedChildren(field(assign, 'left')!);
  const right = namedChildren(field(assign, 'right')!);
  if (left.length !== 1 || right.length !== 1) return null;
  const make = right[0];
  if (make.type !== 'call_expression' || !/^make\(\s*chan\b[^,]*\)$/.test(make.text)) return null;
  const sel = left[0];
  const elem = elemOf(sel, null, null);
  return elem ? { slice: elem.slice, name: elem.field, make } : null;
}

/** `S[i].F` → {S, F} (S a plain name), optionally checked against the given slice and field. */
function elemOf(n: Node | null, slice: string | null, name: string | null): { slice: string; field: string } | null {
  if (n?.type !== 'selector_expression') return null;
  const operand = unparen(field(n, 'operand'));
  const f = field(n, 'field')?.text;
  if (operand?.type !== 'index_expression' || !f) return null;
  const s = unparen(field(operand, 'operand'));
  if (s?.type !== 'identifier') return null;
  if ((slice && s.text !== slice) || (name && f !== name)) return null;
  return { slice: s.text, field: f };
}

function sendsOnElem(ch: Node | null, slice: string, name: string, values: Set<string>, index: string | null): boolean {
  const c = unparen(ch);
  if (c?.type !== 'selector_expression' || field(c, 'field')?.text !== name) return false;
  const operand = unparen(field(c, 'operand'));
  if (operand?.type === 'identifier') return values.has(operand.text);
  const elem = elemOf(c, slice, name);
  const i = elem ? unparen(field(unparen(field(c, 'operand'))!, 'index')) : null;
  return !!elem && !!index && i?.text === index;
}

/** `for i, v := range S` loops in the body. */
function rangeLoopsOver(body: Node, slice: string): Node[] {
  return ofType(body, 'for_statement').filter((l) => {
    const clause = namedChildren(l)[0];
    return clause?.type === 'range_clause' && unparen(field(clause, 'right'))?.text === slice;
  });
}

/** The range loop's key (0) or value (1) variable name. */
function rangeVar(loop: Node, which: 0 | 1): string | null {
  const clause = namedChildren(loop)[0];
  const left = field(clause, 'left');
  const v = left ? namedChildren(left)[which] : null;
  return v?.type === 'identifier' && v.text !== '_' ? v.text : null;
}

/** The range value and the copies of it made in the loop body before the go statement (`tt := test`). */
function aliasesOf(loop: Node, go: Node, value: string | null): Set<string> {
  const names = new Set<string>(value ? [value] : []);
  for (const decl of ofType(field(loop, 'body')!, 'short_var_declaration')) {
    if (decl.startIndex > go.startIndex) continue;
    const l = namedChildren(field(decl, 'left')!);
    const r = namedChildren(field(decl, 'right')!);
    l.forEach((x, i) => {
      if (r[i]?.type === 'identifier' && names.has(r[i].text)) names.add(x.text);
    });
  }
  return names;
}
