// The probe set of request-captured-by-goroutine (issue 16): one small handler per shape for
// gin, echo, fiber, chi and net/http, both ways. Each probe's header says whether it leaks;
// the rule must report inside every leaking probe and nowhere in a safe one. Prints the table.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LeakEngine } from '../server/src/engine/engine';
import { defaultConfig } from '../server/src/engine/config';
import { FIXTURES, analyzeDir, applyKind, fixesByKind } from './helpers/fixtures';

const RULE = 'request-captured-by-goroutine';
const DIR = path.join(FIXTURES, RULE, 'probes');

interface Probe {
  file: string;
  framework: string;
  shape: string;
  leaks: boolean;
  /** 0-based lines [from, to) the probe spans: from its header to the next one. */
  from: number;
  to: number;
}

function readProbes(file: string, source: string): Probe[] {
  const lines = source.split(/\r?\n/);
  const out: Probe[] = [];
  lines.forEach((text, i) => {
    const m = /^\/\/ (ok: probe|leak probe) \[([\w/]+)\]: (.+)$/.exec(text);
    if (!m) return;
    if (out.length && out[out.length - 1].file === file) out[out.length - 1].to = i;
    out.push({ file, framework: m[2], shape: m[3], leaks: m[1] === 'leak probe', from: i, to: lines.length });
  });
  return out;
}

test('request-captured-by-goroutine probe set: every leak shape found, every safe one silent', async () => {
  const engine = await LeakEngine.create();
  const rows: string[] = [];
  const wrong: string[] = [];
  let probes = 0;
  const frameworks = new Set<string>();
  for (const [file, { source, result }] of analyzeDir(engine, DIR)) {
    if (file.endsWith('_test.go')) continue;
    const hits = result.findings.filter((f) => f.rule === RULE).map((f) => result.lines.lineOf(f.span.start));
    for (const p of readProbes(path.basename(file), source)) {
      const got = hits.some((l) => l >= p.from && l < p.to);
      probes++;
      frameworks.add(p.framework);
      rows.push(`| ${p.shape} | ${p.framework} | ${p.leaks ? 'leak' : 'safe'} | ${got ? 'reported' : 'silent'} |`);
      if (got !== p.leaks) wrong.push(`${p.file}:${p.from + 1} ${p.shape} [${p.framework}]: expected ${p.leaks ? 'a finding' : 'none'}`);
    }
  }
  console.log(['| shape | framework | expected | got |', '|---|---|---|---|', ...rows].join('\n'));
  assert.deepEqual(wrong, []);
  assert.ok(probes >= 30, `${probes} probes`);
  assert.deepEqual([...frameworks].sort(), ['chi', 'echo', 'fiber', 'gin', 'net/http']);
  assert.ok(rows.filter((r) => r.includes('| leak |')).length >= 15 && rows.filter((r) => r.includes('| safe |')).length >= 15);
});

test('request-captured-by-goroutine: every message starts with a verdict of at most 100 characters', async () => {
  const engine = await LeakEngine.create();
  for (const dir of [DIR, path.join(FIXTURES, RULE)]) {
    for (const [file, { result }] of analyzeDir(engine, dir)) {
      for (const f of result.findings.filter((x) => x.rule === RULE)) {
        const verdict = f.message.split('. ')[0];
        assert.ok(verdict.length <= 100, `${path.basename(file)}: verdict of ${verdict.length} characters: ${verdict}`);
        assert.ok(f.message.length > verdict.length + 40, 'an explanation follows the verdict');
      }
    }
  }
});

