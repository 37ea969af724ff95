// Gating only new findings on an old codebase: --baseline / --write-baseline and
// --new-from-rev / --new-from-patch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Baseline, BaselineError } from '../engine/baseline';
import { ChangedLines, PatchError } from '../engine/changed-lines';
import type { Located } from './format';
import { changedSince, GitError } from './git';

export interface AdoptionOptions {
  baseline?: string;
  writeBaseline?: string;
  newFromRev?: string;
  newFromPatch?: string;
}

/** A usage problem with one of these options: exit status 2 with this message. */
export class AdoptionError extends Error {}

function describe(baseline: Baseline) {
  return (it: Located) => ({ rule: it.finding.rule, file: baseline.relative(it.file.path), scope: it.finding.scope ?? '', message: it.finding.message });
}

/** Writes every finding to a baseline file; returns how many. */
export function writeBaseline(items: Located[], file: string, cwd: string): number {
  const target = path.resolve(cwd, file);
  const root = path.dirname(target);
  const entries = items.map((it) => ({ rule: it.finding.rule, file: path.relative(root, it.file.path).split(path.sep).join('/'), scope: it.finding.scope ?? '', message: it.finding.message }));
  try {
    Baseline.of(entries, root).write(target);
  } catch (e) {
    throw new AdoptionError(`cannot write baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return items.length;
}

export interface Narrowed {
  items: Located[];
  /** Findings left out, by why (for --verbose). */
  inBaseline: number;
  onOldLines: number;
}

/** Keeps only the findings that are new: not in the baseline, and on changed lines. */
export function keepNew(items: Located[], opts: AdoptionOptions, cwd: string): Narrowed {
  let kept = items;
  let onOldLines = 0;
  let inBaseline = 0;
  const changed = changedLines(opts, cwd);
  if (changed) {
    kept = kept.filter((it) => changed.has(it.file.path, it.file.result.lines.lineOf(it.finding.span.start) + 1));
    onOldLines = items.length - kept.length;
  }
  if (opts.baseline) {
    let baseline: Baseline;
    try {
      baseline = Baseline.read(path.resolve(cwd, opts.baseline));
    } catch (e) {
      if (e instanceof BaselineError) throw new AdoptionError(e.message);
      throw e;
    }
    const before = kept.length;
    kept = baseline.partition(kept, describe(baseline)).fresh;
    inBaseline = before - kept.length;
  }
  return { items: kept, inBaseline, onOldLines };
}

function changedLines(opts: AdoptionOptions, cwd: string): ChangedLines | null {
  if (opts.newFromRev !== undefined && opts.newFromPatch !== undefined) throw new AdoptionError('give --new-from-rev or --new-from-patch, not both');
  try {
    if (opts.newFromRev !== undefined) return changedSince(opts.newFromRev, cwd);
    if (opts.newFromPatch !== undefined) {
      let text: string;
      try {
        text = fs.readFileSync(path.resolve(cwd, opts.newFromPatch), 'utf8');
      } catch (e) {
        throw new AdoptionError(`cannot read patch ${opts.newFromPatch}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      try {
        return ChangedLines.fromPatch(text, cwd);
      } catch (e) {
        if (e instanceof PatchError) throw new AdoptionError(`--new-from-patch ${opts.newFromPatch}: ${e.message}`);
        throw e;
      }
    }
  } catch (e) {
    if (e instanceof GitError || e instanceof PatchError) throw new AdoptionError(e.message);
    throw e;
  }
  return null;
}
