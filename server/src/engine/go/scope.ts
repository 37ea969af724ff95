// Looking up what a name refers to, the plain way: declarations in enclosing functions.
import { calleeName, enclosingFunc, field, isQualified, namedChildren, params, walkNamed, type Node } from './syntax';

/** A context.Context variable visible at `at`: a parameter, or `ctx, cancel := context.WithX(...)` before it. */
export function contextInScope(at: Node): string | null {
  for (let fn = enclosingFunc(at); fn; fn = enclosingFunc(fn)) {
    const p = params(fn).find((x) => x.name && x.name !== '_' && isQualified(x.type, 'context', 'Context'));
    if (p?.name) return p.name;
    const body = field(fn, 'body');
    let found: string | null = null;
    if (body) {
      walkNamed(body, (n) => {
        if (found || n.startIndex > at.startIndex) return false;
        if (n.type === 'short_var_declaration') {
          const r = namedChildren(field(n, 'right')!)[0];
          const name = r?.type === 'call_expression' ? calleeName(r) : null;
          const first = namedChildren(field(n, 'left')!)[0];
          if (name && /^context\.(WithCancel|WithTimeout|WithDeadline|WithValue|Background|TODO|WithCancelCause|WithoutCancel)$/.test(name) && first?.type === 'identifier' && first.text !== '_') {
            found = first.text;
          }
        }
        return n.type !== 'func_literal';
      });
    }
    if (found) return found;
  }
  return null;
}

/** The declared type node of a variable or parameter named `name` visible from `at`, if written out. */
export function declaredType(at: Node, name: string): Node | null {
  for (let fn = enclosingFunc(at); fn; fn = enclosingFunc(fn)) {
    for (const which of ['parameters', 'receiver', 'result'] as const) {
      const p = params(fn, which).find((x) => x.name === name);
      if (p) return p.type;
    }
    const body = field(fn, 'body');
    let found: Node | null = null;
    if (body) {
      walkNamed(body, (n) => {
        if (found || n.startIndex > at.startIndex) return false;
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
        return n.type !== 'func_literal';
      });
    }
    if (found) return found;
  }
  return null;
}

/** Every identifier text used in a function, to pick fresh names. */
export function namesIn(n: Node): Set<string> {
  const out = new Set<string>();
  walkNamed(n, (c) => {
    if (c.type === 'identifier' || c.type === 'package_identifier') out.add(c.text);
    return true;
  });
  return out;
}

export function freshName(taken: Set<string>, ...candidates: string[]): string {
  for (const c of candidates) if (!taken.has(c)) return c;
  for (let i = 2; ; i++) if (!taken.has(`${candidates[0]}${i}`)) return `${candidates[0]}${i}`;
}

/** `name` is a parameter or a local declared (:=, var, const) before `at` in an enclosing function. */
export function isLocalName(at: Node, name: string): boolean {
  for (let fn = enclosingFunc(at); fn; fn = enclosingFunc(fn)) {
    if ((['parameters', 'receiver', 'result'] as const).some((w) => params(fn!, w).some((p) => p.name === name))) return true;
    const body = field(fn, 'body');
    let found = false;
    if (body) {
      walkNamed(body, (n) => {
        if (found || n.startIndex > at.startIndex) return false;
        if (n.type === 'short_var_declaration' && namedChildren(field(n, 'left')!).some((x) => x.text === name)) found = true;
        if ((n.type === 'var_spec' || n.type === 'const_spec') && n.childrenForFieldName('name').some((x) => x?.text === name)) found = true;
        return n.type !== 'func_literal';
      });
    }
    if (found) return true;
  }
  return false;
}

/** A done/quit channel parameter (`chan struct{}`, `<-chan struct{}`) visible at `at`. */
export function doneChanInScope(at: Node): string | null {
  for (let fn = enclosingFunc(at); fn; fn = enclosingFunc(fn)) {
    const p = params(fn).find((x) => x.name && x.name !== '_' && x.type.type === 'channel_type' && /^(<-\s*)?chan\s*struct\s*\{\s*\}$/.test(x.type.text));
    if (p?.name) return p.name;
  }
  return null;
}
