// Types of a package that own long-running goroutines: a stop method (Stop/Close/Shutdown),
// and a constructor or a method that starts a goroutine with a loop in it (directly, or by
// `go x.m()` on a method of the same type that loops). Facts per declaration, joined per
// package; owner-never-stopped reads them.
import { callee, field, goLiteral, ofType, params, receiverTypeName, stmtCall, unparen, type Node } from './syntax';

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
  else if (STOP_METHODS.has(name)) return { type, name, stop: { params: params(decl).length } };
  if (ofType(body, 'for_statement').length > 0) fact.loops = true;
  for (const go of ofType(body, 'go_statement')) {
    const lit = goLiteral(go);
    const litBody = lit ? field(lit, 'body') : null;
    if (litBody && ofType(litBody, 'for_statement').length > 0) fact.goLoop = true;
    const f = unparen(field(stmtCall(go), 'function'));
    if (f?.type === 'selector_expression') (fact.goMethods ??= []).push(field(f, 'field')?.text ?? '');
  }
  if (ctorType) {
    const calls = ofType(body, 'call_expression').flatMap((c) => {
      const f = callee(c);
      return f?.type === 'identifier' ? [f.text] : [];
    });
    if (calls.length) fact.calls = [...new Set(calls)];
  }
  return fact.loops || fact.goLoop || fact.goMethods || fact.calls ? fact : null;
}

/** A package type's stop methods, its methods that start a looping goroutine, and its constructors that do. */
export interface Owner {
  stops: { name: string; params: number }[];
  startMethods: Set<string>;
  startingCtors: Set<string>;
}

export function joinOwners(facts: OwnerFact[]): Map<string, Owner> {
  const looping = new Set(facts.filter((f) => !f.ctor && f.loops).map((f) => `${f.type}.${f.name}`));
  const starts = (f: OwnerFact) => !!f.goLoop || (f.goMethods ?? []).some((m) => looping.has(`${f.type}.${m}`));
  const ctors = new Map(facts.filter((f) => f.ctor).map((f) => [f.name, f]));
  // A constructor starts goroutines itself, or through another constructor of the same type it calls.
  const ctorStarts = (f: OwnerFact, depth = 0): boolean =>
    starts(f) || (depth < 3 && (f.calls ?? []).some((c) => ctors.get(c)?.type === f.type && c !== f.name && ctorStarts(ctors.get(c)!, depth + 1)));
  const out = new Map<string, Owner>();
  const of = (t: string) => out.get(t) ?? out.set(t, { stops: [], startMethods: new Set(), startingCtors: new Set() }).get(t)!;
  for (const f of facts) {
    if (f.stop) of(f.type).stops.push({ name: f.name, params: f.stop.params });
    else if (f.ctor) {
      if (ctorStarts(f)) of(f.type).startingCtors.add(f.name);
    } else if (/^[A-Z]/.test(f.name) && starts(f)) of(f.type).startMethods.add(f.name);
  }
  return out;
}
