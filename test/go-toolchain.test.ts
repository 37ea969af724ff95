// Ground truth from the Go toolchain: every fixture compiles, and every golden fix
// section compiles and is gofmt-clean. Needs `go` on PATH (.ci/run installs golang-go).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

// copylocks is off: a WaitGroup passed by value is the point of some waitgroup-misuse fixtures.
const VET = ['vet', '-copylocks=false'];

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
