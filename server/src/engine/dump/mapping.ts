// Maps a frame (function symbol + the path on the machine that built the binary) onto a
// file of the workspace, two ways, and never by guessing:
//  1. module path: the package path in the symbol under a go.mod's module line → that
//     module's folder + the package's sub-path + the frame's file name, if that file exists;
//  2. path suffix: the workspace file sharing the longest trailing run of path elements with
//     the frame's path (at least folder/file, or the whole workspace-relative path), if no
//     other file shares as long a run.
// A mapped file must also be long enough to have the frame's line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGoMod } from '../modules';
import { isStdlib, packagePath } from './classify';

export interface Mapped {
  /** Absolute path in the workspace. */
  file: string;
  how: 'module' | 'suffix';
}

interface Module {
  path: string;
  dir: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
/** Workspaces larger than this are indexed partly (and the report says so). */
export const MAX_INDEXED_FILES = 200_000;
const CACHE_LIMIT = 50_000;

/** What the site grouping needs from a workspace (one folder, or several). */
export interface FrameMapper {
  readonly root: string;
  readonly truncatedIndex: boolean;
  isUserFunc(func: string): boolean;
  map(func: string, file: string, line: number): Mapped | null;
  lineText(file: string, line: number): string;
}

/** Several workspace folders: a frame maps onto the first folder that has it. */
export class WorkspaceMaps implements FrameMapper {
  readonly root: string;
  constructor(private readonly maps: WorkspaceMap[]) {
    this.root = maps.map((m) => m.root).join(', ');
  }
  get truncatedIndex(): boolean {
    return this.maps.some((m) => m.truncatedIndex);
  }
  isUserFunc(func: string): boolean {
    return this.maps.length ? this.maps.some((m) => m.isUserFunc(func)) : true;
  }
  map(func: string, file: string, line: number): Mapped | null {
    for (const m of this.maps) {
      const hit = m.map(func, file, line);
      if (hit) return hit;
    }
    return null;
  }
  lineText(file: string, line: number): string {
    return this.maps[0]?.lineText(file, line) ?? '';
  }
}

export class WorkspaceMap implements FrameMapper {
  readonly modules: Module[] = [];
  private readonly files = new Set<string>();
  /** File name → workspace-relative paths split into elements. */
  private readonly byName = new Map<string, string[][]>();
  private readonly lineCounts = new Map<string, number>();
  private readonly cache = new Map<string, Map<number, Map<string, Mapped | null>>>();
  truncatedIndex = false;

  constructor(readonly root: string) {
    this.index();
    this.modules.sort((a, b) => b.path.length - a.path.length);
  }

  /** Module paths without a dot (e.g. `module myapp`): frames of those packages are the user's, not the standard library's. */
  private dotless: string[] | undefined;
  private readonly userFuncs = new Map<string, boolean>();

  isUserFunc(func: string): boolean {
    let user = this.userFuncs.get(func);
    if (user === undefined) {
      this.dotless ??= this.modules.map((m) => m.path).filter((p) => !p.split('/', 1)[0].includes('.'));
      user = !isStdlib(func, this.dotless);
      if (this.userFuncs.size > CACHE_LIMIT) this.userFuncs.clear();
      this.userFuncs.set(func, user);
    }
    return user;
  }

  map(func: string, file: string, line: number): Mapped | null {
    // Nested maps: no key string is built per frame (this runs for every goroutine of the dump).
    let byLine = this.cache.get(file);
    if (!byLine) {
      if (this.cache.size > CACHE_LIMIT) this.cache.clear();
      this.cache.set(file, (byLine = new Map()));
    }
    let byFunc = byLine.get(line);
    if (!byFunc) byLine.set(line, (byFunc = new Map()));
    let mapped = byFunc.get(func);
    if (mapped === undefined) {
      mapped = this.byModule(func, file, line) ?? this.bySuffix(file, line);
      byFunc.set(func, mapped);
    }
    return mapped;
  }

  private byModule(func: string, file: string, line: number): Mapped | null {
    let pkg = packagePath(func);
    if (pkg.endsWith('_test')) pkg = pkg.slice(0, -'_test'.length);
    const name = baseName(file);
    for (const m of this.modules) {
      if (pkg !== m.path && !pkg.startsWith(m.path + '/')) continue;
      const candidate = path.join(m.dir, ...pkg.slice(m.path.length).split('/').filter(Boolean), name);
      if (this.files.has(candidate) && this.hasLine(candidate, line)) return { file: candidate, how: 'module' };
      return null; // the longest matching module owns the package: no other module may claim it
    }
    return null;
  }

  private bySuffix(file: string, line: number): Mapped | null {
    const parts = file.split(/[\\/]+/).filter(Boolean);
    const candidates = this.byName.get(parts[parts.length - 1] ?? '');
    if (!candidates) return null;
    let best = 0;
    let winners: string[][] = [];
    for (const c of candidates) {
      let n = 0;
      while (n < c.length && n < parts.length && c[c.length - 1 - n] === parts[parts.length - 1 - n]) n++;
      // Enough evidence: folder and file, or the whole workspace-relative path (a file at the root).
      if (n < 2 && n < c.length) continue;
      if (n > best) {
        best = n;
        winners = [c];
      } else if (n === best) {
        winners.push(c);
      }
    }
    if (winners.length !== 1) return null; // none, or ambiguous: no guessing
    const abs = path.join(this.root, ...winners[0]);
    return this.hasLine(abs, line) ? { file: abs, how: 'suffix' } : null;
  }

  private readonly texts = new Map<string, string[]>();

  /** A line of a workspace file (1-based), '' if it cannot be read; a few files are kept. */
  lineText(file: string, line: number): string {
    let lines = this.texts.get(file);
    if (!lines) {
      try {
        lines = fs.readFileSync(file, 'utf8').split('\n');
      } catch {
        lines = [];
      }
      if (this.texts.size >= 64) this.texts.delete(this.texts.keys().next().value!);
      this.texts.set(file, lines);
    }
    return lines[line - 1] ?? '';
  }

  private hasLine(file: string, line: number): boolean {
    let n = this.lineCounts.get(file);
    if (n === undefined) {
      try {
        const buf = fs.readFileSync(file);
        n = 1;
        for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
      } catch {
        n = 0;
      }
      this.lineCounts.set(file, n);
    }
    return line >= 1 && line <= n;
  }

  private index(): void {
    const stack = [this.root];
    const seen = new Set<string>();
    while (stack.length) {
      const dir = stack.pop()!;
      let real: string;
      try {
        real = fs.realpathSync(dir);
      } catch {
        continue;
      }
      if (seen.has(real)) continue;
      seen.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(abs);
        } else if (e.name === 'go.mod') {
          try {
            const mod = parseGoMod(fs.readFileSync(abs, 'utf8')).module;
            if (mod) this.modules.push({ path: mod, dir });
          } catch {
            // unreadable go.mod: its module is mapped by suffix only
          }
        } else if (e.name.endsWith('.go') || e.name.endsWith('.s')) {
          if (this.files.size >= MAX_INDEXED_FILES) {
            this.truncatedIndex = true;
            return;
          }
          this.files.add(abs);
          const rel = path.relative(this.root, abs).split(path.sep);
          const list = this.byName.get(e.name);
          if (list) list.push(rel);
          else this.byName.set(e.name, [rel]);
        }
      }
    }
  }
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(i + 1);
}
