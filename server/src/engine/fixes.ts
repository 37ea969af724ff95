// Applying text edits safely: sorted, de-duplicated, never overlapping.
import type { Fix, TextEdit } from './types';

export class OverlapError extends Error {}

/** Applies edits (all against the original `text`); identical duplicates apply once, overlaps throw. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = dedupe(edits).sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) throw new OverlapError(`edits overlap at offset ${sorted[i].start}`);
  }
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end > text.length || e.start > e.end) throw new OverlapError(`edit [${e.start}, ${e.end}) is outside the text`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

function dedupe(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.file ?? ''}\0${e.start}\0${e.end}\0${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start && a.end === b.end && a.newText === b.newText) return false;
  // Two insertions at one point conflict; otherwise half-open ranges.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
}

/**
 * Picks the fixes that can apply together (in order, skipping any that would
 * overlap one already taken), grouped by file ('' = the file the fixes belong to).
 */
export function combineFixes(fixes: readonly Fix[]): { taken: Fix[]; skipped: Fix[]; editsByFile: Map<string, TextEdit[]> } {
  const taken: Fix[] = [];
  const skipped: Fix[] = [];
  const editsByFile = new Map<string, TextEdit[]>();
  for (const fix of fixes) {
    const clash = fix.edits.some((e) => (editsByFile.get(e.file ?? '') ?? []).some((t) => overlaps(e, t)));
    if (clash) {
      skipped.push(fix);
      continue;
    }
    taken.push(fix);
    for (const e of fix.edits) editsByFile.set(e.file ?? '', [...(editsByFile.get(e.file ?? '') ?? []), e]);
  }
  return { taken, skipped, editsByFile };
}
