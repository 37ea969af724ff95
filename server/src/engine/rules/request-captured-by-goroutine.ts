import type { Rule, RuleContext } from '../context';
import { spanOf } from '../context';
import { freshName, namesIn } from '../go/scope';
import {
  callArgs,
  calleeName,
  collect,
  enclosingFunc,
  identifiersIn,
  field,
  FUNC_TYPES,
  goLiteral,
  indentAt,
  isPointerTo,
  isQualified,
  isReceive,
  outermostFunc,
  namedChildren,
  ofType,
  params,
  stmtCall,
  unparen,
  walkNamed,
  wholeLineSpan,
  type Node,
} from '../go/syntax';
import type { Fix, RelatedLocation, TextEdit } from '../types';
import { HANDLER_TYPES } from '../go/hints';
import { newWaitCache, signalsOf, waitsOnEveryPath } from '../go/waits';
import { addStdImport } from '../go/imports';

type Kind = 'http-request' | 'http-writer' | 'gin' | 'echo' | 'fiber' | 'request-context';

/** The type, as the verdict names it. */
const TYPE: Record<Kind, string> = {
  'http-request': '*http.Request',
  'http-writer': 'http.ResponseWriter',
  gin: '*gin.Context',
  echo: 'echo.Context',
  fiber: '*fiber.Ctx',
  'request-context': 'request context',
};

/** Why that is wrong, in a few words for the verdict. */
const SHORT: Record<Kind, string> = {
  'http-request': 'its body is closed',
  'http-writer': 'its writes are lost',
  gin: 'gin reuses it for another request',
  echo: 'echo reuses it for another request',
  fiber: 'fiber reuses it for another request',
  'request-context': 'it is cancelled by then',
};

const WHY: Record<Kind, string> = {
  'http-request': "net/http cancels the request's context and closes its body once the handler returns",
  'http-writer': 'writes to the ResponseWriter after the handler returns are lost, or panic',
  gin: 'gin puts the Context back in its pool when the handler returns and hands it to the next request, so the goroutine reads and writes another request',
  echo: 'echo puts the Context back in its pool when the handler returns and hands it to the next request',
  fiber: 'fiber puts the Ctx back in its pool when the handler returns and hands it to the next request',
  'request-context': 'net/http cancels the request\'s context as soon as the handler returns, so work started with it fails with "context canceled"',
};

const REMEDY: Record<Kind, string> = {
  'http-request': 'Copy the values it reads into locals before the go statement, or wait for it on every path.',
  'http-writer': 'Write the response in the handler, or wait for the goroutine on every path.',
  gin: 'Start it with cCp := c.Copy() and use only the copy inside, or wait for it on every path.',
  echo: 'Copy the values it needs into locals before the go statement, or wait for it on every path.',
  fiber: 'Copy the values it needs into locals (fiber values are only valid in the handler), or wait for it on every path.',
  'request-context': 'For work meant to outlive the request use context.WithoutCancel(r.Context()) (Go 1.21+) or a fresh context carrying the values it needs.',
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
    if (fn.hasError || !mayOutlive(ctx.textOf(fn), ctx)) return;
    const held = handlerParams(fn);
    if (held.size === 0) return;
    const body = field(fn, 'body');
    if (!body) return;
    for (const [name, kind] of aliases(body, held)) held.set(name, kind);
    const closures = boundClosures(body);
    const joined = returnsJoiner(body);
    const memo = newWaitCache();
    // ofType: the declaration's nodes by type from one native walk, shared by every function and
    // rule (a walk from JavaScript per question cost more than the rest of the analysis).
    for (const go of ofType(body, 'go_statement')) {
      if (joined) break;
      const work = workOf(go, closures);
      if (!work) continue;
      if (waitsOnEveryPath(go, body, signalsOf(work.lit ? (field(work.lit, 'body') ?? work.lit) : work.call, work.argTexts), memo)) continue;
      checkWork(go, work, held, ctx, 'the goroutine');
    }
    const calls = ofType(body, 'call_expression');
    for (const call of calls.filter((n) => calleeName(n) === 'time.AfterFunc')) checkAfterFunc(call, body, held, closures, ctx);
    for (const call of calls.filter((n) => n.parent?.type !== 'go_statement')) checkHelperCall(call, held, ctx);
    for (const assign of ofType(body, 'assignment_statement')) checkStored(assign, held, ctx);
  },
};

