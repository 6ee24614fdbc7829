// End-to-end test with a real third-party LSP client: headless Neovim starts `barrier-lint lsp --stdio` on a fixture.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, cliPath, ensureDir, fixtureFile, linesCalling, repoRoot, requireFile } from './env';

/** What the Lua side reports: the diagnostics Neovim holds for the buffer at two moments, as plain JSON. */
interface Report {
  error?: string;
  attached: boolean;
  initial: NvimDiagnostic[];
  afterComment: NvimDiagnostic[];
}

interface NvimDiagnostic {
  /** 0-based, as vim.diagnostic stores it. */
  lnum: number;
  col: number;
  code?: string | number;
  source?: string;
  message: string;
}

const rule = 'barrier-without-comment';
const waitMs = 30_000;

/**
 * The Lua config Neovim runs. Neovim 0.7 (Debian 12's) has no vim.lsp.start, so it uses vim.lsp.start_client and
 * vim.lsp.buf_attach_client, which later versions keep. After the first diagnostics arrive it inserts a comment above
 * the uncommented barrier, which Neovim sends as didChange, and waits for that diagnostic to go away.
 */
function luaConfig(file: string, commentLine: number, out: string): string {
  const lua = (value: string | number) => JSON.stringify(value);
  return `-- Written by test/e2e/neovim.e2e.ts: attach barrier-lint to one C file and report its diagnostics as JSON.
local rule = ${lua(rule)}
local report = { attached = false, initial = {}, afterComment = {} }

local function snapshot(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, { lnum = d.lnum, col = d.col, code = d.code or lsp.code, source = d.source, message = d.message })
  end
  return list
end

local function has_rule(bufnr)
  for _, d in ipairs(snapshot(bufnr)) do
    if d.code == rule then return true end
  end
  return false
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(${lua(file)}))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'barrier-lint',
    cmd = { 'node', ${lua(cliPath)}, 'lsp', '--stdio' },
    root_dir = ${lua(path.dirname(file))},
  })
  assert(client_id, 'vim.lsp.start_client returned nil')
  report.attached = vim.lsp.buf_attach_client(bufnr, client_id)
  vim.wait(${waitMs}, function() return has_rule(bufnr) end, 50)
  report.initial = snapshot(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, ${commentLine - 1}, ${commentLine - 1}, false,
    { '\\t/* Order ->data before ->ready; pairs with smp_rmb() in mp_consume(). */' })
  vim.wait(${waitMs}, function() return not has_rule(bufnr) end, 50)
  report.afterComment = snapshot(bufnr)
end)
if not ok then report.error = tostring(err) end
local f = assert(io.open(${lua(out)}, 'w'))
f:write(vim.json.encode(report))
f:close()
vim.cmd('qa!')
`;
}

let scratch = '';
let report: Report;
let uncommented = 0;
let commented = 0;

beforeAll(async () => {
  requireFile(cliPath, 'the built CLI', 'run `npm run build` first');
  scratch = mkdtempSync(path.join(os.tmpdir(), 'barrier-lint-nvim-'));
  // Neovim edits the buffer, so it works on a copy; the expected lines come from the fixture's own text.
  const file = path.join(scratch, path.basename(fixtureFile));
  copyFileSync(fixtureFile, file);
  [uncommented = 0] = linesCalling(file, 'smp_wmb');
  [commented = 0] = linesCalling(file, 'smp_rmb');
  const out = path.join(scratch, 'report.json');
  const config = path.join(scratch, 'init.lua');
  writeFileSync(config, luaConfig(file, uncommented, out));

  const stderr: Buffer[] = [];
  const nvim = spawn('nvim', ['--headless', '--clean', '-c', `luafile ${config}`], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, XDG_STATE_HOME: scratch, XDG_CACHE_HOME: scratch, NVIM_LOG_FILE: path.join(scratch, 'nvim.log') },
  });
  nvim.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      nvim.kill('SIGKILL');
      reject(new Error(`nvim did not exit within ${3 * waitMs} ms; stderr:\n${Buffer.concat(stderr).toString()}`));
    }, 3 * waitMs);
    nvim.on('error', reject);
    nvim.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(code, `nvim stderr:\n${Buffer.concat(stderr).toString()}`).toBe(0);
  const text = readFileSync(out, 'utf8');
  writeFileSync(path.join(ensureDir(artifactsDir), 'neovim-report.json'), text);
  report = JSON.parse(text) as Report;
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('Neovim as the LSP client', () => {
  it('attaches to the server without a Lua error', () => {
    expect(report.error).toBeUndefined();
    expect(report.attached).toBe(true);
  });

  it('receives barrier-without-comment on the uncommented barrier and not on the commented one', () => {
    const lines = report.initial.filter((d) => d.code === rule).map((d) => d.lnum + 1);
    expect(lines).toContain(uncommented);
    expect(lines).not.toContain(commented);
  });

  it('drops the diagnostic after a comment is typed above the barrier', () => {
    expect(report.afterComment.filter((d) => d.code === rule)).toEqual([]);
  });
});
