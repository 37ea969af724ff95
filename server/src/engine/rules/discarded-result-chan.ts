import type { Rule, RuleContext } from '../context';
import type { ResultChanFunc } from '../package-index';
import type { ImportedPackage } from '../deps';
import type { Fix } from '../types';
import { isLocalName } from '../go/scope';
import {
  enclosingFunc,
  field,
  namedChildren,
  params,
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
    if (ctx.pkg.resultChans.size === 0 && ![...ctx.imports.values()].some((i) => i.index.resultChans.size)) return;
    for (const call of candidateCalls(ctx)) this.check(call, ctx);
  },
  check(call, ctx) {
    const how = discardKind(call);
    if (!how) return;
    const fn = enclosingFunc(call);
    if (fn?.hasError) return;
    const resolved = resolveCallee(call, ctx);
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
      message:
        `The channel returned by ${name}() is discarded, but a goroutine started by ${target.key} (${where}) ` +
        `sends on it unbuffered: with no receiver, that goroutine stays blocked in its send forever, one more on every call.`,
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

/** The function or method a call reaches, in this package or in an imported one (`from`). */
function resolveCallee(call: Node, ctx: RuleContext): { target: ResultChanFunc; from: ImportedPackage | null } | null {
  let f = unparen(field(call, 'function'));
  if (f?.type === 'generic_type' || f?.type === 'index_expression') f = f.namedChild(0);
  if (!f) return null;
  const local = (t: ResultChanFunc | undefined) => (t ? { target: t, from: null } : null);
  if (f.type === 'identifier') return isLocalName(f, f.text) ? null : local(ctx.pkg.resultChans.get(f.text));
  if (f.type !== 'selector_expression') return null;
  const operand = unparen(field(f, 'operand'));
  const method = field(f, 'field')?.text;
  if (!operand || !method || operand.type !== 'identifier') return null;
  // `pkg.F()`: a function of an imported package.
  const imported = !isLocalName(operand, operand.text) ? ctx.imports.get(operand.text) : undefined;
  if (imported) {
    const t = imported.index.resultChans.get(method);
    return t ? { target: t, from: imported } : null;
  }
  const type = typeOfVar(operand, ctx);
  if (!type) return null;
  if (!type.qual) return local(ctx.pkg.resultChans.get(`${type.name}.${method}`));
  const from = ctx.imports.get(type.qual);
  const t = from?.index.resultChans.get(`${type.name}.${method}`);
  return t && from ? { target: t, from } : null;
}

interface VarType {
  /** The import name for a type of another package, else null. */
  qual: string | null;
  name: string;
}

/** The named type of a variable, when its declaration says it plainly. */
function typeOfVar(id: Node, ctx: RuleContext): VarType | null {
  for (let fn = enclosingFunc(id); fn; fn = enclosingFunc(fn)) {
    for (const which of ['receiver', 'parameters'] as const) {
      const p = params(fn, which).find((x) => x.name === id.text);
      if (p) return namedType(p.type);
    }
    const body = field(fn, 'body');
    let found: VarType | null | undefined;
    if (body) {
      walkNamed(body, (n) => {
        if (found !== undefined || n.startIndex > id.startIndex) return false;
        if (n.type === 'short_var_declaration' || (n.type === 'assignment_statement' && n.text.includes('='))) {
          const l = namedChildren(field(n, 'left')!);
          const r = namedChildren(field(n, 'right')!);
          const i = l.findIndex((x) => x.text === id.text);
          if (i >= 0 && n.type === 'short_var_declaration') found = l.length === r.length ? valueType(r[i], ctx) : r.length === 1 && i === 0 ? valueType(r[0], ctx) : null;
        } else if (n.type === 'var_spec') {
          if (n.childrenForFieldName('name').some((x) => x?.text === id.text)) {
            const t = field(n, 'type');
            found = t ? namedType(t) : null;
          }
        }
        return n.type !== 'func_literal';
      });
    }
    if (found !== undefined) return found;
  }
  return null;
}

/** `T`, `*T`, `pkg.T`, `*pkg.T`. */
function namedType(t: Node | null): VarType | null {
  let n = t;
  while (n && (n.type === 'pointer_type' || n.type === 'parenthesized_type')) n = n.namedChild(0);
  if (n?.type === 'generic_type') n = field(n, 'type');
  if (n?.type === 'type_identifier') return { qual: null, name: n.text };
  if (n?.type === 'qualified_type') {
    const pkg = field(n, 'package')?.text;
    const name = field(n, 'name')?.text;
    return pkg && name ? { qual: pkg, name } : null;
  }
  return null;
}

/** The type a value is made with: `&T{}`, `T{}`, `new(T)`, or a constructor call `NewT()` / `pkg.NewT()`. */
function valueType(e: Node, ctx: RuleContext): VarType | null {
  let n: Node | null = unparen(e);
  if (n?.type === 'unary_expression' && field(n, 'operator')?.type === '&') n = unparen(field(n, 'operand'));
  if (n?.type === 'composite_literal') return namedType(field(n, 'type'));
  if (n?.type !== 'call_expression') return null;
  const fn = unparen(field(n, 'function'));
  if (fn?.text === 'new') return namedType(field(n, 'arguments')?.namedChild(0) ?? null);
  if (fn?.type === 'identifier') {
    const t = ctx.pkg.constructors.get(fn.text);
    return t ? { qual: null, name: t } : null;
  }
  if (fn?.type === 'selector_expression') {
    const pkg = unparen(field(fn, 'operand'));
    const name = field(fn, 'field')?.text;
    const t = pkg?.type === 'identifier' && name ? ctx.imports.get(pkg.text)?.index.constructors.get(name) : undefined;
    return t ? { qual: pkg!.text, name: t } : null;
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

/** Calls whose callee names a function or method the package index (or an import's) lists, found by text search. */
function candidateCalls(ctx: RuleContext): Node[] {
  const keys = [...ctx.pkg.resultChans.keys(), ...[...ctx.imports.values()].flatMap((i) => [...i.index.resultChans.keys()])];
  const names = new Set(keys.map((k) => k.split('.').pop()!));
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
