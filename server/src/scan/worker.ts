// A scan worker thread: runs package jobs with its own parser. A big package is shared by
// several workers in two steps (split-job.ts): each parses and summarises its part and keeps
// the trees, then analyses that part once it has the summaries of the whole package.
import { parentPort } from 'node:worker_threads';
import { LeakEngine } from '../engine/engine';
import type { SharedDep } from '../engine/deps';
import { runPackageJob, type PackageJob } from './package-job';
import { PartHolder, type PartRequest } from './split-job';

const engine = LeakEngine.create();
const parts = new PartHolder();

type Request = { id: number; job: PackageJob } | { id: number; part: PartRequest } | { dep: SharedDep; epoch: number };

/** The dependency epoch of the last job: facts another worker read for it are shared (pool.ts). */
let epoch = 0;

parentPort?.on('message', (m: Request) => {
  if ('dep' in m) {
    void engine.then((e) => {
      if (m.epoch === epoch) e.dependencies(epoch).share(m.dep);
    });
    return;
  }
  const job = 'job' in m ? m.job : m.part.step === 'drop' ? null : m.part.job;
  if (job) {
    epoch = job.depsEpoch ?? 0;
    void engine.then((e) => {
      e.dependencies(epoch).onRead ??= (dep) => parentPort!.postMessage({ dep, epoch: job.depsEpoch ?? 0 });
    });
  }
  engine
    .then((e) => ('job' in m ? { result: runPackageJob(e, m.job) } : { part: parts.handle(e, m.part) }))
    .then(
      (reply) => parentPort!.postMessage({ id: m.id, ...reply }),
      (e) => parentPort!.postMessage({ id: m.id, error: String((e as Error)?.stack ?? e) }),
    );
});
