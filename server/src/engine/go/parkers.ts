// Functions that park a goroutine on a context the caller hands in: the goroutine's only act is
// `<-ctx.Done()`, so it lives exactly until the caller cancels. Such a function is harmless
// only for callers that do cancel; a caller passing a context nobody cancels leaks one
// goroutine per call (a VM manager's Instance.Run did this 522,633 times).
import { calleeName, field, goLiteral, isQualified, isReceive, namedChildren, ofType, params, some, unparen, type Node } from './syntax';

export interface ParkerShape {
  /** Which argument carries the context: its index, or 'options' (taken from variadic options). */
  param: number | 'options';
  go: Node;
}

/** `<-x.Done()` as the goroutine's first act: returns x's name. */
export function onlyWaitsOnDone(body: Node): string | null {
  const list = namedChildren(body).find((c) => c.type === 'statement_list');
  const first = list ? namedChildren(list).find((c) => c.type !== 'comment') : null;
  if (!first || first.type !== 'expression_statement') return null;
  const e = unparen(first.namedChild(0));
  if (!e || !isReceive(e)) return null;
  const done = unparen(field(e, 'operand'));
  if (done?.type !== 'call_expression' || !/\.Done$/.test(calleeName(done) ?? '')) return null;
  const ctxVar = unparen(field(unparen(field(done, 'function')), 'operand'));
  return ctxVar?.type === 'identifier' ? ctxVar.text : null;
}

export function ctxParker(decl: Node): ParkerShape | null {
  const body = field(decl, 'body');
  if (!body) return null;
  for (const go of ofType(body, 'go_statement')) {
    const litBody = field(goLiteral(go), 'body');
    const name = litBody ? onlyWaitsOnDone(litBody) : null;
    if (!name || rebound(body, name) || !unconditional(go, body)) continue;
    const ps = params(decl);
    const i = ps.findIndex((p) => p.name === name && isQualified(p.type, 'context', 'Context'));
    if (i >= 0) return { param: i, go };
    const last = ps[ps.length - 1];
    if (last?.name && last.decl.text.includes('...') && assignedInRangeOver(body, name, last.name)) return { param: 'options', go };
  }
  return null;
}

/** `ctx, cancel := context.WithX(ctx)` in the function: it cancels its own child, not the caller's. */
function rebound(body: Node, name: string): boolean {
  return some(body, (n) => n.type === 'short_var_declaration' && namedChildren(field(n, 'left')!)[0]?.text === name && /context\.With/.test(field(n, 'right')?.text ?? ''));
}

/** `for _, o := range opts { ... ctx = ... }`: the context comes from an option. */
function assignedInRangeOver(body: Node, name: string, variadic: string): boolean {
  return some(body, (n) => {
    if (n.type !== 'for_statement') return false;
    const clause = namedChildren(n)[0];
    if (clause?.type !== 'range_clause' || unparen(field(clause, 'right'))?.text !== variadic) return false;
    return some(n, (a) => a.type === 'assignment_statement' && namedChildren(field(a, 'left')!).some((x) => x.text === name));
  });
}

/**
 * The go statement runs on every call: it is a statement of the function's own body with no
 * return before it. A watcher started only after validation (`if bad { return err }`) may not
 * exist for the caller's input, so it is not claimed as a fact.
 */
function unconditional(go: Node, body: Node): boolean {
  const list = go.parent;
  if (list?.type !== 'statement_list' || list.parent?.id !== body.id) return false;
  return !some(body, (n) => n.type === 'return_statement' && n.startIndex < go.startIndex);
}
