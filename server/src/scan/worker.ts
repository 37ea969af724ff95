// A scan worker thread: runs package jobs with its own parser. A big package is shared by
// several workers in two steps (split-job.ts): each parses and summarises its part and keeps
// the trees, then analyses that part once it has the summaries of the whole package.
import { parentPort } from 'node:worker_threads';
import { LeakEngine } from '../engine/engine';
import { runPackageJob, type PackageJob } from './package-job';
import { PartHolder, type PartRequest } from './split-job';

const engine = LeakEngine.create();
const parts = new PartHolder();

type Request = { id: number; job: PackageJob } | { id: number; part: PartRequest };

parentPort?.on('message', (m: Request) => {
  engine
    .then((e) => ('job' in m ? { result: runPackageJob(e, m.job) } : { part: parts.handle(e, m.part) }))
    .then(
      (reply) => parentPort!.postMessage({ id: m.id, ...reply }),
      (e) => parentPort!.postMessage({ id: m.id, error: String((e as Error)?.stack ?? e) }),
    );
});
