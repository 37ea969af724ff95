// A test makes a value whose type runs goroutines until it is stopped (a constructor that
// starts one, or a Start-like method that does, and a Stop/Close/Shutdown method), and ends
// without stopping it: its goroutines outlive the test. Tests only: elsewhere such a value
// usually lives as long as the process, and whether it does needs call-site facts we lack.
import { spanOf, type Rule, type RuleContext } from '../context';
import { callArgs, enclosingFunc, field, identifiersIn, indentAt, isInsideLoop, lineEndOf, namedChildren, unparen, type Node } from '../go/syntax';
import type { Fix } from '../types';

const STOPS = ['Stop', 'Close', 'Shutdown'];

export const ownerNeverStopped: Rule = {
  meta: {
    id: 'owner-never-stopped',
    description: 'A test makes a value that runs goroutines until stopped, and never stops it',
    defaultSeverity: 'warning',
    docs: 'docs/rules/owner-never-stopped.md',
    fixable: true,
  },
  nodeTypes: ['short_var_declaration'],
  wants: (_text, ctx) => ctx.path.endsWith('_test.go') && ctx.pkg.owners.size > 0,
  fileWants: (ctx) => ctx.path.endsWith('_test.go') && ctx.pkg.owners.size > 0,
  check(decl, ctx) {
    const made = madeValue(decl, ctx);
    if (!made) return;
    const owner = ctx.pkg.owners.get(made.type);
    if (!owner || owner.stops.length === 0) return;
    const fn = enclosingFunc(decl);
    const body = field(fn, 'body');
    if (!fn || !body || fn.hasError) return;
    const uses = usesOf(body, made.name, decl, owner.startMethods, new Set(owner.waiters.keys()));
    if (!uses) return; // stopped, or handed to code that may stop it
    const ctorStarts = made.via === 'constructor' && owner.startingCtors.has(made.ctor!);
    const started = ctorStarts ? null : uses.starts[0] ?? null;
    if (!ctorStarts && !started) return;
    const stop = owner.stops.find((s) => s.params === 0) ?? owner.stops[0];
    const held = ctorStarts ? owner.heldBy.get(made.ctor!) : undefined;
    const how = started
      ? `${made.name}.${field(field(started, 'function'), 'field')?.text}() on line ${ctx.lineOf(started)} starts`
      : held ? `${made.call} starts, through its field ${held.field} (made by ${held.call}),` : `${made.call} starts`;
    ctx.report({
      span: spanOf(decl),
      message:
        `${made.name} is never stopped: its goroutines outlive the test (call ${made.name}.${stop.name}()). ` +
        `${how} goroutines of ${made.type} that run until ${made.type}.${stop.name} is called; the test ends without calling it ` +
        `and does not hand ${made.name} to anything that could, so they stay behind for the rest of the test binary (goleak reports them).`,
      related: [
        ...(started ? [{ span: spanOf(started), message: 'the goroutines start here' }] : []),
        ...(uses.last && uses.last.id !== started?.id ? [{ span: spanOf(uses.last), message: `last use of ${made.name}: the test goes on without stopping it` }] : []),
      ],
      fixes: stop.params === 0 ? deferStop(decl, made.name, stop.name, ctx) : [],
    });
  },
};

interface Made {
  name: string;
  /** The constructor called, for `via: 'constructor'`. */
  ctor?: string;
  type: string;
  via: 'constructor' | 'literal';
  /** How it was made, for the message: `NewQueue(...)`. */
  call: string;
}

/** `x := NewT(...)` / `x, err := NewT(...)` with NewT a constructor of the package, or `x := &T{...}`. */
function madeValue(decl: Node, ctx: RuleContext): Made | null {
  const left = namedChildren(field(decl, 'left')!);
  const right = namedChildren(field(decl, 'right')!);
  if (right.length !== 1 || left.length < 1 || left.length > 2 || left[0].type !== 'identifier' || left[0].text === '_') return null;
  // `s, cleanup := TestServer(t)`: a second result that is not an error may be how it stops.
  if (left.length === 2 && !/^(_|err\w*|e)$/i.test(left[1].text)) return null;
  const value = unparen(right[0]);
  if (!value) return null;
  if (value.type === 'call_expression') {
    const f = unparen(field(value, 'function'));
    const type = f?.type === 'identifier' ? ctx.pkg.constructors.get(f.text) : undefined;
    return type ? { name: left[0].text, ctor: f!.text, type, via: 'constructor', call: `${f!.text}(...)` } : null;
  }
  const lit = value.type === 'unary_expression' && value.child(0)?.type === '&' ? unparen(field(value, 'operand')) : value;
  const t = lit?.type === 'composite_literal' ? field(lit, 'type') : null;
  return left.length === 1 && t?.type === 'type_identifier' ? { name: left[0].text, type: t.text, via: 'literal', call: `&${t.text}{}` } : null;
}

