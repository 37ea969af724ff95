// Goroutine dumps: real ones from the Go runtime (both debug levels and runtime.Stack),
// built in another folder and mapped onto test-fixtures; goleak and panic text; hostile input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { joinFindings, type FindingAnchor } from '../server/src/engine/dump/join';
import { WorkspaceMap } from '../server/src/engine/dump/mapping';
import { chunksOf, describeSite, readDump } from '../server/src/engine/dump/read';
import { inferState, isStdlib, packagePath, stateFromLine } from '../server/src/engine/dump/classify';
import { FIXTURES } from './helpers/fixtures';
import { EXPECTED, HAS_GO, makeRealDumps } from './helpers/real-dumps';

const noGo = !HAS_GO && 'go is not installed';
const fixturesMap = () => new WorkspaceMap(FIXTURES);
const rel = (f: string | null) => (f ? path.relative(FIXTURES, f).split(path.sep).join('/') : null);

for (const level of ['debug2', 'debug1', 'stack'] as const) {
  test(`real ${level} dump built elsewhere: every leak at its line, with its count and state`, { skip: noGo, timeout: 240_000 }, async () => {
    const dumps = makeRealDumps();
    const text = fs.readFileSync(dumps[level], 'utf8');
    assert.ok(text.includes(dumps.buildDir), 'the dump carries the build folder, not the workspace');
    const report = await readDump(fs.createReadStream(dumps[level]), { map: fixturesMap() });
    assert.deepEqual(report.formats, [level === 'debug1' ? 'debug=1' : 'debug=2']);
    for (const [name, want] of Object.entries(EXPECTED)) {
      const site = report.sites.find((s) => rel(s.file) === want.file && s.line === want.line);
      assert.ok(site, `${name}: a site at ${want.file}:${want.line} in ${JSON.stringify(report.sites.map((s) => `${rel(s.file) ?? s.path}:${s.line}`))}`);
      assert.equal(site.count, want.count, name);
      assert.deepEqual(site.states, { [want.state]: want.count }, name);
      if (level === 'debug1') {
        assert.equal(site.createdBy, null, 'debug=1 has no created-by');
        assert.equal(site.maxWaitMinutes, null, 'debug=1 has no wait times');
      } else {
        assert.deepEqual([rel(site.createdBy!.file), site.createdBy!.line], [want.file, want.createdLine], name);
        assert.equal(site.maxWaitMinutes, 0);
      }
    }
    const leaked = Object.values(EXPECTED).reduce((n, e) => n + e.count, 0);
    // The leaks plus the goroutine writing the dump, which is not in test-fixtures: listed, not dropped.
    assert.equal(report.goroutines, leaked + 1);
    const outside = report.sites.filter((s) => !s.file);
    assert.equal(outside.length, 1);
    assert.match(outside[0].path, /zz_dumpgen\/main\.go$/);
    assert.deepEqual(Object.keys(outside[0].states), ['running']);
    assert.ok(report.notes.some((n) => /1 site of 5 is not in the workspace/.test(n)), report.notes.join('\n'));
    // Sorted by count.
    assert.deepEqual(report.sites.map((s) => s.count), [...report.sites.map((s) => s.count)].sort((a, b) => b - a));
  });
}

test('without a go.mod in the workspace, frames map by path suffix to the same files', { skip: noGo, timeout: 240_000 }, async () => {
  const dumps = makeRealDumps();
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-suffix-'));
  for (const d of ['abandoned-sender', 'goroutine-without-cancel', 'unbuffered-result-chan']) fs.cpSync(path.join(FIXTURES, d), path.join(ws, 'src', d), { recursive: true });
  const map = new WorkspaceMap(ws);
  assert.equal(map.modules.length, 0);
  const report = await readDump(fs.createReadStream(dumps.debug2), { map });
  const race = report.sites.find((s) => s.count === EXPECTED.race.count)!;
  assert.equal(race.file, path.join(ws, 'src', EXPECTED.race.file));
  assert.equal(map.map('example.com/fixtures/abandoned-sender.Race.func1', '/elsewhere/abandoned-sender/positive.go', 81)?.how, 'suffix');
  assert.equal(fixturesMap().map('example.com/fixtures/abandoned-sender.Race.func1', '/elsewhere/x/positive.go', 81)?.how, 'module');
});

