import { noteFileRead, replay, withOwnDeps, type DeclDeps } from '../decl-deps';
import type { Rule, RuleContext } from '../context';
import { endsGoroutine } from '../go/exits';
import { minOnAnyPath } from '../go/flow';
import { closureBoundTo, declaredType } from '../go/scope';
import {
  callArgs,
  calleeName,
  collect,
  enclosingFunc,
  field,
  FUNC_TYPES,
  goKeyword,
  goLiteral,
  indentAt,
  isInsideLoop,
  isPointerTo,
  isQualified,
  lineEndOf,
  namedChildren,
  ofType,
  params,
  some,
  stmtCall,
  unparen,
  walkNamed,
  wholeLineSpan,
  type Node,
} from '../go/syntax';
import type { Fix, TextEdit } from '../types';
import { GO_STMT } from '../go/hints';
import { clip, message as say } from './message';

export const waitgroupMisuse: Rule = {
  meta: {
    id: 'waitgroup-misuse',
    description: 'sync.WaitGroup used so that Wait can block forever or return early',
    defaultSeverity: 'warning',
    docs: 'docs/rules/waitgroup-misuse.md',
    fixable: true,
  },
  nodeTypes: [...FUNC_TYPES],
  wants: (text) => text.includes('WaitGroup') || text.includes('.Add('),
  check(fn, ctx) {
    if (fn.hasError) return;
    const text = ctx.textOf(fn);
    if (text.includes('sync.WaitGroup')) checkByValueParams(fn, ctx);
    const body = field(fn, 'body');
    if (!body || !text.includes('.Add(')) return;
    if (GO_STMT.test(text)) {
      for (const go of ofType(body, 'go_statement')) {
        const lit = goLiteral(go);
        if (!lit) continue;
        checkAddInside(go, lit, ctx);
        checkDonePaths(fn, go, lit, ctx);
      }
    }
    if (!/\.Add\(\s*\d+\s*\)/.test(text)) return;
    for (const list of ofType(body, 'statement_list')) {
      checkAddCount(list, ctx);
      if (ctx.goAtLeast(25)) offerWgGo(list, ctx);
    }
  },
};

/** `X.M(...)` where X is a WaitGroup: returns X's text. */
function wgCall(n: Node | null, method: string): string | null {
  if (!n || n.type !== 'call_expression') return null;
  const f = unparen(field(n, 'function'));
  if (f?.type !== 'selector_expression' || field(f, 'field')?.text !== method) return null;
  const x = unparen(field(f, 'operand'));
  return x && isWaitGroup(x) ? x.text : null;
}

function wgStmt(stmt: Node | null, method: string): string | null {
  return stmt?.type === 'expression_statement' ? wgCall(stmt.namedChild(0), method) : null;
}

/** Answers per tree: WaitGroup struct fields, and identifiers already looked up (by function and name). */
const memo = new WeakMap<object, { fields: Set<string> | null; idents: Map<string, { value: boolean; deps: DeclDeps }> }>();

function memoFor(x: Node) {
  let m = memo.get(x.tree);
  if (!m) memo.set(x.tree, (m = { fields: null, idents: new Map() }));
  return m;
}

/** A variable or field whose declared type is sync.WaitGroup or a pointer to it. */
function isWaitGroup(x: Node): boolean {
  const m = memoFor(x);
  if (x.type === 'identifier') {
    const key = `${enclosingFunc(x)?.startIndex ?? -1}:${x.text}`;
    let known = m.idents.get(key);
    if (known === undefined) {
      known = withOwnDeps(() => {
        const t = declaredType(x, x.text);
        return isQualified(t, 'sync', 'WaitGroup') || isPointerTo(t, 'sync', 'WaitGroup');
      });
      m.idents.set(key, known);
    } else {
      replay(known.deps); // what the first asker read, read again
    }
    return known.value;
  }
  if (x.type === 'selector_expression') {
    noteFileRead(); // the file's struct fields, whoever listed them first
    if (!m.fields) {
      m.fields = new Set();
      if (x.tree.rootNode.text.includes('WaitGroup')) {
        for (const fd of x.tree.rootNode.descendantsOfType('field_declaration')) {
          const t = fd && field(fd, 'type');
          if (fd && (isQualified(t, 'sync', 'WaitGroup') || isPointerTo(t, 'sync', 'WaitGroup'))) for (const nm of fd.childrenForFieldName('name')) if (nm) m.fields.add(nm.text);
        }
      }
    }
    return m.fields.has(field(x, 'field')?.text ?? '');
  }
  return false;
}