test('request-captured-by-goroutine: the timeout middleware is fixed by a deadline on the request context', async () => {
  const engine = await LeakEngine.create();
  const file = path.join(DIR, 'gin.go');
  const { source, result } = analyzeDir(engine, DIR).get(file)!;
  const fixes = fixesByKind(result).get('deadline-instead-of-goroutine');
  assert.equal(fixes?.length, 1, 'one deadline fix (the Timeout probe)');
  const fixed = applyKind(source, fixes!);
  const timeout = /func Timeout\(d time.Duration\) gin.HandlerFunc \{[\s\S]*?\n\}\n/.exec(fixed)![0];
  assert.match(timeout, /context\.WithTimeout\(c\.Request\.Context\(\), d\)/);
  assert.match(timeout, /\tc\.Next\(\)\n/);
  assert.doesNotMatch(timeout, /\bgo func|make\(chan/);
  // Linted again, the fixed middleware is silent.
  const again = engine.analyzeFiles([{ path: file, source: fixed }], { config: defaultConfig(), goVersion: null }).get(file)!;
  const inTimeout = again.findings.filter((f) => f.rule === RULE && fixed.slice(0, f.span.start).includes('func Timeout(') && !fixed.slice(0, f.span.start).includes('func NextInBackground('));
  assert.deepEqual(inTimeout, []);
});

const DETACHED = `package p

import (
	"log"
	"net/http"
)

func save(ctx interface{ Err() error }, s string) { log.Println(ctx.Err(), s) }

func Handler(w http.ResponseWriter, r *http.Request) {
	reqCtx := r.Context()
	go func() {
		save(reqCtx, "audit")
	}()
	w.WriteHeader(http.StatusAccepted)
}
`;

test('request-captured-by-goroutine: context.WithoutCancel is offered from Go 1.21 (by go.mod), not before', async () => {
  const engine = await LeakEngine.create();
  const run = (minor: number) => {
    const file = `/virtual/go1${minor}/h.go`;
    return engine.analyzeFiles([{ path: file, source: DETACHED }], { config: defaultConfig(), goVersion: { major: 1, minor, patch: 0 } as never }).get(file)!;
  };
  const old = run(19).findings.filter((f) => f.rule === RULE);
  assert.equal(old.length, 1);
  assert.deepEqual(old[0].fixes, []);
  const modern = run(21).findings.filter((f) => f.rule === RULE);
  assert.equal(modern.length, 1);
  const fixed = applyKind(DETACHED, modern[0].fixes);
  assert.match(fixed, /\t"context"\n\t"log"/);
  assert.match(fixed, /detached := context\.WithoutCancel\(reqCtx\)\n\tgo func\(\) \{\n\t\tsave\(detached, "audit"\)/);
  const gofmt = spawnSync('gofmt', ['-l'], { input: fixed, encoding: 'utf8' });
  if (gofmt.status === 0) assert.equal(spawnSync('gofmt', [], { input: fixed, encoding: 'utf8' }).stdout, fixed, 'gofmt-clean');
});

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
test('request-captured-by-goroutine runtime ground truth: after return the request context is cancelled and the body closed', { skip: go.status !== 0 && 'go is not installed', timeout: 120_000 }, () => {
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOCACHE: path.join(os.tmpdir(), 'leaklint-gocache') };
  const r = spawnSync('go', ['test', '-count=1', '-v', '-run', 'TestRuntime', `./${RULE}/probes/`], { cwd: FIXTURES, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal((r.stdout.match(/--- PASS: TestRuntime/g) ?? []).length, 3);
  assert.ok(fs.existsSync(path.join(DIR, 'runtime_test.go')));
});

test('request-captured-by-goroutine: N goroutines in one handler cost about N (each one walks the rest of the handler once, memoized)', async () => {
  const engine = await LeakEngine.create();
  const config = defaultConfig();
  for (const r of (await import('../server/src/engine/rules')).RULES) if (r.meta.id !== RULE) (config.rules as Record<string, unknown>)[r.meta.id] = 'off';
  const handler = (n: number) => {
    const body = Array.from({ length: n }, (_, i) => `\tgo func() { audit(r.URL.Path) }()\n\tif r.Method == "x" {\n\t\taudit(${i})\n\t}\n`).join('');
    return `package p\n\nimport "net/http"\n\nfunc audit(a ...any) {}\n\nfunc H(w http.ResponseWriter, r *http.Request) {\n${body}}\n`;
  };
  const time = (n: number) => {
    const src = handler(n);
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = engine.analyzeFiles([{ path: `/scale/${n}.go`, source: src }], { config, goVersion: null }).get(`/scale/${n}.go`)!;
      best = Math.min(best, performance.now() - t0);
      assert.equal(res.findings.filter((f) => f.rule === RULE).length, n);
    }
    return best;
  };
  const small = time(200);
  const large = time(800);
  console.log(`request-captured-by-goroutine: 200 goroutines ${small.toFixed(0)} ms, 800 goroutines ${large.toFixed(0)} ms`);
  assert.ok(large / small < 10, `4x the goroutines took ${(large / small).toFixed(1)}x the time (quadratic would be 16x)`);
});
