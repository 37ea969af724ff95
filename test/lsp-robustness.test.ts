// The server under hostile conditions: vanishing folders, broken links, cancelled scans,
// thousands of edits; and it never runs a program or opens a connection.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from '../server/src/engine/config';
import { LeakEngine } from '../server/src/engine/engine';
import { LspClient, SERVER } from './helpers/lsp-client';

const LEAKY = 'package p\n\nfunc Start() chan error {\n\terrc := make(chan error)\n\tgo func() { errc <- nil }()\n\treturn errc\n}\n';
const SOAK_EDITS = Number(process.env.LEAKLINT_SOAK ?? 1000);

function workspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-rob-')));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function status(pid: number, key: string): number {
  return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

test('broken links, symlink loops, unreadable entries and a vanished folder do not stop a scan', async () => {
  const dir = workspace({ 'a/a.go': LEAKY, 'b/b.go': LEAKY.replace('package p', 'package b') });
  fs.symlinkSync(path.join(dir, 'missing.go'), path.join(dir, 'a/dangling.go'));
  fs.symlinkSync(dir, path.join(dir, 'a/loop'));
  fs.mkdirSync(path.join(dir, 'c'));
  fs.writeFileSync(path.join(dir, 'c/bin.go'), Buffer.from([0, 1, 2, 3]));
  const client = new LspClient(dir);
  client.settings = () => ({ scanOnStartup: false });
  try {
    await client.initialize(pathToFileURL(dir).href);
    const r: any = await client.conn.sendRequest('workspace/executeCommand', { command: 'leaklint.scanWorkspace', arguments: [] });
    assert.equal(r.findings, 2);
    assert.equal(client.diagnosticsFor(pathToFileURL(path.join(dir, 'a/a.go')).href)!.length, 1);
    // The folder disappears: the next scan clears what it reported, and the server keeps serving.
    fs.rmSync(dir, { recursive: true, force: true });
    const again: any = await client.conn.sendRequest('workspace/executeCommand', { command: 'leaklint.scanWorkspace', arguments: [] });
    assert.equal(again.findings, 0);
    assert.deepEqual(client.diagnosticsFor(pathToFileURL(path.join(dir, 'a/a.go')).href), []);
  } finally {
    await client.stop();
  }
});

test('a scan cancelled halfway stops and says so', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 400; i++) files[`p${i}/f.go`] = LEAKY.replace('package p', `package p${i}`);
  const dir = workspace(files);
  const client = new LspClient(dir);
  client.settings = () => ({ scanOnStartup: false });
  try {
    await client.initialize(pathToFileURL(dir).href);
    const scan = client.conn.sendRequest('workspace/executeCommand', { command: 'leaklint.scanWorkspace', arguments: [] });
    const create = await client.waitFor('progress token', () => client.notifications.find((n) => n.method === 'window/workDoneProgress/create'));
    await client.waitFor('first report', () => client.notifications.some((n) => n.method === '$/progress' && n.params.value.kind === 'report'));
    await client.conn.sendNotification('window/workDoneProgress/cancel', { token: create.params.token });
    const r: any = await scan;
    assert.equal(r.cancelled, true);
    assert.ok(r.files < 400, `stopped early (${r.files} of 400 files)`);
  } finally {
    await client.stop();
  }
});

test('the server never runs a program, opens a network connection or writes a file', async () => {
  const dir = workspace({ 'a.go': LEAKY, 'go.mod': 'module x\n\ngo 1.22\n', '.leaklint.json': '{"exclude": ["**/**/**/**/**/**/**/**/**/x*y*z*w*.go"]}' });
  const trapLog = path.join(dir, 'trap.log');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-trap-cache-'));
  const client = new LspClient(dir, SERVER, { execArgv: ['-r', path.join(__dirname, 'helpers/trap-exec-net.cjs')], env: { ...process.env, LEAKLINT_TRAP_LOG: trapLog, LEAKLINT_TRAP_ALLOW: cacheDir } });
  client.settings = () => ({ scanOnStartup: true, exclude: ['{a,b,c}*'.repeat(200)] });
  try {
    await client.initialize(pathToFileURL(dir).href, { initializationOptions: { cacheDir } });
    const uri = pathToFileURL(path.join(dir, 'a.go')).href;
    await client.waitFor('scan results', () => client.diagnosticsFor(uri)?.length === 1);
    client.open(uri, LEAKY);
    const [d] = await client.waitFor('open', () => client.diagnosticsFor(uri, 1));
    const actions: any[] = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    await client.conn.sendRequest('workspace/executeCommand', actions.find((a) => a.command)?.command);
    await client.conn.sendRequest('workspace/executeCommand', { command: 'leaklint.scanWorkspace', arguments: [] });
  } finally {
    await client.stop();
  }
  assert.equal(fs.existsSync(trapLog) ? fs.readFileSync(trapLog, 'utf8') : '', '', 'no program run, no connection opened, no file written outside its cache');
  assert.ok(fs.readdirSync(cacheDir).length > 0, 'the scan results were cached in the folder the client gave');
});

