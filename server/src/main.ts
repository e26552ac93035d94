// Server layer: the language server's process entry point (bundled to dist/server.js). May import
// vscode-languageserver and ./server; must not import vscode or the client.
// The transport (IPC from the extension, --stdio from other editors and the protocol smoke test) comes from argv.
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { OneChunkMessageWriter } from './lsp/one-chunk-writer';

const stdio = process.argv.includes('--stdio');
const connection = stdio
  ? // Each message in one write (lsp/one-chunk-writer.ts). The input stays a stream: for a stream the library
    // installs its exit-when-the-client-closes-stdin handlers. It tells a MessageWriter from a stream at run time
    // (vscode-jsonrpc's isWritableStream), which its overloads do not let us say: hence the cast.
    createConnection(ProposedFeatures.all, process.stdin, new OneChunkMessageWriter(process.stdout) as unknown as NodeJS.WritableStream)
  : createConnection(ProposedFeatures.all);

// stdout may be the transport: anything printed there would corrupt the protocol. Route console to the client.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
console.debug = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));

// Last line of defence: every handler and analysis step contains its own failures (server.ts), but a
// workspace is untrusted input, and an exception that still escaped must cost one answer, not the server
// (the client would restart it, and a hostile file would make it crash again, forever).
let reporting = false;
const report = (what: string, e: unknown): void => {
  if (reporting) return; // a failure to report (a closed pipe) must not report itself in a loop
  reporting = true;
  try {
    connection.console.error(`kube-netpath: ${what} ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`.slice(0, 4000));
  } catch {
    // nowhere left to say it
  } finally {
    reporting = false;
  }
};
process.on('uncaughtException', (e) => report('uncaught exception', e));
process.on('unhandledRejection', (e) => report('unhandled rejection', e));

// Input from the client, counted as it is read, so that an analysis lets a request that just came in be dispatched
// before its next slice (lsp/analysis-scheduler.ts, nodeClock). The connection reads the same stream; a second
// listener only counts. Other transports (socket, pipe) go uncounted: the scheduler's turns still cover most cases.
let inputsRead = 0;
const countInput = (): void => void inputsRead++;
const counted = stdio || process.argv.includes('--node-ipc');
if (stdio) process.stdin.on('data', countInput);
else if (counted) process.on('message', countInput);

// dist/server.js sits beside docs/ in the repository and in the packaged extension alike.
startServer(connection, { rulesDocument: join(__dirname, '..', 'docs', 'rules.md'), ...(counted ? { inputsRead: () => inputsRead } : {}) });
connection.listen();
