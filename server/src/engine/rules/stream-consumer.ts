// The caller's side of a context-bound stream (go/streams.ts): `for x := range F(ctx, ...)`
// whose body can leave the loop early (return, break, a test's t.Fatal) while ctx is the
// caller's own context, never cancelled on the way out. The producer's goroutine then waits
// in its send until that context ends. Reported by discarded-result-chan.
import type { RuleContext } from '../context';
import type { CtxStreamFunc } from '../package-index';
import { resolveCallee } from '../go/callee';
import { endsGoroutine } from '../go/exits';
import { freshName, namesIn } from '../go/scope';
import { baseName, callArgs, calleeName, collect, enclosingFunc, field, identifiersIn, indentAt, isQualified, lineStartOf, params, unparen, type Node } from '../go/syntax';
import type { Fix } from '../types';
import { clip, message as say } from './message';

type StreamFacts = Pick<RuleContext, 'source' | 'pkg' | 'imports'>;

function streamKeys(ctx: StreamFacts): string[] {
  return [...ctx.pkg.ctxStreams.keys(), ...[...ctx.imports.values()].flatMap((i) => [...i.index.ctxStreams.keys()])];
}

/** The file may range over a stream of its package or imports: it names one and has a range. */
export function wantsStreamConsumers(ctx: StreamFacts): boolean {
  return mayRangeOver(ctx.source, streamKeys(ctx));
}

function mayRangeOver(text: string, keys: string[]): boolean {
  return keys.length > 0 && text.includes('range') && keys.some((k) => text.includes(k.split('.').pop()!));
}

export function checkStreamConsumers(ctx: RuleContext): void {
  // The searched text and tree (one declaration in an incremental analysis, see ctx.region): a
  // range over a stream there has 'range' and the stream's name in that text.
  const keys = streamKeys(ctx);
  if (!mayRangeOver(ctx.scanText, keys)) return;
  for (const clause of ctx.searchRoot.descendantsOfType('range_clause')) {
    const call = clause ? unparen(field(clause, 'right')) : null;
    if (call?.type !== 'call_expression') continue;
    const name = calleeName(call)?.split('.').pop();
    if (!name || !keys.some((k) => k === name || k.endsWith(`.${name}`))) continue;
    check(clause!.parent!, call, ctx);
  }
}

function check(loop: Node, call: Node, ctx: RuleContext): void {
  const fn = enclosingFunc(loop);
  const fnBody = field(fn, 'body');
  if (!fn || !fnBody || fn.hasError) return;
  const resolved = resolveCallee(call, ctx, (index, key) => index.ctxStreams.get(key));
  if (!resolved) return;
  const target: CtxStreamFunc = resolved.target;
  const arg = unparen(callArgs(call)[target.ctx] ?? null);
  if (arg?.type !== 'identifier') return;
  // The context is the caller's own parameter, and nothing here cancels it on the way out.
  const param = params(fn).find((p) => p.name === arg.text);
  if (!param || !isQualified(param.type, 'context', 'Context')) return;
  if (rebound(fnBody, arg.text, loop)) return;
  const exit = earlyExit(loop, ctx);
  if (!exit) return;
  const callee = resolved.from ? `${resolved.from.alias}.${target.key}` : target.key;
  const where = target.file === ctx.path ? `line ${target.line}` : `${baseName(target.file)}:${target.line}`;
  const how = exit.type === 'return_statement' ? 'returns' : exit.type === 'break_statement' ? 'breaks' : `stops at ${clip(calleeName(exit) ?? 'a call', 20)}`;
  ctx.report({
    span: call,
    message: say(
      `${clip(callee, 40)}() leaks its producer if this loop ${how} early (line ${ctx.lineOf(exit)})`,
      `${callee} feeds its unbuffered channel (${where}) from a goroutine that gives up only when ${arg.text} is done. ` +
        `Leaving the range on line ${ctx.lineOf(exit)} stops the reading, and ${arg.text} is this function's caller's context, not cancelled here, ` +
        `so the goroutine waits in its send until the caller's context ends: for a long-lived one, forever.`,
    ),
    related: [{ span: { start: exit.startIndex, end: exit.endIndex }, message: 'leaving the loop here stops the reading' }],
    fixes: cancelFix(fn, fnBody, loop, arg.text, ctx),
  });
}

/** `c, cancel := context.WithCancel(c)` (or WithTimeout…) before the loop, with cancel deferred: the fix is there already. */
function rebound(body: Node, name: string, loop: Node): boolean {
  const text = body.text.slice(0, loop.startIndex - body.startIndex);
  return new RegExp(`\\b${name}\\s*,\\s*\\w+\\s*:?=\\s*context\\.With\\w+\\(`).test(text);
}

/** A return, a break out of this loop, or a call that ends the test, inside the loop's body. */
function earlyExit(loop: Node, ctx: RuleContext): Node | null {
  const body = field(loop, 'body');
  if (!body) return null;
  const label = loop.parent?.type === 'labeled_statement' ? loop.parent.namedChild(0)?.text : undefined;
  return (
    collect(body, (n) => {
      if (n.type === 'return_statement' || n.type === 'goto_statement') return true;
      if (n.type === 'break_statement') return breaksOut(n, loop, label);
      return n.type === 'call_expression' && endsGoroutine(n, ctx.source);
    })[0] ?? null
  );
}

function breaksOut(brk: Node, loop: Node, label: string | undefined): boolean {
  const target = brk.namedChild(0)?.text;
  if (target) return target === label;
  for (let p = brk.parent; p && p.id !== loop.id; p = p.parent) if (p.type === 'for_statement' || p.type === 'select_statement' || p.type.endsWith('switch_statement')) return false;
  return true;
}

/**
 * `ctx, cancel := context.WithCancel(ctx)` and `defer cancel()` right before the loop (minio's
 * fix), when the function starts no goroutine and makes no closure that keeps using ctx after
 * the loop (those would now see it cancelled at return), and returns no channel.
 */
function cancelFix(fn: Node, body: Node, loop: Node, name: string, ctx: RuleContext): Fix[] {
  const stmt = loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
  if (stmt.parent?.type !== 'statement_list' && stmt.parent?.type !== 'block') return [];
  if (collect(body, (n) => n.type === 'go_statement' || n.type === 'func_literal').some((n) => identifiersIn(n, name).length > 0)) return [];
  if (/\bchan\b/.test(field(fn, 'result')?.text ?? '')) return [];
  if (!ctx.fileMatches(/^\s*"context"\s*$/m) && !ctx.fileMatches(/import\s+"context"/)) return [];
  const cancel = freshName(namesIn(fn), 'cancel', 'cancelStream');
  const at = lineStartOf(ctx.source, stmt.startIndex);
  const ind = indentAt(ctx.source, stmt.startIndex);
  const eol = ctx.eol;
  return [{
    kind: 'cancel-stream',
    title: `Cancel ${name} when this function returns (context.WithCancel + defer ${cancel}())`,
    preferred: true,
    edits: [{ start: at, end: at, newText: `${ind}${name}, ${cancel} := context.WithCancel(${name})${eol}${ind}defer ${cancel}()${eol}` }],
  }];
}
