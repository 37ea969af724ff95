// The dump reader streams: a 200 MB dump generated on the fly is read in bounded memory
// and reasonable time, with every goroutine counted.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { WorkspaceMap } from '../server/src/engine/dump/mapping';
import { readDump } from '../server/src/engine/dump/read';
import { FIXTURES } from './helpers/fixtures';

const SITES = [
  { func: 'example.com/fixtures/abandoned-sender.Race.func1', file: '/build/ci/abandoned-sender/positive.go', line: 81, created: 80, state: 'chan send' },
  { func: 'example.com/fixtures/goroutine-without-cancel.(*Manager).Run.func1', file: '/build/ci/goroutine-without-cancel/positive.go', line: 21, created: 18, state: 'sleep' },
  { func: 'example.com/vendor/lib.(*Pool).worker', file: '/go/pkg/mod/example.com/vendor/lib@v1.2.3/pool.go', line: 40, created: 33, state: 'select' },
];

/** debug=2 text for `total` goroutines, made chunk by chunk as the reader asks for it. */
function generated(targetBytes: number): { stream: Readable; produced: () => { bytes: number; goroutines: number; perSite: number[] } } {
  let bytes = 0;
  let id = 1;
  const perSite = SITES.map(() => 0);
  const stream = new Readable({
    read() {
      if (bytes >= targetBytes) return void this.push(null);
      let chunk = '';
      while (chunk.length < 256 * 1024) {
        const i = id % SITES.length;
        const s = SITES[i];
        perSite[i]++;
        chunk +=
          `goroutine ${id++} [${s.state}, ${id % 2000} minutes]:\n` +
          `runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n\t/usr/local/go/src/runtime/proc.go:363 +0xd6\n` +
          `${s.func}(0xc000123456?)\n\t${s.file}:${s.line} +0x2e\n` +
          `created by ${s.func.replace(/\.func1$|\.worker$/, '')} in goroutine 1\n\t${s.file}:${s.created} +0x45\n\n`;
      }
      bytes += Buffer.byteLength(chunk);
      this.push(chunk);
    },
  });
  return { stream, produced: () => ({ bytes, goroutines: id - 1, perSite }) };
}

test('a 200 MB dump streams through in bounded memory and reasonable time', { timeout: 180_000 }, async () => {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const { stream, produced } = generated(200 * 1024 * 1024);
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  let progressCalls = 0;
  const report = await readDump(stream, { map: new WorkspaceMap(FIXTURES), onProgress: () => progressCalls++ });
  const ms = Date.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const p = produced();
  const growthMb = (peak - before) / 1024 / 1024;
  // Throughput per CPU second (generating the text included): wall time depends on how busy the machine is.
  const mbPerS = p.bytes / 1024 / 1024 / cpuS;
  console.log(`dump stream: ${(p.bytes / 1024 / 1024).toFixed(0)} MB, ${p.goroutines.toLocaleString('en-US')} goroutines in ${(ms / 1000).toFixed(1)} s wall, ${cpuS.toFixed(1)} s CPU (${mbPerS.toFixed(0)} MB per CPU second); RSS growth ${growthMb.toFixed(0)} MB`);
  assert.equal(report.goroutines, p.goroutines);
  assert.equal(report.bytes, p.bytes);
  assert.deepEqual(report.notes.filter((n) => !/not in the workspace/.test(n)), []);
  assert.deepEqual(report.sites.map((s) => s.count).sort((a, b) => b - a), [...p.perSite].sort((a, b) => b - a));
  const race = report.sites.find((s) => s.line === 81)!;
  assert.ok(race.file?.endsWith('abandoned-sender/positive.go'));
  assert.equal(race.maxWaitMinutes, 1999);
  assert.ok(progressCalls >= 40, `${progressCalls} progress reports`);
  // The reader keeps one goroutine at a time: growth is the stream's buffers and the GC's slack, not the dump.
  assert.ok(growthMb < 120, `RSS grew by ${growthMb.toFixed(0)} MB for a ${(p.bytes / 1024 / 1024).toFixed(0)} MB dump`);
  assert.ok(mbPerS > 15, `${mbPerS.toFixed(0)} MB per CPU second`);
});