/**
 * The uses of `name` after `decl` when every one is a method call or field access on it and
 * none stops it (`x.Stop()`, `x.inner.Close()`, in a defer or a cleanup closure alike);
 * null when it is stopped, reassigned, declared again, or used any other way (passed,
 * returned, stored: someone else may stop it). `starts`: its calls of a starting method.
 */
function usesOf(body: Node, name: string, decl: Node, startMethods: Set<string>, signals: Set<string>): { starts: Node[]; last: Node | null } | null {
  const starts: Node[] = [];
  let last: Node | null = null;
  for (const id of identifiersIn(body, name)) {
    if (id.startIndex < decl.endIndex) {
      if (id.startIndex >= decl.startIndex) continue;
      return null; // a use before: not the same variable for sure
    }
    const sel = id.parent;
    if (sel?.type !== 'selector_expression' || field(sel, 'operand')?.id !== id.id) return null;
    let top = sel;
    while (top.parent?.type === 'selector_expression' && field(top.parent, 'operand')?.id === top.id) top = top.parent;
    const method = field(top, 'field')?.text ?? '';
    const call = top.parent?.type === 'call_expression' && field(top.parent, 'function')?.id === top.id ? top.parent : null;
    if (STOPS.includes(method)) return null;
    // `close(x.quit)`, `x.cancel()`: the test releases the goroutines by hand.
    if (releasedByHand(sel, signals)) return null;
    last = top.parent?.type === 'call_expression' ? top.parent : top;
    if (call && top.id === sel.id && startMethods.has(method)) starts.push(call);
    // `x.f = ...` writes a field: still ours. Anything taking `x.f` as a value is fine too.
  }
  return { starts, last };
}

/** `close(x.quit)`, `x.quit <- v` on a field the goroutines wait on, or `x.cancel()`. */
function releasedByHand(sel: Node, signals: Set<string>): boolean {
  const name = field(sel, 'field')?.text ?? '';
  const p = sel.parent;
  if (p?.type === 'call_expression' && field(p, 'function')?.id === sel.id) return /cancel/i.test(name);
  if (p?.type === 'send_statement' && field(p, 'channel')?.id === sel.id) return signals.has(name);
  const call = p?.type === 'argument_list' ? p.parent : null;
  return !!call && unparen(field(call, 'function'))?.text === 'close' && signals.has(name);
}

/** `defer x.Stop()` after the declaration (after its `if err != nil { ... }` when it has one). */
function deferStop(decl: Node, name: string, stop: string, ctx: RuleContext): Fix[] {
  // In a loop, a defer would hold every turn's value until the function ends: no fix.
  if (decl.parent?.type !== 'statement_list' || isInsideLoop(decl, enclosingFunc(decl))) return [];
  const left = namedChildren(field(decl, 'left')!);
  let after: Node = decl;
  if (left.length === 2) {
    let next = decl.nextNamedSibling;
    while (next?.type === 'comment') next = next.nextNamedSibling;
    const cond = next?.type === 'if_statement' ? field(next, 'condition') : null;
    const errName = left[1].text;
    const checked = next && cond && new RegExp(`\\b${errName}\\s*!=\\s*nil`).test(cond.text);
    const requireCall = next?.type === 'expression_statement' && /^(require\.NoError|assert\.NoError)\(/.test(next.text) && callArgs(next.namedChild(0)!).some((a) => a.text === errName);
    if (!checked && !requireCall) return [];
    after = next!;
  }
  const at = lineEndOf(ctx.source, after.endIndex);
  return [{
    kind: 'defer-stop',
    title: `Add defer ${name}.${stop}()`,
    preferred: true,
    edits: [{ start: at, end: at, newText: `${ctx.eol}${indentAt(ctx.source, decl.startIndex)}defer ${name}.${stop}()` }],
  }];
}
