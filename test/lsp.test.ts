// The language server through a real LSP client over stdio, as an editor drives it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyTextEdits, LspClient, type Diag } from './helpers/lsp-client';

const API = `package app

// 結果チャネル 😀: the SDK shape
func Start() chan error {
	errc := make(chan error) // 送信 🚀
	go func() {
		errc <- nil
	}()
	return errc
}
`;

const CALLER = `package app

func use() {
	Start()
}
`;

function workspace(files: Record<string, string>): { dir: string; uri: (f: string) => string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-lsp-')));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return { dir, uri: (f) => pathToFileURL(path.join(dir, f)).href };
}

async function started(files: Record<string, string>, settings: object = { scanOnStartup: false }, extra = {}) {
  const ws = workspace(files);
  const client = new LspClient(ws.dir);
  client.settings = () => settings;
  const init = await client.initialize(pathToFileURL(ws.dir).href, extra);
  return { ws, client, init };
}

/** UTF-16 position of `needle` in `text`, computed independently of the server. */
function pos(text: string, needle: string, from = 0) {
  const at = text.indexOf(needle, from);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

test('diagnostics at the right UTF-16 ranges, with code, docs link and related locations', async () => {
  const { ws, client, init } = await started({ 'app/api.go': API });
  try {
    assert.equal(init.capabilities.positionEncoding, 'utf-16');
    const uri = ws.uri('app/api.go');
    client.open(uri, API);
    const diags = await client.waitFor('diagnostics', () => client.diagnosticsFor(uri, 1));
    assert.equal(diags.length, 1);
    const d = diags[0];
    assert.equal(d.source, 'leaklint');
    assert.equal(d.code, 'unbuffered-result-chan');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range.start, pos(API, 'make(chan error)'));
    assert.deepEqual(d.range.end, { line: 4, character: pos(API, 'make(chan error)').character + 'make(chan error)'.length });
    assert.match(d.codeDescription!.href, /^file:.*docs\/rules\/unbuffered-result-chan\.md$/);
    assert.ok(fs.existsSync(new URL(d.codeDescription!.href)), 'the docs link points at a real page');
    const send = d.relatedInformation!.find((r) => /send/.test(r.message))!;
    assert.deepEqual(send.location.range.start, pos(API, 'errc <- nil'));
  } finally {
    await client.stop();
  }
});

test('UTF-8 positions when the client prefers them', async () => {
  const { ws, client, init } = await started({ 'a.go': API }, { scanOnStartup: false }, { capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } } });
  try {
    assert.equal(init.capabilities.positionEncoding, 'utf-8');
    const uri = ws.uri('a.go');
    const text = API.replace('errc := make', '/* 😀 */ errc := make');
    client.open(uri, text);
    const [d] = await client.waitFor('diagnostics', () => client.diagnosticsFor(uri, 1));
    const line = text.split('\n')[4];
    assert.equal(d.range.start.character, Buffer.byteLength(line.slice(0, line.indexOf('make('))));
  } finally {
    await client.stop();
  }
});

test('incremental edits move diagnostics and make them vanish', async () => {
  const { ws, client } = await started({ 'a.go': API });
  try {
    const uri = ws.uri('a.go');
    client.open(uri, API);
    await client.waitFor('first diagnostics', () => client.diagnosticsFor(uri, 1)?.length === 1);
    // Insert a line with an emoji above: the diagnostic moves down one line.
    let text = API.replace('func Start', '// 🎉 moved\nfunc Start');
    client.change(uri, 2, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '// 🎉 moved\n' }]);
    const moved = await client.waitFor('moved', () => client.diagnosticsFor(uri, 2));
    assert.deepEqual(moved[0].range.start, pos(text, 'make(chan error)'));
    // Type ", 1" inside make(...): the leak is gone.
    const at = pos(text, 'make(chan error)');
    const insertAt = { line: at.line, character: at.character + 'make(chan error'.length };
    text = text.replace('make(chan error)', 'make(chan error, 1)');
    client.change(uri, 3, [{ range: { start: insertAt, end: insertAt }, text: ', 1' }]);
    assert.deepEqual(await client.waitFor('cleared', () => client.diagnosticsFor(uri, 3)), []);
    // Delete it again, one character at a time, in one burst: only the final state counts.
    let v = 3;
    for (let i = 0; i < 3; i++) {
      const s = { line: insertAt.line, character: insertAt.character + 2 - i };
      client.change(uri, ++v, [{ range: { start: s, end: { line: s.line, character: s.character + 1 } }, text: '' }]);
    }
    assert.equal((await client.waitFor('back', () => client.diagnosticsFor(uri, v))).length, 1);
  } finally {
    await client.stop();
  }
});

