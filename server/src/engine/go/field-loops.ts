// A goroutine `go x.loop()` whose loop ranges over a channel field of its owner that nothing
// closes, while the owner has a stop method that neither closes nor feeds that channel: after
// the stop, the goroutine stays blocked in the range for good (go-ethereum's execQueue set a
// stop flag the loop read only after its next value, which never came).
import { declaredType } from './scope';
import { LIFECYCLE_END } from './stop-methods';
import { field, methodReceiverType, namedChildren, ofType, params, receiverTypeName, type Node } from './syntax';

export interface FieldLoop {
  /** The method the go statement starts. */
  method: Node;
  /** Its `for v := range r.f` loop. */
  loop: Node;
  /** The channel field. */
  field: string;
  /** The owner's stop method, which does not release the loop. */
  stop: Node;
  /** The owner's type. */
  type: string;
}

/**
 * For `go x.m()`: the method m of x's type (or of the one type in this file that has m), when its body ranges
 * over `r.f` (an unexported channel field of the type declared here) that no code of the
 * package closes or hands elsewhere (`closedOrShared`, from every file), and the type has a
 * stop method here and none of its stop methods touches `f` (nor do the receiver methods they call).
 */
export function unclosedFieldLoop(f: Node, closedOrShared: ReadonlySet<string>): FieldLoop | null {
  if (f.type !== 'selector_expression') return null;
  const name = field(f, 'field')?.text;
  if (!name) return null;
  const root = f.tree.rootNode;
  const methods = namedChildren(root).filter((d) => d.type === 'method_declaration');
  // The receiver's type when it is written out (`q := &T{...}`, a parameter, the receiver), else the one type with the method.
  const x = field(f, 'operand');
  const known = x?.type === 'identifier' ? declaredType(f, x.text) : null;
  const knownType = known ? receiverTypeName(known) : null;
  const named = methods.filter((m) => field(m, 'name')?.text === name && (!knownType || methodReceiverType(m) === knownType));
  if (named.length !== 1) return null;
  const method = named[0];
  const recv = params(method, 'receiver')[0];
  const type = recv ? receiverTypeName(recv.type) : null;
  if (!recv?.name || !type) return null;
  const loop = rangeOverField(method, recv.name);
  if (!loop) return null;
  const fieldName = loop.field;
  if (!/^[a-z_]/.test(fieldName) || closedOrShared.has(fieldName) || !isChanField(root, type, fieldName) || !onlySimpleUses(root, fieldName)) return null;
  const own = methods.filter((m) => methodReceiverType(m) === type);
  const stops = own.filter((m) => LIFECYCLE_END.test(field(m, 'name')?.text ?? ''));
  if (!stops.length || stops.some((stop) => touches(stop, fieldName, own, 0))) return null;
  return { method, loop: loop.node, field: fieldName, stop: stops[0], type };
}

/** A top-level statement of the method's body: `for ... := range r.f`. */
function rangeOverField(method: Node, recv: string): { node: Node; field: string } | null {
  const list = namedChildren(field(method, 'body') ?? method).find((c) => c.type === 'statement_list');
  for (const stmt of list ? namedChildren(list) : []) {
    if (stmt.type !== 'for_statement') continue;
    const clause = namedChildren(stmt)[0];
    const over = clause?.type === 'range_clause' ? field(clause, 'right') : null;
    if (over?.type === 'selector_expression' && field(over, 'operand')?.text === recv) return { node: stmt, field: field(over, 'field')!.text };
  }
  return null;
}

/** `type T struct { ...; f chan X }` in this file. */
function isChanField(root: Node, type: string, name: string): boolean {
  for (const spec of ofType(root, 'type_spec')) {
    if (field(spec, 'name')?.text !== type) continue;
    const struct = field(spec, 'type');
    if (struct?.type !== 'struct_type') return false;
    return struct.descendantsOfType('field_declaration').some((fd) => !!fd && fd.childrenForFieldName('name').some((n) => n?.text === name) && field(fd, 'type')?.type === 'channel_type');
  }
  return false;
}

/** Every `x.f` in the file is a send, a receive, a range, len/cap, or its make: nothing could close it through another name. */
function onlySimpleUses(root: Node, name: string): boolean {
  const uses = root.descendantsOfType('field_identifier').filter((n) => n?.text === name);
  for (const id of uses) {
    const p = id!.parent;
    if (p?.type === 'field_declaration') continue;
    if (p?.type === 'keyed_element' || p?.type === 'literal_element') continue; // `f: make(chan T)` in a literal
    if (p?.type !== 'selector_expression') return false;
    const use = p.parent;
    if (!use) return false;
    if (use.type === 'send_statement' && field(use, 'channel')?.id === p.id) continue;
    if (use.type === 'unary_expression' && use.child(0)?.type === '<-') continue;
    if (use.type === 'range_clause') continue;
    if (use.type === 'argument_list' && /^(len|cap)$/.test(field(use.parent!, 'function')?.text ?? '')) continue;
    if (use.type === 'expression_list' && use.parent?.type === 'assignment_statement' && field(use.parent, 'left')?.id === use.id) {
      const right = field(use.parent, 'right')?.text ?? '';
      if (/^make\(\s*chan\b/.test(right)) continue;
    }
    return false;
  }
  return true;
}

/** The method mentions `.f`, or calls a receiver method that does (or that is not in this file). */
function touches(method: Node, name: string, own: Node[], depth: number): boolean {
  const body = field(method, 'body');
  if (!body) return true;
  if (new RegExp(`\\.${name}\\b`).test(body.text)) return true;
  if (depth > 2) return true;
  const recv = params(method, 'receiver')[0]?.name;
  if (!recv) return false;
  for (const call of ofType(body, 'call_expression', true)) {
    const fn = field(call, 'function');
    if (fn?.type !== 'selector_expression' || field(fn, 'operand')?.text !== recv) continue;
    const callee = own.find((m) => field(m, 'name')?.text === field(fn, 'field')?.text);
    if (!callee || touches(callee, name, own, depth + 1)) return true;
  }
  return false;
}
