// A real VS Code (code-server 4.100.3 = VS Code 1.100.3) in headless Chromium, driven as a
// user would: squiggles, hover, Problems, quick fix, Scan Workspace, typing a new leak.
// Screenshots of each step go to test-results/e2e/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { killTree, makeWorkspace, MODCACHE } from './workspace';

const ROOT = path.resolve(__dirname, '..');
const ARTIFACTS = path.join(ROOT, 'test-results/e2e');
const CODE_SERVER = process.env.CODE_SERVER ?? path.join(ROOT, '.e2e/code-server/node_modules/.bin/code-server');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('code-server did not become healthy');
}

/** Language servers started from this run's extensions folder. */
function serverPids(extDir: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .filter((l) => l.includes(extDir) && l.includes('dist/server.js'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

async function waitUntil(pred: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let shot = 0;
async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${String(++shot).padStart(2, '0')}-${name}.png`) });
}

/** Editor text as Monaco renders it (spaces come back as U+00A0). */
async function editorText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name, { delay: 20 });
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`);
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title, { delay: 10 });
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`);
  await page.keyboard.press('Enter');
}

test('VS Code: squiggles, hover, Problems, quick fix, workspace scan, a new leak typed, server crash recovered', { timeout: 300_000 }, async () => {
  assert.ok(fs.existsSync(CODE_SERVER), `code-server at ${CODE_SERVER} (run e2e/setup.sh, or set CODE_SERVER)`);
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-vscode-'));
  const env = {
    ...process.env,
    HOME: scratch,
    XDG_CONFIG_HOME: path.join(scratch, 'config'),
    XDG_DATA_HOME: path.join(scratch, 'data'),
    XDG_CACHE_HOME: path.join(scratch, 'cache'),
    // The SDK a service in the workspace depends on lives in this (fake) Go module cache.
    GOMODCACHE: MODCACHE,
  };
  const ud = path.join(scratch, 'user-data');
  const ext = path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(ud, 'User/settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'workbench.tips.enabled': false,
      'extensions.ignoreRecommendations': true,
      'security.workspace.trust.enabled': false,
      'editor.hover.delay': 100,
      // Typing must produce exactly the keys typed: no suggestion accepted by Enter, no auto-closed brackets.
      'editor.quickSuggestions': { other: false, comments: false, strings: false },
      'editor.suggestOnTriggerCharacters': false,
      'editor.acceptSuggestionOnEnter': 'off',
      'editor.wordBasedSuggestions': 'off',
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'leaklint.scanOnStartup': false,
      // The last step checks that the extension never writes a file: VS Code's own saving
      // (auto save, which this code-server build turns on by default, and refactoring auto
      // save after a code action) is turned off so it cannot hide or fake that.
      'files.refactoring.autoSave': false,
      'files.autoSave': 'off',
    }),
  );
  const vsix = path.join(scratch, 'go-leak-lint.vsix');
  const pack = spawnSync('npx', ['vsce', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--no-dependencies', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const install = spawnSync(CODE_SERVER, ['--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', vsix], { env, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr + install.stdout);

  const ws = makeWorkspace();
  const port = await freePort();
  fs.writeFileSync(path.join(scratch, 'config.yaml'), 'auth: none\n');
  let server: ChildProcess | undefined;
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const started = Date.now();
  try {
    server = spawn(
      CODE_SERVER,
      ['--config', path.join(scratch, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', ud, '--extensions-dir', ext],
      { env, detached: true, stdio: ['ignore', fs.openSync(path.join(ARTIFACTS, 'code-server.log'), 'w'), fs.openSync(path.join(ARTIFACTS, 'code-server.err.log'), 'w')] },
    );
    await waitForHealth(port, 30_000);
    // A browser server, so that its process id is known and can be killed whatever happens.
    browserServer = await chromium.launchServer({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    browser = await chromium.connect(browserServer.wsEndpoint());
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The workbench has no keyboard focus until something is clicked.
    await page.locator('.explorer-folders-view .monaco-list-row').first().click({ timeout: 30_000 });
    await screenshot(page, 'workbench');

    // 1. Open a leaky file: a squiggle on make(chan error).
    await openFile(page, 'api.go');
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60_000 });
    await screenshot(page, 'squiggle');
    assert.equal(await page.locator('.monaco-editor .squiggly-warning').count(), 1);

    // 2. Problems panel: one problem for this file, with the rule's message.
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row');
    const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    await screenshot(page, 'problems');
    assert.ok(rows.some((r) => /Unbuffered channel 'outcome' is returned and fed by a goroutine/.test(r)), rows.join('\n'));

    // 3. Hover the squiggle and read the message.
    const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
    // The squiggle is a decoration under the text layer: point the mouse at its middle.
    const box = (await squiggle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('.monaco-hover:visible', { timeout: 15_000 });
    const hover = await page.locator('.monaco-hover:visible').first().innerText();
    await screenshot(page, 'hover');
    assert.match(hover, /blocked forever, and the goroutine leaks/);
    assert.match(hover, /unbuffered-result-chan/);

    // 4. Scan Workspace from the command palette: problems in files never opened,
    //    including the caller in caller.go that drops api.go's channel.
    await runCommand(page, 'Go Leak Lint: Scan Workspace');
    await page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /timer\.go/.test(r.textContent ?? '')), undefined, { timeout: 60_000 });
    await screenshot(page, 'workspace-scan');
    // The Problems list renders only the rows in view: filter it the way a user would, then clear the filter.
    const problemsMatching = async (filter: string, row: RegExp) => {
      const box = page!.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
      await box.fill(filter);
      await page!.waitForFunction((src) => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => new RegExp(src).test(r.textContent ?? '')), row.source, { timeout: 30_000 });
      const rows = await page!.locator('.markers-panel .monaco-list-row').allInnerTexts();
      await box.fill('');
      return rows;
    };
    const timerRows = await problemsMatching('never stopped', /Timer 't' is never stopped/);
    assert.ok(timerRows.some((r) => /Timer 't' is never stopped/.test(r)), timerRows.join('\n'));
    const callerRows = await problemsMatching('StartAsync', /Recognizer\.StartAsync\(\) is discarded/);
    assert.ok(callerRows.some((r) => /The channel returned by Recognizer.StartAsync\(\) is discarded/.test(r)), callerRows.join('\n'));
    // Across packages: the incidents' shapes, reported in the caller.
    const sdkRows = await problemsMatching('StartContinuousRecognitionAsync', /speech\.SpeechRecognizer\.StartContinuousRecognitionAsync\(\) is discarded/);
    assert.ok(sdkRows.some((r) => /speech\.SpeechRecognizer\.StartContinuousRecognitionAsync\(\) is discarded/.test(r)), sdkRows.join('\n'));
    const vmRows = await problemsMatching('parks a goroutine', /vm\.Instance\.Run parks a goroutine on the context it is given/);
    assert.ok(vmRows.some((r) => /vm\.Instance\.Run parks a goroutine on the context it is given/.test(r)), vmRows.join('\n'));
    await screenshot(page, 'cross-package');

    // 5. Quick fix with Ctrl+. on the squiggle: the preferred fix buffers the channel,
    //    and the unopened caller's problem goes away with it.
    await page.keyboard.press('Escape');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget', { timeout: 15_000 });
    await screenshot(page, 'quick-fix-menu');
    const menu = await page.locator('.action-widget').innerText();
    assert.match(menu, /Buffer the channel/);
    // The preferred fix is the focused entry: Enter applies it, as a user would.
    assert.match(await page.locator('.action-widget .monaco-list-row.focused').innerText(), /Buffer the channel/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-warning').length === 0, undefined, { timeout: 30_000 });
    assert.match(await editorText(page), /outcome := make\(chan error, 1\)/);
    await page.waitForFunction(() => ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /Recognizer\.StartAsync\(\) is discarded/.test(r.textContent ?? '')), undefined, { timeout: 30_000 });
    await screenshot(page, 'fixed');

    // 6. Type a new leak at the end of the file: a squiggle appears.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    for (const line of ['func Fresh() chan int {', 'c := make(chan int)', 'go func() { c <- 1 }()', 'return c', '}']) {
      await page.keyboard.type(line, { delay: 5 });
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 30_000 });
    assert.match(await editorText(page), /func Fresh\(\) chan int \{\s+c := make\(chan int\)/);
    await screenshot(page, 'typed-leak');

    // 7. The language server dies: the extension restarts it, says so once, and the squiggles come back.
    const before = serverPids(ext);
    assert.equal(before.length, 1, `one language server running (${before})`);
    process.kill(before[0], 'SIGKILL');
    await waitUntil(() => serverPids(ext).some((p) => p !== before[0]), 30_000, 'a restarted server');
    await page.waitForSelector('.notifications-toasts', { timeout: 30_000 });
    assert.match(await page.locator('.notifications-toasts').innerText(), /server stopped unexpectedly and was restarted/);
    await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-warning').length >= 1, undefined, { timeout: 30_000 });
    await screenshot(page, 'server-restarted');
    // Nothing was saved behind the user's back: the unsaved edits exist only in the editor.
    assert.doesNotMatch(fs.readFileSync(path.join(ws, 'app/api.go'), 'utf8'), /Fresh|chan error, 1/);
    console.log(`vscode e2e: ${((Date.now() - started) / 1000).toFixed(1)} s from code-server start`);
    console.log(`vscode e2e: ${((Date.now() - started) / 1000).toFixed(1)} s from code-server start`);
  } catch (e) {
    // What the user would have seen when it went wrong.
    if (page) await screenshot(page, 'failure').catch(() => undefined);
    throw e;
  } finally {
    await browser?.close().catch(() => undefined);
    const browserPid = browserServer?.process().pid;
    await browserServer?.close().catch(() => undefined);
    await killTree(browserPid);
    await killTree(server?.pid);
    assert.deepEqual(serverPids(ext), [], 'no language server outlives code-server');
  }
});
