// Recall on real leak fixes (`npm run corpus -- --fix-commits`): for each commit labelled in
// corpus/fix-commits.tsv, lint the touched packages at the parent and at the fix. A commit is
// caught when a finding (or one of its related locations) lands on lines the fix changed and
// that finding is gone after the fix. Labels say which commits a syntax-only, per-package
// linter could see at all ("detectable"); the figure that matters is caught / detectable.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, gitDirOf, materialize } from './materialize';
import { lint, WORK, type CorpusFinding } from './run';

interface FixCommit {
  repo: string;
  commit: string;
  parent: string;
  detectable: boolean;
  shape: string;
  reason: string;
  subject: string;
}

export interface Outcome extends FixCommit {
  caught: boolean;
  /** Findings at the parent on the changed lines, and whether each is gone at the fix. */
  hits: { file: string; line: number; rule: string; gone: boolean }[];
}

const TSV = path.join(__dirname, 'fix-commits.tsv');
const REPORT_MD = path.join(__dirname, 'FIX-COMMITS.md');
const REPORT_JSON = path.join(__dirname, 'fix-commits-report.json');

export function readFixCommits(): FixCommit[] {
  return fs
    .readFileSync(TSV, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('repo\t'))
    .map((l) => {
      const [repo, commit, parent, detectable, shape, reason, subject] = l.split('\t');
      return { repo, commit, parent, detectable: detectable === 'yes', shape, reason, subject };
    });
}

