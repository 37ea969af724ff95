// Reads a goroutine dump from a stream of chunks into sites, with notes on anything that
// could not be read. Never throws on bad input: garbage yields no sites and a note.
import { LineSplitter } from './lines';
import type { FrameMapper } from './mapping';
import { DumpParser, type DumpFormat } from './parse';
import { MAX_SITES, SiteAggregator, type DumpSite } from './sites';

export interface DumpReport {
  sites: DumpSite[];
  goroutines: number;
  formats: DumpFormat[];
  bytes: number;
  /** Plain sentences about what could not be read or mapped. */
  notes: string[];
}

export interface ReadOptions {
  map?: FrameMapper | null;
  /** Called about every 4 MB. */
  onProgress?: (bytes: number, goroutines: number) => void;
  /** Stop reading (the report covers what was read, with a note). */
  cancelled?: () => boolean;
}

const PROGRESS_EVERY = 4 * 1024 * 1024;

export async function readDump(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, opts: ReadOptions = {}): Promise<DumpReport> {
  const sites = new SiteAggregator(opts.map ?? null);
  const parser = new DumpParser((g) => sites.add(g));
  const splitter = new LineSplitter((l) => parser.line(l));
  let nextProgress = PROGRESS_EVERY;
  let cancelled = false;
  for await (const chunk of input) {
    splitter.push(chunk);
    if (splitter.gzip) break; // a binary profile: nothing to read line by line
    if (splitter.bytes >= nextProgress) {
      nextProgress = splitter.bytes + PROGRESS_EVERY;
      opts.onProgress?.(splitter.bytes, parser.stats.goroutines);
      // Let the event loop run (a cancellation, the editor's other requests), even for input already in memory.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (opts.cancelled?.()) {
      cancelled = true;
      break;
    }
  }
  splitter.end();
  parser.end();
  const result = sites.result();
  const s = parser.stats;
  const notes: string[] = [];
  const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  if (cancelled) notes.push(`Reading stopped on request after ${(splitter.bytes / 1e6).toFixed(1)} MB: the sites cover what was read.`);
  if (splitter.gzip) notes.push('This is a binary pprof profile (what /debug/pprof/goroutine serves without ?debug=): fetch it with ?debug=2 (or ?debug=1) for the text form this reads.');
  else if (!s.goroutines) notes.push('No goroutine dump found: expected "goroutine N [state]:" blocks (debug=2, runtime.Stack, a panic or SIGQUIT), a "goroutine profile: total N" (debug=1) or goleak\'s "found unexpected goroutines".');
  if (s.truncated) notes.push('The dump ends in the middle of a goroutine (truncated?): what was read of it is counted.');
  if (s.brokenLines) notes.push(`${plural(s.brokenLines, 'line')} broke off a goroutine and could not be read (mixed or garbled input?): the goroutines around them are counted as read.`);
  if (s.binaryLines && !splitter.gzip) notes.push(`${plural(s.binaryLines, 'line')} held binary data (NUL bytes) and ${s.binaryLines === 1 ? 'was' : 'were'} skipped.`);
  if (splitter.cutLines) notes.push(`${plural(splitter.cutLines, 'overlong line')} (over 16 KB) ${splitter.cutLines === 1 ? 'was' : 'were'} cut.`);
  if (s.declaredTotal !== null && s.formats.size === 1 && s.declaredTotal !== s.goroutines) notes.push(`The profile declares ${plural(s.declaredTotal, 'goroutine')}; ${s.goroutines.toLocaleString('en-US')} were read.`);
  if (s.formats.size > 1) notes.push(`The input mixes dump formats (${[...s.formats].join(', ')}): their counts are added up.`);
  if (sites.overflow) notes.push(`More than ${MAX_SITES.toLocaleString('en-US')} distinct sites: ${plural(sites.overflow, 'goroutine')} at further sites ${sites.overflow === 1 ? 'is' : 'are'} not listed.`);
  if (opts.map) {
    const unmapped = result.filter((r) => !r.file);
    if (unmapped.length) notes.push(`${plural(unmapped.length, 'site')} of ${result.length} ${unmapped.length === 1 ? 'is' : 'are'} not in the workspace (${opts.map.root}): listed with the dump's own paths.`);
    if (opts.map.truncatedIndex) notes.push('The workspace has too many Go files to index them all: some frames may stay unmapped.');
  }
  return { sites: result, goroutines: s.goroutines, formats: [...s.formats], bytes: splitter.bytes, notes };
}

/** Splits a string into chunks, so progress and cancellation work for pasted text too. */
export function* chunksOf(text: string, size = 1 << 20): Iterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** "1,234 goroutines blocked here (chan send, up to 1440 minutes)". */
export function describeSite(s: Pick<DumpSite, 'count' | 'states' | 'maxWaitMinutes'>): string {
  const states = Object.entries(s.states).sort((a, b) => b[1] - a[1]);
  const mix = states.length === 1 ? states[0][0] : states.map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ');
  const wait = s.maxWaitMinutes ? `, up to ${s.maxWaitMinutes} minute${s.maxWaitMinutes === 1 ? '' : 's'}` : '';
  const verb = states.every(([k]) => k === 'running' || k === 'runnable') ? 'running' : 'blocked';
  return `${s.count.toLocaleString('en-US')} goroutine${s.count === 1 ? '' : 's'} ${verb} here (${mix}${wait})`;
}
