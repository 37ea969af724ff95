// The functions of a file some rule wants that no rule wants by their text are parsed blanked
// (body-gate.ts): the findings are those of the full parse, every fixture and every shape below.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../server/src/engine/config';
import { LeakEngine } from '../server/src/engine/engine';
import { gateBodies } from '../server/src/engine/body-gate';
import { RULES } from '../server/src/engine/rules';
import { byFolder, runPackageJob } from '../server/src/scan/package-job';
import { FIXTURES } from './helpers/fixtures';

const ready = LeakEngine.create();

/** The scan's findings and fixes against those with no body blanked (LEAKLINT_BODY_GATE=off), file by file. */
async function sameAsFullParse(files: string[]): Promise<number> {
  const engine = await ready;
  const run = () => runPackageJob(engine, { files, config: defaultConfig(), goVersion: null, maxFileSize: 1 << 20 });
  const gated = run();
  process.env.LEAKLINT_BODY_GATE = 'off';
  let whole;
  try {
    whole = run();
  } finally {
    delete process.env.LEAKLINT_BODY_GATE;
  }
  assert.deepEqual(gated, whole);
  return gated.files.reduce((n, f) => n + (f.findings?.length ?? 0), 0);
}

function writePackage(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-gate-'));
  return Object.entries(files).map(([name, text]) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  });
}

test('a body no rule wants is blanked; one a rule wants, one holding a fact, and one a goroutine runs are kept', () => {
  const src = [
    'package p',
    '',
    'import "sync"',
    '',
    'func (s *S) Wait() {',
    '\tvar wg sync.WaitGroup',
    '\twg.Wait()',
    '}',
    '',
    'func (s *S) plain() {',
    '\tprintln("nothing")',
    '}',
    '',
    'func (s *S) start() {',
    '\tgo s.loop()',
    '}',
    '',
    'func (s *S) loop() {',
    '\tfor range s.ch {',
    '\t}',
    '}',
    '',
    'func (s *S) Close() {',
    '\tprintln("closing")',
    '}',
    '',
  ].join('\n');
  const gate = gateBodies('p.go', src, RULES, new Set());
  assert.equal(gate.text.length, src.length);
  const lines = gate.text.split('\n');
  assert.equal(lines[5], '\tvar wg sync.WaitGroup', 'waitgroup-misuse wants it');
  assert.match(lines[10], /^\s+$/, 'no rule wants it');
  assert.equal(lines[14], '\tgo s.loop()', 'a go statement');
  assert.equal(lines[18], '\tfor range s.ch {', 'the goroutine runs it (field-loops.ts reads its range)');
  assert.equal(lines[23], '\tprintln("closing")', 'a stop method others read');
  assert.deepEqual(gate.blanked.map((f) => f.split('\n')[0]), ['func (s *S) plain() {']);
});

test('a file rule that finds its calls through the facts parses the whole file when they name a blanked function', async () => {
  // Loud (a WaitGroup), and the call of a function that returns a goroutine-fed channel sits in
  // a body no rule wants by its text: the facts of the package make it wanted.
  const found = await sameAsFullParse(
    writePackage({
      'a.go': 'package p\n\nfunc Fetch() <-chan int {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n\treturn ch\n}\n',
      'b.go': 'package p\n\nimport "sync"\n\nfunc (u *U) Count() {\n\tvar wg sync.WaitGroup\n\twg.Wait()\n}\n\nfunc (u *U) Use() {\n\tFetch()\n\tprintln("done")\n}\n\ntype U struct{}\n',
    }),
  );
  assert.ok(found >= 1, 'the dropped channel is reported');
});

test('a context parker called in a blanked body is still reported', async () => {
  const found = await sameAsFullParse(
    writePackage({
      'park.go':
        'package p\n\nimport "context"\n\nfunc Watch(ctx context.Context) {\n\tgo func() {\n\t\t<-ctx.Done()\n\t\tprintln("stop")\n\t}()\n}\n',
      'use.go':
        'package p\n\nimport (\n\t"context"\n\t"sync"\n)\n\nfunc (u *U) Count() {\n\tvar wg sync.WaitGroup\n\twg.Wait()\n}\n\nfunc (u *U) Run() {\n\tWatch(context.Background())\n}\n\ntype U struct{}\n',
    }),
  );
  assert.ok(found >= 1);
});

test('every fixture package gives the findings and fixes of its full parse', async () => {
  let packages = 0;
  let found = 0;
  const files = (fs.readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.go')).map((f) => path.join(FIXTURES, f));
  for (const [, list] of byFolder(files)) {
    packages++;
    found += await sameAsFullParse(list);
  }
  assert.ok(packages > 10 && found > 20, `${packages} packages, ${found} findings`);
});
