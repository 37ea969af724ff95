// The npm package as a user gets it: `npm pack`, installed into an empty folder, and its two
// commands run through npx. Packs the dist/ that `npm test` has just built (--ignore-scripts:
// the prepack script's production build would rewrite dist/ under the other test files).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = path.resolve(__dirname, '..');
const LEAK = 'package app\n\nfunc Start() chan error {\n\terrc := make(chan error)\n\tgo func() { errc <- nil }()\n\treturn errc\n}\n';

test('npm pack: the tarball installs into an empty folder and `npx leaklint` and `npx leaklint-lsp --stdio` work', { timeout: 120_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-pack-'));
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = info.files.map((f) => f.path);
  for (const f of ['bin/leaklint.js', 'bin/leaklint-lsp.js', 'dist/cli.js', 'dist/server.js', 'dist/scan-worker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-go.wasm', 'docs/rules/unbuffered-result-chan.md', 'README.md', 'LICENSE']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  assert.ok(!files.some((f) => /^(server|client|test|e2e|corpus|bench|scripts)\/|\.map$|\.ts$/.test(f)), `no sources or source maps: ${files.join(' ')}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined, 'publishable');

  // A user's Go project, with the package installed into it (from the npm cache where it can).
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-installed-'));
  fs.writeFileSync(path.join(project, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  fs.mkdirSync(path.join(project, 'app'));
  fs.writeFileSync(path.join(project, 'app/api.go'), LEAK);
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(out, info.filename)], { cwd: project, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);

  const cli = spawnSync('npx', ['--no-install', 'leaklint', '--no-cache', './...'], { cwd: project, encoding: 'utf8' });
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stdout, /^app\/api\.go:4:10: warning: Goroutine leaks if a caller never receives: .* \(unbuffered-result-chan\)$/m);
  const version = spawnSync('npx', ['--no-install', 'leaklint', '--version'], { cwd: project, encoding: 'utf8' });
  assert.equal(version.stdout.trim(), manifest.version);

  // The language server over stdio, as Neovim or Helix would start it.
  const proc = spawn('npx', ['--no-install', 'leaklint-lsp', '--stdio'], { cwd: project, stdio: 'pipe' });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const uri = pathToFileURL(path.join(project, 'app/api.go')).href;
  const diagnostics = new Promise<{ code: string }[]>((resolve) => {
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string }[] }) => {
      if (p.uri === uri && p.diagnostics.length) resolve(p.diagnostics);
    });
  });
  conn.onRequest(() => null);
  conn.listen();
  try {
    const init: { serverInfo: { name: string; version: string } } = await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(project).href, capabilities: {}, initializationOptions: { cacheDir: null } });
    assert.deepEqual(init.serverInfo, { name: 'leaklint', version: manifest.version });
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: LEAK } });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no diagnostics from the installed server; stderr: ${stderr}`)), 30_000));
    const diags = await Promise.race([diagnostics, timeout]);
    assert.equal(diags[0].code, 'unbuffered-result-chan');
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } finally {
    conn.dispose();
    proc.kill();
  }
});
