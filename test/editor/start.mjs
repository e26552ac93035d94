// Editor-test layer, interactive: `npm start` — builds (the npm script does), then opens the extension on examples/
// in a real VS Code in the browser (code-server on 127.0.0.1) and prints the URL. Runs until Ctrl-C.
// Must not import the extension, server or model.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerBin, REPO, startCodeServer, WorkbenchError } from './harness.mjs';

const workspaceDir = join(REPO, process.argv[2] ?? 'examples');
if (!existsSync(codeServerBin())) {
  console.error(`code-server is not installed yet: run \`bash test/editor/setup.sh\` once (a few minutes), then \`npm start\` again.`);
  process.exit(1);
}
const port = process.env.PORT ? Number(process.env.PORT) : undefined;
let server;
try {
  server = await startCodeServer({ workspaceDir, name: 'start', port });
} catch (e) {
  console.error(e instanceof WorkbenchError ? e.message : e);
  process.exit(1);
}
console.log(`\nkube-netpath is running in VS Code (code-server) on ${workspaceDir}\n\n  ${server.url}\n\nOpen that URL in a browser on this machine. Ctrl-C stops it. Log: ${server.logPath}\n`);

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
