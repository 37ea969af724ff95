// Neovim (Debian's 0.7) as a second real LSP client over `leaklint-lsp --stdio`:
// the same diagnostics at the same positions as the CLI, and a code action applied.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killTree, makeWorkspace } from './workspace';

const ROOT = path.resolve(__dirname, '..');
const ARTIFACTS = path.join(ROOT, 'test-results/e2e');

const PROBE = `
local out = os.getenv('PROBE_OUT')
local function dump(name, value)
  local f = io.open(out .. '/' .. name .. '.json', 'w')
  f:write(vim.fn.json_encode(value))
  f:close()
end
local function main()
local id = vim.lsp.start_client({
  name = 'leaklint',
  cmd = { os.getenv('NODE'), os.getenv('LSP_BIN'), '--stdio' },
  root_dir = os.getenv('WS'),
  settings = { leaklint = { scanOnStartup = false } },
})
vim.lsp.buf_attach_client(0, id)
local ok = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local diags = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(diags, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, code = d.code, message = d.message })
end
dump('diagnostics', { ok = ok, items = diags })
local client = vim.lsp.get_client_by_id(id)
local d = vim.diagnostic.get(0)[1]
local params = vim.lsp.util.make_range_params()
params.range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
params.context = { diagnostics = { d.user_data.lsp } }
local res = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 10000)
local applied = nil
for _, r in pairs(res or {}) do
  for _, action in ipairs(r.result or {}) do
    if action.isPreferred and action.edit and not applied then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
      applied = action.title
    end
  end
end
vim.cmd('write')
local cleared = vim.wait(30000, function() return #vim.diagnostic.get(0) == 0 end, 100)
dump('after', { applied = applied, cleared = cleared, line = vim.api.nvim_buf_get_lines(0, 9, 10, false)[1] })
end
-- -u runs before the file is loaded: start once Vim has entered, with the file in buffer 0.
vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local ok, err = pcall(main)
    if not ok then
      local f = io.open(out .. '/error.txt', 'w')
      f:write(tostring(err))
      f:close()
    end
    vim.cmd('qa!')
  end,
})
`;

test('Neovim: diagnostics at the CLI positions, and the preferred code action fixes the leak', { timeout: 120_000 }, async () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'nvim is installed (apt-get install neovim)');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const ws = makeWorkspace();
  const file = path.join(ws, 'app/api.go');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-nvim-'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-nvim-home-'));
  fs.writeFileSync(path.join(out, 'probe.lua'), PROBE);
  const cli = JSON.parse(spawnSync(process.execPath, [path.join(ROOT, 'bin/leaklint.js'), '--no-cache', '--format', 'json', file], { cwd: ws, encoding: 'utf8' }).stdout);
  const started = Date.now();
  const child = spawn('nvim', ['--headless', '--clean', '-n', '-i', 'NONE', '-u', path.join(out, 'probe.lua'), file], {
    cwd: ws,
    detached: true,
    stdio: 'ignore',
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local/share'),
      XDG_STATE_HOME: path.join(home, '.local/state'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      PROBE_OUT: out,
      NODE: process.execPath,
      LSP_BIN: path.join(ROOT, 'bin/leaklint-lsp.js'),
      WS: ws,
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('nvim did not finish in 90 s')), 90_000);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    await killTree(child.pid);
  }
  if (fs.existsSync(path.join(out, 'error.txt'))) assert.fail(`the Neovim probe failed: ${fs.readFileSync(path.join(out, 'error.txt'), 'utf8')}`);
  const diags = JSON.parse(fs.readFileSync(path.join(out, 'diagnostics.json'), 'utf8'));
  const after = JSON.parse(fs.readFileSync(path.join(out, 'after.json'), 'utf8'));
  fs.copyFileSync(path.join(out, 'diagnostics.json'), path.join(ARTIFACTS, 'neovim-diagnostics.json'));
  fs.copyFileSync(path.join(out, 'after.json'), path.join(ARTIFACTS, 'neovim-after.json'));
  console.log(`neovim: ${diags.items.length} diagnostic(s), fix "${after.applied}" applied, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.equal(diags.ok, true);
  // Neovim shows 0-based byte columns; the CLI prints 1-based byte columns.
  assert.deepEqual(
    diags.items.map((d: any) => [d.code, d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1]),
    cli.map((f: any) => [f.rule, f.line, f.column, f.endLine, f.endColumn]),
  );
  assert.equal(after.applied, 'Buffer the channel: make(..., 1)');
  assert.equal(after.cleared, true);
  assert.match(fs.readFileSync(file, 'utf8'), /outcome := make\(chan error, 1\)/);
});
