// What identifies a finding across edits: its rule, its file, the declaration it is in and its
// message with numbers taken out. Line and column are left out on purpose, so that lines
// added above a finding do not make it new; the declaration is kept, so that the same
// problem moved into another function is new.
import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import { funcKey } from './go/syntax';

/**
 * Names of the top-level declarations holding offsets: "F" for a function, "T.M" for a
 * method, "var x" / "const x" / "type T" for the others, "" outside any (or where
 * tree-sitter could not name it). Nested function literals are not named: their
 * Go-style numbering (F.func2) changes whenever one is added before them. The
 * declarations are listed once and searched by offset: a file with thousands of findings
 * and thousands of declarations stays linear.
 */
export function declarationNames(tree: Tree): (offset: number) => string {
  let decls: Node[] | null = null;
  const names = new Map<number, string>();
  return (offset) => {
    decls ??= tree.rootNode.namedChildren.filter((d): d is Node => d !== null);
    let lo = 0;
    let hi = decls.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = decls[mid];
      if (offset < d.startIndex) hi = mid - 1;
      else if (offset >= d.endIndex) lo = mid + 1;
      else {
        let name = names.get(mid);
        if (name === undefined) names.set(mid, (name = nameOf(d)));
        return name;
      }
    }
    return '';
  };
}

export function nameOf(decl: Node): string {
  if (decl.type === 'function_declaration' || decl.type === 'method_declaration') return funcKey(decl) ?? '';
  const kind = decl.type.replace(/_declaration$/, '');
  if (!['var', 'const', 'type'].includes(kind)) return '';
  const name = decl.descendantsOfType(['identifier', 'type_identifier']).find((n) => n !== null);
  return name ? `${kind} ${name.text}` : kind;
}

/** The message with every standalone number replaced, so "line 12" and "line 14" read the same. */
export function normalizeMessage(message: string): string {
  return message.replace(/\b\d+\b/g, 'N').replace(/\s+/g, ' ').trim();
}

export interface FingerprintInput {
  rule: string;
  /** Path relative to the baseline's folder, with forward slashes. */
  file: string;
  /** declarationAt() of the finding's start. */
  scope: string;
  message: string;
}

export function fingerprint(f: FingerprintInput): string {
  const h = createHash('sha256');
  h.update([f.rule, f.file, f.scope, normalizeMessage(f.message)].join('\0'));
  return h.digest('hex').slice(0, 20);
}
