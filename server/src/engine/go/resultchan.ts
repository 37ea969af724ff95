// The unbuffered-result-chan shape, as an analysis shared by the rule and the package index.
import { localChans, type ChanUse, type LocalChan } from './chans';
import { maxOnAnyPath } from './flow';
import { field, goLiteral, isInsideLoop, namedChildren, resultCount, type Node } from './syntax';

export interface ResultChan {
  chan: LocalChan;
  /** Sends from goroutines that block until somebody receives. */
  sends: ChanUse[];
  returns: Node[];
  /** Position of the channel among the function's results. */
  resultIndex: number;
  resultCount: number;
  /** True when every path of the goroutine sends at most once, so a buffer of 1 cures it. */
  oneSendPerPath: boolean;
}

export function findResultChans(fn: Node, chans: LocalChan[] = localChans(fn)): ResultChan[] {
  const out: ResultChan[] = [];
  for (const chan of chans) {
    if (chan.capacity !== 0) continue; // buffered, or a capacity we cannot read: stay silent
    const uses = chan.uses;
    if (uses.some((u) => u.kind === 'escape' || u.inClosure)) continue;
    const returns = uses.filter((u) => u.kind === 'return' && !u.goStmt);
    if (returns.length === 0) continue;
    // The function itself receiving or sending makes the protocol something else.
    if (uses.some((u) => !u.goStmt && (u.kind === 'recv' || u.kind === 'send' || u.kind === 'range'))) continue;
    const goSends = uses.filter((u) => u.kind === 'send' && u.goStmt);
    if (goSends.length === 0) continue;
    // A send in a loop is a stream (generator pattern): not this rule.
    if (goSends.some((u) => isInsideLoop(u.node, u.goStmt))) continue;
    const blocking = goSends.filter((u) => !u.leavingSelect);
    if (blocking.length === 0) continue;
    const resultIndex = indexInReturn(returns[0].node, chan.name);
    if (resultIndex < 0) continue;
    const goStmts = new Map(goSends.map((u) => [u.goStmt!.id, u.goStmt!]));
    const sendIds = new Set(goSends.map((u) => u.node.id));
    // One goroutine (not one per loop turn) that sends at most once: a buffer of 1 takes it.
    const only = [...goStmts.values()][0];
    const oneSendPerPath = goStmts.size === 1 && !isInsideLoop(only, fn) && maxSendsPerRun(only, sendIds) <= 1;
    out.push({
      chan,
      sends: blocking,
      returns: returns.map((r) => r.node),
      resultIndex,
      resultCount: resultCount(fn),
      oneSendPerPath,
    });
  }
  return out;
}

function indexInReturn(ret: Node, name: string): number {
  const list = namedChildren(ret).find((c) => c.type === 'expression_list');
  if (!list) return -1;
  return namedChildren(list).findIndex((e) => e.type === 'identifier' && e.text === name);
}

/** The edit that turns `make(chan T)` (or `make(chan T, 0)`) into `make(chan T, capacity)`. */
export function addBufferEdit(make: Node, capacity: string): { start: number; end: number; newText: string } | null {
  const args = field(make, 'arguments');
  if (!args) return null;
  const list = namedChildren(args).filter((a) => a.type !== 'comment');
  if (list.length === 2) return { start: list[1].startIndex, end: list[1].endIndex, newText: capacity };
  if (list.length !== 1 || !args.text.endsWith(')') || /,\s*\)$/.test(args.text)) return null;
  return { start: list[0].endIndex, end: list[0].endIndex, newText: `, ${capacity}` };
}

/** Max sends (of `sendIds`) on one path through the goroutine a go statement starts. */
export function maxSendsPerRun(goStmt: Node, sendIds: Set<number>): number {
  const body = field(goLiteral(goStmt), 'body');
  return body ? maxOnAnyPath(body, (n) => sendIds.has(n.id)) : Infinity;
}

export interface ResultStream {
  chan: LocalChan;
  /** Sends in the goroutine's loop that wait for a reader with no way out. */
  sends: ChanUse[];
  returns: Node[];
}

/**
 * A returned unbuffered channel that a goroutine fills in a loop (a stream), in a function
 * that has a context, where a send does not give up when the context ends: a consumer that
 * stops reading (on its own cancellation, or after an error) strands the producer.
 */
export function findStreamsIgnoringContext(fn: Node, chans: LocalChan[]): ResultStream[] {
  const out: ResultStream[] = [];
  for (const chan of chans) {
    if (chan.capacity !== 0) continue;
    const uses = chan.uses;
    if (uses.some((u) => u.kind === 'escape' || u.inClosure)) continue;
    const returns = uses.filter((u) => u.kind === 'return' && !u.goStmt);
    if (returns.length === 0 || uses.some((u) => !u.goStmt && u.kind !== 'return' && u.kind !== 'lenCap')) continue;
    const sends = uses.filter((u) => u.kind === 'send' && u.goStmt && isInsideLoop(u.node, u.goStmt) && !u.leavingSelect);
    if (sends.length === 0) continue;
    out.push({ chan, sends, returns: returns.map((r) => r.node) });
  }
  return out;
}
