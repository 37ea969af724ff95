// The Go import-path resolver over real temporary folders: main module, go.work, vendor, replace, module cache.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { escapeModulePath, ModuleResolver, parseGoMod, parseGoWork, type Resolution } from '../server/src/engine/modules';

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary folder with these files; a key ending in '/' makes an empty folder. */
function tree(files: Record<string, string | Buffer>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-modules-')));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    if (rel.endsWith('/')) fs.mkdirSync(file, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  return root;
}

function found(r: Resolution, dir: string, kind: string, modulePath: string, version: string | null = null) {
  assert.notEqual(r.dir, null, 'reason' in r ? r.reason : '');
  assert.deepEqual(r, { dir, kind, modulePath, version, immutable: kind === 'modcache' });
}

function reason(r: Resolution, re: RegExp) {
  assert.equal(r.dir, null, `resolved to ${r.dir}`);
  if (r.dir === null) assert.match(r.reason, re);
}

// --- parsing ---

test('escapeModulePath encodes upper case with !, in paths and versions', () => {
  assert.equal(escapeModulePath('github.com/Azure/x'), 'github.com/!azure/x');
  assert.equal(escapeModulePath('github.com/AcmeSpeech/sdk'), 'github.com/!acme!speech/sdk');
  assert.equal(escapeModulePath('v1.0.0-RC1'), 'v1.0.0-!r!c1');
  assert.equal(escapeModulePath('golang.org/x/sync'), 'golang.org/x/sync');
});

test('parseGoMod: module, go, require lines and blocks, // indirect, replaces, comments, CRLF', () => {
  const mod = parseGoMod(
    [
      '\uFEFF// Package comment',
      'module "example.com/app" // trailing',
      '',
      'go 1.22.1',
      'toolchain go1.23.0',
      'require github.com/one/one v1.0.0',
      'require (',
      '\tgithub.com/two/two v2.0.0+incompatible // indirect',
      '\t// github.com/commented/out v1.0.0',
      '\tgolang.org/x/sync v0.7.0',
      ')',
      'replace github.com/one/one => ../one',
      'replace (',
      '\tgithub.com/two/two v2.0.0+incompatible => github.com/fork/two v2.1.0',
      '\tbroken =>',
      ')',
      'exclude github.com/bad/bad v1.0.0',
      '',
    ].join('\r\n'),
  );
  assert.equal(mod.module, 'example.com/app');
  assert.equal(mod.go, '1.22.1');
  assert.deepEqual(
    [...mod.requires],
    [
      ['github.com/one/one', 'v1.0.0'],
      ['github.com/two/two', 'v2.0.0+incompatible'],
      ['golang.org/x/sync', 'v0.7.0'],
    ],
  );
  assert.deepEqual(mod.replaces, [
    { from: 'github.com/one/one', fromVersion: null, to: '../one', toVersion: null },
    { from: 'github.com/two/two', fromVersion: 'v2.0.0+incompatible', to: 'github.com/fork/two', toVersion: 'v2.1.0' },
  ]);
});

test('parseGoMod never throws on garbage and finds nothing in it', () => {
  const mod = parseGoMod('\0\x01(((\n)))\n"unterminated\n=> =>\nrequire\nmodule\n');
  assert.equal(mod.module, null);
  assert.equal(mod.requires.size, 0);
  assert.deepEqual(mod.replaces, []);
});

test('parseGoWork: use (single and block), replaces, comments', () => {
  const work = parseGoWork(
    'go 1.22\n\nuse ./svc // the service\nuse (\n\t./lib\n\t// ./old\n\t"./with space"\n)\nreplace example.com/x v1.0.0 => ./x\n',
  );
  assert.deepEqual(work.uses, ['./svc', './lib', './with space']);
  assert.deepEqual(work.replaces, [{ from: 'example.com/x', fromVersion: 'v1.0.0', to: './x', toVersion: null }]);
});

// --- resolving ---

