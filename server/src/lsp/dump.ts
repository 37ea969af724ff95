// The `leaklint/dump` request: reads a goroutine dump (a file, pasted text, or a loopback pprof
// endpoint), maps its sites onto the workspace folders, joins them with the published static
// findings, and returns everything an editor needs to show it: the sites with LSP ranges and
// messages, and one confirmation per static finding the dump backs. Any LSP client can use it.
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ResponseError, type CancellationToken, type Diagnostic, type Range, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { fetchDump } from './endpoint';
import { joinFindings, type FindingAnchor } from '../engine/dump/join';
import { WorkspaceMap, WorkspaceMaps, type FrameMapper } from '../engine/dump/mapping';
import { chunksOf, describeSite, readDump } from '../engine/dump/read';
import type { SiteFrame } from '../engine/dump/sites';
import type { PositionEncoding } from '../engine/positions';
import { SOURCE } from './convert';

export const DUMP_REQUEST = 'leaklint/dump';

/** Exactly one of path, text, url. */
export interface DumpRequestParams {
  path?: string;
  text?: string;
  url?: string;
}

export interface DumpFrameResult {
  function: string;
  /** The workspace file, or null when the frame is not in the workspace. */
  uri: string | null;
  /** The path as the dump prints it. */
  path: string;
  /** 0-based, as LSP lines are. */
  line: number;
}

export interface DumpSiteResult extends DumpFrameResult {
  range: Range;
  /** "1,234 goroutines blocked here (chan send, up to 1440 minutes)". */
  message: string;
  count: number;
  states: Record<string, number>;
  maxWaitMinutes: number | null;
  createdBy: DumpFrameResult | null;
  finding: string | null;
  findingAt: { uri: string; range: Range } | null;
  frames: DumpFrameResult[];
}

export interface DumpResult {
  /** What was read: the file, the endpoint, or "pasted text". */
  source: string;
  goroutines: number;
  formats: string[];
  bytes: number;
  notes: string[];
  sites: DumpSiteResult[];
  /** At each static finding a site confirms: what the dump shows for it. */
  confirmations: { uri: string; range: Range; rule: string; count: number; message: string }[];
}

export interface DumpHost {
  folders(): string[];
  /** The published static diagnostics by URI (scanning the workspace first if it never was). */
  staticDiagnostics(): Promise<Map<string, Diagnostic[]>>;
  encoding(): PositionEncoding;
  progress(): Promise<WorkDoneProgressServerReporter | null>;
}

