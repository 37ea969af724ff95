// The language server honours a baseline written by the CLI (leaklint.baseline, relative to
// the folder): recorded findings are hidden, or shown as hints (leaklint.baselineMode), in
// open documents and in the workspace scan alike.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, type Diag } from './helpers/lsp-client';

const BIN = path.resolve(__dirname, '../bin/leaklint.js');

function leaky(name: string, chan: string): string {
  return `func ${name}() chan error {\n\t${chan} := make(chan error)\n\tgo func() {\n\t\t${chan} <- nil\n\t}()\n\treturn ${chan}\n}\n`;
}

test('leaklint.baseline: recorded findings hidden or shown as hints; new ones reported as usual', { timeout: 120_000 }, async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-lsp-baseline-')));
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app/api.go'), `package app\n\n${leaky('Start', 'errc')}`);
  fs.writeFileSync(path.join(dir, 'app/other.go'), `package app\n\n${leaky('Old', 'oldc')}`);
  fs.mkdirSync(path.join(dir, 'ci'));
  const wrote = spawnSync(process.execPath, [BIN, '--no-cache', '--write-baseline', 'ci/baseline.json', './...'], { cwd: dir, encoding: 'utf8' });
  assert.equal(wrote.status, 0, wrote.stderr);
  // Since the baseline: a new leak in each file, and lines added above the old ones.
  fs.writeFileSync(path.join(dir, 'app/other.go'), `package app\n\n// Old is old.\n${leaky('Old', 'oldc')}\n${leaky('Fresh', 'freshc')}`);
  const api = `package app\n\nimport "fmt"\n\nfunc hello() { fmt.Println() }\n\n${leaky('Start', 'errc')}\n${leaky('Open', 'openc')}`;

  let settings: object = { scanOnStartup: true, baseline: 'ci/baseline.json' };
  const client = new LspClient(dir);
  client.settings = () => settings;
  try {
    await client.initialize(pathToFileURL(dir).href);
    const other = pathToFileURL(path.join(dir, 'app/other.go')).href;
    const scanned = await client.waitFor('scan diagnostics of other.go', () => client.diagnosticsFor(other));
    assert.deepEqual(scanned.map((d) => d.message.match(/'(\w+)'/)![1]), ['freshc'], 'the scan hides the recorded finding');

    const uri = pathToFileURL(path.join(dir, 'app/api.go')).href;
    client.open(uri, api);
    const hidden = await client.waitFor('diagnostics of the open file', () => client.diagnosticsFor(uri, 1));
    assert.deepEqual(hidden.map((d) => [d.message.match(/'(\w+)'/)![1], d.severity]), [['openc', 2]]);

    settings = { scanOnStartup: true, baseline: 'ci/baseline.json', baselineMode: 'hint' };
    void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const hinted = await client.waitFor('hints for recorded findings', () => {
      const d = client.diagnosticsFor(uri, 1);
      return d && d.length === 2 ? d : undefined;
    });
    const bySeverity = (ds: Diag[]) => ds.map((d) => [d.message.match(/'(\w+)'/)![1], d.severity]);
    assert.deepEqual(bySeverity(hinted), [['errc', 4], ['openc', 2]]);
    // Wait for the final state: under load a publish from the rescan can come before the re-filtered one.
    await client.waitFor('hints in the scan too', () => client.diagnosticsFor(other)?.length === 2 && client.diagnosticsFor(other)!.some((d) => d.severity === 4));
    assert.deepEqual(bySeverity(client.diagnosticsFor(other)!), [['oldc', 4], ['freshc', 2]]);

    // A missing baseline file: a warning, and every finding shown.
    settings = { scanOnStartup: true, baseline: 'nope.json' };
    void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('a warning about the missing baseline', () => client.notifications.some((n) => n.method.startsWith('window/showMessage') && /leaklint\.baseline: cannot read baseline .*nope\.json/.test(n.params.message)));
    await client.waitFor('every finding shown', () => client.diagnosticsFor(uri, 1)?.every((d) => d.severity === 2) && client.diagnosticsFor(uri, 1)!.length === 2);
  } finally {
    await client.stop();
  }
});
