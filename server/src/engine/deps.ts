// Facts of the packages a file imports: the same summaries the package index keeps for the
// file's own package, read from the dependency's source (same module, go.work, vendor/,
// replace folders, the module cache). Findings are never reported inside a dependency: its
// files are only summarised, and only those that can hold a fact are parsed at all.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { GO_STMT, MAKE_CHAN } from './go/hints';
import { field, namedChildren, type Node } from './go/syntax';
import { ModuleResolver } from './modules';
import { funcMayHoldFacts, ownerTypesIn, PackageIndex, summarize, type FileSummary } from './package-index';
import { blankFunctionBodies } from './quiet';

export interface ImportSpec {
  /** The name the file uses: the explicit one, or null to take the package's own name. */
  name: string | null;
  path: string;
}

export interface ImportedPackage {
  alias: string;
  importPath: string;
  dir: string;
  index: PackageIndex;
}

/** What a dependency's facts were read from, so a cached result can tell when they change. */
export interface DepStamp {
  dir: string;
  /** A module-cache folder (module@version) never changes: no need to look again. */
  immutable: boolean;
  /** The folder's non-test .go files, names, sizes and times, in one string (see folderDigest). */
  digest: string;
}

interface FileStat {
  path: string;
  mtimeMs: number;
  size: number;
}

function digestOf(files: FileStat[]): string {
  return files.map((f) => `${path.basename(f.path)}:${f.size}:${f.mtimeMs}`).sort().join('|');
}

/** The digest of a folder as it is now ('' when it cannot be read). */
export function folderDigest(dir: string): string {
  try {
    const files: FileStat[] = [];
    for (const n of fs.readdirSync(dir)) {
      if (!n.endsWith('.go') || n.endsWith('_test.go')) continue;
      const st = fs.statSync(path.join(dir, n));
      if (st.isFile()) files.push({ path: n, mtimeMs: st.mtimeMs, size: st.size });
    }
    return digestOf(files);
  } catch {
    return '';
  }
}

