import { spanOf, type Rule, type RuleContext } from '../context';
import { closingPoint, type ClosingPoint } from '../go/closing';
import { unclosedFieldLoop, type FieldLoop } from '../go/field-loops';
import { unstoppableServer, type UnstoppableServer } from '../go/servers';
import { blocksInside, endlessLoops, neverReturns, type EndlessLoop } from '../go/loops';
import { onlyWaitsOnDone } from '../go/parkers';
import { onceSetup } from '../go/once';
import { closureBoundTo, contextInScope, doneChanInScope } from '../go/scope';
import {
  calleeName,
  enclosingFunc,
  field,
  goKeyword,
  goLiteral,
  holdsAround,
  identifiersIn,
  indentAt,
  isPointerTo,
  isQualified,
  isReceive,
  leadingComments,
  lineEndOf,
  namedChildren,
  ofType,
  outermostFunc,
  params,
  receiverTypeName,
  some,
  stmtCall,
  unparen,
  type Node,
} from '../go/syntax';
import type { Fix, RelatedLocation } from '../types';
import type { EndlessFunc } from '../package-index';
import { basename } from 'node:path';
import { GO_STMT } from '../go/hints';
import { clip, message as say } from './message';

export const goroutineWithoutCancel: Rule = {
  meta: {
    id: 'goroutine-without-cancel',
    description: 'A goroutine that can never end: an endless loop with no way to stop it',
    defaultSeverity: 'warning',
    docs: 'docs/rules/goroutine-without-cancel.md',
    fixable: true,
  },
  nodeTypes: ['go_statement'],
  wants: (text) => GO_STMT.test(text),
  check(go, ctx) {
    const fn = enclosingFunc(go);
    if (!fn || fn.hasError || isProcessLifetime(go, fn, ctx)) return;
    const lit = goLiteral(go) ?? boundClosure(go);
    if (lit && joinedBeforeReturn(go, lit, fn, ctx)) return;
    if (lit) checkLiteral(go, lit, ctx);
    else checkNamed(go, ctx);
  },
};

const LIFETIME_DOC = /\b(for the (whole )?(life|lifetime) of the (process|program|daemon)|(process|program|daemon)[- ]lifetime|until the (process|program) (exits|ends|is killed)|long-lived object)\b/i;

/**
 * Goroutines that live as long as the process by design, so "one more per call" is wrong:
 * started from `main` of package main or `init`; from a CLI command's action (a
 * `*cli.Context` or `*cobra.Command` parameter); inside a `sync.Once`'s `Do`; from a function
 * that itself never returns or whose doc comment says it lives as long as the process; or
 * from a test-file `Example` with no `// Output:` (compiled, never run).
 */
function isProcessLifetime(go: Node, fn: Node, ctx: RuleContext): boolean {
  const top = outermostFunc(fn)!;
  if (holdsAround(fn, 'process-lifetime', (f) => (f.type === 'func_literal' ? isOnceDo(f) : neverReturns(f)))) return true;
  if (params(top).some((p) => isPointerTo(p.type, 'cli', 'Context') || isPointerTo(p.type, 'cobra', 'Command'))) return true;
  if (top.type !== 'function_declaration' && top.type !== 'method_declaration') return false;
  const name = field(top, 'name')?.text ?? '';
  if (name === 'init' || (name === 'main' && ctx.pkg.packageName === 'main')) return true;
  if (ctx.path.endsWith('_test.go') && /^Example/.test(name) && !/^\s*\/\/\s*(Unordered output|Output):/im.test(ctx.textOf(top))) return true;
  return LIFETIME_DOC.test(docComment(top, ctx));
}

/** `once.Do(func() { ... })`: the literal runs once per Once. */
function isOnceDo(lit: Node): boolean {
  const call = lit.parent?.parent;
  return lit.parent?.type === 'argument_list' && call?.type === 'call_expression' && /\.Do$/.test(calleeName(call) ?? '') && /once/i.test(call.text.slice(0, call.text.indexOf('.Do')));
}

/** The comment lines right above a declaration. */
function docComment(decl: Node, ctx: RuleContext): string {
  return leadingComments(decl)
    .map((c) => ctx.textOf(c))
    .join('\n');
}

