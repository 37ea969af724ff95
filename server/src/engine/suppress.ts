// `//leaklint:ignore RULE[,RULE] reason` on the line or the line above, and
// `//leaklint:file-ignore RULE reason` anywhere in the file. RULE may be `all`.
// golangci-lint's `//nolint` directives are honoured too (nolint.ts).
import type { Tree } from 'web-tree-sitter';
import type { Finding } from './types';
import type { LineIndex } from './positions';
import { readNolint, type LineRange } from './nolint';

export interface Suppressions {
  file: Set<string>;
  /** 0-based line → rules ignored on that line. */
  lines: Map<number, Set<string>>;
  /** Lines [from, to] (0-based) where rules are ignored: `//nolint` over a whole statement or declaration. */
  ranges: LineRange[];
}

const DIRECTIVE = /\/\/\s*leaklint:(ignore|file-ignore)\s+([\w,-]+)/g;

export function readSuppressions(source: string, tree: Tree, lines: LineIndex): Suppressions {
  const out: Suppressions = { file: new Set(), lines: new Map(), ranges: readNolint(source, tree, lines) };
  if (!source.includes('leaklint:')) return out;
  for (const m of source.matchAll(DIRECTIVE)) {
    const at = m.index!;
    const node = tree.rootNode.descendantForIndex(at, at + 2);
    if (!node || node.type !== 'comment') continue; // inside a string literal, not a directive
    const rules = m[2].split(',').filter(Boolean);
    if (m[1] === 'file-ignore') {
      for (const r of rules) out.file.add(r);
      continue;
    }
    const line = lines.lineOf(at);
    // A directive alone on its line covers the next line; a trailing one covers its own.
    const alone = source.slice(lines.lineStart(line), at).trim() === '';
    for (const target of alone ? [line, line + 1] : [line]) {
      const set = out.lines.get(target) ?? new Set<string>();
      for (const r of rules) set.add(r);
      out.lines.set(target, set);
    }
  }
  return out;
}

export function isSuppressed(f: Finding, s: Suppressions, lines: LineIndex): boolean {
  if (s.file.has(f.rule) || s.file.has('all')) return true;
  const line = lines.lineOf(f.span.start);
  const set = s.lines.get(line);
  if (set && (set.has(f.rule) || set.has('all'))) return true;
  return s.ranges.some((r) => r.from <= line && line <= r.to && (r.rules.has(f.rule) || r.rules.has('all')));
}