/**
 * False when nothing in the function's text can outlive it: no go statement, no time.AfterFunc,
 * no closure assigned (checkStored), and no call of a function of this file that starts a
 * goroutine (checkHelperCall). Told from text, so a handler with none of them is not walked.
 */
function mayOutlive(text: string, ctx: RuleContext): boolean {
  if (GO_WORD.test(text) || text.includes('AfterFunc') || CLOSURE_VALUE.test(text)) return true;
  const helpers = ctx.cached('reqcap-go-helpers', () => {
    const names = [...helperDecls(ctx)].filter(([, d]) => GO_WORD.test(ctx.textOf(d))).map(([n]) => n);
    return names.length ? new RegExp(`\\b(?:${names.join('|')})\\s*\\(`) : null;
  });
  return !!helpers && helpers.test(text);
}

/** Looser than GO_STMT (`go(f)()` is a go statement too). */
const GO_WORD = /\bgo\b/;
/** A func literal as a value of an assignment (`x.f = func`, `a, b = 1, (func`). */
const CLOSURE_VALUE = /[=,]\s*\(*\s*func\b/;

/** The file's function declarations by name. */
function helperDecls(ctx: RuleContext): Map<string, Node> {
  return ctx.cached(`reqcap-helpers`, () => {
    const m = new Map<string, Node>();
    for (const d of namedChildren(ctx.root)) if (d.type === 'function_declaration' && field(d, 'name')) m.set(field(d, 'name')!.text, d);
    return m;
  });
}

function paramKind(t: Node): Kind | null {
  if (isPointerTo(t, 'http', 'Request')) return 'http-request';
  if (isQualified(t, 'http', 'ResponseWriter')) return 'http-writer';
  if (isPointerTo(t, 'gin', 'Context')) return 'gin';
  if (isQualified(t, 'echo', 'Context')) return 'echo';
  if (isPointerTo(t, 'fiber', 'Ctx')) return 'fiber';
  return null;
}

function handlerParams(fn: Node): Map<string, Kind> {
  const out = new Map<string, Kind>();
  for (const p of params(fn)) {
    if (!p.name || p.name === '_') continue;
    const kind = paramKind(p.type);
    if (kind) out.set(p.name, kind);
  }
  // net/http handlers take both; a lone *http.Request parameter may be a client helper.
  if (out.size && [...out.values()].every((k) => k === 'http-request') && !params(fn).some((p) => isQualified(p.type, 'http', 'ResponseWriter'))) return new Map();
  return out;
}

/**
 * What an expression holds of the request: the held value itself (`c`, `req`), a part that
 * shares its lifetime (`c.Request`, `c.Writer`, `r.Body`, echo's `c.Request()`), or the
 * request's context (`r.Context()`, `c.Request.Context()`). `c.Copy()`, `r.URL.Path`: nothing.
 */
function kindOf(e: Node | null, held: ReadonlyMap<string, Kind>): Kind | null {
  e = unparen(e);
  if (!e) return null;
  if (e.type === 'identifier') return held.get(e.text) ?? null;
  if (e.type === 'selector_expression') {
    const k = kindOf(field(e, 'operand'), held);
    const f = field(e, 'field')?.text;
    if (k === 'gin' && f === 'Request') return 'http-request';
    if (k === 'gin' && f === 'Writer') return 'http-writer';
    if (k === 'http-request' && f === 'Body') return 'http-request';
    return null;
  }
  if (e.type === 'call_expression' && callArgs(e).length === 0) {
    const fn = unparen(field(e, 'function'));
    if (fn?.type !== 'selector_expression') return null;
    const k = kindOf(field(fn, 'operand'), held);
    const m = field(fn, 'field')?.text;
    if (k === 'http-request' && m === 'Context') return 'request-context';
    if (k === 'echo' && m === 'Request') return 'http-request';
    if (k === 'echo' && m === 'Response') return 'http-writer';
  }
  return null;
}

/** Locals that alias a held value or its context: `ctx := c`, `req := r`, `reqCtx := r.Context()`. */
function aliases(body: Node, held: ReadonlyMap<string, Kind>): Map<string, Kind> {
  const out = new Map<string, Kind>();
  const all = () => new Map([...held, ...out]);
  const assigns = ofType(body, ['short_var_declaration', 'assignment_statement', 'var_spec']);
  for (let pass = 0; pass < 3; pass++) {
    const before = out.size;
    for (const n of assigns) {
      const left = n.type === 'var_spec' ? n.childrenForFieldName('name').filter((x): x is Node => !!x) : namedChildren(field(n, 'left') ?? n);
      const rightNode = field(n, n.type === 'var_spec' ? 'value' : 'right');
      const right = rightNode ? namedChildren(rightNode) : [];
      if (left.length !== right.length) continue;
      const h = all();
      left.forEach((l, i) => {
        const k = kindOf(right[i], h);
        if (l.type === 'identifier' && l.text !== '_' && k && !h.has(l.text)) out.set(l.text, k);
      });
    }
    if (out.size === before) break;
  }
  return out;
}

/** `work := func() {...}`: closures bound to locals, which a later `go work()` starts. */
function boundClosures(body: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const d of ofType(body, 'short_var_declaration')) {
    const l = namedChildren(field(d, 'left') ?? d);
    const r = namedChildren(field(d, 'right') ?? d);
    if (l.length === 1 && r.length === 1 && unparen(r[0])?.type === 'func_literal') out.set(l[0].text, unparen(r[0])!);
  }
  return out;
}

