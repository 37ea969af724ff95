// An edit that adds a standard-library import where gofmt would keep it (gofmt sorts the
// specs of each group, so the new one goes in order into the first group of std paths).
import type { TextEdit } from '../types';
import { field, namedChildren, type Node } from './syntax';

function pathOf(spec: Node): string {
  const p = field(spec, 'path');
  return p ? p.text.replace(/^["`]|["`]$/g, '') : '';
}

/** The file already imports `path` (under its own name). */
export function imports(root: Node, path: string): boolean {
  return root.descendantsOfType('import_spec').some((s) => s && pathOf(s) === path && !field(s, 'name'));
}

/** Null when `path` is already imported; otherwise an insertion that keeps the file gofmt-clean. */
export function addStdImport(root: Node, source: string, eol: string, path: string): TextEdit | null {
  if (imports(root, path)) return null;
  const decls = namedChildren(root).filter((n) => n.type === 'import_declaration');
  const quoted = `"${path}"`;
  if (decls.length === 0) {
    const pkg = namedChildren(root).find((n) => n.type === 'package_clause');
    if (!pkg) return null;
    return { start: pkg.endIndex, end: pkg.endIndex, newText: `${eol}${eol}import ${quoted}` };
  }
  const first = decls[0];
  const list = namedChildren(first).find((n) => n.type === 'import_spec_list');
  if (!list) {
    const spec = namedChildren(first).find((n) => n.type === 'import_spec');
    if (!spec) return null;
    const specs = [spec.text, quoted].sort((a, b) => a.replace(/^\w+\s+/, '').localeCompare(b.replace(/^\w+\s+/, '')));
    return { start: first.startIndex, end: first.endIndex, newText: `import (${eol}\t${specs.join(`${eol}\t`)}${eol})` };
  }
  const specs = namedChildren(list).filter((n) => n.type === 'import_spec');
  // The first group: specs on consecutive lines from the first one.
  const group: Node[] = [];
  for (const s of specs) {
    const prev = group[group.length - 1];
    if (prev && s.startPosition.row > prev.endPosition.row + 1) break;
    group.push(s);
  }
  const std = group.length > 0 && !pathOf(group[0]).includes('.');
  const lineStart = (n: Node) => source.lastIndexOf('\n', n.startIndex - 1) + 1;
  if (!std) {
    const at = group.length ? lineStart(group[0]) : list.startIndex + 1;
    return { start: at, end: at, newText: group.length ? `\t${quoted}${eol}${eol}` : `${eol}\t${quoted}` };
  }
  const next = group.find((s) => pathOf(s) > path);
  if (next) {
    const at = lineStart(next);
    return { start: at, end: at, newText: `\t${quoted}${eol}` };
  }
  const last = group[group.length - 1];
  return { start: last.endIndex, end: last.endIndex, newText: `${eol}\t${quoted}` };
}
