// owner-never-stopped across packages: a field holding what an imported package's
// constructor made, read through DependencyIndex.ownerIndex (over real temporary folders).
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LeakEngine } from '../server/src/engine/engine';
import { defaultConfig } from '../server/src/engine/config';
import type { DepStamp } from '../server/src/engine/deps';

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-owner-deps-')));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const ENGINE = (stop: string) => `package eng

type Engine struct{ quit chan struct{} }

func NewEngine() *Engine {
	e := &Engine{quit: make(chan struct{})}
	go func() {
		for {
			select {
			case <-e.quit:
				return
			}
		}
	}()
	return e
}

func (e *Engine) Stop() { ${stop} }
`;

const NODE = (imp: string, q: string) => `package app

import ${imp}

type Node struct{ e *${q}.Engine }

func NewNode() *Node { return &Node{e: ${q}.NewEngine()} }

func (n *Node) Close() { n.e.Stop() }
`;

const TEST = `package app

import "testing"

func TestNode(t *testing.T) {
	n := NewNode()
	_ = n.e
}
`;

async function ownerFindings(root: string): Promise<string[]> {
  const engine = await LeakEngine.create();
  const dir = path.join(root, 'app');
  const files = fs.readdirSync(dir).map((f) => ({ path: path.join(dir, f), source: fs.readFileSync(path.join(dir, f), 'utf8') }));
  const results = engine.analyzeFiles(files, { config: defaultConfig(), goVersion: null });
  return [...results.values()].flatMap((r) => r.findings.filter((f) => f.rule === 'owner-never-stopped').map((f) => f.message));
}

test('a field made by an imported constructor that starts goroutines, stopped only by Close: reported in the test', async () => {
  const root = tree({ 'go.mod': 'module example.com/m\n\ngo 1.19\n', 'eng/eng.go': ENGINE('close(e.quit)'), 'app/app.go': NODE('"example.com/m/eng"', 'eng'), 'app/app_test.go': TEST });
  const found = await ownerFindings(root);
  assert.equal(found.length, 1);
  assert.match(found[0], /^n is never stopped: .*NewNode\(\.\.\.\) starts, through its field e \(made by eng\.NewEngine\)/);
});

test('an explicit import name is followed; a package whose name differs from the path is not guessed', async () => {
  const named = tree({ 'go.mod': 'module example.com/m\n\ngo 1.19\n', 'eng/eng.go': ENGINE('close(e.quit)'), 'app/app.go': NODE('e2 "example.com/m/eng"', 'e2'), 'app/app_test.go': TEST });
  assert.equal((await ownerFindings(named)).length, 1);
  const renamed = tree({ 'go.mod': 'module example.com/m\n\ngo 1.19\n', 'other/eng.go': ENGINE('close(e.quit)'), 'app/app.go': NODE('"example.com/m/other"', 'other'), 'app/app_test.go': TEST });
  assert.deepEqual(await ownerFindings(renamed), []);
});

test("silent when the imported type's Stop does not end its loop, or the dependency cannot be found", async () => {
  const noClose = tree({ 'go.mod': 'module example.com/m\n\ngo 1.19\n', 'eng/eng.go': ENGINE(''), 'app/app.go': NODE('"example.com/m/eng"', 'eng'), 'app/app_test.go': TEST });
  assert.deepEqual(await ownerFindings(noClose), []);
  const missing = tree({ 'go.mod': 'module example.com/m\n\ngo 1.19\n', 'app/app.go': NODE('"example.com/m/eng"', 'eng'), 'app/app_test.go': TEST });
  assert.deepEqual(await ownerFindings(missing), []);
});

test('ownerIndex reports the stamp of the folder it read, so cached results follow its changes', async () => {
  const root = tree({ 'go.mod': 'module example.com/m\n\ngo 1.19\n', 'eng/eng.go': ENGINE('close(e.quit)') });
  const engine = await LeakEngine.create();
  const stamps: DepStamp[] = [];
  const index = engine.dependencies().ownerIndex(path.join(root, 'app'), 'example.com/m/eng', false, 'eng', (s) => stamps.push(s));
  assert.ok(index?.owners.get('Engine')?.startingCtors.has('NewEngine'));
  assert.equal(stamps.length, 1);
  assert.equal(stamps[0].dir, path.join(root, 'eng'));
  assert.match(stamps[0].digest, /eng\.go:/);
});
