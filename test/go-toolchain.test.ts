// Ground truth from the Go toolchain: every fixture compiles, and every golden fix
// section compiles and is gofmt-clean. Needs `go` on PATH (.ci/run installs golang-go).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, parseGolden } from './helpers/fixtures';

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
const hasGo = go.status === 0;
const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOCACHE: path.join(os.tmpdir(), 'leaklint-gocache') };

/** Folders of the Go 1.19 module (nested modules need newer Go and are left out on purpose). */
function goldenFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, top: boolean) => {
    if (!top && fs.existsSync(path.join(dir, 'go.mod'))) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), false);
      else if (e.name.endsWith('.go.golden')) out.push(path.join(dir, e.name));
    }
  };
  walk(FIXTURES, true);
  return out.sort();
}

// copylocks is off: a WaitGroup passed by value is the point of some waitgroup-misuse fixtures;
// lostcancel is off: the lost-cancel fixtures lose cancel functions on purpose (vet's own
// lostcancel flags the positives it can see, which is a check of ours in itself).
const VET = ['vet', '-copylocks=false', '-lostcancel=false'];

test('fixtures compile and are go vet clean', { skip: !hasGo && 'go is not installed' }, () => {
  const r = spawnSync('go', [...VET, './...'], { cwd: FIXTURES, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('every golden fix compiles and is gofmt-clean', { skip: !hasGo && 'go is not installed' }, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-golden-'));
  for (const golden of goldenFiles()) {
    const source = golden.replace(/\.golden$/, '');
    for (const [kind, text] of parseGolden(fs.readFileSync(golden, 'utf8'))) {
      const rel = `${path.relative(FIXTURES, source)} [${kind}]`;
      await t.test(rel, () => {
        const replaced = path.join(tmp, `${kind}-${path.basename(source)}`);
        fs.writeFileSync(replaced, text);
        const overlay = path.join(tmp, 'overlay.json');
        fs.writeFileSync(overlay, JSON.stringify({ Replace: { [source]: replaced } }));
        const pkg = './' + path.relative(FIXTURES, path.dirname(source));
        const build = spawnSync('go', [...VET, `-overlay=${overlay}`, pkg], { cwd: FIXTURES, env, encoding: 'utf8' });
        assert.equal(build.status, 0, `${rel} does not compile:\n${build.stderr}`);
        // gofmt writes LF; a CRLF fixture is clean when gofmt changes nothing but line endings.
        const lf = text.replace(/\r\n/g, '\n');
        const fmt = spawnSync('gofmt', [], { input: lf, encoding: 'utf8' });
        assert.equal(fmt.stdout, lf, `${rel} is not gofmt-clean`);
      });
    }
  }
});

/** Packages with a runtime ground-truth harness (leaks_test.go). */
function harnessDirs(): string[] {
  return fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, 'leaks_test.go')));
}

function goTest(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('go', ['test', '-count=1', '-v', '-run', 'TestGroundTruth', ...args], { cwd: FIXTURES, env: { ...env, ...extraEnv } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('runtime ground truth: positive cases leave goroutines behind, negative cases do not', { skip: !hasGo && 'go is not installed', timeout: 300_000 }, async () => {
  const r = await goTest(harnessDirs().map((d) => `./${d}`));
  assert.equal(r.code, 0, r.out.split('\n').filter((l) => /FAIL|EXPECTED|UNEXPECTED|panic/.test(l)).join('\n'));
  const leaked = (r.out.match(/leaked as expected/g) ?? []).length;
  const clean = (r.out.match(/clean as expected/g) ?? []).length;
  const reviewed = (r.out.match(/reviewed only:/g) ?? []).length;
  console.log(`ground truth: ${leaked} cases leak as predicted, ${clean} cases run clean, ${reviewed} reviewed only`);
  assert.ok(leaked >= 60 && clean >= 60, `${leaked} leaking and ${clean} clean cases ran`);
});

test('runtime ground truth after each golden fix: the leaks it targets are gone, nothing else changes', { skip: !hasGo && 'go is not installed', timeout: 600_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-cure-'));
  const runs: { label: string; run: () => Promise<{ code: number | null; out: string }> }[] = [];
  for (const dir of harnessDirs()) {
    for (const golden of fs.readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith('.go.golden'))) {
      const source = path.join(FIXTURES, dir, golden.replace(/\.golden$/, ''));
      for (const [kind, text] of parseGolden(fs.readFileSync(path.join(FIXTURES, dir, golden), 'utf8'))) {
        const replaced = path.join(tmp, `${dir}-${kind}-${path.basename(source)}`);
        fs.writeFileSync(replaced, text);
        const overlay = path.join(tmp, `${dir}-${kind}-${path.basename(source)}.json`);
        fs.writeFileSync(overlay, JSON.stringify({ Replace: { [source]: replaced } }));
        runs.push({ label: `${dir}/${path.basename(source)} [${kind}]`, run: () => goTest([`-overlay=${overlay}`, `./${dir}`], { LEAKLINT_FIXED: `${path.basename(source)}:${kind}` }) });
      }
    }
  }
  const failures: string[] = [];
  let cured = 0;
  const queue = [...runs];
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const res = await r.run();
      if (res.code !== 0) failures.push(`${r.label}:\n${res.out.split('\n').filter((l) => /FAIL|EXPECTED|UNEXPECTED|error/.test(l)).join('\n')}`);
      cured += (res.out.match(/clean as expected/g) ?? []).length;
    }
  };
  await Promise.all([worker(), worker()]);
  console.log(`ground truth after fixes: ${runs.length} fix kinds applied, all cases as expected in ${runs.length - failures.length}`);
  assert.deepEqual(failures, []);
  assert.ok(runs.length >= 15 && cured > 0);
});

