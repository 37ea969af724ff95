// Output formats of the CLI. Lines are 1-based; columns are 1-based UTF-8 byte
// columns in text and JSON (as go vet and gopls's CLI print them), and UTF-16 code
// units in SARIF (declared with columnKind).
import * as path from 'node:path';
import type { LineIndex } from '../engine/positions';
import { RULES } from '../engine/rules';
import type { Finding, Severity, Span } from '../engine/types';
import type { ScannedFile } from '../scan/scan';

export interface Located {
  file: ScannedFile;
  finding: Finding;
}

function range(lines: LineIndex, span: Span, encoding: 'utf-8' | 'utf-16') {
  const s = lines.positionAt(span.start, encoding);
  const e = lines.positionAt(span.end, encoding);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export function display(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function formatText(items: Located[], cwd: string): string {
  return items
    .map(({ file, finding }) => {
      const r = range(file.result.lines, finding.span, 'utf-8');
      return `${display(file.path, cwd)}:${r.line}:${r.column}: ${finding.severity}: ${finding.message} (${finding.rule})`;
    })
    .join('\n');
}

export function formatJson(items: Located[], cwd: string, linesOf: (file: string) => LineIndex | undefined): string {
  return JSON.stringify(
    items.map(({ file, finding }) => ({
      file: display(file.path, cwd),
      ...range(file.result.lines, finding.span, 'utf-8'),
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      related: finding.related.map((r) => {
        const target = r.file ?? file.path;
        const lines = r.file ? linesOf(r.file) : file.result.lines;
        return { file: display(target, cwd), ...(lines ? range(lines, r.span, 'utf-8') : {}), message: r.message };
      }),
      fixes: finding.fixes.map((fx) => ({
        title: fx.title,
        kind: fx.kind,
        preferred: !!fx.preferred,
        edits: fx.edits.map((e) => {
          const lines = e.file ? linesOf(e.file) : file.result.lines;
          return { ...(e.file ? { file: display(e.file, cwd) } : {}), ...(lines ? range(lines, e, 'utf-8') : {}), newText: e.newText };
        }),
      })),
    })),
    null,
    2,
  );
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(items: Located[], cwd: string, version: string, linesOf: (file: string) => LineIndex | undefined): string {
  const uri = (f: string) => display(f, cwd).split(path.sep).join('/');
  const region = (lines: LineIndex, span: Span) => {
    const r = range(lines, span, 'utf-16');
    return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
  };
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leaklint',
            semanticVersion: version,
            rules: RULES.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.description },
              help: { text: `${r.meta.description}. Documentation: ${r.meta.docs} in the Go Leak Lint repository.` },
              defaultConfiguration: { level: SARIF_LEVEL[r.meta.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${cwd.split(path.sep).join('/')}/` } },
        results: items.map(({ file, finding }) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIndex.get(finding.rule) ?? -1,
          level: SARIF_LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: uri(file.path), uriBaseId: '%SRCROOT%' }, region: region(file.result.lines, finding.span) } }],
          relatedLocations: finding.related.flatMap((r, id) => {
            const lines = r.file ? linesOf(r.file) : file.result.lines;
            return lines ? [{ id, message: { text: r.message }, physicalLocation: { artifactLocation: { uri: uri(r.file ?? file.path), uriBaseId: '%SRCROOT%' }, region: region(lines, r.span) } }] : [];
          }),
          fixes: finding.fixes.flatMap((fx) => {
            const byFile = new Map<string, typeof fx.edits>();
            for (const e of fx.edits) byFile.set(e.file ?? file.path, [...(byFile.get(e.file ?? file.path) ?? []), e]);
            const changes = [...byFile].flatMap(([f, edits]) => {
              const lines = f === file.path ? file.result.lines : linesOf(f);
              if (!lines) return [];
              return [{
                artifactLocation: { uri: uri(f), uriBaseId: '%SRCROOT%' },
                replacements: edits.map((e) => ({ deletedRegion: region(lines, e), insertedContent: { text: e.newText } })),
              }];
            });
            return changes.length ? [{ description: { text: fx.title }, artifactChanges: changes }] : [];
          }),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
