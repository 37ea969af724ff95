// Typing in a big open file must not keep old versions of it alive. V8 makes a slice of a
// string point into the string it was cut from, so a name read from the tree (a slice of that
// version of the file) kept in the summary cache or in a kept finding kept the whole version:
// 600 keystrokes in a 20k-line file held 250 MB. What is kept across edits is now copied
// (source.ts detached); this measures the heap after edits that each change a declaration.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { LeakEngine } from '../server/src/engine/engine';
import { PackageIndex } from '../server/src/engine/package-index';
import { defaultConfig } from '../server/src/engine/config';
import { OpenDocument } from '../server/src/lsp/documents';
import { detached, detachAll } from '../server/src/engine/source';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A file of `n` groups: a function holding facts under a long name (an endless goroutine, a constructor). */
function bigFile(n: number): string {
  let out = 'package memory\n';
  for (let i = 0; i < n; i++) {
    out += `
type serviceHolderNumber${i} struct{ quit chan struct{} }

func NewServiceHolderNumber${i}() *serviceHolderNumber${i} { return &serviceHolderNumber${i}{} }

func startWorkerNumber${i}(ch chan int) {
	go func() {
		for {
			ch <- ${i}
		}
	}()
}
`;
  }
  return out;
}

test('edits to a big open file do not keep its old versions alive', async () => {
  const engine = await LeakEngine.create();
  const text = bigFile(2500); // about 520 KB
  const doc = new OpenDocument('file:///memory/big.go', '/memory/big.go', text, 1, engine, () => 1e9);
  const config = defaultConfig();
  const analyse = () => {
    const summary = engine.summarize(doc.path!, doc.currentTree!, doc.text, doc.summaries, undefined, null, undefined, doc.lines);
    return doc.analysis.analyze(doc.path!, doc.text, doc.currentTree!, { config, goVersion: null, pkg: new PackageIndex([summary]), imports: new Map() }, doc.lines);
  };
  const first = analyse();
  assert.ok(first.findings.length >= 2500, `every endless goroutine is found (${first.findings.length})`);
  gc();
  const before = process.memoryUsage().heapUsed;
  // 80 keystrokes, each in another function's body: each makes new facts and findings for it.
  for (let k = 0; k < 80; k++) {
    const at = doc.text.indexOf(`ch <- ${k * 30}\n`);
    doc.applyChanges([{ range: { start: doc.lines.positionAt(at + 5), end: doc.lines.positionAt(at + 5) }, text: ' ' }], doc.version + 1, 'utf-16');
    const r = analyse();
    assert.equal(r.findings.length, first.findings.length);
  }
  gc();
  const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  // Each version is 0.5 MB: 80 kept would be 40+ MB.
  assert.ok(grownMb < 15, `the heap grew by ${grownMb.toFixed(1)} MB over 80 edits`);
  doc.dispose();
});

test('detached copies strings, keeping their value', () => {
  const whole = 'x'.repeat(1000) + 'a_long_identifier_name' + 'y'.repeat(1000);
  const name = whole.slice(1000, 1022);
  assert.equal(detached(name), 'a_long_identifier_name');
  assert.equal(detached('short'), 'short');
  const facts = { key: name, list: [name, 3], map: new Map([[name, name]]), re: /x/, nothing: null };
  const out = detachAll(facts);
  assert.equal(out, facts);
  assert.deepEqual(out, { key: 'a_long_identifier_name', list: ['a_long_identifier_name', 3], map: new Map([['a_long_identifier_name', 'a_long_identifier_name']]), re: /x/, nothing: null });
});
