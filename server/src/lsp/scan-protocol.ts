// Messages between the language server and its scan workers.
import type { Diagnostic } from 'vscode-languageserver';
import type { LeakLintConfig } from '../engine/config';
import type { GoVersion } from '../engine/gomod';
import type { FileSummary } from '../engine/package-index';
import type { PositionEncoding } from '../engine/positions';

export interface ScanJob {
  id: number;
  /** One package folder's files, analysed together. */
  files: string[];
  config: LeakLintConfig;
  goVersion: GoVersion | null;
  maxFileSize: number;
  encoding: PositionEncoding;
}

export interface ScannedFileResult {
  path: string;
  /** null when the file was skipped or vanished. */
  diagnostics: Diagnostic[] | null;
  summary: FileSummary | null;
  skipped?: string;
  mtimeMs: number;
  size: number;
}

export type WorkerMessage =
  | { type: 'result'; id: number; files: ScannedFileResult[]; bytes: number; errors: string[] }
  | { type: 'failed'; id: number; message: string };