test('mapping never guesses: ambiguous suffixes, missing files and lines past the end stay unmapped', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-map-'));
  const write = (f: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws, f)), { recursive: true });
    fs.writeFileSync(path.join(ws, f), text);
  };
  write('go.mod', 'module example.com/app\n');
  write('a/util/x.go', 'package util\n\nfunc A() {}\n');
  write('b/util/x.go', 'package util\n\nfunc B() {}\n');
  write('main.go', 'package main\n\nfunc main() {}\n');
  const map = new WorkspaceMap(ws);
  // By module path: the package names the folder.
  assert.equal(map.map('example.com/app/a/util.A', '/ci/build/a/util/x.go', 3)?.file, path.join(ws, 'a/util/x.go'));
  // By suffix: two files end in util/x.go, so a frame of another module with that suffix is ambiguous.
  assert.equal(map.map('example.com/other/util.A', '/ci/util/x.go', 3), null);
  // ... but a longer shared suffix decides.
  assert.equal(map.map('example.com/other/util.A', '/ci/b/util/x.go', 3)?.file, path.join(ws, 'b/util/x.go'));
  // The module owns its packages: a file missing there is not looked for elsewhere.
  assert.equal(map.map('example.com/app/c.F', '/ci/c/x.go', 3), null);
  // A line past the end of the file: a different version of it, not this file.
  assert.equal(map.map('example.com/app/a/util.A', '/ci/build/a/util/x.go', 99), null);
  // main.go at the root matches as a whole workspace-relative path; a bare file name elsewhere does not.
  assert.equal(map.map('main.main', '/home/ci/app/main.go', 3)?.file, path.join(ws, 'main.go'));
  assert.equal(map.map('main.main', '/home/ci/app/x.go', 3), null);
  // Standard-library frames are not the user's.
  assert.equal(map.isUserFunc('sync.(*WaitGroup).Wait'), false);
  assert.equal(map.isUserFunc('example.com/app/a/util.A'), true);
});

test('function symbols: package paths, the standard library, dotless modules', () => {
  assert.equal(packagePath('example.com/x/y.(*T).M.func1'), 'example.com/x/y');
  assert.equal(packagePath('gopkg.in/yaml%2ev3.(*Decoder).Decode'), 'gopkg.in/yaml.v3');
  assert.equal(packagePath('net/http.(*conn).serve'), 'net/http');
  assert.equal(isStdlib('internal/poll.runtime_pollWait'), true);
  assert.equal(isStdlib('main.worker'), false);
  assert.equal(isStdlib('myapp/jobs.Run'), true);
  assert.equal(isStdlib('myapp/jobs.Run', ['myapp']), false);
});

test('debug=1 states: from standard-library frames, else from the site line, else unknown', () => {
  const f = (func: string) => ({ func, file: 'x.go', line: 1 });
  assert.equal(inferState([f('sync.runtime_Semacquire'), f('sync.(*WaitGroup).Wait'), f('main.run')]), 'semacquire');
  assert.equal(inferState([f('runtime.gopark'), f('runtime.selectgo'), f('main.run')]), 'select');
  assert.equal(inferState([f('sync.runtime_notifyListWait'), f('sync.(*Cond).Wait')]), 'sync.Cond.Wait');
  assert.equal(inferState([f('internal/poll.runtime_pollWait'), f('internal/poll.(*pollDesc).wait')]), 'IO wait');
  assert.equal(inferState([f('main.run')]), null);
  assert.equal(stateFromLine('\t\tresults <- i * i'), 'chan send');
  assert.equal(stateFromLine('\tv := <-ch // a comment with x <- y'), 'chan receive');
  assert.equal(stateFromLine('\treturn <-results'), 'chan receive');
  assert.equal(stateFromLine('\tselect {'), 'select');
  assert.equal(stateFromLine('\tout <- <-in'), null, 'a send and a receive: not told apart');
  assert.equal(stateFromLine('\tfmt.Println("a <- b")'), null);
});