interface Work {
  call: Node;
  /** The function literal the goroutine runs, written in place or bound to a local. */
  lit: Node | null;
  inPlace: boolean;
  /** Argument texts: a channel handed to a named function may be what it signals on. */
  argTexts: string[];
}

function workOf(go: Node, closures: Map<string, Node>): Work | null {
  const call = stmtCall(go);
  if (!call) return null;
  const argTexts = callArgs(call).map((a) => unparen(a)?.text ?? a.text);
  const lit = goLiteral(go);
  if (lit) return { call, lit, inPlace: true, argTexts };
  const fn = unparen(field(call, 'function'));
  if (fn?.type === 'identifier' && closures.has(fn.text)) return { call, lit: closures.get(fn.text)!, inPlace: false, argTexts };
  return { call, lit: null, inPlace: true, argTexts };
}

/** A use of a held value inside the work: the reference, its kind, and the expression it tops. */
interface Use {
  ref: Node;
  name: string;
  kind: Kind;
}

/** Uses that matter after the handler returns. The request's context counts only where work is started with it. */
function usesIn(scope: Node, held: ReadonlyMap<string, Kind>): Use[] {
  const out: Use[] = [];
  walkNamed(scope, (n) => {
    if (n.type === 'func_literal' && params(n).some((p) => p.name && held.has(p.name))) return false;
    if (n.type !== 'identifier' || !held.has(n.text)) return true;
    if (n.parent?.type === 'selector_expression' && field(n.parent, 'field')?.id === n.id) return true;
    const root = held.get(n.text)!;
    // Climb r.Body, c.Request, r.Context() while the expression still holds the request.
    let top: Node = n;
    let kind: Kind = root;
    for (;;) {
      const up = climb(top);
      const k = up && kindOf(up, held);
      if (!up || !k) break;
      top = up;
      kind = k;
    }
    if (kind === 'request-context' && (root === 'http-request' || root === 'request-context') && top.parent?.type !== 'argument_list') return true;
    // Through gin, echo or fiber the pooled context itself is read after return, whatever the chain ends in.
    const framework = root === 'gin' || root === 'echo' || root === 'fiber';
    out.push({ ref: n, name: n.text, kind: framework || kind !== 'request-context' ? root : 'request-context' });
    return true;
  });
  return out;
}

/** The selector or zero-argument call that `n` is the operand of. */
function climb(n: Node): Node | null {
  const p = n.parent;
  if (p?.type === 'selector_expression' && field(p, 'operand')?.id === n.id) {
    const call = p.parent;
    return call?.type === 'call_expression' && field(call, 'function')?.id === p.id ? call : p;
  }
  return null;
}

