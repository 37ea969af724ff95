// Checks that the summaries a cold scan takes from quiet files (bodies blanked, quiet.ts) hold
// every fact a rule reads: for each package folder under the given trees, each file's summary
// from prepareFiles against its full parse (owner facts of the types that matter, ownerTypesIn).
// Usage: node --import tsx bench/facts-check.ts DIR...
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../server/src/engine/config';
import { LeakEngine } from '../server/src/engine/engine';
import { ownerTypesIn, type FileSummary } from '../server/src/engine/package-index';
import { byFolder, deleteTrees, loadFiles, prepareFiles } from '../server/src/scan/package-job';

function goFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.go') && !/(^|\/)(vendor|testdata)\//.test(f))
    .map((f) => path.join(dir, f));
}

function relevant(s: FileSummary, types: ReadonlySet<string> | null): unknown {
  const { owners, ...rest } = s;
  return { ...rest, owners: (owners ?? []).filter((o) => !types || types.has(o.type)) };
}

async function main(): Promise<void> {
  const engine = await LeakEngine.create();
  let files = 0, blanked = 0, bad = 0;
  for (const root of process.argv.slice(2)) {
    for (const [, list] of byFolder(goFiles(root))) {
      const job = { files: list, config: defaultConfig(), goVersion: null, maxFileSize: 8 << 20 };
      const { loaded } = loadFiles(job, list);
      const types = ownerTypesIn(loaded.map((f) => f.source));
      const p = prepareFiles(engine, job, loaded, types);
      try {
        loaded.forEach((f, i) => {
          files++;
          if (!p.blanked[i]) return;
          blanked++;
          const tree = engine.parse(f.source);
          try {
            const full = engine.summarize(f.path, tree, f.source);
            if (JSON.stringify(relevant(p.summaries[i], types)) !== JSON.stringify(relevant(full, types))) {
              bad++;
              console.log(`DIFF ${f.path}`);
            }
          } finally {
            tree.delete();
          }
        });
      } finally {
        deleteTrees(p.trees);
      }
    }
  }
  console.log(`${files} files, ${blanked} parsed blanked, ${bad} with a different summary`);
  process.exitCode = bad ? 1 : 0;
}

void main();
