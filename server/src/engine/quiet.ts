// Files that cannot produce a finding by themselves: most of a real repository. They still
// feed their package (its variables and constructors, read from declarations outside function
// bodies; the owner facts of some methods; functions sending on a channel parameter) and may
// call a function of the package or of an import that returns a goroutine-fed channel. Such a
// file is parsed with the bodies that hold no fact blanked out (a fraction of the work),
// summarised from that tree (the same facts: see funcMayHoldFacts), and analysed in full only
// when a rule's fileWants says the package's or imports' facts give it something to look for.
import type { FileFacts, Rule } from './context';
import { mayHoldFacts, PackageIndex } from './package-index';

/**
 * True when no rule can report in `source` (at `path`) whatever the facts of its package: no
 * node rule's `wants` holds on the whole text (each is a "text contains" test, or says so with
 * wantsSome, so no declaration in it can pass), every other rule can tell from the text and the
 * facts (fileWants) and wants nothing by the text alone, and no function holds a fact of
 * mayHoldFacts for its package.
 */
export function isQuiet(path: string, source: string, rules: readonly Rule[]): boolean {
  if (mayHoldFacts(source)) return false;
  for (const r of rules) {
    if (r.nodeTypes.length) {
      if (r.wants && r.wants.length > 1) {
        // A `wants` that looks at the context cannot be asked without one: fileWants decides.
        if (!r.fileWants) return false;
      } else if (!r.wants || (r.wantsSome ? r.wantsSome(source) : r.wants(source, undefined as never))) return false;
    }
    if (r.checkFile && !r.fileWants) return false;
  }
  // With no facts at all: a rule that wants the file by its text alone (facts only add wants).
  return !quietFileWanted({ path, source, pkg: PackageIndex.empty, imports: new Map() }, rules);
}

/** Whether a quiet file needs its full analysis, now that its package's and imports' facts are known. */
export function quietFileWanted(ctx: FileFacts, rules: readonly Rule[]): boolean {
  return rules.some((r) => (r.checkFile || (r.wants && r.wants.length > 1)) && (!r.fileWants || r.fileWants(ctx)));
}

/**
 * `source` with the inside of every top-level function body blanked (spaces; line breaks kept, so
 * rows and offsets do not move). Only bodies that gofmt lays out plainly are blanked: the `func`
 * line ends with `{`, the body ends at the next line that is `}` alone, and no line in between
 * starts at column 0 (a raw string could otherwise end the body early). Whoever parses the result
 * must fall back to the full text if the tree has an error. `bodyMatters`, given the
 * function's whole text, keeps the bodies it says yes to.
 */
export function blankFunctionBodies(source: string, bodyMatters: (func: string) => boolean = () => false): string {
  return blankSpans(source, [...functionSpans(source)].filter((f) => !bodyMatters(source.slice(f.start, f.end))));
}

/** `source` with the bodies of `spans` (from functionSpans, in order) blanked. */
export function blankSpans(source: string, spans: readonly FunctionSpan[]): string {
  if (!spans.length) return source;
  let out = '';
  let from = 0;
  for (const f of spans) {
    out += source.slice(from, f.bodyStart) + spaces(source.slice(f.bodyStart, f.bodyEnd));
    from = f.bodyEnd;
  }
  return out + source.slice(from);
}

/** A function blankFunctionBodies may blank: its whole text is [start, end), the inside of its body [bodyStart, bodyEnd). */
export interface FunctionSpan {
  start: number;
  bodyStart: number;
  bodyEnd: number;
  end: number;
}

/** The top-level functions of `source` laid out as blankFunctionBodies needs, in order. */
export function* functionSpans(source: string): Generator<FunctionSpan> {
  // The next line after a line break that is neither blank nor indented.
  const outdented = /\n(?!\r?(?:\n|$))(?![ \t])/g;
  let at = source.startsWith('func') ? 0 : source.indexOf('\nfunc') + 1;
  while (at > 0 || (at === 0 && source.startsWith('func'))) {
    const nl = source.indexOf('\n', at);
    const line = nl < 0 ? source.slice(at) : source.slice(at, nl);
    let next = nl < 0 ? -1 : nl;
    if (nl >= 0 && FUNC_LINE.test(line) && factlessSignature(line)) {
      outdented.lastIndex = nl;
      const m = outdented.exec(source);
      if (m) {
        const close = m.index + 1;
        const closeEnd = source.indexOf('\n', close);
        const closing = closeEnd < 0 ? source.slice(close) : source.slice(close, closeEnd);
        if (closing === '}' || closing === '}\r') {
          yield { start: at, bodyStart: nl + 1, bodyEnd: Math.max(nl + 1, close - 1), end: closeEnd < 0 ? source.length : closeEnd };
          next = close - 1;
        }
      }
    }
    if (next < 0) break;
    const f = source.indexOf('\nfunc', next);
    at = f < 0 ? -1 : f + 1;
  }
}

const FUNC_LINE = /^func\b.*\{\r?$/;

/** `text` with every character but line breaks made a space. */
function spaces(text: string): string {
  return text.includes('\r') ? text.replace(/[^\r\n]/g, ' ') : text.replace(/[^\n]+/g, (line) => ' '.repeat(line.length));
}

/**
 * A method, or a function with no result: its declaration makes no constructor (that needs a
 * result), so its body may be blanked whether or not it parses cleanly.
 */
function factlessSignature(line: string): boolean {
  if (/^func\s*\(/.test(line)) return true;
  const open = line.indexOf('(');
  if (open < 0) return false;
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    const c = line[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return /^\s*\{\r?$/.test(line.slice(i + 1));
    else if (c === '"' || c === '`' || c === "'") return false; // a string in the signature: do not guess
  }
  return false;
}
