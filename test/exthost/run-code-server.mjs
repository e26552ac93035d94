// Extension-host test layer (must not import the extension, server or model): runs test/exthost/suite.ts inside code-server's extension host (the same suite
// @vscode/test-electron runs in desktop VS Code, see run-desktop.mjs). code-server takes `extensionTestsPath`
// from the workbench URL's payload, like extensionDevelopmentPath; the suite writes its results to a file,
// which this script waits for (a condition, not a sleep). Exit code: 0 when every check passed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkbench, waitFor, REPO } from '../editor/harness.mjs';
import { buildSuite } from './build.mjs';

execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });
const suite = await buildSuite();
const resultFile = join(mkdtempSync(join(tmpdir(), 'netpath-exthost-')), 'result.json');

let wb;
let code = 1;
try {
  wb = await startWorkbench({
    workspaceSource: join(REPO, 'test/editor/workspace'),
    name: 'exthost',
    payload: [['extensionTestsPath', `vscode-remote://\${authority}${suite}`]],
    env: { NETPATH_EXTHOST_RESULT: resultFile },
  });
  await waitFor(() => existsSync(resultFile), 'the extension-host suite to finish', 180_000, 200);
  const { results, summary } = JSON.parse(readFileSync(resultFile, 'utf8'));
  for (const r of results) console.log(`${r.ok ? 'ok' : 'not ok'} - ${r.name}${r.error ? `: ${r.error}` : ''}`);
  console.log(`exthost (code-server): ${summary}`);
  code = results.every((r) => r.ok) ? 0 : 1;
} catch (e) {
  console.error(`exthost (code-server): ${e.message}`);
} finally {
  await wb?.close();
}
process.exit(code);
