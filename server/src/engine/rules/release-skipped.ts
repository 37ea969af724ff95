// A release at the tail of a function that an earlier exit skips: the function starts a
// goroutine that waits for `close(ch)` (ranging over ch, or a plain `<-ch`), and closes ch
// only at its end, where an earlier `return` or a test's t.Fatal/require never gets.
import { spanOf, type Rule, type RuleContext } from '../context';
import { localChans, type ChanUse, type LocalChan } from '../go/chans';
import { endsGoroutine } from '../go/exits';
import { GO_STMT } from '../go/hints';
import { calleeName, collect, field, FUNC_TYPES, indentAt, lineEndOf, namedChildren, params, receiverTypeName, wholeLineSpan, type Node } from '../go/syntax';
import type { Fix } from '../types';
import { clip, message as say } from './message';

export const releaseSkipped: Rule = {
  meta: {
    id: 'release-skipped',
    description: 'A close that a waiting goroutine needs is made at the end of the function, where an early return or t.Fatal skips it',
    defaultSeverity: 'warning',
    docs: 'docs/rules/release-skipped.md',
    fixable: true,
  },
  nodeTypes: [...FUNC_TYPES],
  wants: (text) => text.includes('close(') && (GO_STMT.test(text) || /^func\s*\(/.test(text)),
  // Some method declaration (its text starts `func (`) may hold the close.
  wantsSome: (source) => source.includes('close(') && (GO_STMT.test(source) || /\bfunc\s*\(/.test(source)),
  check(fn, ctx) {
    if (fn.hasError) return;
    if (fn.type === 'method_declaration') checkStopMethod(fn, ctx);
    for (const chan of ctx.cached(`chans:${fn.id}`, () => localChans(fn))) checkChan(fn, chan, ctx);
  },
};

const STOP_METHODS = /^(Stop|Close|Shutdown)$/;

/**
 * A Stop/Close/Shutdown method whose `close(x.quit)` at the tail, which the value's own
 * goroutines wait for (go/owners.ts), is skipped by an earlier return (`if err := ...; err
 * != nil { return err }`): those goroutines run on after the value is closed.
 */
function checkStopMethod(fn: Node, ctx: RuleContext): void {
  const name = field(fn, 'name')?.text ?? '';
  const recv = params(fn, 'receiver')[0];
  const type = recv ? receiverTypeName(recv.type) : null;
  const owner = type ? ctx.pkg.owners.get(type) : undefined;
  const list = namedChildren(field(fn, 'body')!).find((c) => c.type === 'statement_list');
  if (!STOP_METHODS.test(name) || !owner || !recv?.name || !list) return;
  for (const stmt of namedChildren(list)) {
    const call = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
    const arg = call?.type === 'call_expression' && calleeName(call) === 'close' ? namedChildren(field(call, 'arguments')!)[0] : null;
    const fieldName = arg?.type === 'selector_expression' && field(arg, 'operand')?.text === recv.name ? field(arg, 'field')?.text : undefined;
    const waiter = fieldName ? owner.waiters.get(fieldName) : undefined;
    if (!arg || !fieldName || !waiter) continue;
    // `if x.shutdown { return }` with `x.shutdown = true` further down: the guard of a second
    // call, after the first one closed it; such a return skips nothing.
    const flags = new Set(collect(list, (n) => n.type === 'assignment_statement').flatMap((a) => namedChildren(field(a, 'left')!).map((l) => l.text)));
    const guard = (r: Node) => {
      let ifs: Node | null = r.parent;
      for (let up = 0; ifs && ifs.type !== 'if_statement' && up < 3; up++) ifs = ifs.parent;
      const cond = ifs?.type === 'if_statement' ? field(ifs, 'condition') : null;
      return !!cond && ([cond, ...collect(cond, (n) => n.type === 'selector_expression')].some((x) => flags.has(x.text)) || cond.text.replace(/\s/g, '') === `${arg.text}==nil`);
    };
    const exit = collect(list, (n) => n.type === 'return_statement').find((r) => r.endIndex <= stmt.startIndex && !guard(r));
    if (!exit) continue;
    const line = wholeLineSpan(ctx.source, stmt);
    const open = lineEndOf(ctx.source, field(fn, 'body')!.startIndex);
    ctx.report({
      span: call!,
      message: say(
        `Goroutines leak when ${name} returns on line ${ctx.lineOf(exit)}: close(${clip(arg.text, 30)}) is skipped`,
        `${type}.${waiter} starts a goroutine whose loop ends only when ${arg.text} is closed; the return on line ${ctx.lineOf(exit)} ` +
          `leaves ${name} before the close on line ${ctx.lineOf(stmt)}, so that goroutine runs on after the value is ${name === 'Close' ? 'closed' : 'stopped'}.`,
      ),
      related: [{ span: spanOf(exit), message: 'returning here skips the close' }],
      fixes: line
        ? [{
            kind: 'defer-close',
            title: `Close ${arg.text} on every way out (defer it)`,
            preferred: true,
            edits: [
              { start: open, end: open, newText: `${ctx.eol}${indentAt(ctx.source, stmt.startIndex)}defer close(${arg.text})` },
              { start: line.start, end: line.end, newText: '' },
            ],
          }]
        : [],
    });
    return;
  }
}

function checkChan(fn: Node, chan: LocalChan, ctx: RuleContext): void {
  const uses = chan.uses;
  // Handing the channel to a call (`progress.ChanOutput(ch)`, `go produce(ch)`) is fine: the
  // function closes it itself at its tail, so no callee does (a second close would panic).
  const escapes = uses.filter((u) => u.kind === 'escape' && !isCallArgument(u.node));
  if (escapes.length || uses.some((u) => u.kind === 'return' || u.inClosure)) return;
  const closes = uses.filter((u) => u.kind === 'close' && !u.goStmt);
  if (closes.length === 0 || closes.some((c) => c.node.parent?.type === 'defer_statement')) return;
  // The goroutine waits for the close: it ranges over ch, or receives once with no way out
  // while the function never sends (a send could satisfy that receive instead).
  const functionSends = uses.some((u) => u.kind === 'send' && !u.goStmt);
  const waits = uses.filter((u) => u.goStmt && ((u.kind === 'range') || (u.kind === 'recv' && !u.leavingSelect && !functionSends)));
  if (waits.length === 0 || uses.some((u) => u.goStmt && u.kind === 'close')) return;
  const wait = waits[0];
  const body = field(fn, 'body')!;
  const close = closes[closes.length - 1].node; // the close at the tail
  const exit = collect(body, (n) => n.type === 'return_statement' || endsGoroutine(n, ctx.source)).find(
    (e) => e.startIndex > wait.goStmt!.endIndex && e.endIndex <= close.startIndex && !coveredByClose(e, closes, body),
  );
  if (!exit) return;
  const how = exit.type === 'return_statement' ? `the function returns on line ${ctx.lineOf(exit)}` : `the test stops at ${calleeName(exit)} on line ${ctx.lineOf(exit)}`;
  const waitHow = wait.kind === 'range' ? `ranges over '${chan.name}'` : `waits on <-${chan.name}`;
  ctx.report({
    span: close,
    message: say(
      `Goroutine leaks if ${exit.type === 'return_statement' ? `the function returns on line ${ctx.lineOf(exit)}` : `the test stops on line ${ctx.lineOf(exit)}`}: ` +
        `close(${clip(chan.name, 20)}) on line ${ctx.lineOf(close)} is skipped`,
      `The goroutine started on line ${ctx.lineOf(wait.goStmt!)} ${waitHow} until it is closed, so it stays blocked forever` +
        (exit.type === 'return_statement' ? '.' : ` (${how}). This happens only once the test has failed, but the goroutine outlives the test.`),
    ),
    related: [
      { span: spanOf(exit), message: 'leaving here skips the close' },
      { span: spanOf(wait.node), message: 'this goroutine waits for the close' },
    ],
    fixes: deferFix(fn, chan, closes, ctx),
  });
}

/** A close of the channel earlier in a block that holds the exit: that path closes first. */
function coveredByClose(exit: Node, closes: ChanUse[], body: Node): boolean {
  for (let a = exit.parent; a && a.id !== body.id; a = a.parent) {
    if (a.type === 'func_literal') return true; // an exit of a nested literal is not the function's
    // A close statement of this very block, before the exit: every path to the exit runs it.
    if (closes.some((c) => c.node.parent?.parent?.id === a!.id && c.node.startIndex < exit.startIndex)) return true;
  }
  return false;
}

/**
 * `defer close(ch)` right after the channel is made, replacing the close at the tail: only
 * when that close is the function's last statement, so the close still happens at the same
 * moment on the normal path.
 */
function deferFix(fn: Node, chan: LocalChan, closes: ChanUse[], ctx: RuleContext): Fix[] {
  if (closes.length !== 1) return [];
  const body = field(fn, 'body');
  const top = body ? namedChildren(body).find((c) => c.type === 'statement_list') : null;
  const stmts = top ? namedChildren(top).filter((c) => c.type !== 'comment') : [];
  const last = stmts[stmts.length - 1];
  const closeStmt = closes[0].node.parent;
  if (!last || !closeStmt || last.id !== closeStmt.id || chan.decl.parent?.id !== top!.id) return [];
  const line = wholeLineSpan(ctx.source, closeStmt);
  if (!line) return [];
  const at = lineEndOf(ctx.source, chan.decl.endIndex);
  return [{
    kind: 'defer-close',
    title: `Close ${chan.name} with defer, right after it is made`,
    preferred: true,
    edits: [
      { start: at, end: at, newText: `${ctx.eol}${indentAt(ctx.source, chan.decl.startIndex)}defer close(${chan.name})` },
      { ...line, newText: '' },
    ],
  }];
}

function isCallArgument(id: Node): boolean {
  return id.parent?.type === 'argument_list' && id.parent.parent?.type === 'call_expression';
}
