// .leaklint.json: per-rule severity, excluded globs, the Go version override, rule options.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGoVersion, type GoVersion } from './gomod';
import { RULES_BY_ID } from './rules';
import { SEVERITIES, type Severity } from './types';

export type RuleLevel = Severity | 'off';

export interface LeakLintConfig {
  rules: Record<string, RuleLevel>;
  exclude: string[];
  goVersion: GoVersion | null;
  strictGoroutines: boolean;
}

export const CONFIG_FILE = '.leaklint.json';

export function defaultConfig(): LeakLintConfig {
  return { rules: {}, exclude: [], goVersion: null, strictGoroutines: false };
}

export class ConfigError extends Error {}

const LEVELS: readonly string[] = ['off', ...SEVERITIES];
const LEVEL_ALIASES: Record<string, RuleLevel> = { information: 'info', warn: 'warning' };

/** Parses and validates a config; every error names the file and the offending key. */
export function parseConfig(text: string, file = CONFIG_FILE): LeakLintConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const config = defaultConfig();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: expected a JSON object at the top level`);
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case '$schema':
        break;
      case 'rules':
        readRules(value, file, config);
        break;
      case 'exclude':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ConfigError(`${file}: "exclude" must be an array of glob strings`);
        // Bounded cost for globs from a workspace nobody vetted.
        if (value.length > 1000 || value.some((v: string) => v.length > 1000)) throw new ConfigError(`${file}: "exclude" takes at most 1000 globs of at most 1000 characters each`);
        config.exclude = value;
        break;
      case 'goVersion': {
        const v = typeof value === 'string' ? parseGoVersion(value) : null;
        if (!v) throw new ConfigError(`${file}: "goVersion" must be a string like "1.22", got ${JSON.stringify(value)}`);
        config.goVersion = v;
        break;
      }
      default:
        throw new ConfigError(`${file}: unknown key "${key}" (known: rules, exclude, goVersion)`);
    }
  }
  return config;
}

function readRules(value: unknown, file: string, config: LeakLintConfig): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${file}: "rules" must be an object of rule id to level`);
  for (const [id, setting] of Object.entries(value)) {
    if (!RULES_BY_ID.has(id)) throw new ConfigError(`${file}: rules."${id}" is not a rule (known: ${[...RULES_BY_ID.keys()].join(', ')})`);
    let level: unknown = setting;
    if (typeof setting === 'object' && setting !== null && !Array.isArray(setting)) {
      const { severity, strict, ...rest } = setting as Record<string, unknown>;
      const extra = Object.keys(rest)[0];
      if (extra) throw new ConfigError(`${file}: rules."${id}".${extra} is not an option (known: severity${id === 'goroutine-without-cancel' ? ', strict' : ''})`);
      if (strict !== undefined) {
        if (id !== 'goroutine-without-cancel' || typeof strict !== 'boolean') throw new ConfigError(`${file}: rules."${id}".strict must be true or false, and only goroutine-without-cancel has it`);
        config.strictGoroutines = strict;
      }
      level = severity ?? 'warning';
    }
    const norm = typeof level === 'string' ? LEVEL_ALIASES[level] ?? level : level;
    if (typeof norm !== 'string' || !LEVELS.includes(norm)) {
      throw new ConfigError(`${file}: rules."${id}" must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
    }
    config.rules[id] = norm as RuleLevel;
  }
}

/** Reads `.leaklint.json` from `root` if there is one. */
export function loadConfig(root: string): LeakLintConfig {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return defaultConfig();
  }
  return parseConfig(text, file);
}
