// Streams that end only with their context: a function returns an unbuffered channel that a
// goroutine fills in a loop, and every send gives up only on `<-ctx.Done()` of the function's
// own context parameter. A caller that stops reading early (returns out of its range) strands
// the producer until that context ends, which for a caller's long-lived context is never
// (minio's listIAMConfigItems, whose callers returned on the first error).
import { localChans } from './chans';
import { field, isInsideLoop, isQualified, namedChildren, params, unparen, type Node } from './syntax';

export interface CtxStream {
  /** Position of the context parameter. */
  ctx: number;
  /** Line (0-based, relative to the declaration) of the channel's make, for the message. */
  row: number;
}

export function ctxStreamOf(fn: Node): CtxStream | null {
  const ps = params(fn);
  for (const chan of localChans(fn)) {
    if (chan.capacity !== 0) continue;
    const uses = chan.uses;
    if (uses.some((u) => u.kind === 'escape' || u.inClosure)) continue;
    if (!uses.some((u) => u.kind === 'return' && !u.goStmt)) continue;
    if (uses.some((u) => !u.goStmt && u.kind !== 'return' && u.kind !== 'lenCap')) continue;
    const sends = uses.filter((u) => u.kind === 'send' && u.goStmt);
    if (sends.length === 0 || !sends.some((u) => isInsideLoop(u.node, u.goStmt))) continue;
    // Every send waits for a reader or for one context parameter's Done, nothing else.
    let ctxName: string | null = null;
    for (const s of sends) {
      const other = s.leavingSelect ? doneCaseOf(s.leavingSelect, s.node) : null;
      if (!other || (ctxName && other !== ctxName)) return null;
      ctxName = other;
    }
    const index = ps.findIndex((p) => p.name === ctxName && isQualified(p.type, 'context', 'Context'));
    if (index < 0) continue;
    return { ctx: index, row: chan.make.startPosition.row - fn.startPosition.row };
  }
  return null;
}

/** The select's only other case is `case <-c.Done():`: c; null otherwise. */
function doneCaseOf(sel: Node, send: Node): string | null {
  const cases = namedChildren(sel).filter((c) => c.type === 'communication_case' || c.type === 'default_case');
  const others = cases.filter((c) => !(send.startIndex >= c.startIndex && send.endIndex <= c.endIndex));
  if (others.length !== 1 || others[0].type !== 'communication_case') return null;
  const comm = field(others[0], 'communication');
  const recv = comm?.type === 'unary_expression' ? comm : comm?.type === 'receive_statement' ? unparen(field(comm, 'right')) : comm?.type === 'expression_statement' ? comm.namedChild(0) : null;
  const m = /^<-\s*(\w+)\.Done\(\)$/.exec(recv?.text.replace(/\s+/g, '') ?? '');
  return m ? m[1] : null;
}
