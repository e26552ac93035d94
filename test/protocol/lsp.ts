// Protocol-test support: a client that speaks LSP to the real server, in-process over in-memory streams or to the
// bundled dist/server.js over stdio. May import vscode-languageserver(/node), node:* and server/src/server; must
// not import vscode or the client.
import { PassThrough } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import {
  createConnection,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver/node';
import { startServer } from '../../server/src/server';
import type { Notifications } from '../../shared/protocol';

export interface TestClient {
  conn: ProtocolConnection;
  init: InitializeResult;
  diagnostics: Map<string, Diagnostic[]>;
  /** Every publishDiagnostics in arrival order, with how many `netpath/status` had arrived before it. */
  publishLog: { uri: string; diagnostics: Diagnostic[]; statusesBefore: number }[];
  statuses: Notifications['netpath/status'][];
  progress: unknown[];
  /** Versions from `netpath/modelChanged`, in arrival order. */
  modelVersions: number[];
  /** Resolves with the diagnostics of `uri` once `pred` holds for them (they arrive asynchronously). */
  waitForDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  waitForStatus(pred: (s: Notifications['netpath/status']) => boolean, timeoutMs?: number): Promise<Notifications['netpath/status']>;
  /** Resolves once more than `count` `netpath/modelChanged` notifications have arrived. */
  waitForModelChanges(count: number, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

/** Waits for a condition signalled by `subscribe` (no polling, no sleeps). */
function waiter<T>(check: () => T | undefined, listeners: Set<() => void>, what: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const now = check();
    if (now !== undefined) return resolve(now);
    const timer = setTimeout(() => {
      listeners.delete(on);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const on = () => {
      const v = check();
      if (v !== undefined) {
        clearTimeout(timer);
        listeners.delete(on);
        resolve(v);
      }
    };
    listeners.add(on);
  });
}

async function handshake(
  conn: ProtocolConnection,
  rootDir: string,
  settings: Record<string, unknown>,
  close: () => Promise<void>,
  processId: number | null,
  extraWorkspaceCapabilities: Record<string, unknown> = {},
): Promise<TestClient> {
  const diagnostics = new Map<string, Diagnostic[]>();
  const statuses: Notifications['netpath/status'][] = [];
  const progress: unknown[] = [];
  const listeners = new Set<() => void>();
  const fire = () => [...listeners].forEach((l) => l());

  const publishLog: TestClient['publishLog'] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
    diagnostics.set(p.uri, p.diagnostics);
    publishLog.push({ uri: p.uri, diagnostics: p.diagnostics, statusesBefore: statuses.length });
    fire();
  });
  conn.onNotification('netpath/status', (s: Notifications['netpath/status']) => {
    statuses.push(s);
    fire();
  });
  conn.onNotification('$/progress', (p: unknown) => progress.push(p));
  conn.onNotification('window/logMessage', () => undefined);
  const modelVersions: number[] = [];
  conn.onNotification('netpath/modelChanged', (p: Notifications['netpath/modelChanged']) => {
    modelVersions.push(p.version);
    fire();
  });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  // workspace/configuration: answers per section, like VS Code does.
  conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section ? (settings[i.section] ?? null) : null)));
  conn.listen();

  const rootUri = pathToFileURL(rootDir).toString();
  const init = (await conn.sendRequest('initialize', {
    // In-process servers get null: with a pid, the library starts a watchdog interval that keeps node alive.
    processId,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'ws' }],
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, ...extraWorkspaceCapabilities },
      window: { workDoneProgress: true },
    },
  })) as InitializeResult;
  await conn.sendNotification('initialized', {});

  return {
    conn,
    init,
    diagnostics,
    publishLog,
    statuses,
    progress,
    modelVersions,
    waitForDiagnostics: (uri, pred, timeoutMs = 10_000) =>
      waiter(
        () => {
          const d = diagnostics.get(uri);
          return d && pred(d) ? d : undefined;
        },
        listeners,
        `diagnostics of ${uri}`,
        timeoutMs,
      ),
    waitForModelChanges: (count, timeoutMs = 10_000) =>
      waiter(() => (modelVersions.length > count ? modelVersions.length : undefined), listeners, 'netpath/modelChanged', timeoutMs),
    waitForStatus: (pred, timeoutMs = 10_000) => waiter(() => statuses.find(pred), listeners, 'a netpath/status', timeoutMs),
    close,
  };
}

/** The real server, in this process, over in-memory streams wrapped in StreamMessageReader/Writer. */
export async function inMemoryClient(
  rootDir: string,
  settings: Record<string, unknown> = {},
  workspaceCapabilities: Record<string, unknown> = {},
): Promise<TestClient> {
  const up = new PassThrough();
  const down = new PassThrough();
  // Wrapped streams: with raw streams the library would process.exit() when they close.
  const serverConn = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  // The repository's docs/rules.md, as main.ts gives dist/server.js the copy beside it.
  startServer(serverConn, { rulesDocument: join(resolve(__dirname, '../../..'), 'docs', 'rules.md') });
  serverConn.listen();
  const conn = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  return handshake(
    conn,
    rootDir,
    settings,
    async () => {
      await conn.sendRequest('shutdown');
      conn.dispose();
      serverConn.dispose();
      up.end();
      down.end();
    },
    null,
    workspaceCapabilities,
  );
}

/** The bundled server as a child process over stdio (what other editors run). */
export async function stdioClient(
  serverJs: string,
  rootDir: string,
  settings: Record<string, unknown> = {},
): Promise<TestClient & { child: ChildProcess; stderr: () => string; exitCode: Promise<number | null> }> {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exitCode = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const client = await handshake(
    conn,
    rootDir,
    settings,
    async () => {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await exitCode;
      conn.dispose();
    },
    process.pid,
  );
  return { ...client, child, stderr: () => err, exitCode };
}
