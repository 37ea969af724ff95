// A dependency one scan worker read is handed to the others (deps.ts share, pool.ts), so that
// each imported package is read once per scan rather than once per worker.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DependencyIndex, type SharedDep } from '../server/src/engine/deps';
import { LeakEngine } from '../server/src/engine/engine';
import { DepClaims, newClaimsSetup } from '../server/src/scan/dep-claims';

/** A module whose package lib has a result-chan fact (Fetch), imported as `spec` from its folder app. */
function libModule(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-shared-'));
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/m\n\ngo 1.21\n');
  fs.mkdirSync(path.join(root, 'lib'));
  fs.mkdirSync(path.join(root, 'app'));
  fs.writeFileSync(path.join(root, 'lib', 'lib.go'), 'package lib\n\nfunc Fetch() <-chan int {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n\treturn ch\n}\n');
  return root;
}

const spec = [{ name: null, path: 'example.com/m/lib' }];

test('facts of a dependency read by one index serve another without reading the folder', async () => {
  const engine = await LeakEngine.create();
  const root = libModule();
  const shared: SharedDep[] = [];
  const first = new DependencyIndex((s) => engine.parse(s));
  first.onRead = (dep) => shared.push(dep);
  const read = first.importsFor(path.join(root, 'app'), spec);
  assert.deepEqual([...read.imports.keys()], ['lib']);
  assert.equal(shared.length, 1);
  // The file no longer has the fact: the second index can only know it from what the first read.
  fs.writeFileSync(path.join(root, 'lib', 'lib.go'), 'package lib\n\nfunc Fetch() {}\n');
  const second = new DependencyIndex((s) => engine.parse(s));
  second.share(structuredClone(shared[0])); // as it crosses threads
  const got = second.importsFor(path.join(root, 'app'), spec);
  assert.deepEqual([...got.imports.get('lib')!.index.resultChans.keys()], ['Fetch']);
  assert.deepEqual(got.stamps, read.stamps);
  // Unshared, it is read from disk.
  assert.equal(new DependencyIndex((s) => engine.parse(s)).importsFor(path.join(root, 'app'), spec).imports.size, 0);
});

test('a dependency claimed by one worker is taken from it by another, never read twice (dep-claims.ts)', async () => {
  const engine = await LeakEngine.create();
  const root = libModule();
  const setup = newClaimsSetup(`leaklint-test-${process.pid}-${Date.now()}`);
  const indexes = [0, 1].map(() => {
    const index = new DependencyIndex((s) => engine.parse(s));
    const claims = new DepClaims(setup, () => {});
    index.onRead = (dep) => claims.publish(dep, 0);
    index.fromPeers = (dir) => claims.fromPeers(dir, 0);
    return { index, claims };
  });
  try {
    const first = indexes[0].index.importsFor(path.join(root, 'app'), spec);
    assert.deepEqual([...first.imports.keys()], ['lib']);
    // Gone from disk: the second can only know the fact from the first's read.
    fs.writeFileSync(path.join(root, 'lib', 'lib.go'), 'package lib\n\nfunc Fetch() {}\n');
    const second = indexes[1].index.importsFor(path.join(root, 'app'), spec);
    assert.deepEqual([...second.imports.get('lib')!.index.resultChans.keys()], ['Fetch']);
    // Another epoch (the language server's dependencies changed): read again, from disk.
    const third = new DependencyIndex((s) => engine.parse(s));
    third.fromPeers = (dir) => indexes[1].claims.fromPeers(dir, 1);
    assert.equal(third.importsFor(path.join(root, 'app'), spec).imports.size, 0);
  } finally {
    for (const { claims } of indexes) claims.close();
  }
});
