import type { Rule, RuleContext } from '../context';
import { endlessLoops, neverReturns } from '../go/loops';
import { freshName, namesIn } from '../go/scope';
import {
  ancestors,
  callArgs,
  callee,
  calleeName,
  collect,
  countNaming,
  enclosingFunc,
  enclosingLoop,
  field,
  identifiersIn,
  indentAt,
  lineEndOf,
  startsLine,
  isInsideLoop,
  namedChildren,
  some,
  statementOf,
  unparen,
  within,
  type Node,
} from '../go/syntax';
import type { Fix } from '../types';
import { clip, message as say } from './message';

const TIMER_CALL = /\btime\.(?:NewTimer|NewTicker|Tick|After|AfterFunc)\s*\(/;

export const timerNotStopped: Rule = {
  meta: {
    id: 'timer-not-stopped',
    description: 'A timer or ticker that is never stopped, or a new timer made on every loop iteration',
    defaultSeverity: 'warning',
    docs: 'docs/rules/timer-not-stopped.md',
    fixable: true,
  },
  nodeTypes: [],
  checkFile(ctx) {
    if (!ctx.scanText.includes('time.')) return;
    for (const call of ctx.callsMatching(new RegExp(TIMER_CALL, 'g'))) this.check(call, ctx);
  },
  fileWants: (ctx) => ctx.source.includes('time.') && TIMER_CALL.test(ctx.source),
  bodyWants: (func) => TIMER_CALL.test(func),
  check(call, ctx) {
    const name = calleeName(call);
    if (!name || !name.startsWith('time.')) return;
    const fn = enclosingFunc(call);
    if (!fn || fn.hasError) return;
    // From Go 1.23 the runtime frees timers and tickers that nothing references, stopped or not:
    // only one kept alive for good (read by a goroutine that never ends) or a callback that
    // reschedules itself forever is still a leak.
    const collected = ctx.goAtLeast(23);
    switch (name) {
      case 'time.NewTimer':
      case 'time.NewTicker':
        return checkNew(call, fn, name === 'time.NewTicker', collected, ctx);
      case 'time.Tick':
        return collected ? undefined : checkTick(call, fn, ctx);
      case 'time.After':
        return collected ? undefined : checkAfterInLoop(call, fn, ctx);
      case 'time.AfterFunc':
        return checkAfterFuncChain(call, fn, ctx);
    }
  },
};

function checkNew(call: Node, fn: Node, ticker: boolean, collected: boolean, ctx: RuleContext): void {
  const bound = boundVar(call);
  if (!bound) return;
  const { name, stmt } = bound;
  const body = field(fn, 'body')!;
  const after = stmt.endIndex;
  const uses = identifiersIn(body, name).filter((n) => n.startIndex > after);
  let readForever: { go: Node; loop: Node } | null = null;
  let readInLiteral = false;
  for (const u of uses) {
    const sel = u.parent;
    const member = sel?.type === 'selector_expression' && field(sel, 'operand')?.id === u.id ? field(sel, 'field')?.text : undefined;
    if (member === 'Stop') return;
    if (member === 'C') {
      readForever ??= endlessGoroutineRead(u, fn);
      readInLiteral ||= [...ancestors(u, fn)].some((a) => a.type === 'func_literal');
      continue;
    }
    if (member === 'Reset') continue;
    return; // escapes: returned, stored or passed on
  }
  let message: string;
  if (collected) {
    // Collected once unreferenced: only a goroutine that reads it forever keeps it alive.
    if (!readForever) return;
    message = say(
      `${ticker ? 'Ticker' : 'Timer'} '${clip(name, 20)}' is never freed: a goroutine reads it in an endless loop (line ${ctx.lineOf(readForever.loop)})`,
      `It is never stopped, and the goroutine started on line ${ctx.lineOf(readForever.go)} keeps it referenced: even Go 1.23's timer collection ` +
        `cannot free it, and it keeps firing for the life of the process.`,
    );
  } else {
    if (!ticker && drainedRightAway(stmt, name)) return;
    message = ticker
      ? say(`Ticker '${clip(name, 20)}' is never stopped: before Go 1.23 it is never freed`, 'It keeps firing for as long as it is referenced, and Go before 1.23 never garbage-collects it.')
      : say(`Timer '${clip(name, 20)}' is never stopped: before Go 1.23 it is freed only when it fires`, 'Until then the timer and what its channel holds stay in memory. From Go 1.23 an unreferenced timer is collected.');
  }
  const fixes: Fix[] = [];
  // A deferred Stop would starve a goroutine or callback that reads the channel after the function returns.
  if (stmt.parent?.type === 'statement_list' && !isInsideLoop(stmt, fn) && !readInLiteral) {
    fixes.push({
      kind: 'defer-stop',
      title: `Add defer ${name}.Stop()`,
      preferred: true,
      edits: [{ start: lineEndOf(ctx.source, stmt.endIndex), end: lineEndOf(ctx.source, stmt.endIndex), newText: `${ctx.eol}${indentAt(ctx.source, stmt.startIndex)}defer ${name}.Stop()` }],
    });
  }
  ctx.report({ span: call, message, fixes });
}

/** A read of a timer's channel inside a goroutine literal, within a loop of it that never ends. */
function endlessGoroutineRead(use: Node, fn: Node): { go: Node; loop: Node } | null {
  for (const lit of ancestors(use, fn)) {
    if (lit.type !== 'func_literal') continue;
    const go = unparen(lit.parent)?.type === 'call_expression' ? lit.parent!.parent : null;
    if (go?.type !== 'go_statement' || field(lit.parent!, 'function')?.id !== lit.id) continue;
    const body = field(lit, 'body');
    const loop = body && endlessLoops(body).find((l) => l.kind !== 'chan' && within(use, l.node));
    if (loop) return { go, loop: loop.node };
  }
  return null;
}

/** `t := time.NewTimer(d)` or `var t = ...`: the variable and its statement. */
function boundVar(call: Node): { name: string; stmt: Node } | null {
  const list = call.parent;
  const stmt = list?.parent;
  if (!list || !stmt || list.type !== 'expression_list' || namedChildren(list).length !== 1) return null;
  if (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement') {
    const lhs = namedChildren(field(stmt, 'left')!);
    if (lhs.length !== 1 || lhs[0].type !== 'identifier' || lhs[0].text === '_') return null;
    return { name: lhs[0].text, stmt };
  }
  if (stmt.type === 'var_spec') {
    const names = stmt.childrenForFieldName('name');
    if (names.length !== 1 || !names[0]) return null;
    return { name: names[0].text, stmt: stmt.parent?.type === 'var_declaration' ? stmt.parent : stmt };
  }
  return null;
}

/** `<-t.C` as a plain statement later in the same block, with no return before it. */
function drainedRightAway(stmt: Node, name: string): boolean {
  for (let s = stmt.nextNamedSibling; s; s = s.nextNamedSibling) {
    if (s.type === 'expression_statement' && unparen(s.namedChild(0))?.text.replace(/\s/g, '') === `<-${name}.C`) return true;
    if (some(s, (n) => n.type === 'return_statement', false) || s.type === 'return_statement') return false;
  }
  return false;
}

function checkTick(call: Node, fn: Node, ctx: RuleContext): void {
  let top: Node = fn;
  for (let f: Node | null = fn; f; f = enclosingFunc(f)) top = f;
  const topName = top.type === 'function_declaration' ? field(top, 'name')?.text : undefined;
  if (topName === 'main' || topName === 'init') return;
  if (neverReturns(fn)) return;
  const message = say(
    'time.Tick makes a ticker nothing can stop: before Go 1.23 it is never freed',
    'Once this function returns, the ticker keeps firing, and Go before 1.23 never garbage-collects it.',
  );
  ctx.report({ span: call, message, fixes: tickFix(call, fn, ctx) });
}

function tickFix(call: Node, fn: Node, ctx: RuleContext): Fix[] {
  const stmt = statementOf(call);
  if (!stmt || isInsideLoop(stmt, fn) || [...ancestors(call, stmt)].some((a) => a.type === 'communication_case' || a.type === 'func_literal')) return [];
  const at = startsLine(ctx.source, stmt);
  if (at === null) return [];
  const ticker = freshName(namesIn(fn), 'ticker', 'tick');
  const ind = indentAt(ctx.source, stmt.startIndex);
  const d = callArgs(call).map((a) => a.text).join(', ');
  return [{
    kind: 'use-new-ticker',
    title: `Use time.NewTicker with defer ${ticker}.Stop()`,
    preferred: true,
    edits: [
      { start: at, end: at, newText: `${ind}${ticker} := time.NewTicker(${d})${ctx.eol}${ind}defer ${ticker}.Stop()${ctx.eol}` },
      { start: call.startIndex, end: call.endIndex, newText: `${ticker}.C` },
    ],
  }];
}

function checkAfterInLoop(call: Node, fn: Node, ctx: RuleContext): void {
  const recv = call.parent;
  if (!recv || recv.type !== 'unary_expression') return;
  let comm: Node | null = recv.parent;
  if (comm?.type === 'receive_statement') comm = comm.parent;
  if (comm?.type !== 'communication_case') return;
  const sel = comm.parent;
  if (!sel || sel.type !== 'select_statement') return;
  // The loop around the select in this function, with no function literal in between.
  const loop = enclosingLoop(sel);
  if (!loop) return;
  if (literalTripCount(loop) !== null) return; // `for i := 0; i < 4; i++`: a handful of timers, not a pile
  // Timers pile up only when another case can fire first and the loop comes back:
  // if every other case returns, each timer is either received or the loop ends.
  const cases = namedChildren(sel).filter((c) => c.type === 'communication_case' || c.type === 'default_case');
  if (cases.every((c) => c.id === comm!.id || leavesLoop(c, loop))) return;
  const message = say(
    `New timer on every turn of the loop on line ${ctx.lineOf(loop)}: before Go 1.23 they pile up until they fire`,
    'time.After in a select inside the loop makes a new timer on every iteration, and none of them is freed until it fires, so a busy loop piles up timers.',
  );
  ctx.report({ span: call, message, fixes: afterFix(call, sel, loop, fn, ctx) });
}

function afterFix(call: Node, sel: Node, loop: Node, fn: Node, ctx: RuleContext): Fix[] {
  const loopStmt = loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
  if (loopStmt.parent?.type !== 'statement_list' || sel.parent?.type !== 'statement_list' || isInsideLoop(loop, fn)) return [];
  const args = callArgs(call);
  if (args.length !== 1) return [];
  // The duration must be computable before the loop.
  const declaredInLoop = (name: string) => countNaming(loop, 'timer-loop-decls', ['short_var_declaration', 'range_clause', 'var_spec'], loopDeclNames, name) > 0;
  if (some(args[0], (n) => n.type === 'identifier' && declaredInLoop(n.text), true) || (args[0].type === 'identifier' && declaredInLoop(args[0].text))) return [];
  const d = args[0].text;
  const timer = freshName(namesIn(fn), 'timer', 'timeout');
  const eol = ctx.eol;
  const loopAt = startsLine(ctx.source, loopStmt);
  const selAt = startsLine(ctx.source, sel);
  if (loopAt === null || selAt === null) return [];
  const li = indentAt(ctx.source, loop.startIndex); // a label sits outdented; use the for's own indent
  const si = indentAt(ctx.source, sel.startIndex);
  return [{
    kind: 'reuse-timer',
    title: `Make one timer before the loop and Reset it each iteration`,
    preferred: true,
    edits: [
      { start: loopAt, end: loopAt, newText: `${li}${timer} := time.NewTimer(${d})${eol}${li}defer ${timer}.Stop()${eol}` },
      {
        start: selAt,
        end: selAt,
        newText:
          `${si}if !${timer}.Stop() {${eol}${si}\tselect {${eol}${si}\tcase <-${timer}.C:${eol}${si}\tdefault:${eol}${si}\t}${eol}${si}}${eol}` +
          `${si}${timer}.Reset(${d})${eol}`,
      },
      { start: call.startIndex, end: call.endIndex, newText: `${timer}.C` },
    ],
  }];
}

function loopDeclNames(d: Node): string[] {
  return d.type === 'var_spec' ? d.childrenForFieldName('name').map((x) => x?.text ?? '') : namedChildren(field(d, 'left') ?? d).map((x) => x.text);
}

/** The case's statements end by leaving the loop: return, a break to the loop's label, panic or Fatal. */
function leavesLoop(c: Node, loop: Node): boolean {
  const list = namedChildren(c).find((x) => x.type === 'statement_list');
  const last = list ? namedChildren(list).filter((x) => x.type !== 'comment').pop() : null;
  if (!last) return false;
  if (last.type === 'return_statement' || last.type === 'goto_statement') return true;
  if (last.type === 'break_statement') {
    const label = loop.parent?.type === 'labeled_statement' ? field(loop.parent, 'label')?.text : undefined;
    return !!label && last.namedChild(0)?.text === label;
  }
  const call = last.type === 'expression_statement' ? last.namedChild(0) : null;
  return !!call && call.type === 'call_expression' && /^(panic|log\.Fatal\w*|os\.Exit|\w+\.(Fatal|Fatalf|FailNow|Skip|Skipf|SkipNow))$/.test(calleeName(call) ?? '');
}

/** N for `for i := 0; i < N; i++` with a literal N, else null. */
function literalTripCount(loop: Node): number | null {
  const clause = namedChildren(loop)[0];
  if (clause?.type !== 'for_clause') return null;
  const cond = field(clause, 'condition');
  const bound = cond?.type === 'binary_expression' ? field(cond, 'right') : null;
  return bound?.type === 'int_literal' ? Number(bound.text) : null;
}

/**
 * `time.AfterFunc(d, f)` whose callback is the function it sits in (or calls it), with the *Timer
 * discarded and no condition or return before it: each run schedules the next, forever.
 */
function checkAfterFuncChain(call: Node, fn: Node, ctx: RuleContext): void {
  if (call.parent?.type !== 'expression_statement') return;
  const cb = unparen(callArgs(call)[1] ?? null);
  if (!cb) return;
  for (let self: Node | null = fn; self; self = enclosingFunc(self)) {
    const selfName = funcName(self);
    if (!selfName) continue;
    const names = (n: Node) => (n.type === 'identifier' ? n.text : n.type === 'selector_expression' ? field(n, 'field')?.text : undefined) === selfName;
    const reschedules = names(cb) || (cb.type === 'func_literal' && some(cb, (n) => n.type === 'call_expression' && !!callee(n) && names(unparen(callee(n))!), true));
    if (!reschedules) return;
    const body = field(self, 'body');
    if (!body) return;
    const conditional = [...ancestors(call.parent, body)].some((a) => /^(if_statement|expression_switch_statement|type_switch_statement|select_statement|for_statement|func_literal)$/.test(a.type));
    const returnsFirst = collect(body, (n) => n.type === 'return_statement' && n.startIndex < call.startIndex).length > 0;
    if (conditional || returnsFirst) return;
    ctx.report({
      span: call,
      message: say(
        `time.AfterFunc reschedules ${clip(selfName, 30)} forever: nothing can stop it`,
        `${selfName} reschedules itself, the *Timer is discarded and no condition or return comes first, ` +
          `so the callback (and everything it holds) runs again and again for the life of the process.`,
      ),
    });
    return;
  }
}

/** A declared function's or method's name, or the variable a function literal is assigned to. */
function funcName(fn: Node): string | null {
  if (fn.type !== 'func_literal') return field(fn, 'name')?.text ?? null;
  const list = fn.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || (stmt?.type !== 'assignment_statement' && stmt?.type !== 'short_var_declaration')) return null;
  const lhs = namedChildren(field(stmt, 'left')!);
  return lhs.length === 1 && lhs[0].type === 'identifier' ? lhs[0].text : null;
}
