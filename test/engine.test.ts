// Engine-level behaviour: suppression directives, configuration, fixes, bad input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConfigError, defaultConfig, parseConfig } from '../server/src/engine/config';
import { LeakEngine } from '../server/src/engine/engine';
import { applyEdits, combineFixes, OverlapError } from '../server/src/engine/fixes';
import { decodeSource, generatedNote } from '../server/src/engine/source';

const leaky = `package p

func Start() chan error {
	errc := make(chan error)
	go func() { errc <- nil }()
	return errc
}
`;

async function analyze(source: string, config = defaultConfig()) {
  const engine = await LeakEngine.create();
  return engine.analyzeFiles([{ path: '/x/a.go', source }], { config, goVersion: null }).get('/x/a.go')!;
}

test('//leaklint:ignore on the line above, on the line, and file-wide', async () => {
  assert.equal((await analyze(leaky)).findings.length, 1);
  const above = leaky.replace('\terrc := make', '\t//leaklint:ignore unbuffered-result-chan callers always receive\n\terrc := make');
  assert.equal((await analyze(above)).findings.length, 0);
  const trailing = leaky.replace('make(chan error)', 'make(chan error) //leaklint:ignore unbuffered-result-chan reviewed');
  assert.equal((await analyze(trailing)).findings.length, 0);
  const other = leaky.replace('make(chan error)', 'make(chan error) //leaklint:ignore timer-not-stopped wrong rule');
  assert.equal((await analyze(other)).findings.length, 1);
  const file = leaky.replace('package p', 'package p\n\n//leaklint:file-ignore all generated-like test helpers');
  assert.equal((await analyze(file)).findings.length, 0);
  const inString = leaky.replace('errc <- nil', 'errc <- fmtErr("//leaklint:ignore unbuffered-result-chan")');
  assert.equal((await analyze(inString)).findings.length, 1, 'a directive inside a string literal is not a directive');
});

test('config: severity override, off, and clear errors naming the key', async () => {
  const info = parseConfig('{"rules": {"unbuffered-result-chan": "info"}}');
  assert.equal((await analyze(leaky, info)).findings[0].severity, 'info');
  const off = parseConfig('{"rules": {"unbuffered-result-chan": "off"}}');
  assert.equal((await analyze(leaky, off)).findings.length, 0);
  const strict = parseConfig('{"rules": {"goroutine-without-cancel": {"severity": "warning", "strict": true}}, "goVersion": "1.22", "exclude": ["gen/**"]}');
  assert.equal(strict.strictGoroutines, true);
  assert.deepEqual(strict.goVersion, { major: 1, minor: 22 });
  assert.throws(() => parseConfig('{"rules": {"no-such-rule": "warning"}}'), (e: Error) => e instanceof ConfigError && /rules\."no-such-rule" is not a rule/.test(e.message));
  assert.throws(() => parseConfig('{"rules": {"timer-not-stopped": "loud"}}'), /rules\."timer-not-stopped" must be one of off, error, warning, info, hint, got "loud"/);
  assert.throws(() => parseConfig('{"exclude": "gen"}'), /"exclude" must be an array/);
  assert.throws(() => parseConfig('{"goVersion": 1.22}'), /"goVersion" must be a string/);
  assert.throws(() => parseConfig('{"colour": true}'), /unknown key "colour"/);
  assert.throws(() => parseConfig('{not json'), /not valid JSON/);
});

test('strict mode reports goroutines with no cancellation path', async () => {
  const src = 'package p\n\nfunc f(work func()) {\n\tgo func() { work() }()\n}\n';
  assert.equal((await analyze(src)).findings.length, 0);
  const strict = parseConfig('{"rules": {"goroutine-without-cancel": {"strict": true}}}');
  const r = await analyze(src, strict);
  assert.equal(r.findings.length, 1);
  assert.match(r.findings[0].message, /Strict mode/);
});

