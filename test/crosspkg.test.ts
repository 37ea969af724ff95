// Across packages and into dependencies, as a user meets it: the CLI as a process on a
// service whose SDK sits in a (fake) Go module cache, in vendor/, or behind a replace
// directive; then the runtime proof that the reported leak is real and that --fix cures it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readWants } from './helpers/fixtures';

const BIN = path.resolve(__dirname, '../bin/leaklint.js');
const CROSS = path.resolve(__dirname, '../test-fixtures/crosspkg');
const MODCACHE = path.join(CROSS, '_modcache');
const SDK = path.join(MODCACHE, 'github.com/!acme!speech/sdk@v1.33.0');
const hasGo = spawnSync('go', ['version']).status === 0;

interface JsonFinding {
  file: string;
  line: number;
  rule: string;
  message: string;
  related: { file: string; line: number }[];
  fixes: { kind: string; edits: { file?: string }[] }[];
}

function lint(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, '--no-cache', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GOPATH: '', HOME: os.tmpdir(), ...env } });
  return { code: r.status, findings: r.stdout.trim() ? (JSON.parse(r.stdout) as JsonFinding[]) : [], err: r.stderr };
}

/** A temporary copy of a folder. */
function copy(from: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-cross-'));
  fs.cpSync(from, to, { recursive: true });
  return to;
}

const serviceFile = path.join(CROSS, 'service/transcribe/transcribe.go');
const wanted = readWants(fs.readFileSync(serviceFile, 'utf8'));

test('a dropped SDK channel is reported in the caller, with the SDK send as related location', () => {
  const r = lint(['--format', 'json', '.'], path.join(CROSS, 'service'), { GOMODCACHE: MODCACHE });
  assert.equal(r.code, 1, r.err);
  const got = r.findings.map((f) => `${f.line}: ${f.rule}: ${f.message}`);
  assert.equal(r.findings.length, wanted.length, got.join('\n'));
  for (const w of wanted) assert.ok(got.some((g) => g.startsWith(`${w.line + 1}: `) && w.pattern.test(g.slice(g.indexOf(' ') + 1))), `no finding for want on line ${w.line + 1}: ${w.raw}\n${got.join('\n')}`);
  for (const f of r.findings) {
    assert.ok(!path.isAbsolute(f.file) && !f.file.includes('_modcache'), `a finding was reported outside the service: ${f.file}`);
    assert.ok(f.related.some((x) => x.file === path.join(SDK, 'speech/recognizer.go')), `related location points into the SDK: ${JSON.stringify(f.related)}`);
    for (const fx of f.fixes) assert.ok(fx.edits.every((e) => !e.file), `a fix edits another file: ${JSON.stringify(fx)}`);
  }
});

test('the VM-manager shape: an overwritten cancel and a never-cancelled context reach a function of another package that parks a goroutine on them', () => {
  const file = path.join(CROSS, 'vmmanager/manager/manager.go');
  const wants = readWants(fs.readFileSync(file, 'utf8'));
  const r = lint(['--format', 'json', './manager'], path.join(CROSS, 'vmmanager'));
  const got = r.findings.map((f) => `${f.line}: ${f.rule}: ${f.message}`);
  assert.equal(r.findings.length, wants.length, got.join('\n'));
  for (const w of wants) assert.ok(got.some((g) => g.startsWith(`${w.line + 1}: `) && w.pattern.test(g.slice(g.indexOf(' ') + 1))), `no finding for want on line ${w.line + 1}: ${w.raw}\n${got.join('\n')}`);
  const start = r.findings.find((f) => f.message.includes('m.jobs[id]'))!;
  assert.ok(start.related.some((x) => x.file === 'vm/instance.go' && x.line === 31), JSON.stringify(start.related));
});

test('GOPATH and the home folder are the module cache when GOMODCACHE is not set', () => {
  const gopath = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-gopath-'));
  fs.mkdirSync(path.join(gopath, 'pkg'));
  fs.symlinkSync(MODCACHE, path.join(gopath, 'pkg/mod'));
  const r = lint(['--format', 'json', '.'], path.join(CROSS, 'service'), { GOMODCACHE: '', GOPATH: gopath });
  assert.equal(r.findings.length, wanted.length, r.err);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-home-'));
  fs.mkdirSync(path.join(home, 'go/pkg'), { recursive: true });
  fs.symlinkSync(MODCACHE, path.join(home, 'go/pkg/mod'));
  const h = lint(['--format', 'json', '.'], path.join(CROSS, 'service'), { GOMODCACHE: '', GOPATH: '', HOME: home });
  assert.equal(h.findings.length, wanted.length, h.err);
});

