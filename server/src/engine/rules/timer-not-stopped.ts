import type { Rule, RuleContext } from '../context';
import { endlessLoops } from '../go/loops';
import { freshName, namesIn } from '../go/scope';
import {
  ancestors,
  callArgs,
  calleeName,
  collect,
  enclosingFunc,
  field,
  indentAt,
  lineEndOf,
  lineStartOf,
  isInsideLoop,
  namedChildren,
  some,
  statementOf,
  unparen,
  type Node,
} from '../go/syntax';
import type { Fix, Severity } from '../types';

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
    if (!ctx.source.includes('time.')) return;
    for (const call of ctx.callsMatching(/\btime\.(?:NewTimer|NewTicker|Tick|After|AfterFunc)\s*\(/g)) this.check(call, ctx);
  },
  check(call, ctx) {
    const name = calleeName(call);
    if (!name || !name.startsWith('time.')) return;
    const fn = enclosingFunc(call);
    if (!fn || fn.hasError) return;
    switch (name) {
      case 'time.NewTimer':
      case 'time.NewTicker':
        return checkNew(call, fn, name === 'time.NewTicker', ctx);
      case 'time.Tick':
        return checkTick(call, fn, ctx);
      case 'time.After':
        return checkAfterInLoop(call, fn, ctx);
      case 'time.AfterFunc':
        if (call.parent?.type === 'expression_statement') {
          ctx.report({
            span: call,
            severity: 'info',
            message: 'The *time.Timer returned by time.AfterFunc is discarded, so the callback can never be cancelled with Stop: it, and everything it captures, stays alive until it runs.',
          });
        }
    }
  },
};

function gcNote(ctx: RuleContext): string {
  return ` Since Go 1.23 (go.mod says go ${ctx.goVersion!.major}.${ctx.goVersion!.minor}) an unreferenced timer is garbage-collected, so this costs little; stopping it still says when it is done.`;
}

