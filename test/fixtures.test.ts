// Runs every rule over test-fixtures/ and checks `// want` comments and golden fixes.
// LEAKLINT_UPDATE_GOLDEN=1 rewrites the golden files (review the diff before committing).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LeakEngine } from '../server/src/engine/engine';
import { RULES } from '../server/src/engine/rules';
import { analyzeDir, FIXTURES, packageDirs, checkWants, renderGolden, readWants, parseGolden, fixesByKind, applyKind } from './helpers/fixtures';

const update = process.env.LEAKLINT_UPDATE_GOLDEN === '1';

test('fixtures', async (t) => {
  const engine = await LeakEngine.create();
  for (const rule of RULES) {
    const dir = path.join(FIXTURES, rule.meta.id);
    await t.test(rule.meta.id, async (rt) => {
      assert.ok(fs.existsSync(dir), `rule ${rule.meta.id} has no fixtures in test-fixtures/${rule.meta.id}/`);
      assert.ok(fs.existsSync(path.resolve(FIXTURES, '..', rule.meta.docs)), `rule ${rule.meta.id} has no doc page ${rule.meta.docs}`);
      let positives = 0;
      let negatives = 0;
      for (const pkg of packageDirs(dir)) {
        for (const [file, { source, result }] of analyzeDir(engine, pkg)) {
          const rel = path.relative(FIXTURES, file);
          await rt.test(rel, () => {
            assert.deepEqual(checkWants(file, source, result), [], `findings in ${rel} differ from its want comments`);
            const golden = `${file}.golden`;
            const rendered = renderGolden(source, result);
            if (update) {
              if (rendered) fs.writeFileSync(golden, rendered);
              else if (fs.existsSync(golden)) fs.unlinkSync(golden);
              return;
            }
            if (!rendered) {
              assert.ok(!fs.existsSync(golden), `${rel}.golden exists but no finding in ${rel} offers a fix`);
              return;
            }
            assert.ok(fs.existsSync(golden), `${rel} has fixes but no ${rel}.golden (run with LEAKLINT_UPDATE_GOLDEN=1 and review)`);
            const sections = parseGolden(fs.readFileSync(golden, 'utf8'));
            const kinds = fixesByKind(result);
            assert.deepEqual([...sections.keys()].sort(), [...kinds.keys()].sort(), `${rel}.golden sections differ from the fix kinds offered`);
            for (const [kind, fixes] of kinds) assert.equal(applyKind(source, fixes), sections.get(kind), `${rel}: fix "${kind}" differs from ${rel}.golden`);
          });
          positives += readWants(source).filter((w) => w.raw.startsWith(rule.meta.id)).length;
          negatives += (source.match(/^\s*\/\/ ok: /gm) ?? []).length;
        }
      }
      assert.ok(positives >= 12, `${rule.meta.id} has ${positives} positive cases in its fixtures; at least 12 are required`);
      assert.ok(negatives >= 12, `${rule.meta.id} has ${negatives} negative cases (// ok: comments) in its fixtures; at least 12 are required`);
    });
  }
});