/**
 * The goroutine starts with `defer wg.Done()` and the function calls `wg.Wait()` after starting
 * it: the goroutine cannot outlive the function (an endless loop there hangs it; no leak).
 */
function joinedBeforeReturn(go: Node, lit: Node, fn: Node, ctx: RuleContext): boolean {
  const list = namedChildren(field(lit, 'body') ?? lit).find((c) => c.type === 'statement_list');
  const first = list ? namedChildren(list).find((c) => c.type !== 'comment') : null;
  const done = first?.type === 'defer_statement' ? /^defer\s+([\w.]+)\.Done\(\)$/.exec(first.text.trim()) : null;
  if (!done) return false;
  const body = field(fn, 'body');
  if (!body) return false;
  // The function's Wait calls, gathered once for all its go statements.
  const waits = ctx.cached(`waits:${body.id}`, () =>
    ofType(body, 'call_expression').flatMap((n) => (/\.Wait$/.test(calleeName(n) ?? '') ? [{ start: n.startIndex, name: calleeName(n) }] : [])),
  );
  const after = go.endIndex;
  return waits.some((w) => w.start > after && w.name === `${done[1]}.Wait`);
}

/** `go run(x)` where `run := func(...) {...}` was declared before in the enclosing functions. */
function boundClosure(go: Node): Node | null {
  const call = stmtCall(go);
  const f = call ? unparen(field(call, 'function')) : null;
  return f?.type === 'identifier' ? closureBoundTo(go, f.text) : null;
}

function checkLiteral(go: Node, lit: Node, ctx: RuleContext): void {
  const body = field(lit, 'body');
  if (!body) return;
  const loop = endlessLoops(body)[0];
  const ctxName = contextInScope(go);
  const doneName = ctxName ? null : doneChanInScope(go);
  if (loop?.kind === 'chan') {
    const point = closingPoint(loop.node);
    if (point) return reportUnclosed(go, loop, point, ctx);
  }
  if (loop) {
    const ignored =
      ctxName && !mentionsName(body, ctxName)
        ? ` ${ctxName} is in scope, but the goroutine never checks ${ctxName}.Done().`
        : doneName && !mentionsName(body, doneName)
          ? ` ${doneName} is in scope, but the goroutine never receives from it.`
          : '';
    const stop = ctxName ? `${ctxName}.Done()` : doneName;
    const once = onceSetup(go, ctx.path, ctx.pkg);
    const where = once ? (once.use.file === ctx.path ? `line ${once.use.line}` : `line ${once.use.line} of ${basename(once.use.file)}`) : '';
    ctx.report({
      span: goKeyword(go, ctx.source),
      severity: once ? 'info' : undefined,
      message: say(
        `Goroutine never ends: the ${loop.what.startsWith('empty') ? '`select {}`' : 'loop'} on line ${ctx.lineOf(loop.node)} ` +
          (ctxName && ignored ? `never checks ${clip(ctxName, 20)}.Done()` : doneName && ignored ? `never receives from ${clip(doneName, 20)}` : 'has no exit'),
        once
          ? `The ${loop.what} has no return, break or <-ctx.Done() case, so this goroutine runs for the life of the process if ${clip(once.name, 40)} runs once (the package calls it only on ${where}); each further call leaves one more goroutine running.${ignored}`
          : `The ${loop.what} has no return, break or <-ctx.Done() case, so every call leaves one more goroutine running.${ignored}`,
      ),
      related: [{ span: { start: loop.node.startIndex, end: loop.node.endIndex }, message: 'the loop that never exits' }],
      fixes: stop ? cancelFix(loop, stop, ctx) : [],
    });
    return;
  }
  const waitedCtx = onlyWaitsOnDone(body);
  if (waitedCtx && isHandedIn(go, waitedCtx)) {
    ctx.report({
      span: goKeyword(go, ctx.source),
      severity: 'info',
      message: say(
        `Goroutine leaks unless the caller cancels ${clip(waitedCtx, 30)}: it only waits for its Done()`,
        `${waitedCtx} comes from the caller: if the caller never cancels it, one goroutine per call stays parked here forever.`,
      ),
    });
    return;
  }
  if (ctx.options.strictGoroutines && !hasCancellationPath(body)) {
    ctx.report({
      span: goKeyword(go, ctx.source),
      severity: 'info',
      message: say('Strict mode: this goroutine has no cancellation path', 'It has no <-ctx.Done(), done channel or receive that could stop it.'),
    });
  }
}

