// End-to-end test in a real VS Code: code-server with the packaged .vsix, driven headless through Chromium.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  chromiumBin,
  codeServerBin,
  ensureDir,
  fixtureFile,
  fixtureWorkspace,
  flagBoxFixture,
  litmusFixture,
  freeLoopbackPort,
  linesCalling,
  node24Home,
  requireFile,
  requireSetupTool,
  screenshotsDir,
  vsixPath,
  waitFor,
} from './env';

/** The flags the team runs Debian's Chromium with: headless, no network side traffic, fresh profile per run. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * User settings for a quiet, deterministic workbench. Workspace trust stays enabled and the startup prompt is off,
 * so the fixture folder opens untrusted, in Restricted Mode, without a modal dialog in front of it.
 */
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'window.commandCenter': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.hover.delay': 100,
  'editor.minimap.enabled': false,
  'files.hotExit': 'off',
};

let scratch = '';
let codeServer: ChildProcess | undefined;
let context: BrowserContext | undefined;
let page: Page;

/** code-server runs on Node 24 from the e2e cache; nothing else in the run uses that Node. */
function codeServerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${path.join(node24Home, 'bin')}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(scratch, 'config'),
    XDG_DATA_HOME: path.join(scratch, 'data'),
  };
}

function codeServerDirs(): string[] {
  return ['--user-data-dir', path.join(scratch, 'user-data'), '--extensions-dir', path.join(scratch, 'extensions')];
}

async function screenshot(name: string, publish = false): Promise<void> {
  const file = path.join(ensureDir(artifactsDir), `code-server-${name}.png`);
  await page.screenshot({ path: file });
  if (publish) copyFileSync(file, path.join(ensureDir(screenshotsDir), `${name}.png`));
}

/** Runs a workbench command by its title through the command palette, as a person would. */
async function runCommand(title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // F1 right after another widget closes is sometimes swallowed while focus moves, so the palette gets a few tries;
  // Escape first closes whatever an earlier step left open (a focused hover swallows F1).
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  // Enter takes the highlighted row, so wait until the filter has put ours there (the unfiltered list comes first).
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
  await page.keyboard.press('Enter');
}

