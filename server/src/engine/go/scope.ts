// Looking up what a name refers to, the plain way: declarations in enclosing functions.
import { calleeName, enclosingFunc, field, identifiersIn, isQualified, namedChildren, ofType, params, type Node } from './syntax';
import { tableFor } from './tree-index';

/**
 * Looks a name up from `at` outwards, the plain way: `inFunc(fn, limit)` answers for one
 * enclosing function (declarations must start at or before `limit`), innermost first. What a
 * function sees from the functions around it is remembered per analysis (`what` names the
 * question), so a lookup from each of N nested literals does not climb N levels each time.
 */
function lookOut<T>(at: Node, what: string, inFunc: (fn: Node, limit: number) => T | null): T | null {
  const fn = enclosingFunc(at);
  if (!fn) return null;
  return inFunc(fn, at.startIndex) ?? outside(fn, what, inFunc);
}

function outside<T>(fn: Node, what: string, inFunc: (fn: Node, limit: number) => T | null): T | null {
  const table = tableFor<T | null>(fn.tree, `outside:${what}`);
  const chain: Node[] = [];
  let f: Node | null = fn;
  let acc: T | null = null;
  for (; f; f = enclosingFunc(f)) {
    const known = table?.get(f.id);
    if (known !== undefined) {
      acc = known;
      break;
    }
    chain.push(f);
  }
  // f is the first function whose answer was known (acc), or null past the top.
  for (let i = chain.length - 1; i >= 0; i--) {
    const up = i + 1 < chain.length ? chain[i + 1] : f;
    acc = up ? inFunc(up, chain[i].startIndex) ?? acc : null;
    table?.set(chain[i].id, acc);
  }
  return acc;
}

/**
 * The first of `fn`'s own nodes of `types` (in source order, not inside nested literals) for
 * which `pick` gives a value, with where it starts; remembered per analysis under `what`.
 */
function firstOwn<T>(fn: Node, types: string[], what: string, pick: (n: Node) => T | null): { start: number; value: T } | null {
  const table = tableFor<{ start: number; value: T } | null>(fn.tree, `first:${what}`);
  const known = table?.get(fn.id);
  if (known !== undefined) return known;
  const body = field(fn, 'body');
  let found: { start: number; value: T } | null = null;
  for (const n of body ? ofType(body, types) : []) {
    const value = pick(n);
    if (value !== null) {
      found = { start: n.startIndex, value };
      break;
    }
  }
  table?.set(fn.id, found);
  return found;
}

function before<T>(first: { start: number; value: T } | null, limit: number): T | null {
  return first && first.start <= limit ? first.value : null;
}

const CONTEXT_MAKERS = /^context\.(WithCancel|WithTimeout|WithDeadline|WithValue|Background|TODO|WithCancelCause|WithoutCancel)$/;

/** `ctx, ... := context.WithX(...)`: the name it declares. */
function contextDeclared(n: Node): string | null {
  const r = namedChildren(field(n, 'right')!)[0];
  const name = r?.type === 'call_expression' ? calleeName(r) : null;
  const first = namedChildren(field(n, 'left')!)[0];
  return name && CONTEXT_MAKERS.test(name) && first?.type === 'identifier' && first.text !== '_' ? first.text : null;
}

/** A context.Context variable visible at `at`: a parameter, or `ctx, cancel := context.WithX(...)` before it. */
export function contextInScope(at: Node): string | null {
  return lookOut(at, 'context', (fn, limit) => {
    const p = params(fn).find((x) => x.name && x.name !== '_' && isQualified(x.type, 'context', 'Context'));
    if (p?.name) return p.name;
    return before(firstOwn(fn, ['short_var_declaration'], 'context', contextDeclared), limit);
  });
}