test('applyEdits: sorted, deduplicated, overlaps refused', () => {
  assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'X' }, { start: 1, end: 2, newText: 'Y' }]), 'aYcdXf');
  assert.equal(applyEdits('abc', [{ start: 1, end: 1, newText: '-' }, { start: 1, end: 1, newText: '-' }]), 'a-bc');
  assert.throws(() => applyEdits('abcdef', [{ start: 1, end: 4, newText: '' }, { start: 3, end: 5, newText: '' }]), OverlapError);
  assert.throws(() => applyEdits('abc', [{ start: 2, end: 9, newText: '' }]), OverlapError);
  const { taken, skipped } = combineFixes([
    { kind: 'a', title: 'a', edits: [{ start: 0, end: 2, newText: 'x' }] },
    { kind: 'b', title: 'b', edits: [{ start: 1, end: 3, newText: 'y' }] },
    { kind: 'c', title: 'c', edits: [{ start: 3, end: 3, newText: 'z' }] },
  ]);
  assert.deepEqual(taken.map((f) => f.kind), ['a', 'c']);
  assert.deepEqual(skipped.map((f) => f.kind), ['b']);
});

test('broken Go: functions with syntax errors get no guess, the rest is analysed', async () => {
  const src = leaky + '\nfunc broken() chan int {\n\tch := make(chan int)\n\tgo func() { ch <- }()\n\treturn ch\n}\n';
  const r = await analyze(src);
  assert.equal(r.findings.length, 1);
  assert.equal(r.errors.length, 0);
});

test('Go 1.26 new(expr) does not stop analysis of the rest of the file', async () => {
  const src = leaky + '\nfunc p() *int {\n\treturn new(42)\n}\n';
  assert.equal((await analyze(src)).findings.length, 1);
});

test('input checks: binary, oversized, invalid UTF-8, generated', () => {
  assert.deepEqual(decodeSource(Buffer.from([0x70, 0, 1])), { ok: false, reason: 'binary file (contains NUL bytes)' });
  const big = decodeSource(Buffer.alloc(3000, 0x20), 1000);
  assert.equal(big.ok, false);
  const bad = decodeSource(Buffer.from([0x70, 0xff, 0x0a]));
  assert.ok(bad.ok && !bad.exact, 'invalid UTF-8 decodes lossily and is marked not exact');
  const good = decodeSource(Buffer.from('package p // é\n'));
  assert.ok(good.ok && good.exact);
  assert.ok(generatedNote('// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage p\n'));
  assert.equal(generatedNote('package p\n\n// Code generated by hand. DO NOT EDIT.\n'), null);
});

test('a BOM keeps every offset in place', async () => {
  const r = await analyze('\ufeff' + leaky);
  assert.equal(r.findings.length, 1);
  const f = r.findings[0];
  assert.equal(('\ufeff' + leaky).slice(f.span.start, f.span.end), 'make(chan error)');
});

test('deeply nested expressions do not overflow the stack', async () => {
  const depth = 5000;
  const src = `package p\n\nvar x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n` + leaky.replace('package p\n', '');
  const r = await analyze(src);
  assert.equal(r.errors.length, 0);
});

test('the engine knows nothing of LSP, editors or processes', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const root = path.resolve(__dirname, '../server/src/engine');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.ts')) files.push(path.join(d, e.name));
    }
  };
  walk(root);
  for (const f of files) {
    const imports = [...fs.readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const i of imports) {
      assert.ok(!/vscode|languageserver|child_process|node:net|node:http/.test(i), `${path.relative(root, f)} imports ${i}`);
      if (i.startsWith('.')) assert.ok(path.resolve(path.dirname(f), i).startsWith(root), `${path.relative(root, f)} reaches outside the engine: ${i}`);
    }
  }
  assert.ok(files.length > 15);
});

test('config: oversized globs are refused with a clear message', () => {
  assert.throws(() => parseConfig(JSON.stringify({ exclude: ['*'.repeat(5000)] })), /"exclude" takes at most 1000 globs of at most 1000 characters/);
});
