import type { Rule, RuleContext } from '../context';
import { freshName, namesIn } from '../go/scope';
import {
  callArgs,
  calleeName,
  collect,
  field,
  FUNC_TYPES,
  goLiteral,
  indentAt,
  isPointerTo,
  isQualified,
  isReceive,
  namedChildren,
  params,
  stmtCall,
  unparen,
  walkNamed,
  type Node,
} from '../go/syntax';
import type { Fix, TextEdit } from '../types';
import { HANDLER_TYPES } from '../go/hints';

type Framework = 'http-request' | 'http-writer' | 'gin' | 'echo' | 'fiber';

const WHAT: Record<Framework, string> = {
  'http-request': 'the *http.Request',
  'http-writer': 'the http.ResponseWriter',
  gin: 'the *gin.Context',
  echo: 'the echo.Context',
  fiber: 'the *fiber.Ctx',
};

const WHY: Record<Framework, string> = {
  'http-request': 'net/http cancels its context and may reuse its body once the handler returns',
  'http-writer': 'writes after the handler returns are lost or panic',
  gin: 'gin reuses the Context for the next request once the handler returns (use c.Copy())',
  echo: 'echo reuses the Context for the next request once the handler returns',
  fiber: 'fiber reuses the Ctx for the next request once the handler returns',
};

export const requestCapturedByGoroutine: Rule = {
  meta: {
    id: 'request-captured-by-goroutine',
    description: "Work that outlives an HTTP handler holds the handler's request, writer or context",
    defaultSeverity: 'warning',
    docs: 'docs/rules/request-captured-by-goroutine.md',
    fixable: true,
  },
  nodeTypes: [...FUNC_TYPES],
  wants: (text) => HANDLER_TYPES.test(text),
  check(fn, ctx) {
    if (fn.hasError) return;
    const held = handlerParams(fn);
    if (held.size === 0) return;
    const body = field(fn, 'body');
    if (!body) return;
    const joined = returnsJoiner(body);
    for (const go of collect(body, (n) => n.type === 'go_statement')) {
      if (joined || waitsAfter(body, go)) continue;
      checkGo(go, held, ctx);
    }
    for (const assign of collect(body, (n) => n.type === 'assignment_statement')) checkStored(assign, held, ctx);
  },
};

function handlerParams(fn: Node): Map<string, Framework> {
  const out = new Map<string, Framework>();
  for (const p of params(fn)) {
    if (!p.name || p.name === '_') continue;
    const t = p.type;
    const kind: Framework | null = isPointerTo(t, 'http', 'Request')
      ? 'http-request'
      : isQualified(t, 'http', 'ResponseWriter')
        ? 'http-writer'
        : isPointerTo(t, 'gin', 'Context')
          ? 'gin'
          : isQualified(t, 'echo', 'Context')
            ? 'echo'
            : isPointerTo(t, 'fiber', 'Ctx')
              ? 'fiber'
              : null;
    if (kind) out.set(p.name, kind);
  }
  // net/http handlers take both; a lone *http.Request parameter may be a client helper.
  if (out.size && [...out.values()].every((k) => k === 'http-request') && !params(fn).some((p) => isQualified(p.type, 'http', 'ResponseWriter'))) return new Map();
  return out;
}

/** The handler waits for its goroutines after starting this one: Wait(), or a receive. */
function waitsAfter(body: Node, go: Node): boolean {
  let waits = false;
  walkNamed(body, (n) => {
    if (waits || n.type === 'func_literal') return false;
    if (n.startIndex < go.endIndex) return n.endIndex > go.endIndex;
    if (isReceive(n) || n.type === 'range_clause' || (n.type === 'call_expression' && /\.Wait$/.test(calleeName(n) ?? ''))) waits = true;
    return !waits;
  });
  return waits;
}

/**
 * A helper that returns a function which receives from a channel (`done := keepAlive(w)`;
 * `done(err)` hands off and waits for the goroutine to close it): the caller joins the goroutine.
 */
function returnsJoiner(body: Node): boolean {
  return collect(body, (n) => n.type === 'return_statement').some((ret) =>
    collect(ret, (n) => n.type === 'func_literal', true).some((lit) => collect(field(lit, 'body') ?? lit, (n) => isReceive(n)).length > 0),
  );
}

