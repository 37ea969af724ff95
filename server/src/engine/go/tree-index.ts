// What the engine keeps while it analyses one tree: parent lookups that do not cost the depth
// of the tree, and per-analysis tables for answers several rules ask for again and again.
//
// web-tree-sitter 0.25's `Node.parent` is tree-sitter's ts_node_parent, which walks down from
// the root of the tree to the node every time: O(depth). Walking up from a node (enclosingFunc,
// ancestors, ...) is then O(depth²), and a file whose statements nest N deep costs O(N³).
//
// While the engine analyses a tree (`withTreeIndex`), `.parent` on that tree's nodes is
// answered here instead: a node's parent is found by walking down, child by child, from the
// deepest node that contains it on the last path walked (the "finger"), and every parent met
// on the way is remembered. Rules look at nodes near each other, so a walk is usually a few
// levels, and walking up again from a node is all remembered lookups. Siblings (which
// tree-sitter also finds through the parent) come from the parent's children, listed once, and
// the smallest node spanning a range is looked for from the finger, not from the root.
// Outside an analysis, or for a node the walk cannot place (an empty MISSING node),
// tree-sitter answers as before.
import { Node, type Tree } from 'web-tree-sitter';
import { checkDeadline, type Deadline } from '../budget';
import { isRecording, noteFileRead, unrecorded } from '../decl-deps';

type Getter = (this: Node) => Node | null;
const native = (name: string) => Object.getOwnPropertyDescriptor(Node.prototype, name)!.get! as Getter;
const nativeParent = native('parent');

