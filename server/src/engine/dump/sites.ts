// Groups goroutines by where they wait: the topmost frame in the user's code (preferring one
// that maps onto a workspace file), with the count, the mix of wait states, the longest wait
// and the most common `created by` site.
import { inferState, isStdlib, stateFromLine } from './classify';
import type { FrameMapper } from './mapping';
import type { Frame, Goroutine } from './parse';

export interface SiteFrame {
  func: string;
  /** The path as printed in the dump (the build machine's). */
  path: string;
  line: number;
  /** The workspace file it maps onto (absolute), or null. */
  file: string | null;
}

export interface DumpSite extends SiteFrame {
  /** 1-based column of the line's first non-blank character when mapped, else 1. */
  column: number;
  count: number;
  states: Record<string, number>;
  /** Longest wait printed for these goroutines; null when the dump prints no wait times (debug=1). */
  maxWaitMinutes: number | null;
  createdBy: SiteFrame | null;
  /** Rule id of the static finding that explains this site, if any. */
  finding: string | null;
  /** Where that finding is reported. */
  findingAt: { file: string; line: number } | null;
  /** The stack of the first goroutine seen here, innermost first. */
  frames: SiteFrame[];
}

/** Beyond this many distinct sites, further new ones are counted together (a hostile or very varied dump). */
export const MAX_SITES = 10_000;
const KEPT_FRAMES = 32;
const CREATORS_PER_SITE = 8;

interface Accumulator {
  site: DumpSite;
  creators: Map<string, { frame: SiteFrame; count: number }>;
}

export class SiteAggregator {
  /** File (or the dump's path when unmapped) → line → site. */
  private readonly sites = new Map<string, Map<number, Accumulator>>();
  private siteCount = 0;
  /** Goroutines at sites past MAX_SITES. */
  overflow = 0;

  constructor(private readonly map: FrameMapper | null) {}

  add(g: Goroutine): void {
    const idx = this.siteIndex(g.frames);
    const top: Frame = g.frames[idx] ?? { func: '(no frames)', file: '(unknown)', line: 0 };
    const here = this.resolve(top);
    const state = g.state ?? inferState(g.frames) ?? (here.file && this.map ? stateFromLine(this.map.lineText(here.file, here.line)) : null) ?? 'unknown';
    let byLine = this.sites.get(here.file ?? here.path);
    if (!byLine) this.sites.set(here.file ?? here.path, (byLine = new Map()));
    let acc = byLine.get(here.line);
    if (!acc) {
      if (this.siteCount >= MAX_SITES) {
        this.overflow += g.count;
        return;
      }
      this.siteCount++;
      acc = {
        site: { ...here, column: 1, count: 0, states: {}, maxWaitMinutes: null, createdBy: null, finding: null, findingAt: null, frames: g.frames.slice(0, KEPT_FRAMES).map((f) => this.resolve(f)) },
        creators: new Map(),
      };
      byLine.set(here.line, acc);
    }
    const s = acc.site;
    s.count += g.count;
    s.states[state] = (s.states[state] ?? 0) + g.count;
    if (g.waitMinutes !== null) s.maxWaitMinutes = Math.max(s.maxWaitMinutes ?? 0, g.waitMinutes);
    if (g.createdBy) {
      const c = this.resolve(g.createdBy);
      const ckey = `${c.file ?? c.path}:${c.line}`;
      const known = acc.creators.get(ckey);
      if (known) known.count += g.count;
      else if (acc.creators.size < CREATORS_PER_SITE) acc.creators.set(ckey, { frame: c, count: g.count });
    }
  }

  /** Sites by count (largest first), then by place. */
  result(): DumpSite[] {
    const out: DumpSite[] = [];
    for (const acc of [...this.sites.values()].flatMap((m) => [...m.values()])) {
      let best: { frame: SiteFrame; count: number } | undefined;
      for (const c of acc.creators.values()) if (!best || c.count > best.count) best = c;
      acc.site.createdBy = best?.frame ?? null;
      if (acc.site.file) acc.site.column = firstColumn(acc.site.file, acc.site.line, this.map);
      out.push(acc.site);
    }
    return out.sort((a, b) => b.count - a.count || (a.file ?? a.path).localeCompare(b.file ?? b.path) || a.line - b.line);
  }

  /** The frame a goroutine is said to wait at: the user's topmost frame, one in the workspace if any. */
  private siteIndex(frames: Frame[]): number {
    let firstUser = -1;
    for (let i = 0; i < frames.length; i++) {
      if (!this.isUser(frames[i].func)) continue;
      if (firstUser < 0) firstUser = i;
      if (!this.map || this.map.map(frames[i].func, frames[i].file, frames[i].line)) return i;
    }
    if (firstUser >= 0) return firstUser;
    // Only the standard library: the first frame past the runtime's own parking (e.g. net/http's read loop).
    const i = frames.findIndex((f) => !f.func.startsWith('runtime.') && !f.func.startsWith('internal/') && !f.func.startsWith('sync.'));
    return i >= 0 ? i : 0;
  }

  private isUser(func: string): boolean {
    return this.map ? this.map.isUserFunc(func) : !isStdlib(func);
  }

  private resolve(f: Frame): SiteFrame {
    const mapped = this.map?.map(f.func, f.file, f.line);
    return { func: f.func, path: f.file, line: f.line, file: mapped?.file ?? null };
  }
}

function firstColumn(file: string, line: number, map: FrameMapper | null): number {
  return map ? /^[ \t]*/.exec(map.lineText(file, line))![0].length + 1 : 1;
}
