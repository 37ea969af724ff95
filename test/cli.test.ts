// The CLI as a user runs it: a child process over real folders.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../server/src/engine/rules';

const BIN = path.resolve(__dirname, '../bin/leaklint.js');
// Each run of this suite gets its own result cache.
const CACHE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-cache-'));

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: CACHE_HOME, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const LEAKY = `package app

import "time"

func Start() chan error {
	errc := make(chan error)
	go func() {
		errc <- nil
	}()
	return errc
}

func use() {
	Start()
}

func wait(done <-chan struct{}) {
	t := time.NewTimer(time.Second)
	select {
	case <-t.C:
	case <-done:
	}
}
`;

function workspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

test('text output, exit 1 on findings, 0 when clean', () => {
  const dir = workspace({ 'app/app.go': LEAKY, 'clean/clean.go': 'package clean\n\nfunc F() int { return 1 }\n' });
  const r = run(['./...'], dir);
  assert.equal(r.code, 1, r.err);
  const lines = r.out.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.replace(/: (warning|info): .*\((.+)\)$/, ' $2')), [
    'app/app.go:6:10 unbuffered-result-chan',
    'app/app.go:14:2 discarded-result-chan',
    'app/app.go:18:7 timer-not-stopped',
  ]);
  assert.equal(run(['clean'], dir).code, 0);
});

test('JSON: 1-based UTF-8 byte columns and fixes with positions', () => {
  const dir = workspace({ 'a.go': LEAKY.replace('package app', 'package app\n\n// 日本語 😀') });
  const r = run(['--format', 'json', 'a.go'], dir);
  assert.equal(r.code, 1, r.err);
  const items = JSON.parse(r.out);
  const first = items[0];
  assert.equal(first.file, 'a.go');
  assert.equal(first.rule, 'unbuffered-result-chan');
  assert.equal(first.severity, 'warning');
  assert.deepEqual([first.line, first.column, first.endLine, first.endColumn], [8, 10, 8, 26]);
  assert.deepEqual(first.fixes[0].edits, [{ line: 8, column: 25, endLine: 8, endColumn: 25, newText: ', 1' }]);
  assert.ok(first.related.some((r: { line: number; message: string }) => r.line === 10 && /send/.test(r.message)));
});

test('SARIF 2.1.0 with rule metadata, UTF-16 columns and fixes', () => {
  const dir = workspace({ 'a.go': LEAKY });
  const r = run(['--format', 'sarif', '.'], dir);
  assert.equal(r.code, 1, r.err);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.columnKind, 'utf16CodeUnits');
  assert.equal(run0.tool.driver.rules.length, RULES.length);
  assert.ok(run0.tool.driver.rules.every((rule: { id: string; shortDescription: { text: string } }) => rule.id && rule.shortDescription.text));
  const res = run0.results[0];
  assert.equal(res.ruleId, 'unbuffered-result-chan');
  assert.equal(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId);
  assert.equal(res.level, 'warning');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 6, startColumn: 10, endLine: 6, endColumn: 26 });
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'a.go');
  assert.equal(res.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, ', 1');
});

test('--fix applies preferred fixes in place and leaves the rest reported', () => {
  const dir = workspace({ 'a.go': LEAKY });
  const r = run(['--fix', '.'], dir);
  const fixed = fs.readFileSync(path.join(dir, 'a.go'), 'utf8');
  assert.match(fixed, /errc := make\(chan error, 1\)/);
  assert.match(fixed, /t := time.NewTimer\(time.Second\)\n\tdefer t.Stop\(\)\n/);
  assert.match(r.err, /fixed \d+ findings? in 1 file/);
  assert.equal(run(['.'], dir).code, 0, 'nothing left after the fix');
  assert.equal(r.code, 0);
});

test('--fix never writes a file that is not valid UTF-8', () => {
  const bytes = Buffer.concat([Buffer.from(LEAKY.replace('package app', 'package app\n\n// \u00ff')), Buffer.from([0xff, 0x0a])]);
  const dir = workspace({ 'a.go': bytes });
  const r = run(['--fix', '.'], dir);
  assert.match(r.err, /not fixing a.go: it is not valid UTF-8/);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'a.go')), bytes);
  assert.equal(r.code, 1);
});