/** A goroutine ranges over a channel that goroutines started in a loop send on, and nothing closes it. */
function reportUnclosed(go: Node, loop: EndlessLoop, point: ClosingPoint, ctx: RuleContext): void {
  const name = clip(point.name, 24);
  const related: RelatedLocation[] = [
    { span: { start: loop.node.startIndex, end: loop.node.endIndex }, message: `ends only when '${point.name}' is closed` },
    { span: { start: point.senders[0].startIndex, end: point.senders[0].endIndex }, message: `these goroutines send on '${point.name}'` },
  ];
  if (point.wait) related.push({ span: spanOf(point.wait), message: `every sender is done here: close(${point.name}) belongs after this` });
  const fixes: Fix[] = [];
  if (point.wait && point.safe) {
    const at = lineEndOf(ctx.source, point.wait.endIndex);
    fixes.push({
      kind: 'close-after-wait',
      title: `Close '${point.name}' after ${ctx.textOf(point.wait)}`,
      preferred: true,
      edits: [{ start: at, end: at, newText: `${ctx.eol}${indentAt(ctx.source, point.wait.startIndex)}close(${point.name})` }],
    });
  }
  ctx.report({
    span: goKeyword(go, ctx.source),
    message: say(
      `Goroutine never ends: nothing closes '${name}', which its range on line ${ctx.lineOf(loop.node)} waits on`,
      `A range over a channel ends only when the channel is closed. The goroutines started on line ${ctx.lineOf(point.senders[0])} send on '${point.name}', ` +
        (point.wait
          ? `and the function knows they are done at ${ctx.textOf(point.wait)} (line ${ctx.lineOf(point.wait)}): close the channel there.`
          : 'but nothing closes it once they are done, so every call leaves this goroutine blocked in the range.'),
    ),
    related,
    fixes,
  });
}

/** `go x.loop()` ranges over a channel field that the owner's stop method leaves open. */
function reportFieldLoop(go: Node, f: Node, fl: FieldLoop, ctx: RuleContext): void {
  const stopName = field(fl.stop, 'name')!.text;
  const loopName = field(fl.method, 'name')!.text;
  ctx.report({
    span: goKeyword(go, ctx.source),
    message: say(
      `Goroutine outlives ${clip(stopName, 20)}(): nothing closes '${clip(fl.field, 20)}', which ${clip(loopName, 20)} ranges over`,
      `${loopName} (line ${ctx.lineOf(fl.method)}) ends only when the channel field '${fl.field}' is closed, and no code of the package closes it. ` +
        `${stopName}() (line ${ctx.lineOf(fl.stop)}) neither closes nor feeds it, so after ${stopName}() this goroutine stays blocked in the range: one left behind for every ${fl.type} stopped.`,
    ),
    related: [
      { span: { start: fl.loop.startIndex, end: fl.loop.endIndex }, message: `ends only when '${fl.field}' is closed` },
      { span: spanOf(field(fl.stop, 'name')!), message: `${stopName} leaves '${fl.field}' open` },
    ],
  });
}

/** `go s.Serve(ln)` with a server and listener nobody else can reach, in an owner that has a stop method. */
function reportServer(go: Node, call: Node, u: UnstoppableServer, ctx: RuleContext): void {
  const stopName = field(u.stop, 'name')!.text;
  const methodName = field(u.method, 'name')!.text;
  const what = u.listener ? `'${u.server}' and its listener '${u.listener}' stay` : `'${u.server}' stays`;
  ctx.report({
    span: goKeyword(go, ctx.source),
    message: say(
      `Server never stops: ${stopName}() cannot reach '${clip(u.server, 20)}', so ${clip(calleeName(call) ?? 'Serve', 30)} runs forever`,
      `${calleeName(call)} returns only when the server is shut down or its listener closed. ${what.charAt(0).toUpperCase()}${what.slice(1)} local to ${methodName}: ` +
        `nothing keeps them where ${stopName}() (line ${ctx.lineOf(u.stop)}) could shut them down, so every ${methodName} leaves a serving goroutine (and its port) behind.`,
    ),
    related: [{ span: spanOf(field(u.stop, 'name')!), message: `${stopName} does not see '${u.server}'` }],
  });
}

