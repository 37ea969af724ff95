// A scan worker thread: runs package jobs with its own parser. A big package is shared by
// several workers in two steps (split-job.ts): each parses and summarises its part and keeps
// the trees, then analyses that part once it has the summaries of the whole package.
import { parentPort, workerData } from 'node:worker_threads';
import { LeakEngine } from '../engine/engine';
import { runPackageJob, type PackageJob } from './package-job';
import { PartHolder, type PartRequest } from './split-job';
import { DepClaims, type ClaimsSetup } from './dep-claims';

const engine = LeakEngine.create();
const parts = new PartHolder();

type Request = { id: number; job: PackageJob } | { id: number; part: PartRequest };

/** The dependency epoch of the last job: facts another worker read for it are shared. */
let epoch = 0;

// Dependencies another worker reads are taken, not read again (dep-claims.ts).
const setup = (workerData as { claims?: ClaimsSetup } | null)?.claims;
const claims = setup
  ? new DepClaims(setup, (p) => {
      void engine.then((e) => {
        if (p.epoch === epoch) e.dependencies(epoch).share(p.dep);
      });
    })
  : null;

parentPort?.on('message', (m: Request) => {
  const job = 'job' in m ? m.job : m.part.step === 'drop' ? null : m.part.job;
  if (job) {
    epoch = job.depsEpoch ?? 0;
    const jobEpoch = epoch;
    void engine.then((e) => {
      const deps = e.dependencies(jobEpoch);
      if (claims && !deps.onRead) {
        deps.onRead = (dep) => claims.publish(dep, jobEpoch);
        deps.fromPeers = (dir) => claims.fromPeers(dir, jobEpoch);
      }
    });
  }
  engine
    .then((e) => ('job' in m ? { result: runPackageJob(e, m.job) } : { part: parts.handle(e, m.part) }))
    .then(
      (reply) => parentPort!.postMessage({ id: m.id, ...reply }),
      (e) => parentPort!.postMessage({ id: m.id, error: String((e as Error)?.stack ?? e) }),
    );
});
