import { spanOf, type Rule, type RuleContext } from '../context';
import { localChans, type ChanUse, type LocalChan } from '../go/chans';
import { elemChans, type ElemChan } from '../go/elem-chans';
import { addBufferEdit, maxSendsPerRun } from '../go/resultchan';
import { contextInScope, declaredType } from '../go/scope';
import { endsGoroutine } from '../go/exits';
import { resolveCallee } from '../go/callee';
import { ancestors, callArgs, calleeName, collect, field, FUNC_TYPES, goLiteral, indentAt, isInsideLoop, namedChildren, unparen, within, type Node } from '../go/syntax';
import type { Fix, RelatedLocation } from '../types';
import { MAKE_CHAN } from '../go/hints';
import { clip, message as say } from './message';

export const abandonedSender: Rule = {
  meta: {
    id: 'abandoned-sender',
    description: 'A goroutine sends on an unbuffered channel that its function can stop listening to',
    defaultSeverity: 'warning',
    docs: 'docs/rules/abandoned-sender.md',
    fixable: true,
  },
  nodeTypes: [...FUNC_TYPES],
  // A channel made here; its senders may be goroutines, callbacks or callees of the package.
  wants: (text) => MAKE_CHAN.test(text),
  check(fn, ctx) {
    if (fn.hasError) return;
    const sendsAt = (call: Node) => resolveCallee(call, ctx, (index, key) => index.chanSenders.get(key))?.target;
    const chans = ctx.cached(`chans+callbacks:${fn.id}`, () => localChans(fn, { callbacks: true, sendsAt, localCalls: true }));
    for (const chan of chans) checkChan(fn, chan, ctx);
    for (const elem of elemChans(fn, ctx.source)) checkElemChan(elem, ctx);
  },
};