test('same module: nested packages, the module root, a dotless module path', () => {
  const root = tree({ 'go.mod': 'module example.com/app\n\ngo 1.22\n', 'internal/db/db.go': '', 'cmd/app/main.go': '' });
  const r = new ModuleResolver({ env: {} });
  const from = path.join(root, 'cmd/app');
  found(r.resolve(from, 'example.com/app/internal/db'), path.join(root, 'internal/db'), 'module', 'example.com/app');
  found(r.resolve(from, 'example.com/app'), root, 'module', 'example.com/app');
  reason(r.resolve(from, 'example.com/app/nope'), /no folder for example\.com\/app\/nope/);
  reason(r.resolve(from, 'example.com/app/../../etc'), /invalid import path/);

  const dotless = tree({ 'go.mod': 'module myapp\n', 'internal/x/x.go': '' });
  found(r.resolve(dotless, 'myapp/internal/x'), path.join(dotless, 'internal/x'), 'module', 'myapp');
  reason(r.resolve(dotless, 'fmt'), /^standard library$/);
});

test('standard library, cgo and modules go.mod does not name', () => {
  const root = tree({ 'go.mod': 'module example.com/app\n' });
  const r = new ModuleResolver({ env: {} });
  reason(r.resolve(root, 'fmt'), /^standard library$/);
  reason(r.resolve(root, 'net/http'), /^standard library$/);
  reason(r.resolve(root, 'C'), /cgo/);
  reason(r.resolve(root, 'golang.org/x/sync/errgroup'), /^no module in go\.mod provides golang\.org\/x\/sync\/errgroup$/);
  // Outside any module only the standard library is known.
  const bare = tree({ 'a/': '' });
  reason(r.resolve(path.join(bare, 'a'), 'fmt'), /^standard library$/);
  reason(r.resolve(path.join(bare, 'a'), 'example.com/x'), /no go\.mod/);
});

test('go.work with two modules; GOWORK=off turns it off', () => {
  const ws = tree({
    'go.work': 'go 1.22\n\nuse (\n\t./svc\n\t./lib\n)\n',
    'svc/go.mod': 'module example.com/svc\n',
    'svc/api/api.go': '',
    'lib/go.mod': 'module example.com/lib\n',
    'lib/util/u.go': '',
  });
  const svc = path.join(ws, 'svc');
  const r = new ModuleResolver({ env: {} });
  found(r.resolve(svc, 'example.com/lib/util'), path.join(ws, 'lib/util'), 'workspace', 'example.com/lib');
  found(r.resolve(svc, 'example.com/svc/api'), path.join(ws, 'svc/api'), 'module', 'example.com/svc');
  found(r.resolve(path.join(ws, 'lib/util'), 'example.com/svc/api'), path.join(ws, 'svc/api'), 'workspace', 'example.com/svc');
  reason(new ModuleResolver({ env: { GOWORK: 'off' } }).resolve(svc, 'example.com/lib/util'), /no module in go\.mod provides/);
});

test('go.work: GOWORK names the file; the highest required version across modules wins; vendor beside go.work', () => {
  const cache = tree({ 'example.com/dep@v1.2.0/d.go': '', 'example.com/dep@v1.10.0/d.go': '' });
  const ws = tree({
    'elsewhere/ws.work': 'use ../svc\nuse ../lib\n',
    'svc/go.mod': 'module example.com/svc\nrequire example.com/dep v1.2.0\n',
    'lib/go.mod': 'module example.com/lib\nrequire example.com/dep v1.10.0\nrequire example.com/vend v1.0.0\n',
    'elsewhere/vendor/example.com/vend/v.go': '',
    'svc/vendor/example.com/vend/v.go': '',
  });
  const svc = path.join(ws, 'svc');
  const r = new ModuleResolver({ env: { GOMODCACHE: cache, GOWORK: path.join(ws, 'elsewhere/ws.work') } });
  found(r.resolve(svc, 'example.com/lib'), path.join(ws, 'lib'), 'workspace', 'example.com/lib');
  found(r.resolve(svc, 'example.com/dep'), path.join(cache, 'example.com/dep@v1.10.0'), 'modcache', 'example.com/dep', 'v1.10.0');
  found(r.resolve(svc, 'example.com/vend'), path.join(ws, 'elsewhere/vendor/example.com/vend'), 'vendor', 'example.com/vend', 'v1.0.0');
});

