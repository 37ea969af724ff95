// A small pool of worker threads for the workspace scan, kept warm between scans.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanJob, WorkerMessage } from './scan-protocol';

type Pending = { worker: Worker; resolve: (m: WorkerMessage) => void };

export class ScanPool {
  private workers: { worker: Worker; busy: boolean }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly size = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4)),
    private readonly script = path.join(__dirname, 'scan-worker.js'),
  ) {}

  /**
   * Runs jobs, at most one per worker at a time; `onResult` sees each as it lands.
   * Stops handing out jobs once `cancelled()` is true.
   */
  async run(jobs: Omit<ScanJob, 'id'>[], onResult: (m: WorkerMessage, job: Omit<ScanJob, 'id'>) => void, cancelled: () => boolean): Promise<void> {
    clearTimeout(this.idleTimer);
    this.grow();
    let next = 0;
    const runOn = async (slot: { worker: Worker; busy: boolean }) => {
      while (next < jobs.length && !cancelled()) {
        const job = jobs[next++];
        slot.busy = true;
        const msg = await this.send(slot.worker, job);
        slot.busy = false;
        onResult(msg, job);
        if (msg.type === 'failed' && msg.message === 'scan worker crashed') return; // this slot is gone
      }
    };
    await Promise.all(this.workers.map(runOn));
    // Idle workers hold a parser each; let them go after a minute of quiet.
    this.idleTimer = setTimeout(() => this.dispose(), 60_000);
    this.idleTimer.unref();
  }

  private grow(): void {
    while (this.workers.length < this.size) {
      const worker = new Worker(this.script);
      worker.unref();
      worker.on('message', (m: WorkerMessage) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m);
      });
      worker.on('error', () => this.replace(worker));
      this.workers.push({ worker, busy: false });
    }
  }

  private replace(worker: Worker): void {
    this.workers = this.workers.filter((w) => w.worker !== worker);
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      p.resolve({ type: 'failed', id, message: 'scan worker crashed' });
    }
  }

  private send(worker: Worker, job: Omit<ScanJob, 'id'>): Promise<WorkerMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { worker, resolve });
      worker.postMessage({ ...job, id });
    });
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    for (const w of this.workers) void w.worker.terminate();
    this.workers = [];
  }
}