export async function handleDump(params: DumpRequestParams, token: CancellationToken, host: DumpHost): Promise<DumpResult | ResponseError<void>> {
  const given = [params.path, params.text, params.url].filter((x) => typeof x === 'string').length;
  if (given !== 1) return new ResponseError(-32602, 'leaklint/dump needs exactly one of path, text or url');
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  let input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  let source: string;
  if (typeof params.path === 'string') {
    source = params.path;
    try {
      if (!fs.statSync(params.path).isFile()) return new ResponseError(-32602, `${params.path} is not a file`);
    } catch (e) {
      return new ResponseError(-32602, `cannot read ${params.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    input = fs.createReadStream(params.path);
  } else if (typeof params.text === 'string') {
    source = 'pasted text';
    input = chunksOf(params.text);
  } else {
    source = params.url!;
    input = fetchDump(params.url!, abort.signal);
  }
  const progress = await host.progress();
  progress?.begin('Go Leak Lint: reading goroutine dump', undefined, source, true);
  progress?.token.onCancellationRequested(() => abort.abort());
  try {
    const folders = host.folders();
    const map: FrameMapper = folders.length === 1 ? new WorkspaceMap(folders[0]) : new WorkspaceMaps(folders.map((f) => new WorkspaceMap(f)));
    const report = await readDump(input, {
      map: folders.length ? map : null,
      onProgress: (bytes, goroutines) => progress?.report(`${(bytes / 1e6).toFixed(0)} MB, ${goroutines.toLocaleString('en-US')} goroutines`),
      cancelled: () => abort.signal.aborted,
    });
    const encoding = host.encoding();
    const confirmations: DumpResult['confirmations'] = [];
    if (report.sites.some((s) => s.file)) {
      progress?.report('joining with static findings');
      const { anchors, diagnosticOf } = anchorsOf(await host.staticDiagnostics());
      for (const c of joinFindings(report.sites, anchors)) {
        const d = diagnosticOf.get(c.anchor)!;
        const at = report.sites.filter((s) => s.findingAt?.file === c.anchor.file && s.findingAt.line === c.anchor.startLine && s.finding === c.anchor.rule);
        const where = at.map((s) => `line ${s.line}`).join(', ');
        confirmations.push({
          uri: pathToFileURL(c.anchor.file).href,
          range: d.range,
          rule: c.anchor.rule,
          count: c.count,
          message: `Confirmed at runtime: the goroutine dump has ${describeSite(c).replace(' here', '')} at ${where} (${c.anchor.rule}).`,
        });
      }
    }
    const frame = (f: SiteFrame): DumpFrameResult => ({ function: f.func, uri: f.file ? pathToFileURL(f.file).href : null, path: f.path, line: Math.max(f.line - 1, 0) });
    const sites = report.sites.map((s): DumpSiteResult => {
      const text = s.file ? map.lineText(s.file, s.line).replace(/\r$/, '') : '';
      const line = Math.max(s.line - 1, 0);
      return {
        ...frame(s),
        range: { start: { line, character: s.column - 1 }, end: { line, character: Math.max(s.column - 1, width(text, encoding)) } },
        message: describeSite(s),
        count: s.count,
        states: s.states,
        maxWaitMinutes: s.maxWaitMinutes,
        createdBy: s.createdBy ? frame(s.createdBy) : null,
        finding: s.finding,
        findingAt: s.findingAt ? findingRange(s.findingAt, confirmations) : null,
        frames: s.frames.map(frame),
      };
    });
    return { source, goroutines: report.goroutines, formats: report.formats, bytes: report.bytes, notes: report.notes, sites, confirmations };
  } catch (e) {
    if (abort.signal.aborted) return new ResponseError(-32800, 'reading the goroutine dump was cancelled');
    return new ResponseError(-32603, `cannot read ${source}: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`);
  } finally {
    progress?.done();
  }
}

function findingRange(at: { file: string; line: number }, confirmations: DumpResult['confirmations']): { uri: string; range: Range } {
  const uri = pathToFileURL(at.file).href;
  const c = confirmations.find((x) => x.uri === uri && x.range.start.line === at.line - 1);
  return { uri, range: c?.range ?? { start: { line: at.line - 1, character: 0 }, end: { line: at.line - 1, character: 0 } } };
}

/** The published leaklint diagnostics, reduced to the lines they name. */
function anchorsOf(byUri: Map<string, Diagnostic[]>): { anchors: FindingAnchor[]; diagnosticOf: Map<FindingAnchor, Diagnostic> } {
  const anchors: FindingAnchor[] = [];
  const diagnosticOf = new Map<FindingAnchor, Diagnostic>();
  for (const [uri, diags] of byUri) {
    if (!uri.startsWith('file:')) continue;
    const file = fileURLToPath(uri);
    for (const d of diags) {
      if (d.source !== SOURCE || typeof d.code !== 'string') continue;
      const a: FindingAnchor = {
        rule: d.code,
        file,
        startLine: d.range.start.line + 1,
        endLine: d.range.end.line + 1,
        related: (d.relatedInformation ?? []).filter((r) => r.location.uri.startsWith('file:')).map((r) => ({ file: fileURLToPath(r.location.uri), line: r.location.range.start.line + 1 })),
      };
      anchors.push(a);
      diagnosticOf.set(a, d);
    }
  }
  return { anchors, diagnosticOf };
}

function width(text: string, encoding: PositionEncoding): number {
  if (encoding === 'utf-8') return Buffer.byteLength(text);
  if (encoding === 'utf-32') return [...text].length;
  return text.length;
}
