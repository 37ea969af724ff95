// A line-at-a-time reader of goroutine dumps as Go writes them:
//  - debug=2 / runtime.Stack(all) / SIGQUIT / panic output: `goroutine 7 [chan send, 12 minutes]:`,
//    then `pkg.fn(args)` + `\t/path/file.go:123 +0x1d` pairs, `created by pkg.fn [in goroutine 6]`;
//  - debug=1 profiles: `goroutine profile: total 300`, `300 @ 0x… 0x…`, `#\t0x…\tpkg.fn+0x…\t/path/file.go:123`;
//  - goleak's failure text: `[Goroutine 7 in state chan send, with pkg.fn on top of the stack:` … `]`.
// It keeps one goroutine at a time: memory does not grow with the dump. Lines it does not
// understand end the goroutine being read (what was read of it still counts) and are counted.

export interface Frame {
  func: string;
  file: string;
  line: number;
}

export interface Goroutine {
  /** Goroutines this record stands for (debug=1 aggregates identical stacks). */
  count: number;
  /** Wait state as printed (debug=2, goleak), or null when the format has none (debug=1). */
  state: string | null;
  /** Minutes blocked, when printed; null when the format has no wait times. */
  waitMinutes: number | null;
  /** Innermost first. */
  frames: Frame[];
  createdBy: Frame | null;
}

export type DumpFormat = 'debug=2' | 'debug=1' | 'goleak';

export interface ParseStats {
  lines: number;
  goroutines: number;
  records: number;
  formats: Set<DumpFormat>;
  /** Lines that broke off a goroutine being read (not the text around a dump). */
  brokenLines: number;
  /** `goroutine profile: total N` lines, summed. */
  declaredTotal: number | null;
  /** The input ended inside a goroutine. */
  truncated: boolean;
  /** Lines with NUL bytes. */
  binaryLines: number;
}

/** More frames than this in one goroutine are read but not kept (Go itself elides after 100). */
export const MAX_FRAMES = 128;

