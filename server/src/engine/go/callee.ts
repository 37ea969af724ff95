// Which function or method a call reaches, from syntax: a function of this package, `pkg.F`
// of an imported package, or a method on a variable whose type its declaration shows
// (a parameter, `var x T`, `x := &T{}`, `x := NewT()`, `x, err := pkg.NewT()`).
import type { RuleContext } from '../context';
import type { ImportedPackage } from '../deps';
import type { PackageIndex } from '../package-index';
import { isLocalName } from './scope';
import { enclosingFunc, field, namedChildren, params, unparen, walkNamed, type Node } from './syntax';

/** The function or method a call reaches, in this package or in an imported one (`from`). */
export function resolveCallee<T>(call: Node, ctx: RuleContext, pick: (index: PackageIndex, key: string) => T | undefined): { target: T; from: ImportedPackage | null } | null {
  let f = unparen(field(call, 'function'));
  if (f?.type === 'generic_type' || f?.type === 'index_expression') f = f.namedChild(0);
  if (!f) return null;
  const local = (t: T | undefined) => (t ? { target: t, from: null } : null);
  if (f.type === 'identifier') return isLocalName(f, f.text) ? null : local(pick(ctx.pkg, f.text));
  if (f.type !== 'selector_expression') return null;
  const operand = unparen(field(f, 'operand'));
  const method = field(f, 'field')?.text;
  if (!operand || !method || operand.type !== 'identifier') return null;
  // `pkg.F()`: a function of an imported package.
  const imported = !isLocalName(operand, operand.text) ? ctx.imports.get(operand.text) : undefined;
  if (imported) {
    const t = pick(imported.index, method);
    return t ? { target: t, from: imported } : null;
  }
  const type = typeOfVar(operand, ctx);
  if (!type) return null;
  if (!type.qual) return local(pick(ctx.pkg, `${type.name}.${method}`));
  const from = ctx.imports.get(type.qual);
  const t = from ? pick(from.index, `${type.name}.${method}`) : undefined;
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

