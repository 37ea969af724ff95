// A scan worker thread: runs package jobs with its own parser.
import { parentPort } from 'node:worker_threads';
import { LeakEngine } from '../engine/engine';
import { runPackageJob, type PackageJob } from './package-job';

const engine = LeakEngine.create();

parentPort?.on('message', ({ id, job }: { id: number; job: PackageJob }) => {
  engine
    .then((e) => runPackageJob(e, job))
    .then(
      (result) => parentPort!.postMessage({ id, result }),
      (e) => parentPort!.postMessage({ id, error: String((e as Error)?.stack ?? e) }),
    );
});
