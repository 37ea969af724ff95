// A scan worker: parses and analyses whole package folders off the server's main thread.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { LeakEngine } from '../engine/engine';
import { PackageIndex } from '../engine/package-index';
import type { LineIndex } from '../engine/positions';
import { toDiagnostic } from './convert';
import { readableText } from './documents';
import type { ScanJob, ScannedFileResult, WorkerMessage } from './scan-protocol';

const enginePromise = LeakEngine.create();

parentPort?.on('message', (job: ScanJob) => {
  enginePromise
    .then((engine) => runJob(engine, job))
    .then(
      (msg) => parentPort!.postMessage(msg),
      (e) => parentPort!.postMessage({ type: 'failed', id: job.id, message: String((e as Error)?.stack ?? e) } satisfies WorkerMessage),
    );
});

function runJob(engine: LeakEngine, job: ScanJob): WorkerMessage {
  const out: ScannedFileResult[] = [];
  const loaded: { path: string; source: string; mtimeMs: number; size: number }[] = [];
  let bytes = 0;
  for (const path of job.files) {
    try {
      const stat = fs.statSync(path);
      const buf = fs.readFileSync(path);
      bytes += buf.length;
      const t = readableText(buf, job.maxFileSize);
      if ('reason' in t) out.push({ path, diagnostics: null, summary: null, skipped: t.reason, mtimeMs: stat.mtimeMs, size: stat.size });
      else loaded.push({ path, source: t.text, mtimeMs: stat.mtimeMs, size: stat.size });
    } catch (e) {
      // Deleted or made unreadable mid-scan: report it as gone.
      out.push({ path, diagnostics: null, summary: null, skipped: `cannot read: ${(e as NodeJS.ErrnoException).code ?? e}`, mtimeMs: 0, size: 0 });
    }
  }
  const errors: string[] = [];
  if (loaded.length) {
    const trees = loaded.map((f) => engine.parse(f.source));
    try {
      const summaries = loaded.map((f, i) => engine.summarize(f.path, trees[i], f.source));
      const lines = new Map<string, LineIndex>();
      const results = loaded.map((f, i) => {
        const pkg = summaries.filter((s) => s.packageName === summaries[i].packageName);
        const r = engine.analyze(f.path, f.source, trees[i], { config: job.config, goVersion: job.goVersion, pkg: new PackageIndex(pkg) });
        lines.set(f.path, r.lines);
        errors.push(...r.errors);
        return r;
      });
      loaded.forEach((f, i) => {
        const uri = pathToFileURL(f.path).href;
        const diagnostics = results[i].findings.map((finding) => toDiagnostic(finding, results[i].lines, job.encoding, uri, (p) => lines.get(p)));
        out.push({ path: f.path, diagnostics, summary: summaries[i], mtimeMs: f.mtimeMs, size: f.size });
      });
    } finally {
      for (const t of trees) t.delete();
    }
  }
  return { type: 'result', id: job.id, files: out, bytes, errors };
}