test('leaklint --fix on the fixtures: the result compiles, is gofmt-clean, and no fixable finding is left', { skip: !hasGo && 'go is not installed', timeout: 300_000 }, () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-fixall-'));
  fs.cpSync(FIXTURES, copy, { recursive: true, filter: (src) => !src.endsWith('.golden') });
  const bin = path.resolve(__dirname, '../bin/leaklint.js');
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, '--no-cache', ...args], { cwd: copy, encoding: 'utf8' });
  const first = cli('--fix', '--format', 'json', '.');
  assert.match(first.stderr, /fixed \d+ findings in \d+ files/);
  const vet = spawnSync('go', [...VET, './...'], { cwd: copy, env, encoding: 'utf8' });
  assert.equal(vet.status, 0, vet.stderr);
  const unformatted = spawnSync('gofmt', ['-l', '.'], { cwd: copy, encoding: 'utf8' }).stdout.split('\n').filter((f) => f && !/crlf/.test(f));
  assert.deepEqual(unformatted, []);
  const left = JSON.parse(cli('--format', 'json', '.').stdout) as { rule: string; file: string; line: number; fixes: unknown[] }[];
  assert.deepEqual(left.filter((f) => f.fixes.length).map((f) => `${f.file}:${f.line} ${f.rule}`), [], 'every fixable finding was fixed');
  // Files whose findings all prefer one kind of fix come out exactly as that golden section.
  const golden = parseGolden(fs.readFileSync(path.join(FIXTURES, 'unbuffered-result-chan/positive.go.golden'), 'utf8')).get('add-buffer');
  assert.equal(fs.readFileSync(path.join(copy, 'unbuffered-result-chan/positive.go'), 'utf8'), golden);
});

test('fixtures that need newer Go are left out of the Go 1.19 build explicitly, each with its minimum version', () => {
  const nested: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const sub = path.join(dir, e.name);
      if (fs.existsSync(path.join(sub, 'go.mod'))) nested.push(sub);
      else walk(sub);
    }
  };
  walk(FIXTURES);
  const modules = nested
    // Stubs are libraries; crosspkg/ holds modules of its own, built by test/crosspkg.test.ts.
    .filter((d) => !d.includes(`${path.sep}stubs${path.sep}`) && !path.relative(FIXTURES, d).startsWith('crosspkg'))
    .map((d) => ({ dir: path.relative(FIXTURES, d), go: /^go (\d+\.\d+)/m.exec(fs.readFileSync(path.join(d, 'go.mod'), 'utf8'))?.[1] }));
  for (const m of modules) console.log(`left out of the Go 1.19 suite: ${m.dir} (needs go ${m.go})`);
  assert.deepEqual(modules, [
    { dir: 'timer-not-stopped/go123', go: '1.23' },
    { dir: 'waitgroup-misuse/go125', go: '1.25' },
  ]);
});
