// Joins dump sites with static findings, both ways: a site on a line a finding points at
// (its own span, or a related location such as "this send blocks until somebody receives"),
// or whose goroutines were created on a finding's line (the go statement of a
// goroutine-without-cancel), is explained by that finding; the finding gets the site's count.
import type { DumpSite } from './sites';

/** One static finding, reduced to the lines it names (1-based, absolute file paths). */
export interface FindingAnchor {
  rule: string;
  file: string;
  /** Lines of the finding's own span. */
  startLine: number;
  endLine: number;
  related: { file: string; line: number }[];
}

export interface ConfirmedFinding {
  anchor: FindingAnchor;
  count: number;
  states: Record<string, number>;
  maxWaitMinutes: number | null;
}

/** Spans longer than this are not taken line by line (a whole function body explains nothing precise). */
const MAX_SPAN_LINES = 3;

export function joinFindings(sites: DumpSite[], anchors: readonly FindingAnchor[]): ConfirmedFinding[] {
  const atLine = new Map<string, FindingAnchor>();
  const atSpan = new Map<string, FindingAnchor>();
  const put = (m: Map<string, FindingAnchor>, file: string, line: number, a: FindingAnchor) => {
    if (!m.has(`${file}:${line}`)) m.set(`${file}:${line}`, a);
  };
  for (const a of anchors) {
    const end = Math.min(a.endLine, a.startLine + MAX_SPAN_LINES - 1);
    for (let l = a.startLine; l <= end; l++) {
      put(atLine, a.file, l, a);
      put(atSpan, a.file, l, a);
    }
    for (const r of a.related) put(atLine, r.file, r.line, a);
  }
  const confirmed = new Map<FindingAnchor, ConfirmedFinding>();
  for (const s of sites) {
    const a = (s.file && atLine.get(`${s.file}:${s.line}`)) || (s.createdBy?.file && atSpan.get(`${s.createdBy.file}:${s.createdBy.line}`)) || undefined;
    if (!a) continue;
    s.finding = a.rule;
    s.findingAt = { file: a.file, line: a.startLine };
    let c = confirmed.get(a);
    if (!c) confirmed.set(a, (c = { anchor: a, count: 0, states: {}, maxWaitMinutes: null }));
    c.count += s.count;
    for (const [k, v] of Object.entries(s.states)) c.states[k] = (c.states[k] ?? 0) + v;
    if (s.maxWaitMinutes !== null) c.maxWaitMinutes = Math.max(c.maxWaitMinutes ?? 0, s.maxWaitMinutes);
  }
  return [...confirmed.values()].sort((x, y) => y.count - x.count);
}
