// Code actions, answered from the fixes stored when the diagnostics were made.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { FileResult } from '../engine/engine';
import { combineFixes } from '../engine/fixes';
import type { LineIndex, PositionEncoding } from '../engine/positions';
import type { Finding, Fix } from '../engine/types';
import { docsUri, findingKey, SOURCE, toRange, toTextEdits } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.leaklint`;
export const SHOW_DOCS_COMMAND = 'leaklint.showDocumentation';

/** Another file a fix edits: its URI, the version the edit is for (null: on disk), and its text. */
export interface OtherFile {
  uri: string;
  version: number | null;
  lines: LineIndex;
}

export interface StoredAnalysis {
  uri: string;
  version: number;
  text: string;
  result: FileResult;
}

export function codeActions(params: CodeActionParams, stored: StoredAnalysis, encoding: PositionEncoding, otherFile: (path: string) => OtherFile | undefined = () => undefined): CodeAction[] {
  const { uri, version, result } = stored;
  const lines = result.lines;
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const edit = (edits: Fix['edits']): CodeAction['edit'] => ({
    documentChanges: [{ textDocument: { uri, version }, edits: toTextEdits(edits.filter((e) => !e.file), lines, encoding) }],
  });
  const actions: CodeAction[] = [];
  const byKey = new Map(result.findings.map((f) => [findingKey(f), f]));

  if (wants(CodeActionKind.QuickFix)) {
    // The menu's order: preferred fixes, "Fix all", other fixes, ignores, documentation.
    // Every entry names the diagnostic it is for: VS Code lists entries with diagnostics
    // before the others, so an entry without one would jump below the ignores.
    const groups: CodeAction[][] = [[], [], [], [], []];
    const [preferred, fixAllGroup, otherFixes, ignores, docs] = groups;
    const seenRules = new Set<string>();
    for (const diag of params.context.diagnostics) {
      // Some clients (Neovim 0.7) send back only part of the diagnostic: the stored key is enough.
      if (diag.source !== undefined && diag.source !== SOURCE) continue;
      const key = (diag.data as { key?: string } | undefined)?.key;
      const finding = key ? byKey.get(key) : undefined;
      if (!finding) continue; // made from older text: offer nothing rather than a wrong edit
      for (const fix of finding.fixes) {
        const crossFile = fix.edits.some((e) => e.file);
        const workspaceEdit = crossFile ? crossFileEdit(fix, finding, stored, encoding, otherFile) : edit(fix.edits);
        if (workspaceEdit) (fix.preferred ? preferred : otherFixes).push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diag], isPreferred: !!fix.preferred, edit: workspaceEdit });
      }
      ignores.push(ignoreLine(finding, diag, stored, encoding));
      if (seenRules.has(finding.rule)) continue;
      seenRules.add(finding.rule);
      ignores.push(ignoreFile(finding, diag, stored, encoding));
      const all = fixAll(result.findings.filter((f) => f.rule === finding.rule));
      if (all.length > 1) fixAllGroup.push({ title: `Fix all ${finding.rule} problems in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diag], edit: edit(all.flatMap((f) => f.edits)) });
      docs.push({
        title: `Show documentation for ${finding.rule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diag],
        command: { title: 'Show documentation', command: SHOW_DOCS_COMMAND, arguments: [finding.rule, docsUri(finding.rule)] },
      });
    }
    actions.push(...groups.flat());
  }
  if (only && wants(FIX_ALL_KIND) && only.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll))) {
    const all = fixAll(result.findings);
    if (all.length) actions.push({ title: 'Fix all auto-fixable leaks', kind: FIX_ALL_KIND, edit: edit(all.flatMap((f) => f.edits)) });
  }
  if (wants(CodeActionKind.RefactorRewrite)) {
    const start = lines.offsetAt(params.range.start, encoding);
    const end = lines.offsetAt(params.range.end, encoding);
    for (const r of result.refactors) {
      if (r.span.start <= end && start <= r.span.end) actions.push({ title: r.fix.title, kind: CodeActionKind.RefactorRewrite, edit: edit(r.fix.edits) });
    }
  }
  return actions;
}

/**
 * A fix that also edits another file (the callee's own buffer): one versioned change per
 * file, offered only while the other file still has, where the finding saw it, the code
 * the edit was computed for.
 */
function crossFileEdit(fix: Fix, finding: Finding, stored: StoredAnalysis, encoding: PositionEncoding, otherFile: (path: string) => OtherFile | undefined): CodeAction['edit'] | undefined {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file ?? '', [...(byFile.get(e.file ?? '') ?? []), e]);
  const changes = [];
  for (const [file, edits] of byFile) {
    if (!file) {
      changes.push({ textDocument: { uri: stored.uri, version: stored.version }, edits: toTextEdits(edits, stored.result.lines, encoding) });
      continue;
    }
    const other = otherFile(file);
    const anchor = finding.related.find((r) => r.file === file);
    if (!other || !anchor || !other.lines.text.slice(anchor.span.start, anchor.span.end).startsWith('make(')) return undefined;
    changes.push({ textDocument: { uri: other.uri, version: other.version }, edits: toTextEdits(edits, other.lines, encoding) });
  }
  return { documentChanges: changes };
}

/** The preferred one-file fix of each finding, skipping any that would overlap one already taken. */
function fixAll(findings: Finding[]): Fix[] {
  const chosen = findings.map((f) => f.fixes.find((x) => x.preferred && !x.edits.some((e) => e.file)) ?? f.fixes.find((x) => !x.edits.some((e) => e.file))).filter((f): f is Fix => !!f);
  return combineFixes(chosen).taken;
}

function ignoreLine(f: Finding, diag: Diagnostic, stored: StoredAnalysis, encoding: PositionEncoding): CodeAction {
  const lines = stored.result.lines;
  const line = lines.lineOf(f.span.start);
  const lineStart = lines.lineStart(line);
  const indent = /^[ \t]*/.exec(stored.text.slice(lineStart, lines.lineEnd(line)))![0];
  const eol = stored.text.includes('\r\n') ? '\r\n' : '\n';
  const e: LspTextEdit = { range: toRange(lines, { start: lineStart, end: lineStart }, encoding), newText: `${indent}//leaklint:ignore ${f.rule} -- reason${eol}` };
  return { title: `Ignore ${f.rule} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diag], edit: { documentChanges: [{ textDocument: { uri: stored.uri, version: stored.version }, edits: [e] }] } };
}

function ignoreFile(f: Finding, diag: Diagnostic, stored: StoredAnalysis, encoding: PositionEncoding): CodeAction {
  const lines = stored.result.lines;
  const m = /^package\s+\S+[^\n]*/m.exec(stored.text);
  const at = m ? m.index + m[0].replace(/\r$/, '').length : 0;
  const eol = stored.text.includes('\r\n') ? '\r\n' : '\n';
  const e: LspTextEdit = { range: toRange(lines, { start: at, end: at }, encoding), newText: `${eol}${eol}//leaklint:file-ignore ${f.rule} -- reason` };
  return { title: `Ignore ${f.rule} in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diag], edit: { documentChanges: [{ textDocument: { uri: stored.uri, version: stored.version }, edits: [e] }] } };
}
