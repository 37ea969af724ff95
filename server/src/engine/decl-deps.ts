// What the analysis of one top-level declaration read besides the declaration's own text, so
// that its findings can be reused after an edit elsewhere in the file (incremental.ts).
// Rules reach beyond their declaration in four ways, each recorded here while a declaration
// is analysed:
//  - the package's facts (PackageIndex): every entry read, or a whole table when iterated;
//  - the facts of imported packages (the file's imports map);
//  - the file's line numbers (`ctx.lineOf`, for messages): the declaration's first line;
//  - anything else in the file (the root node's children or text, the siblings of a top-level
//    declaration, `ctx.root`, text searches over the whole file): the declaration is then
//    marked `file`, and its findings are never reused after any change to the file.
import type { PackageIndex } from './package-index';

export type PkgField = 'resultChans' | 'endless' | 'packageVars' | 'constructors' | 'ctxParkers' | 'owners' | 'chanSenders' | 'closedOrShared' | 'ctxStreams' | 'setupUses' | 'packageName';

export interface DeclDeps {
  /** Read something of the file outside the declaration: never reused. */
  file: boolean;
  /** Used line numbers of the file (reused only while the declaration starts on the same line). */
  lines: boolean;
  /** Read the imports map. */
  imports: boolean;
  /** Asked whether the whole file contains a text (or matches a non-global pattern), and the answer. */
  includes: [string | RegExp, boolean][];
  /** Package facts read ("field:e:key" an entry, "field:k" a table's keys, "field:w" a whole table) → fingerprint of what was seen. */
  pkg: Map<string, string>;
  /** The tables of `pkg`'s reads, one bit each (tableBit): most declarations read none of the tables an edit changed. */
  tables: number;
}

export function noDeps(): DeclDeps {
  return { file: false, lines: false, imports: false, includes: [], pkg: new Map(), tables: 0 };
}

let current: DeclDeps | null = null;
let suspended = 0;

/** Runs `f` recording into `deps` (null: not recording). */
export function recordInto<T>(deps: DeclDeps | null, f: () => T): T {
  const outer = current;
  const outerSuspended = suspended;
  current = deps;
  suspended = 0;
  try {
    return f();
  } finally {
    current = outer;
    suspended = outerSuspended;
  }
}

/** Runs `f` without recording: for the engine's own bookkeeping, which reads the file on behalf of a declaration. */
export function unrecorded<T>(f: () => T): T {
  suspended++;
  try {
    return f();
  } finally {
    suspended--;
  }
}

export function isRecording(): boolean {
  return current !== null && suspended === 0;
}

export function noteFileRead(): void {
  if (current && !suspended) {
    current.file = true;
  }
}

export function noteLines(): void {
  if (current && !suspended) current.lines = true;
}

export function noteIncludes(text: string | RegExp, answer: boolean): void {
  if (current && !suspended) current.includes.push([text, answer]);
}

/** `source.includes(text)` for `source` the whole file being analysed, noted as a read of the file. */
export function sourceIncludes(source: string, text: string): boolean {
  const answer = source.includes(text);
  noteIncludes(text, answer);
  return answer;
}

export function noteImports(): void {
  if (current && !suspended) current.imports = true;
}

function notePkg(pkg: PackageIndex, dep: string): void {
  if (current && !suspended && !current.pkg.has(dep)) {
    current.pkg.set(dep, packageRead(pkg, dep));
    current.tables |= tableBit(dep.slice(0, dep.indexOf(':')) as PkgField);
  }
}

export function mergeDeps(into: DeclDeps, from: DeclDeps): void {
  into.file ||= from.file;
  into.lines ||= from.lines;
  into.imports ||= from.imports;
  into.tables |= from.tables;
  for (const i of from.includes) into.includes.push(i);
  for (const [k, v] of from.pkg) into.pkg.set(k, v);
}

/** Adds what `from` recorded to the declaration being recorded now (a memoised answer computed for another). */
export function replay(from: DeclDeps): void {
  if (current && !suspended) mergeDeps(current, from);
}

/** `compute()` and what it read, for memo tables that answer several declarations. */
export function withOwnDeps<T>(compute: () => T): { value: T; deps: DeclDeps } {
  if (!current) return { value: compute(), deps: noDeps() };
  const deps = noDeps();
  const outer = current;
  const outerSuspended = suspended;
  current = deps;
  suspended = 0;
  try {
    return { value: compute(), deps };
  } finally {
    current = outer;
    suspended = outerSuspended;
    if (!suspended) mergeDeps(current, deps);
  }
}

/** A read-only map that records what is read of it. */
class RecordingMap<K extends string, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly pkg: PackageIndex,
    private readonly inner: ReadonlyMap<K, V>,
    private readonly field: PkgField,
  ) {}
  private whole(): ReadonlyMap<K, V> {
    notePkg(this.pkg, `${this.field}:w`);
    return this.inner;
  }
  get(key: K): V | undefined {
    notePkg(this.pkg, `${this.field}:e:${key}`);
    return this.inner.get(key);
  }
  has(key: K): boolean {
    notePkg(this.pkg, `${this.field}:e:${key}`);
    return this.inner.has(key);
  }
  get size(): number {
    notePkg(this.pkg, `${this.field}:k`);
    return this.inner.size;
  }
  keys() {
    notePkg(this.pkg, `${this.field}:k`);
    return this.inner.keys();
  }
  values() {
    return this.whole().values();
  }
  entries() {
    return this.whole().entries();
  }
  forEach(cb: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.whole().forEach(cb, thisArg);
  }
  [Symbol.iterator]() {
    return this.whole()[Symbol.iterator]();
  }
}