beforeAll(async () => {
  requireFile(vsixPath, 'the packaged extension', 'run `npm run package` first');
  requireSetupTool(codeServerBin, 'code-server');
  requireSetupTool(path.join(node24Home, 'bin/node'), 'Node 24');
  requireSetupTool(chromiumBin, 'Chromium');

  scratch = mkdtempSync(path.join(os.tmpdir(), 'barrier-lint-code-server-'));
  const userDir = path.join(scratch, 'user-data/User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(userSettings, null, 2));

  const install = spawnSync(codeServerBin, [...codeServerDirs(), '--install-extension', vsixPath], {
    env: codeServerEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(install.status, `code-server --install-extension failed:\n${install.stdout}\n${install.stderr}`).toBe(0);
  expect(install.stdout).toMatch(/successfully installed/);

  const port = await freeLoopbackPort();
  const log = createWriteStream(path.join(ensureDir(artifactsDir), 'code-server.log'));
  codeServer = spawn(
    codeServerBin,
    [
      ...codeServerDirs(),
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { env: codeServerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  codeServer.stdout?.pipe(log);
  codeServer.stderr?.pipe(log);

  const base = `http://127.0.0.1:${port}`;
  await waitFor('code-server to answer /healthz', 60_000, async () => {
    if (codeServer?.exitCode !== null) throw new Error(`code-server exited with ${codeServer?.exitCode}; see ${artifactsDir}/code-server.log`);
    return fetch(`${base}/healthz`).then(
      (response) => (response.ok ? true : undefined),
      () => undefined,
    );
  });

  context = await chromium.launchPersistentContext(path.join(scratch, 'chromium-profile'), {
    executablePath: chromiumBin,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 850 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  // The workbench edits files (the quick fix), so it opens a copy of the fixture folder.
  const workspace = path.join(scratch, 'workspace');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await context?.close();
  // code-server was started in its own process group so its extension host and our server end with it.
  if (codeServer?.pid !== undefined && codeServer.exitCode === null) process.kill(-codeServer.pid, 'SIGTERM');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A failed step keeps a picture of the workbench as it was, which usually says why at a glance. */
afterEach(async (test) => {
  if (test.task.result?.state === 'fail') {
    await screenshot(`failed-${test.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
  }
});

/**
 * Opens a file of the fixture folder through Go to File, as a person would, and waits for `text` to show; the editor
 * renders only the lines in view, so `text` must be near the top.
 */
async function openFixture(file: string, text: string): Promise<void> {
  await runCommand('Go to File...');
  await page.keyboard.type(path.basename(file));
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: path.basename(file) }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-line', { hasText: text }).first().waitFor();
}

/**
 * Shows the hover on the first editor token that reads exactly `token` and returns the text of the hover parts that came from
 * hover providers. Diagnostics render in the same widget as a separate marker part, which this leaves out, so the
 * text is our server's hover and nothing else (no other extension provides hovers in this workbench).
 */
async function providerHoverText(token: string): Promise<string> {
  // The cursor goes on the token and the hover comes from the keyboard command: a synthetic mouse hover is not
  // reliably picked up by the editor, and the result looks the same.
  await page.locator('.monaco-editor .view-line span', { hasText: new RegExp(`^${token}$`) }).first().click();
  await runCommand('Show or Focus Hover');
  // The workbench keeps hidden hover widgets around, so only a visible provider part counts.
  const part = page.locator('.monaco-hover .markdown-hover').filter({ visible: true }).first();
  await part.waitFor({ timeout: 30_000 });
  return part.innerText();
}

describe('kernel-barrier-lint in code-server', () => {
  it('opens the fixture folder in Restricted Mode', async () => {
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await screenshot('restricted-mode');
  });

  it('shows barrier-without-comment in the Problems panel on the uncommented barrier only', async () => {
    await openFixture(fixtureFile, 'smp_wmb');
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'barrier-without-comment' });
    await rows.first().waitFor({ timeout: 60_000 });
    const texts = await rows.allInnerTexts();
    const [uncommented] = linesCalling(fixtureFile, 'smp_wmb');
    const [commented] = linesCalling(fixtureFile, 'smp_rmb');
    expect(texts.some((text) => text.includes(`Ln ${uncommented},`))).toBe(true);
    expect(texts.some((text) => text.includes(`Ln ${commented},`))).toBe(false);
    await screenshot('problems');
  });

  it('shows the diagnostic and our hover with the pairing on the uncommented barrier', async () => {
    const hover = await providerHoverText('smp_wmb');
    // The fixture's smp_wmb() in mp_publish() pairs with the smp_rmb() in mp_consume().
    expect(hover).toContain('smp_wmb');
    expect(hover).toContain('smp_rmb');
    const marker = page.locator('.monaco-hover .marker').filter({ visible: true }).first();
    await expect(marker.innerText()).resolves.toContain('barrier-without-comment');
    await screenshot('diagnostic-hover', true);
  });

  it('shows the simulator verdict when hovering a litmus test header', async () => {
    await openFixture(litmusFixture, 'mp-wmb-rmb');
    const hover = await providerHoverText('mp-wmb-rmb');
    // Message passing with smp_wmb()/smp_rmb() is forbidden by the LKMM: no allowed execution satisfies `exists`.
    expect(hover).toContain('LKMM simulator');
    expect(hover).toMatch(/\bNever\b/);
    await screenshot('litmus-hover', true);
  });

  it('offers the preferred quick fix for a missing barrier, and applying it clears the file of problems', async () => {
    const name = path.basename(flagBoxFixture);
    await openFixture(flagBoxFixture, 'box_fill');
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'missing-barrier' });
    await problem.first().waitFor({ timeout: 60_000 });
    // Opening the problem selects its range in the editor; Ctrl+. then lists the server's code actions for it. On a
    // loaded machine the first list can come before the actions do (the widget does not ask again): close it and ask
    // again, a few times.
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Add smp_rmb()' });
    for (let attempt = 1; ; attempt++) {
      await problem.first().dblclick();
      await page.locator('.monaco-editor.focused').first().waitFor();
      await page.keyboard.press('Control+Period');
      try {
        await fix.first().waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 4) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await screenshot('quick-fix', true);
    await fix.first().click();
    await page.locator('.monaco-editor .view-line', { hasText: 'smp_rmb();' }).first().waitFor();
    // The file's row leaves the Problems panel once the re-analysis of the edited text publishes no findings.
    await page.locator('.markers-panel .monaco-list-row', { hasText: name }).first().waitFor({ state: 'detached', timeout: 60_000 });
    await screenshot('quick-fix-applied');
  });

  it('runs a litmus test from its CodeLens and shows the herd-format result', async () => {
    await openFixture(litmusFixture, 'mp-wmb-rmb');
    await page.locator('.codelens-decoration a', { hasText: 'Run litmus test' }).first().click();
    const observation = page.locator('.monaco-editor .view-line', { hasText: 'Observation mp-wmb-rmb' }).first();
    await observation.waitFor({ timeout: 60_000 });
    // The editor renders spaces as no-break spaces.
    expect((await observation.innerText()).replace(/\s+/g, ' ')).toMatch(/Observation mp-wmb-rmb Never 0 \d+/);
    await screenshot('litmus-run', true);
  });

  it('runs the scenario of the barrier at the cursor and shows the simulator forbidding the bad outcome', async () => {
    await openFixture(fixtureFile, 'smp_wmb');
    // Room for the source and the result side by side, as the README's picture shows them.
    await runCommand('View: Toggle Panel Visibility');
    await runCommand('View: Toggle Primary Side Bar Visibility');
    await page.locator('.monaco-editor .view-line span', { hasText: /^smp_wmb$/ }).first().click();
    await runCommand('Barrier Lint: Run Scenario for Barrier at Cursor');
    // The result document opens with the pairing's summary on top, then the generated litmus test and herd's output.
    const summary = page.locator('.monaco-editor .view-line', { hasText: 'mp_publish()' }).filter({ hasText: 'forbids' });
    await summary.first().waitFor({ timeout: 60_000 });
    // The document opens beside the source without taking focus; the verdict is at its end.
    await summary.first().click();
    await page.keyboard.press('Control+End');
    const observation = page.locator('.monaco-editor.focused .view-line', { hasText: 'Observation' }).first();
    await observation.waitFor();
    expect((await observation.innerText()).replace(/\s+/g, ' ')).toMatch(/Observation \S+ Never 0 \d+/);
    await screenshot('scenario-run', true);
  });
});
