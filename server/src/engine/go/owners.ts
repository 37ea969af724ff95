// Types of a package that own long-running goroutines: a stop method (Stop/Close/Shutdown),
// and a constructor or a method that starts a goroutine with a loop in it (directly, or by
// `go x.m()` on a method of the same type that loops). Facts per declaration, joined per
// package; owner-never-stopped reads them.
import { callee, field, goLiteral, identifiersIn, namedChildren, ofType, params, receiverTypeName, stmtCall, unparen, type Node } from './syntax';

const STOP_METHODS = new Set(['Stop', 'Close', 'Shutdown']);

/** What one function or method declaration says about a type as an owner of goroutines. */
export interface OwnerFact {
  type: string;
  /** The method's name, or the constructor's (for `ctor`). */
  name: string;
  ctor?: boolean;
  stop?: { params: number };
  /** The body has a for loop (a method started with `go` that loops runs long). */
  loops?: boolean;
  /** Starts a goroutine whose literal has a loop. */
  goLoop?: boolean;
  /** Methods started as `go x.m(...)`. */
  goMethods?: string[];
  /** Plain functions called (a test helper that calls a constructor which starts goroutines). */
  calls?: string[];
  /**
   * For a method whose loop ends only on signals of the value itself: the fields it waits on
   * (`case <-x.quit: return`, `case <-x.ctx.Done(): return`, `for range x.items`).
   */
  signals?: string[];
  /** Signals of the looping goroutine literals this declaration starts (same shape; null: one loop has another way out). */
  goSignals?: string[] | null;
  /** Fields this method closes, sends on or calls (a cancel func), and methods of its receiver it calls. */
  releases?: string[];
  /** Of those, the ones that end a wait for good: closed channels and cancel calls (not sends). */
  ends?: string[];
  /** Ends made in a block that also calls these receiver methods (`close(old); q.startWith(...)`): a restart when one of them starts goroutines. */
  endsBeside?: Record<string, string[]>;
  selfCalls?: string[];
  /** Methods of the receiver it calls on every path (`q.StartConsumers` → `q.startWith`): a start reached through them is its own. */
  startCalls?: string[];
  /** Fields whose own stop method it calls (`b.chain.Stop()`). */
  fieldStops?: string[];
  /** For a constructor: fields of the value it fills with what a constructor returns (`&T{chain: chain}` after `chain, _ := core.NewBlockChain(...)`). */
  fieldCtors?: FieldCtor[];
}

/** `field` holds what constructor `ctor` (of package `pkg`, the qualifier the file uses; none: this package) made. */
export interface FieldCtor {
  field: string;
  ctor: string;
  pkg?: string;
}

/** The fact of a method of a package type, or of a constructor of `ctorType`; null when it says nothing. */
export function ownerFactOf(decl: Node, ctorType: string | null): OwnerFact | null {
  const body = field(decl, 'body');
  const name = field(decl, 'name')?.text;
  if (!body || !name) return null;
  const recv = decl.type === 'method_declaration' ? params(decl, 'receiver')[0] : undefined;
  const type = ctorType ?? (recv ? receiverTypeName(recv.type) : null);
  if (!type) return null;
  const fact: OwnerFact = { type, name };
  if (ctorType) fact.ctor = true;
  if (!ctorType) {
    const releases = releasesIn(body, recv?.name ?? null);
    if (releases.fields.length) fact.releases = releases.fields;
    if (releases.ends.length) fact.ends = releases.ends;
    if (Object.keys(releases.beside).length) fact.endsBeside = releases.beside;
    if (releases.selfCalls.length) fact.selfCalls = releases.selfCalls;
    const startCalls = recv?.name ? unconditionalSelfCalls(body, recv.name) : [];
    if (startCalls.length) fact.startCalls = startCalls;
    const fieldStops = recv?.name ? fieldStopsIn(body, recv.name) : [];
    if (fieldStops.length) fact.fieldStops = fieldStops;
  }
  if (!ctorType && STOP_METHODS.has(name)) return { ...fact, stop: { params: params(decl).length } };
  const loops = ofType(body, 'for_statement');
  if (loops.length > 0) {
    fact.loops = true;
    const sig = loopSignals(loops[0]);
    if (sig) fact.signals = sig;
  }
  for (const go of ofType(body, 'go_statement')) {
    // A goroutine started only on some paths (`if !c.isHTTP { go c.dispatch() }`) may not run at all.
    if (conditional(go, body)) continue;
    const lit = goLiteral(go);
    const litBody = lit ? field(lit, 'body') : null;
    const litLoops = litBody ? ofType(litBody, 'for_statement') : [];
    if (litLoops.length > 0) {
      fact.goLoop = true;
      const sig = loopSignals(litLoops[0]);
      fact.goSignals = fact.goSignals === null || !sig ? null : [...(fact.goSignals ?? []), ...sig];
    }
    const f = unparen(field(stmtCall(go), 'function'));
    if (f?.type === 'selector_expression') (fact.goMethods ??= []).push(field(f, 'field')?.text ?? '');
  }
  if (ctorType) {
    const calls = ofType(body, 'call_expression').flatMap((c) => {
      const f = callee(c);
      return f?.type === 'identifier' ? [f.text] : [];
    });
    if (calls.length) fact.calls = [...new Set(calls)];
    const held = fieldCtorsIn(body, ctorType);
    if (held.length) fact.fieldCtors = held;
  }
  return fact.loops || fact.goLoop || fact.goMethods || fact.calls || fact.releases || fact.ends || fact.selfCalls || fact.startCalls || fact.fieldStops || fact.fieldCtors ? fact : null;
}

