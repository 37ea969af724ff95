// analysistest-style fixtures: Go files under test-fixtures/RULE/ with `// want "regexp"`
// comments on every line that must be reported, and x.go.golden files holding the file
// after each kind of fix (one `-- kind --` section per alternative).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../../server/src/engine/config';
import { LeakEngine, type FileResult } from '../../server/src/engine/engine';
import { combineFixes, applyEdits } from '../../server/src/engine/fixes';
import { GoModLocator } from '../../server/src/engine/gomod';
import type { Fix } from '../../server/src/engine/types';

export const FIXTURES = path.resolve(__dirname, '../../test-fixtures');

export interface Want {
  line: number; // 0-based
  pattern: RegExp;
  raw: string;
}

/** Parses `// want "re" "re2"` comments (Go string syntax, backquotes too). */
export function readWants(source: string): Want[] {
  const wants: Want[] = [];
  source.split(/\r?\n/).forEach((text, line) => {
    const m = /\/\/\s*want\s+(.*)$/.exec(text);
    if (!m) return;
    for (const q of m[1].matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`/g)) {
      const raw = q[1] !== undefined ? JSON.parse(`"${q[1]}"`) : q[2];
      wants.push({ line, pattern: new RegExp(raw), raw });
    }
  });
  return wants;
}

/** Every folder below `dir` that holds .go files. */
export function packageDirs(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(d);
    for (const e of entries) if (e.isDirectory()) stack.push(path.join(d, e.name));
  }
  return out.sort();
}

export function analyzeDir(engine: LeakEngine, dir: string, gomod = new GoModLocator()): Map<string, { source: string; result: FileResult }> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.go'))
    .map((f) => ({ path: path.join(dir, f), source: fs.readFileSync(path.join(dir, f), 'utf8') }));
  const results = engine.analyzeFiles(files, { config: defaultConfig(), goVersion: gomod.find(dir)?.version ?? null });
  return new Map(files.map((f) => [f.path, { source: f.source, result: results.get(f.path)! }]));
}

/** Compares findings with wants; returns human-readable problems (empty = pass). */
export function checkWants(file: string, source: string, result: FileResult): string[] {
  const problems: string[] = [];
  const wants = readWants(source);
  const used = new Set<Want>();
  for (const f of result.findings) {
    const line = result.lines.lineOf(f.span.start);
    const text = `${f.rule}: ${f.message}`;
    const want = wants.find((w) => !used.has(w) && w.line === line && w.pattern.test(text));
    if (want) used.add(want);
    else problems.push(`${path.basename(file)}:${line + 1}: unexpected finding: ${text}`);
  }
  for (const w of wants) if (!used.has(w)) problems.push(`${path.basename(file)}:${w.line + 1}: no finding matched want "${w.raw}"`);
  for (const e of result.errors) problems.push(`rule crashed: ${e}`);
  return problems;
}

/** All fixes (and refactors) in a file, by kind. Edits aimed at other files are left out. */
export function fixesByKind(result: FileResult): Map<string, Fix[]> {
  const out = new Map<string, Fix[]>();
  const all = [...result.findings.flatMap((f) => f.fixes), ...result.refactors.map((r) => r.fix)];
  for (const fix of all) {
    const local = { ...fix, edits: fix.edits.filter((e) => !e.file) };
    if (!local.edits.length) continue;
    out.set(fix.kind, [...(out.get(fix.kind) ?? []), local]);
  }
  return out;
}

/** The file after applying every fix of one kind (those that overlap an earlier one wait). */
export function applyKind(source: string, fixes: Fix[]): string {
  const { editsByFile } = combineFixes(fixes);
  return applyEdits(source, editsByFile.get('') ?? []);
}

export function renderGolden(source: string, result: FileResult): string {
  const kinds = [...fixesByKind(result)].sort(([a], [b]) => a.localeCompare(b));
  return kinds.map(([kind, fixes]) => `-- ${kind} --\n${applyKind(source, fixes)}`).join('');
}

export function parseGolden(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^-- (\S+) --\n/gm;
  const marks = [...text.matchAll(re)];
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1].index! : text.length;
    out.set(m[1], text.slice(start, end));
  });
  return out;
}
