// Severities and rules turned off are a view over the findings, not an input of the
// analysis: the engine and the scan run every rule at its own severities (so their results,
// and the on-disk cache, do not depend on them), and the folder's levels apply when the
// diagnostics are published. Changing a level then re-filters what is known, without a rescan.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { LeakLintConfig, RuleLevel } from '../engine/config';
import type { Settings } from './settings';

export type Levels = Readonly<Record<string, RuleLevel>>;

const LSP_SEVERITY: Record<Exclude<RuleLevel, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The config the analysis sees: every rule on at its own severity; no excludes (file discovery applies them). */
export function analysisConfig(config: LeakLintConfig): LeakLintConfig {
  return { ...config, rules: {}, exclude: [] };
}

/** What, in a folder's settings, changes what the analysis finds or which files it reads: a change of it rescans. */
export function analysisKey(settings: Settings, config: LeakLintConfig): string {
  return JSON.stringify([settings.enable, settings.maxFileSize, config.exclude, config.goVersion, config.strictGoroutines]);
}

/** The folder's levels applied to diagnostics made with every rule on: `off` drops, a level replaces the severity. */
export function applyLevels(diagnostics: readonly Diagnostic[], levels: Levels): Diagnostic[] {
  if (!Object.keys(levels).length) return diagnostics as Diagnostic[];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const level = typeof d.code === 'string' ? levels[d.code] : undefined;
    if (level === 'off') continue;
    out.push(level ? { ...d, severity: LSP_SEVERITY[level] } : d);
  }
  return out;
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

/** Diagnostics as the Problems panel counts them: by severity, hints left out (the panel does not list them). */
export function countsOf(diagnostics: readonly Diagnostic[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === DiagnosticSeverity.Error) c.errors++;
    else if (d.severity === DiagnosticSeverity.Warning || d.severity === undefined) c.warnings++;
    else if (d.severity === DiagnosticSeverity.Information) c.infos++;
  }
  return c;
}
