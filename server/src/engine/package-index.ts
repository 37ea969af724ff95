// Facts one file exports to the rest of its package, and their union for a package.
// discarded-result-chan needs to know which functions of the package return a
// goroutine-fed unbuffered channel, wherever they are declared.
import type { Tree } from 'web-tree-sitter';
import { findResultChans, addBufferEdit } from './go/resultchan';
import { endlessLoops } from './go/loops';
import { ENDLESS, GO_STMT, MAKE_CHAN } from './go/hints';
import { field, funcKey, namedChildren, type Node } from './go/syntax';
import type { Fix, Span } from './types';

export interface ResultChanFunc {
  key: string;
  file: string;
  resultIndex: number;
  resultCount: number;
  make: Span;
  /** 1-based line of the make call, for messages. */
  line: number;
  /** The callee's own fix (make(chan T, 1)), with edits addressed to `file`. */
  fix: Fix | null;
}

export interface EndlessFunc {
  key: string;
  file: string;
  line: number;
  what: string;
}

export interface FileSummary {
  path: string;
  packageName: string;
  resultChans: ResultChanFunc[];
  endless: EndlessFunc[];
  packageVars: string[];
}

export function packageNameOf(root: Node): string {
  const clause = namedChildren(root).find((c) => c.type === 'package_clause');
  return clause?.namedChild(0)?.text ?? '';
}

export function summarize(path: string, tree: Tree, source: string): FileSummary {
  const root = tree.rootNode;
  const summary: FileSummary = { path, packageName: packageNameOf(root), resultChans: [], endless: [], packageVars: [] };
  for (const decl of namedChildren(root)) {
    if (decl.type === 'var_declaration') {
      for (const spec of decl.descendantsOfType('var_spec')) {
        for (const n of spec?.childrenForFieldName('name') ?? []) if (n) summary.packageVars.push(n.text);
      }
      continue;
    }
    if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') continue;
    if (decl.hasError) continue;
    const text = source.slice(decl.startIndex, decl.endIndex);
    const mayReturnChan = GO_STMT.test(text) && MAKE_CHAN.test(text);
    const mayLoop = ENDLESS.test(text);
    if (!mayReturnChan && !mayLoop) continue;
    const key = funcKey(decl);
    const body = field(decl, 'body');
    if (!key || !body) continue;
    for (const rc of mayReturnChan ? findResultChans(decl) : []) {
      const edit = rc.oneSendPerPath ? addBufferEdit(rc.chan.make, '1') : null;
      summary.resultChans.push({
        key,
        file: path,
        resultIndex: rc.resultIndex,
        resultCount: rc.resultCount,
        make: { start: rc.chan.make.startIndex, end: rc.chan.make.endIndex },
        line: rc.chan.make.startPosition.row + 1,
        fix: edit ? { kind: 'callee-add-buffer', title: `Buffer the channel in ${key} (make(chan T, 1))`, edits: [{ ...edit, file: path }] } : null,
      });
      break;
    }
    const loop = mayLoop ? endlessLoops(body).find((l) => l.kind !== 'chan') : undefined;
    if (loop) summary.endless.push({ key, file: path, line: loop.node.startPosition.row + 1, what: loop.what });
  }
  return summary;
}

export class PackageIndex {
  readonly resultChans = new Map<string, ResultChanFunc>();
  readonly endless = new Map<string, EndlessFunc>();
  readonly packageVars = new Set<string>();
  readonly packageName: string;

  static readonly empty = new PackageIndex([]);

  constructor(summaries: FileSummary[]) {
    this.packageName = summaries[0]?.packageName ?? '';
    for (const s of summaries) {
      for (const r of s.resultChans) this.resultChans.set(r.key, r);
      for (const e of s.endless) this.endless.set(e.key, e);
      for (const v of s.packageVars) this.packageVars.add(v);
    }
  }

  /** Methods named `name` on any type, for calls whose receiver type we could not resolve. */
  methodsNamed(name: string): ResultChanFunc[] {
    return [...this.resultChans.values()].filter((r) => r.key.endsWith(`.${name}`));
  }
}