function checkNamed(go: Node, ctx: RuleContext): void {
  const call = stmtCall(go);
  const f = call ? unparen(field(call, 'function')) : null;
  const target = f ? endlessTarget(f, go, ctx) : null;
  const fieldLoop = !target && f ? unclosedFieldLoop(f, ctx.pkg.closedOrShared) : null;
  if (fieldLoop) return reportFieldLoop(go, f!, fieldLoop, ctx);
  const server = !target && call ? unstoppableServer(go, call) : null;
  if (server) return reportServer(go, call!, server, ctx);
  if (!target) {
    if (ctx.options.strictGoroutines && f?.type !== 'identifier') ctx.report({ span: goKeyword(go, ctx.source), severity: 'info', message: say('Strict mode: this goroutine has no visible cancellation path') });
    return;
  }
  const ctxName = contextInScope(go);
  const passes = ctxName && call!.text.includes(ctxName) ? '' : ctxName ? ` ${ctxName} is in scope but is not passed to ${f!.text}.` : '';
  // A method started by a constructor or a long-lived owner is often meant to run for the
  // owner's (the process's) lifetime: Information outside tests, where one per test is a leak.
  const method = f!.type === 'selector_expression';
  ctx.report({
    span: goKeyword(go, ctx.source),
    severity: method && !ctx.path.endsWith('_test.go') ? 'info' : undefined,
    related: target.loop ? [{ span: target.loop, file: target.file === ctx.path ? undefined : target.file, message: 'the loop that never exits' }] : [],
    message: say(
      `Goroutine never ends: ${clip(f!.text, 50)} never returns`,
      `Its ${target.what} on line ${target.line}${target.file !== ctx.path ? ` of ${basename(target.file)}` : ''} has no exit, so this goroutine runs forever` +
        (method ? ` (one more each time this runs, unless it runs once per process).${passes}` : `.${passes}`),
    ),
  });
}

/**
 * The package function or method a `go` statement calls, when it never returns: `go f()`,
 * `go recv.m()` on the enclosing method's own receiver (its type's method), or `go x.m()`
 * (or `go x.f.m()`) when exactly one type of the package has an endless method `m`.
 */
function endlessTarget(f: Node, go: Node, ctx: RuleContext): EndlessFunc | null {
  if (f.type === 'identifier') return ctx.pkg.endless.get(f.text) ?? null;
  if (f.type !== 'selector_expression') return null;
  const x = unparen(field(f, 'operand'));
  const m = field(f, 'field')?.text;
  if (!x || !m || (x.type !== 'identifier' && x.type !== 'selector_expression')) return null;
  let method: Node | null = enclosingFunc(go);
  while (method && method.type === 'func_literal') method = enclosingFunc(method);
  const recv = method?.type === 'method_declaration' ? params(method, 'receiver')[0] : undefined;
  if (x.type === 'identifier' && recv?.name === x.text) {
    const t = receiverTypeName(recv.type);
    return t ? ctx.pkg.endless.get(`${t}.${m}`) ?? null : null;
  }
  const named = [...ctx.pkg.endless.values()].filter((e) => e.key.endsWith(`.${m}`));
  return named.length === 1 ? named[0] : null;
}

function mentionsName(n: Node, name: string): boolean {
  return identifiersIn(n, name).length > 0;
}

/**
 * ctx is a parameter of the function that starts the goroutine (the caller owns its
 * cancellation), not rebound to a context this function cancels on its way out
 * (`ctx, cancel := context.WithCancel(ctx); defer cancel()`), and the function does not
 * itself return only once ctx is done.
 */