const mentions = (n: Node, wg: string) => some(n, (c) => c.text === wg && (c.type === 'identifier' || c.type === 'selector_expression'), true);

function checkByValueParams(fn: Node, ctx: RuleContext): void {
  params(fn).forEach((p, index) => {
    if (!p.name || !isQualified(p.type, 'sync', 'WaitGroup')) return;
    ctx.report({
      span: p.decl,
      message: say(
        `sync.WaitGroup '${clip(p.name, 20)}' is passed by value: Add and Done act on a copy`,
        `The caller's Wait never sees them: it blocks forever, or returns before the work is done. Pass *sync.WaitGroup.`,
      ),
      fixes: byValueFix(fn, p.name, p.type, index, ctx),
    });
  });
}

function byValueFix(fn: Node, name: string, type: Node, index: number, ctx: RuleContext): Fix[] {
  const body = field(fn, 'body');
  if (!body || fn.type === 'method_declaration') return [];
  // Every use in the body must be a method call, which works the same on a pointer.
  const uses = collect(body, (n) => n.type === 'identifier' && n.text === name, true);
  if (!uses.every((u) => u.parent?.type === 'selector_expression' && u.parent.parent?.type === 'call_expression')) return [];
  const edits: TextEdit[] = [{ start: type.startIndex, end: type.endIndex, newText: '*sync.WaitGroup' }];
  let calls: Node[] = [];
  if (fn.type === 'function_declaration') {
    const fname = field(fn, 'name')?.text;
    calls = ctx.root.descendantsOfType('call_expression').filter((c): c is Node => !!c && unparen(field(c, 'function'))?.text === fname);
  } else if (fn.parent?.type === 'call_expression' && field(fn.parent, 'function')?.id === fn.id) {
    calls = [fn.parent];
  } else {
    return [];
  }
  for (const call of calls) {
    const arg = callArgs(call)[index];
    if (!arg) return [];
    if (arg.type === 'identifier') edits.push({ start: arg.startIndex, end: arg.startIndex, newText: '&' });
    else if (arg.type === 'unary_expression' && field(arg, 'operator')?.type === '*') edits.push({ start: arg.startIndex, end: field(arg, 'operand')!.startIndex, newText: '' });
    else return [];
  }
  return [{ kind: 'pointer-param', title: `Pass the WaitGroup by pointer (*sync.WaitGroup, &${name} at the call sites)`, edits, preferred: true }];
}

/** wg.Add inside the goroutine that calls wg.Done: Wait can run before Add. */
function checkAddInside(go: Node, lit: Node, ctx: RuleContext): void {
  const body = field(lit, 'body');
  if (!body) return;
  const adds = collect(body, (n) => n.type === 'expression_statement' && !!wgStmt(n, 'Add'));
  for (const add of adds) {
    const wg = wgStmt(add, 'Add')!;
    if (declaredIn(lit, wg.split('.')[0])) continue;
    // `wg.Add(1); go ...` inside the goroutine counts the goroutine it starts next, before starting it: fine.
    if (add.nextNamedSibling?.type === 'go_statement') continue;
    if (ownCalls(body, (n) => wgCall(n, 'Done') === wg).length === 0) continue;
    const fixes: Fix[] = [];
    const line = wholeLineSpan(ctx.source, add);
    if (line && add.parent?.parent?.id === body.id) {
      const text = add.namedChild(0)!.text;
      fixes.push({
        kind: 'move-add',
        title: `Move ${text} before the go statement`,
        preferred: true,
        edits: [
          { start: go.startIndex, end: go.startIndex, newText: `${text}${ctx.eol}${indentAt(ctx.source, go.startIndex)}` },
          { start: line.start, end: line.end, newText: '' },
        ],
      });
    }
    ctx.report({
      span: add.namedChild(0)!,
      message: say(
        `${clip(wg, 24)}.Add runs inside the goroutine it counts: Wait can return before it starts`,
        `${wg}.Wait can run before this goroutine starts, return early, and let the work (and this goroutine) outlive its caller. Call Add before the go statement.`,
      ),
      related: [{ span: { start: go.startIndex, end: go.endIndex }, message: 'the goroutine is started here' }],
      fixes,
    });
  }
}

/** The goroutine calls a closure bound to a local that uses the group (`finish := func() { wg.Done() }`; `finish()`). */
function doneInHelper(body: Node, wg: string): boolean {
  return collect(body, (n) => n.type === 'call_expression' && field(n, 'function')?.type === 'identifier', true).some((call) => {
    const helper = closureBoundTo(call, field(call, 'function')!.text);
    return !!helper && mentions(helper, wg);
  });
}

