// Language-server benchmark: edit-to-diagnostics latency and the workspace scan, over stdio.
//   npm run bench:lsp -- [GO_SRC_ROOT]      (default /usr/share/go-1.19/src)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/helpers/lsp-client';

const GOSRC = process.argv[2] ?? '/usr/share/go-1.19/src';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** A real file cut at the last top-level `}` at or before `lines` lines, so it stays valid Go. */
function realGoFile(lines: number): string {
  const src = fs.readFileSync(path.join(GOSRC, 'runtime/proc.go'), 'utf8').split('\n');
  let end = Math.min(lines, src.length) - 1;
  while (end > 0 && src[end] !== '}') end--;
  return src.slice(0, end + 1).join('\n') + '\n';
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function editLatency(lines: number, edits: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-bench-'));
  const file = path.join(dir, 'proc.go');
  let text = realGoFile(lines);
  fs.writeFileSync(file, text);
  const client = new LspClient(dir);
  client.settings = () => ({ scanOnStartup: false });
  await client.initialize(pathToFileURL(dir).href);
  const uri = pathToFileURL(file).href;
  client.open(uri, text);
  await client.waitFor('first diagnostics', () => client.diagnosticsFor(uri, 1), 60000);
  // Type and delete a character inside comments spread over the file (keeps the file valid).
  const commentLines = text.split('\n').map((l, i) => (l.trim().startsWith('//') ? i : -1)).filter((i) => i >= 0);
  const times: number[] = [];
  let version = 1;
  for (let i = 0; i < edits; i++) {
    // Pairs: type an 'x' after the '//' of a comment line, then delete it again.
    const line = commentLines[(Math.floor(i / 2) * 7919) % commentLines.length];
    const insert = i % 2 === 0;
    const at = { line, character: 2 };
    const change = insert ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line, character: 3 } }, text: '' };
    version++;
    const t0 = process.hrtime.bigint();
    client.change(uri, version, [change]);
    await client.waitFor(`v${version}`, () => client.diagnosticsFor(uri, version));
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const rss = peakRssMb(client.proc.pid!);
  if (process.env.LEAKLINT_TIMING === '1') fs.writeFileSync('/tmp/leaklint-timing.log', client.stderr);
  await client.stop();
  return { lines: text.split('\n').length - 1, edits, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), peakRssMb: rss };
}

async function workspaceScan() {
  const client = new LspClient(GOSRC);
  client.settings = () => ({ scanOnStartup: false });
  await client.initialize(pathToFileURL(GOSRC).href);
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const t0 = process.hrtime.bigint();
    const r: any = await client.conn.sendRequest('workspace/executeCommand', { command: 'leaklint.scanWorkspace', arguments: [] });
    runs.push({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, files: r.files, findings: r.findings });
  }
  const rss = peakRssMb(client.proc.pid!);
  await client.stop();
  return { runs, serverPeakRssMb: rss };
}

(async () => {
  const e5k = await editLatency(5000, 200);
  console.log(`edit → diagnostics, ${e5k.lines}-line file, ${e5k.edits} edits: p50 ${e5k.p50.toFixed(2)} ms, p95 ${e5k.p95.toFixed(2)} ms, max ${e5k.max.toFixed(1)} ms, server peak RSS ${e5k.peakRssMb.toFixed(0)} MB`);
  const scan = await workspaceScan();
  for (const [i, r] of scan.runs.entries()) console.log(`workspace scan ${i === 0 ? 'cold' : 'again'}: ${r.files} files in ${r.seconds.toFixed(1)} s, ${r.findings} findings`);
  console.log(`server peak RSS during scans: ${scan.serverPeakRssMb.toFixed(0)} MB (main thread; workers share the process)`);
})();