/** The import specs of a file (dot and blank imports and cgo's "C" left out). */
export function importSpecs(root: Node, decls: Iterable<Node> = namedChildren(root)): ImportSpec[] {
  const out: ImportSpec[] = [];
  for (const decl of decls) {
    if (decl.type !== 'import_declaration') continue;
    for (const spec of decl.descendantsOfType('import_spec')) {
      if (!spec) continue;
      const p = field(spec, 'path')?.text.replace(/^["`]|["`]$/g, '');
      const name = field(spec, 'name')?.text ?? null;
      if (!p || p === 'C' || name === '_' || name === '.') continue;
      out.push({ name, path: p });
    }
  }
  return out;
}

/** A func line with `chan` after its parameters: the only kind of file that can export a result-chan fact. */
const RETURNS_CHAN = /^func\b[^\n]*\)[^\n]*\bchan\b[^\n]*\{[ \t]*$/m;
const PACKAGE_CLAUSE = /^\s*package\s+([A-Za-z_]\w*)/m;
/** `func NewX(...) *X` / `(X, error)`: exported constructors, found by text (no parse needed). */
const CONSTRUCTOR = /^func\s+([A-Z]\w*)\s*(?:\[[^\]\n]*\])?\([^\n]*?\)\s*\(?\s*\*?([A-Z]\w*)\b(?!\.)/gm;

/** A dependency's facts as one thread read them, for the others (plain data: it crosses threads). */
export interface SharedDep {
  dir: string;
  read: { summaries: FileSummary[]; name: string; stamp: DepStamp } | null;
}

export class DependencyIndex {
  private readonly packages = new Map<string, { index: PackageIndex; name: string; stamp: DepStamp } | null>();
  /** Told of each package read from disk here, so that other scan threads need not read it again. */
  onRead?: (dep: SharedDep) => void;
  /**
   * Asked before a package is read from disk: its facts as another scan thread read them (null:
   * unreadable), or undefined to read it here (then onRead is told). Set by scan workers (dep-claims.ts).
   */
  fromPeers?: (dir: string) => SharedDep['read'] | undefined;
  /** Imports that could not be resolved, once each (for --verbose and the output channel). */
  readonly unresolved = new Map<string, string>();

  constructor(
    private readonly parse: (source: string) => Tree,
    readonly resolver = new ModuleResolver(),
  ) {}

  /** The packages `specs` name, as imported from a file in `fileDir`, with what their facts came from. */
  importsFor(fileDir: string, specs: ImportSpec[]): { imports: Map<string, ImportedPackage>; stamps: DepStamp[] } {
    const imports = new Map<string, ImportedPackage>();
    const stamps: DepStamp[] = [];
    for (const spec of specs) {
      const r = this.resolver.resolve(fileDir, spec.path);
      if (r.dir === null) {
        if (r.reason !== 'standard library') this.unresolved.set(spec.path, r.reason);
        continue;
      }
      if (path.resolve(r.dir) === path.resolve(fileDir)) continue;
      const pkg = this.load(r.dir, r.immutable);
      if (!pkg) continue;
      stamps.push(pkg.stamp);
      if (pkg.index.resultChans.size === 0 && pkg.index.ctxParkers.size === 0) continue;
      const alias = spec.name ?? pkg.name;
      imports.set(alias, { alias, importPath: spec.path, dir: r.dir, index: pkg.index });
    }
    return { imports, stamps };
  }

  /**
   * Takes a package's facts from its own analysis (its summaries, all its non-test files), so
   * that packages importing it later in the same scan need not read it again.
   */
  adopt(dir: string, summaries: FileSummary[], files: FileStat[]): void {
    if (this.packages.has(dir)) return;
    const own = summaries.filter((s) => !s.path.endsWith('_test.go'));
    const name = own[0]?.packageName;
    if (!name || own.some((s) => s.packageName !== name)) return;
    const stamp: DepStamp = { dir, immutable: false, digest: digestOf(files.filter((f) => !f.path.endsWith('_test.go'))) };
    this.packages.set(dir, { index: new PackageIndex(own), name, stamp });
    if (!this.full.has(dir)) this.full.set(dir, { index: this.packages.get(dir)!.index, stamp });
  }

  /** Packages read in full (every non-test file), for the owner facts of their constructors. */
  private readonly full = new Map<string, { index: PackageIndex; stamp: DepStamp } | null>();

  /**
   * The index of an imported package with the facts of all its non-test files, for the owner
   * facts of a package whose types hold values that package's constructors make
   * (PackageIndex.linkOwners). Read only when asked: most packages never need it.
   */
  ownerIndex(fromDir: string, importPath: string, named: boolean, qualifier: string, onStamp?: (stamp: DepStamp) => void): PackageIndex | null {
    const r = this.resolver.resolve(fromDir, importPath);
    if (r.dir === null || path.resolve(r.dir) === path.resolve(fromDir)) return null;
    const dir = r.dir;
    if (!this.full.has(dir)) this.full.set(dir, this.readAll(dir, r.immutable));
    const pkg = this.full.get(dir) ?? null;
    if (pkg) onStamp?.(pkg.stamp); // a cached result that used these facts must be redone when they change
    return pkg && (named || pkg.index.packageName === qualifier) ? pkg.index : null;
  }

  private readAll(dir: string, immutable: boolean): { index: PackageIndex; stamp: DepStamp } | null {
    try {
      const summaries: FileSummary[] = [];
      const files: FileStat[] = [];
      const texts: [string, string][] = [];
      for (const file of packageFiles(dir, files)) {
        const text = fs.readFileSync(file, 'utf8');
        if (text.includes('func ')) texts.push([file, text]);
      }
      // As a package's own scan does: owner facts only of the types whose facts are read (those
      // with a stop method), and the bodies that cannot hold them blanked (quiet.ts).
      const ownerTypes = ownerTypesIn(texts.map(([, text]) => text));
      for (const [file, text] of texts) {
        let parsed = blankFunctionBodies(text, (func) => funcMayHoldFacts(func, ownerTypes));
        let tree = this.parse(parsed);
        if (parsed !== text && tree.rootNode.hasError) {
          tree.delete();
          tree = this.parse((parsed = text));
        }
        try {
          summaries.push(summarize(file, tree, parsed, undefined, ownerTypes, text));
        } finally {
          tree.delete();
        }
      }
      const name = summaries.find((s) => s.packageName !== 'main')?.packageName ?? summaries[0]?.packageName;
      return name ? { index: new PackageIndex(summaries.filter((s) => s.packageName === name)), stamp: { dir, immutable, digest: digestOf(files) } } : null;
    } catch {
      return null; // unreadable: no facts, no guess
    }
  }

  /** A package another thread read (onRead there): kept unless read here already. */
  share(dep: SharedDep): void {
    if (this.packages.has(dep.dir)) return;
    this.packages.set(dep.dir, dep.read && { index: new PackageIndex(dep.read.summaries), name: dep.read.name, stamp: dep.read.stamp });
  }

  /** Forget everything read (go.mod, go.work or a dependency changed). */
  clear(): void {
    this.full.clear();
    this.packages.clear();
    this.unresolved.clear();
    this.resolver.clear();
  }

  private load(dir: string, immutable: boolean): { index: PackageIndex; name: string; stamp: DepStamp } | null {
    const known = this.packages.get(dir);
    if (known !== undefined) return known;
    const peer = this.fromPeers?.(dir);
    if (peer !== undefined) {
      const taken = peer && { index: new PackageIndex(peer.summaries), name: peer.name, stamp: peer.stamp };
      this.packages.set(dir, taken);
      return taken;
    }
    let result: { index: PackageIndex; name: string; stamp: DepStamp } | null = null;
    let read: SharedDep['read'] = null;
    try {
      const files: FileStat[] = [];
      const summaries: FileSummary[] = [];
      let name = '';
      for (const file of packageFiles(dir, files)) {
        const buf = fs.readFileSync(file);
        name ||= PACKAGE_CLAUSE.exec(buf.subarray(0, 8192).toString('utf8'))?.[1] ?? '';
        // Most files cannot hold a fact: look at the bytes before decoding or parsing anything.
        // Only files that can export a fact are parsed: a func returning a channel its goroutine
        // feeds, or a goroutine parked on a context's Done.
        const chanFacts = buf.includes('make(') && buf.includes('chan');
        const parkFacts = buf.includes('.Done()');
        if (!buf.includes('go ') || (!chanFacts && !parkFacts)) continue;
        const text = buf.toString('utf8');
        if (!GO_STMT.test(text) || !((MAKE_CHAN.test(text) && RETURNS_CHAN.test(text)) || parkFacts)) continue;
        // Only functions that can hold a fact need their bodies parsed (quiet.ts): the others are blanked.
        let parsed = blankFunctionBodies(text, (func) => funcMayHoldFacts(func, NO_TYPES));
        let tree = this.parse(parsed);
        if (parsed !== text && tree.rootNode.hasError) {
          tree.delete();
          tree = this.parse((parsed = text));
        }
        try {
          // No owner facts: they are read only in their own package.
          summaries.push(summarize(file, tree, parsed, undefined, NO_TYPES, text));
        } finally {
          tree.delete();
        }
      }
      const mine = summaries.filter((s) => s.packageName === name);
      // Constructors matter only where there is a fact to reach through them.
      const stamp: DepStamp = { dir, immutable, digest: digestOf(files) };
      if (mine.some((s) => s.resultChans.length || s.ctxParkers?.length)) mine.push(constructorsOf(dir, files, name));
      if (name) {
        result = { index: new PackageIndex(mine), name, stamp };
        read = { summaries: mine, name, stamp };
      }
    } catch {
      result = null; // unreadable: no facts, no guess
    }
    this.packages.set(dir, result);
    // Also when unreadable: a thread waiting for this read must not wait in vain.
    this.onRead?.({ dir, read });
    return result;
  }
}

const NO_TYPES: ReadonlySet<string> = new Set();

/** Exported constructors of a package, by text: `func NewX(...) *X` makes an X. */
function constructorsOf(dir: string, files: FileStat[], name: string): FileSummary {
  const constructors: { key: string; type: string }[] = [];
  for (const f of files) {
    if (f.size > 2 * 1024 * 1024) continue;
    const text = fs.readFileSync(f.path, 'utf8');
    for (const m of text.matchAll(CONSTRUCTOR)) constructors.push({ key: m[1], type: m[2] });
  }
  return { path: dir, packageName: name, resultChans: [], endless: [], packageVars: [], constructors };
}

/** True when the folder is as the stamp saw it (module-cache folders are not looked at). */
export function stampUnchanged(stamp: DepStamp, digestNow: (dir: string) => string = folderDigest): boolean {
  return stamp.immutable || digestNow(stamp.dir) === stamp.digest;
}

/** The non-test .go files of a folder, each stat'ed into `files`; those over 2 MB are listed there but not yielded. */
function* packageFiles(dir: string, files: FileStat[]): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.go') || entry.name.endsWith('_test.go')) continue;
    const file = path.join(dir, entry.name);
    const stat = fs.statSync(file);
    files.push({ path: file, mtimeMs: stat.mtimeMs, size: stat.size });
    if (stat.size <= 2 * 1024 * 1024) yield file;
  }
}