/** References to held names inside `scope`, skipping literals that shadow them. */
function refsIn(scope: Node, held: Map<string, Framework>): Node[] {
  const out: Node[] = [];
  walkNamed(scope, (n) => {
    if (n.type === 'func_literal' && params(n).some((p) => p.name && held.has(p.name))) return false;
    if (n.type === 'identifier' && held.has(n.text)) out.push(n);
    return true;
  });
  return out;
}

function message(name: string, kind: Framework, how: string): string {
  return `${how} '${name}' (${WHAT[kind]}), and the handler does not wait for it: ${WHY[kind]}. Copy what the goroutine needs before starting it.`;
}

function checkGo(go: Node, held: Map<string, Framework>, ctx: RuleContext): void {
  const lit = goLiteral(go);
  const call = stmtCall(go);
  if (!call) return;
  if (lit) {
    const own = new Set(params(lit).map((p) => p.name));
    const visible = new Map([...held].filter(([name]) => !own.has(name)));
    const refs = refsIn(field(lit, 'body') ?? lit, visible);
    if (refs.length === 0) return;
    const first = refs[0];
    const kind = held.get(first.text)!;
    ctx.report({ span: first, message: message(first.text, kind, 'This goroutine uses'), fixes: literalFix(go, refs, held, ctx) });
    return;
  }
  for (const arg of callArgs(call)) {
    const a = unparen(arg);
    if (a?.type !== 'identifier' || !held.has(a.text)) continue;
    const kind = held.get(a.text)!;
    const fixes: Fix[] = kind === 'gin' ? [ginCopyFix(go, [a], ctx)] : [];
    ctx.report({ span: a, message: message(a.text, kind, 'This goroutine is handed'), fixes });
  }
}

function ginCopyFix(go: Node, refs: Node[], ctx: RuleContext): Fix {
  const name = freshName(namesIn(ctx.root), `${refs[0].text}Cp`, 'cCopy');
  const ind = indentAt(ctx.source, go.startIndex);
  const edits: TextEdit[] = [{ start: go.startIndex, end: go.startIndex, newText: `${name} := ${refs[0].text}.Copy()${ctx.eol}${ind}` }];
  for (const r of refs) edits.push({ start: r.startIndex, end: r.endIndex, newText: name });
  return { kind: 'gin-copy', title: `Use ${name} := ${refs[0].text}.Copy() in the goroutine`, edits, preferred: true };
}

function literalFix(go: Node, refs: Node[], held: Map<string, Framework>, ctx: RuleContext): Fix[] {
  const kinds = new Set(refs.map((r) => held.get(r.text)));
  if (kinds.size !== 1) return [];
  const kind = [...kinds][0]!;
  if (kind === 'gin' && new Set(refs.map((r) => r.text)).size === 1) return [ginCopyFix(go, refs, ctx)];
  if (kind !== 'http-request') return [];
  // Hoist each r.X.Y the goroutine reads into a local, when it only reads fields.
  const chains = new Map<string, Node[]>();
  for (const r of refs) {
    let top: Node = r;
    while (top.parent?.type === 'selector_expression' && field(top.parent, "operand")?.id === top.id) top = top.parent;
    if (top.parent?.type === 'call_expression' && field(top.parent, 'function')?.id === top.id) {
      // r.Header.Get(...): hoist r.Header and keep the call.
      if (top.type !== 'selector_expression') return [];
      top = field(top, 'operand')!;
    }
    if (top.id === r.id) return []; // the bare request is used
    if (top.parent?.type === 'unary_expression' && field(top.parent, 'operator')?.type === '&') return [];
    if (isAssigned(top)) return [];
    const key = top.text.replace(/\s+/g, '');
    chains.set(key, [...(chains.get(key) ?? []), top]);
  }
  const taken = namesIn(ctx.root);
  const ind = indentAt(ctx.source, go.startIndex);
  const edits: TextEdit[] = [];
  let decls = '';
  for (const [chain, nodes] of chains) {
    const last = chain.split('.').pop()!;
    const base = /^[A-Z0-9]+$/.test(last) ? last.toLowerCase() : last[0].toLowerCase() + last.slice(1);
    const name = freshName(taken, base, `req${last}`);
    taken.add(name);
    decls += `${name} := ${chain}${ctx.eol}${ind}`;
    for (const n of nodes) edits.push({ start: n.startIndex, end: n.endIndex, newText: name });
  }
  edits.unshift({ start: go.startIndex, end: go.startIndex, newText: decls });
  return [{ kind: 'hoist-fields', title: `Copy ${[...chains.keys()].join(', ')} into locals before the goroutine`, edits, preferred: true }];
}