test('vendor/ and a replace directive find the SDK too', () => {
  const vendored = copy(path.join(CROSS, 'service'));
  fs.mkdirSync(path.join(vendored, 'vendor/github.com/AcmeSpeech/sdk'), { recursive: true });
  fs.cpSync(path.join(SDK, 'speech'), path.join(vendored, 'vendor/github.com/AcmeSpeech/sdk/speech'), { recursive: true });
  fs.writeFileSync(path.join(vendored, 'vendor/modules.txt'), '# github.com/AcmeSpeech/sdk v1.33.0\n## explicit\ngithub.com/AcmeSpeech/sdk/speech\n');
  const v = lint(['--format', 'json', '.'], vendored, { GOMODCACHE: path.join(os.tmpdir(), 'no-such-modcache') });
  assert.equal(v.findings.length, wanted.length, v.err);
  assert.ok(v.findings.every((f) => !f.file.startsWith('vendor')), 'nothing is reported inside vendor/');

  const replaced = copy(path.join(CROSS, 'service'));
  fs.appendFileSync(path.join(replaced, 'go.mod'), `\nreplace github.com/AcmeSpeech/sdk => ${SDK}\n`);
  const r = lint(['--format', 'json', '.'], replaced, { GOMODCACHE: path.join(os.tmpdir(), 'no-such-modcache') });
  assert.equal(r.findings.length, wanted.length, r.err);
});

test('a dependency that cannot be found gives no guess and no error, only a note in --verbose', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-empty-modcache-'));
  const r = lint(['--format', 'json', '--verbose', '.'], path.join(CROSS, 'service'), { GOMODCACHE: empty });
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.findings, []);
  assert.match(r.err, /import "github\.com\/AcmeSpeech\/sdk\/speech" not followed: not in the module cache/);
  assert.doesNotMatch(r.err, /internal error/);
  const quiet = lint(['--format', 'json', '.'], path.join(CROSS, 'service'), { GOMODCACHE: empty });
  assert.equal(quiet.err, '', 'without --verbose nothing is said');
});

test('runtime proof: the service leaks one goroutine per call in the SDK, and leaklint --fix cures it', { skip: !hasGo && 'go is not installed', timeout: 180_000 }, () => {
  const work = copy(CROSS);
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOWORK: 'off' };
  const before = spawnSync('go', ['test', '-count=1', '-v', './...'], { cwd: path.join(work, 'harness'), env, encoding: 'utf8' });
  assert.equal(before.status, 0, before.stdout + before.stderr);
  assert.match(before.stdout, /leak shown: 10 goroutines parked in chan send in the SDK/);

  assert.match(before.stdout, /leak shown: 10 watchers parked, 9 on contexts nobody can cancel/);

  const fix = lint(['--fix', '--format', 'json', '.'], path.join(work, 'service'), { GOMODCACHE: path.join(work, '_modcache') });
  assert.match(fix.err, /fixed 4 findings/, fix.err);
  const fixVm = lint(['--fix', '--format', 'json', './manager'], path.join(work, 'vmmanager'));
  assert.match(fixVm.err, /fixed 2 findings/, fixVm.err);
  const fmt = spawnSync('gofmt', ['-l', path.join(work, 'service'), path.join(work, 'vmmanager')], { encoding: 'utf8' });
  assert.equal(fmt.stdout, '', `fixed files are gofmt-clean: ${fmt.stdout}`);
  const after = spawnSync('go', ['test', '-count=1', '-v', './...'], { cwd: path.join(work, 'harness'), env: { ...env, LEAKLINT_FIXED: '1' }, encoding: 'utf8' });
  assert.equal(after.status, 0, after.stdout + after.stderr);
  assert.match(after.stdout, /fixed: no goroutine left in the SDK/);
  assert.match(after.stdout, /fixed: only the current run's watcher is left/);
  const vet = spawnSync('go', ['vet', './...'], { cwd: path.join(work, 'harness'), env, encoding: 'utf8' });
  assert.equal(vet.status, 0, vet.stderr);
});
