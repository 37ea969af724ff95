import type { Rule, RuleContext } from '../context';
import type { ResultChanFunc } from '../package-index';
import type { Fix } from '../types';
import { isLocalName } from '../go/scope';
import {
  enclosingFunc,
  field,
  namedChildren,
  params,
  receiverTypeName,
  unparen,
  walkNamed,
  type Node,
} from '../go/syntax';

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
    if (ctx.pkg.resultChans.size === 0) return;
    for (const call of candidateCalls(ctx)) this.check(call, ctx);
  },
  check(call, ctx) {
    const how = discardKind(call);
    if (!how) return;
    const fn = enclosingFunc(call);
    if (fn?.hasError) return;
    const target = resolveCallee(call, ctx);
    if (!target) return;
    if (how.kind === 'blank' && !how.blankAt.includes(target.resultIndex)) return;
    if (how.kind === 'blank' && how.arity !== target.resultCount) return;
    const where = target.file === ctx.path ? `line ${target.line}` : `${baseName(target.file)}:${target.line}`;
    const fixes: Fix[] = [];
    const recv = receiveFix(call, how, target, ctx);
    if (recv) fixes.push(recv);
    if (target.fix) fixes.push({ ...target.fix, edits: target.fix.edits.map((e) => (e.file === ctx.path ? { ...e, file: undefined } : e)) });
    if (fixes.length) fixes[fixes.length - 1].preferred = true;
    ctx.report({
      span: call,
      message:
        `The channel returned by ${target.key}() is discarded, but a goroutine started by ${target.key} (${where}) ` +
        `sends on it unbuffered: with no receiver, that goroutine stays blocked in its send forever.`,
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

function resolveCallee(call: Node, ctx: RuleContext): ResultChanFunc | null {
  let f = unparen(field(call, 'function'));
  if (f?.type === 'generic_type' || f?.type === 'index_expression') f = f.namedChild(0);
  if (!f) return null;
  if (f.type === 'identifier') return isLocalName(f, f.text) ? null : ctx.pkg.resultChans.get(f.text) ?? null;
  if (f.type !== 'selector_expression') return null;
  const operand = unparen(field(f, 'operand'));
  const method = field(f, 'field')?.text;
  if (!operand || !method || operand.type !== 'identifier') return null;
  const typeName = typeOfVar(operand);
  return typeName ? ctx.pkg.resultChans.get(`${typeName}.${method}`) ?? null : null;
}

/** The named type of a variable, when its declaration says it plainly. */
function typeOfVar(id: Node): string | null {
  for (let fn = enclosingFunc(id); fn; fn = enclosingFunc(fn)) {
    for (const which of ['receiver', 'parameters'] as const) {
      const p = params(fn, which).find((x) => x.name === id.text);
      if (p) return receiverTypeName(p.type);
    }
    const body = field(fn, 'body');
    let found: string | null = null;
    if (body) {
      walkNamed(body, (n) => {
        if (found !== null || n.startIndex > id.startIndex) return false;
        if (n.type === 'short_var_declaration') {
          const l = namedChildren(field(n, 'left')!);
          const r = namedChildren(field(n, 'right')!);
          const i = l.findIndex((x) => x.text === id.text);
          if (i >= 0 && l.length === r.length) found = compositeType(r[i]) ?? '';
        } else if (n.type === 'var_spec') {
          if (n.childrenForFieldName('name').some((x) => x?.text === id.text)) {
            const t = field(n, 'type');
            found = t ? receiverTypeName(t) ?? '' : '';
          }
        }
        return n.type !== 'func_literal';
      });
    }
    if (found !== null) return found || null;
  }
  return null;
}

function compositeType(e: Node): string | null {
  let n: Node | null = unparen(e);
  if (n?.type === 'unary_expression' && field(n, 'operator')?.type === '&') n = unparen(field(n, 'operand'));
  if (n?.type === 'composite_literal') {
    const t = field(n, 'type');
    return t ? receiverTypeName(t) : null;
  }
  if (n?.type === 'call_expression' && field(n, 'function')?.text === 'new') {
    const t = field(n, 'arguments')?.namedChild(0);
    return t ? receiverTypeName(t) : null;
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

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Calls whose callee names a function or method the package index lists, found by text search. */
function candidateCalls(ctx: RuleContext): Node[] {
  const names = new Set([...ctx.pkg.resultChans.keys()].map((k) => k.split('.').pop()!));
  const escaped = [...names].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`\\b(?:${escaped.join('|')})\\s*(?:\\[[^\\]\\n]*\\]\\s*)?\\(`, 'g');
  const out: Node[] = [];
  for (const m of ctx.source.matchAll(pattern)) {
    const id = ctx.root.descendantForIndex(m.index!, m.index! + 1);
    if (!id || (id.type !== 'identifier' && id.type !== 'field_identifier')) continue;
    // identifier → [selector_expression] → [index_expression | generic] → call_expression
    let n: Node = id;
    for (let hops = 0; hops < 3 && n.parent && n.parent.type !== 'call_expression'; hops++) n = n.parent;
    const call = n.parent;
    if (call?.type === 'call_expression' && field(call, 'function')?.id === n.id) out.push(call);
  }
  return out;
}
