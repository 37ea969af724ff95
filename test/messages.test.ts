// Every message starts with its verdict: one sentence of at most 100 characters (what the
// Problems panel and a one-line report show whole), then the explanation. Checked on every
// finding of every fixture, cross-package ones included, as the CLI reports them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { clip, explanationOf, message, VERDICT_MAX, verdictOf } from '../server/src/engine/rules/message';
import { RULES } from '../server/src/engine/rules';

const BIN = path.resolve(__dirname, '../bin/leaklint.js');
const FIXTURES = path.resolve(__dirname, '../test-fixtures');
const CROSS = path.join(FIXTURES, 'crosspkg');

function findings(cwd: string, env: NodeJS.ProcessEnv = {}): { file: string; line: number; rule: string; message: string }[] {
  const r = spawnSync(process.execPath, [BIN, '--no-cache', '--format', 'json', '--min-severity', 'hint', '--include-generated', '.'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GOPATH: '', HOME: os.tmpdir(), ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout);
}

test('every finding of every fixture starts with a verdict of at most 100 characters', () => {
  const all = [
    ...findings(FIXTURES),
    ...findings(path.join(CROSS, 'service'), { GOMODCACHE: path.join(CROSS, '_modcache') }),
    ...findings(path.join(CROSS, 'vmmanager')),
  ];
  const rules = new Set(all.map((f) => f.rule));
  for (const r of RULES) assert.ok(rules.has(r.meta.id), `the fixtures give no finding of ${r.meta.id}`);
  const tooLong = all.filter((f) => verdictOf(f.message).length > VERDICT_MAX).map((f) => `${f.file}:${f.line}: ${f.rule}: ${verdictOf(f.message).length} chars: ${verdictOf(f.message)}`);
  assert.deepEqual(tooLong, [], `verdicts over ${VERDICT_MAX} characters`);
  for (const f of all) assert.ok(verdictOf(f.message).length >= 20, `${f.file}:${f.line}: a verdict says something: ${f.message}`);
  const longest = Math.max(...all.map((f) => verdictOf(f.message).length));
  console.log(`# ${all.length} findings; longest verdict ${longest} chars; longest message ${Math.max(...all.map((f) => f.message.length))} chars`);
});

test('verdict and explanation split at the first sentence end; long names are shortened for the verdict', () => {
  const m = message('Goroutine leaks if the timeout wins: its send on line 12 blocks forever', 'The select on line 9 takes ctx.Done() first.');
  assert.equal(verdictOf(m), 'Goroutine leaks if the timeout wins: its send on line 12 blocks forever');
  assert.equal(explanationOf(m), 'The select on line 9 takes ctx.Done() first.');
  assert.equal(verdictOf('No explanation at all'), 'No explanation at all');
  assert.equal(clip('speech.SpeechRecognizer.StartContinuousRecognitionAsync', 48), 'SpeechRecognizer.StartContinuousRecognitionAsync');
  assert.equal(clip('short.Name', 48), 'short.Name');
  const cut = clip('x'.repeat(80), 40);
  assert.equal(cut.length, 40);
  assert.ok(cut.includes('…'));
});
