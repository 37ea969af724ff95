// golangci-lint's `//nolint` directives, read the way golangci-lint reads them, so a codebase's
// existing habits carry over:
//   //nolint                  every linter, so us too (also `//nolint:all`)
//   //nolint:leaklint         us
//   //nolint:RULE[,RULE]      those of our rules (other linters' names are theirs: not us)
// No space is allowed between `//`, `nolint`, `:` and the names; an explanation may follow
// after a space (`//nolint:leaklint // callers always drain it`).
// Placement: the directive covers its own line; when the next line starts, at the directive's
// own column, a statement or declaration, it covers that node through its last line (a
// directive just above `package` covers the file).
import type { Node, Tree } from 'web-tree-sitter';
import type { LineIndex } from './positions';
import { RULES_BY_ID } from './rules';

export interface LineRange {
  /** 0-based, inclusive. */
  from: number;
  to: number;
  /** Rule ids, or 'all'. */
  rules: Set<string>;
}

const DIRECTIVE = /\/\/nolint(?::([\w.-]+(?:,[\w.-]+)*))?(?=\s|$)/g;

export function readNolint(source: string, tree: Tree, lines: LineIndex): LineRange[] {
  const out: LineRange[] = [];
  if (!source.includes('//nolint')) return out;
  for (const m of source.matchAll(DIRECTIVE)) {
    const at = m.index!;
    const comment = tree.rootNode.descendantForIndex(at, at + 2);
    if (!comment || comment.type !== 'comment' || comment.startIndex !== at) continue; // in a string, or not the comment's start
    const rules = ours(m[1]);
    if (!rules.size) continue; // `//nolint:otherlinter`
    const line = lines.lineOf(at);
    out.push({ from: line, to: line, rules });
    const covered = nodeBelow(source, tree, lines, line, at - lines.lineStart(line));
    if (covered) out.push({ from: line + 1, to: covered.to, rules });
  }
  return out;
}

/** The rules a directive's names select: all of ours, some, or none. */
function ours(names: string | undefined): Set<string> {
  if (names === undefined) return new Set(['all']);
  const out = new Set<string>();
  for (const raw of names.split(',')) {
    const name = raw.toLowerCase();
    if (name === 'all' || name === 'leaklint') return new Set(['all']);
    if (RULES_BY_ID.has(name)) out.add(name);
  }
  return out;
}

/** The last line of the outermost node that starts on `line + 1` at `column`, if one does. */
function nodeBelow(source: string, tree: Tree, lines: LineIndex, line: number, column: number): { to: number } | null {
  if (line + 1 >= lines.lineCount) return null;
  const start = lines.lineStart(line + 1);
  const at = start + column;
  if (at > lines.lineEnd(line + 1) || source.slice(start, at).trim() !== '' || /\s/.test(source[at] ?? ' ')) return null;
  let node: Node | null = tree.rootNode.descendantForIndex(at, at);
  if (!node || node.startIndex !== at) return null;
  if (node.type === 'package' || node.type === 'package_clause') return { to: lines.lineCount - 1 }; // above `package`: the whole file
  while (node.parent && node.parent.startIndex === at && node.parent.type !== 'source_file') node = node.parent;
  if (node.type === 'comment') return null;
  return { to: lines.lineOf(Math.max(node.startIndex, node.endIndex - 1)) };
}