/** Changed lines on the parent's side, per file: removed or modified lines, and the line an insertion follows. */
function changedLines(gitDir: string, parent: string, commit: string): Map<string, Set<number>> {
  const diff = git(gitDir, ['diff', '-U0', '--no-renames', parent, commit, '--', '*.go']);
  const out = new Map<string, Set<number>>();
  let file: string | null = null;
  for (const line of diff.split('\n')) {
    if (line.startsWith('--- ')) file = line === '--- /dev/null' ? null : line.slice(6);
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (!m || !file || /(^|\/)vendor\//.test(file)) continue;
    const start = Number(m[1]);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    const set = out.get(file) ?? new Set<number>();
    if (count === 0) [start, start + 1].forEach((n) => set.add(n));
    for (let n = start; n < start + count; n++) set.add(n);
    out.set(file, set);
  }
  return out;
}

/** A finding's identity across the two commits: rule, file and message without line numbers. */
const identity = (f: CorpusFinding) => `${f.rule} ${f.file} ${f.message.replace(/\d+/g, '#')}`;

async function check(fc: FixCommit): Promise<Outcome> {
  const gitDir = gitDirOf(fc.repo);
  const changed = changedLines(gitDir, fc.parent, fc.commit);
  const dirs = [...new Set([...changed.keys()].map((f) => path.posix.dirname(f)))];
  // The packages of the same module the touched ones import are there too, as in a checkout:
  // facts of imported packages (engine/deps.ts) are read from their source. Only the touched ones are linted.
  const base = path.join(WORK, 'fix-commits', `${fc.repo.replace('/', '+')}@${fc.commit.slice(0, 12)}+imports`);
  const before = path.join(base, 'parent');
  const after = path.join(base, 'fix');
  await materialize(gitDir, fc.parent, before, [...dirs, ...importedDirs(gitDir, fc.parent, dirs)]);
  await materialize(gitDir, fc.commit, after, [...dirs, ...importedDirs(gitDir, fc.commit, dirs)]);
  const targets = dirs.filter((d) => fs.existsSync(path.join(before, d)) || fs.existsSync(path.join(after, d)));
  const lintDirs = (root: string) => {
    const here = targets.filter((d) => fs.existsSync(path.join(root, d)));
    return here.length ? lint(root, [], here).findings : [];
  };
  const atParent = lintDirs(before);
  // Findings with the same identity (the same message in one file) are counted: one is gone when the fix has fewer.
  const count = (fs: CorpusFinding[]) => fs.reduce((m, f) => m.set(identity(f), (m.get(identity(f)) ?? 0) + 1), new Map<string, number>());
  const atFix = count(lintDirs(after));
  const parentCount = count(atParent);
  const hits: Outcome['hits'] = [];
  for (const f of atParent) {
    // A finding's span or a related location (e.g. the whole loop that never exits) overlaps the change.
    const places = [{ file: f.file, line: f.line, endLine: f.endLine }, ...(f.related ?? [])];
    const touches = (p: { file: string; line: number; endLine?: number }) => {
      const lines = changed.get(p.file);
      for (let n = p.line; lines && n <= (p.endLine ?? p.line); n++) if (lines.has(n)) return true;
      return false;
    };
    if (!places.some(touches)) continue;
    hits.push({ file: f.file, line: f.line, rule: f.rule, gone: (atFix.get(identity(f)) ?? 0) < parentCount.get(identity(f))! });
  }
  return { ...fc, caught: hits.some((h) => h.gone), hits };
}

/** Folders of the same module that the Go files in `dirs` import (one level), at `commit`. */
export function importedDirs(gitDir: string, commit: string, dirs: string[]): string[] {
  const out = new Set<string>();
  for (const dir of dirs) {
    // The module: the nearest go.mod at or above the folder.
    let modDir: string | null = null;
    let modPath = '';
    for (let up = dir; ; up = path.posix.dirname(up)) {
      const file = up === '.' ? 'go.mod' : `${up}/go.mod`;
      const text = git(gitDir, ['show', `${commit}:${file}`], true);
      const m = /^module\s+(\S+)/m.exec(text);
      if (m) {
        modDir = up;
        modPath = m[1];
        break;
      }
      if (up === '.') break;
    }
    if (modDir === null) continue;
    // One `git grep` for the quoted import paths of the module in the folder's own files (not below it).
    const glob = `:(glob)${dir === '.' ? '' : dir + '/'}*.go`;
    const pattern = `"${modPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^"]+"`;
    const found = git(gitDir, ['grep', '-h', '-o', '-E', pattern, commit, '--', glob], true);
    for (const imp of found.split('\n').map((l) => l.replace(/^"|"$/g, '')).filter(Boolean)) {
      const rel = imp.slice(modPath.length + 1);
      const d = modDir === '.' ? rel : `${modDir}/${rel}`;
      if (!dirs.includes(d)) out.add(d);
    }
  }
  return [...out];
}

export async function runFixCommits(only: string[] | null): Promise<void> {
  const outcomes: Outcome[] = [];
  for (const fc of readFixCommits()) {
    if (only && !only.some((o) => fc.repo.includes(o) || fc.commit.startsWith(o))) continue;
    try {
      const o = await check(fc);
      outcomes.push(o);
      if (fc.detectable || o.caught) console.log(`${o.caught ? 'CAUGHT ' : fc.detectable ? 'missed ' : ''}${fc.repo} ${fc.commit.slice(0, 10)} [${fc.shape}] ${fc.subject.slice(0, 70)}`);
    } catch (e) {
      console.error(`  ${fc.repo} ${fc.commit.slice(0, 10)}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (only) {
    // A partial run (--only REPO or COMMIT prefix) prints its outcomes but keeps the full reports.
    for (const o of outcomes) for (const h of o.hits) console.log(`  ${h.gone ? 'gone' : 'stays'} ${h.rule} ${h.file}:${h.line}`);
    return;
  }
  fs.writeFileSync(REPORT_JSON, JSON.stringify(outcomes.map(({ repo, commit, detectable, shape, caught, hits }) => ({ repo, commit, detectable, shape, caught, hits })), null, 1) + '\n');
  fs.writeFileSync(REPORT_MD, summarize(outcomes));
  console.log(`\n${fs.readFileSync(REPORT_MD, 'utf8')}`);
}

export function summarize(outcomes: Outcome[]): string {
  const out = ['# Leak-fix commits: recall', '', 'Generated by `npm run corpus -- --fix-commits`; labels: corpus/fix-commits.tsv.', ''];
  const table = (key: (o: Outcome) => string, title: string) => {
    out.push(`| ${title} | commits | detectable | caught (detectable) | caught (not labelled detectable) |`, '|---|---:|---:|---:|---:|');
    const keys = [...new Set(outcomes.map(key))].sort();
    for (const k of [...keys, '**all**']) {
      const xs = k === '**all**' ? outcomes : outcomes.filter((o) => key(o) === k);
      const det = xs.filter((o) => o.detectable);
      out.push(`| ${k} | ${xs.length} | ${det.length} | ${det.filter((o) => o.caught).length} | ${xs.filter((o) => !o.detectable && o.caught).length} |`);
    }
    out.push('');
  };
  table((o) => o.repo, 'repository');
  table((o) => (o.detectable ? o.shape : 'not detectable'), 'shape');
  out.push('## Detectable and missed', '');
  for (const o of outcomes.filter((x) => x.detectable && !x.caught)) out.push(`- ${o.repo} ${o.commit.slice(0, 10)} [${o.shape}]: ${o.reason}`);
  return out.join('\n') + '\n';
}
