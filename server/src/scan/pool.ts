// A small pool of worker threads for scans, kept warm between scans.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as fs from 'node:fs';
import type { JobResult, PackageJob } from './package-job';
import { factsOf, mergeParts, ownerTypesOf, splitBySize, type PartReply, type PartRequest, type PreparedPart } from './split-job';
import { newClaimsSetup } from './dep-claims';

export type JobOutcome = { result: JobResult; error?: undefined } | { result?: undefined; error: string };

type Reply = { result?: JobResult; part?: PartReply; error?: string };

interface Slot {
  worker: Worker;
  /** Requests sent and not answered, by id: two runs at once (a scan and a package re-analysis) may share a worker. */
  pending: Map<number, (r: Reply) => void>;
  dead: boolean;
}

/**
 * A package with more bytes than this is shared by the workers (split-job.ts) rather than run
 * on one. LEAKLINT_SPLIT_BYTES overrides it (tests split every package to compare the results).
 */
export const SPLIT_BYTES = Number(process.env.LEAKLINT_SPLIT_BYTES) >= 0 && process.env.LEAKLINT_SPLIT_BYTES ? Number(process.env.LEAKLINT_SPLIT_BYTES) : 512 * 1024;

export function defaultParallelism(): number {
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 8));
}

let pools = 0;

export class ScanPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Shared by this pool's workers: who is reading which dependency (dep-claims.ts). */
  private readonly claims = newClaimsSetup(`leaklint-deps-${process.pid}-${++pools}`);

  constructor(
    private readonly size = defaultParallelism(),
    private readonly script = path.join(__dirname, 'scan-worker.js'),
  ) {}

  /** Runs jobs, one per worker at a time, in order handed out; stops handing out once `cancelled()`. */
  async run(jobs: PackageJob[], onDone: (o: JobOutcome, job: PackageJob) => void, cancelled: () => boolean = () => false): Promise<void> {
    clearTimeout(this.idleTimer);
    this.grow();
    // Big packages first, each on every worker at once; then the rest, one package per worker.
    const rest: PackageJob[] = [];
    for (const job of jobs) {
      const sizes = this.slots.length > 1 && !job.overlays ? sizesOf(job.files) : null;
      if (!sizes || sizes.reduce((a, b) => a + b, 0) <= SPLIT_BYTES || job.files.length < 2) {
        rest.push(job);
        continue;
      }
      if (cancelled()) break;
      onDone(await this.runSplit(job, sizes), job);
      this.grow(); // replace a worker that died
    }
    jobs = rest;
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
      const slot: Slot = { worker: new Worker(this.script, { workerData: { claims: this.claims } }), pending: new Map(), dead: false };
      slot.worker.unref();
      slot.worker.on('message', (m: { id: number } & Reply) => {
        const resolve = slot.pending.get(m.id);
        if (!resolve) return;
        slot.pending.delete(m.id);
        resolve(m);
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

  private async send(slot: Slot, job: PackageJob): Promise<JobOutcome> {
    const r = await this.request(slot, { job });
    return r.error !== undefined ? { error: r.error } : { result: r.result! };
  }

  private request(slot: Slot, message: { job: PackageJob } | { part: PartRequest }): Promise<Reply> {
    if (slot.dead) return Promise.resolve({ error: 'scan worker stopped' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      slot.pending.set(id, resolve);
      slot.worker.postMessage({ id, ...message });
    });
  }

  /** One package on every worker: each prepares a part, then analyses it with the whole package's facts. */
  private async runSplit(job: PackageJob, sizes: number[]): Promise<JobOutcome> {
    const slots = this.slots.filter((s) => !s.dead);
    const parts = splitBySize(job.files, sizes, slots.length);
    const key = this.nextId++;
    const used = slots.slice(0, parts.length);
    const t0 = Date.now();
    const ownerTypes = ownerTypesOf(job);
    const prepared = await Promise.all(used.map((slot, k) => this.request(slot, { part: { step: 'prepare', key, job, files: parts[k], ownerTypes } })));
    const failed = prepared.find((r) => r.error !== undefined);
    if (failed) {
      await Promise.all(used.map((slot) => this.request(slot, { part: { step: 'drop', key } })));
      return { error: failed.error! };
    }
    const ready = prepared.map((r) => r.part as PreparedPart);
    const facts = factsOf(job, ready);
    const t1 = Date.now();
    const analysed = await Promise.all(used.map((slot) => this.request(slot, { part: { step: 'analyze', key, job, facts } })));

    if (process.env.LEAKLINT_DEBUG_SPLIT) console.error(`split ${job.files.length} files in ${parts.length} parts: prepare ${t1 - t0} ms, analyze ${Date.now() - t1} ms`);
    const broken = analysed.find((r) => r.error !== undefined);
    if (broken) return { error: broken.error! };
    return { result: mergeParts(job, ready, analysed.map((r) => r.part as Omit<JobResult, 'bytes'>)) };
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

/** File sizes by stat (0 for a file that cannot be read: it is skipped with a reason later). */
function sizesOf(files: string[]): number[] {
  return files.map((f) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  });
}
