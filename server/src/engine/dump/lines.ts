// Splits a byte stream into lines with bounded memory: a "line" longer than the cap
// (binary data, a minified blob) is cut and the rest of it skipped, never buffered.
import { StringDecoder } from 'node:string_decoder';

/** Longer lines are cut: no real frame line comes near this. */
export const MAX_LINE = 16 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** The current line was cut: drop what follows until its newline. */
  private skipping = false;
  bytes = 0;
  cutLines = 0;

  constructor(private readonly onLine: (line: string) => void) {}

  /** The input starts like gzip (a binary pprof profile). */
  gzip = false;

  push(chunk: Buffer | string): void {
    if (this.bytes === 0 && typeof chunk !== 'string' && chunk[0] === 0x1f && chunk[1] === 0x8b) this.gzip = true;
    this.bytes += typeof chunk === 'string' ? chunk.length : chunk.length;
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (this.skipping) this.skipping = false;
      else this.emit(this.pending ? this.pending + text.slice(start, nl) : text.slice(start, nl));
      this.pending = '';
      start = nl + 1;
    }
    if (start < text.length && !this.skipping) {
      this.pending += text.slice(start);
      if (this.pending.length > MAX_LINE) {
        this.emit(this.pending.slice(0, MAX_LINE));
        this.pending = '';
        this.skipping = true;
      }
    }
  }

  end(): void {
    const rest = this.decoder.end();
    if (rest) {
      this.push(rest);
      this.bytes -= rest.length;
    }
    if (this.pending && !this.skipping) this.emit(this.pending);
    this.pending = '';
  }

  private emit(line: string): void {
    if (line.length >= MAX_LINE) {
      line = line.slice(0, MAX_LINE);
      this.cutLines++;
    }
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