test('code actions: preferred fix, ignore line and file, docs; applying the fix clears the leak', async () => {
  const { ws, client } = await started({ 'a.go': API });
  try {
    const uri = ws.uri('a.go');
    client.open(uri, API);
    const [d] = await client.waitFor('diagnostics', () => client.diagnosticsFor(uri, 1));
    const actions: any[] = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Buffer the channel: make(..., 1)'), titles.join(' | '));
    assert.ok(titles.includes('Ignore unbuffered-result-chan on this line'));
    assert.ok(titles.includes('Ignore unbuffered-result-chan in this file'));
    assert.ok(titles.includes('Show documentation for unbuffered-result-chan'));
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix.kind, 'quickfix');
    // A client that sends back only part of the diagnostic (Neovim 0.7: no source, no message) still gets the fixes.
    const partial: any[] = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [{ range: d.range, message: '', data: d.data }] } });
    assert.ok(partial.some((a) => a.isPreferred && a.title === fix.title));

    const change = fix.edit.documentChanges[0];
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const fixed = applyTextEdits(API, change.edits);
    assert.match(fixed, /errc := make\(chan error, 1\) \/\/ 送信 🚀/);
    client.change(uri, 2, [{ text: fixed }]);
    assert.deepEqual(await client.waitFor('fixed', () => client.diagnosticsFor(uri, 2)), []);

    // The ignore directive silences it too.
    client.change(uri, 3, [{ text: API }]);
    const [again] = await client.waitFor('again', () => client.diagnosticsFor(uri, 3)?.length === 1 && client.diagnosticsFor(uri, 3));
    const actions2: any[] = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: again.range, context: { diagnostics: [again] } });
    const ignore = actions2.find((a) => a.title === 'Ignore unbuffered-result-chan on this line');
    const ignored = applyTextEdits(API, ignore.edit.documentChanges[0].edits);
    assert.match(ignored, /\t\/\/leaklint:ignore unbuffered-result-chan -- reason\n\terrc := make/);
    client.change(uri, 4, [{ text: ignored }]);
    assert.deepEqual(await client.waitFor('ignored', () => client.diagnosticsFor(uri, 4)), []);

    // Show documentation asks the client to open the page.
    const docs = actions.find((a) => a.title.startsWith('Show documentation'));
    await client.conn.sendRequest('workspace/executeCommand', docs.command);
    const shown = client.notifications.find((n) => n.method === 'window/showDocument');
    assert.match(shown!.params.uri, /docs\/rules\/unbuffered-result-chan\.md$/);
  } finally {
    await client.stop();
  }
});

test('source.fixAll.leaklint fixes every leak in the file', async () => {
  const text = API + '\nfunc Two() chan int {\n\tc := make(chan int)\n\tgo func() { c <- 1 }()\n\treturn c\n}\n';
  const { ws, client } = await started({ 'a.go': text });
  try {
    const uri = ws.uri('a.go');
    client.open(uri, text);
    await client.waitFor('two', () => client.diagnosticsFor(uri, 1)?.length === 2);
    const actions: any[] = await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.leaklint');
    const fixed = applyTextEdits(text, actions[0].edit.documentChanges[0].edits);
    assert.match(fixed, /make\(chan error, 1\)/);
    assert.match(fixed, /make\(chan int, 1\)/);
  } finally {
    await client.stop();
  }
});