/** Fields of the receiver whose stop method is called: `x.chain.Stop()`, `x.db.Close()` (any path: a nil check often guards it). */
function fieldStopsIn(body: Node, recv: string): string[] {
  const out = new Set<string>();
  for (const call of ofType(body, 'call_expression', true)) {
    const f = unparen(field(call, 'function'));
    if (f?.type !== 'selector_expression' || !STOP_METHODS.has(field(f, 'field')?.text ?? '')) continue;
    const holder = unparen(field(f, 'operand'));
    const base = holder?.type === 'selector_expression' ? unparen(field(holder, 'operand')) : null;
    if (base?.type === 'identifier' && base.text === recv) out.add(field(holder!, 'field')?.text ?? '');
  }
  return [...out];
}

/** The constructor a value comes from: `NewX(...)` / `pkg.NewX(...)`, directly or through a local bound once to it. */
function ctorCall(value: Node | null): { ctor: string; pkg?: string } | null {
  let v = unparen(value);
  if (v?.type === 'unary_expression' && field(v, 'operator')?.type === '&') return null;
  if (v?.type === 'identifier') v = unparen(aliasTarget(v));
  if (v?.type !== 'call_expression') return null;
  const f = unparen(field(v, 'function'));
  if (f?.type === 'identifier') return { ctor: f.text };
  const q = f?.type === 'selector_expression' ? unparen(field(f, 'operand')) : null;
  return q?.type === 'identifier' ? { ctor: field(f!, 'field')?.text ?? '', pkg: q.text } : null;
}

/** `&T{f: NewX(...)}`, `&T{f: x}` with `x, _ := pkg.NewX(...)`, and `v.f = NewX(...)` on every path of a constructor of T. */
function fieldCtorsIn(body: Node, type: string): FieldCtor[] {
  const out: FieldCtor[] = [];
  for (const lit of ofType(body, 'composite_literal')) {
    if (field(lit, 'type')?.text !== type) continue;
    for (const el of ofType(field(lit, 'body') ?? lit, 'keyed_element')) {
      if (el.parent?.id !== field(lit, 'body')?.id) continue;
      const [key, value] = namedChildren(el).map((c) => (c.type === 'literal_element' ? c.namedChild(0) : c));
      const call = key?.type === 'field_identifier' || key?.type === 'identifier' ? ctorCall(value ?? null) : null;
      if (call) out.push({ field: key!.text, ...call });
    }
  }
  for (const st of ofType(body, 'assignment_statement')) {
    if (conditional(st, body)) continue;
    const left = namedChildren(field(st, 'left')!)[0];
    const right = namedChildren(field(st, 'right')!);
    if (left?.type !== 'selector_expression' || unparen(field(left, 'operand'))?.type !== 'identifier' || right.length !== 1) continue;
    const call = ctorCall(right[0]);
    if (call) out.push({ field: field(left, 'field')?.text ?? '', ...call });
  }
  return out;
}

/** `x.m(...)` statements on the receiver `x` that run whenever the method does (not under an if, switch or select, not in a literal). */
function unconditionalSelfCalls(body: Node, recv: string): string[] {
  const out = new Set<string>();
  for (const call of ofType(body, 'call_expression')) {
    const f = unparen(field(call, 'function'));
    const operand = f?.type === 'selector_expression' ? unparen(field(f, 'operand')) : null;
    if (operand?.type !== 'identifier' || operand.text !== recv || call.parent?.type !== 'expression_statement' || conditional(call, body)) continue;
    out.add(field(f!, 'field')?.text ?? '');
  }
  return [...out];
}