function checkChan(fn: Node, chan: LocalChan, ctx: RuleContext): void {
  if (chan.capacity !== 0) return;
  const uses = chan.uses;
  if (uses.some((u) => u.kind === 'escape' || u.kind === 'return' || u.inClosure)) return;
  const sends = uses.filter((u) => u.kind === 'send' && u.goStmt && !u.leavingSelect);
  if (sends.length === 0) return;
  const mine = uses.filter((u) => !u.goStmt && (u.kind === 'recv' || u.kind === 'range'));
  if (mine.length === 0 || mine.some((u) => u.kind === 'range')) return;
  const sendLine = ctx.lineOf(sends[0].node);
  const goStmts = [...new Map(sends.map((s) => [s.goStmt!.id, s.goStmt!])).values()];
  // A callback may never be called on some paths (say, when the call that takes it fails), so
  // for callbacks only a select that stops listening while one may still come is reported.
  const callback = sends.find((s) => s.callback)?.callback;
  // The function closing the channel itself (`defer close(ch)`) turns the stranded send into a panic.
  const closes = uses.find((u) => u.kind === 'close' && !u.goStmt && u.node.parent?.type === 'defer_statement');
  const fate = closes ? `hits closed '${clip(chan.name, 16)}'` : 'blocks forever';
  const verb = closes ? 'panics' : 'leaks';
  const panics = closes
    ? ` close(${chan.name}) on line ${ctx.lineOf(closes.node)} has run by the time that send comes, so it panics (send on closed channel), which ends the process.`
    : '';
  const sendPhrase =
    sends[0].node.type === 'send_statement'
      ? `its send on line ${sendLine} ${fate}`
      : `the send in ${clip(calleeName(sends[0].node) ?? 'the call', 24)} (line ${sendLine}) ${fate}`;

  let message: string | null = null;
  const related: RelatedLocation[] = sends.map((s) => ({
    span: spanOf(s.node),
    message: s.node.type === 'send_statement' ? 'this send blocks until somebody receives' : `${calleeName(s.node) ?? 'this call'} sends on '${chan.name}' and blocks until somebody receives`,
  }));

  // (a) A receive in a select that can stop listening (and no later receive picks up after it).
  let other: Node | null = null;
  const leaving = mine.find((u) => u.leavingSelect && (other = leavingCase(u.leavingSelect, u, fn, chan, sends, ctx)));
  // (b) More senders than receives: goroutines started in a loop, receives outside any loop.
  const loopGo = goStmts.find((g) => isInsideLoop(g, fn));
  const loopRecvs = mine.some((u) => isInsideLoop(u.node, fn));
  // (b') One receive, and the goroutine sends in a loop (or from goroutines it starts in one).
  let innerLoop: Node | null = null;
  // (c) A return, or a test's t.Fatal/require (Goexit), between the go statement and the first receive.
  const firstRecv = mine.reduce((a, b) => (a.node.startIndex <= b.node.startIndex ? a : b));
  const earlyReturn = collect(field(fn, 'body')!, (n) => n.type === 'return_statement' || endsGoroutine(n, ctx.source)).find(
    (r) => r.startIndex > goStmts[0].endIndex && r.endIndex <= firstRecv.node.startIndex,
  );

  if (leaving) {
    const sel = leaving.leavingSelect!;
    const how = leavesBy(other!, ctx);
    related.push({ span: spanOf(other!), message: 'when this case is taken, nobody receives any more' });
    message = callback
      ? say(
          `Callback ${verb} if ${winner(other!, ctx)} wins: ${sendPhrase}`,
          `The callback handed over on line ${ctx.lineOf(callback)} runs later on its caller's goroutine; once the select on line ${ctx.lineOf(sel)} ` +
            `has taken another case (${describeCase(other!)}), nobody receives from unbuffered channel '${chan.name}', so that goroutine stays blocked.` +
            panics +
            (how?.type === 'call_expression' ? afterFailure(how, ctx) : ''),
        )
      : say(
          `Goroutine ${verb} if ${winner(other!, ctx)} wins: ${sendPhrase}`,
          `The select on line ${ctx.lineOf(sel)}${inHelper(sel, fn)} takes another case first (${describeCase(other!)}), and nobody receives from unbuffered channel '${chan.name}' after that.` +
            panics +
            (how?.type === 'call_expression' ? afterFailure(how, ctx) : ''),
        );
  } else if (callback) {
    return;
  } else if (!loopRecvs && ((loopGo ? loopSenders(loopGo, fn) > mine.length : goStmts.length > mine.length) || (mine.length === 1 && (innerLoop = sendingLoop(sends))))) {
    related.push({ span: spanOf(firstRecv.node), message: mine.length === 1 ? 'the only receive' : 'the first receive' });
    const senders = loopGo
      ? `Goroutines started in the loop on line ${ctx.lineOf(loopGo)} leak`
      : innerLoop
        ? `Goroutine leaks: its loop on line ${ctx.lineOf(innerLoop)} sends on every turn, but`
        : `${goStmts.length - mine.length} of ${goStmts.length} sending goroutines leak`;
    message = say(
      `${senders}${innerLoop && !loopGo ? '' : ':'} '${clip(chan.name, 20)}' is received ${mine.length === 1 ? 'once' : `${mine.length} times`} (line ${ctx.lineOf(firstRecv.node)})`,
      `Every ${innerLoop && !loopGo ? 'turn' : 'goroutine'} sends on unbuffered channel '${chan.name}'; each send nobody receives stays blocked forever.`,
    );
  } else if (earlyReturn) {
    related.push({ span: spanOf(earlyReturn), message: 'returning here leaves the sender with no receiver' });
    message =
      earlyReturn.type === 'return_statement'
        ? say(
            `Goroutine ${verb} if the function returns on line ${ctx.lineOf(earlyReturn)}: its send on line ${sendLine} ${fate}`,
            `That return comes before the receive from unbuffered channel '${chan.name}' (line ${ctx.lineOf(firstRecv.node)}), so nobody receives.` + panics,
          )
        : say(
            `Goroutine leaks if the test stops at ${clip(calleeName(earlyReturn) ?? 'the call', 20)} on line ${ctx.lineOf(earlyReturn)}: its send on line ${sendLine} blocks forever`,
            `The test stops before the receive from unbuffered channel '${chan.name}' (line ${ctx.lineOf(firstRecv.node)}), so nobody receives.` + afterFailure(earlyReturn, ctx),
          );
  }
  if (!message) return;
  // A channel made in the same loop as its goroutine has that one goroutine's sends only.
  const perTurn = loopGo && [...ancestors(loopGo, fn)].some((a) => a.type === 'for_statement' && within(chan.make, a));
  ctx.report({ span: chan.make, message, related, fixes: fixes(fn, chan, sends, goStmts, perTurn ? null : loopGo ?? null, ctx) });
}

