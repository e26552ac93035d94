// Server layer: the language server's process entry point (bundled to dist/server.js). May import
// vscode-languageserver and ./server; must not import vscode or the client.
// The transport (IPC from the extension, --stdio from other editors and the protocol smoke test) comes from argv.
//
// Over IPC and stdio the process runs two threads (issue 13: requests never wait on analysis): the main thread
// holds the client's channel (lsp/front-door.ts) and answers the hovers it was given answers for; a worker thread
// (this same file) runs the server: the model, the analyses and every other request. The model's heap is the
// worker's: its garbage collections pause the analysis, not the front. Other transports (socket, pipe), and
// NETPATH_ONE_THREAD=1, run the server on the main thread alone.
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, type MessagePort } from 'node:worker_threads';
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  PortMessageReader,
  PortMessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  type Connection,
} from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from './server';
import { OneChunkMessageWriter } from './lsp/one-chunk-writer';
import { openFrontDoor } from './lsp/front-door';
import { ANSWERS_METHOD } from './lsp/answer-messages';

const stdio = process.argv.includes('--stdio');
const ipc = process.argv.includes('--node-ipc');
// dist/server.js sits beside docs/ in the repository and in the packaged extension alike.
const rulesDocument = join(__dirname, '..', 'docs', 'rules.md');

/** Last line of defence: a workspace is untrusted input, and an exception that escaped must cost one answer, not the server. */
function containFailures(say: (message: string) => void): void {
  let reporting = false;
  const report = (what: string, e: unknown): void => {
    if (reporting) return; // a failure to report (a closed pipe) must not report itself in a loop
    reporting = true;
    try {
      say(`kube-netpath: ${what} ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`.slice(0, 4000));
    } catch {
      // nowhere left to say it
    } finally {
      reporting = false;
    }
  };
  process.on('uncaughtException', (e) => report('uncaught exception', e));
  process.on('unhandledRejection', (e) => report('unhandled rejection', e));
}

/** stdout may be the transport (and a worker's stdout is the process's): anything printed there would corrupt the protocol. */
function consoleTo(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  console.debug = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
}

/** The server on `connection`, with the client's input counted as it is read where the transport lets us (nodeClock). */
function serve(connection: Connection, options: ServerOptions): void {
  consoleTo(connection);
  containFailures((m) => connection.console.error(m));
  startServer(connection, { rulesDocument, ...options });
  connection.listen();
}

/** The worker thread: the server, on the port to the front thread. */
function analysisThread(port: MessagePort): void {
  const connection = createConnection(ProposedFeatures.all, new PortMessageReader(port), new PortMessageWriter(port));
  // The front thread forwards each input as one message: counted as it arrives (a second listener only counts).
  let inputsRead = 0;
  port.on('message', () => void inputsRead++);
  serve(connection, {
    inputsRead: () => inputsRead,
    feedAnswers: (message) => void connection.sendNotification(ANSWERS_METHOD, message).catch(() => undefined),
  });
}

/** The main thread: the client's channel, and the analysis thread behind it. */
function frontThread(): void {
  const say = (message: string): void => void process.stderr.write(`${message}\n`);
  console.log = console.info = console.warn = console.error = console.debug = (...args: unknown[]) => say(args.map(String).join(' '));
  containFailures(say);
  const worker = new Worker(__filename, { argv: process.argv.slice(2) });
  // The server exits on the protocol's `exit` (or when the client's process is gone): so does the process.
  worker.on('exit', (code) => process.exit(code));
  worker.on('error', (e) => {
    say(`kube-netpath: the analysis thread failed: ${e.stack ?? e.message}`);
    process.exit(1);
  });
  const reader = stdio ? new StreamMessageReader(process.stdin) : new IPCMessageReader(process);
  const writer = stdio ? new OneChunkMessageWriter(process.stdout) : new IPCMessageWriter(process);
  const front = openFrontDoor(reader, writer, worker, say);
  // The client closed its end without `exit`: as vscode-languageserver does, end with 1 unless it asked for a shutdown.
  const gone = (): never => process.exit(front.shutdownAsked ? 0 : 1);
  if (stdio) {
    process.stdin.on('end', gone);
    process.stdin.on('close', gone);
  } else process.on('disconnect', gone);
}

if (!isMainThread && parentPort) analysisThread(parentPort);
else if ((stdio || ipc) && process.env.NETPATH_ONE_THREAD !== '1') frontThread();
else {
  const connection = stdio
    ? // Each message in one write (lsp/one-chunk-writer.ts). The input stays a stream: for a stream the library
      // installs its exit-when-the-client-closes-stdin handlers. It tells a MessageWriter from a stream at run time
      // (vscode-jsonrpc's isWritableStream), which its overloads do not let us say: hence the cast.
      createConnection(ProposedFeatures.all, process.stdin, new OneChunkMessageWriter(process.stdout) as unknown as NodeJS.WritableStream)
    : createConnection(ProposedFeatures.all);
  // Input from the client, counted as it is read (lsp/analysis-scheduler.ts, nodeClock). The connection reads the
  // same stream; a second listener only counts. Other transports (socket, pipe) go uncounted.
  let inputsRead = 0;
  const countInput = (): void => void inputsRead++;
  if (stdio) process.stdin.on('data', countInput);
  else if (ipc) process.on('message', countInput);
  serve(connection, stdio || ipc ? { inputsRead: () => inputsRead } : {});
}