function isAssigned(n: Node): boolean {
  const p = n.parent;
  return !!p && p.type === 'expression_list' && (p.parent?.type === 'assignment_statement' || p.parent?.type === 'inc_statement') && field(p.parent, 'left')?.id === p.id;
}

/** A closure over the request stored where it outlives the handler: a field, a map, a package variable. */
function checkStored(assign: Node, held: Map<string, Framework>, ctx: RuleContext): void {
  const lhs = field(assign, 'left');
  const rhs = field(assign, 'right');
  if (!lhs || !rhs) return;
  namedChildren(rhs).forEach((value, i) => {
    const v = unparen(value);
    if (v?.type !== 'func_literal') return;
    const target = unparen(namedChildren(lhs)[i] ?? null);
    if (!target) return;
    const outlives =
      target.type === 'selector_expression' || target.type === 'index_expression' || (target.type === 'identifier' && ctx.pkg.packageVars.has(target.text) && !isLocal(assign, target.text));
    if (!outlives || inLocalThatStaysHere(assign, target, v)) return;
    const refs = refsIn(field(v, 'body') ?? v, held);
    if (refs.length === 0) return;
    const kind = held.get(refs[0].text)!;
    ctx.report({
      span: refs[0],
      message: `A closure stored in ${target.text} uses '${refs[0].text}' (${WHAT[kind]}), so it outlives the handler: ${WHY[kind]}.`,
    });
  });
}

/**
 * `opts.Check = func() {...}` where `opts` is a local variable of the handler that is only
 * passed to calls and read: the closure runs (if at all) before the handler returns.
 */
function inLocalThatStaysHere(assign: Node, target: Node, closure: Node): boolean {
  let root: Node | null = target;
  while (root && (root.type === 'selector_expression' || root.type === 'index_expression')) root = unparen(field(root, 'operand'));
  if (root?.type !== 'identifier') return false;
  let fn: Node | null = assign;
  while (fn && !FUNC_TYPES.has(fn.type)) fn = fn.parent;
  const body = fn && field(fn, 'body');
  if (!fn || !body || params(fn).some((p) => p.name === root!.text) || params(fn, 'receiver').some((p) => p.name === root!.text)) return false;
  const declared = collect(body, (n) => (n.type === 'short_var_declaration' && namedChildren(field(n, 'left')!).some((x) => x.text === root!.text)) || (n.type === 'var_spec' && n.childrenForFieldName('name').some((x) => x?.text === root!.text)));
  if (!declared.length) return false;
  const uses = collect(body, (n) => n.type === 'identifier' && n.text === root!.text, true);
  return uses.every((u) => {
    if (u.startIndex >= closure.startIndex && u.endIndex <= closure.endIndex) return true; // the closure itself reading the options
    for (let a: Node | null = u.parent; a && a.id !== body.id; a = a.parent) {
      if (a.type === 'go_statement' || a.type === 'return_statement' || a.type === 'send_statement' || a.type === 'defer_statement' || a.type === 'func_literal') return false;
      // Copied into another variable or field (`x.opts = opts`, `y := &opts`): it may outlive the handler.
      if ((a.type === 'assignment_statement' || a.type === 'short_var_declaration') && field(a, 'right')?.id === directValue(u).parent?.id) return false;
    }
    return true;
  });
}

/** `x` or `&x`: the expression a use stands for as a value. */
function directValue(u: Node): Node {
  return u.parent?.type === 'unary_expression' ? u.parent : u;
}

function isLocal(at: Node, name: string): boolean {
  let fn: Node | null = at;
  while (fn && !FUNC_TYPES.has(fn.type)) fn = fn.parent;
  if (!fn) return false;
  return params(fn).some((p) => p.name === name) || collect(field(fn, 'body') ?? fn, (n) => (n.type === 'short_var_declaration' || n.type === 'var_spec') && n.text.startsWith(name)).length > 0;
}
