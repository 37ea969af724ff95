// A real VS Code (code-server 4.100.3) in headless Chromium with this extension installed
// from a freshly packed .vsix: start it, drive it as a user would, stop it with everything
// it started. See ../shared/e2e/NOTES.md.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { killTree } from './workspace';

export const ROOT = path.resolve(__dirname, '..');
const CODE_SERVER = process.env.CODE_SERVER ?? path.join(ROOT, '.e2e/code-server/node_modules/.bin/code-server');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const BASE_SETTINGS = {
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
  'files.refactoring.autoSave': false,
  'files.autoSave': 'off',
};

export interface VsCode {
  page: Page;
  /** The user settings file: writing it changes the settings as the Settings editor would. */
  settingsFile: string;
  /** Where VS Code writes its logs (output channels included). */
  logsDir: string;
  extensionsDir: string;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

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

/** Language servers started from an extensions folder. */
export function serverPids(extDir: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .filter((l) => l.includes(extDir) && l.includes('dist/server.js'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

export async function waitUntil(pred: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Packs and installs the extension, starts code-server on `workspace` and opens it in
 * Chromium. Screenshots go to `artifacts` (emptied first), numbered in order.
 */
export async function startVsCode(opts: { workspace: string; artifacts: string; settings?: object; env?: NodeJS.ProcessEnv; viewport?: { width: number; height: number }; beforeOpen?: (page: Page) => Promise<void> }): Promise<VsCode> {
  assert.ok(fs.existsSync(CODE_SERVER), `code-server at ${CODE_SERVER} (run e2e/setup.sh, or set CODE_SERVER)`);
  fs.rmSync(opts.artifacts, { recursive: true, force: true });
  fs.mkdirSync(opts.artifacts, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-vscode-'));
  const env = {
    ...process.env,
    HOME: scratch,
    XDG_CONFIG_HOME: path.join(scratch, 'config'),
    XDG_DATA_HOME: path.join(scratch, 'data'),
    XDG_CACHE_HOME: path.join(scratch, 'cache'),
    ...opts.env,
  };
  const ud = path.join(scratch, 'user-data');
  const ext = path.join(scratch, 'extensions');
  const settingsFile = path.join(ud, 'User/settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...opts.settings }, null, 2));
  const vsix = path.join(scratch, 'go-leak-lint.vsix');
  const pack = spawnSync('npx', ['vsce', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--no-dependencies', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const install = spawnSync(CODE_SERVER, ['--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', vsix], { env, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr + install.stdout);

  const port = await freePort();
  fs.writeFileSync(path.join(scratch, 'config.yaml'), 'auth: none\n');
  let server: ChildProcess | undefined;
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  let shot = 0;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    const browserPid = browserServer?.process().pid;
    await browserServer?.close().catch(() => undefined);
    await killTree(browserPid);
    await killTree(server?.pid);
  };
  try {
    server = spawn(
      CODE_SERVER,
      ['--config', path.join(scratch, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', ud, '--extensions-dir', ext],
      { env, detached: true, stdio: ['ignore', fs.openSync(path.join(opts.artifacts, 'code-server.log'), 'w'), fs.openSync(path.join(opts.artifacts, 'code-server.err.log'), 'w')] },
    );
    await waitForHealth(port, 30_000);
    // A browser server, so that its process id is known and can be killed whatever happens.
    browserServer = await chromium.launchServer({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    browser = await chromium.connect(browserServer.wsEndpoint());
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    await opts.beforeOpen?.(page);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    return {
      page,
      settingsFile,
      logsDir: path.join(ud, 'logs'),
      extensionsDir: ext,
      screenshot: async (name) => {
        await page.screenshot({ path: path.join(opts.artifacts, `${String(++shot).padStart(2, '0')}-${name}.png`) });
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Editor text as Monaco renders it (spaces come back as U+00A0). */
export async function editorText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** Gives the workbench keyboard focus back (e.g. from a webview): right-click an explorer row, then Escape. */
export async function focusWorkbench(page: Page): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row').first().click({ button: 'right' });
  await page.keyboard.press('Escape');
}

/** Ctrl+P (or F1) until the quick input shows: a webview that holds the focus swallows the first press. */
async function quickInput(page: Page, key: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 5000 });
      return;
    } catch (e) {
      if (attempt === 2) throw e;
      await focusWorkbench(page);
    }
  }
}

export async function openFile(page: Page, name: string): Promise<void> {
  await quickInput(page, 'Control+P');
  await page.keyboard.type(name, { delay: 20 });
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${path.basename(name)}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active[aria-label*="${path.basename(name)}"]`);
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await quickInput(page, 'F1');
  await page.keyboard.type(title, { delay: 10 });
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`);
  await page.keyboard.press('Enter');
}

/** The text of the "Go Leak Lint" output channel, as VS Code logged it to disk. */
export function outputChannelText(logsDir: string): string {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Go Leak Lint\.log$/.test(e.name)) found.push(p);
    }
  };
  if (fs.existsSync(logsDir)) walk(logsDir);
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}