test('vendor folder', () => {
  const root = tree({
    'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n',
    'vendor/modules.txt': '# github.com/pkg/errors v0.9.1\n## explicit\ngithub.com/pkg/errors\n',
    'vendor/github.com/pkg/errors/errors.go': '',
  });
  const r = new ModuleResolver({ env: { GOMODCACHE: path.join(root, 'nocache') } });
  found(r.resolve(root, 'github.com/pkg/errors'), path.join(root, 'vendor/github.com/pkg/errors'), 'vendor', 'github.com/pkg/errors', 'v0.9.1');
});

test('replace to a local folder, relative to go.mod', () => {
  const root = tree({
    'app/go.mod': 'module example.com/app\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib\n',
    'lib/go.mod': 'module example.com/lib\n',
    'lib/sub/s.go': '',
  });
  const r = new ModuleResolver({ env: {} });
  found(r.resolve(path.join(root, 'app'), 'example.com/lib/sub'), path.join(root, 'lib/sub'), 'replace', 'example.com/lib');
  reason(r.resolve(path.join(root, 'app'), 'example.com/lib/none'), /replacement folder not found/);
});

test('replace relative to go.work wins over the go.mod one', () => {
  const ws = tree({
    'go.work': 'use ./app\n\nreplace example.com/lib v1.0.0 => ./third_party/lib\n',
    'app/go.mod': 'module example.com/app\nrequire example.com/lib v1.0.0\nreplace example.com/lib => ../elsewhere\n',
    'third_party/lib/l.go': '',
    'elsewhere/l.go': '',
  });
  const r = new ModuleResolver({ env: {} });
  found(r.resolve(path.join(ws, 'app'), 'example.com/lib'), path.join(ws, 'third_party/lib'), 'replace', 'example.com/lib');
});

test('replace with a version applies to that version only; module-to-module replace uses the cache', () => {
  const cache = tree({
    'example.com/lib@v1.2.0/l.go': '',
    'example.com/fork@v1.5.0/f.go': '',
    'example.com/other@v1.1.0/o.go': '',
  });
  const root = tree({
    'go.mod': [
      'module example.com/app',
      'require (',
      '  example.com/lib v1.2.0',
      '  example.com/other v1.1.0',
      ')',
      'replace example.com/lib v1.0.0 => ./old',
      'replace example.com/other => ./wildcard',
      'replace example.com/other v1.1.0 => example.com/fork v1.5.0',
      '',
    ].join('\n'),
    'old/o.go': '',
    'wildcard/w.go': '',
  });
  const r = new ModuleResolver({ env: { GOMODCACHE: cache } });
  found(r.resolve(root, 'example.com/lib'), path.join(cache, 'example.com/lib@v1.2.0'), 'modcache', 'example.com/lib', 'v1.2.0');
  // The exact-version replace beats the versionless one in the same file.
  found(r.resolve(root, 'example.com/other'), path.join(cache, 'example.com/fork@v1.5.0'), 'modcache', 'example.com/other', 'v1.5.0');
});

