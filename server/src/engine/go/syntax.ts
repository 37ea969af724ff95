// Small, allocation-light helpers over tree-sitter-go nodes.
import type { Node } from 'web-tree-sitter';

export type { Node };

export const FUNC_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);
export const LOOP_TYPE = 'for_statement';

export function isFunc(n: Node | null | undefined): boolean {
  return !!n && FUNC_TYPES.has(n.type);
}

/**
 * Visits the named descendants of `root` in source order, without recursion (a
 * generated file can nest thousands of levels deep). `visit` returns false to
 * skip a node's children.
 */
export function walkNamed(root: Node, visit: (n: Node) => boolean | void): void {
  const cursor = root.walk();
  try {
    if (!cursor.gotoFirstChild()) return;
    let depth = 1;
    for (;;) {
      let descend = false;
      if (cursor.nodeIsNamed) descend = visit(cursor.currentNode) !== false;
      if (descend && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (--depth === 0 || !cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Descendants of `root` of the given types, found by tree-sitter's own walk (much cheaper
 * than visiting every node from JavaScript). Unless `intoFuncLits`, nodes inside function
 * literals nested in `root` are left out.
 */
export function ofType(root: Node, types: string | string[], intoFuncLits = false): Node[] {
  const found = root.descendantsOfType(types).filter((n): n is Node => n !== null && n.id !== root.id);
  if (intoFuncLits || found.length === 0) return found;
  const lits = root.descendantsOfType('func_literal').filter((n): n is Node => n !== null && n.id !== root.id);
  if (lits.length === 0) return found;
  return found.filter((n) => !lits.some((l) => l.id !== n.id && n.startIndex >= l.startIndex && n.endIndex <= l.endIndex && !(n.startIndex === l.startIndex && n.endIndex === l.endIndex)));
}

/** Named descendants of `root`, skipping the insides of nested function literals unless asked. */
export function collect(root: Node, pred: (n: Node) => boolean, intoFuncLits = false): Node[] {
  const out: Node[] = [];
  walkNamed(root, (n) => {
    if (pred(n)) out.push(n);
    return intoFuncLits || n.type !== 'func_literal';
  });
  return out;
}

export function some(root: Node, pred: (n: Node) => boolean, intoFuncLits = false): boolean {
  let found = false;
  walkNamed(root, (n) => {
    if (found) return false;
    if (pred(n)) {
      found = true;
      return false;
    }
    return intoFuncLits || n.type !== 'func_literal';
  });
  return found;
}

export function namedChildren(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null);
}

export function field(n: Node | null | undefined, name: string): Node | null {
  return n ? n.childForFieldName(name) : null;
}

/** The innermost enclosing function (declaration, method or literal). */
export function enclosingFunc(n: Node): Node | null {
  for (let p = n.parent; p; p = p.parent) if (FUNC_TYPES.has(p.type)) return p;
  return null;
}

/** True if `inner` lies within `outer` (or is it). */
export function within(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** Ancestors of `n` up to (not including) `stop`. */
export function* ancestors(n: Node, stop: Node | null): Generator<Node> {
  for (let p = n.parent; p && (!stop || p.id !== stop.id); p = p.parent) yield p;
}

export function isInsideLoop(n: Node, stop: Node | null): boolean {
  for (const a of ancestors(n, stop)) {
    if (a.type === LOOP_TYPE) return true;
    if (a.type === 'func_literal') return false;
  }
  return false;
}

export function unparen(n: Node | null): Node | null {
  while (n && n.type === 'parenthesized_expression') n = n.namedChild(0);
  return n;
}

/** `<-x` */
export function isReceive(n: Node): boolean {
  return n.type === 'unary_expression' && field(n, 'operator')?.type === '<-';
}

export function callee(call: Node): Node | null {
  return call.type === 'call_expression' ? field(call, 'function') : null;
}

/** "make", "close", "time.NewTimer", "wg.Add", or null for complex callees. */
export function calleeName(call: Node): string | null {
  const f = unparen(callee(call));
  if (!f) return null;
  if (f.type === 'identifier') return f.text;
  if (f.type === 'selector_expression') {
    const op = field(f, 'operand');
    const fld = field(f, 'field');
    if (op && fld) return `${op.text}.${fld.text}`;
  }
  return null;
}

export function callArgs(call: Node): Node[] {
  const args = field(call, 'arguments');
  return args ? namedChildren(args).filter((a) => a.type !== 'comment') : [];
}

/** The statement that holds `n` directly inside a statement_list, if any. */
export function statementOf(n: Node): Node | null {
  for (let c: Node | null = n; c; c = c.parent) {
    if (c.parent?.type === 'statement_list') return c;
    if (FUNC_TYPES.has(c.type) && c.id !== n.id) return null;
  }
  return null;
}

/** Leading white space of the line containing `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

/** The line terminator the file uses ("\r\n" if its first line ends so). */
export function eolOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** Start of the line containing `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The span that removes a statement: its whole line(s) with the line break when it
 * stands alone, or just the statement when a trailing comment follows (the comment stays).
 */
export function wholeLineSpan(text: string, stmt: Node): { start: number; end: number } | null {
  const start = lineStartOf(text, stmt.startIndex);
  if (text.slice(start, stmt.startIndex).trim() !== '') return null;
  let end = stmt.endIndex;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text.startsWith('//', end)) return { start: stmt.startIndex, end };
  if (text[end] === '\r') end++;
  if (text[end] !== '\n') return null;
  return { start, end: end + 1 };
}

/** Names of the parameters of a function node, in order, with their type nodes. */
export function params(fn: Node, which: 'parameters' | 'result' | 'receiver' = 'parameters'): { name: string | null; nameNode: Node | null; type: Node; decl: Node }[] {
  const list = field(fn, which);
  if (!list || list.type !== 'parameter_list') return [];
  const out: { name: string | null; nameNode: Node | null; type: Node; decl: Node }[] = [];
  for (const decl of namedChildren(list)) {
    if (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration') continue;
    const type = field(decl, 'type');
    if (!type) continue;
    const names = decl.childrenForFieldName('name').filter((x): x is Node => x !== null);
    if (names.length === 0) out.push({ name: null, nameNode: null, type, decl });
    for (const nm of names) out.push({ name: nm.text, nameNode: nm, type, decl });
  }
  return out;
}

/** Number of results a function returns. */
export function resultCount(fn: Node): number {
  const r = field(fn, 'result');
  if (!r) return 0;
  if (r.type !== 'parameter_list') return 1;
  return params(fn, 'result').length;
}

export function typeText(t: Node | null): string {
  return t ? t.text.replace(/\s+/g, ' ') : '';
}

/** The identifier a simple left-hand side names, or null. */
export function identText(n: Node | null): string | null {
  n = unparen(n);
  return n && n.type === 'identifier' ? n.text : null;
}

/** For a function declaration or method, the key used in the package index: "F" or "T.M". */
export function funcKey(fn: Node): string | null {
  const name = field(fn, 'name');
  if (!name) return null;
  if (fn.type === 'function_declaration') return name.text;
  if (fn.type !== 'method_declaration') return null;
  const recv = params(fn, 'receiver')[0];
  const base = recv ? receiverTypeName(recv.type) : null;
  return base ? `${base}.${name.text}` : null;
}

export function receiverTypeName(t: Node): string | null {
  let n: Node | null = t;
  while (n && (n.type === 'pointer_type' || n.type === 'parenthesized_type')) n = n.namedChild(0);
  if (n?.type === 'generic_type') n = field(n, 'type');
  return n && n.type === 'type_identifier' ? n.text : null;
}

/** Package-qualified type check, e.g. isQualified(t, 'sync', 'WaitGroup'). */
export function isQualified(t: Node | null, pkg: string, name: string): boolean {
  return !!t && t.type === 'qualified_type' && field(t, 'package')?.text === pkg && field(t, 'name')?.text === name;
}

export function isPointerTo(t: Node | null, pkg: string, name: string): boolean {
  return !!t && t.type === 'pointer_type' && isQualified(t.namedChild(0), pkg, name);
}

/** The call a go or defer statement makes. */
export function stmtCall(stmt: Node): Node | null {
  const c = stmt.namedChild(0);
  return c && c.type === 'call_expression' ? c : null;
}

/** The function literal a go statement starts (`go func() {...}()`), or null. */
export function goLiteral(goStmt: Node | null): Node | null {
  if (!goStmt) return null;
  const fn = unparen(field(stmtCall(goStmt), 'function'));
  return fn && fn.type === 'func_literal' ? fn : null;
}

/** End of the line containing `offset`, before its line break (after any trailing comment). */
export function lineEndOf(text: string, offset: number): number {
  let nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  if (nl > 0 && text[nl - 1] === '\r') nl--;
  return nl;
}

/** The `go` keyword of a go statement: where goroutine findings point. */
export function goKeyword(go: Node): { start: number; end: number } {
  return { start: go.startIndex, end: go.startIndex + 2 };
}