/** Receiver methods called as statements directly in `block` (`x.m(...)`). */
function selfCallsIn(block: Node, recv: string): string[] {
  return namedChildren(block).flatMap((st) => {
    const call = st.type === 'expression_statement' ? unparen(st.namedChild(0)) : null;
    const f = call?.type === 'call_expression' ? unparen(field(call, 'function')) : null;
    const operand = f?.type === 'selector_expression' ? unparen(field(f, 'operand')) : null;
    return operand?.type === 'identifier' && operand.text === recv ? [field(f!, 'field')?.text ?? ''] : [];
  });
}

function conditional(n: Node, body: Node): boolean {
  for (let p = n.parent; p && p.id !== body.id; p = p.parent) if (/^(if_statement|expression_switch_statement|type_switch_statement|select_statement)$/.test(p.type)) return true;
  return false;
}

/**
 * The field a receive or range waits on: `x.quit` → quit, `x.ctx.Done()` → ctx, `*x.items`
 * → items, and a local alias of one (`queue := *x.items` … `<-queue`); null for anything else.
 */
function signalField(e: Node | null, depth = 0): string | null {
  let x = unparen(e);
  if (x?.type === 'unary_expression' && field(x, 'operator')?.type === '*') x = unparen(field(x, 'operand'));
  if (x?.type === 'identifier' && depth === 0) return signalField(aliasTarget(x), 1);
  if (x?.type === 'call_expression') {
    const f = unparen(field(x, 'function'));
    if (f?.type !== 'selector_expression' || field(f, 'field')?.text !== 'Done') return null;
    x = unparen(field(f, 'operand'));
  }
  return x?.type === 'selector_expression' ? field(x, 'field')?.text ?? null : null;
}

const FUNC = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const BINDS = new Set(['short_var_declaration', 'assignment_statement', 'range_clause', 'receive_statement']);

/**
 * What a local name stands for when it is bound exactly once, by `name := expr`, in the
 * functions around it (a parameter, a `var`, a second assignment or a range variable of the
 * same name: null, since which value it holds is then not known from syntax).
 */
function aliasTarget(id: Node): Node | null {
  let top: Node | null = null;
  for (let p = id.parent; p; p = p.parent) if (FUNC.has(p.type)) top = p;
  if (!top) return null;
  let target: Node | null = null;
  let binds = 0;
  for (const n of identifiersIn(top, id.text)) {
    const list = n.parent;
    if (list?.type === 'parameter_declaration' || list?.type === 'variadic_parameter_declaration' || list?.type === 'var_spec') return null;
    const stmt = list?.type === 'expression_list' ? list.parent : null;
    if (!stmt || !BINDS.has(stmt.type) || field(stmt, 'left')?.id !== list!.id) continue;
    binds++;
    if (stmt.type !== 'short_var_declaration') return null;
    const left = namedChildren(list!);
    const right = namedChildren(field(stmt, 'right')!);
    const at = left.findIndex((l) => l.id === n.id);
    // `v, err := f()`: the first of f's results.
    target = left.length === right.length ? right[at] ?? null : right.length === 1 && at === 0 && right[0].type === 'call_expression' ? right[0] : null;
  }
  return binds === 1 ? target : null;
}

/**
 * The fields a loop waits on when every way out of it is a signal of the value: a range over
 * a field channel (`for v := range x.items`), or returns and breaks only inside select cases
 * that receive from a field (`case <-x.quit:`). Null when the loop can end some other way
 * (EOF, an error, a context handed in, finite work) or has no way out at all.
 */
function loopSignals(loop: Node): string[] | null {
  const clause = namedChildren(loop).find((c) => c.type === 'range_clause');
  if (clause) {
    const f = signalField(field(clause, 'right'));
    return f && ofType(field(loop, 'body') ?? loop, ['return_statement', 'break_statement']).length === 0 ? [f] : null;
  }
  const body = field(loop, 'body');
  if (!body) return null;
  const exits = ofType(body, ['return_statement', 'break_statement']);
  if (exits.length === 0) return null;
  const fields: string[] = [];
  for (const exit of exits) {
    let cas: Node | null = exit.parent;
    while (cas && cas.type !== 'communication_case' && cas.id !== body.id) cas = cas.parent;
    if (!cas || cas.type !== 'communication_case') return null;
    const comm = field(cas, 'communication');
    const recv = comm?.type === 'receive_statement' ? unparen(field(comm, 'right')) : comm;
    const f = recv?.type === 'unary_expression' ? signalField(field(recv, 'operand')) : null;
    if (!f) return null;
    fields.push(f);
  }
  return [...new Set(fields)];
}

