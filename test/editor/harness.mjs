// Editor-test layer: drives a real VS Code workbench (code-server from npm) in Debian's chromium through
// playwright-core. Must not import the extension, the server or the model: it sees only what a user sees.
// Every wait is on a condition (an element, an HTTP answer, a process exit), never a fixed sleep.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = join(REPO, 'test-results');
const CODE_SERVER_VERSION = '4.100.3';

export function codeServerBin() {
  const dir =
    process.env.NETPATH_CODE_SERVER_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kube-netpath', `code-server-${CODE_SERVER_VERSION}`);
  return join(dir, 'node_modules', '.bin', 'code-server');
}

export function chromiumBin() {
  return process.env.NETPATH_CHROMIUM ?? '/usr/bin/chromium';
}

/** Fails with a message that says how to fix it, instead of a stack trace from deep inside Playwright. */
export class WorkbenchError extends Error {}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Resolves when `check()` returns a truthy value; rejects with `what` after `timeoutMs`. Polls, no fixed sleep. */
export async function waitFor(check, what, timeoutMs = 60_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      if (e instanceof WorkbenchError) throw e; // a definite failure (process gone): no point waiting on
      lastError = e;
    }
    if (Date.now() > deadline) throw new WorkbenchError(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const USER_SETTINGS = {
  'editor.hover.delay': 100,
  'editor.hover.sticky': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'workbench.colorTheme': 'Default Dark Modern',
};

/**
 * Starts code-server (no browser) with the extension under development, on `workspaceDir` as it is, or on a
 * fresh copy of `workspaceSource`. Resolves once /healthz answers; `close()` ends its whole process tree.
 */
export async function startCodeServer({
  workspaceDir,
  workspaceSource,
  name = 'editor',
  settings = {},
  port: wantedPort,
  payload: extraPayload = [],
  env = {},
  vsix,
} = {}) {
  const bin = codeServerBin();
  if (!existsSync(bin)) throw new WorkbenchError(`code-server not found at ${bin}: run \`bash test/editor/setup.sh\` first`);
  if (!existsSync(join(REPO, 'dist/extension.js'))) throw new WorkbenchError('dist/extension.js missing: run `npm run build` first');
  mkdirSync(RESULTS, { recursive: true });

  const root = mkdtempSync(join(tmpdir(), `netpath-${name}-`));
  const dirs = {
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    workspace: workspaceDir ?? join(root, 'workspace'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  // A copy, so that a test's edits never touch the repository.
  if (workspaceSource && !workspaceDir) cpSync(workspaceSource, dirs.workspace, { recursive: true });

  // A packaged extension is installed as a user would (`--install-extension`), and no development copy is loaded.
  if (vsix) {
    const r = spawnSync(bin, ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, NODE_OPTIONS: '' },
    });
    if (r.status !== 0) throw new WorkbenchError(`code-server --install-extension ${vsix} failed: ${r.stdout}${r.stderr}`);
  }
  const port = wantedPort ?? (await freePort());
  const logPath = join(RESULTS, `${name}-code-server.log`);
  const logStream = createWriteStream(logPath);
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    dirs.workspace,
  ];
  // detached: its own process group, so close() can end code-server and everything it spawned
  // (server, file watcher, extension host, our language server) with one signal to the group.
  const child = spawn(bin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, NODE_OPTIONS: '' },
  });
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  // If this process ends without close() (an uncaught error, process.exit), the group must not outlive it:
  // a leftover code-server keeps its port and its language servers running.
  const reap = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', reap);

  // code-server's CLI has no --extensionDevelopmentPath; the web workbench takes it from the `payload` query
  // parameter (as VS Code does when it opens an Extension Development Host window), as a URI on the remote.
  const development = vsix ? [] : [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${REPO}`]];
  const payload = JSON.stringify([...development, ...extraPayload.map(([k, v]) => [k, v.replace('${authority}', `127.0.0.1:${port}`)])]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (exited === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await waitFor(() => exited !== null, 'code-server to exit', 10_000).catch(() => undefined);
    }
    // Stragglers of the group (a language server that ignored SIGTERM) go too.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* group empty: good */
    }
    process.removeListener('exit', reap);
    logStream.end();
    if (!process.env.NETPATH_KEEP_TMP) rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (exited) throw new WorkbenchError(`code-server exited (${JSON.stringify(exited)}) before it was healthy; see ${logPath}`);
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        return r.ok;
      },
      `code-server /healthz on port ${port} (log: ${logPath})`,
      60_000,
      200,
    );
  } catch (e) {
    await close();
    throw e;
  }
  return { url, port, dirs, logPath, close, exited: () => exited };
}

/**
 * Starts code-server with the extension under development on a copy of `workspaceSource`, and chromium on it.
 * Returns helpers and `close()`, which ends every process it started (by process group) and removes temp dirs.
 */
export async function startWorkbench({ workspaceSource, name = 'editor', settings = {}, payload = [], env = {}, vsix } = {}) {
  if (!existsSync(chromiumBin()))
    throw new WorkbenchError(`chromium not found at ${chromiumBin()}: run \`bash test/editor/setup.sh\` (Debian package chromium)`);
  const server = await startCodeServer({ workspaceSource, name, settings, payload, env, vsix });
  let browser;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server.close();
  };
  try {
    browser = await chromium.launch({
      executablePath: chromiumBin(),
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    // Clipboard access for the code-server origin: the trace panel's "Copy as text" is checked by reading it back.
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const dialogs = [];
    // An alert() from injected markup would show up here: tests assert there is none.
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return makeWorkbench({ page, browser, url: server.url, close, dirs: server.dirs, logPath: server.logPath, dialogs, name });
  } catch (e) {
    await close();
    if (e instanceof WorkbenchError) throw e;
    throw new WorkbenchError(`the workbench could not start: ${e.message} (code-server log: ${server.logPath})`);
  }
}

function makeWorkbench({ page, browser, url, close, dirs, logPath, dialogs, name }) {
  const wb = {
    page,
    browser,
    url,
    close,
    dirs,
    logPath,
    dialogs,

    async screenshot(label) {
      const path = join(RESULTS, `${name}-${label}.png`);
      await page.screenshot({ path });
      return path;
    },

    /** Opens a workspace file (a click in the Explorer when it shows the file, else Quick Open); waits for its editor. */
    async openFile(fileName) {
      await wb.focusWorkbench();
      // Files open in the first editor group, so that a panel beside it stays visible.
      await page.keyboard.press('Control+1');
      const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${fileName}"]`).first();
      if (await row.isVisible()) {
        await row.dblclick(); // a double click opens it pinned and moves focus into its editor
      } else {
        await page.keyboard.press('Control+P');
        const widget = page.locator('.quick-input-widget');
        const input = widget.locator('input[placeholder^="Search files"]');
        await input.waitFor();
        await input.fill(fileName);
        await widget.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
        await page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden' });
      }
      await page.locator(`.tab.active[aria-label*="${fileName}"]`).waitFor();
      await page.locator('.editor-instance .monaco-editor.focused').waitFor();
    },

    /**
     * Moves keyboard focus out of any webview (key presses inside its iframe would go to the panel): Escape
     * closes pickers and hovers; clicking the active editor's tab focuses that editor without moving its cursor.
     */
    async focusWorkbench() {
      await page.keyboard.press('Escape');
      const inWebview = await page.evaluate(() => document.activeElement?.tagName === 'IFRAME' || document.activeElement === document.body);
      if (!inWebview) return;
      const tab = page.locator('.editor-group-container.active .tab.active').first();
      if (await tab.isVisible()) await tab.click();
      else
        await page
          .locator('.part.editor')
          .first()
          .click({ position: { x: 5, y: 5 } });
    },

    /**
     * Opens the command palette filtered to `title`; returns the first matching row's locator. On a cold
     * machine the palette can close again before it is typed into (a webview taking focus as it loads hides
     * it: seen in CI as "element is not visible"); each step has a short deadline and the whole is retried.
     */
    async paletteRow(title, { rowTimeout = 10_000 } = {}) {
      const input = page.locator('.quick-input-widget input');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      for (let attempt = 1; ; attempt++) {
        try {
          await wb.focusWorkbench();
          await page.keyboard.press('F1');
          await input.waitFor({ timeout: 5_000 });
          await input.fill(`>${title}`, { timeout: 5_000 });
          await row.waitFor({ timeout: rowTimeout });
          // Still the palette, still filtered to this title: the row belongs to this attempt.
          if ((await input.inputValue({ timeout: 1_000 })) === `>${title}`) return row;
        } catch (error) {
          if (attempt >= 4) throw error;
        }
        await page.keyboard.press('Escape');
        await page.waitForTimeout(300 * attempt);
      }
    },

    /** Runs a command by its palette title; returns once Enter has been pressed on its row. */
    async runCommand(title) {
      await wb.paletteRow(title);
      await page.keyboard.press('Enter');
    },

    /** Whether the palette lists a command with this title (closes the palette after looking). */
    async paletteHas(title) {
      const row = await wb.paletteRow(title, { rowTimeout: 15_000 }).catch(() => undefined);
      const found = row !== undefined;
      const text = found ? await row.textContent() : '';
      await page.keyboard.press('Escape');
      return found ? text : false;
    },

    /** Moves the mouse over the first visible occurrence of `word` in the active editor and returns the hover's text. */
    async hover(word, { contains } = {}) {
      const token = page.locator('.monaco-editor .view-lines span span', { hasText: new RegExp(`^${escapeRe(word)}$`) }).first();
      await token.waitFor();
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
      // Hovers can be dismissed by focus changes; wiggle onto the token until the wanted content shows. The token is
      // measured on every try: a code lens arriving above its line after the first try moves it down.
      return waitFor(
        async () => {
          const box = await token.boundingBox();
          if (!box) return false; // scrolled away or laid out again: try again
          await page.mouse.move(box.x + 2, box.y + box.height / 2);
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          await hover.waitFor({ timeout: 2_000 });
          const text = await hover.innerText();
          return contains === undefined || text.includes(contains) ? text : false;
        },
        `a hover over "${word}"${contains ? ` containing "${contains}"` : ''}`,
        30_000,
        50,
      );
    },

    /** Puts the cursor on the first occurrence of `word` in the active editor. */
    async clickWord(word) {
      const token = page.locator('.monaco-editor .view-lines span span', { hasText: new RegExp(`^${escapeRe(word)}$`) }).first();
      await token.click();
    },

    /** The webview's document: two iframes deep (`iframe.webview` → `iframe#active-frame`). */
    webview() {
      return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    },

    /** Picks the quick pick row containing `text`, or the first row (the default) when text is undefined. */
    async quickPick(text) {
      const widget = page.locator('.quick-input-widget');
      const input = widget.locator('input');
      await input.waitFor();
      // The pick reuses the palette's widget: on a cold machine it can still be the palette for a moment.
      await waitFor(
        async () => (await input.getAttribute('placeholder'))?.startsWith('Type the name of a command') !== true,
        'the pick to replace the palette',
        10_000,
      ).catch(() => undefined);
      const title = await widget
        .locator('.quick-input-title')
        .innerText()
        .catch(() => '');
      if (text !== undefined) {
        await input.fill(text);
        await widget.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor();
      } else {
        await widget.locator('.quick-input-list .monaco-list-row').first().waitFor();
      }
      await page.keyboard.press('Enter');
      // The next pick reuses the same widget: wait until this one is gone (hidden, or a new title).
      await waitFor(
        async () =>
          !(await widget.isVisible()) ||
          (await widget
            .locator('.quick-input-title')
            .innerText()
            .catch(() => '')) !== title,
        'the quick pick to close',
        10_000,
        50,
      );
    },

    async statusBarText(pattern) {
      const item = page.locator('.statusbar-item', { hasText: pattern }).first();
      await item.waitFor({ timeout: 60_000 });
      return item.innerText();
    },
  };
  return wb;
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