function isHandedIn(go: Node, name: string): boolean {
  const fn = enclosingFunc(go);
  const body = field(fn, 'body');
  if (!fn || !body) return false;
  const p = params(fn).find((x) => x.name === name);
  if (!p || !isQualified(p.type, 'context', 'Context')) return false;
  return !cancelledOnReturn(body, name) && !returnsOnlyWhenDone(body, go, name);
}

/** `name, cancel := context.WithX(...)` (or signal.NotifyContext) with `defer cancel()` in the same body. */
function cancelledOnReturn(body: Node, name: string): boolean {
  const rebind = new RegExp(`(^|[\\s;])${name}\\s*,\\s*(\\w+)\\s*:?=\\s*(context\\.With(Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause)|signal\\.NotifyContext)\\(`, 'm');
  const m = rebind.exec(body.text);
  if (!m || m[2] === '_') return false;
  return some(body, (n) => n.type === 'defer_statement' && new RegExp(`\\b${m[2]}\\(`).test(n.text));
}

/** After starting the goroutine, the function's only way out is `<-ctx.Done()`: both end together. */
function returnsOnlyWhenDone(body: Node, go: Node, name: string): boolean {
  const after = (n: Node) => n.startIndex > go.endIndex;
  const waits = some(body, (n) => after(n) && isReceive(n) && unparen(field(n, 'operand'))?.text === `${name}.Done()`);
  if (!waits) return false;
  const returns = some(body, (n) => after(n) && n.type === 'return_statement' && !insideDoneCase(n, name));
  return !returns;
}

function insideDoneCase(n: Node, name: string): boolean {
  for (let a = n.parent; a; a = a.parent) {
    if (a.type === 'communication_case') return field(a, 'communication')?.text.replace(/\s/g, '') === `<-${name}.Done()`;
    if (a.type === 'func_literal') return false;
  }
  return false;
}

function hasCancellationPath(body: Node): boolean {
  return some(body, (n) => isReceive(n) || n.type === 'range_clause' || (n.type === 'call_expression' && /\.(Done|Err)$/.test(calleeName(n) ?? '')), true);
}

function cancelFix(loop: EndlessLoop, stop: string, ctx: RuleContext): Fix[] {
  // Only `for {}` loops: a ticker or channel range would check for cancellation only
  // when its next value arrives, which may be never (a stopped ticker): no cure.
  if (loop.kind !== 'for') return [];
  const body = field(loop.node, 'body');
  if (!body) return [];
  const stmts = namedChildren(body).find((c) => c.type === 'statement_list');
  const only = stmts ? namedChildren(stmts).filter((c) => c.type !== 'comment') : [];
  const eol = ctx.eol;
  if (only.length === 1 && only[0].type === 'select_statement') {
    // Add a case to the loop's select.
    const sel = only[0];
    const caseIndent = indentAt(ctx.source, namedChildren(sel)[0]?.startIndex ?? sel.startIndex);
    const closing = sel.endIndex - 1;
    const lineStart = ctx.source.lastIndexOf('\n', closing - 1) + 1;
    if (ctx.source.slice(lineStart, closing).trim() !== '') return [];
    return [{
      kind: 'add-done-case',
      title: `Add 'case <-${stop}: return' to the select`,
      preferred: true,
      edits: [{ start: lineStart, end: lineStart, newText: `${caseIndent}case <-${stop}:${eol}${caseIndent}\treturn${eol}` }],
    }];
  }
  // Busy loops (nothing inside blocks): check for cancellation at the top of each turn.
  if (blocksInside(loop.node)) return [];
  const loopIndent = indentAt(ctx.source, loop.node.startIndex);
  const inner = loopIndent + '\t';
  if (!ctx.source.slice(body.startIndex, body.endIndex).includes('\n')) return [];
  const open = lineEndOf(ctx.source, body.startIndex);
  return [{
    kind: 'check-done',
    title: `Return when <-${stop} is ready, at the top of each iteration`,
    preferred: true,
    edits: [{
      start: open,
      end: open,
      newText: `${eol}${inner}select {${eol}${inner}case <-${stop}:${eol}${inner}\treturn${eol}${inner}default:${eol}${inner}}`,
    }],
  }];
}

