// Extension-host test layer (must not import the extension, server or model): the same suite in desktop VS Code through @vscode/test-electron. It downloads VS Code
// unless VSCODE_EXECUTABLE_PATH names one (downloads cannot work on machines without internet beyond the npm
// registry: there, use run-code-server.mjs). Exit code: runTests's.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, REPO } from './build.mjs';

execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });
const suite = await buildSuite();
const ws = mkdtempSync(join(tmpdir(), 'netpath-desktop-'));
cpSync(join(REPO, 'test/editor/workspace'), ws, { recursive: true });
try {
  await runTests({
    ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : {}),
    extensionDevelopmentPath: REPO,
    extensionTestsPath: suite,
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`exthost (desktop VS Code): ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
