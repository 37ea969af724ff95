// Engine findings → LSP diagnostics and edits. The only place LSP shapes are built from engine data.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticSeverity, TextEdit as LspTextEdit } from 'vscode-languageserver';

// The protocol's values (DiagnosticSeverity.Error ... Hint), written out: importing the enum
// would load the whole language server into the CLI and the scan workers at startup.
const ERROR: DiagnosticSeverity = 1;
const WARNING: DiagnosticSeverity = 2;
const INFORMATION: DiagnosticSeverity = 3;
const HINT: DiagnosticSeverity = 4;
import { LineIndex, type PositionEncoding } from '../engine/positions';
import { RULES_BY_ID } from '../engine/rules';
import type { Finding, Severity, Span, TextEdit } from '../engine/types';
import { formatBudget } from '../engine/budget';

export const SOURCE = 'leaklint';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: ERROR,
  warning: WARNING,
  info: INFORMATION,
  hint: HINT,
};

/** A Hint at the very top of a file: what Go Leak Lint says about the file as a whole. */
export function fileNote(message: string): Diagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: HINT, source: SOURCE, message };
}

/** The note on a file whose analysis ran past its budget (the output channel gets a line too). */
export function stoppedNote(budgetMs: number): Diagnostic {
  return fileNote(`Go Leak Lint stopped analysing this file after ${formatBudget(budgetMs)} (its analysis budget), so its leaks are not shown.`);
}

/** Folder holding package.json and docs/, whether running from dist/ or from source. */
function installRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'docs', 'rules'))) return dir;
    if (path.dirname(dir) === dir) return __dirname;
  }
}

const root = installRoot();

export function docsUri(rule: string): string | undefined {
  const meta = RULES_BY_ID.get(rule)?.meta;
  return meta ? pathToFileURL(path.join(root, meta.docs)).href : undefined;
}

export function toRange(lines: LineIndex, span: Span, encoding: PositionEncoding) {
  return { start: lines.positionAt(span.start, encoding), end: lines.positionAt(span.end, encoding) };
}

/** Key that ties a diagnostic to the fixes stored with it. */
export function findingKey(f: Finding): string {
  let h = 0;
  for (let i = 0; i < f.message.length; i++) h = (h * 31 + f.message.charCodeAt(i)) | 0;
  return `${f.rule}:${f.span.start}:${f.span.end}:${h >>> 0}`;
}

export function toDiagnostic(f: Finding, lines: LineIndex, encoding: PositionEncoding, uri: string, relatedLines: (file: string) => LineIndex | undefined): Diagnostic {
  const href = docsUri(f.rule);
  return {
    range: toRange(lines, f.span, encoding),
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.rule,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    relatedInformation: f.related.flatMap((r) => {
      const rl = r.file ? relatedLines(r.file) : lines;
      if (!rl) return [];
      return [{ location: { uri: r.file ? pathToFileURL(r.file).href : uri, range: toRange(rl, r.span, encoding) }, message: r.message }];
    }),
    data: { key: findingKey(f), scope: f.scope ?? '' },
  };
}

export function toTextEdits(edits: readonly TextEdit[], lines: LineIndex, encoding: PositionEncoding): LspTextEdit[] {
  return edits.map((e) => ({ range: toRange(lines, e, encoding), newText: e.newText }));
}

const diskLines = new Map<string, { mtimeMs: number; lines: LineIndex }>();

/** Lines of a file that is not open (a related location in another package or a dependency), read once per change. */
export function linesOnDisk(file: string): LineIndex | undefined {
  try {
    const mtimeMs = fs.statSync(file).mtimeMs;
    const hit = diskLines.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.lines;
    const lines = new LineIndex(fs.readFileSync(file, 'utf8'));
    if (diskLines.size > 256) diskLines.clear();
    diskLines.set(file, { mtimeMs, lines });
    return lines;
  } catch {
    return undefined;
  }
}