/** One unbuffered channel per slice element, one goroutine per element, a collecting loop that can stop early. */
function checkElemChan(e: ElemChan, ctx: RuleContext): void {
  const name = `${e.slice}[i].${e.field}`;
  const stop = e.exit.type === 'return_statement' ? 'returns' : `stops at ${clip(calleeName(e.exit) ?? 'a call', 16)}`;
  const ids = new Set(e.sends.map((s) => s.id));
  const once = e.goStmts.every((g) => maxSendsPerRun(g, ids) <= 1);
  const edit = once ? addBufferEdit(e.make, '1') : null;
  ctx.report({
    span: e.make,
    message: say(
      `Goroutines leak if the collecting loop ${stop} (line ${ctx.lineOf(e.exit)}): sends on '${clip(name, 24)}' block`,
      `Each goroutine started on line ${ctx.lineOf(e.goStmts[0])} sends on its element's unbuffered channel ${name}; the loop on line ${ctx.lineOf(e.recv)} ` +
        `receives them in order and ${stop} on line ${ctx.lineOf(e.exit)}, so the goroutines of the elements not yet received stay blocked in their sends.` +
        (e.exit.type === 'call_expression' ? afterFailure(e.exit, ctx) : ''),
    ),
    related: [
      { span: spanOf(e.sends[0]), message: 'this send blocks until the loop receives it' },
      { span: spanOf(e.exit), message: 'stopping here leaves the later elements unreceived' },
    ],
    fixes: edit ? [{ kind: 'add-buffer', title: 'Buffer each element\'s channel: make(..., 1)', edits: [edit], preferred: true }] : [],
  });
}

/**
 * The case of `sel` whose taking ends the listening, or null. A case that receives from the
 * channel itself (in its body, or in a goroutine it starts) drains it and does not count.
 * Among the rest, one that returns or stops the test leaves; otherwise one leaves if the
 * select is not retried by a loop (or the channel is made anew in that loop) and no later
 * receive of the channel picks up after it.
 */
function leavingCase(sel: Node, use: ChanUse, fn: Node, chan: LocalChan, sends: ChanUse[], ctx: RuleContext): Node | null {
  const drains = (c: Node) => chan.uses.some((u) => (u.kind === 'recv' || u.kind === 'range') && u !== use && within(u.node, c));
  const others = namedChildren(sel).filter(
    (c) => !within(use.node, c) && (c.type === 'communication_case' || c.type === 'default_case') && !drains(c) && !fedBySender(c, sends),
  );
  if (!others.length) return null;
  const exits = others.find((c) => leavesBy(c, ctx) !== null);
  if (exits) return exits;
  const laterRecv = chan.uses.some((u) => !u.goStmt && (u.kind === 'recv' || u.kind === 'range') && u.node.startIndex > sel.endIndex);
  if (laterRecv) return null;
  if (!isInsideLoop(sel, fn)) return others[0];
  const loop = [...ancestors(sel, fn)].find((a) => a.type === 'for_statement');
  return loop && within(chan.make, loop) ? others[0] : null;
}

/**
 * The case receives from a channel the sender itself feeds (`case err := <-errCh` when the
 * same goroutine, or the same callee, also sends on errCh): when that case wins, the sender
 * may be done (`errCh <- err; return`), so it is not proof that a send is stranded.
 */
function fedBySender(c: Node, sends: ChanUse[]): boolean {
  if (c.type !== 'communication_case') return false;
  const comm = field(c, 'communication');
  const recv = comm?.type === 'receive_statement' ? unparen(field(comm, 'right')) : comm?.type === 'unary_expression' ? comm : comm?.namedChild(0);
  const from = recv?.type === 'unary_expression' ? unparen(field(recv, 'operand')) : null;
  if (from?.type !== 'identifier') return false;
  return sends.some((s) => {
    if (s.node.type === 'call_expression') return callArgs(s.node).some((a) => unparen(a)?.text === from.text);
    const lit = s.goStmt ? goLiteral(s.goStmt) : null;
    return !!lit && collect(lit, (n) => n.type === 'send_statement' && unparen(field(n, 'channel'))?.text === from.text, true).length > 0;
  });
}

