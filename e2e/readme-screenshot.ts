// Takes docs/images/quick-fix.png, the README's picture: a real VS Code (code-server, as in
// e2e/code-server.ts) showing a leak's squiggle and its quick-fix menu. Not a test; run it after
// the extension's look changes and commit the PNG:
//   npm run -s build && node --import tsx e2e/readme-screenshot.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, startVsCode } from './code-server';

const OUT = path.join(ROOT, 'docs/images/quick-fix.png');

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

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-shot-'));
  const ws = path.join(scratch, 'speech');
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, 'go.mod'), 'module example.com/speech\n\ngo 1.22\n');
  fs.writeFileSync(path.join(ws, 'recognizer.go'), SOURCE);
  const vscode = await startVsCode({
    workspace: ws,
    artifacts: path.join(scratch, 'artifacts'),
    viewport: { width: 1000, height: 520 },
    settings: {
      'workbench.colorTheme': 'Default Dark Modern',
      'editor.minimap.enabled': false,
      'editor.fontSize': 15,
      'breadcrumbs.enabled': false,
      'workbench.activityBar.location': 'hidden',
      'workbench.statusBar.visible': false,
      'window.commandCenter': false,
      'leaklint.scanOnStartup': false,
    },
  });
  const { page } = vscode;
  try {
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
    await vscode.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
