// The main module's Go version decides version-dependent behaviour (timers in 1.23, wg.Go in 1.25).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GoVersion {
  major: number;
  minor: number;
}

export function parseGoVersion(text: string): GoVersion | null {
  const m = /^(?:go)?(\d+)\.(\d+)/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** The `go` directive of a go.mod file's text. */
export function goDirective(gomod: string): GoVersion | null {
  const m = /^\s*go\s+(\d+\.\d+)/m.exec(gomod);
  return m ? parseGoVersion(m[1]) : null;
}

/** Finds the nearest go.mod above `dir` (cached per directory). */
export class GoModLocator {
  private readonly cache = new Map<string, { file: string; version: GoVersion | null } | null>();

  find(dir: string): { file: string; version: GoVersion | null } | null {
    const hit = this.cache.get(dir);
    if (hit !== undefined) return hit;
    let result: { file: string; version: GoVersion | null } | null = null;
    const file = path.join(dir, 'go.mod');
    try {
      result = { file, version: goDirective(fs.readFileSync(file, 'utf8')) };
    } catch {
      const parent = path.dirname(dir);
      result = parent !== dir ? this.find(parent) : null;
    }
    this.cache.set(dir, result);
    return result;
  }

  clear(): void {
    this.cache.clear();
  }
}
