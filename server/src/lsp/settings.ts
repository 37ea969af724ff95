// Per-folder settings (scope: resource), merged over the folder's .leaklint.json.
import { ConfigError, defaultConfig, loadConfig, type LeakLintConfig, type RuleLevel } from '../engine/config';
import { parseGoVersion } from '../engine/gomod';
import { RULES_BY_ID } from '../engine/rules';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/source';

export interface Settings {
  enable: boolean;
  rules: Record<string, string>;
  exclude: string[];
  scanOnStartup: boolean;
  maxFileSize: number;
  goVersion: string;
  /** Baseline file, relative to the folder ('' for none). */
  baseline: string;
  baselineMode: 'hide' | 'hint';
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  exclude: [],
  scanOnStartup: true,
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  goVersion: '',
  baseline: '',
  baselineMode: 'hide',
};

const LEVELS = new Set(['off', 'error', 'warning', 'info', 'hint']);

/** Coerces whatever the client sent into Settings; bad values fall back to defaults, with a warning each. */
export function normalizeSettings(raw: unknown, warn: (message: string) => void): Settings {
  const s = { ...DEFAULT_SETTINGS, rules: {}, exclude: [] as string[] };
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  if (typeof r.enable === 'boolean') s.enable = r.enable;
  if (typeof r.scanOnStartup === 'boolean') s.scanOnStartup = r.scanOnStartup;
  if (typeof r.maxFileSize === 'number' && r.maxFileSize > 0) s.maxFileSize = r.maxFileSize;
  if (typeof r.goVersion === 'string') s.goVersion = r.goVersion;
  if (typeof r.baseline === 'string') s.baseline = r.baseline.trim();
  if (r.baselineMode === 'hide' || r.baselineMode === 'hint') s.baselineMode = r.baselineMode;
  else if (r.baselineMode !== undefined) warn(`leaklint.baselineMode: "${String(r.baselineMode)}" is not one of hide, hint`);
  if (Array.isArray(r.exclude)) s.exclude = r.exclude.filter((x): x is string => typeof x === 'string' && x.length < 1000);
  if (r.rules && typeof r.rules === 'object') {
    for (const [id, level] of Object.entries(r.rules as Record<string, unknown>)) {
      if (!RULES_BY_ID.has(id)) warn(`leaklint.rules: "${id}" is not a rule`);
      else if (typeof level !== 'string' || !LEVELS.has(level)) warn(`leaklint.rules.${id}: "${String(level)}" is not one of off, error, warning, info, hint`);
      else (s.rules as Record<string, string>)[id] = level;
    }
  }
  return s;
}

/** The effective engine config for a folder: .leaklint.json, then the editor settings on top. */
export function effectiveConfig(folder: string | null, settings: Settings, warn: (message: string) => void): LeakLintConfig {
  let config = defaultConfig();
  if (folder) {
    try {
      config = loadConfig(folder);
    } catch (e) {
      if (e instanceof ConfigError) warn(e.message);
      else throw e;
    }
  }
  config.rules = { ...config.rules, ...(settings.rules as Record<string, RuleLevel>) };
  config.exclude = [...config.exclude, ...settings.exclude];
  const v = settings.goVersion ? parseGoVersion(settings.goVersion) : null;
  if (settings.goVersion && !v) warn(`leaklint.goVersion: "${settings.goVersion}" does not look like 1.22`);
  if (v) config.goVersion = v;
  return config;
}