/** ` (in helper wait)` when the select is in a closure bound to a local that the function calls with the channel. */
function inHelper(sel: Node, fn: Node): string {
  const lit = [...ancestors(sel, fn)].find((a) => a.type === 'func_literal');
  const decl = lit?.parent?.parent;
  if (!lit || decl?.type !== 'short_var_declaration' && decl?.type !== 'var_spec') return '';
  const name = decl.type === 'short_var_declaration' ? namedChildren(field(decl, 'left')!)[0]?.text : decl.childrenForFieldName('name')[0]?.text;
  return name ? ` (in helper ${clip(name, 24)})` : '';
}

/** The return, or the call that stops the test, inside a select case (not in nested literals). */
function leavesBy(c: Node, ctx: RuleContext): Node | null {
  return collect(c, (n) => n.type === 'return_statement' || endsGoroutine(n, ctx.source))[0] ?? null;
}

function afterFailure(exit: Node, ctx: RuleContext): string {
  return ` This happens only once the test has failed (${calleeName(exit) ?? 'the call'} on line ${ctx.lineOf(exit)}), but the goroutine outlives the test: later tests share the process, and goleak reports it.`;
}

/** Who wins the select, for the verdict: "the timeout", "cancellation", "the default case", "the case on line N". */
function winner(c: Node, ctx: RuleContext): string {
  const d = describeCase(c);
  if (d === 'default') return 'the default case';
  if (d === 'a timeout') return 'the timeout';
  return d === 'cancellation' ? d : `the case on line ${ctx.lineOf(c)}`;
}

function describeCase(c: Node): string {
  if (c.type === 'default_case') return 'default';
  const text = field(c, 'communication')?.text ?? '';
  if (/Done\(\)/.test(text)) return 'cancellation';
  if (/time\.After|\.C\b/.test(text)) return 'a timeout';
  return text.replace(/\s+/g, ' ');
}

function fixes(fn: Node, chan: LocalChan, sends: ChanUse[], goStmts: Node[], loopGo: Node | null, ctx: RuleContext): Fix[] {
  const out: Fix[] = [];
  // How often a callback runs is up to its caller: no buffer size fits for sure.
  // A callee that sends may send more than once.
  const capacity = sends.some((s) => s.callback || s.node.type !== 'send_statement') ? null : bufferSize(fn, sends, goStmts, loopGo);
  if (capacity) {
    const edit = addBufferEdit(chan.make, capacity);
    if (edit) out.push({ kind: 'add-buffer', title: `Buffer the channel for every sender: make(..., ${capacity})`, edits: [edit], preferred: true });
  }
  const ctxName = contextInScope(sends[0].node);
  // The select is written over several lines, so each send must start its own line.
  const ownLine = sends.every((s) => ctx.source.slice(ctx.source.lastIndexOf('\n', s.node.startIndex - 1) + 1, s.node.startIndex).trim() === '');
  const plainSends = sends.every((s) => s.node.type === 'send_statement');
  if (ctxName && ownLine && plainSends && !cancelledBeforeReceive(fn, chan, ctxName)) {
    const edits = sends.map((s) => {
      const ind = indentAt(ctx.source, s.node.startIndex);
      const eol = ctx.eol;
      return {
        start: s.node.startIndex,
        end: s.node.endIndex,
        newText: `select {${eol}${ind}case ${s.node.text}:${eol}${ind}case <-${ctxName}.Done():${eol}${ind}}`,
      };
    });
    out.push({ kind: 'select-done', title: `Give up the send when ${ctxName} is cancelled`, edits, preferred: out.length === 0 });
  }
  return out;
}

