// The CancelFunc of context.WithCancel/WithTimeout/WithDeadline (and their Cause forms) that
// is discarded, or not called on some path out of the function: the derived context (its
// timer, its children, every goroutine parked on its Done) lives until the parent ends.
// go vet's lostcancel needs type information and offers no fix; this works on syntax.
import { spanOf, type Rule, type RuleContext } from '../context';
import { endsProcess } from '../go/exits';
import { minAfter } from '../go/flow';
import { freshName, namesIn } from '../go/scope';
import { resolveCallee } from '../go/callee';
import { baseName, callArgs, calleeName, collect, enclosingFunc, field, indentAt, lineEndOf, namedChildren, params, startsLine, unparen, within, type Node } from '../go/syntax';
import type { Fix } from '../types';
import { clip, message as say } from './message';

const WITH = /^(context\.With(Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause)|joincontext\.Join)$/;
/** github.com/LK4D4/joincontext: Join(ctx1, ctx2) returns (Context, CancelFunc) and starts a goroutine that waits for either parent. */
const JOIN_IMPORT = '"github.com/LK4D4/joincontext"';

export const lostCancel: Rule = {
  meta: {
    id: 'lost-cancel',
    description: 'The cancel function of a derived context is discarded or not called on every path',
    defaultSeverity: 'warning',
    docs: 'docs/rules/lost-cancel.md',
    fixable: true,
  },
  nodeTypes: [],
  checkFile(ctx) {
    // The searched text may be one declaration (ctx.region): what is asked of the file as a whole stays so.
    const text = ctx.scanText;
    if (text.includes('context.')) {
      for (const call of ctx.callsMatching(/\bcontext\.With(?:Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause)\s*\(/g)) this.check(call, ctx);
      if (text.includes('joincontext.Join') && ctx.fileIncludes(JOIN_IMPORT)) for (const call of ctx.callsMatching(/\bjoincontext\.Join\s*\(/g)) this.check(call, ctx);
    }
    checkParkerCalls(ctx, () => text.includes('context.') || ctx.fileIncludes('context.'));
  },
  fileWants: (ctx) => ctx.source.includes('context.'),
  // Its calls are found by text in the function that makes them (neverCancelled reads only that function).
  bodyWants: (func, ctx) => WITH_CALL.test(func) || (func.includes('joincontext.Join') && ctx.source.includes(JOIN_IMPORT)) || parkerCall(ctx)?.test(func) === true,
  check(call, ctx) {
    const name = calleeName(call);
    if (!name || !WITH.test(name)) return;
    const fn = enclosingFunc(call);
    if (!fn || fn.hasError) return;
    const stmt = call.parent?.parent;
    if (call.parent?.type !== 'expression_list' || (stmt?.type !== 'short_var_declaration' && stmt?.type !== 'assignment_statement')) return;
    const lhs = namedChildren(field(stmt, 'left')!);
    if (lhs.length !== 2 || namedChildren(field(stmt, 'right')!).length !== 1) return;
    const cancel = lhs[1];
    if (cancel.type === 'identifier' && cancel.text === '_') return reportDiscarded(call, stmt, lhs[0], name, fn, ctx);
    if (cancel.type !== 'identifier') return; // stored in a field or elsewhere: owned beyond this function
    if (stmt.type === 'assignment_statement' && !declaredIn(fn, cancel.text, stmt)) return; // a package variable or an outer function's: owned elsewhere
    if (stmt.type === 'assignment_statement' && inLoop(stmt, fn)) return; // a variable that carries its cancel from one turn to the next
    checkPaths(call, stmt, cancel.text, name, fn, ctx);
  },
};

function reportDiscarded(call: Node, stmt: Node, ctxVar: Node, name: string, fn: Node, ctx: RuleContext): void {
  // A function that returns a stream (a channel) hands the derived context to the stream's
  // reader, which ends it by cancelling the context it passed in: no fixed end to tie a cancel to.
  const result = field(fn, 'result');
  if (result?.type === 'channel_type' || params(fn, 'result').some((r) => r.type.type === 'channel_type')) return;
  const fixes: Fix[] = [];
  const cancelName = freshName(namesIn(fn), 'cancel', 'cancelCtx');
  const blank = namedChildren(field(stmt, 'left')!)[1];
  // A context that a goroutine or closure goes on using must not be cancelled on return.
  const usedLater = collect(field(fn, 'body')!, (n) => n.type === 'identifier' && n.text === ctxVar.text && n.startIndex > stmt.endIndex, true);
  const outlives = usedLater.some((n) => enclosingFunc(n)?.id !== fn.id);
  if (stmt.parent?.type === 'statement_list' && !inLoop(stmt, fn) && !outlives) {
    const at = lineEndOf(ctx.source, stmt.endIndex);
    fixes.push({
      kind: 'defer-cancel',
      title: `Keep the cancel function and defer ${cancelName}()`,
      preferred: true,
      edits: [
        { start: blank.startIndex, end: blank.endIndex, newText: cancelName },
        { start: at, end: at, newText: `${ctx.eol}${indentAt(ctx.source, stmt.startIndex)}defer ${cancelName}()` },
      ],
    });
  }
  const join = name === 'joincontext.Join';
  ctx.report({
    span: call,
    message: join
      ? say(
          `Goroutine leaks: the cancel function from ${name} is discarded`,
          `Join starts a goroutine that waits until one of its parent contexts ends, so each call leaves one goroutine (and '${ctxVar.text}') ` +
            `behind until then, which for a long-lived parent is never. Keep the cancel function and defer it.`,
        )
      : say(
          `Context leaks: the cancel function from ${clip(name, 30)} is discarded`,
          `'${ctxVar.text}' (its timer, its child contexts and every goroutine waiting on ${ctxVar.text}.Done()) is released only when the parent context ends, ` +
            `which for a long-lived parent is never. Keep the cancel function and defer it.`,
        ),
    fixes,
  });
}

function checkPaths(call: Node, stmt: Node, cancel: string, name: string, fn: Node, ctx: RuleContext): void {
  const body = field(fn, 'body');
  if (!body) return;
  const refs = collect(body, (n) => n.type === 'identifier' && n.text === cancel && n.startIndex > stmt.endIndex, true);
  // Every later reference must be a plain call statement `cancel()` in this function; anything
  // else (deferred, passed on, stored, returned, called from a closure) hands it to someone else.
  const calls: Node[] = [];
  for (const r of refs) {
    const c = r.parent;
    const s = c?.parent;
    if (c?.type === 'binary_expression' && /^(==|!=)$/.test(c.child(1)?.type ?? '') && c.text.includes('nil')) continue; // `cancel != nil`
    if (c?.type !== 'call_expression' || field(c, 'function')?.id !== r.id || enclosingFunc(c)?.id !== fn.id) return;
    if (s?.type !== 'expression_statement' && s?.type !== 'defer_statement') return;
    calls.push(s); // `cancel()`, or `defer cancel()`: from here on every way out calls it
  }
  if (refs.length === 0 && isReassignedLater(body, stmt, cancel)) return;
  if (minAfter(stmt, (n) => calls.some((c) => c.id === n.id), body) >= 1) return;
  // A way out that shows it (best effort: the flow count above is what decides).
  const exit = uncoveredExit(stmt, calls, fn) ?? { node: null };
  const where =
    exit.node === null
      ? `when the function ends on line ${ctx.lineOf(fn.endIndex - 1)}`
      : exit.node.type === 'return_statement'
        ? `when the function returns on line ${ctx.lineOf(exit.node)}`
        : `when the loop moves on at line ${ctx.lineOf(exit.node)}`;
  const overwritten = exit.node && exit.node.type !== 'return_statement' ? ' (the next turn overwrites it)' : '';
  const ctxVar = namedChildren(field(stmt, 'left')!)[0].text;
  const fixes: Fix[] = [];
  if (stmt.parent?.type === 'statement_list' && !inLoop(stmt, fn)) {
    const at = lineEndOf(ctx.source, stmt.endIndex);
    fixes.push({
      kind: 'defer-cancel',
      title: `Add defer ${cancel}() after ${name}`,
      preferred: true,
      edits: [{ start: at, end: at, newText: `${ctx.eol}${indentAt(ctx.source, stmt.startIndex)}defer ${cancel}()` }],
    });
  }
  ctx.report({
    span: call,
    message: say(
      `Context leaks: ${clip(cancel, 20)}() is not called ${where}`,
      `${cancel}() from ${name} on line ${ctx.lineOf(call)} is skipped there${overwritten}, so '${ctxVar}' (its timer, its child contexts and every goroutine ` +
        `waiting on ${ctxVar}.Done()) stays alive until the parent context ends. Defer ${cancel}() right after ${name}.`,
    ),
    related: exit.node ? [{ span: spanOf(exit.node), message: `leaving here without calling ${cancel}()` }] : [],
    fixes,
  });
}

/** `name` is a parameter of fn or declared in fn's own body before `before`. */
function declaredIn(fn: Node, name: string, before: Node): boolean {
  if (params(fn).some((p) => p.name === name)) return true;
  return collect(field(fn, 'body')!, (n) =>
    n.startIndex < before.startIndex &&
    ((n.type === 'short_var_declaration' && namedChildren(field(n, 'left')!).some((x) => x.text === name)) ||
      (n.type === 'var_spec' && n.childrenForFieldName('name').some((x) => x?.text === name))),
  ).length > 0;
}

/** `cancel = ...` later in the body: another assignment takes over (not analysed). */
function isReassignedLater(body: Node, stmt: Node, cancel: string): boolean {
  return collect(body, (n) => n.type === 'assignment_statement' && n.startIndex > stmt.endIndex && namedChildren(field(n, 'left')!).some((x) => x.text === cancel)).length > 0;
}

function inLoop(n: Node, fn: Node): boolean {
  for (let a = n.parent; a && a.id !== fn.id; a = a.parent) if (a.type === 'for_statement') return true;
  return false;
}

/**
 * The first way out after `stmt` that no `cancel()` statement before it (in its own block or an
 * enclosing one) covers, to name in the message: a return, falling off the end of the function, or, for a
 * context made inside a loop, `continue`/`break` or the end of the loop body (the next turn
 * overwrites the cancel function). `node: null` stands for the end of the function.
 */
function uncoveredExit(stmt: Node, calls: Node[], fn: Node): { node: Node | null } | null {
  const body = field(fn, 'body')!;
  // A cancel() statement on every path from stmt to `at`: before `at` in a list that holds `at`,
  // or after stmt in a list that holds stmt but not `at` (the path runs through it to leave).
  const covered = (at: Node, stop: Node) => {
    for (let a: Node | null = at; a && a.id !== stop.id; a = a.parent) {
      const list = a.parent?.type === 'statement_list' ? a.parent : null;
      if (list && calls.some((c) => c.parent?.id === list.id && c.startIndex < a!.startIndex && c.startIndex > stmt.startIndex)) return true;
    }
    for (let a: Node | null = stmt; a && a.id !== stop.id; a = a.parent) {
      const list = a.parent?.type === 'statement_list' ? a.parent : null;
      if (!list || within(at, list)) break;
      if (calls.some((c) => c.parent?.id === list.id && c.startIndex > a!.startIndex)) return true;
    }
    return false;
  };
  const loop = [...ancestorsUpTo(stmt, fn)].find((a) => a.type === 'for_statement') ?? null;
  const exits = collect(body, (n) =>
    n.startIndex > stmt.endIndex &&
    (n.type === 'return_statement' || (!!loop && n.type === 'continue_statement' && within(n, loop))),
  ).filter((n) => follows(stmt, n));
  for (const e of exits) if (!covered(e, body)) return { node: e };
  if (loop) {
    // The end of the loop body starts the next turn.
    const loopBody = field(loop, 'body');
    const last = loopBody ? namedChildren(namedChildren(loopBody).find((c) => c.type === 'statement_list') ?? loopBody).filter((c) => c.type !== 'comment').pop() : null;
    if (last && !calls.some((c) => c.id === last.id) && !covered(last, loop) && last.type !== 'return_statement') return { node: loop };
    return null;
  }
  // Falling off the end: the function's last statement must be covered (or be a return, checked above).
  const top = namedChildren(body).find((c) => c.type === 'statement_list');
  const last = top ? namedChildren(top).filter((c) => c.type !== 'comment').pop() : null;
  if (!last || last.type === 'return_statement' || (last.type === 'expression_statement' && endsAll(last))) return null;
  if (calls.some((c) => c.id === last.id) || covered(last, body)) return null;
  return { node: null };
}

function endsAll(s: Node): boolean {
  const c = s.namedChild(0);
  return !!c && c.type === 'call_expression' && endsProcess(c);
}

function* ancestorsUpTo(n: Node, stop: Node): Generator<Node> {
  for (let a = n.parent; a && a.id !== stop.id; a = a.parent) yield a;
}

/** `exit` runs after `stmt` on some path: they meet in a statement list, not in sibling branches. */
function follows(stmt: Node, exit: Node): boolean {
  const above = new Set<number>();
  for (let a = stmt.parent; a; a = a.parent) above.add(a.id);
  let meet = exit.parent;
  while (meet && !above.has(meet.id)) meet = meet.parent;
  return !!meet && (meet.type === 'statement_list' || meet.type === 'block');
}

const WITH_CALL = /\bcontext\.With(?:Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause)\s*\(/;

/** A call by name of a context parker of the package or its imports; null when there is none. */
function parkerCall(ctx: Pick<RuleContext, 'pkg' | 'imports'>, flags = ''): RegExp | null {
  const parkers = [...ctx.pkg.ctxParkers.keys(), ...[...ctx.imports.values()].flatMap((i) => [...i.index.ctxParkers.keys()])];
  if (!parkers.length) return null;
  const names = [...new Set(parkers.map((k) => k.split('.').pop()!))].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`\\b(?:${names.join('|')})\\s*\\(`, flags);
}

/**
 * Calls to a function that parks a goroutine on the context it is given (go/parkers.ts, in this
 * package or an imported one) with a context nobody will cancel: `context.Background()`, a
 * child whose cancel function is discarded, or one whose cancel function is stored over the
 * previous one (in a map entry or a field) without calling that one first.
 */
function checkParkerCalls(ctx: RuleContext, fileMentionsContext: () => boolean): void {
  const pattern = parkerCall(ctx, 'g');
  if (!pattern || !fileMentionsContext()) return;
  for (const m of ctx.matchesIn(pattern)) {
    const id = ctx.nodeAt(m.index, m.index + 1);
    let n: Node | null = id;
    while (n && n.type !== 'call_expression') n = n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'selector_expression' ? n.parent : null;
    if (!n || enclosingFunc(n)?.hasError) continue;
    const resolved = resolveCallee(n, ctx, (index, key) => index.ctxParkers.get(key));
    if (!resolved) continue;
    const { target, from } = resolved;
    const args = callArgs(n);
    const carried = target.param === 'options' ? args.flatMap((a) => (a.type === 'call_expression' ? [a, ...callArgs(a)] : [a])) : args[target.param] ? [args[target.param]] : [];
    for (const arg of carried) {
      const why = neverCancelled(unparen(arg)!, n, ctx);
      if (!why) continue;
      const where = `${baseName(target.file)}:${target.line}${from ? ` in ${from.importPath}` : ''}`;
      const name = from ? `${from.alias}.${target.key}` : target.key;
      ctx.report({
        span: n,
        message: say(
          `${clip(name, 36)} parks a goroutine forever: ${why.verdict}`,
          `${name} parks a goroutine on the context it is given until that context is cancelled (${where}), but ${why.what}: ` +
            `one goroutine per call stays parked forever.`,
        ),
        related: [
          ...(why.at ? [{ span: spanOf(why.at), message: why.short }] : []),
          { span: target.go, file: target.file === ctx.path ? undefined : target.file, message: `${target.key} starts the goroutine that waits for the context here` },
        ],
        fixes: why.fix ? [why.fix] : [],
      });
      break;
    }
  }
}

interface NeverCancelled {
  what: string;
  /** The reason, in a few words, for the verdict. */
  verdict: string;
  short: string;
  at: Node | null;
  fix: Fix | null;
}

function neverCancelled(arg: Node, call: Node, ctx: RuleContext): NeverCancelled | null {
  if (arg.type === 'call_expression' && /^context\.(Background|TODO)$/.test(calleeName(arg) ?? '')) {
    return { what: `it gets ${arg.text}, which is never cancelled`, verdict: 'its context is never cancelled', short: 'never cancelled', at: arg, fix: null };
  }
  if (arg.type !== 'identifier') return null;
  const fn = enclosingFunc(call);
  const body = fn && field(fn, 'body');
  if (!body) return null;
  const def = collect(body, (n) => n.type === 'short_var_declaration' && n.startIndex < call.startIndex && namedChildren(field(n, 'left')!)[0]?.text === arg.text).pop();
  if (!def) return null;
  const value = namedChildren(field(def, 'right')!)[0];
  const maker = value?.type === 'call_expression' ? calleeName(value) : null;
  if (maker && /^context\.(Background|TODO)$/.test(maker)) return { what: `${arg.text} is ${maker}(), which is never cancelled`, verdict: 'its context is never cancelled', short: `${arg.text} is never cancelled`, at: value, fix: null };
  if (!maker || !/^context\.WithCancel(Cause)?$/.test(maker)) return null;
  const cancel = namedChildren(field(def, 'left')!)[1];
  if (!cancel) return null;
  if (cancel.text === '_') return { what: `the cancel function of ${arg.text} is discarded on line ${ctx.lineOf(def)}`, verdict: 'the cancel function is discarded', short: 'the cancel function is discarded here', at: def, fix: null };
  // `m.jobs[id] = cancel` / `x.cancel = cancel` with nothing reading the slot first: the previous
  // cancel function there is overwritten without being called.
  const store = collect(body, (n) => n.type === 'assignment_statement' && n.startIndex > def.endIndex && namedChildren(field(n, 'right')!).length === 1 && namedChildren(field(n, 'right')!)[0].text === cancel.text)[0];
  const slot = store ? namedChildren(field(store, 'left')!)[0] : null;
  if (!store || !slot || (slot.type !== 'index_expression' && slot.type !== 'selector_expression')) return null;
  const slotText = slot.text;
  const readBefore = ctx.source.slice(body.startIndex, store.startIndex).includes(slotText) || ctx.source.slice(store.endIndex, body.endIndex).includes(`${slotText}()`);
  if (readBefore) return null;
  const ind = indentAt(ctx.source, store.startIndex);
  const at = startsLine(ctx.source, store);
  return {
    what: `storing its cancel function in ${slotText} (line ${ctx.lineOf(store)}) overwrites the one stored there before without calling it, so that earlier context is never cancelled`,
    verdict: 'the previous cancel function is overwritten uncalled',
    short: 'overwrites the previous cancel function without calling it',
    at: store,
    fix: at === null ? null : {
      kind: 'cancel-previous',
      title: `Cancel the previous context stored in ${slotText} first`,
      preferred: true,
      edits: [{ start: at, end: at, newText: `${ind}if prev := ${slotText}; prev != nil {${ctx.eol}${ind}\tprev()${ctx.eol}${ind}}${ctx.eol}` }],
    },
  };
}