/** Fields a method closes, sends on or calls (`close(x.quit)`, `x.quit <- v`, `x.cancel()`), and the receiver's methods it calls. */
function releasesIn(body: Node, recv: string | null): { fields: string[]; ends: string[]; selfCalls: string[]; beside: Record<string, string[]> } {
  const fields = new Set<string>();
  const ends = new Set<string>();
  const selfCalls = new Set<string>();
  const beside: Record<string, string[]> = {};
  for (const call of ofType(body, 'call_expression', true)) {
    const f = unparen(field(call, 'function'));
    if (f?.type === 'identifier' && f.text === 'close') {
      const arg = signalField(namedChildren(field(call, 'arguments')!)[0] ?? null);
      if (arg) fields.add(arg), ends.add(arg);
      const block = call.parent?.type === 'expression_statement' ? call.parent.parent : null;
      const calls = arg && recv && block ? selfCallsIn(block, recv) : [];
      if (arg && calls.length) beside[arg] = [...(beside[arg] ?? []), ...calls];
    } else if (f?.type === 'selector_expression') {
      const operand = unparen(field(f, 'operand'));
      const name = field(f, 'field')?.text ?? '';
      if (operand?.type === 'identifier' && operand.text === recv) selfCalls.add(name); // x.m() or x.cancel()
      if (operand?.type === 'selector_expression' || (operand?.type === 'identifier' && operand.text === recv)) {
        fields.add(name);
        if (/cancel/i.test(name)) ends.add(name);
      }
    }
  }
  for (const send of ofType(body, 'send_statement', true)) {
    const f = signalField(field(send, 'channel'));
    if (f) fields.add(f);
  }
  return { fields: [...fields], ends: [...ends], selfCalls: [...selfCalls], beside };
}

/** A package type's stop methods, its methods that start a looping goroutine, and its constructors that do. */
export interface Owner {
  stops: { name: string; params: number }[];
  /** Fields of the value that a goroutine's loop ends on, and the method (or constructor) that starts it. */
  waiters: Map<string, string>;
  startMethods: Set<string>;
  startingCtors: Set<string>;
  /** Starting constructors whose goroutines belong to a field the stop method stops: the field, and the call that made it. */
  heldBy: Map<string, { field: string; call: string }>;
}

/** Whether `pkg.ctor` (a constructor of an imported package) starts goroutines its type's stop method ends. */
export type ExternalStarts = (pkg: string, ctor: string) => boolean;

