// Function bodies of a file that rules report in (quiet.ts decides for whole files; this, for
// the functions of a file some rule wants). A top-level function or method whose text no rule
// wants, that holds no fact and that no wanted code reads is parsed blanked (quiet.ts
// blankFunctionBodies): tree-sitter skips most of the work, and the tree takes little memory.
// The analysis of such a tree is the full one's because the engine gates each declaration by
// its text with the same `wants` (engine.ts), and a file rule finds its calls by text
// (bodyWants). Whoever analyses it re-parses the full text when the facts make a blanked body
// wanted (bodyWantedByFacts), and whenever the analysis finds anything, so that what is reported,
// and every fix, comes from the full tree.
import type { FileFacts, Rule } from './context';
import { funcMayHoldFacts, PackageIndex } from './package-index';
import { GO_STMT } from './go/hints';
import { LIFECYCLE_END } from './go/stop-methods';
import { blankSpans, functionSpans } from './quiet';

export interface GatedText {
  /** `source` with the bodies nobody wants blanked (same offsets); `source` itself when none is. */
  text: string;
  /** The whole text of each function blanked in `text`. */
  blanked: string[];
}

/** A node rule whose `wants` reads the context, or a file rule: it tells per function by bodyWants. */
function needsFacts(r: Rule): boolean {
  return !!r.checkFile || (r.nodeTypes.length > 0 && !!r.wants && r.wants.length > 1);
}

/**
 * Blanks the bodies of `source` (at `path`) that no rule of `rules` can report in or read, told
 * by their text alone; `ownerTypes` as for funcMayHoldFacts.
 */
export function gateBodies(path: string, source: string, rules: readonly Rule[], ownerTypes: ReadonlySet<string> | null): GatedText {
  // A rule that cannot tell per function wants every body. LEAKLINT_BODY_GATE=off: none is blanked (to compare).
  if (process.env.LEAKLINT_BODY_GATE === 'off' || rules.some((r) => needsFacts(r) && !r.bodyWants)) return { text: source, blanked: [] };
  // A test file of a package with a type that has a stop method: owner-never-stopped will most
  // likely want the bodies that make one, known only from the facts (a parse now would be wasted).
  if (path.endsWith('_test.go') && (ownerTypes === null || ownerTypes.size > 0) && rules.some((r) => r.meta.id === 'owner-never-stopped')) return { text: source, blanked: [] };
  const noFacts: FileFacts = { path, source, pkg: PackageIndex.empty, imports: new Map() };
  // Every test is a "text contains" one: a rule that wants nothing of the whole text wants no function of it.
  const textRules = rules.filter((r) => r.nodeTypes.length > 0 && !needsFacts(r) && (!r.wants || (r.wantsSome ? r.wantsSome(source) : r.wants(source, undefined as never))));
  const factRules = rules.filter((r) => needsFacts(r) && r.bodyWants!(source, noFacts));
  const wanted = (func: string) =>
    funcMayHoldFacts(func, ownerTypes) || textRules.some((r) => !r.wants || r.wants(func, undefined as never)) || factRules.some((r) => r.bodyWants!(func, noFacts));
  const spans = [...functionSpans(source)].map((f) => ({ ...f, text: source.slice(f.start, f.end), kept: false }));
  for (const f of spans) f.kept = wanted(f.text);
  // Then the functions that wanted code reads.
  const reads = readByGoroutines(source);
  const gone = spans.filter((f) => !f.kept && !reads(f.text));
  const blanked = gone.map((f) => f.text);
  const text = blankSpans(source, gone);
  return { text, blanked };
}

/**
 * Functions the analysis of a go statement reads through the tree: for a goroutine started on
 * `x.m()` or `m()`, the body of m (go/field-loops.ts looks for its range over a field), and
 * the stop methods of the types of the file (go/field-loops.ts, go/servers.ts). Told from the
 * text of the whole file (a go statement may be in a function never blanked): a superset.
 */
function readByGoroutines(source: string): (func: string) => boolean {
  if (!GO_STMT.test(source)) return () => false;
  const started = new Set<string>();
  for (const m of source.matchAll(GO_CALL)) started.add(m[1]);
  if (!started.size) return () => false;
  return (func) => {
    const name = FUNC_NAME.exec(func)?.[1];
    return name === undefined || started.has(name) || LIFECYCLE_END.test(name);
  };
}

/** `go f(`, `go x.f(`, `go x.y.f[T](`: the name of the function a go statement calls. */
const GO_CALL = /\bgo\s+(?:[\p{L}_][\p{L}\p{Nd}_]*\s*\.\s*)*([\p{L}_][\p{L}\p{Nd}_]*)\s*[[(]/gu;
const FUNC_NAME = /^func\s*(?:\([^()]*\)\s*)?([\p{L}_][\p{L}\p{Nd}_]*)/u;

/** Whether the facts of the file's package and imports make a blanked function wanted: the full text must be parsed. */
export function bodyWantedByFacts(blanked: readonly string[], facts: FileFacts, rules: readonly Rule[]): boolean {
  if (!blanked.length) return false;
  const factRules = rules.filter(needsFacts);
  return factRules.some((r) => !r.bodyWants || blanked.some((func) => r.bodyWants!(func, facts)));
}