const GOLEAK = `--- FAIL: TestLeak (0.45s)
    leak_test.go:12: found unexpected goroutines:
        [Goroutine 7 in state chan send, 3 minutes, with example.com/fixtures/abandoned-sender.Race.func1 on top of the stack:
        goroutine 7 [chan send, 3 minutes]:
        example.com/fixtures/abandoned-sender.Race.func1(0x0?)
        	/ci/abandoned-sender/positive.go:81 +0x2e
        created by example.com/fixtures/abandoned-sender.Race
        	/ci/abandoned-sender/positive.go:80 +0x45
        ]
        [Goroutine 9 in state select, with example.com/fixtures/goroutine-without-cancel.(*Manager).Listen.func1 on top of the stack:
        example.com/fixtures/goroutine-without-cancel.(*Manager).Listen.func1()
        	/ci/goroutine-without-cancel/positive.go:30 +0x5c
        created by example.com/fixtures/goroutine-without-cancel.(*Manager).Listen in goroutine 6
        	/ci/goroutine-without-cancel/positive.go:28 +0x6f
        ]
FAIL
`;

test('goleak failure text inside go test output (with and without the runtime header)', async () => {
  const report = await readDump([GOLEAK], { map: fixturesMap() });
  assert.deepEqual(report.notes, []);
  assert.deepEqual(report.formats, ['goleak']);
  assert.deepEqual(report.sites.map((s) => [rel(s.file), s.line, s.states, s.maxWaitMinutes, s.createdBy?.line]), [
    ['abandoned-sender/positive.go', 81, { 'chan send': 1 }, 3, 80],
    ['goroutine-without-cancel/positive.go', 30, { select: 1 }, 0, 28],
  ]);
});

const PANIC = `panic: boom

goroutine 1 [running]:
main.main()
	/build/cmd/app/main.go:9 +0x27
exit status 2
`;

const SIGQUIT_MINUTES = `SIGQUIT: quit
PC=0x46b1e1 m=0 sigcode=0

goroutine 0 [idle]:
runtime.futex()
	/usr/local/go/src/runtime/sys_linux_amd64.s:553 +0x21

goroutine 21 gp=0xc000102a80 m=nil [chan receive, 1440 minutes, locked to thread]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
	/usr/local/go/src/runtime/proc.go:402 +0xce
example.com/fixtures/abandoned-sender.Race(...)
	/srv/build/abandoned-sender/positive.go:84
created by main.main in goroutine 1
	/srv/build/cmd/app/main.go:5 +0x1d

rax    0xca
rbx    0x0
`;

test('panic and SIGQUIT output: headers with extras, wait minutes, inlined frames, register dumps around', async () => {
  const p = await readDump([PANIC]);
  assert.deepEqual(p.sites.map((s) => [s.path, s.line, s.states]), [['/build/cmd/app/main.go', 9, { running: 1 }]]);
  const q = await readDump([SIGQUIT_MINUTES], { map: fixturesMap() });
  const site = q.sites.find((s) => s.file)!;
  assert.deepEqual([rel(site.file), site.line, site.states, site.maxWaitMinutes], ['abandoned-sender/positive.go', 84, { 'chan receive': 1 }, 1440]);
  assert.equal(describeSite(site), '1 goroutine blocked here (chan receive, up to 1440 minutes)');
  assert.equal(q.goroutines, 2);
});

