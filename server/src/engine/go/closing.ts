// Where a channel shared by goroutines started in a loop should be closed: once every sender
// is done, which the function knows at its `wg.Wait()` after the loop. goroutine-without-cancel
// points there when a goroutine ranges over such a channel that nothing closes.
import { localChans } from './chans';
import { ancestors, calleeName, enclosingFunc, field, goLiteral, isInsideLoop, namedChildren, ofType, unparen, within, type Node } from './syntax';

export interface ClosingPoint {
  /** The channel's name. */
  name: string;
  /** The go statements (in loops) that hand the channel to senders. */
  senders: Node[];
  /** The `wg.Wait()` statement after the last sender, on the function's own path; null when none. */
  wait: Node | null;
  /**
   * `close(name)` right after `wait` is safe: every sender's goroutine begins with `defer
   * wg.Done()` on the waited group and starts no goroutine of its own, so no send can follow the wait.
   */
  safe: boolean;
}

/** For `for v := range ch` in a goroutine, where ch is a local channel shared by loop goroutines: where to close it. */
export function closingPoint(rangeLoop: Node): ClosingPoint | null {
  const clause = namedChildren(rangeLoop)[0];
  const over = clause?.type === 'range_clause' ? unparen(field(clause, 'right')) : null;
  if (over?.type !== 'identifier') return null;
  for (let fn = enclosingFunc(rangeLoop); fn; fn = enclosingFunc(fn)) {
    const chan = localChans(fn).find((c) => c.name === over.text);
    if (!chan) continue;
    const senders = [
      ...new Map(
        chan.uses
          .filter((u) => u.kind === 'escape' && u.goStmt?.type === 'go_statement' && isInsideLoop(u.goStmt, fn) && !within(rangeLoop, u.goStmt))
          .map((u) => [u.goStmt!.id, u.goStmt!]),
      ).values(),
    ];
    if (senders.length === 0) return null;
    const last = Math.max(...senders.map((g) => g.endIndex));
    const wait = waitAfter(fn, last);
    const group = wait ? calleeName(wait.namedChild(0)!)!.replace(/\.Wait$/, '') : null;
    const safe = !!group && senders.every((g) => joinsGroup(g, group));
    return { name: chan.name, senders, wait, safe };
  }
  return null;
}

/**
 * The first `X.Wait()` statement of `fn` after `offset` that runs on the function's own path:
 * not in a function literal, a loop, or a branch (a wait under an `if` may be skipped).
 */
function waitAfter(fn: Node, offset: number): Node | null {
  const body = field(fn, 'body');
  if (!body) return null;
  for (const call of ofType(body, 'call_expression')) {
    if (call.startIndex < offset || !/^\w+\.Wait$/.test(calleeName(call) ?? '') || namedChildren(field(call, 'arguments')!).length > 0) continue;
    const stmt = call.parent;
    if (stmt?.type !== 'expression_statement') continue;
    const path = [...ancestors(stmt, body)];
    if (path.some((a) => a.type !== 'statement_list' && a.type !== 'block')) continue;
    return stmt;
  }
  return null;
}

/** The go statement's literal starts with `defer group.Done()` and starts no goroutine itself. */
function joinsGroup(go: Node, group: string): boolean {
  const lit = goLiteral(go);
  const list = lit ? namedChildren(field(lit, 'body') ?? lit).find((c) => c.type === 'statement_list') : null;
  const first = list ? namedChildren(list).find((c) => c.type !== 'comment') : null;
  if (first?.type !== 'defer_statement' || first.text.replace(/\s/g, '') !== `defer${group}.Done()`) return false;
  return ofType(field(lit!, 'body')!, 'go_statement', true).length === 0;
}