function checkNew(call: Node, fn: Node, ticker: boolean, ctx: RuleContext): void {
  const bound = boundVar(call);
  if (!bound) return;
  const { name, stmt } = bound;
  const body = field(fn, 'body')!;
  const uses = collect(body, (n) => n.type === 'identifier' && n.text === name && n.startIndex > stmt.endIndex, true);
  let readInLoop = false;
  for (const u of uses) {
    const sel = u.parent;
    const member = sel?.type === 'selector_expression' && field(sel, 'operand')?.id === u.id ? field(sel, 'field')?.text : undefined;
    if (member === 'Stop') return;
    if (member === 'C') {
      if (isInsideLoop(u, fn) || isRangeOver(sel!)) readInLoop = true;
      continue;
    }
    if (member === 'Reset') continue;
    return; // escapes: returned, stored or passed on
  }
  if (!ticker && drainedRightAway(stmt, name)) return;
  let severity: Severity = 'warning';
  let message = ticker
    ? `Ticker '${name}' is never stopped: it keeps firing for as long as it is referenced, and before Go 1.23 it is never garbage-collected.`
    : `Timer '${name}' is never stopped: before Go 1.23 it (and what its channel holds) cannot be freed until it fires.`;
  if (ctx.goAtLeast(23) && !(ticker && readInLoop)) {
    severity = 'info';
    message += gcNote(ctx);
  }
  const fixes: Fix[] = [];
  if (stmt.parent?.type === 'statement_list' && !isInsideLoop(stmt, fn)) {
    fixes.push({
      kind: 'defer-stop',
      title: `Add defer ${name}.Stop()`,
      preferred: true,
      edits: [{ start: lineEndOf(ctx.source, stmt.endIndex), end: lineEndOf(ctx.source, stmt.endIndex), newText: `${ctx.eol}${indentAt(ctx.source, stmt.startIndex)}defer ${name}.Stop()` }],
    });
  }
  ctx.report({ span: call, severity, message, fixes });
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

function isRangeOver(sel: Node): boolean {
  return sel.parent?.type === 'range_clause';
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
  const inLoop = isRangeHeader(call) || isInsideLoop(call, fn);
  let severity: Severity = 'warning';
  let message = `time.Tick makes a ticker that can never be stopped: once this function returns, it keeps firing, and before Go 1.23 it is never garbage-collected.`;
  if (ctx.goAtLeast(23) && !inLoop) {
    severity = 'info';
    message += gcNote(ctx);
  }
  ctx.report({ span: call, severity, message, fixes: tickFix(call, fn, ctx) });
}

function isRangeHeader(call: Node): boolean {
  return call.parent?.type === 'range_clause';
}

/** A function whose body ends in a loop with no exit never returns (a worker's main loop). */
function neverReturns(fn: Node): boolean {
  const body = field(fn, 'body');
  const list = body ? namedChildren(body).find((c) => c.type === 'statement_list') : null;
  const last = list ? namedChildren(list).filter((c) => c.type !== 'comment').pop() : null;
  if (!last || !body) return false;
  return endlessLoops(body).some((l) => l.node.id === last.id && l.kind !== 'chan');
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
  const loop = [...ancestors(sel, fn)].find((a) => a.type === 'for_statement');
  if (!loop || [...ancestors(sel, loop)].some((a) => a.type === 'func_literal')) return;
  if (literalTripCount(loop) !== null) return; // `for i := 0; i < 4; i++`: a handful of timers, not a pile
  // Timers pile up only when another case can fire first and the loop comes back:
  // if every other case returns, each timer is either received or the loop ends.
  const cases = namedChildren(sel).filter((c) => c.type === 'communication_case' || c.type === 'default_case');
  if (cases.every((c) => c.id === comm!.id || leavesLoop(c, loop))) return;
  let severity: Severity = 'warning';
  let message =
    `time.After in a select inside the loop on line ${ctx.lineOf(loop)} makes a new timer on every iteration; ` +
    `before Go 1.23 none of them is freed until it fires, so a busy loop piles up timers.`;
  if (ctx.goAtLeast(23)) {
    severity = 'info';
    message += gcNote(ctx);
  }
  ctx.report({ span: call, severity, message, fixes: afterFix(call, sel, loop, fn, ctx) });
}

function afterFix(call: Node, sel: Node, loop: Node, fn: Node, ctx: RuleContext): Fix[] {
  const loopStmt = loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
  if (loopStmt.parent?.type !== 'statement_list' || sel.parent?.type !== 'statement_list' || isInsideLoop(loop, fn)) return [];
  const args = callArgs(call);
  if (args.length !== 1) return [];
  // The duration must be computable before the loop.
  const declaredInLoop = new Set(
    collect(loop, (n) => n.type === 'short_var_declaration' || n.type === 'range_clause' || n.type === 'var_spec', true).flatMap((d) =>
      d.type === 'var_spec' ? d.childrenForFieldName('name').map((x) => x?.text ?? '') : namedChildren(field(d, 'left') ?? d).map((x) => x.text),
    ),
  );
  if (some(args[0], (n) => n.type === 'identifier' && declaredInLoop.has(n.text), true) || (args[0].type === 'identifier' && declaredInLoop.has(args[0].text))) return [];
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

/** Start of the line `n` begins, when only indentation precedes it there; else null. */
function startsLine(text: string, n: Node): number | null {
  const start = lineStartOf(text, n.startIndex);
  return text.slice(start, n.startIndex).trim() === '' ? start : null;
}

/** N for `for i := 0; i < N; i++` with a literal N, else null. */
function literalTripCount(loop: Node): number | null {
  const clause = namedChildren(loop)[0];
  if (clause?.type !== 'for_clause') return null;
  const cond = field(clause, 'condition');
  const bound = cond?.type === 'binary_expression' ? field(cond, 'right') : null;
  return bound?.type === 'int_literal' ? Number(bound.text) : null;
}