/** Held values the call itself passes on: arguments (`go f(c)`, `go f(r.Context())`) and receivers (`go c.Next()`). */
function usesInCall(call: Node, held: ReadonlyMap<string, Kind>): Use[] {
  const out: Use[] = [];
  const add = (e: Node | null) => {
    const k = kindOf(e, held);
    if (!e || !k) return;
    out.push({ ref: unparen(e)!, name: rootName(e), kind: k });
  };
  for (let f: Node | null = unparen(field(call, 'function')); f; ) {
    if (f.type === 'selector_expression') {
      add(field(f, 'operand'));
      f = null;
    } else if (f.type === 'call_expression') {
      for (const a of callArgs(f)) add(a);
      f = unparen(field(f, 'function'));
    } else f = null;
  }
  for (const a of callArgs(call)) add(a);
  return out;
}

/** `c` of `c.Request.Context()`. */
function rootName(e: Node): string {
  let root: Node | null = unparen(e);
  while (root && root.type !== 'identifier') root = unparen(root.type === 'call_expression' ? field(root, 'function') : field(root, 'operand'));
  return root?.text ?? e.text;
}

/**
 * The function waits on the request context's Done() itself (a streaming loop, a select that
 * gives up when the request ends): work it starts with that context is meant to end with it.
 */
function tiedToContext(go: Node, held: ReadonlyMap<string, Kind>, ctx: RuleContext): boolean {
  const body = enclosingFuncBody(go);
  if (!body) return false;
  return ctx.cached(`reqcap-tied:${body.id}`, () => collect(body, (n) => {
    if (!isReceive(n)) return false;
    const op = unparen(field(n, 'operand'));
    const fn = op?.type === 'call_expression' && callArgs(op).length === 0 ? unparen(field(op, 'function')) : null;
    return fn?.type === 'selector_expression' && field(fn, 'field')?.text === 'Done' && kindOf(field(fn, 'operand'), held) === 'request-context';
  }).length > 0);
}

function verdict(who: string, u: Use): string {
  return `Handler returns while ${who} still uses ${u.name} (${TYPE[u.kind]}): ${SHORT[u.kind]}`;
}

function message(who: string, u: Use, waitNote: string): string {
  return `${verdict(who, u)}. ${WHY[u.kind]}; ${waitNote} ${REMEDY[u.kind]}`;
}

const NO_WAIT = 'the handler does not wait for it on every path to its return.';

function checkWork(go: Node, work: Work, held: Map<string, Kind>, ctx: RuleContext, who: string): void {
  let uses: Use[] = [];
  if (work.lit) {
    // Parameters of the literal bound to held values: `go func(ctx context.Context) {...}(reqCtx)`.
    const ps = params(work.lit);
    const args = callArgs(work.call);
    const visible = new Map(held);
    for (const p of ps) if (p.name) visible.delete(p.name);
    ps.forEach((p, i) => {
      const k = kindOf(args[i] ?? null, held);
      if (p.name && k) visible.set(p.name, k);
    });
    const bound = new Set(ps.map((p) => p.name).filter((n) => n && visible.has(n)));
    for (const u of usesIn(field(work.lit, 'body') ?? work.lit, visible)) {
      if (!bound.has(u.name)) uses.push(u);
      else {
        // Through a parameter: the report points at the argument.
        const arg = unparen(args[ps.findIndex((p) => p.name === u.name)] ?? null);
        if (arg && !uses.some((x) => x.ref.id === arg.id)) uses.push({ ref: arg, name: rootName(arg), kind: u.kind });
      }
    }
  } else uses = usesInCall(work.call, held);
  if (uses.some((u) => u.kind === 'request-context') && tiedToContext(go, held, ctx)) uses = uses.filter((u) => u.kind !== 'request-context');
  if (uses.length === 0) return;
  const first = uses[0];
  const fixes = work.inPlace ? fixesFor(go, work, uses, held, ctx) : [];
  if (work.lit && !work.inPlace) {
    const related: RelatedLocation[] = [{ span: spanOf(work.lit), message: 'the closure the goroutine runs' }];
    ctx.report({ span: unparen(field(work.call, 'function'))!, message: message(who, first, NO_WAIT), related });
    return;
  }
  if (work.lit) {
    ctx.report({ span: first.ref, message: message(who, first, NO_WAIT), fixes });
    return;
  }
  for (const u of uses) ctx.report({ span: u.ref, message: message(who, u, NO_WAIT), fixes: u === first ? fixes : [] });
}

