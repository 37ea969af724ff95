// Scan workers reading the same dependency at once. A package's analysis is synchronous, so a
// worker cannot take in what another read until its job ends: both halves of a split package
// (split-job.ts), which import the same packages at the same moment, read each of them twice.
// A worker that needs a dependency claims it in a table shared by all workers; the others wait
// for the claimant's facts (sent on a BroadcastChannel, which they read synchronously) instead
// of reading it again. Claims are by a hash of the folder: a collision costs a wait and a read,
// never a wrong answer, as what a worker takes must name the folder it asked for.
import { BroadcastChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { SharedDep } from '../engine/deps';

/** Slots of the claim table: 0 free, 1 being read, 2 read. */
const FREE = 0;
const READING = 1;
const READ = 2;

/** How long a worker waits for another's read before reading the package itself (a worker may die). */
const WAIT_MS = 10_000;

export const CLAIM_SLOTS = 8192;

/** What the pool hands every worker. */
export interface ClaimsSetup {
  table: SharedArrayBuffer;
  channel: string;
}

export function newClaimsSetup(channel: string): ClaimsSetup {
  return { table: new SharedArrayBuffer(CLAIM_SLOTS * 4), channel };
}

/** A dependency read by another worker, on the channel. */
interface Published {
  dep: SharedDep;
  epoch: number;
}

export class DepClaims {
  private readonly table: Int32Array;
  private readonly channel: BroadcastChannel;
  /** Published by others and taken in, by epoch and folder. */
  private readonly received = new Map<string, SharedDep['read']>();
  /** Slots this worker claimed, by epoch and folder, until it publishes. */
  private readonly mine = new Map<string, number>();
  private epoch = 0;

  constructor(
    setup: ClaimsSetup,
    /** Told of every dependency another worker publishes (between jobs too). */
    private readonly onPublished: (p: Published) => void,
  ) {
    this.table = new Int32Array(setup.table);
    this.channel = new BroadcastChannel(setup.channel);
    this.channel.onmessage = (e) => this.take((e as { data: Published }).data);
    // A worker with nothing else to do must still be able to exit.
    (this.channel as unknown as { unref?: () => void }).unref?.();
  }

  /**
   * Facts of `dir` another worker read (or null: it could not be read), or undefined: this
   * worker must read it, and then call `publish`.
   */
  fromPeers(dir: string, epoch: number): SharedDep['read'] | undefined {
    if (epoch !== this.epoch) {
      // Dependencies changed (the language server bumps the epoch): what was taken in is stale.
      this.received.clear();
      this.epoch = epoch;
    }
    const key = `${epoch}\0${dir}`;
    if (this.received.has(key)) return this.received.get(key);
    const slot = slotOf(key);
    const was = Atomics.compareExchange(this.table, slot, FREE, READING);
    if (was === FREE) {
      this.mine.set(key, slot);
      return undefined;
    }
    if (was === READING) Atomics.wait(this.table, slot, READING, WAIT_MS);
    this.drain();
    // Not there: the slot was another folder's, or the reader died. Read it here, unclaimed.
    return this.received.get(key);
  }

  /** After reading `dep` (having been told to by fromPeers): the others may take it now. */
  publish(dep: SharedDep, epoch: number): void {
    const key = `${epoch}\0${dep.dir}`;
    const slot = this.mine.get(key);
    this.channel.postMessage({ dep, epoch } satisfies Published);
    if (slot === undefined) return;
    this.mine.delete(key);
    // Posted first: a waiter that wakes finds the message in its queue.
    Atomics.store(this.table, slot, READ);
    Atomics.notify(this.table, slot);
  }

  close(): void {
    this.channel.close();
  }

  private drain(): void {
    for (let m = receiveMessageOnPort(this.channel as never); m; m = receiveMessageOnPort(this.channel as never)) this.take(m.message as Published);
  }

  private take(p: Published): void {
    if (p.epoch < this.epoch) return;
    this.received.set(`${p.epoch}\0${p.dep.dir}`, p.dep.read);
    this.onPublished(p);
  }
}

/** FNV-1a of the key, into the table. */
function slotOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % CLAIM_SLOTS;
}
