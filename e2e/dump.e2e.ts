// A real VS Code (code-server) reads goroutine dumps made by the Go runtime from the fixtures,
// built in another folder: the Goroutine Dump view lists the sites with bars, clicking one opens
// its line, the diagnostic says how many goroutines wait there and which finding explains it;
// a non-loopback pprof endpoint is refused, a loopback one is read; Clear removes it all.
// Screenshots go to test-results/dump-e2e/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURES } from '../test/helpers/fixtures';
import { makeRealDumps } from '../test/helpers/real-dumps';
import { ROOT, runCommand, startEditor, type Editor } from './dump-editor';

const ARTIFACTS = path.join(ROOT, 'test-results/dump-e2e');

let shot = 0;
async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${String(++shot).padStart(2, '0')}-${name}.png`) });
}

/** The rows of the Goroutine Dump view, as text. */
async function viewRows(page: Page): Promise<string[]> {
  return page.locator('.pane:has(.pane-header[aria-label*="Goroutine Dump"]) .monaco-list-row').allInnerTexts();
}

test('VS Code: a goroutine dump mapped onto the code, in a view with bars and as diagnostics', { timeout: 420_000 }, async () => {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const dumps = makeRealDumps();
  // The workspace: a copy of the fixtures in a folder of its own (the dumps carry another build folder's paths).
  const ws = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-e2e-dumpws-'))), 'service');
  fs.cpSync(FIXTURES, ws, { recursive: true, filter: (src) => !src.endsWith('.golden') });
  const served: string[] = [];
  const pprof = http.createServer((req, res) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    fs.createReadStream(dumps.debug1).pipe(res);
  });
  await new Promise<void>((r) => pprof.listen(0, '127.0.0.1', () => r()));
  const pprofPort = (pprof.address() as net.AddressInfo).port;
  let editor: Editor | undefined;
  const started = Date.now();
  try {
    editor = await startEditor(ws, { 'leaklint.scanOnStartup': false }, ARTIFACTS);
    const page = editor.page;
    await page.waitForSelector('.statusbar-item:has-text("Leak Lint")', { timeout: 60_000 });
    await screenshot(page, 'workbench');

    // 1. Open Goroutine Dump… → From a file… → the (simple) open dialog: type the dump's path.
    await runCommand(page, 'Go Leak Lint: Open Goroutine Dump');
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="From a file"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? '').includes('Open Goroutine Dump'), undefined, { timeout: 15_000 });
    // The simple file dialog fills in the workspace folder first; then the dump's path replaces it.
    const input = page.locator('.quick-input-widget input').first();
    await page.waitForFunction((ws) => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value.startsWith(ws), ws, { timeout: 15_000 });
    await page.waitForTimeout(500);
    await input.fill(dumps.debug2);
    await page.waitForFunction((p) => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value === p, dumps.debug2, { timeout: 15_000 });
    await screenshot(page, 'open-dialog');
    await page.keyboard.press('Enter');

    // 2. The view appears, sites by count with bars; the top one is the abandoned sender's send.
    await page.waitForSelector('.pane-header[aria-label*="Goroutine Dump"]', { timeout: 120_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-list-row')].some((r) => /positive\.go:81/.test(r.textContent ?? '')), undefined, { timeout: 60_000 });
    // Make room: fold the folder's own section of the explorer.
    await page.locator('.pane-header[aria-label^="Explorer Section"]').first().click();
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-list-row')].some((r) => /main\.go:\d+/.test(r.textContent ?? '')), undefined, { timeout: 15_000 });
    const rows = await viewRows(page);
    await screenshot(page, 'view');
    const top = rows.find((r) => /abandoned-sender\/positive\.go:81/.test(r))!;
    assert.ok(top, rows.join('\n'));
    assert.match(top, /^█{10} 40\s*abandoned-sender\/positive\.go:81 · chan send · abandoned-sender$/);
    assert.ok(rows.some((r) => /^█[▏▎▍▌▋▊▉]? 6\s*goroutine-without-cancel\/positive\.go:21 · sleep · goroutine-without-cancel$/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /^▎ 1\s*zz_dumpgen\/main\.go:\d+ · running · not in workspace$/.test(r)), rows.join('\n'));
    const message = await page.locator('.pane:has(.pane-header[aria-label*="Goroutine Dump"]) .message').innerText().catch(() => '');
    assert.match(message, /60 goroutines at 5 sites, 4 explained by static findings — debug2\.txt/);

    // 3. Click the top site: its line opens, with the dump's diagnostic on it.
    // Expand the top site (its stack), then click it: its line opens.
    await page.locator('.monaco-list-row', { hasText: 'positive.go:81' }).first().locator('.monaco-tl-twistie').click();
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-list-row')].some((r) => /created by abandoned-sender\.Race/.test(r.textContent ?? '')), undefined, { timeout: 15_000 });
    await screenshot(page, 'view-stack');
    await page.locator('.monaco-list-row', { hasText: 'positive.go:81' }).first().click();
    await page.waitForSelector('.tab.active[aria-label*="positive.go"]', { timeout: 30_000 });
    await page.waitForSelector('.monaco-editor .squiggly-info', { timeout: 60_000 });
    await page.waitForFunction(() => /results <- i \* i/.test(document.querySelector('.monaco-editor .view-overlays .current-line') ? (document.querySelector('.monaco-editor .view-lines')?.textContent ?? '') : ''), undefined, { timeout: 10_000 }).catch(() => undefined);
    await screenshot(page, 'site-opened');

    // 4. Problems: the site's count, and the confirmation at the static finding.
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row');
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    // The panel may still be laying out when it opens: fill until the box holds the text.
    const setFilter = async (text: string) => {
      for (let i = 0; i < 5 && (await filter.inputValue()) !== text; i++) {
        await filter.fill(text);
        await page.waitForTimeout(200);
      }
    };
    await setFilter('blocked here');
    await page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /40 goroutines blocked here \(chan send\): explained by abandoned-sender/.test(r.textContent ?? '')), undefined, { timeout: 30_000 });
    const problems = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    assert.ok(problems.some((r) => /goroutine dump/.test(r)), problems.join('\n'));
    await screenshot(page, 'problems');
    await setFilter('Confirmed at runtime');
    await page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /Confirmed at runtime: the goroutine dump has 40 goroutines blocked \(chan send\) at line 81/.test(r.textContent ?? '')), undefined, { timeout: 30_000 });
    await screenshot(page, 'problems-confirmed');
    await filter.fill('');

    // 5. Hover: the runtime count next to the static finding that explains it.
    const squiggle = page.locator('.monaco-editor .squiggly-info').first();
    const box = (await squiggle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('.monaco-hover:visible', { timeout: 15_000 });
    const hover = await page.locator('.monaco-hover:visible').first().innerText();
    await screenshot(page, 'hover');
    // The first info squiggle is the confirmation on the static finding (line 78): one hover, both views of the leak.
    assert.match(hover, /Confirmed at runtime: the goroutine dump has 40 goroutines blocked \(chan send\) at line 81/);
    assert.match(hover, /Goroutines started in the loop on line 80 leak: 'results' is received once/);
    await page.keyboard.press('Escape');

    // 6. A pprof endpoint off this machine is refused in the input box; a loopback one is read (debug=1 here).
    await runCommand(page, 'Go Leak Lint: Read Goroutine Dump from a pprof Endpoint');
    const endpoint = page.locator('.quick-input-widget input').first();
    await endpoint.fill('http://10.0.0.7:6060/debug/pprof/goroutine?debug=2');
    await page.waitForFunction(() => /10\.0\.0\.7 is not this machine/.test(document.querySelector('.quick-input-widget')?.textContent ?? ''), undefined, { timeout: 15_000 });
    await screenshot(page, 'endpoint-refused');
    await endpoint.fill(`http://127.0.0.1:${pprofPort}/debug/pprof/goroutine?debug=1`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /60 goroutines at 5 sites.*— 127\.0\.0\.1/.test(document.body.textContent ?? ''), undefined, { timeout: 60_000 });
    assert.deepEqual(served, ['/debug/pprof/goroutine?debug=1']);
    await screenshot(page, 'endpoint-read');

    // 7. Clear: the view and the diagnostics go.
    await runCommand(page, 'Go Leak Lint: Clear Goroutine Dump');
    await page.waitForSelector('.pane-header[aria-label*="Goroutine Dump"]', { state: 'detached', timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-info').length === 0, undefined, { timeout: 30_000 });
    await screenshot(page, 'cleared');
    console.log(`dump e2e: ${((Date.now() - started) / 1000).toFixed(1)} s from code-server start`);
  } catch (e) {
    if (editor) await screenshot(editor.page, 'failure').catch(() => undefined);
    throw e;
  } finally {
    pprof.close();
    const pids = editor?.serverPids() ?? [];
    await editor?.stop();
    assert.deepEqual(
      pids.filter((p) => {
        try {
          process.kill(p, 0);
          return true;
        } catch {
          return false;
        }
      }),
      [],
      'no language server outlives code-server',
    );
  }
});
