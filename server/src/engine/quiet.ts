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
  const lines = source.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('func') || !/^func\b.*\{\r?$/.test(lines[i]) || !factlessSignature(lines[i])) continue;
    let end = -1;
    for (let k = i + 1; k < lines.length; k++) {
      const l = lines[k];
      if (l === '}' || l === '}\r') {
        end = k;
        break;
      }
      if (l !== '' && l !== '\r' && l[0] !== ' ' && l[0] !== '\t') break;
    }
    if (end < 0) continue;
    if (bodyMatters(lines.slice(i, end + 1).join('\n'))) continue;
    for (let k = i + 1; k < end; k++) {
      const l = lines[k];
      lines[k] = l.includes('\r') ? l.replace(/[^\r]/g, ' ') : ' '.repeat(l.length);
    }
    changed = true;
    i = end;
  }
  return changed ? lines.join('\n') : source;
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
