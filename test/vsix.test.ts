// The .vsix: exactly the allow-listed files, and a server that runs from it alone.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, SERVER } from './helpers/lsp-client';

const ROOT = path.resolve(__dirname, '..');

test('npm run package builds a .vsix with only the bundles, wasm, docs and manifest', { timeout: 180_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-vsix-'));
  const vsix = path.join(out, 'go-leak-lint.vsix');
  const build = spawnSync('npx', ['vsce', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--no-dependencies', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr + build.stdout);
  const unzip = spawnSync('unzip', ['-q', vsix, '-d', out], { encoding: 'utf8' });
  assert.equal(unzip.status, 0, unzip.stderr);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else files.push(path.relative(path.join(out, 'extension'), path.join(d, e.name)).split(path.sep).join('/'));
    }
  };
  walk(path.join(out, 'extension'));
  const expected = [
    'LICENSE.txt',
    'changelog.md',
    'dist/extension.js',
    'dist/scan-worker.js',
    'dist/server.js',
    'dist/tree-sitter-go.wasm',
    'dist/tree-sitter.wasm',
    ...fs.readdirSync(path.join(ROOT, 'docs/rules')).map((f) => `docs/rules/${f}`),
    ...(fs.existsSync(path.join(ROOT, 'docs/images')) ? fs.readdirSync(path.join(ROOT, 'docs/images')).map((f) => `docs/images/${f}`) : []),
    'images/icon.png',
    'package.json',
    'readme.md',
  ].sort();
  assert.deepEqual(files.sort(), expected);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'extension/package.json'), 'utf8'));
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  // What Open VSX and the Marketplace show.
  assert.equal(manifest.icon, 'images/icon.png');
  assert.match(manifest.repository.url, /^git\+https:\/\//);
  assert.ok(manifest.categories.includes('Linters') && manifest.galleryBanner.color);
  assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === 'leaklint.scanWorkspace'));
  assert.ok(Object.values(manifest.contributes.configuration.properties).every((p: any) => p.scope === 'resource' || p.scope === 'window'));

  // The packaged server works on its own: no node_modules beside it.
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-vsix-ws-'));
  const file = path.join(ws, 'a.go');
  fs.writeFileSync(file, 'package a\n\nfunc F() chan int {\n\tc := make(chan int)\n\tgo func() { c <- 1 }()\n\treturn c\n}\n');
  const client = new LspClient(ws, path.join(out, 'extension/dist/server.js'));
  try {
    client.settings = () => ({ scanOnStartup: true });
    await client.initialize(pathToFileURL(ws).href);
    const uri = pathToFileURL(file).href;
    const diags = await client.waitFor("diagnostics from the packaged server", () => (client.diagnosticsFor(uri)?.length ? client.diagnosticsFor(uri) : undefined));
    assert.equal(diags[0].code, 'unbuffered-result-chan');
  } finally {
    await client.stop();
  }
  assert.ok(SERVER.endsWith('dist/server.js'));
});
