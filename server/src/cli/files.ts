// Finding the Go files a scan covers: folders recursively, `dir/...` patterns, single files;
// vendor/, testdata/, hidden and underscore folders and .gitignore'd paths are skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export interface DiscoverOptions {
  /** Globs (relative to `root`) to leave out. */
  exclude: string[];
  root: string;
  useGitignore: boolean;
}

export interface Discovery {
  files: string[];
  /** Paths given that do not exist or cannot be read. */
  missing: string[];
}

const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

export function discoverGoFiles(inputs: string[], opts: DiscoverOptions): Discovery {
  const files = new Set<string>();
  const missing: string[] = [];
  const excluded = opts.exclude.length ? picomatch(opts.exclude, { dot: true }) : null;
  const isExcluded = (abs: string) => !!excluded && excluded(toPosix(path.relative(opts.root, abs)));
  for (const input of inputs) {
    const target = path.resolve(input.replace(/(^|[\\/])\.\.\.$/, '$1') || '.');
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch {
      missing.push(input);
      continue;
    }
    if (stat.isFile()) {
      files.add(target); // named explicitly: scanned even if ignored
    } else if (stat.isDirectory()) {
      walk(target, opts, isExcluded, files);
    }
  }
  return { files: [...files].sort(), missing };
}

interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

function walk(start: string, opts: DiscoverOptions, isExcluded: (abs: string) => boolean, out: Set<string>): void {
  const seen = new Set<string>();
  const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: start, layers: opts.useGitignore ? parentIgnores(start) : [] }];
  while (stack.length) {
    const { dir, layers: inherited } = stack.pop()!;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue; // symlink loops
    seen.add(real);
    const layers = opts.useGitignore ? withIgnoreFile(dir, inherited) : inherited;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable or deleted mid-scan
    }
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const isDir = e.isDirectory() || (e.isSymbolicLink() && isDirectory(abs));
      if (isDir) {
        if (SKIP_DIRS.has(e.name) || e.name.startsWith('.') || e.name.startsWith('_')) continue;
        if (ignored(abs, true, layers) || isExcluded(abs)) continue;
        stack.push({ dir: abs, layers });
      } else if (e.name.endsWith('.go') && (e.isFile() || e.isSymbolicLink())) {
        if (ignored(abs, false, layers) || isExcluded(abs)) continue;
        out.add(abs);
      }
    }
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function withIgnoreFile(dir: string, layers: IgnoreLayer[]): IgnoreLayer[] {
  try {
    const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    return [...layers, { dir, ig: ignore().add(text) }];
  } catch {
    return layers;
  }
}

/** .gitignore files between the repository root (the folder with .git) and `dir`, exclusive of `dir`. */
function parentIgnores(dir: string): IgnoreLayer[] {
  if (fs.existsSync(path.join(dir, '.git'))) return []; // a repository's own root: nothing above it applies
  const chain: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    chain.unshift(d);
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  if (!fs.existsSync(path.join(chain[0], '.git'))) return [];
  return chain.reduce<IgnoreLayer[]>((layers, d) => withIgnoreFile(d, layers), []);
}

function ignored(abs: string, isDir: boolean, layers: IgnoreLayer[]): boolean {
  for (const { dir, ig } of layers) {
    const rel = toPosix(path.relative(dir, abs));
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Why a folder scan of `root` leaves `file` out — it sits in vendor/, testdata/, a hidden or
 * underscore folder, or .gitignore ignores it — or null. For a single file an editor opens or
 * a watcher reports, so that it is treated exactly as the scan treats it.
 */
export function skippedByDiscovery(file: string, root: string, useGitignore: boolean): string | null {
  const rel = path.relative(root, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const dirs = rel.split(path.sep).slice(0, -1);
  for (const d of dirs) {
    if (d === 'vendor') return 'vendored file (vendor/)';
    if (SKIP_DIRS.has(d)) return `in ${d}/`;
    if (d.startsWith('.') || d.startsWith('_')) return `in ${d}/ (folders starting with . or _ are skipped)`;
  }
  if (!useGitignore) return null;
  let layers = parentIgnores(root);
  let dir = root;
  for (const d of ['', ...dirs]) {
    dir = d ? path.join(dir, d) : dir;
    if (d && ignored(dir, true, layers)) return 'ignored by .gitignore';
    layers = withIgnoreFile(dir, layers);
  }
  return ignored(file, false, layers) ? 'ignored by .gitignore' : null;
}
