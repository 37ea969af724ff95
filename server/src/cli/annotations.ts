// Output formats for CI: GitHub Actions workflow commands and Checkstyle XML (reviewdog,
// Jenkins' Warnings plugin, GitLab converters). Lines and columns are 1-based; columns
// count UTF-16 code units (characters, for nearly all Go source).
import type { Severity } from '../engine/types';
import { display, type Located } from './format';

function place({ file, finding }: Located) {
  const s = file.result.lines.positionAt(finding.span.start, 'utf-16');
  const e = file.result.lines.positionAt(finding.span.end, 'utf-16');
  return { line: s.line + 1, col: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

// ---- GitHub Actions -------------------------------------------------------

const GITHUB_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** Escaping GitHub's runner undoes in a command's message. */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a command's property values: the message's, and the separators `:` and `,`. */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One `::warning file=…,line=…::message` line per finding. */
export function formatGithub(items: Located[], cwd: string): string {
  return items
    .map((it) => {
      const p = place(it);
      // GitHub shows a range only on one line; a multi-line span is shown from its start line.
      const props: [string, string | number][] = [
        ['file', display(it.file.path, cwd).split('\\').join('/')],
        ['line', p.line],
        ['col', p.col],
        ['endLine', p.endLine],
        ...(p.endLine === p.line ? ([['endColumn', p.endColumn]] as [string, number][]) : []),
        ['title', `leaklint: ${it.finding.rule}`],
      ];
      const head = props.map(([k, v]) => `${k}=${escapeGithubProperty(String(v))}`).join(',');
      return `::${GITHUB_LEVEL[it.finding.severity]} ${head}::${escapeGithubData(it.finding.message)}`;
    })
    .join('\n');
}

// ---- Checkstyle -----------------------------------------------------------

const CHECKSTYLE_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

/** Text safe in an XML 1.0 attribute value: markup escaped, characters XML cannot hold dropped, line breaks kept. */
export function escapeXmlAttribute(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export function formatCheckstyle(items: Located[], cwd: string): string {
  const byFile = new Map<string, Located[]>();
  for (const it of items) byFile.set(it.file.path, [...(byFile.get(it.file.path) ?? []), it]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="5.0">'];
  for (const [file, list] of byFile) {
    out.push(`  <file name="${escapeXmlAttribute(display(file, cwd))}">`);
    for (const it of list) {
      const p = place(it);
      const attrs = [
        ['line', String(p.line)],
        ['column', String(p.col)],
        ['severity', CHECKSTYLE_SEVERITY[it.finding.severity]],
        ['message', it.finding.message],
        ['source', `leaklint.${it.finding.rule}`],
      ];
      out.push(`    <error ${attrs.map(([k, v]) => `${k}="${escapeXmlAttribute(v)}"`).join(' ')}/>`);
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return out.join('\n');
}
