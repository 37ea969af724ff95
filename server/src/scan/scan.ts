// Scanning files on disk: read, decode, group by package, analyse. Shared by the CLI and the server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakLintConfig } from '../engine/config';
import type { LeakEngine, FileResult } from '../engine/engine';
import { GoModLocator } from '../engine/gomod';
import { decodeSource, generatedNote, DEFAULT_MAX_FILE_SIZE } from '../engine/source';

export interface ScannedFile {
  path: string;
  source: string;
  /** The bytes decoded losslessly: fixes may be written back. */
  exact: boolean;
  result: FileResult;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ScanOutput {
  files: ScannedFile[];
  skipped: SkippedFile[];
  bytes: number;
}

export interface ScanOptions {
  config: LeakLintConfig;
  maxFileSize?: number;
  includeGenerated?: boolean;
  gomod?: GoModLocator;
}

export function scanFiles(engine: LeakEngine, files: string[], opts: ScanOptions): ScanOutput {
  const gomod = opts.gomod ?? new GoModLocator();
  const byDir = new Map<string, string[]>();
  for (const f of files) byDir.set(path.dirname(f), [...(byDir.get(path.dirname(f)) ?? []), f]);
  const out: ScanOutput = { files: [], skipped: [], bytes: 0 };
  for (const [dir, paths] of byDir) {
    const loaded: { path: string; source: string; exact: boolean }[] = [];
    for (const p of paths) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(p);
      } catch (e) {
        out.skipped.push({ path: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        continue;
      }
      out.bytes += bytes.length;
      const decoded = decodeSource(bytes, opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
      if (!decoded.ok) {
        out.skipped.push({ path: p, reason: decoded.reason });
        continue;
      }
      const generated = opts.includeGenerated ? null : generatedNote(decoded.text);
      if (generated) {
        out.skipped.push({ path: p, reason: generated });
        continue;
      }
      loaded.push({ path: p, source: decoded.text, exact: decoded.exact });
    }
    if (!loaded.length) continue;
    const goVersion = gomod.find(dir)?.version ?? null;
    const results = engine.analyzeFiles(loaded, { config: opts.config, goVersion });
    for (const f of loaded) out.files.push({ ...f, result: results.get(f.path)! });
  }
  return out;
}