/** The type a declaration of `name` writes out (var x T, x := T{...}, &T{...}, new(T), make(T)), or null. */
function typeDeclared(n: Node, name: string): Node | null {
  let found: Node | null = null;
  if (n.type === 'var_spec' && n.childrenForFieldName('name').some((x) => x?.text === name)) found = field(n, 'type');
  if (n.type === 'short_var_declaration') {
    const l = namedChildren(field(n, 'left')!);
    const r = namedChildren(field(n, 'right')!);
    const i = l.findIndex((x) => x.text === name);
    const v = i >= 0 && l.length === r.length ? r[i] : null;
    const inner = v?.type === 'unary_expression' && field(v, 'operator')?.type === '&' ? field(v, 'operand') : v;
    if (inner?.type === 'composite_literal') found = field(inner, 'type');
    if (v?.type === 'call_expression' && calleeName(v) === 'new') found = field(v, 'arguments')?.namedChild(0) ?? null;
    if (v?.type === 'call_expression' && calleeName(v) === 'make') found = field(v, 'arguments')?.namedChild(0) ?? null;
  }
  return found;
}

/** The declared type node of a variable or parameter named `name` visible from `at`, if written out. */
export function declaredType(at: Node, name: string): Node | null {
  return lookOut(at, `type:${name}`, (fn, limit) => {
    for (const which of ['parameters', 'receiver', 'result'] as const) {
      const p = params(fn, which).find((x) => x.name === name);
      if (p) return p.type;
    }
    return before(firstOwn(fn, ['var_spec', 'short_var_declaration'], `type:${name}`, (n) => typeDeclared(n, name)), limit);
  });
}

/** The identifier texts used in `n` (package names included), to pick fresh names. */
export function namesIn(n: Node): TakenNames {
  return new TakenNames(n);
}

/**
 * Names taken in a scope, asked one at a time of the declaration's identifier index (listing
 * every name of a function nested N deep, for each of N fixes, would cost N²), plus names added.
 */
export class TakenNames {
  private readonly added = new Set<string>();

  constructor(private readonly scope: Node) {}

  has(name: string): boolean {
    return this.added.has(name) || identifiersIn(this.scope, name).length > 0 || identifiersIn(this.scope, name, 'package_identifier').length > 0;
  }

  add(name: string): this {
    this.added.add(name);
    return this;
  }
}

export function freshName(taken: TakenNames, ...candidates: string[]): string {
  for (const c of candidates) if (!taken.has(c)) return c;
  for (let i = 2; ; i++) if (!taken.has(`${candidates[0]}${i}`)) return `${candidates[0]}${i}`;
}

/** `name` is a parameter or a local declared (:=, var, const) before `at` in an enclosing function. */
export function isLocalName(at: Node, name: string): boolean {
  const declares = (n: Node): true | null =>
    (n.type === 'short_var_declaration' && namedChildren(field(n, 'left')!).some((x) => x.text === name)) ||
    ((n.type === 'var_spec' || n.type === 'const_spec') && n.childrenForFieldName('name').some((x) => x?.text === name))
      ? true
      : null;
  const found = lookOut(at, `local:${name}`, (fn, limit): true | null => {
    if ((['parameters', 'receiver', 'result'] as const).some((w) => params(fn, w).some((p) => p.name === name))) return true;
    return before(firstOwn(fn, ['short_var_declaration', 'var_spec', 'const_spec'], `local:${name}`, declares), limit);
  });
  return found === true;
}

/** A done/quit channel parameter (`chan struct{}`, `<-chan struct{}`) visible at `at`. */
export function doneChanInScope(at: Node): string | null {
  return lookOut(at, 'done', (fn) => {
    const p = params(fn).find((x) => x.name && x.name !== '_' && x.type.type === 'channel_type' && /^(<-\s*)?chan\s*struct\s*\{\s*\}$/.test(x.type.text));
    return p?.name ?? null;
  });
}

/** `name := func(...) {...}` (or `var name = func...`) declared before `at`: the literal, for `go name(...)`. */
export function closureBoundTo(at: Node, name: string): Node | null {
  const binds = (n: Node): Node | null => {
    const left = n.type === 'short_var_declaration' ? namedChildren(field(n, 'left')!) : n.childrenForFieldName('name').filter((x): x is Node => !!x);
    const right = n.type === 'short_var_declaration' ? namedChildren(field(n, 'right')!) : namedChildren(field(n, 'value') ?? n).filter((x) => x.type !== 'identifier');
    return left.length === 1 && left[0].text === name && right.length === 1 && right[0].type === 'func_literal' ? right[0] : null;
  };
  return lookOut(at, `closure:${name}`, (fn, limit) => before(firstOwn(fn, ['short_var_declaration', 'var_spec'], `closure:${name}`, binds), limit));
}
