// The only processes the CLI starts: git, and only for --new-from-rev.
import { spawnSync } from 'node:child_process';
import { ChangedLines } from '../engine/changed-lines';

export class GitError extends Error {}

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new GitError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  const what = args.find((a) => /^[a-z][a-z-]*$/.test(a)) ?? args[0];
  if (r.status !== 0) throw new GitError(`git ${what} failed: ${r.stderr.trim() || `exit status ${r.status}`}`);
  return r.stdout;
}

/**
 * Lines changed since `rev` in the working tree (committed, staged or not), with paths
 * relative to `cwd` like golangci-lint's; untracked files count as new as a whole, as there.
 */
export function changedSince(rev: string, cwd: string): ChangedLines {
  if (rev.startsWith('-')) throw new GitError(`--new-from-rev: "${rev}" is not a revision`);
  const patch = git(['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '-U0', '--relative', rev, '--'], cwd);
  const changed = ChangedLines.fromPatch(patch, cwd);
  const untracked = git(['ls-files', '-z', '--others', '--exclude-standard'], cwd).split('\0').filter((f) => f && !f.endsWith('/'));
  changed.addWholeFiles(untracked, cwd);
  return changed;
}
