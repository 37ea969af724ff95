// A small pool of worker threads for scans, kept warm between scans.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { JobResult, PackageJob } from './package-job';

export type JobOutcome = { result: JobResult; error?: undefined } | { result?: undefined; error: string };

interface Slot {
  worker: Worker;
  /** Jobs sent and not answered, by id: two runs at once (a scan and a package re-analysis) may share a worker. */
  pending: Map<number, (o: JobOutcome) => void>;
  dead: boolean;
}

export function defaultParallelism(): number {
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 8));
}

export class ScanPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly size = defaultParallelism(),
    private readonly script = path.join(__dirname, 'scan-worker.js'),
  ) {}

  /** Runs jobs, one per worker at a time, in order handed out; stops handing out once `cancelled()`. */
  async run(jobs: PackageJob[], onDone: (o: JobOutcome, job: PackageJob) => void, cancelled: () => boolean = () => false): Promise<void> {
    clearTimeout(this.idleTimer);
    this.grow();
    let next = 0;
    const drive = async (slot: Slot) => {
      while (next < jobs.length && !cancelled() && !slot.dead) {
        const job = jobs[next++];
        const outcome = await this.send(slot, job);
        onDone(outcome, job);
      }
    };
    await Promise.all(this.slots.map(drive));
    // Idle workers each hold a parser; let them go after a quiet minute.
    this.idleTimer = setTimeout(() => this.dispose(), 60_000);
    this.idleTimer.unref();
  }

  private grow(): void {
    this.slots = this.slots.filter((s) => !s.dead);
    while (this.slots.length < this.size) {
      const slot: Slot = { worker: new Worker(this.script), pending: new Map(), dead: false };
      slot.worker.unref();
      slot.worker.on('message', (m: { id: number; result?: JobResult; error?: string }) => {
        const resolve = slot.pending.get(m.id);
        if (!resolve) return;
        slot.pending.delete(m.id);
        resolve(m.error !== undefined ? { error: m.error } : { result: m.result! });
      });
      const die = (why: string) => {
        slot.dead = true;
        const waiting = [...slot.pending.values()];
        slot.pending.clear();
        for (const resolve of waiting) resolve({ error: `scan worker stopped: ${why}` });
      };
      slot.worker.on('error', (e) => die(String(e)));
      slot.worker.on('exit', (code) => die(`exit code ${code}`));
      this.slots.push(slot);
    }
  }

  private send(slot: Slot, job: PackageJob): Promise<JobOutcome> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      slot.pending.set(id, resolve);
      slot.worker.postMessage({ id, job });
    });
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    for (const s of this.slots) {
      s.dead = true;
      void s.worker.terminate();
    }
    this.slots = [];
  }
}
