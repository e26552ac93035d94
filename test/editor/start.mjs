// Editor-test layer, interactive: `npm start` — builds (the npm script does), then opens the extension on examples/
// in a real VS Code in the browser (code-server on 127.0.0.1) and prints the URL. Runs until Ctrl-C.
// Must not import the extension, server or model.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumBin, codeServerBin, REPO, startCodeServer, WorkbenchError } from './harness.mjs';

const workspaceDir = join(REPO, process.argv[2] ?? 'examples');
// First run on a machine: install what the workbench needs (setup.sh is idempotent and says what it does).
if (!existsSync(codeServerBin()) || !existsSync(chromiumBin())) {
  console.log(
    "kube-netpath: first run — installing code-server 4.100.3 into ~/.cache/kube-netpath and Debian's chromium\n" +
      '(bash test/editor/setup.sh; apt-get needs root or sudo). About 1.5-3 minutes the first time (native modules build), instant afterwards.\n',
  );
  const setup = spawnSync('bash', [join(REPO, 'test/editor/setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) {
    console.error(`setup failed (exit ${setup.status ?? setup.signal}); fix the error above and run \`npm start\` again.`);
    process.exit(1);
  }
}
const port = process.env.PORT ? Number(process.env.PORT) : undefined;
let server;
try {
  server = await startCodeServer({ workspaceDir, name: 'start', port });
} catch (e) {
  console.error(e instanceof WorkbenchError ? e.message : e);
  process.exit(1);
}
console.log(
  `\nkube-netpath is running in VS Code (code-server) on ${workspaceDir}\n\n  ${server.url}\n\nOpen that URL in a browser on this machine. Ctrl-C stops it. Log: ${server.logPath}\n`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Stay alive while code-server runs; if it dies on its own, say so and exit non-zero.
const timer = setInterval(() => {
  const ex = server.exited();
  if (ex) {
    console.error(`code-server stopped (${JSON.stringify(ex)}); see ${server.logPath}`);
    clearInterval(timer);
    process.exit(1);
  }
}, 1000);