test('module cache: case encoding, package subfolders, GOMODCACHE / GOPATH / home fallbacks', () => {
  const files = { 'github.com/!acme!speech/sdk@v1.33.0/audio/stream/s.go': '', 'github.com/!acme!speech/sdk@v1.33.0/sdk.go': '' };
  const gomod = 'module example.com/app\n\nrequire github.com/AcmeSpeech/sdk v1.33.0\n';
  const root = tree({ 'go.mod': gomod });
  const sdk = 'github.com/!acme!speech/sdk@v1.33.0';

  const cache = tree(files);
  const r = new ModuleResolver({ env: { GOMODCACHE: cache } });
  found(r.resolve(root, 'github.com/AcmeSpeech/sdk'), path.join(cache, sdk), 'modcache', 'github.com/AcmeSpeech/sdk', 'v1.33.0');
  found(r.resolve(root, 'github.com/AcmeSpeech/sdk/audio/stream'), path.join(cache, sdk, 'audio/stream'), 'modcache', 'github.com/AcmeSpeech/sdk', 'v1.33.0');
  reason(r.resolve(root, 'github.com/AcmeSpeech/sdk/video'), /no folder for github\.com\/AcmeSpeech\/sdk\/video/);

  const gopath1 = tree(Object.fromEntries(Object.entries(files).map(([k, v]) => [`pkg/mod/${k}`, v])));
  const gopath2 = tree({ 'pkg/mod/': '' });
  const viaGopath = new ModuleResolver({ env: { GOPATH: [gopath1, gopath2].join(path.delimiter) } });
  found(viaGopath.resolve(root, 'github.com/AcmeSpeech/sdk/audio/stream'), path.join(gopath1, 'pkg/mod', sdk, 'audio/stream'), 'modcache', 'github.com/AcmeSpeech/sdk', 'v1.33.0');
  const secondOnly = new ModuleResolver({ env: { GOPATH: [gopath2, gopath1].join(path.delimiter) } });
  reason(secondOnly.resolve(root, 'github.com/AcmeSpeech/sdk'), /^not in the module cache: github\.com\/AcmeSpeech\/sdk@v1\.33\.0 \(run go mod download\)$/);

  const home = tree(Object.fromEntries(Object.entries(files).map(([k, v]) => [`go/pkg/mod/${k}`, v])));
  const viaHome = new ModuleResolver({ env: {}, homedir: home });
  found(viaHome.resolve(root, 'github.com/AcmeSpeech/sdk'), path.join(home, 'go/pkg/mod', sdk), 'modcache', 'github.com/AcmeSpeech/sdk', 'v1.33.0');
});

test('major versions: /v2 module paths and +incompatible versions; upper case in versions', () => {
  const cache = tree({
    'github.com/x/y@v1.0.0/pkg/p.go': '',
    'github.com/x/y/v2@v2.1.0/pkg/p.go': '',
    'github.com/old/lib@v2.3.0+incompatible/l.go': '',
    'github.com/pre/rel@v1.0.0-!r!c1/r.go': '',
  });
  const root = tree({
    'go.mod':
      'module example.com/app\nrequire (\n github.com/x/y v1.0.0\n github.com/x/y/v2 v2.1.0\n github.com/old/lib v2.3.0+incompatible\n github.com/pre/rel v1.0.0-RC1\n)\n',
  });
  const r = new ModuleResolver({ env: { GOMODCACHE: cache } });
  found(r.resolve(root, 'github.com/x/y/v2/pkg'), path.join(cache, 'github.com/x/y/v2@v2.1.0/pkg'), 'modcache', 'github.com/x/y/v2', 'v2.1.0');
  found(r.resolve(root, 'github.com/x/y/pkg'), path.join(cache, 'github.com/x/y@v1.0.0/pkg'), 'modcache', 'github.com/x/y', 'v1.0.0');
  found(r.resolve(root, 'github.com/old/lib'), path.join(cache, 'github.com/old/lib@v2.3.0+incompatible'), 'modcache', 'github.com/old/lib', 'v2.3.0+incompatible');
  found(r.resolve(root, 'github.com/pre/rel'), path.join(cache, 'github.com/pre/rel@v1.0.0-!r!c1'), 'modcache', 'github.com/pre/rel', 'v1.0.0-RC1');
});

test('a nested module required by the main module is not the main module', () => {
  const root = tree({
    'go.mod': 'module example.com/app\nrequire example.com/app/api v0.1.0\nreplace example.com/app/api => ./api\n',
    'api/go.mod': 'module example.com/app/api\n',
    'api/v1/v.go': '',
    'core/c.go': '',
  });
  const r = new ModuleResolver({ env: {} });
  found(r.resolve(root, 'example.com/app/api/v1'), path.join(root, 'api/v1'), 'replace', 'example.com/app/api');
  found(r.resolve(root, 'example.com/app/core'), path.join(root, 'core'), 'module', 'example.com/app');
});

