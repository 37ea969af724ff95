import type { Rule, RuleContext } from '../context';
import type { ResultChanFunc } from '../package-index';
import { resolveCallee } from '../go/callee';
import type { Fix } from '../types';
import { baseName, enclosingFunc, field, namedChildren, type Node } from '../go/syntax';
import { clip, message as say } from './message';
import { checkStreamConsumers, wantsStreamConsumers } from './stream-consumer';

export const discardedResultChan: Rule = {
  meta: {
    id: 'discarded-result-chan',
    description: 'The goroutine-fed channel a function returns is thrown away by the caller',
    defaultSeverity: 'warning',
    docs: 'docs/rules/discarded-result-chan.md',
    fixable: true,
  },
  nodeTypes: [],
  checkFile(ctx) {
    checkStreamConsumers(ctx);
    if (!hasResultChans(ctx)) return;
    for (const call of candidateCalls(ctx)) this.check(call, ctx);
  },
  fileWants: (ctx) => wantsStreamConsumers(ctx) || (hasResultChans(ctx) && candidatePattern(ctx).test(ctx.source)),
  // Both find their calls by text, and a range's stream by its callee's name.
  bodyWants: (func, ctx) => wantsStreamConsumers({ ...ctx, source: func }) || (hasResultChans(ctx) && candidatePattern(ctx).test(func)),
  check(call, ctx) {
    const how = discardKind(call);
    if (!how) return;
    const fn = enclosingFunc(call);
    if (fn?.hasError) return;
    const resolved = resolveCallee(call, ctx, (index, key) => index.resultChans.get(key));
    if (!resolved) return;
    const { target, from } = resolved;
    if (how.kind === 'blank' && !how.blankAt.includes(target.resultIndex)) return;
    if (how.kind === 'blank' && how.arity !== target.resultCount) return;
    const where = target.file === ctx.path ? `line ${target.line}` : `${baseName(target.file)}:${target.line}${from ? ` in ${from.importPath}` : ''}`;
    const name = from ? `${from.alias}.${target.key}` : target.key;
    const fixes: Fix[] = [];
    const recv = receiveFix(call, how, target, ctx);
    if (recv) fixes.push(recv);
    // The callee's own fix only within this package: a dependency's files are not ours to edit.
    if (target.fix && !from) fixes.push({ ...target.fix, edits: target.fix.edits.map((e) => (e.file === ctx.path ? { ...e, file: undefined } : e)) });
    if (fixes.length) fixes[fixes.length - 1].preferred = true;
    ctx.report({
      span: call,
      message: say(
        `${clip(name, 48)}() leaks a goroutine: its channel is dropped here`,
        `The channel returned by ${name}() is discarded, but a goroutine started by ${target.key} (${where}) sends on it unbuffered: ` +
          `with no receiver, that goroutine stays blocked in its send forever, one more on every call.`,
      ),
      related: [{ span: target.make, file: target.file === ctx.path ? undefined : target.file, message: `${target.key} makes the unbuffered channel here` }],
      fixes,
    });
  },
};

type Discard =
  | { kind: 'stmt' | 'defer' | 'go'; stmt: Node }
  | { kind: 'blank'; stmt: Node; blankAt: number[]; arity: number };

function discardKind(call: Node): Discard | null {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return null;
  if (p.type === 'expression_statement') return { kind: 'stmt', stmt: p };
  if (p.type === 'defer_statement') return { kind: 'defer', stmt: p };
  if (p.type === 'go_statement') return { kind: 'go', stmt: p };
  if (p.type === 'expression_list' && namedChildren(p).length === 1) {
    const stmt = p.parent;
    if (stmt && (stmt.type === 'assignment_statement' || stmt.type === 'short_var_declaration') && field(stmt, 'right')?.id === p.id) {
      const lhs = namedChildren(field(stmt, 'left')!);
      const blankAt = lhs.map((x, i) => (x.text === '_' ? i : -1)).filter((i) => i >= 0);
      if (blankAt.length) return { kind: 'blank', stmt, blankAt, arity: lhs.length };
    }
  }
  return null;
}

function receiveFix(call: Node, how: Discard, target: ResultChanFunc, ctx: RuleContext): Fix | null {
  if (target.resultCount !== 1) return null;
  const text = ctx.source.slice(call.startIndex, call.endIndex);
  const title = `Receive the result: <-${target.key.split('.').pop()}(...)`;
  switch (how.kind) {
    case 'stmt':
      return { kind: 'receive-result', title, edits: [{ start: call.startIndex, end: call.startIndex, newText: '<-' }] };
    case 'defer':
    case 'go':
      return { kind: 'receive-result', title, edits: [{ start: call.startIndex, end: call.endIndex, newText: `func() { <-${text} }()` }] };
    case 'blank':
      if (how.stmt.type !== 'assignment_statement' || how.arity !== 1) return null;
      return { kind: 'receive-result', title, edits: [{ start: how.stmt.startIndex, end: how.stmt.endIndex, newText: `<-${text}` }] };
  }
}

type Facts = Pick<RuleContext, 'pkg' | 'imports'>;

function hasResultChans(ctx: Facts): boolean {
  return ctx.pkg.resultChans.size > 0 || [...ctx.imports.values()].some((i) => i.index.resultChans.size);
}

/** A call of any function or method the package index (or an import's) lists, by name. */
function candidatePattern(ctx: Facts, flags = ''): RegExp {
  const keys = [...ctx.pkg.resultChans.keys(), ...[...ctx.imports.values()].flatMap((i) => [...i.index.resultChans.keys()])];
  const names = new Set(keys.map((k) => k.split('.').pop()!));
  const escaped = [...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`\\b(?:${escaped.join('|')})\\s*(?:\\[[^\\]\\n]*\\]\\s*)?\\(`, flags);
}

/** Calls whose callee names a function or method the package index (or an import's) lists, found by text search. */
function candidateCalls(ctx: RuleContext): Node[] {
  const out: Node[] = [];
  for (const m of ctx.matchesIn(candidatePattern(ctx, 'g'))) {
    const id = ctx.nodeAt(m.index, m.index + 1);
    if (!id || (id.type !== 'identifier' && id.type !== 'field_identifier')) continue;
    // identifier → [selector_expression] → [index_expression | generic] → call_expression
    let n: Node = id;
    for (let hops = 0; hops < 3 && n.parent && n.parent.type !== 'call_expression'; hops++) n = n.parent;
    const call = n.parent;
    if (call?.type === 'call_expression' && field(call, 'function')?.id === n.id) out.push(call);
  }
  return out;
}