class TreeIndex {
  private readonly parents = new Map<number, Node | null>();
  /** The last path walked, from the root down, with each node's span. */
  private readonly path: Node[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly children = new Map<number, { nodes: Node[]; named: boolean[]; empty: boolean[]; at: Map<number, number> }>();
  readonly tables = new Map<string, Map<unknown, unknown>>();
  /** The analysis budget's deadline, looked at by `tick` and `checkBudget`. */
  deadline: Deadline | undefined = undefined;

  readonly rootId: number;

  constructor(readonly tree: Tree) {
    const root = tree.rootNode;
    this.rootId = root.id;
    this.parents.set(root.id, null);
    this.push(root, root.startIndex, root.endIndex);
  }

  parentOf(n: Node): Node | null {
    const known = this.parents.get(n.id);
    if (known !== undefined) return known;
    const found = unrecorded(() => this.walkTo(n));
    const parent = found === undefined ? nativeParent.call(n) : found;
    this.parents.set(n.id, parent);
    return parent;
  }

  /**
   * The sibling `step` places away (skipping anonymous nodes when `named`), from the parent's
   * children listed once; undefined when n is not among them. Tree-sitter's own sibling getters
   * look the parent up first, so they cost the depth too.
   */
  siblingOf(n: Node, step: 1 | -1, named: boolean): Node | null | undefined {
    const p = this.parentOf(n);
    if (!p) return undefined;
    if (p.id === this.rootId) noteFileRead(); // a top-level declaration's neighbours
    let kids = this.children.get(p.id);
    if (!kids) {
      const nodes = unrecorded(() => p.children.filter((c): c is Node => c !== null));
      kids = { nodes, named: nodes.map((c) => c.isNamed), empty: nodes.map((c) => c.startIndex === c.endIndex), at: new Map(nodes.map((c, i) => [c.id, i])) };
      this.children.set(p.id, kids);
    }
    const i = kids.at.get(n.id);
    // Tree-sitter steps over empty (MISSING) nodes by rules of its own: let it answer near them.
    if (i === undefined || kids.empty[i]) return undefined;
    for (let j = i + step; j >= 0 && j < kids.nodes.length; j += step) {
      if (kids.empty[j]) return undefined;
      if (!named || kids.named[j]) return kids.nodes[j];
    }
    return null;
  }

  /** The deepest node of the finger that contains [start, end). */
  deepestContaining(start: number, end: number): Node | null {
    if (!(this.starts[0] <= start && end <= this.ends[0])) return null;
    return this.path[this.lastContaining(start, end)];
  }

  /** Spans along the path nest, so "contains [start, end)" holds for a prefix of it: binary search its end. */
  private lastContaining(start: number, end: number): number {
    let lo = 0;
    let hi = this.path.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= start && end <= this.ends[mid]) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private push(n: Node, start: number, end: number): void {
    this.path.push(n);
    this.starts.push(start);
    this.ends.push(end);
  }

  /** Walks down to `n` from the deepest node of the finger that contains it; undefined if it cannot. */
  private walkTo(n: Node): Node | null | undefined {
    const start = n.startIndex;
    const end = n.endIndex;
    if (end <= start) return undefined; // an empty node has no single place on a path down
    if (!(this.starts[0] <= start && end <= this.ends[0])) return undefined;
    const lo = this.lastContaining(start, end);
    this.path.length = this.starts.length = this.ends.length = lo + 1;
    // Down from there one child at a time (each step is tree-sitter's own scan of one node's children).
    for (let cur = this.path[lo]; ; ) {
      tick();
      const c = cur.childWithDescendant(n);
      if (!c) return undefined;
      this.parents.set(c.id, cur);
      this.push(c, c.startIndex, c.endIndex);
      if (c.id === n.id) return cur;
      cur = c;
    }
  }
}

let active: TreeIndex | null = null;

Object.defineProperty(Node.prototype, 'parent', {
  configurable: true,
  get(this: Node): Node | null {
    return active !== null && active.tree === this.tree ? active.parentOf(this) : nativeParent.call(this);
  },
});

for (const [name, step, named] of [
  ['nextSibling', 1, false],
  ['previousSibling', -1, false],
  ['nextNamedSibling', 1, true],
  ['previousNamedSibling', -1, true],
] as const) {
  const get = native(name);
  Object.defineProperty(Node.prototype, name, {
    configurable: true,
    get(this: Node): Node | null {
      const found = active !== null && active.tree === this.tree ? active.siblingOf(this, step, named) : undefined;
      if (found === undefined && isRecording() && nativeParent.call(this)?.type === 'source_file') noteFileRead();
      return found === undefined ? get.call(this) : found;
    },
  });
}

// The smallest node spanning a range, asked of the root (text searches that find a call by its
// offset do this), walks down from the root: start from the deepest node of the finger that
// spans it instead. For a non-empty range the nodes that span it form one chain, so the answer
// is the same.
const nativeDescendantForIndex = Node.prototype.descendantForIndex;
Node.prototype.descendantForIndex = function (this: Node, start: number, end: number = start): Node | null {
  if (active !== null && active.tree === this.tree && end > start && this.id === active.rootId) {
    const from = active.deepestContaining(start, end);
    if (from) return nativeDescendantForIndex.call(from, start, end);
  }
  return nativeDescendantForIndex.call(this, start, end);
};

// While a declaration's reads are recorded (decl-deps.ts), reading the root's children or text
// is reading the rest of the file.
for (const name of ['children', 'namedChildren', 'childCount', 'namedChildCount', 'firstChild', 'lastChild', 'firstNamedChild', 'lastNamedChild', 'text', 'hasError', 'descendantCount'] as const) {
  const desc = Object.getOwnPropertyDescriptor(Node.prototype, name);
  if (!desc?.get) continue;
  const get = desc.get;
  Object.defineProperty(Node.prototype, name, {
    configurable: true,
    get(this: Node) {
      if (isRecording() && isRoot(this)) noteFileRead();
      return get.call(this);
    },
  });
}
for (const name of ['child', 'namedChild', 'descendantsOfType', 'descendantForIndex', 'namedDescendantForIndex', 'descendantForPosition', 'namedDescendantForPosition', 'childForFieldName', 'childrenForFieldName', 'childForFieldId', 'childrenForFieldId', 'childWithDescendant', 'firstChildForIndex', 'firstNamedChildForIndex', 'walk', 'toString'] as const) {
  const method = (Node.prototype as unknown as Record<string, unknown>)[name];
  if (typeof method !== 'function') continue;
  (Node.prototype as unknown as Record<string, unknown>)[name] = function (this: Node, ...args: unknown[]) {
    if (isRecording() && isRoot(this)) noteFileRead();
    return (method as (...a: unknown[]) => unknown).apply(this, args);
  };
}

function isRoot(n: Node): boolean {
  return active !== null && active.tree === n.tree ? n.id === active.rootId : n.type === 'source_file';
}

/**
 * Runs `f` with `.parent` (and siblings) on `tree`'s nodes answered by a tree index, `tableFor`
 * tables kept, and `deadline` enforced by `tick` and `checkBudget` (see the top of this file).
 */
export function withTreeIndex<T>(tree: Tree, f: () => T, deadline?: Deadline): T {
  if (active?.tree === tree) {
    const outerDeadline = active.deadline;
    const index = active;
    if (deadline) index.deadline = deadline;
    try {
      return f();
    } finally {
      index.deadline = outerDeadline;
    }
  }
  const outer = active;
  const index = new TreeIndex(tree);
  index.deadline = deadline;
  active = index;
  try {
    return f();
  } finally {
    active = outer;
  }
}

/** Throws AnalysisStopped if the current analysis has run past its deadline. */
export function checkBudget(): void {
  if (active !== null) checkDeadline(active.deadline);
}

let ticks = 0;

/** For inner loops (tree walks, parent lookups): looks at the clock every 256 calls. */
export function tick(): void {
  if ((++ticks & 255) === 0 && active !== null && active.deadline) checkDeadline(active.deadline);
}

/**
 * A table named `name` that lives as long as the current analysis of `tree`, for memoising
 * answers about its nodes (keyed by node id); null outside one (then compute afresh).
 */
export function tableFor<V>(tree: Tree, name: string): Map<unknown, V> | null {
  if (active === null || active.tree !== tree) return null;
  let t = active.tables.get(name);
  if (!t) active.tables.set(name, (t = new Map()));
  return t as Map<unknown, V>;
}