function checkAfterFunc(call: Node, body: Node, held: Map<string, Kind>, closures: Map<string, Node>, ctx: RuleContext): void {
  const cb = unparen(callArgs(call)[1] ?? null);
  const lit = cb?.type === 'func_literal' ? cb : cb?.type === 'identifier' ? closures.get(cb.text) : undefined;
  if (!lit) return;
  // `t := time.AfterFunc(...)` and `t.Stop()` (deferred or before returning): the callback
  // cannot start after the handler returns.
  const decl = call.parent?.parent;
  const timer = decl && (decl.type === 'short_var_declaration' || decl.type === 'assignment_statement') ? namedChildren(field(decl, 'left') ?? decl)[0]?.text : null;
  if (timer && collect(body, (n) => n.type === 'call_expression' && calleeName(n) === `${timer}.Stop`).length) return;
  const uses = usesIn(field(lit, 'body') ?? lit, held);
  if (uses.length === 0) return;
  ctx.report({ span: uses[0].ref, message: message('its AfterFunc', uses[0], 'nothing stops the timer before the handler returns.') });
}

/**
 * `logAsync(r)`: a function of this file, handed the request, that starts a goroutine using
 * it and does not wait. (Helpers taking gin, echo or fiber contexts, or a ResponseWriter,
 * are handlers to this rule and reported where their goroutine starts.)
 */
function checkHelperCall(call: Node, held: Map<string, Kind>, ctx: RuleContext): void {
  const fnName = unparen(field(call, 'function'));
  if (fnName?.type !== 'identifier') return;
  const args = callArgs(call);
  const kinds = args.map((a) => kindOf(a, held));
  if (!kinds.some((k) => k === 'http-request' || k === 'request-context')) return;
  const decl = helperDecls(ctx).get(fnName.text);
  if (!decl) return;
  const ps = params(decl);
  const inner = new Map<string, Kind>();
  ps.forEach((p, i) => {
    const k = kinds[i];
    if (p.name && (k === 'http-request' || k === 'request-context')) inner.set(p.name, k);
  });
  if (inner.size === 0 || handlerParams(decl).size > 0) return;
  const body = field(decl, 'body');
  if (!body) return;
  for (const [name, kind] of aliases(body, inner)) inner.set(name, kind);
  const closures = boundClosures(body);
  for (const go of collect(body, (n) => n.type === 'go_statement')) {
    const work = workOf(go, closures);
    if (!work || waitsOnEveryPath(go, body, signalsOf(work.lit ? (field(work.lit, 'body') ?? work.lit) : work.call, work.argTexts))) continue;
    let uses = work.lit ? usesIn(field(work.lit, 'body') ?? work.lit, inner) : usesInCall(work.call, inner);
    if (uses.some((u) => u.kind === 'request-context') && tiedToContext(go, inner, ctx)) uses = uses.filter((u) => u.kind !== 'request-context');
    if (uses.length === 0) continue;
    const u = uses[0];
    const i = ps.findIndex((p) => p.name === u.name);
    const arg = args[i] ?? call;
    const passed: Use = { ref: arg, name: unparen(arg)?.text ?? u.name, kind: u.kind };
    ctx.report({
      span: arg,
      message: message(`${fnName.text}()'s goroutine`, passed, `${fnName.text}() returns without waiting for it.`),
      related: [{ span: spanOf(u.ref), message: `the goroutine uses ${u.name} here` }],
    });
    return;
  }
}

// ---------------------------------------------------------------------------------------
// Fixes

function fixesFor(go: Node, work: Work, uses: Use[], held: Map<string, Kind>, ctx: RuleContext): Fix[] {
  const timeout = timeoutFix(go, work, uses, ctx);
  if (timeout) return [timeout];
  const names = new Set(uses.map((u) => u.name));
  const kinds = new Set(uses.map((u) => u.kind));
  if (names.size !== 1) return [];
  const kind = held.get([...names][0])!;
  if (kind === 'gin' && !callsNext(work)) return [ginCopyFix(go, uses, ctx)];
  if (kinds.size === 1 && kinds.has('request-context')) return withoutCancelFix(go, uses, ctx);
  if (kind === 'http-request' && work.lit) return hoistFix(go, uses, ctx);
  return [];
}