/** A capacity that fits every send, or null when it cannot be known. */
function bufferSize(fn: Node, sends: ChanUse[], goStmts: Node[], loopGo: Node | null): string | null {
  const ids = new Set(sends.map((s) => s.node.id));
  const perGo = goStmts.map((g) => maxSendsPerRun(g, ids));
  if (perGo.some((n) => !Number.isFinite(n))) return null;
  if (!loopGo) return String(perGo.reduce((a, b) => a + b, 0));
  if (goStmts.length !== 1 || perGo[0] !== 1) return null;
  const loop = [...ancestors(loopGo, fn)].find((a) => a.type === 'for_statement')!;
  if (isInsideLoop(loop, fn)) return null;
  const clause = namedChildren(loop)[0];
  if (clause?.type === 'range_clause') {
    const over = unparen(field(clause, 'right'));
    if (!over || (over.type !== 'identifier' && over.type !== 'selector_expression')) return null;
    const t = over.type === 'identifier' ? declaredType(loop, over.text) : null;
    if (!t || !['slice_type', 'array_type', 'map_type'].includes(t.type)) return null;
    return `len(${over.text})`;
  }
  if (clause?.type === 'for_clause') {
    const init = field(clause, 'initializer');
    const cond = field(clause, 'condition');
    const update = field(clause, 'update');
    if (!init || !cond || !update || cond.type !== 'binary_expression') return null;
    const v = namedChildren(field(init, 'left')!)[0]?.text;
    const start = namedChildren(field(init, 'right')!)[0]?.text;
    const op = cond.child(1)?.type;
    const bound = field(cond, 'right');
    if (start !== '0' || field(cond, 'left')?.text !== v || op !== '<' || update.text !== `${v}++` || !bound) return null;
    if (!/^([A-Za-z_]\w*|\d+|len\([A-Za-z_][\w.]*\))$/.test(bound.text)) return null;
    return bound.text;
  }
  return null;
}

/**
 * A loop inside the sending goroutine around one of its sends (also around a goroutine the
 * goroutine starts), with no condition between them, where the send is not followed by
 * `return` or `break`: it sends on every turn. Null when no send is like that.
 */
function sendingLoop(sends: ChanUse[]): Node | null {
  for (const s of sends) {
    if (!s.goStmt || s.callback) continue;
    const next = (s.node.type === 'send_statement' ? s.node : s.node.parent)?.nextNamedSibling;
    if (next && /^(return_statement|break_statement)$/.test(next.type)) continue;
    // A send under a condition (`if i == n/2 { ch <- v }`) may happen once: only unconditional ones count.
    for (const a of ancestors(s.node, s.goStmt)) {
      if (/^(if_statement|expression_switch_statement|type_switch_statement)$/.test(a.type)) break;
      if (a.type === 'for_statement') return a;
    }
  }
  return null;
}

/** How many goroutines a loop starts: its literal bound, or 2 when unknown (so only a single receive is clearly too few). */
function loopSenders(goStmt: Node, fn: Node): number {
  const loop = [...ancestors(goStmt, fn)].find((a) => a.type === 'for_statement');
  const clause = loop ? namedChildren(loop)[0] : null;
  if (clause?.type === 'for_clause') {
    const cond = field(clause, 'condition');
    const bound = cond?.type === 'binary_expression' && cond.child(1)?.type === '<' ? field(cond, 'right') : null;
    const init = field(clause, 'initializer');
    if (bound?.type === 'int_literal' && init && /:=\s*0$/.test(init.text)) return Number(bound.text);
  }
  return 2;
}

/**
 * The function itself cancels the context (`cancel()`, not deferred) before its last receive:
 * a send that gives up on ctx.Done() could then drop a value that is still awaited.
 */
function cancelledBeforeReceive(fn: Node, chan: LocalChan, ctxName: string): boolean {
  const body = field(fn, 'body');
  if (!body) return false;
  const m = new RegExp(`(?:^|[\\s;(])${ctxName}\\s*,\\s*(\\w+)\\s*:?=\\s*context\\.With`).exec(body.text);
  if (!m || m[1] === '_') return false;
  const lastRecv = Math.max(...chan.uses.filter((u) => !u.goStmt && (u.kind === 'recv' || u.kind === 'range')).map((u) => u.node.startIndex));
  return collect(body, (n) => n.type === 'expression_statement' && n.text.replace(/\s/g, '') === `${m[1]}()`).some((c) => c.startIndex < lastRecv);
}
