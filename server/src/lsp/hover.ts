// The hover over a finding: its verdict in bold, the explanation, the related lines as links,
// and a link to the rendered rule page, as Markdown.
import { pathToFileURL } from 'node:url';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { LineIndex, PositionEncoding } from '../engine/positions';
import { explanationOf, verdictOf } from '../engine/rules/message';
import type { Finding } from '../engine/types';
import type { StoredAnalysis } from './code-actions';
import { toRange } from './convert';
import type { Levels } from './severity';

/** Markdown special characters in free text (names, code) escaped, so they show as written. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&');
}

export function hoverAt(
  stored: StoredAnalysis,
  position: Position,
  encoding: PositionEncoding,
  levels: Levels,
  docsLink: (rule: string) => string | undefined,
  linesOf: (file: string) => LineIndex | undefined,
): Hover | null {
  const lines = stored.result.lines;
  const at = lines.offsetAt(position, encoding);
  const hits = stored.result.findings.filter((f) => levels[f.rule] !== 'off' && f.span.start <= at && at <= f.span.end);
  if (!hits.length) return null;
  const parts = hits.map((f) => section(f, stored, encoding, docsLink, linesOf));
  const first = hits.reduce((a, b) => (a.span.end - a.span.start <= b.span.end - b.span.start ? a : b));
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: toRange(lines, first.span, encoding) };
}

function section(f: Finding, stored: StoredAnalysis, encoding: PositionEncoding, docsLink: (rule: string) => string | undefined, linesOf: (file: string) => LineIndex | undefined): string {
  const out = [`**${md(verdictOf(f.message))}** (${md(f.rule)})`];
  const explanation = explanationOf(f.message);
  if (explanation) out.push(md(explanation));
  const related = f.related.flatMap((r) => {
    const rl = r.file ? linesOf(r.file) : stored.result.lines;
    if (!rl) return [];
    const line = toRange(rl, r.span, encoding).start.line + 1;
    const uri = r.file ? pathToFileURL(r.file).href : stored.uri;
    const where = r.file ? `${r.file.split(/[\\/]/).pop()}:${line}` : `line ${line}`;
    return [`- [${md(where)}](${uri}#L${line}): ${md(r.message)}`];
  });
  if (related.length) out.push(related.join('\n'));
  const href = docsLink(f.rule);
  if (href) out.push(`[Rule page: ${md(f.rule)}](${href})`);
  return out.join('\n\n');
}
