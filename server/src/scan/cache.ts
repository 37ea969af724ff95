// On-disk cache of package results, so an unchanged tree rescans in well under a second.
// A package (one folder) is reused only when every file in it is byte-for-byte the same
// (checked by stat, then by SHA-1 of the content), and the engine build, the config and
// the Go version are the same as when it was stored.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { folderDigest, stampUnchanged, type DepStamp } from '../engine/deps';
import type { JobResult, PackageJob } from './package-job';

interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
  sha1: string;
}

interface Entry {
  salt: string;
  files: FileStamp[];
  /** The job's result without file texts (re-read on a hit, only where there are findings). */
  result: JobResult;
}

const sha1 = (data: string | Buffer) => crypto.createHash('sha1').update(data).digest('hex');

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'leaklint');
}

/** A salt that changes with the engine build (this bundle's bytes) and the version. */
export function buildSalt(version: string): string {
  let self = '';
  try {
    self = sha1(fs.readFileSync(__filename));
  } catch {
    self = String(Date.now()); // cannot read ourselves: never reuse
  }
  return `${version}:${self}`;
}

export class PackageCache {
  hits = 0;
  misses = 0;

  constructor(
    private readonly dir: string,
    private readonly salt: string,
  ) {}

  /**
   * Dependency folders already looked at (many packages share the same imports), kept for a
   * moment only: the server's cache lives for hours while files change.
   */
  private readonly digests = new Map<string, { at: number; digest: string }>();

  private depUnchanged(stamp: DepStamp): boolean {
    return stampUnchanged(stamp, (dir) => {
      const now = Date.now();
      let d = this.digests.get(dir);
      if (!d || now - d.at > 2000) this.digests.set(dir, (d = { at: now, digest: folderDigest(dir) }));
      return d.digest;
    });
  }

  private entryPath(job: PackageJob): string {
    return path.join(this.dir, `${sha1(path.dirname(job.files[0]))}.json`);
  }

  private jobSalt(job: PackageJob): string {
    return sha1(JSON.stringify([this.salt, job.config, job.goVersion, job.maxFileSize, !!job.includeGenerated, job.encoding ?? null, job.overlays ?? null]));
  }

  /** The stored result if the package is unchanged, else null. */
  get(job: PackageJob): JobResult | null {
    let entry: Entry;
    try {
      entry = JSON.parse(fs.readFileSync(this.entryPath(job), 'utf8')) as Entry;
    } catch {
      this.misses++;
      return null;
    }
    const files = [...job.files].sort();
    if (
      entry.salt !== this.jobSalt(job) ||
      entry.files.length !== files.length ||
      entry.files.some((f, i) => f.path !== files[i]) ||
      !entry.files.every(unchanged) ||
      !(entry.result.deps ?? []).every((d) => this.depUnchanged(d)) // a dependency's facts changed
    ) {
      this.misses++;
      return null;
    }
    this.hits++;
    for (const f of entry.result.files) {
      if (!f.findings) continue;
      try {
        f.source = fs.readFileSync(f.path, 'utf8');
      } catch {
        this.hits--;
        this.misses++;
        return null;
      }
    }
    return entry.result;
  }

  put(job: PackageJob, result: JobResult): void {
    try {
      const files = [...job.files].sort().map((p): FileStamp => {
        const stat = fs.statSync(p);
        return { path: p, size: stat.size, mtimeMs: stat.mtimeMs, sha1: sha1(fs.readFileSync(p)) };
      });
      const stripped: JobResult = { ...result, files: result.files.map((f) => ({ ...f, source: undefined })) };
      fs.mkdirSync(this.dir, { recursive: true });
      const target = this.entryPath(job);
      const tmp = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ salt: this.jobSalt(job), files, result: stripped } satisfies Entry));
      fs.renameSync(tmp, target);
    } catch {
      // A cache that cannot be written is only slower.
    }
  }
}

function unchanged(f: FileStamp): boolean {
  try {
    const stat = fs.statSync(f.path);
    if (stat.size !== f.size) return false;
    if (stat.mtimeMs === f.mtimeMs) return true;
    return sha1(fs.readFileSync(f.path)) === f.sha1;
  } catch {
    return false;
  }
}