test(`soak: ${SOAK_EDITS} random edits over stdio, memory flat, no errors, final state correct`, { timeout: 30 * 60_000 }, async () => {
  const source = fs.readFileSync(path.join(__dirname, '../test-fixtures/abandoned-sender/positive.go'), 'utf8');
  const dir = workspace({ 'a.go': source });
  const client = new LspClient(dir);
  client.settings = () => ({ scanOnStartup: false });
  const pid = client.proc.pid!;
  try {
    await client.initialize(pathToFileURL(dir).href);
    const uri = pathToFileURL(path.join(dir, 'a.go')).href;
    let text = source;
    client.open(uri, text);
    await client.waitFor('open', () => client.diagnosticsFor(uri, 1));
    const startRss = status(pid, 'VmRSS');
    let rssAtQuarter = 0;
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['x', ' ', '\n', '}', '{', 'go func() {}()\n', 'ch <- 1\n', '// 😀 日本\n', ''];
    let version = 1;
    for (let i = 0; i < SOAK_EDITS; i++) {
      const at = rand(text.length + 1);
      const del = rand(4) === 0 ? Math.min(text.length - at, rand(20)) : 0;
      const insert = pieces[rand(pieces.length)];
      const before = text.slice(0, at);
      const line = before.split('\n').length - 1;
      const character = at - (before.lastIndexOf('\n') + 1);
      const endText = text.slice(0, at + del);
      const endLine = endText.split('\n').length - 1;
      const endChar = at + del - (endText.lastIndexOf('\n') + 1);
      text = text.slice(0, at) + insert + text.slice(at + del);
      client.change(uri, ++version, [{ range: { start: { line, character }, end: { line: endLine, character: endChar } }, text: insert }]);
      if (i % 20 === 19) {
        const v = version;
        await client.waitFor(`v${v}`, () => client.diagnosticsFor(uri, v), 30_000);
      }
      if (i === Math.floor(SOAK_EDITS / 4)) rssAtQuarter = status(pid, 'VmRSS');
      // Every so often, go back to the original so the file does not drift into noise.
      if (i % 200 === 199) {
        text = source;
        client.change(uri, ++version, [{ text }]);
      }
    }
    const v = version;
    const final = await client.waitFor('final', () => client.diagnosticsFor(uri, v), 30_000);
    const endRss = status(pid, 'VmRSS');
    const peakRss = status(pid, 'VmHWM');
    console.log(`soak: ${SOAK_EDITS} edits; RSS start ${startRss.toFixed(0)} MB, at 1/4 ${rssAtQuarter.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB, end ${endRss.toFixed(0)} MB`);
    assert.ok(endRss - rssAtQuarter < 60, `memory does not keep growing (${rssAtQuarter.toFixed(0)} → ${endRss.toFixed(0)} MB)`);
    assert.deepEqual(client.logs.filter((l) => /failed|internal error|uncaught|unhandled/i.test(l)), []);
    // The published state equals a fresh analysis of the final text.
    const engine = await LeakEngine.create();
    const fresh = engine.analyzeFiles([{ path: path.join(dir, 'a.go'), source: text }], { config: defaultConfig(), goVersion: null }).get(path.join(dir, 'a.go'))!;
    assert.deepEqual(final.map((d) => d.message).sort(), fresh.findings.map((f) => f.message).sort());
  } finally {
    await client.stop();
  }
});