/** A goroutine started after wg.Add that can finish without wg.Done. */
function checkDonePaths(fn: Node, go: Node, lit: Node, ctx: RuleContext): void {
  const body = field(lit, 'body');
  const fnBody = field(fn, 'body');
  if (!body || !fnBody) return;
  const prev = go.previousNamedSibling;
  // The function's Add calls are gathered once, not once per go statement.
  const adds = ctx.cached(`wg-adds:${fnBody.id}`, () =>
    collect(fnBody, (n) => n.type === 'expression_statement' && !!wgStmt(n, 'Add')).map((n) => ({ end: n.endIndex, wg: wgStmt(n, 'Add')! })),
  );
  for (const wg of new Set(adds.filter((a) => a.end <= go.startIndex).map((a) => a.wg))) {
    if (declaredIn(lit, wg.split('.')[0])) continue;
    const top = namedChildren(body).find((c) => c.type === 'statement_list');
    const topStmts = top ? namedChildren(top) : [];
    const deferred = topStmts.some((s) => s.type === 'defer_statement' && (wgCall(stmtCall(s), 'Done') === wg || collect(s, (n) => wgCall(n, 'Done') === wg, true).length > 0));
    if (deferred) continue;
    const plain = collect(body, (n) => n.type === 'expression_statement' && wgStmt(n, 'Done') === wg);
    // Done in a loop accounts for work items, not for this goroutine: another protocol.
    if (plain.some((p) => isInsideLoop(p, lit))) continue;
    let message: string;
    if (plain.length === 0) {
      // Without any Done, only the classic pairing (Add right before go) is sure to be this goroutine's.
      const paired = prev && wgStmt(prev, 'Add') === wg;
      if (!paired || mentions(lit, wg) || callArgs(stmtCall(go)!).some((a) => a.text.includes(wg)) || doneInHelper(body, wg)) continue;
      message = say(`Goroutine never calls ${clip(wg, 24)}.Done: ${clip(wg, 24)}.Wait blocks forever`, `It is counted by ${wg}.Add on line ${ctx.lineOf(prev!)}.`);
    } else {
      // A panic that nothing recovers ends the program, so it strands no Wait.
      const recovers = some(body, (n) => n.type === 'call_expression' && calleeName(n) === 'recover', true);
      if (minOnAnyPath(body, (n) => plain.some((p) => p.id === n.id), { processExitEndsNothing: !recovers }) >= 1) continue;
      const exit = collect(body, (n) => n.type === 'return_statement' || (n.type === 'call_expression' && (recovers ? calleeName(n) === 'panic' : endsGoroutine(n, ctx.source)))).find((r) => r.startIndex < plain[plain.length - 1].startIndex);
      const what = !exit ? '' : exit.type === 'return_statement' ? 'return' : calleeName(exit) === 'panic' ? 'recovered panic' : `${calleeName(exit)} (it ends the goroutine, not the program)`;
      const short = !exit ? '' : exit.type === 'return_statement' ? 'return' : calleeName(exit) === 'panic' ? 'recovered panic' : clip(calleeName(exit) ?? 'call', 20);
      message = exit
        ? say(
            `${clip(wg, 24)}.Wait blocks forever if the ${short} on line ${ctx.lineOf(exit)} skips ${clip(wg, 24)}.Done`,
            `This goroutine can finish without calling ${wg}.Done: the ${what} on line ${ctx.lineOf(exit)} skips it.`,
          )
        : say(`${clip(wg, 24)}.Wait can block forever: this goroutine calls Done only on some paths`, `On the other paths it never calls ${wg}.Done.`);
    }
    ctx.report({ span: goKeyword(go, ctx.source), message, fixes: deferDoneFix(lit, body, wg, plain, ctx) });
  }
}


function deferDoneFix(lit: Node, body: Node, wg: string, plain: Node[], ctx: RuleContext): Fix[] {
  if (plain.some((p) => isInsideLoop(p, lit))) return [];
  const removals: TextEdit[] = [];
  for (const p of plain) {
    const line = wholeLineSpan(ctx.source, p);
    if (!line) return [];
    removals.push({ ...line, newText: '' });
  }
  const open = body.startIndex + 1;
  const first = namedChildren(body).find((c) => c.type === 'statement_list')?.namedChild(0);
  const multiline = ctx.source.slice(open, body.endIndex).includes('\n');
  const inner = first && multiline ? indentAt(ctx.source, first.startIndex) : indentAt(ctx.source, lit.startIndex) + '\t';
  // After the line of the opening brace (and any comment on it), or right after a one-line brace.
  const at = multiline ? lineEndOf(ctx.source, open) : open;
  const insert = multiline ? `${ctx.eol}${inner}defer ${wg}.Done()` : ` defer ${wg}.Done();`;
  return [{ kind: 'defer-done', title: `Call defer ${wg}.Done() first in the goroutine`, preferred: true, edits: [{ start: at, end: at, newText: insert }, ...removals] }];
}

