// Go import path → package folder, found the way the go command does in module mode (main module, go.work,
// vendor/, replace directives, module cache) but by reading files only: the go command is never run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ResolvedKind = 'module' | 'workspace' | 'vendor' | 'replace' | 'modcache';
export type Resolution =
  | {
      dir: string;
      kind: ResolvedKind;
      /** The module path the import resolves under (before any replacement). */
      modulePath: string;
      /** Version of the files in `dir` (the replacement's for a non-local replace); null for local folders. */
      version: string | null;
      /** true for module-cache folders (module@version never changes) */
      immutable: boolean;
    }
  | { dir: null; reason: string };

export interface Replace {
  from: string;
  fromVersion: string | null;
  to: string;
  toVersion: string | null;
}
export interface GoMod {
  module: string | null;
  go: string | null;
  requires: Map<string, string>;
  replaces: Replace[];
}
export interface GoWork {
  uses: string[];
  replaces: Replace[];
}

/** Module-cache case encoding: every upper-case letter becomes '!' + its lower case ("github.com/Azure/x" -> "github.com/!azure/x"). */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

// go.mod tokens: quoted strings, `=>`, parentheses, `//` (comment to end of line), and bare words.
const TOKEN = /"(?:[^"\\]|\\.)*"|`[^`]*`|=>|[()]|\/\/|(?:[^\s()"`/=]|\/(?!\/)|=(?!>))+/g;

function tokens(line: string): string[] {
  const out: string[] = [];
  for (const [t] of line.matchAll(TOKEN)) {
    if (t === '//') break;
    out.push(t[0] === '"' ? unquote(t) : t[0] === '`' ? t.slice(1, -1) : t);
  }
  return out;
}

function unquote(t: string): string {
  try {
    return JSON.parse(t) as string;
  } catch {
    return t.slice(1, -1); // a Go escape JSON does not know (\x41): close enough for a path
  }
}

/** Each directive as [verb, ...args]; lines of a `verb ( ... )` block come out as [verb, ...line]. */
function* directives(text: string): Generator<string[]> {
  let block: string | null = null;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const t = tokens(line);
    if (t.length === 0) continue;
    if (block !== null) {
      if (t[0] === ')') block = null;
      else yield [block, ...t];
    } else if (t.length === 2 && t[1] === '(') block = t[0];
    else yield t;
  }
}

function parseReplace(args: string[]): Replace | null {
  const arrow = args.indexOf('=>');
  const lhs = args.slice(0, arrow);
  const rhs = args.slice(arrow + 1);
  if (arrow < 1 || lhs.length > 2 || rhs.length < 1 || rhs.length > 2) return null;
  return { from: lhs[0], fromVersion: lhs[1] ?? null, to: rhs[0], toVersion: rhs[1] ?? null };
}

/** Parse a go.mod file's text: module path, go version, require (path -> version), replace directives. Never throws. */
export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { module: null, go: null, requires: new Map(), replaces: [] };
  for (const [verb, ...args] of directives(text)) {
    if (verb === 'module' && args.length >= 1) mod.module = args[0];
    else if (verb === 'go' && args.length >= 1) mod.go = args[0];
    else if (verb === 'require' && args.length >= 2) mod.requires.set(args[0], args[1]);
    else if (verb === 'replace') {
      const r = parseReplace(args);
      if (r) mod.replaces.push(r);
    }
  }
  return mod;
}

/** Parse go.work: `use` directives (single and block form) and replace directives. Never throws. */
export function parseGoWork(text: string): GoWork {
  const work: GoWork = { uses: [], replaces: [] };
  for (const [verb, ...args] of directives(text)) {
    if (verb === 'use' && args.length >= 1) work.uses.push(args[0]);
    else if (verb === 'replace') {
      const r = parseReplace(args);
      if (r) work.replaces.push(r);
    }
  }
  return work;
}

function stat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
const isDir = (p: string) => stat(p)?.isDirectory() === true;
const isFile = (p: string) => stat(p)?.isFile() === true;

/** Rejects paths that could climb out of a root when joined to it ("a/../../x", "/x", "a\\b"). */
const validPath = (p: string) => p !== '' && !/[\\\0]/.test(p) && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
const validVersion = (v: string) => /^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(v);
/** Standard library (or an unknown dotless path): no dot in the first element. */
const stdLike = (p: string) => !p.split('/')[0].includes('.');
/** modfile.IsDirectoryPath: a replacement naming a folder rather than a module. */
const isLocal = (to: string) => /^(\.\.?([/\\]|$)|[/\\]|[A-Za-z]:[/\\])/.test(to);
const STD: Resolution = { dir: null, reason: 'standard library' };