test('workspace scan: progress, diagnostics for unopened files, cross-file discarded-result-chan', async () => {
  const { ws, client } = await started({ 'app/api.go': API, 'app/caller.go': CALLER, 'other/clean.go': 'package other\n', 'vendor/v/v.go': API });
  try {
    const result: any = await client.conn.sendRequest('workspace/executeCommand', { command: 'leaklint.scanWorkspace', arguments: [] });
    assert.deepEqual({ files: result.files, findings: result.findings, cancelled: result.cancelled }, { files: 3, findings: 2, cancelled: false });
    const caller = client.diagnosticsFor(ws.uri('app/caller.go'))!;
    assert.equal(caller.length, 1);
    assert.equal(caller[0].code, 'discarded-result-chan');
    assert.equal(client.diagnosticsFor(ws.uri('vendor/v/v.go')), undefined, 'vendor/ is not scanned');
    const kinds = client.notifications.filter((n) => n.method === '$/progress').map((n) => n.params.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const status = client.notifications.filter((n) => n.method === 'leaklint/status').pop();
    assert.deepEqual(status!.params, { state: 'idle', findings: 2, files: 2, errors: 0, warnings: 2, infos: 0 });

    // Editing the callee so it no longer leaks clears the caller in its (unopened) file.
    const api = ws.uri('app/api.go');
    client.open(api, API);
    await client.waitFor('api', () => client.diagnosticsFor(api, 1)?.length === 1);
    const fixed = API.replace('make(chan error)', 'make(chan error, 1)');
    fs.writeFileSync(path.join(ws.dir, 'app/api.go'), fixed);
    client.change(api, 2, [{ text: fixed }]);
    await client.waitFor('caller cleared', () => client.diagnosticsFor(ws.uri('app/caller.go'))?.length === 0);
  } finally {
    await client.stop();
  }
});

test('settings: a rule turned off takes effect without a restart', async () => {
  let rules = {};
  const { ws, client } = await started({ 'a.go': API });
  client.settings = () => ({ scanOnStartup: false, rules });
  try {
    const uri = ws.uri('a.go');
    client.open(uri, API);
    await client.waitFor('one', () => client.diagnosticsFor(uri)?.length === 1);
    rules = { 'unbuffered-result-chan': 'off' };
    void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('off', () => client.diagnosticsFor(uri)?.length === 0);
    rules = { 'unbuffered-result-chan': 'error' };
    void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const [d] = await client.waitFor('error', () => client.diagnosticsFor(uri)?.length === 1 && client.diagnosticsFor(uri));
    assert.equal(d.severity, 1);
  } finally {
    await client.stop();
  }
});

test('garbage and odd requests: the server answers and keeps serving', async () => {
  const { ws, client } = await started({ 'a.go': API });
  try {
    // Malformed JSON-RPC straight onto stdin.
    client.proc.stdin.write('Content-Length: 12\r\n\r\n{not json!!}');
    client.proc.stdin.write('Content-Length: 2\r\n\r\n[]');
    await assert.rejects(client.conn.sendRequest('leaklint/noSuchMethod', {}), /Unhandled method|not found/i);
    client.change(ws.uri('never-opened.go'), 2, [{ text: 'package x' }]);
    const uri = ws.uri('a.go');
    client.open(uri, API);
    const [d] = await client.waitFor('still serving', () => client.diagnosticsFor(uri, 1));
    const far = { line: 9999, character: 9999 };
    const actions = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: far, end: far }, context: { diagnostics: [d] } });
    assert.ok(Array.isArray(actions));
    client.change(uri, 2, [{ range: { start: far, end: far }, text: '\n// tail' }]);
    await client.waitFor('after out-of-range edit', () => client.diagnosticsFor(uri, 2)?.length === 1);
    client.change(uri, 3, [{ text: 'package a\n\nfunc broken( {\n\tgo func() { for {} }(\n' }]);
    await client.waitFor('broken code', () => client.diagnosticsFor(uri, 3));
    assert.equal(client.proc.exitCode, null, 'the server is still running');
  } finally {
    await client.stop();
  }
});

test('generated and oversized files get a note, not an analysis', async () => {
  const generated = '// Code generated by mockgen. DO NOT EDIT.\n\n' + API;
  const { ws, client } = await started({ 'gen.go': generated }, { scanOnStartup: false, maxFileSize: 4096 });
  try {
    const uri = ws.uri('gen.go');
    client.open(uri, generated);
    const [note] = await client.waitFor('note', () => client.diagnosticsFor(uri, 1));
    assert.equal(note.severity, 4);
    assert.match(note.message, /does not analyse this file: generated file/);
    const big = ws.uri('big.go');
    client.open(big, API + '// x\n'.repeat(2000));
    const [bigNote] = await client.waitFor('big note', () => client.diagnosticsFor(big, 1));
    assert.match(bigNote.message, /over the .* limit \(leaklint.maxFileSize\)/);
  } finally {
    await client.stop();
  }
});