const HEADER = /^goroutine (\d+)(?: [^[]*)? \[([^\]]*)\]:?$/;
const GOLEAK_HEADER = /^\[Goroutine (\d+) in state (.*), with (\S+) on top of the stack:?$/;
const PROFILE_TOTAL = /^goroutine profile: total (\d+)$/;
const PROFILE_RECORD = /^(\d+) @(?: 0x[0-9a-fA-F]+)*\s*$/;
const PROFILE_FRAME = /^#\s+0x[0-9a-fA-F]+\s+(\S+?)\+0x[0-9a-fA-F]+\s+(.+):(\d+)$/;
const FUNC = /^(\S.*)\((.*)\)$/;
const FILE = /^(.+):(\d+)(?: \+0x[0-9a-fA-F]+)?(?: [a-z]+=0x[0-9a-fA-F]+)*$/;
const CREATED_BY = /^created by (\S+)(?: in goroutine \d+)?$/;
const MINUTES = /(?:^|, )(\d+) minutes?(?:,|$)/;
// Test output (goleak inside `go test`) indents and prefixes lines: `    leak_test.go:12: found unexpected goroutines:`.
const GOLEAK_START = /found unexpected goroutines:?\s*$/;

type Expect = 'func' | 'file' | 'createdFile';

export class DumpParser {
  readonly stats: ParseStats = { lines: 0, goroutines: 0, records: 0, formats: new Set(), brokenLines: 0, declaredTotal: null, truncated: false, binaryLines: 0 };
  private current: Goroutine | null = null;
  private kind: DumpFormat | null = null;
  private expect: Expect = 'func';
  private pendingFunc = '';
  private inGoleak = false;
  /** Number of the last line that broke a goroutine off. */
  private lastBroke = 0;

  constructor(private readonly onGoroutine: (g: Goroutine) => void) {}

  line(raw: string): void {
    const s = this.stats;
    s.lines++;
    if (raw.includes('\0')) {
      s.binaryLines++;
      this.broken();
      return;
    }
    const text = raw.trim();
    if (!text) {
      // Blank lines end a goroutine in every format (goleak's ends at `]`, but tolerate a blank).
      this.finish();
      return;
    }
    if (this.current) {
      if (this.kind === 'debug=1') {
        const m = PROFILE_FRAME.exec(text);
        if (m) {
          this.addFrame({ func: m[1], file: m[2], line: Number(m[3]) });
          return;
        }
        if (text.startsWith('# labels:')) return;
      } else if (this.continueStack(text)) {
        return;
      }
      if (this.kind === 'goleak' && text === ']') {
        this.finish();
        this.inGoleak = true;
        return;
      }
      // Something else starts here: a new header (handled below), or text after the dump (a panic's
      // "exit status 2", registers), or — mid frame pair, or before any frame — noise that breaks the goroutine off.
      if (!this.startsRecord(text) && (this.expect !== 'func' || !this.current.frames.length)) {
        this.stats.brokenLines++;
        this.expect = 'func';
        this.lastBroke = s.lines;
      }
      this.finish();
    }
    this.start(text);
  }

  end(): void {
    if (this.lastBroke && this.lastBroke === this.stats.lines) {
      // The very last line broke the goroutine off: a dump cut in the middle of a line.
      this.stats.brokenLines--;
      this.stats.truncated = true;
    }
    if (this.current) {
      // Only a goroutine with nothing after its last complete frame pair is whole.
      if (this.expect !== 'func' || !this.current.frames.length || this.kind === 'goleak') this.stats.truncated = true;
      this.finish();
    }
  }

  private startsRecord(text: string): boolean {
    return text.startsWith('goroutine ') || text.startsWith('[Goroutine ') || PROFILE_RECORD.test(text);
  }

  private start(text: string): void {
    let m: RegExpExecArray | null;
    if ((m = HEADER.exec(text))) {
      const state = m[2];
      const minutes = MINUTES.exec(state);
      this.begin('debug=2', state.split(', ')[0], minutes ? Number(minutes[1]) : 0, 1);
    } else if ((m = GOLEAK_HEADER.exec(text))) {
      const minutes = MINUTES.exec(m[2]);
      this.begin('goleak', m[2].split(', ')[0], minutes ? Number(minutes[1]) : 0, 1);
    } else if ((m = PROFILE_RECORD.exec(text))) {
      this.begin('debug=1', null, null, Number(m[1]));
    } else if ((m = PROFILE_TOTAL.exec(text))) {
      this.stats.declaredTotal = (this.stats.declaredTotal ?? 0) + Number(m[1]);
      this.stats.formats.add('debug=1');
    } else if (GOLEAK_START.test(text)) {
      this.inGoleak = true;
    }
    // Anything else outside a goroutine is the text around a dump (log lines, panic messages, registers).
  }

  private begin(kind: DumpFormat, state: string | null, waitMinutes: number | null, count: number): void {
    this.kind = kind;
    this.expect = 'func';
    this.current = { count, state, waitMinutes, frames: [], createdBy: null };
    this.stats.formats.add(kind);
  }

  /** One line of a debug=2 / goleak stack; false if the line is not part of it. */
  private continueStack(text: string): boolean {
    const g = this.current!;
    if (this.expect === 'file' || this.expect === 'createdFile') {
      const m = FILE.exec(text);
      if (!m) return false;
      const frame = { func: this.pendingFunc, file: m[1], line: Number(m[2]) };
      if (this.expect === 'file') this.addFrame(frame);
      else g.createdBy = frame;
      this.expect = 'func';
      return true;
    }
    if (this.kind === 'goleak' && !g.frames.length && HEADER.test(text)) {
      // goleak repeats the runtime's header inside its own (older versions); its state may carry minutes.
      const minutes = MINUTES.exec(HEADER.exec(text)![2]);
      if (minutes) g.waitMinutes = Number(minutes[1]);
      return true;
    }
    if (text === '...additional frames elided...' || text.startsWith('goroutine running on other thread')) return true;
    let m = CREATED_BY.exec(text);
    if (m) {
      this.pendingFunc = m[1];
      this.expect = 'createdFile';
      return true;
    }
    // endsWith first: FUNC backtracks over every '(' of a line that does not end with ')'.
    m = text.endsWith(')') ? FUNC.exec(text) : null;
    if (m && !text.startsWith('goroutine ') && !text.startsWith('[Goroutine ')) {
      this.pendingFunc = m[1];
      this.expect = 'file';
      return true;
    }
    return false;
  }

  private addFrame(frame: Frame): void {
    const g = this.current!;
    if (g.frames.length < MAX_FRAMES) g.frames.push(frame);
  }

  private broken(): void {
    if (this.current || this.inGoleak) this.stats.brokenLines++;
    this.finish();
  }

  private finish(): void {
    const g = this.current;
    this.current = null;
    this.inGoleak = false;
    if (!g) return;
    if (this.expect !== 'func' && this.kind !== 'debug=1') this.stats.truncated = true;
    this.expect = 'func';
    this.stats.records++;
    this.stats.goroutines += g.count;
    this.onGoroutine(g);
  }
}
