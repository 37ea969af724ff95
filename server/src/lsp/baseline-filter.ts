// The editor's view of a baseline (leaklint.baseline): findings it records are hidden, or
// shown as hints (leaklint.baselineMode). The file is read again whenever it changes on disk.
import * as fs from 'node:fs';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { Baseline, BaselineError } from '../engine/baseline';
import { SOURCE } from './convert';

export type BaselineMode = 'hide' | 'hint';

export class BaselineFilter {
  private loaded: { mtimeMs: number; baseline: Baseline | null } | null = null;

  constructor(
    readonly file: string,
    readonly mode: BaselineMode,
    private readonly warn: (message: string) => void,
  ) {}

  private current(): Baseline | null {
    let mtimeMs = -1;
    try {
      mtimeMs = fs.statSync(this.file).mtimeMs;
    } catch {
      // missing: said once below, then nothing is filtered
    }
    if (this.loaded && this.loaded.mtimeMs === mtimeMs) return this.loaded.baseline;
    let baseline: Baseline | null = null;
    try {
      baseline = Baseline.read(this.file);
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      this.warn(`leaklint.baseline: ${e.message}`);
    }
    this.loaded = { mtimeMs, baseline };
    return baseline;
  }

  /** The diagnostics of `file` (absolute path) as the baseline wants them shown. */
  apply(file: string, diagnostics: Diagnostic[]): Diagnostic[] {
    const findings = diagnostics.filter((d) => d.source === SOURCE && typeof d.code === 'string');
    if (!findings.length) return diagnostics;
    const baseline = this.current();
    if (!baseline) return diagnostics;
    const rel = baseline.relative(file);
    const { known } = baseline.partition(findings, (d) => ({ rule: d.code as string, file: rel, scope: (d.data as { scope?: string } | undefined)?.scope ?? '', message: d.message }));
    if (!known.length) return diagnostics;
    const inBaseline = new Set(known);
    if (this.mode === 'hide') return diagnostics.filter((d) => !inBaseline.has(d));
    return diagnostics.map((d) => (inBaseline.has(d) ? { ...d, severity: DiagnosticSeverity.Hint } : d));
  }
}