test('a dependency in the module cache resolves its own imports without its replaces', () => {
  const cache = tree({
    'example.com/dep@v1.0.0/go.mod': 'module example.com/dep\nrequire example.com/other v1.0.0\nreplace example.com/other => ../nowhere\n',
    'example.com/dep@v1.0.0/d.go': '',
    'example.com/other@v1.0.0/o.go': '',
  });
  const r = new ModuleResolver({ env: { GOMODCACHE: cache } });
  found(r.resolve(path.join(cache, 'example.com/dep@v1.0.0'), 'example.com/other'), path.join(cache, 'example.com/other@v1.0.0'), 'modcache', 'example.com/other', 'v1.0.0');
});

test('a required module missing from the cache gives a reason, not a throw', () => {
  const root = tree({ 'go.mod': 'module example.com/app\nrequire github.com/gone/away v1.2.3 // indirect\n' });
  const r = new ModuleResolver({ env: { GOMODCACHE: path.join(root, 'cache') } });
  reason(r.resolve(root, 'github.com/gone/away/sub'), /^not in the module cache: github\.com\/gone\/away@v1\.2\.3 \(run go mod download\)$/);
});

test('garbage or unreadable go.mod: a reason, no throw; the standard library still resolves', () => {
  const garbage = tree({ 'go.mod': Buffer.from([0, 0xff, 0xfe, 0x28, 0x0a, 0x29, 0x22, 0x3d, 0x3e]), 'x/x.go': '' });
  const r = new ModuleResolver({ env: {} });
  reason(r.resolve(path.join(garbage, 'x'), 'example.com/x'), /has no module directive/);
  reason(r.resolve(path.join(garbage, 'x'), 'fmt'), /^standard library$/);

  if (process.platform !== 'win32' && process.getuid?.() !== 0) {
    const locked = tree({ 'go.mod': 'module example.com/app\n' });
    fs.chmodSync(path.join(locked, 'go.mod'), 0);
    reason(r.resolve(locked, 'example.com/app'), /cannot read/);
  }
});

test('CRLF go.mod with comments resolves like LF', () => {
  const cache = tree({ 'golang.org/x/sync@v0.7.0/errgroup/e.go': '' });
  const root = tree({
    'go.mod':
      '// top comment\r\nmodule example.com/app // the app\r\n\r\ngo 1.21\r\n\r\nrequire (\r\n\t// golang.org/x/sync v0.1.0\r\n\tgolang.org/x/sync v0.7.0 // indirect\r\n)\r\n',
    'pkg/p.go': '',
  });
  const r = new ModuleResolver({ env: { GOMODCACHE: cache } });
  found(r.resolve(root, 'golang.org/x/sync/errgroup'), path.join(cache, 'golang.org/x/sync@v0.7.0/errgroup'), 'modcache', 'golang.org/x/sync', 'v0.7.0');
  found(r.resolve(root, 'example.com/app/pkg'), path.join(root, 'pkg'), 'module', 'example.com/app');
});

test('results are cached until clear()', () => {
  const root = tree({ 'go.mod': 'module example.com/app\n', 'a/a.go': '' });
  const r = new ModuleResolver({ env: {} });
  found(r.resolve(root, 'example.com/app/a'), path.join(root, 'a'), 'module', 'example.com/app');
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/renamed\n');
  found(r.resolve(root, 'example.com/app/a'), path.join(root, 'a'), 'module', 'example.com/app');
  r.clear();
  found(r.resolve(root, 'example.com/renamed/a'), path.join(root, 'a'), 'module', 'example.com/renamed');
  reason(r.resolve(root, 'example.com/app/a'), /no module in go\.mod provides/);
});