/** wg.Add(N) followed in straight-line code by M != N goroutines before wg.Wait(). */
function checkAddCount(list: Node, ctx: RuleContext): void {
  const stmts = namedChildren(list).filter((s) => s.type !== 'comment');
  for (let i = 0; i < stmts.length; i++) {
    const wg = wgStmt(stmts[i], 'Add');
    const arg = wg ? callArgs(stmts[i].namedChild(0)!)[0] : null;
    if (!wg || !arg || arg.type !== 'int_literal') continue;
    const n = Number(arg.text);
    let count = 0;
    let ok = false;
    for (let j = i + 1; j < stmts.length; j++) {
      const s = stmts[j];
      if (wgStmt(s, 'Wait') === wg) {
        ok = true;
        break;
      }
      if (s.type === 'go_statement') {
        if (mentions(s, wg)) count++;
        continue;
      }
      if (mentions(s, wg) || some(s, (c) => c.type === 'go_statement', true) || s.type === 'return_statement') break;
    }
    if (!ok || count === 0 || count === n) continue;
    ctx.report({
      span: stmts[i].namedChild(0)!,
      message: say(
        `${clip(wg, 24)}.Add(${n}) but ${count} goroutine${count === 1 ? '' : 's'} started: ` + (n > count ? 'Wait blocks forever' : 'the counter goes negative'),
        `${wg}.Add(${n}) does not match the ${count} goroutine${count === 1 ? '' : 's'} started before ${wg}.Wait: ` +
          (n > count ? `Wait waits for ${n - count} Done call${n - count === 1 ? '' : 's'} that never come.` : `the counter goes negative and panics, or Wait returns before every goroutine is done.`),
      ),
      fixes: [{ kind: 'fix-count', title: `Change the count to ${count}`, preferred: true, edits: [{ start: arg.startIndex, end: arg.endIndex, newText: String(count) }] }],
    });
  }
}

/** Go 1.25: `wg.Add(1); go func() { defer wg.Done(); ... }()` → `wg.Go(func() { ... })`. */
function offerWgGo(list: Node, ctx: RuleContext): void {
  const stmts = namedChildren(list).filter((s) => s.type !== 'comment');
  for (let i = 0; i + 1 < stmts.length; i++) {
    const wg = wgStmt(stmts[i], 'Add');
    const go = stmts[i + 1];
    if (!wg || go.type !== 'go_statement' || callArgs(stmts[i].namedChild(0)!)[0]?.text !== '1') continue;
    const lit = goLiteral(go);
    const body = field(lit, 'body');
    if (!lit || !body || params(lit).length || callArgs(stmtCall(go)!).length || field(lit, 'result')) continue;
    const first = namedChildren(body).find((c) => c.type === 'statement_list')?.namedChild(0);
    if (!first || first.type !== 'defer_statement' || wgCall(stmtCall(first), 'Done') !== wg) continue;
    const rest = ctx.source.slice(first.endIndex, body.endIndex).replace(/^;/, '');
    ctx.offerRefactor(
      { start: stmts[i].startIndex, end: go.endIndex },
      { kind: 'use-wg-go', title: `Use ${wg}.Go (Go 1.25)`, edits: [{ start: stmts[i].startIndex, end: go.endIndex, newText: `${wg}.Go(func() {${rest})` }] },
    );
  }
}

/** `name` is a parameter of the literal or declared inside it (a WaitGroup of its own). */
function declaredIn(lit: Node, name: string): boolean {
  if (params(lit).some((p) => p.name === name)) return true;
  const body = field(lit, 'body');
  return !!body && collect(body, (n) =>
    (n.type === 'short_var_declaration' && namedChildren(field(n, 'left')!).some((x) => x.text === name)) ||
    (n.type === 'var_spec' && n.childrenForFieldName('name').some((x) => x?.text === name)),
  ).length > 0;
}

/** Calls made by the goroutine itself: not inside nested literals, except deferred ones. */
function ownCalls(body: Node, pred: (n: Node) => boolean): Node[] {
  const out: Node[] = [];
  walkNamed(body, (n) => {
    if (n.type === 'func_literal') {
      const call = n.parent;
      return call?.type === 'call_expression' && call.parent?.type === 'defer_statement';
    }
    if (pred(n)) out.push(n);
    return true;
  });
  return out;
}