export function joinOwners(facts: OwnerFact[], external: ExternalStarts = () => false): Map<string, Owner> {
  const methods = new Map(facts.filter((f) => !f.ctor).map((f) => [`${f.type}.${f.name}`, f]));
  // What a method releases, with the receiver's methods it calls (a few levels down).
  const released = (f: OwnerFact, depth = 0): string[] =>
    [...(f.releases ?? []), ...(depth < 3 ? (f.selfCalls ?? []).flatMap((m) => { const g = methods.get(`${f.type}.${m}`); return g && g !== f ? released(g, depth + 1) : []; }) : [])];
  const stopReleases = new Map<string, Set<string>>();
  const otherReleases = new Map<string, Set<string>>();
  // A method that closes the old channel and starts new consumers in the same block (Resize) restarts rather than stops.
  const restarts = (f: OwnerFact, depth = 0): boolean =>
    !!f.goLoop || (f.goMethods ?? []).some((m) => methods.get(`${f.type}.${m}`)?.loops) || (depth < 3 && (f.startCalls ?? []).some((m) => { const g = methods.get(`${f.type}.${m}`); return !!g && g !== f && restarts(g, depth + 1); }));
  for (const f of facts) {
    if (f.ctor) continue;
    const into = f.stop ? stopReleases : /^[A-Z]/.test(f.name) ? otherReleases : null;
    if (!into) continue;
    const set = into.get(f.type) ?? into.set(f.type, new Set()).get(f.type)!;
    const restarted = (r: string) => (f.endsBeside?.[r] ?? []).some((m) => { const g = methods.get(`${f.type}.${m}`); return !!g && g !== f && restarts(g); });
    for (const r of f.stop ? released(f) : (f.ends ?? []).filter((r) => !restarted(r))) set.add(r);
  }
  // A signal is the stop method's when Stop releases it (closes it, or cancels: `ctx` pairs with a cancel call) and no other exported method does.
  const stopsIt = (type: string, sig: string) => {
    const byStop = stopReleases.get(type);
    if (!byStop) return false;
    const cancels = [...byStop].some((r) => /cancel/i.test(r));
    const mine = byStop.has(sig) || (/ctx|context/i.test(sig) && cancels);
    const others = otherReleases.get(type);
    return mine && !(others?.has(sig) || (/ctx|context/i.test(sig) && [...(others ?? [])].some((r) => /cancel/i.test(r))));
  };
  const onlyStop = (type: string, sigs: string[] | null | undefined) => !!sigs && sigs.length > 0 && sigs.every((s) => stopsIt(type, s));
  const starts = (f: OwnerFact, depth = 0): boolean =>
    (f.goLoop && onlyStop(f.type, f.goSignals)) ||
    (f.goMethods ?? []).some((m) => onlyStop(f.type, methods.get(`${f.type}.${m}`)?.signals)) ||
    (depth < 3 && (f.startCalls ?? []).some((m) => { const g = methods.get(`${f.type}.${m}`); return !!g && g !== f && !g.stop && starts(g, depth + 1); }));
  const ctors = new Map(facts.filter((f) => f.ctor).map((f) => [f.name, f]));
  // Fields a type's stop method stops (`b.chain.Stop()`, also through its own helpers), and those another exported method stops.
  const fieldStops = (f: OwnerFact, depth = 0): string[] =>
    [...(f.fieldStops ?? []), ...(depth < 3 ? (f.selfCalls ?? []).flatMap((m) => { const g = methods.get(`${f.type}.${m}`); return g && g !== f ? fieldStops(g, depth + 1) : []; }) : [])];
  const stoppedFields = new Map<string, Set<string>>();
  const otherStoppedFields = new Map<string, Set<string>>();
  for (const f of facts) {
    const into = f.ctor ? null : f.stop ? stoppedFields : /^[A-Z]/.test(f.name) ? otherStoppedFields : null;
    if (!into) continue;
    const set = into.get(f.type) ?? into.set(f.type, new Set()).get(f.type)!;
    for (const x of f.stop ? fieldStops(f) : f.fieldStops ?? []) set.add(x);
  }
  // A field holding what a starting constructor made, stopped by the stop method and by no other exported method, is goroutines the value owns.
  const held = (f: OwnerFact, depth: number): FieldCtor | undefined =>
    (f.fieldCtors ?? []).find((h) => {
      if (!stoppedFields.get(f.type)?.has(h.field) || otherStoppedFields.get(f.type)?.has(h.field)) return false;
      if (h.pkg) return external(h.pkg, h.ctor);
      const g = ctors.get(h.ctor);
      return !!g && g.type !== f.type && depth < 3 && ctorStarts(g, depth + 1);
    });
  // A constructor starts goroutines itself, through a field it fills, or through another constructor of the same type it calls.
  const ctorStarts = (f: OwnerFact, depth = 0): boolean =>
    starts(f) || !!held(f, depth) || (depth < 3 && (f.calls ?? []).some((c) => ctors.get(c)?.type === f.type && c !== f.name && ctorStarts(ctors.get(c)!, depth + 1)));
  // The field behind a constructor's start, for the message (itself, or a same-type constructor it calls).
  const heldVia = (f: OwnerFact, depth = 0): FieldCtor | undefined =>
    starts(f) ? undefined : held(f, depth) ?? (depth < 3 ? (f.calls ?? []).map((c) => ctors.get(c)).filter((g): g is OwnerFact => !!g && g.type === f.type && g !== f && ctorStarts(g, depth + 1)).map((g) => heldVia(g, depth + 1)).find((h) => h) : undefined);
  const out = new Map<string, Owner>();
  const of = (t: string) => out.get(t) ?? out.set(t, { stops: [], waiters: new Map(), startMethods: new Set(), startingCtors: new Set(), heldBy: new Map() }).get(t)!;
  for (const f of facts) {
    for (const sig of [...(f.signals ?? []), ...(f.goSignals ?? [])]) if (!of(f.type).waiters.has(sig)) of(f.type).waiters.set(sig, f.name);
    if (f.stop) of(f.type).stops.push({ name: f.name, params: f.stop.params });
    else if (f.ctor) {
      if (!ctorStarts(f)) continue;
      of(f.type).startingCtors.add(f.name);
      const h = heldVia(f);
      if (h) of(f.type).heldBy.set(f.name, { field: h.field, call: h.pkg ? `${h.pkg}.${h.ctor}` : h.ctor });
    } else if (starts(f)) of(f.type).startMethods.add(f.name); // unexported too: a test of the package may call it
  }
  return out;
}

/** The qualifiers constructors of other packages are called through in these facts. */
export function externalQualifiers(facts: OwnerFact[]): Set<string> {
  return new Set(facts.flatMap((f) => (f.fieldCtors ?? []).flatMap((h) => (h.pkg ? [h.pkg] : []))));
}