/** `c.Next()` (or `c.Handler()(c)`) runs the rest of the chain: a copy has no handlers to run. */
function callsNext(work: Work): boolean {
  const where = work.lit ?? work.call;
  return /\.(Next|Handler)\(\)/.test(where.text);
}

function ginCopyFix(go: Node, uses: Use[], ctx: RuleContext): Fix {
  const base = uses[0].name;
  const name = freshName(namesIn(outermostFunc(go) ?? ctx.root), `${base}Cp`, 'cCopy');
  const ind = indentAt(ctx.source, go.startIndex);
  const edits: TextEdit[] = [{ start: go.startIndex, end: go.startIndex, newText: `${name} := ${base}.Copy()${ctx.eol}${ind}` }];
  for (const u of uses) {
    let root: Node = u.ref;
    while (root.type !== 'identifier') root = unparen(root.type === 'call_expression' ? field(root, 'function') : field(root, 'operand'))!;
    edits.push({ start: root.startIndex, end: root.endIndex, newText: name });
  }
  return { kind: 'gin-copy', title: `Use ${name} := ${base}.Copy() in the goroutine`, edits, preferred: true };
}

/** Go 1.21+: run the detached work under context.WithoutCancel(reqCtx), which keeps the values and drops the cancel. */
function withoutCancelFix(go: Node, uses: Use[], ctx: RuleContext): Fix[] {
  if (!ctx.goAtLeast(21)) return [];
  const tops = uses.map((u) => topOf(u.ref));
  const texts = new Set(tops.map((t) => t.text));
  if (texts.size !== 1) return [];
  const name = freshName(namesIn(outermostFunc(go) ?? ctx.root), 'detached', 'bgCtx');
  const ind = indentAt(ctx.source, go.startIndex);
  const edits: TextEdit[] = [{ start: go.startIndex, end: go.startIndex, newText: `${name} := context.WithoutCancel(${tops[0].text})${ctx.eol}${ind}` }];
  for (const t of tops) edits.push({ start: t.startIndex, end: t.endIndex, newText: name });
  const imp = addStdImport(ctx.root, ctx.source, ctx.eol, 'context');
  if (imp) edits.push(imp);
  return [{ kind: 'without-cancel', title: `Start the work with ${name} := context.WithoutCancel(${tops[0].text})`, edits, preferred: true }];
}

function topOf(ref: Node): Node {
  let top = ref;
  for (let up = climb(top); up; up = climb(top)) {
    if (/\.Context\(\)$/.test(up.text) || up.type === 'selector_expression') top = up;
    else break;
    if (/\.Context\(\)$/.test(top.text)) break;
  }
  return /\.Context\(\)$/.test(top.text) ? top : ref;
}

