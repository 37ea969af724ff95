// `leaklint dump` as a user runs it: a child process, real dumps, files and stdin.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES } from './helpers/fixtures';
import { EXPECTED, HAS_GO, makeRealDumps } from './helpers/real-dumps';

const BIN = path.resolve(__dirname, '../bin/leaklint.js');
const CACHE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-cache-'));
const noGo = !HAS_GO && 'go is not installed';

function run(args: string[], cwd: string, input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: CACHE_HOME }, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface SiteJson {
  file: string;
  line: number;
  column: number;
  mapped: boolean;
  count: number;
  states: Record<string, number>;
  maxWaitMinutes: number | null;
  createdBy: { file: string; line: number; function: string } | null;
  finding: string | null;
  frames: { function: string; file: string; line: number; mapped: boolean }[];
}

test('leaklint dump --format json: sites sorted by count, mapped onto the workspace, joined with static findings', { skip: noGo, timeout: 240_000 }, () => {
  const dumps = makeRealDumps();
  for (const level of ['debug2', 'debug1'] as const) {
    const r = run(['dump', dumps[level], '--format', 'json'], FIXTURES);
    assert.equal(r.code, 0, r.err);
    const sites = JSON.parse(r.out) as SiteJson[];
    assert.deepEqual(sites.map((s) => s.count), [40, 9, 6, 4, 1]);
    for (const want of Object.values(EXPECTED)) {
      const s = sites.find((x) => x.file === want.file && x.line === want.line)!;
      assert.ok(s, `${level}: ${want.file}:${want.line}`);
      assert.equal(s.count, want.count);
      assert.deepEqual(s.states, { [want.state]: want.count });
      // debug=1 prints no `created by`: a goroutine blocked inside the body of a loop that never
      // ends (not on the go statement or the loop's line) cannot be tied to its finding there.
      const joinable = level === 'debug2' || want.rule !== 'goroutine-without-cancel';
      assert.equal(s.finding, joinable ? want.rule : null, `${level}: ${want.file}:${want.line} is explained by ${want.rule}`);
      assert.deepEqual(s.createdBy, level === 'debug2' ? { file: want.file, line: want.createdLine, function: s.createdBy!.function } : null);
      assert.ok(s.column > 1 && s.mapped);
      assert.ok(s.frames.some((f) => f.file === want.file && f.line === want.line && f.mapped));
    }
    // The goroutine that wrote the dump is not in test-fixtures: listed with the build path, not dropped.
    const outside = sites.find((s) => !s.mapped)!;
    assert.ok(outside.file.startsWith(dumps.buildDir), outside.file);
    assert.equal(outside.finding, null);
    assert.match(r.err, /1 site of 5 is not in the workspace/);
  }
});

test('leaklint dump: text, stdin, --min-count, --fail-count exit codes, --root, sarif', { skip: noGo, timeout: 240_000 }, () => {
  const dumps = makeRealDumps();
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-cwd-'));
  const text = fs.readFileSync(dumps.debug2);
  // Text from stdin, mapped onto --root from another folder.
  const t = run(['dump', '-', '--root', FIXTURES, '--min-count', '5'], elsewhere, text);
  assert.equal(t.code, 0, t.err);
  const lines = t.out.trim().split('\n');
  assert.equal(lines.length, 4, t.out); // 40, 9, 6 and the summary
  assert.match(lines[0], /abandoned-sender\/positive\.go:81:4: 40 goroutines blocked here \(chan send\); created at .*abandoned-sender\/positive\.go:80; explained by abandoned-sender/);
  assert.match(lines[2], /goroutine-without-cancel\/positive\.go:21:4: 6 goroutines blocked here \(sleep\).*explained by goroutine-without-cancel/);
  assert.match(lines[3], /^60 goroutines at 5 sites \(debug=2\); 3 shown, 3 explained by static findings$/);
  // --fail-count: 1 when a site reaches it, 0 when none does; --min-count does not hide a failing site.
  assert.equal(run(['dump', dumps.debug2, '--fail-count', '40', '--min-count', '100', '--no-findings'], FIXTURES).code, 1);
  assert.equal(run(['dump', dumps.debug2, '--fail-count', '41', '--no-findings'], FIXTURES).code, 0);
  // --no-findings: nothing joined.
  const nf = JSON.parse(run(['dump', dumps.debug2, '--format', 'json', '--no-findings'], FIXTURES).out) as SiteJson[];
  assert.ok(nf.every((s) => s.finding === null));
  // SARIF: one result per site, level warning when a static finding explains it.
  const sarif = JSON.parse(run(['dump', dumps.debug1, '--format', 'sarif'], FIXTURES).out);
  const results = sarif.runs[0].results as { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
  assert.equal(results.length, 5);
  assert.equal(results[0].level, 'warning');
  assert.match(results[0].message.text, /^40 goroutines blocked here \(chan send\): explained by abandoned-sender$/);
  assert.deepEqual([results[0].locations[0].physicalLocation.artifactLocation.uri, results[0].locations[0].physicalLocation.region.startLine], ['abandoned-sender/positive.go', 81]);
  assert.match(results[4].locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/.*zz_dumpgen\/main\.go$/);
});

test('leaklint dump: bad input and usage never crash', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-dumpbad-'));
  const missing = run(['dump', 'nope.txt'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read nope\.txt: ENOENT/);
  assert.equal(run(['dump', '.'], dir).code, 2);
  assert.equal(run(['dump'], dir).code, 2);
  assert.equal(run(['dump', '-', '--format', 'xml'], dir, '').code, 2);
  assert.equal(run(['dump', '-', '--root', 'nowhere'], dir, '').code, 2);
  const garbage = run(['dump', '-', '--format', 'json'], dir, Buffer.from([0, 1, 2, 255, 10, 0x1f, 0x8b]));
  assert.equal(garbage.code, 0);
  assert.deepEqual(JSON.parse(garbage.out), []);
  assert.match(garbage.err, /No goroutine dump found/);
  const help = run(['--help'], dir);
  assert.match(help.out, /leaklint dump FILE/);
  assert.match(run(['dump', '--help'], dir).out, /--fail-count <n>/);
});
