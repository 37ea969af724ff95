// Starts code-server + Chromium for the goroutine-dump end-to-end test (e2e/dump.e2e.ts).
// Starting a real VS Code (code-server) with the packaged extension and a headless Chromium on
// it, the way e2e/vscode.e2e.ts does, for e2e suites that need a fresh editor of their own.
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

export interface Editor {
  page: Page;
  /** Language servers started from this editor's extensions folder. */
  serverPids(): number[];
  stop(): Promise<void>;
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
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('code-server did not become healthy');
}

/** Packs the extension, installs it into a scratch code-server, opens `workspace` in Chromium. */
export async function startEditor(workspace: string, settings: Record<string, unknown>, logs: string): Promise<Editor> {
  assert.ok(fs.existsSync(CODE_SERVER), `code-server at ${CODE_SERVER} (run e2e/setup.sh, or set CODE_SERVER)`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-vscode-'));
  const env = { ...process.env, HOME: scratch, XDG_CONFIG_HOME: path.join(scratch, 'config'), XDG_DATA_HOME: path.join(scratch, 'data'), XDG_CACHE_HOME: path.join(scratch, 'cache') };
  const ud = path.join(scratch, 'user-data');
  const ext = path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(ud, 'User/settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'workbench.tips.enabled': false, 'extensions.ignoreRecommendations': true, 'security.workspace.trust.enabled': false, 'editor.hover.delay': 100, 'files.autoSave': 'off', ...settings }),
  );
  const vsix = path.join(scratch, 'go-leak-lint.vsix');
  const pack = spawnSync('npx', ['vsce', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--no-dependencies', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const install = spawnSync(CODE_SERVER, ['--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', vsix], { env, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr + install.stdout);
  const port = await freePort();
  fs.writeFileSync(path.join(scratch, 'config.yaml'), 'auth: none\n');
  fs.mkdirSync(logs, { recursive: true });
  let server: ChildProcess | undefined;
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  const serverPids = () =>
    spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.includes(ext) && l.includes('dist/server.js'))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
  const stop = async () => {
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
      { env, detached: true, stdio: ['ignore', fs.openSync(path.join(logs, 'code-server.log'), 'w'), fs.openSync(path.join(logs, 'code-server.err.log'), 'w')] },
    );
    await waitForHealth(port, 30_000);
    browserServer = await chromium.launchServer({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    browser = await chromium.connect(browserServer.wsEndpoint());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The workbench has no keyboard focus until something is clicked.
    await page.locator('.explorer-folders-view .monaco-list-row').first().click({ timeout: 30_000 });
    return { page, serverPids, stop };
  } catch (e) {
    await stop();
    throw e;
  }
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