/** Hoist each r.X.Y the goroutine reads into a local, when it only reads fields. */
function hoistFix(go: Node, uses: Use[], ctx: RuleContext): Fix[] {
  const chains = new Map<string, Node[]>();
  for (const u of uses) {
    if (u.ref.type !== 'identifier') return [];
    let top: Node = u.ref;
    while (top.parent?.type === 'selector_expression' && field(top.parent, 'operand')?.id === top.id) top = top.parent;
    if (top.parent?.type === 'call_expression' && field(top.parent, 'function')?.id === top.id) {
      // r.Header.Get(...): hoist r.Header and keep the call.
      if (top.type !== 'selector_expression') return [];
      top = field(top, 'operand')!;
    }
    if (top.id === u.ref.id) return []; // the bare request is used
    if (/\.(Body|Context)\b/.test(top.text)) return []; // the same body or context, hoisted or not
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

/**
 * The timeout middleware: `go func() { c.Next(); close(done) }()` then a select between
 * `<-done` and `<-time.After(d)`. The fix runs the chain in the middleware itself under a
 * deadline on the request's context, and answers for the timeout once the chain is back.
 */
function timeoutFix(go: Node, work: Work, uses: Use[], ctx: RuleContext): Fix | null {
  if (!work.lit || callArgs(work.call).length || params(work.lit).length) return null;
  const stmts = namedChildren(field(work.lit, 'body') ?? work.lit).flatMap((s) => (s.type === 'statement_list' ? namedChildren(s) : [s])).filter((s) => s.type !== 'comment');
  const next = stmts.filter((s) => s.type === 'expression_statement' && /^\w+\.Next\(\)$/.test(s.text));
  if (next.length !== 1) return null;
  const c = next[0].text.split('.')[0];
  if (!uses.every((u) => u.name === c) || uses[0].kind !== 'gin') return null;
  const signals = stmts.filter((s) => s !== next[0]);
  const done = new Set<string>();
  for (const s of signals) {
    const m = /^(?:defer\s+)?close\((\w+)\)$/.exec(s.text) ?? (s.type === 'send_statement' ? /^(\w+)\s*<-/.exec(s.text) : null);
    if (!m) return null;
    done.add(m[1]);
  }
  if (done.size !== 1) return null;
  const doneName = [...done][0];
  const list = go.parent!;
  const siblings = namedChildren(list).filter((s) => s.type !== 'comment');
  const sel = siblings[siblings.findIndex((s) => s.id === go.id) + 1];
  if (sel?.type !== 'select_statement') return null;
  const cases = namedChildren(sel).filter((x) => x.type === 'communication_case');
  if (cases.length !== 2 || namedChildren(sel).some((x) => x.type === 'default_case')) return null;
  const recv = (k: Node) => {
    const cm = field(k, 'communication');
    const r = cm?.type === 'receive_statement' && !field(cm, 'left') ? unparen(field(cm, 'right')) : null;
    return r && isReceive(r) ? unparen(field(r, 'operand')) : null;
  };
  const doneCase = cases.find((k) => recv(k)?.text === doneName);
  const timerCase = cases.find((k) => k !== doneCase);
  const timerCall = timerCase ? recv(timerCase) : null;
  if (!doneCase || !timerCall || timerCall.type !== 'call_expression' || calleeName(timerCall) !== 'time.After') return null;
  const limit = callArgs(timerCall)[0];
  if (!limit) return null;
  // The done channel must have no other use than its declaration, the goroutine and the select.
  const fn = enclosingFuncBody(go);
  if (!fn) return null;
  const doneUses = collect(fn, (n) => n.type === 'identifier' && n.text === doneName, true);
  const declStmt = doneUses.map((u) => u.parent?.parent).find((p) => p?.type === 'short_var_declaration' && p.parent?.id === list.id);
  if (!declStmt || !doneUses.every((u) => within(u, declStmt) || within(u, go) || within(u, sel))) return null;
  const declSpan = wholeLineSpan(ctx.source, declStmt);
  if (!declSpan) return null;
  // time stays imported only if something else still uses it.
  const timeLeft = identifiersIn(ctx.root, 'time', 'package_identifier').filter((n) => !within(n, timerCall) || within(n, limit));
  if (timeLeft.length === 0) return null;
  const taken = namesIn(fn.parent ?? fn);
  const cx = freshName(taken, 'ctx', 'timeoutCtx');
  taken.add(cx);
  const cancel = freshName(taken, 'cancel', 'cancelTimeout');
  const ind = indentAt(ctx.source, go.startIndex);
  const eol = ctx.eol;
  const body = (k: Node) => {
    const sl = namedChildren(k).find((x) => x.type === 'statement_list');
    if (!sl) return '';
    const start = ctx.source.lastIndexOf('\n', sl.startIndex - 1) + 1;
    return ctx.source.slice(start, sl.endIndex).replace(/\s+$/, '');
  };
  const onTimeout = body(timerCase!);
  const onDone = body(doneCase);
  let text = `${cx}, ${cancel} := context.WithTimeout(${c}.Request.Context(), ${limit.text})${eol}`;
  text += `${ind}defer ${cancel}()${eol}`;
  text += `${ind}${c}.Request = ${c}.Request.WithContext(${cx})${eol}`;
  text += `${ind}${c}.Next()${eol}`;
  text += `${ind}if ${cx}.Err() == context.DeadlineExceeded {${eol}${onTimeout ? onTimeout + eol : ''}${ind}}`;
  if (onDone.trim()) text += ` else {${eol}${onDone}${eol}${ind}}`;
  const edits: TextEdit[] = [
    { start: declSpan.start, end: declSpan.end, newText: '' },
    { start: go.startIndex, end: sel.endIndex, newText: text },
  ];
  const imp = addStdImport(ctx.root, ctx.source, eol, 'context');
  if (imp) edits.push(imp);
  return { kind: 'deadline-instead-of-goroutine', title: `Run ${c}.Next() in the handler under a ${limit.text} deadline on the request's context`, edits, preferred: true };
}

function within(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

function enclosingFuncBody(n: Node): Node | null {
  for (let a = n.parent; a; a = a.parent) if (FUNC_TYPES.has(a.type)) return field(a, 'body');
  return null;
}

/**
 * A helper that returns a function which receives from a channel (`done := keepAlive(w)`;
 * `done(err)` hands off and waits for the goroutine to close it): the caller joins the goroutine.
 */
function returnsJoiner(body: Node): boolean {
  const returns = ofType(body, 'return_statement');
  if (returns.some((ret) => collect(ret, (n) => n.type === 'func_literal', true).some((lit) => collect(field(lit, 'body') ?? lit, (n) => isReceive(n)).length > 0))) return true;
  return returnsDoneChannel(body, returns.filter((ret) => enclosingFunc(ret)?.id === body.parent?.id));
}

/**
 * A helper that returns the channel its goroutine signals the end on (closes, directly or through
 * a `...Close(ch)` helper, or sends on), or a
 * value built from it (`h := stream{done: doneCh}; return &h`: minio's streamHTTPResponse, whose
 * CloseWithError waits on h.done): the caller is handed the means to join the goroutine, as
 * with a returned function above.
 */
/** `close(ch)`, or a helper that closes it (`xioutil.SafeClose(ch)`). */
const CLOSES = /^(?:close|(?:[\w.]*\.)?\w*Close)$/;

function returnsDoneChannel(body: Node, returns: Node[]): boolean {
  if (!returns.length) return false;
  const signalled = new Set<string>();
  for (const go of ofType(body, 'go_statement')) {
    const lit = goLiteral(go);
    if (!lit) continue;
    for (const n of collect(field(lit, 'body') ?? lit, (n) => n.type === 'send_statement' || (n.type === 'call_expression' && CLOSES.test(calleeName(n) ?? '') && callArgs(n).length === 1))) {
      const ch = unparen(n.type === 'send_statement' ? field(n, 'channel') : callArgs(n)[0] ?? null);
      if (ch?.type === 'identifier') signalled.add(ch.text);
    }
  }
  if (!signalled.size) return false;
  // Locals made from a signalled channel (`h := T{done: ch}`, `h := &T{...}`), one level.
  const carriers = new Set(signalled);
  for (const decl of ofType(body, 'short_var_declaration')) {
    const names = namedChildren(field(decl, 'left') ?? decl);
    const values = namedChildren(field(decl, 'right') ?? decl);
    if (names.length !== 1 || values.length !== 1 || names[0].type !== 'identifier') continue;
    const lit = unparen(values[0].type === 'unary_expression' ? field(values[0], 'operand') : values[0]);
    if (lit?.type === 'composite_literal' && [...signalled].some((c) => identifiersIn(lit, c).length > 0)) carriers.add(names[0].text);
  }
  return returns.some((ret) => [...carriers].some((c) => identifiersIn(ret, c).length > 0));
}

/** A closure over the request stored where it outlives the handler: a field, a map, a package variable. */
function checkStored(assign: Node, held: Map<string, Kind>, ctx: RuleContext): void {
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
    const uses = usesIn(field(v, 'body') ?? v, held);
    if (uses.length === 0) return;
    const u = uses[0];
    ctx.report({
      span: u.ref,
      message: `Closure in ${target.text} outlives the handler and uses ${u.name} (${TYPE[u.kind]}): ${SHORT[u.kind]}. ${WHY[u.kind]}.`,
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
