// The editor for the goroutine-dump end-to-end test (e2e/dump.e2e.ts): a real VS Code
// (code-server) with the packaged extension, started by e2e/code-server.ts, with the
// explorer focused and a palette helper that retries while the extension registers.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, serverPids, startVsCode } from './code-server';

export { ROOT };

export interface Editor {
  page: Page;
  /** Language servers started from this editor's extensions folder. */
  serverPids(): number[];
  stop(): Promise<void>;
}

/** Packs the extension, installs it into a scratch code-server, opens `workspace` in Chromium. */
export async function startEditor(workspace: string, settings: Record<string, unknown>, logs: string): Promise<Editor> {
  // Its own subfolder: startVsCode empties the folder it is given.
  const vs = await startVsCode({ workspace, artifacts: path.join(logs, 'code-server'), settings: { 'editor.hover.delay': 100, ...settings } });
  try {
    // The workbench has no keyboard focus until something is clicked.
    await vs.page.locator('.explorer-folders-view .monaco-list-row').first().click({ timeout: 30_000 });
  } catch (e) {
    await vs.close();
    throw e;
  }
  return { page: vs.page, serverPids: () => serverPids(vs.extensionsDir), stop: vs.close };
}

/** Runs a command from the palette (F1), by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // The palette lists the commands registered when it opened: retry while the extension starts.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(title, { delay: 10 });
    try {
      await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}