test('vendor/, testdata/, .gitignore and config excludes are skipped', () => {
  const dir = workspace({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.gitignore': 'ignored/\n',
    'vendor/v/v.go': LEAKY,
    'testdata/t.go': LEAKY,
    'ignored/i.go': LEAKY,
    'gen/g.go': LEAKY,
    '.leaklint.json': '{"exclude": ["gen/**"]}',
    'ok/ok.go': 'package ok\n',
  });
  assert.equal(run(['./...'], dir).code, 0);
  assert.equal(run(['--no-gitignore', '.'], dir).code, 1);
  assert.equal(run(['ignored/i.go'], dir).code, 1, 'a file named explicitly is scanned');
});

test('bad config, bad flags and missing paths exit 2 with one clear line', () => {
  const dir = workspace({ '.leaklint.json': '{"rules": {"timer-not-stoped": "off"}}', 'a.go': LEAKY });
  const bad = run(['.'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /leaklint: .*\.leaklint\.json: rules\."timer-not-stoped" is not a rule/);
  assert.equal(run(['--format', 'xml', '.'], dir).code, 2);
  const missing = run(['--config', '/dev/null/none', 'nope'], dir);
  assert.equal(missing.code, 2);
  const dir2 = workspace({ 'a.go': LEAKY });
  const nope = run(['does-not-exist'], dir2);
  assert.equal(nope.code, 2);
  assert.match(nope.err, /no such file or folder: does-not-exist/);
});

test('binary, huge and generated files are skipped with a note, never a crash', () => {
  const dir = workspace({
    'bin.go': Buffer.from([0x70, 0x61, 0, 0, 0xff]),
    'big.go': 'package big\n' + '// padding\n'.repeat(300000),
    'gen.go': '// Code generated by stringer. DO NOT EDIT.\n\n' + LEAKY.replace('package app', 'package gen'),
  });
  const r = run(['.'], dir);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.err, /skipped bin.go: binary file/);
  assert.match(r.err, /skipped big.go: file is .* over the 2.0 MB limit/);
  assert.doesNotMatch(r.err, /gen.go/, 'generated files are skipped quietly (say so with --verbose)');
  assert.match(run(['--verbose', '.'], dir).err, /skipped gen.go: generated file/);
});

test('--version and --help', () => {
  const dir = workspace({});
  assert.match(run(['--version'], dir).out, /^\d+\.\d+\.\d+/);
  const help = run(['--help'], dir);
  assert.equal(help.code, 0);
  assert.match(help.out, /--format <format>/);
});

test('worker threads and the in-process path agree, and an unchanged tree comes from the cache', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++) files[`p${i % 12}/f${i}.go`] = LEAKY.replace('package app', `package p${i % 12}`).replace(/Start/g, `Start${i}`);
  const dir = workspace(files);
  const cacheDir = path.join(dir, '.cache-here');
  const serial = run(['--no-cache', '-j', '1', '--format', 'json', '.'], dir);
  const parallel = run(['--no-cache', '-j', '2', '--format', 'json', '.'], dir, { LEAKLINT_IN_PROCESS_BYTES: '0' });
  assert.equal(serial.code, 1);
  assert.equal(parallel.out, serial.out, 'the same findings in the same order');
  assert.equal(JSON.parse(serial.out).length, 180);
  const cold = run(['--cache-dir', cacheDir, '--verbose', '--format', 'json', '.'], dir);
  assert.match(cold.err, /packages from cache: 0, analysed: 12/);
  const warm = run(['--cache-dir', cacheDir, '--verbose', '--format', 'json', '.'], dir);
  assert.match(warm.err, /packages from cache: 12, analysed: 0/);
  assert.equal(warm.out, serial.out);
  // Fix one package's leaks: only that package is analysed again, and its findings change.
  const target = path.join(dir, 'p3/f3.go');
  fs.writeFileSync(target, fs.readFileSync(target, 'utf8').replace('make(chan error)', 'make(chan error, 1)'));
  const after = run(['--cache-dir', cacheDir, '--verbose', '--format', 'json', '.'], dir);
  assert.match(after.err, /packages from cache: 11, analysed: 1/);
  assert.equal(JSON.parse(after.out).length, 178, 'the unbuffered finding and its discarded caller are gone');
  // A different config is a different cache key.
  fs.writeFileSync(path.join(dir, '.leaklint.json'), '{"rules": {"timer-not-stopped": "off"}}');
  const off = run(['--cache-dir', cacheDir, '--verbose', '--format', 'json', '.'], dir);
  assert.match(off.err, /packages from cache: 0, analysed: 12/);
  assert.equal(JSON.parse(off.out).length, 118);
});
