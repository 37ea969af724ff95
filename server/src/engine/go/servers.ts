// `go s.Serve(ln)` on a net/http server that only this method ever sees: Serve returns when
// the server is shut down or its listener closed, and neither can happen when both stay local
// to a method of an owner that has a stop method (caddy's first http app: Run started servers
// that Cancel, which shut down hc.servers, never saw).
import { declaredType } from './scope';
import { LIFECYCLE_END } from './stop-methods';
import { callArgs, enclosingFunc, field, identifiersIn, isPointerTo, isQualified, methodReceiverType, namedChildren, params, unparen, type Node } from './syntax';

const SERVE = /^(Serve|ServeTLS|ListenAndServe|ListenAndServeTLS)$/;

export interface UnstoppableServer {
  server: string;
  listener: string | null;
  /** The enclosing method. */
  method: Node;
  /** The owner's stop method, which cannot reach the server. */
  stop: Node;
}

/** For `go s.Serve(ln)`: the server and listener stay local to a method whose type has a stop method. */
export function unstoppableServer(go: Node, call: Node): UnstoppableServer | null {
  const f = unparen(field(call, 'function'));
  if (f?.type !== 'selector_expression' || !SERVE.test(field(f, 'field')?.text ?? '')) return null;
  const s = unparen(field(f, 'operand'));
  if (s?.type !== 'identifier') return null;
  const method = enclosingFunc(go);
  if (method?.type !== 'method_declaration') return null;
  const t = declaredType(go, s.text);
  if (!t || !(isQualified(t, 'http', 'Server') || isPointerTo(t, 'http', 'Server'))) return null;
  // The type node of `&http.Server{...}` is the composite's type: the server is a local made here.
  if (!params(method).every((p) => p.name !== s.text)) return null;
  const body = field(method, 'body')!;
  if (!staysLocal(body, s.text, go)) return null;
  const args = callArgs(call);
  const ln = args[0] ? unparen(args[0]) : null;
  if (ln && (ln.type !== 'identifier' || params(method).some((p) => p.name === ln.text) || !staysLocal(body, ln.text, go))) return null;
  const type = methodReceiverType(method);
  if (!type) return null;
  const stop = namedChildren(method.tree.rootNode).find(
    (d) => d.type === 'method_declaration' && LIFECYCLE_END.test(field(d, 'name')?.text ?? '') && methodReceiverType(d) === type,
  );
  return stop ? { server: s.text, listener: ln?.text ?? null, method, stop } : null;
}

/**
 * Every use of `name` in the method is its declaration, a field read or write on it, or a
 * call of one of its methods other than Shutdown/Close, or the go statement itself: it is
 * never stored, passed, returned, captured by a literal or stopped.
 */
function staysLocal(body: Node, name: string, go: Node): boolean {
  for (const id of identifiersIn(body, name)) {
    if (id.startIndex >= go.startIndex && id.endIndex <= go.endIndex) continue;
    const p = id.parent;
    if (!p) return false;
    if (p.type === 'expression_list' && (p.parent?.type === 'short_var_declaration' || p.parent?.type === 'assignment_statement') && field(p.parent, 'left')?.id === p.id) continue;
    if (p.type === 'var_spec') continue;
    if (p.type === 'selector_expression' && field(p, 'operand')?.id === id.id) {
      const member = field(p, 'field')?.text ?? '';
      if (/^(Shutdown|Close|RegisterOnShutdown)$/.test(member)) return false;
      continue;
    }
    return false;
  }
  return true;
}