test('pull diagnostics (LSP 3.17) when the client asks for them', async () => {
  const { ws, client, init } = await started({ 'app/api.go': API, 'app/caller.go': CALLER }, { scanOnStartup: false }, {
    capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } },
    initializationOptions: { pullDiagnostics: true },
  });
  try {
    assert.equal(init.capabilities.diagnosticProvider.identifier, 'leaklint');
    const uri = ws.uri('app/api.go');
    client.open(uri, API);
    const report: any = await client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.equal(report.items[0].code, 'unbuffered-result-chan');
    assert.equal(client.diagnosticsFor(uri), undefined, 'nothing pushed in pull mode');
    const ws2: any = await client.conn.sendRequest('workspace/diagnostic', { previousResultIds: [] });
    assert.ok(ws2.items.some((i: { uri: string; items: Diag[] }) => i.uri === ws.uri('app/caller.go') && i.items[0].code === 'discarded-result-chan'));
  } finally {
    await client.stop();
  }
});

test("a caller's quick fix can buffer the callee's channel in another, unopened file", async () => {
  const { ws, client } = await started({ 'app/api.go': API, 'app/caller.go': CALLER });
  try {
    const uri = ws.uri('app/caller.go');
    client.open(uri, CALLER);
    const [d] = await client.waitFor('caller diagnostics', () => client.diagnosticsFor(uri, 1)?.length === 1 && client.diagnosticsFor(uri, 1));
    assert.equal(d.code, 'discarded-result-chan');
    const actions: any[] = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const receive = actions.find((a) => a.title.startsWith('Receive the result'));
    assert.match(applyTextEdits(CALLER, receive.edit.documentChanges[0].edits), /\t<-Start\(\)/);
    const callee = actions.find((a) => a.title === 'Buffer the channel in Start (make(chan T, 1))');
    assert.ok(callee, actions.map((a) => a.title).join(' | '));
    assert.equal(callee.isPreferred, true);
    const [change] = callee.edit.documentChanges;
    assert.deepEqual(change.textDocument, { uri: ws.uri('app/api.go'), version: null });
    assert.match(applyTextEdits(API, change.edits), /errc := make\(chan error, 1\)/);
  } finally {
    await client.stop();
  }
});

test('across packages: a dropped SDK channel from the module cache is a diagnostic in the caller, related into the SDK, fixed in the caller; go.mod changes re-resolve', async () => {
  const cross = path.resolve(__dirname, '../test-fixtures/crosspkg');
  const ws = workspace({});
  fs.cpSync(path.join(cross, 'service'), ws.dir, { recursive: true });
  const modcache = path.join(cross, '_modcache');
  const client = new LspClient(ws.dir, undefined, { env: { ...process.env, GOMODCACHE: modcache, XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-cache-')) } });
  client.settings = () => ({ scanOnStartup: false });
  await client.initialize(pathToFileURL(ws.dir).href);
  try {
    const uri = ws.uri('transcribe/transcribe.go');
    const text = fs.readFileSync(path.join(ws.dir, 'transcribe/transcribe.go'), 'utf8');
    client.open(uri, text);
    const diags = await client.waitFor('cross-package diagnostics', () => client.diagnosticsFor(uri, 1)?.length === 4 && client.diagnosticsFor(uri, 1));
    const start = diags.find((d) => d.range.start.line === pos(text, 'recognizer.StartContinuousRecognitionAsync() //').line)!;
    assert.equal(start.code, 'discarded-result-chan');
    const sdkFile = pathToFileURL(path.join(modcache, 'github.com/!acme!speech/sdk@v1.33.0/speech/recognizer.go')).href;
    assert.ok(start.relatedInformation?.some((r: any) => r.location.uri === sdkFile), JSON.stringify(start.relatedInformation));
    const actions: any[] = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: start.range, context: { diagnostics: [start] } });
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix.title, 'Receive the result: <-StartContinuousRecognitionAsync(...)');
    assert.deepEqual(fix.edit.documentChanges.map((c: any) => c.textDocument.uri), [uri], 'the fix edits the caller only');
    assert.match(applyTextEdits(text, fix.edit.documentChanges[0].edits), /\t<-recognizer\.StartContinuousRecognitionAsync\(\) \/\/ want/);

    // The SDK version in go.mod changes to one that is not in the cache: nothing to follow, no guess.
    fs.writeFileSync(path.join(ws.dir, 'go.mod'), fs.readFileSync(path.join(ws.dir, 'go.mod'), 'utf8').replace('v1.33.0', 'v1.34.0'));
    client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(ws.dir, 'go.mod')).href, type: 2 }] });
    assert.deepEqual(await client.waitFor('re-resolved', () => client.diagnosticsFor(uri)?.length === 0 && client.diagnosticsFor(uri)), []);
  } finally {
    await client.stop();
  }
});