/** Semantic version order (MVS keeps the highest of the versions required across workspace modules). */
function compareVersions(a: string, b: string): number {
  const re = /^v(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?/;
  const x = re.exec(a);
  const y = re.exec(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
  if (x[4] === undefined || y[4] === undefined) return (x[4] === undefined ? 1 : 0) - (y[4] === undefined ? 1 : 0);
  const xs = x[4].split('.');
  const ys = y[4].split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    if (i >= xs.length || i >= ys.length) return xs.length - ys.length;
    const [p, q] = [xs[i], ys[i]];
    const [pn, qn] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    if (pn && qn && Number(p) !== Number(q)) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

interface Main {
  path: string;
  root: string;
  kind: 'module' | 'workspace';
}
/** What a module root's files say, built once per root. */
interface Context {
  error: string | null;
  mains: Map<string, Main>;
  /** Build list approximation: module path -> highest required version ('' when only a replace names it). */
  provides: Map<string, string>;
  /** Replace directives per file, highest precedence first, with the folder a local target is relative to. */
  replaces: { rep: Replace; dir: string }[][];
  vendor: string | null;
  results: Map<string, Resolution>;
}

export class ModuleResolver {
  private readonly env: NodeJS.ProcessEnv;
  private readonly cacheRoot: string;
  private readonly mods = new Map<string, GoMod | string>(); // go.mod file -> parse, or why it could not be read
  private readonly works = new Map<string, GoWork | string>();
  private readonly roots = new Map<string, string | null>(); // folder -> its module root
  private readonly contexts = new Map<string, Context>();

  constructor(opts: { env?: NodeJS.ProcessEnv; homedir?: string } = {}) {
    this.env = opts.env ?? process.env;
    const gopath = (this.env.GOPATH ?? '').split(path.delimiter).find(Boolean);
    this.cacheRoot = this.env.GOMODCACHE || path.join(gopath ?? path.join(opts.homedir ?? os.homedir(), 'go'), 'pkg', 'mod');
  }

  /** Folder of the Go package `importPath` as imported by a file in folder `fromDir`. Never throws. */
  resolve(fromDir: string, importPath: string): Resolution {
    if (importPath === 'C') return { dir: null, reason: 'cgo pseudo-package' };
    if (!validPath(importPath)) return { dir: null, reason: `invalid import path: ${JSON.stringify(importPath)}` };
    try {
      const root = this.moduleRoot(path.resolve(fromDir));
      if (root === null) return stdLike(importPath) ? STD : { dir: null, reason: `no go.mod at or above ${fromDir}` };
      const ctx = this.context(root);
      let r = ctx.results.get(importPath);
      if (!r) ctx.results.set(importPath, (r = this.lookup(ctx, importPath)));
      return r;
    } catch (e) {
      return { dir: null, reason: `cannot resolve ${importPath}: ${(e as Error).message}` };
    }
  }

  /** Forget cached go.mod / go.work reads and results (call when any of them, or vendor/, changes). */
  clear(): void {
    this.mods.clear();
    this.works.clear();
    this.roots.clear();
    this.contexts.clear();
  }

  private lookup(ctx: Context, p: string): Resolution {
    if (ctx.error) return stdLike(p) ? STD : { dir: null, reason: ctx.error };
    // The longest module path that is p or a prefix of it; a main module wins a tie.
    let main: Main | undefined;
    let mod: string | undefined;
    for (let m = p; ; m = m.slice(0, m.lastIndexOf('/'))) {
      main = ctx.mains.get(m);
      if (main || ctx.provides.has(m)) {
        if (!main) mod = m;
        break;
      }
      if (!m.includes('/')) break;
    }
    if (main) return at(path.join(main.root, p.slice(main.path.length)), main.kind, main.path, null, `no folder for ${p} in module ${main.path}`);
    if (!mod && stdLike(p)) return STD;
    const version = (mod && ctx.provides.get(mod)) || null;
    if (ctx.vendor && isDir(path.join(ctx.vendor, p))) return at(path.join(ctx.vendor, p), 'vendor', mod ?? p, version, '');
    if (!mod) return { dir: null, reason: `no module in go.mod provides ${p}` };

    const rest = p.slice(mod.length);
    const rep = this.replacement(ctx, mod, version);
    if (rep && isLocal(rep.rep.to)) {
      const dir = path.join(path.resolve(rep.dir, rep.rep.to), rest);
      return at(dir, 'replace', mod, null, `replacement folder not found: ${dir} (replace ${mod} => ${rep.rep.to})`);
    }
    const [mpath, mversion] = rep ? [rep.rep.to, rep.rep.toVersion] : [mod, version];
    if (!mversion) return { dir: null, reason: `no version of ${mpath} to look up for ${p}` };
    if (!validPath(mpath) || !validVersion(mversion)) return { dir: null, reason: `invalid module ${mpath}@${mversion}` };
    const modDir = path.join(this.cacheRoot, escapeModulePath(mpath) + '@' + escapeModulePath(mversion));
    if (!isDir(modDir)) return { dir: null, reason: `not in the module cache: ${mpath}@${mversion} (run go mod download)` };
    return at(path.join(modDir, rest), 'modcache', mod, mversion, `no folder for ${p} in ${mpath}@${mversion}`);
  }

  /** go.work's replaces win over go.mod's; within one file a replace of this exact version beats a versionless one. */
  private replacement(ctx: Context, mod: string, version: string | null) {
    for (const file of ctx.replaces) {
      const hit =
        file.find((r) => r.rep.from === mod && r.rep.fromVersion !== null && r.rep.fromVersion === version) ??
        file.find((r) => r.rep.from === mod && r.rep.fromVersion === null);
      if (hit) return hit;
    }
    return null;
  }

  private moduleRoot(dir: string): string | null {
    const walked: string[] = [];
    let found: string | null = null;
    for (let d = dir; ; d = path.dirname(d)) {
      const hit = this.roots.get(d);
      if (hit !== undefined) {
        found = hit;
        break;
      }
      walked.push(d);
      if (isFile(path.join(d, 'go.mod'))) {
        found = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    for (const d of walked) this.roots.set(d, found);
    return found;
  }

  private load<T>(cache: Map<string, T | string>, file: string, parse: (text: string) => T): T | string {
    let v = cache.get(file);
    if (v === undefined) {
      try {
        v = parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        v = `cannot read ${file}: ${(e as Error).message}`;
      }
      cache.set(file, v);
    }
    return v;
  }

  /** GOWORK=off disables workspaces, an absolute GOWORK names the file; otherwise the nearest go.work at or above root. */
  private workFile(root: string): string | null {
    const gowork = this.env.GOWORK;
    if (gowork === 'off') return null;
    if (gowork && path.isAbsolute(gowork)) return isFile(gowork) ? gowork : null;
    for (let d = root; ; d = path.dirname(d)) {
      if (isFile(path.join(d, 'go.work'))) return path.join(d, 'go.work');
      if (path.dirname(d) === d) return null;
    }
  }

  private context(root: string): Context {
    let ctx = this.contexts.get(root);
    if (ctx) return ctx;
    ctx = { error: null, mains: new Map(), provides: new Map(), replaces: [], vendor: null, results: new Map() };
    this.contexts.set(root, ctx);
    const gomod = path.join(root, 'go.mod');
    const mod = this.load(this.mods, gomod, parseGoMod);
    if (typeof mod === 'string' || !mod.module) {
      ctx.error = typeof mod === 'string' ? mod : `${gomod} has no module directive`;
      return ctx;
    }
    ctx.mains.set(mod.module, { path: mod.module, root, kind: 'module' });
    const modules = [{ mod, root }];
    // A dependency's folder in the module cache: the go command ignores its replaces, vendor/ and any go.work.
    const rel = path.relative(this.cacheRoot, root);
    const dependency = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    const workFile = dependency ? null : this.workFile(root);
    const work = workFile ? this.load(this.works, workFile, parseGoWork) : null;
    if (workFile && work && typeof work !== 'string') {
      const wdir = path.dirname(workFile);
      ctx.replaces.push(work.replaces.map((rep) => ({ rep, dir: wdir })));
      for (const use of work.uses) {
        const uroot = path.resolve(wdir, use);
        const umod = uroot === root ? null : this.load(this.mods, path.join(uroot, 'go.mod'), parseGoMod);
        if (!umod || typeof umod === 'string' || !umod.module || ctx.mains.has(umod.module)) continue;
        ctx.mains.set(umod.module, { path: umod.module, root: uroot, kind: 'workspace' });
        modules.push({ mod: umod, root: uroot });
      }
      ctx.vendor = path.join(wdir, 'vendor'); // `go work vendor` puts it beside go.work
    } else if (!dependency) ctx.vendor = path.join(root, 'vendor');
    for (const m of modules) {
      if (!dependency) ctx.replaces.push(m.mod.replaces.map((rep) => ({ rep, dir: m.root })));
      for (const [p, v] of m.mod.requires) {
        const cur = ctx.provides.get(p);
        if (!cur || compareVersions(v, cur) > 0) ctx.provides.set(p, v);
      }
    }
    for (const file of ctx.replaces) for (const { rep } of file) if (!ctx.provides.has(rep.from)) ctx.provides.set(rep.from, '');
    return ctx;
  }
}

function at(dir: string, kind: ResolvedKind, modulePath: string, version: string | null, missing: string): Resolution {
  if (!isDir(dir)) return { dir: null, reason: missing || `not a folder: ${dir}` };
  return { dir, kind, modulePath, version, immutable: kind === 'modcache' };
}