/** A read-only set that records what is read of it. */
class RecordingSet<T extends string> implements ReadonlySet<T> {
  constructor(
    private readonly pkg: PackageIndex,
    private readonly inner: ReadonlySet<T>,
    private readonly field: PkgField,
  ) {}
  private whole(): ReadonlySet<T> {
    notePkg(this.pkg, `${this.field}:w`);
    return this.inner;
  }
  has(v: T): boolean {
    notePkg(this.pkg, `${this.field}:e:${v}`);
    return this.inner.has(v);
  }
  get size(): number {
    notePkg(this.pkg, `${this.field}:k`);
    return this.inner.size;
  }
  keys() {
    return this.whole().keys();
  }
  values() {
    return this.whole().values();
  }
  entries() {
    return this.whole().entries();
  }
  forEach(cb: (value: T, key: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    this.whole().forEach(cb, thisArg);
  }
  [Symbol.iterator]() {
    return this.whole()[Symbol.iterator]();
  }
}

/**
 * The package index as rules see it while a declaration is recorded: every read is noted. Its
 * tables are those of `pkg` when read (linkOwners replaces `owners`).
 */
export function recordingView(pkg: PackageIndex): PackageIndex {
  const map = <K extends string, V>(field: PkgField) => new RecordingMap<K, V>(pkg, pkg[field as 'resultChans'] as unknown as ReadonlyMap<K, V>, field);
  const set = (field: PkgField) => new RecordingSet(pkg, pkg[field as 'packageVars'], field);
  const view = {
    get resultChans() {
      return map('resultChans');
    },
    get endless() {
      return map('endless');
    },
    get packageVars() {
      return set('packageVars');
    },
    get constructors() {
      return map('constructors');
    },
    get ctxParkers() {
      return map('ctxParkers');
    },
    get owners() {
      return map('owners');
    },
    get chanSenders() {
      return map('chanSenders');
    },
    get closedOrShared() {
      return set('closedOrShared');
    },
    get ctxStreams() {
      return map('ctxStreams');
    },
    get setupUses() {
      return map('setupUses');
    },
    get packageName() {
      notePkg(pkg, 'packageName:w');
      return pkg.packageName;
    },
    methodsNamed(name: string) {
      notePkg(pkg, 'resultChans:w');
      return pkg.methodsNamed(name);
    },
  };
  return view as unknown as PackageIndex;
}

const FIELDS: readonly PkgField[] = ['resultChans', 'endless', 'packageVars', 'constructors', 'ctxParkers', 'owners', 'chanSenders', 'closedOrShared', 'ctxStreams', 'setupUses', 'packageName'];

/** Fingerprints of reads of an index, made once per index. */
const reads = new WeakMap<PackageIndex, Map<string, string>>();

/** A fingerprint of what reading `dep` ("field:e:key", "field:k", "field:w") of `pkg` gives. */
export function packageRead(pkg: PackageIndex, dep: string): string {
  let memo = reads.get(pkg);
  if (!memo) reads.set(pkg, (memo = new Map()));
  let fp = memo.get(dep);
  if (fp === undefined) {
    const [field, kind] = dep.split(':', 2) as [PkgField, string];
    const table = pkg[field] as unknown;
    if (kind === 'e') {
      const key = dep.slice(field.length + 3);
      fp = table instanceof Set ? String(table.has(key)) : fingerprintOf((table as ReadonlyMap<string, unknown>).get(key));
    } else if (kind === 'k') {
      fp = fingerprintOf([...(table as ReadonlyMap<string, unknown>).keys()]);
    } else {
      fp = fingerprintOf(table);
    }
    memo.set(dep, fp);
  }
  return fp;
}

/** The tables of `pkg` that read differently from `before`'s (all when there is no `before`), one bit each (tableBit). */
export function changedTables(pkg: PackageIndex, before: PackageIndex | null): number {
  if (before === pkg) return 0;
  let out = 0;
  for (const f of FIELDS) if (!before || packageRead(pkg, `${f}:w`) !== packageRead(before, `${f}:w`)) out |= tableBit(f);
  return out;
}

/** Whether every package fact in `deps` of a table in `changed` (changedTables) reads the same in `pkg`. */
export function samePackageReads(deps: DeclDeps, pkg: PackageIndex, changed: number): boolean {
  if (!(deps.tables & changed)) return true;
  for (const [dep, fp] of deps.pkg) {
    if (!(tableBit(dep.slice(0, dep.indexOf(':')) as PkgField) & changed)) continue;
    if (packageRead(pkg, dep) !== fp) return false;
  }
  return true;
}

/** One bit per package table. */
function tableBit(f: PkgField): number {
  return 1 << FIELDS.indexOf(f);
}

/** A string that is equal for equal facts: plain data, Maps and Sets (insertion order kept, which only errs towards "changed"). */
export function fingerprintOf(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Map ? { $map: [...x] } : x instanceof Set ? { $set: [...x] } : x === undefined ? { $undefined: true } : x)) ?? 'undefined';
}
