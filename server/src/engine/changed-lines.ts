// The lines a unified diff adds or changes, per file: what `--new-from-rev` and
// `--new-from-patch` keep findings on (golangci-lint's options of the same names).
import * as path from 'node:path';
import { parsePatch } from 'diff';

export class PatchError extends Error {}

export class ChangedLines {
  /** Absolute path → 1-based line numbers added or changed in the new version. */
  private readonly byFile = new Map<string, Set<number>>();
  /** Files that are new as a whole (untracked): every line counts. */
  private readonly wholeFiles = new Set<string>();

  /**
   * Reads a unified diff (git's or diff -u's). Paths are resolved against `root`: for git's
   * own `a/` `b/` prefixes to be stripped, the patch must say it is git's (a `diff --git` line).
   */
  static fromPatch(patchText: string, root: string): ChangedLines {
    const out = new ChangedLines();
    // An empty diff is "nothing changed"; text without a single file header is not a diff at all.
    if (patchText.trim() && !/^(---|\+\+\+|diff --git) /m.test(patchText)) throw new PatchError('it is not a unified diff (no --- / +++ file headers)');
    let patches;
    try {
      patches = parsePatch(patchText);
    } catch (e) {
      throw new PatchError(`cannot read the patch: ${(e as Error).message}`);
    }
    const gitStyle = /^diff --git /m.test(patchText);
    for (const p of patches) {
      const name = p.newFileName;
      if (!name || name === '/dev/null') continue; // a deleted file has no new lines
      const rel = gitStyle ? name.replace(/^b\//, '') : name;
      const lines = new Set<number>();
      for (const hunk of p.hunks) {
        let n = hunk.newStart;
        for (const l of hunk.lines) {
          if (l.startsWith('+')) lines.add(n++);
          else if (l.startsWith(' ')) n++;
          // '-' lines are gone from the new version; '\' is "No newline at end of file".
        }
      }
      if (lines.size) out.add(path.resolve(root, rel), lines);
    }
    return out;
  }

  private add(file: string, lines: Set<number>): void {
    const have = this.byFile.get(file);
    if (have) for (const l of lines) have.add(l);
    else this.byFile.set(file, lines);
  }

  /** Marks files (absolute, or relative to `root`) as new as a whole. */
  addWholeFiles(files: string[], root: string): void {
    for (const f of files) this.wholeFiles.add(path.resolve(root, f));
  }

  /** Whether 1-based `line` of `file` (absolute) is new. */
  has(file: string, line: number): boolean {
    return this.wholeFiles.has(file) || !!this.byFile.get(file)?.has(line);
  }
}
