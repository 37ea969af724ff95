// Adopting leaklint on an old codebase and in CI: baselines, --new-from-rev/--new-from-patch,
// golangci-lint's //nolint, GitHub and Checkstyle output. The CLI runs as a child process
// over temporary git repositories.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Baseline } from '../server/src/engine/baseline';
import { escapeGithubData, escapeGithubProperty, escapeXmlAttribute } from '../server/src/cli/annotations';

const BIN = path.resolve(__dirname, '../bin/leaklint.js');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [BIN, '--no-cache', ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function repo(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-adopt-')));
  write(dir, files);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

/** A function whose returned unbuffered channel leaks its sender (unbuffered-result-chan). */
function leaky(name: string, chan = 'errc'): string {
  return `func ${name}() chan error {
	${chan} := make(chan error)
	go func() {
		${chan} <- nil
	}()
	return ${chan}
}
`;
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  message: string;
  severity: string;
}

function json(r: { out: string }): JsonFinding[] {
  return r.out.trim() ? JSON.parse(r.out) : [];
}

test('baseline: findings survive lines added above them; one moved to another function is new', () => {
  const dir = repo({ 'go.mod': 'module example.com/app\n\ngo 1.21\n', 'app/api.go': `package app\n\n${leaky('Start')}\n${leaky('Open', 'resc')}` });
  const before = json(run(['-f', 'json', './...'], dir));
  assert.equal(before.length, 2, 'the fixture has two findings');

  const wrote = run(['--write-baseline', 'leaklint-baseline.json', './...'], dir);
  assert.equal(wrote.code, 0, wrote.err);
  assert.match(wrote.err, /wrote 2 findings to leaklint-baseline.json/);
  assert.equal(wrote.out, '');
  const recorded = JSON.parse(fs.readFileSync(path.join(dir, 'leaklint-baseline.json'), 'utf8'));
  assert.deepEqual(recorded.findings.map((f: { file: string; function: string; rule: string }) => `${f.file} ${f.function} ${f.rule}`).sort(), ['app/api.go Open unbuffered-result-chan', 'app/api.go Start unbuffered-result-chan']);
  assert.ok(recorded.findings.every((f: { message: string }) => !/\d/.test(f.message)), 'line numbers are normalised out of the recorded messages');

  const clean = run(['--baseline', 'leaklint-baseline.json', './...'], dir);
  assert.equal(clean.code, 0, clean.out + clean.err);
  assert.equal(clean.out, '');

  // Unrelated edits: imports, a comment block and a new clean function above both findings.
  const shifted = `package app\n\nimport "fmt"\n\n// Hello says hello.\n// It is new.\nfunc Hello() { fmt.Println("hi") }\n\n${leaky('Start')}\n${leaky('Open', 'resc')}`;
  write(dir, { 'app/api.go': shifted });
  const after = json(run(['-f', 'json', './...'], dir));
  assert.deepEqual(after.map((f) => f.line), before.map((f) => f.line + 6), 'the findings moved down six lines');
  const stillKnown = run(['--baseline', 'leaklint-baseline.json', './...'], dir);
  assert.equal(stillKnown.code, 0, stillKnown.out);
  assert.equal(stillKnown.out, '');

  // The same code moved into a new function is a new finding; the other stays known.
  write(dir, { 'app/api.go': shifted.replace('func Open()', 'func OpenV2()') });
  const moved = run(['-f', 'json', '--baseline', 'leaklint-baseline.json', './...'], dir);
  assert.equal(moved.code, 1, moved.err);
  const fresh = json(moved);
  assert.equal(fresh.length, 1);
  assert.equal(fresh[0].line, after[1].line);
  assert.match(fresh[0].message, /'resc'/);

  // The baseline's paths are relative to its own folder: a run from a subfolder agrees.
  const fromSub = run(['-f', 'json', '--baseline', '../leaklint-baseline.json', '.'], path.join(dir, 'app'));
  assert.deepEqual(json(fromSub).map((f) => f.line), [after[1].line]);
});

test('baseline: of several findings with one fingerprint, the first `count` are known', () => {
  const f = { rule: 'lost-cancel', file: 'a.go', scope: 'F', message: 'cancel on line 3 is lost' };
  const baseline = Baseline.of([f, { ...f, message: 'cancel on line 9 is lost' }], os.tmpdir());
  assert.equal(baseline.entries.length, 1);
  assert.equal(baseline.entries[0].count, 2);
  const again = Baseline.parse(baseline.serialize(), path.join(os.tmpdir(), 'b.json'));
  const items = [f, f, f, { ...f, scope: 'G' }];
  const { fresh, known } = again.partition(items, (x) => x);
  assert.deepEqual([known.length, fresh], [2, [f, { ...f, scope: 'G' }]]);
});

test('baseline: a missing or broken baseline is a usage error, not a crash', () => {
  const dir = repo({ 'a.go': `package a\n\n${leaky('F')}` });
  const missing = run(['--baseline', 'nope.json', '.'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read baseline .*nope\.json: ENOENT/);
  fs.writeFileSync(path.join(dir, 'bad.json'), '{"version": 1, "findings": ');
  const broken = run(['--baseline', 'bad.json', '.'], dir);
  assert.equal(broken.code, 2);
  assert.match(broken.err, /not valid JSON/);
  fs.writeFileSync(path.join(dir, 'other.json'), '{"version": 7}');
  assert.match(run(['--baseline', 'other.json', '.'], dir).err, /is not a leaklint baseline/);
  assert.doesNotMatch(broken.err + missing.err, /internal error/);
});

test('--new-from-rev and --new-from-patch report only findings on changed lines; untracked files are new', () => {
  const dir = repo({ 'a.go': `package a\n\n${leaky('Old')}`, 'ignored/skip.go': '' });
  fs.writeFileSync(path.join(dir, '.gitignore'), 'gen/\n');
  git(dir, 'add', '.gitignore');
  git(dir, 'commit', '-qm', 'ignore gen');
  const base = git(dir, 'rev-parse', 'HEAD').trim();

  // A committed change adds a leak below the old one, and a working-tree edit shifts both.
  fs.appendFileSync(path.join(dir, 'a.go'), `\n${leaky('New', 'resc')}`);
  git(dir, 'commit', '-qam', 'new leak');
  fs.writeFileSync(path.join(dir, 'a.go'), fs.readFileSync(path.join(dir, 'a.go'), 'utf8').replace('package a\n', 'package a\n\n// edited\n'));
  write(dir, { 'b.go': `package a\n\n${leaky('Untracked', 'outc')}` });

  const all = json(run(['-f', 'json', '.'], dir));
  assert.equal(all.length, 3);
  const fromBase = run(['-f', 'json', '--new-from-rev', base, '.'], dir);
  assert.equal(fromBase.code, 1, fromBase.err);
  assert.deepEqual(json(fromBase).map((f) => `${f.file}:${f.message.match(/'(\w+)'/)![1]}`).sort(), ['a.go:resc', 'b.go:outc']);

  // Since HEAD only the comment line changed in a.go; b.go is still untracked, so new.
  assert.deepEqual(json(run(['-f', 'json', '--new-from-rev', 'HEAD', '.'], dir)).map((f) => f.file), ['b.go']);

  // The same selection from a patch file (git's a/ b/ prefixes are understood).
  fs.writeFileSync(path.join(os.tmpdir(), `leaklint-${process.pid}.diff`), git(dir, 'diff', base));
  const fromPatch = run(['-f', 'json', '--new-from-patch', path.join(os.tmpdir(), `leaklint-${process.pid}.diff`), '.'], dir);
  assert.deepEqual(json(fromPatch).map((f) => f.file), ['a.go'], 'a patch lists no untracked files');

  // From a subfolder, git's paths are relative to it (--relative), as golangci-lint reads them.
  write(dir, { 'sub/c.go': `package sub\n\n${leaky('InSub')}` });
  git(dir, 'add', 'sub/c.go');
  assert.deepEqual(json(run(['-f', 'json', '--new-from-rev', 'HEAD', '.'], path.join(dir, 'sub'))).map((f) => f.file), ['c.go']);

  const bad = run(['--new-from-rev', 'no-such-rev', '.'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /git diff failed: .*no-such-rev/);
  assert.equal(run(['--new-from-rev', '--foo', '.'], dir).code, 2);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a diff\n');
  const notDiff = run(['--new-from-patch', 'notes.txt', '.'], dir);
  assert.equal(notDiff.code, 2);
  assert.match(notDiff.err, /cannot read the patch|not a unified diff/);
  assert.equal(run(['--new-from-patch', 'missing.diff', '.'], dir).code, 2);
});

test('git is started only for --new-from-rev', () => {
  const dir = repo({ 'a.go': `package a\n\n${leaky('F')}` });
  const noGit = { ...process.env, PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-empty-path-')) };
  const plain = run(['--baseline', path.join(dir, 'nope.json'), '.'], dir, noGit);
  assert.match(plain.err, /cannot read baseline/, 'runs without git on PATH');
  assert.equal(run(['.'], dir, noGit).code, 1);
  const asked = run(['--new-from-rev', 'HEAD', '.'], dir, noGit);
  assert.equal(asked.code, 2);
  assert.match(asked.err, /cannot run git: ENOENT/);
});

test("//nolint: golangci-lint's names and placements; other linters' names do not silence us", () => {
  const body = leaky('F');
  const cases: Record<string, [string, boolean]> = {
    // [file content, silenced?]
    'inline-all.go': [body.replace('make(chan error)', 'make(chan error) //nolint'), true],
    'inline-ours.go': [body.replace('make(chan error)', 'make(chan error) //nolint:leaklint // callers drain it'), true],
    'inline-rule.go': [body.replace('make(chan error)', 'make(chan error) //nolint:errcheck,unbuffered-result-chan'), true],
    'inline-all-keyword.go': [body.replace('make(chan error)', 'make(chan error) //nolint:all'), true],
    'above-func.go': [`//nolint:leaklint\n${body}`, true],
    'doc-then-above-func.go': [`// F starts the work.\n//nolint:unbuffered-result-chan // reviewed\n${body}`, true],
    'above-statement.go': [body.replace('\terrc := make', '\t//nolint:leaklint\n\terrc := make'), true],
    'inline-other.go': [body.replace('make(chan error)', 'make(chan error) //nolint:errcheck'), false],
    'above-func-other.go': [`//nolint:gocyclo,unparam\n${body}`, false],
    'inline-our-other-rule.go': [body.replace('make(chan error)', 'make(chan error) //nolint:timer-not-stopped'), false],
    'spaced.go': [`// nolint:leaklint\n${body}`, false],
    'two-lines-above.go': [`//nolint:leaklint\n// F starts the work.\n${body}`, false],
    'other-column.go': [body.replace('\terrc := make', '//nolint:leaklint\n\terrc := make'), false],
    'in-string.go': [body.replace('return errc', 'println("//nolint")\n\treturn errc'), false],
  };
  const files: Record<string, string> = {};
  for (const [name, [code]] of Object.entries(cases)) files[`${path.basename(name, '.go')}/x.go`] = `package p\n\n${code}`;
  files['whole-file/x.go'] = `//nolint:leaklint\npackage p\n\n${body}\n${leaky('G', 'resc')}`;
  const dir = repo(files);
  const reported = new Set(json(run(['-f', 'json', './...'], dir)).map((f) => path.dirname(f.file)));
  for (const [name, [, silenced]] of Object.entries(cases)) {
    assert.equal(!reported.has(path.basename(name, '.go')), silenced, `${name}: expected ${silenced ? 'silenced' : 'reported'}`);
  }
  assert.ok(!reported.has('whole-file'), 'a //nolint above package covers the file');
});

test('--format github: workflow commands with GitHub-escaped properties and data', () => {
  assert.equal(escapeGithubData('50% of\r\nlines'), '50%25 of%0D%0Alines');
  assert.equal(escapeGithubProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
  const dir = repo({ 'we,ird:dir%/a.go': `package a\n\n${leaky('F')}\n${leaky('G', 'resc')}` });
  const r = run(['-f', 'github', './...'], dir);
  assert.equal(r.code, 1, r.err);
  const expected = json(run(['-f', 'json', './...'], dir));
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, expected.length);
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  lines.forEach((line, i) => {
    const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
    assert.ok(m, `not a workflow command: ${line}`);
    assert.equal(m[1], 'warning');
    const props = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, unescape(v)]));
    assert.equal(props.file, 'we,ird:dir%/a.go');
    assert.equal(Number(props.line), expected[i].line);
    assert.equal(Number(props.col), expected[i].column);
    assert.equal(Number(props.endLine), expected[i].endLine);
    assert.equal(props.title, 'leaklint: unbuffered-result-chan');
    assert.equal(unescape(m[3]), expected[i].message);
  });
  const none = run(['-f', 'github', '.'], repo({ 'a.go': 'package a\n' }));
  assert.deepEqual([none.code, none.out], [0, '']);
});

test('--format checkstyle: well-formed XML that parses back to the findings', () => {
  assert.equal(escapeXmlAttribute(`<a & "b" 'c'>\n\u0001`), '&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;&#10;');
  const dir = repo({ "x&<y>'.go": `package a\n\n${leaky('F')}`, 'b/b.go': `package b\n\n${leaky('G', 'resc')}`, 'c/clean.go': 'package c\n' });
  const r = run(['-f', 'checkstyle', './...'], dir);
  assert.equal(r.code, 1, r.err);
  assert.equal(XMLValidator.validate(r.out), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'file' || name === 'error' }).parse(r.out);
  const expected = json(run(['-f', 'json', './...'], dir));
  const got = doc.checkstyle.file.flatMap((f: { name: string; error: Record<string, string>[] }) => f.error.map((e) => ({ file: f.name, line: Number(e.line), column: Number(e.column), severity: e.severity, message: e.message, source: e.source })));
  assert.deepEqual(got, expected.map((f) => ({ file: f.file, line: f.line, column: f.column, severity: 'warning', message: f.message, source: `leaklint.${f.rule}` })));
  assert.ok(got.some((f: { file: string }) => f.file === "x&<y>'.go"));
  const empty = run(['-f', 'checkstyle', '.'], repo({ 'a.go': 'package a\n' }));
  assert.equal(empty.code, 0);
  assert.equal(XMLValidator.validate(empty.out), true);
  assert.equal(new XMLParser().parse(empty.out).checkstyle, '');
});
