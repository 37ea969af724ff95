// A real VS Code (code-server 4.100.3 = VS Code 1.100.3) in headless Chromium, driven as a
// user would: squiggles, hover, Problems, quick fix, Scan Workspace, typing a new leak.
// Screenshots of each step go to test-results/e2e/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorText, openFile, ROOT, runCommand, serverPids, startVsCode, waitUntil, type VsCode } from './code-server';
import { makeWorkspace, MODCACHE } from './workspace';

const ARTIFACTS = path.join(ROOT, 'test-results/e2e');

test('VS Code: squiggles, hover, Problems, quick fix, workspace scan, a new leak typed, server crash recovered', { timeout: 300_000 }, async () => {
  const ws = makeWorkspace();
  const started = Date.now();
  const vscode: VsCode = await startVsCode({
    workspace: ws,
    artifacts: ARTIFACTS,
    // The last step checks that the extension never writes a file: VS Code's own saving is
    // turned off (BASE_SETTINGS) so it cannot hide or fake that.
    settings: { 'leaklint.scanOnStartup': false },
    // The SDK a service in the workspace depends on lives in this (fake) Go module cache.
    env: { GOMODCACHE: MODCACHE },
  });
  const { page } = vscode;
  const ext = vscode.extensionsDir;
  try {
    // The workbench has no keyboard focus until something is clicked.
    await page.locator('.explorer-folders-view .monaco-list-row').first().click({ timeout: 30_000 });
    await vscode.screenshot('workbench');

    // 1. Open a leaky file: a squiggle on make(chan error).
    await openFile(page, 'api.go');
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60_000 });
    await vscode.screenshot('squiggle');
    assert.equal(await page.locator('.monaco-editor .squiggly-warning').count(), 1);

    // 2. Problems panel: one problem for this file, with the rule's message.
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row');
    const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    await vscode.screenshot('problems');
    assert.ok(rows.some((r) => /Unbuffered channel 'outcome' is returned and fed by a goroutine/.test(r)), rows.join('\n'));

    // 3. Hover the squiggle and read the message.
    const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
    // The squiggle is a decoration under the text layer: point the mouse at its middle.
    const box = (await squiggle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('.monaco-hover:visible', { timeout: 15_000 });
    const hover = await page.locator('.monaco-hover:visible').first().innerText();
    await vscode.screenshot('hover');
    assert.match(hover, /blocked forever, and the goroutine leaks/);
    assert.match(hover, /unbuffered-result-chan/);

    // 4. Scan Workspace from the command palette: problems in files never opened,
    //    including the caller in caller.go that drops api.go's channel.
    await runCommand(page, 'Go Leak Lint: Scan Workspace');
    await page.waitForFunction(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /timer\.go/.test(r.textContent ?? '')), undefined, { timeout: 60_000 });
    await vscode.screenshot('workspace-scan');
    // The Problems list renders only the rows in view: filter it the way a user would, then clear the filter.
    const problemsMatching = async (filter: string, row: RegExp) => {
      const box = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
      await box.fill(filter);
      await page.waitForFunction((src) => [...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => new RegExp(src).test(r.textContent ?? '')), row.source, { timeout: 30_000 });
      const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
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
    await vscode.screenshot('cross-package');

    // 5. Quick fix with Ctrl+. on the squiggle: the preferred fix buffers the channel,
    //    and the unopened caller's problem goes away with it.
    await page.keyboard.press('Escape');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget', { timeout: 15_000 });
    await vscode.screenshot('quick-fix-menu');
    const menu = await page.locator('.action-widget').innerText();
    assert.match(menu, /Buffer the channel/);
    // The preferred fix is the focused entry: Enter applies it, as a user would.
    assert.match(await page.locator('.action-widget .monaco-list-row.focused').innerText(), /Buffer the channel/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-warning').length === 0, undefined, { timeout: 30_000 });
    assert.match(await editorText(page), /outcome := make\(chan error, 1\)/);
    await page.waitForFunction(() => ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((r) => /Recognizer\.StartAsync\(\) is discarded/.test(r.textContent ?? '')), undefined, { timeout: 30_000 });
    await vscode.screenshot('fixed');

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
    await vscode.screenshot('typed-leak');

    // 7. The language server dies: the extension restarts it, says so once, and the squiggles come back.
    const before = serverPids(ext);
    assert.equal(before.length, 1, `one language server running (${before})`);
    process.kill(before[0], 'SIGKILL');
    await waitUntil(() => serverPids(ext).some((p) => p !== before[0]), 30_000, 'a restarted server');
    await page.waitForSelector('.notifications-toasts', { timeout: 30_000 });
    assert.match(await page.locator('.notifications-toasts').innerText(), /server stopped unexpectedly and was restarted/);
    await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-warning').length >= 1, undefined, { timeout: 30_000 });
    await vscode.screenshot('server-restarted');
    // Nothing was saved behind the user's back: the unsaved edits exist only in the editor.
    assert.doesNotMatch(fs.readFileSync(path.join(ws, 'app/api.go'), 'utf8'), /Fresh|chan error, 1/);
    console.log(`vscode e2e: ${((Date.now() - started) / 1000).toFixed(1)} s from packing the extension`);
  } catch (e) {
    // What the user would have seen when it went wrong.
    await vscode.screenshot('failure').catch(() => undefined);
    throw e;
  } finally {
    await vscode.close();
    assert.deepEqual(serverPids(ext), [], 'no language server outlives code-server');
  }
});