test('hostile input: binary, gzip profiles, truncation, CRLF, mixed formats, overlong lines: what can be read, and a note', async () => {
  const real = HAS_GO ? fs.readFileSync(makeRealDumps().debug2, 'utf8') : SIGQUIT_MINUTES;
  const expectSame = async (input: string | Buffer) => {
    const r = await readDump([input], { map: fixturesMap() });
    return r.sites.map((s) => `${s.count} ${rel(s.file) ?? s.path}:${s.line}`);
  };
  const base = await expectSame(real);
  // CRLF line endings read the same.
  assert.deepEqual(await expectSame(real.replace(/\n/g, '\r\n')), base);
  // Chunk boundaries anywhere (even inside a UTF-8 sequence) read the same.
  const bytes = Buffer.from(real + '\ngoroutine 99 [select]:\nexample.com/x.取得()\n\t/ci/x.go:1 +0x1\n');
  const oneByOne = await readDump((function* () {
    for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
  })());
  const whole = await readDump([bytes]);
  assert.deepEqual(oneByOne.sites, whole.sites);
  assert.ok(whole.sites.some((s) => s.func === 'example.com/x.取得'));
  // Truncated mid-frame: the goroutines before are all there, the cut one counts, and a note says so.
  const cut = real.slice(0, real.lastIndexOf('\t/') + 5);
  const t = await readDump([cut], { map: fixturesMap() });
  assert.ok(t.notes.some((n) => /ends in the middle of a goroutine/.test(n)), t.notes.join('\n'));
  assert.ok(t.goroutines >= 1, `${t.goroutines} goroutines read`);
  // Pure binary noise: no sites, a note, no throw.
  const noise = Buffer.alloc(1 << 20);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const b = await readDump([noise]);
  assert.equal(b.goroutines, 0);
  assert.ok(b.notes.some((n) => /No goroutine dump found/.test(n)), b.notes.join('\n'));
  // A gzip-compressed pprof profile (debug=0): said so.
  const gz = await readDump([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x0a, 0x00])]);
  assert.ok(gz.notes.some((n) => /binary pprof profile/.test(n)));
  // Log lines interleaved inside a goroutine: the goroutine is cut there and counted, a note says so.
  const mixed = await readDump([`goroutine 5 [chan send]:\nexample.com/x.F()\n2026/01/01 12:00:00 INFO something\n\t/ci/x.go:3 +0x1\n\n${PANIC}`]);
  assert.equal(mixed.goroutines, 2);
  assert.ok(mixed.notes.some((n) => /broke off a goroutine/.test(n)), mixed.notes.join('\n'));
  // Two formats in one input: counted and said.
  const both = await readDump([`${PANIC}\ngoroutine profile: total 2\n2 @ 0x1 0x2\n#\t0x1\tmain.main+0x1\t/build/cmd/app/main.go:9\n`]);
  assert.equal(both.goroutines, 3);
  assert.ok(both.notes.some((n) => /mixes dump formats/.test(n)));
  // A declared total that does not match what was read.
  const short = await readDump(['goroutine profile: total 10\n2 @ 0x1\n#\t0x1\tmain.main+0x1\t/b/main.go:9\n']);
  assert.ok(short.notes.some((n) => /declares 10 goroutines; 2 were read/.test(n)), short.notes.join('\n'));
  // An endless line without a newline: cut, not buffered.
  const long = await readDump(['x'.repeat(5_000_000), '\n', PANIC]);
  assert.equal(long.goroutines, 1);
  assert.ok(long.notes.some((n) => /overlong line/.test(n)));
  // Pathological parentheses do not stall the function-line pattern.
  const t0 = Date.now();
  await readDump([`goroutine 1 [running]:\n${'('.repeat(16000)}x\n`]);
  assert.ok(Date.now() - t0 < 1000);
  // Nothing at all.
  assert.equal((await readDump([])).sites.length, 0);
});

test('sites join static findings both ways: the blocked send, the go statement of a goroutine that never ends', async () => {
  const report = await readDump(chunksOf(GOLEAK), { map: fixturesMap() });
  const file = (f: string) => path.join(FIXTURES, f);
  const anchors: FindingAnchor[] = [
    { rule: 'abandoned-sender', file: file('abandoned-sender/positive.go'), startLine: 78, endLine: 78, related: [{ file: file('abandoned-sender/positive.go'), line: 81 }] },
    { rule: 'goroutine-without-cancel', file: file('goroutine-without-cancel/positive.go'), startLine: 28, endLine: 28, related: [{ file: file('goroutine-without-cancel/positive.go'), line: 29 }] },
    { rule: 'timer-not-stopped', file: file('abandoned-sender/positive.go'), startLine: 10, endLine: 10, related: [] },
  ];
  const confirmed = joinFindings(report.sites, anchors);
  assert.deepEqual(report.sites.map((s) => [s.line, s.finding, s.findingAt?.line]), [
    [81, 'abandoned-sender', 78], // the send line is the finding's related location
    [30, 'goroutine-without-cancel', 28], // created by the go statement the finding is on
  ]);
  assert.deepEqual(confirmed.map((c) => [c.anchor.rule, c.count, c.maxWaitMinutes]), [
    ['abandoned-sender', 1, 3],
    ['goroutine-without-cancel', 1, 0],
  ]);
});

test('describeSite: counts with separators, state mixes, running goroutines', () => {
  assert.equal(describeSite({ count: 1234, states: { 'chan send': 1234 }, maxWaitMinutes: 1440 }), '1,234 goroutines blocked here (chan send, up to 1440 minutes)');
  assert.equal(describeSite({ count: 3, states: { select: 2, 'chan receive': 1 }, maxWaitMinutes: null }), '3 goroutines blocked here (select 2, chan receive 1)');
  assert.equal(describeSite({ count: 1, states: { running: 1 }, maxWaitMinutes: 0 }), '1 goroutine running here (running)');
});
