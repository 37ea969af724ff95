// Materialises a pinned commit of a corpus repository as a plain folder: only what the linter
// reads (Go files, go.mod, go.work, .gitignore), straight from a git directory brought by the
// search tool's `fetch`. Blobs a snapshot lacks (its largest files) are skipped and counted.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MIRRORS = process.env.LEAKLINT_MIRRORS ?? '/work/.mirror';

export function gitDirOf(repo: string): string {
  return path.join(MIRRORS, repo.replace('/', '+'), 'repo');
}

/** Runs git; with `orEmpty`, a failure (e.g. no such file at that commit) gives ''. */
export function git(gitDir: string, args: string[], orEmpty = false): string {
  const r = spawnSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && orEmpty) return '';
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

const WANTED = (p: string) => p.endsWith('.go') || ['go.mod', 'go.work', '.gitignore'].includes(path.basename(p));

/**
 * Writes the wanted files of `commit` (optionally only under `dirs`) into `out`.
 * Returns how many files were written and how many blobs the snapshot lacks.
 */
export async function materialize(gitDir: string, commit: string, out: string, dirs?: string[]): Promise<{ files: number; missing: number }> {
  // With `dirs`, only the files directly in those folders (one Go package each), not below them.
  const marker = path.join(out, '.leaklint-corpus-complete');
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
  fs.rmSync(out, { recursive: true, force: true });
  const listing = git(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit, ...(dirs ?? []).map((d) => (d === '.' ? '.' : `${d}/`))]);
  const entries: { obj: string; file: string }[] = [];
  for (const e of listing.split('\0')) {
    const tab = e.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, obj] = e.slice(0, tab).split(' ');
    const file = e.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || !WANTED(file)) continue;
    if (dirs && !dirs.includes(path.posix.dirname(file))) continue;
    entries.push({ obj, file });
  }
  // Module files above the chosen folders decide the Go version: take every go.mod on the way up.
  if (dirs) {
    for (const d of dirs) {
      for (let up = path.posix.dirname(d); ; up = path.posix.dirname(up)) {
        const mod = up === '.' ? 'go.mod' : `${up}/go.mod`;
        const line = git(gitDir, ['ls-tree', '--full-tree', commit, mod]).trim();
        const m = /^\S+ blob (\S+)\t/.exec(line);
        if (m && !entries.some((x) => x.file === mod)) entries.push({ obj: m[1], file: mod });
        if (up === '.') break;
      }
    }
  }
  const missing = await catFiles(gitDir, entries, out);
  const result = { files: entries.length - missing, missing };
  // A checkout has a .git folder: it makes .gitignore files above the folder (this repository's own) not apply.
  fs.mkdirSync(path.join(out, '.git'), { recursive: true });
  fs.writeFileSync(marker, JSON.stringify(result));
  return result;
}

/** Streams blobs through one `git cat-file --batch`; returns how many were missing. */
function catFiles(gitDir: string, entries: { obj: string; file: string }[], out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = Buffer.alloc(0);
    let i = 0;
    let missing = 0;
    proc.stdout.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const nl = buf.indexOf(10);
        if (nl < 0) return;
        const header = buf.subarray(0, nl).toString().split(' ');
        if (header[1] === 'missing') {
          missing++;
          i++;
          buf = buf.subarray(nl + 1);
          continue;
        }
        const size = Number(header[2]);
        if (buf.length < nl + 1 + size + 1) return;
        const dst = path.join(out, entries[i++].file);
        fs.mkdirSync(path.dirname(dst), { recursive: true });
        fs.writeFileSync(dst, buf.subarray(nl + 1, nl + 1 + size));
        buf = buf.subarray(nl + 1 + size + 1);
      }
    });
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(missing) : reject(new Error(`git cat-file exited ${code}`))));
    proc.stdin.end(entries.map((e) => e.obj).join('\n') + '\n');
  });
}
