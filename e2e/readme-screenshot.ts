// Takes docs/images/quick-fix.png, the README's picture: a real VS Code (code-server, as in
// vscode.e2e.ts) showing a leak's squiggle and its quick-fix menu. Not a test; run it after
// the extension's look changes and commit the PNG:
//   npm run -s build && node --import tsx e2e/readme-screenshot.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { killTree } from './workspace';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs/images/quick-fix.png');
const CODE_SERVER = process.env.CODE_SERVER ?? path.join(ROOT, '.e2e/code-server/node_modules/.bin/code-server');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const SOURCE = `package speech

// StartAsync connects in the background and reports the outcome.
func (r *Recognizer) StartAsync() chan error {
	outcome := make(chan error)
	go func() {
		outcome <- r.connect()
	}()
	return outcome
}

type Recognizer struct{ addr string }

func (r *Recognizer) connect() error { return nil }
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-shot-'));
  const env = { ...process.env, HOME: scratch, XDG_CONFIG_HOME: path.join(scratch, 'config'), XDG_DATA_HOME: path.join(scratch, 'data'), XDG_CACHE_HOME: path.join(scratch, 'cache') };
  const ud = path.join(scratch, 'user-data');
  const ext = path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(ud, 'User/settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.colorTheme': 'Default Dark Modern',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'workbench.tips.enabled': false,
      'extensions.ignoreRecommendations': true,
      'security.workspace.trust.enabled': false,
      'editor.minimap.enabled': false,
      'editor.fontSize': 15,
      'breadcrumbs.enabled': false,
      'workbench.activityBar.location': 'hidden',
      'workbench.statusBar.visible': false,
      'window.commandCenter': false,
      'leaklint.scanOnStartup': false,
    }),
  );
  const vsix = path.join(scratch, 'go-leak-lint.vsix');
  const pack = spawnSync('npx', ['vsce', 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--no-dependencies', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(pack.stderr);
  const install = spawnSync(CODE_SERVER, ['--user-data-dir', ud, '--extensions-dir', ext, '--install-extension', vsix], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(install.stderr + install.stdout);
  const ws = path.join(scratch, 'speech');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, 'go.mod'), 'module example.com/speech\n\ngo 1.22\n');
  fs.writeFileSync(path.join(ws, 'recognizer.go'), SOURCE);
  const port = await freePort();
  fs.writeFileSync(path.join(scratch, 'config.yaml'), 'auth: none\n');
  let server: ChildProcess | undefined;
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  try {
    server = spawn(CODE_SERVER, ['--config', path.join(scratch, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', ud, '--extensions-dir', ext], { env, detached: true, stdio: 'ignore' });
    for (let i = 0; ; i++) {
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
      if (i > 120) throw new Error('code-server did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    browserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
    browser = await chromium.connect(browserServer.wsEndpoint());
    const page = await browser.newPage({ viewport: { width: 1000, height: 520 }, deviceScaleFactor: 1 });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'recognizer.go' }).click({ timeout: 30_000 });
    await page.keyboard.press('Control+B'); // hide the side bar: the editor is the picture
    await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60_000 });
    const box = (await page.locator('.monaco-editor .squiggly-warning').first().boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    // Code actions are asked for once the language server has answered; try a few times.
    for (let attempt = 1; ; attempt++) {
      await page.waitForTimeout(1000);
      await page.keyboard.press('Control+.');
      const shown = await page.waitForSelector('.action-widget', { timeout: 5_000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 5) {
        await page.screenshot({ path: path.join(scratch, 'failure.png') });
        throw new Error(`no quick-fix menu (see ${path.join(scratch, 'failure.png')})`);
      }
      await page.keyboard.press('Escape');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    }
    await page.mouse.move(5, 500);
    await page.waitForTimeout(500);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    const editor = (await page.locator('.part.editor').boundingBox())!;
    await page.screenshot({ path: OUT, clip: { x: editor.x, y: editor.y, width: editor.width, height: Math.min(editor.height, 420) } });
    console.log(`wrote ${path.relative(ROOT, OUT)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    const browserPid = browserServer?.process().pid;
    await browserServer?.close().catch(() => undefined);
    await killTree(browserPid);
    await killTree(server?.pid);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
