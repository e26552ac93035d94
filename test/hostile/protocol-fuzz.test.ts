// Hostile-input tests (Node): deterministic fuzzing of the LSP messages the server handles. Each round sends a
// notification or request whose params are well-formed, half-formed or nonsense JSON; afterwards the server must
// still be up, still analyse a real edit and still answer a hover. Must not import vscode. Issue 8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { inMemoryClient } from '../protocol/lsp';
import { rng } from '../support/mutate';
import { SERVICE, workspace } from './inputs';

const NOTIFICATIONS = [
  'textDocument/didOpen',
  'textDocument/didChange',
  'textDocument/didClose',
  'textDocument/didSave',
  'workspace/didChangeWatchedFiles',
  'workspace/didChangeWorkspaceFolders',
  'workspace/didChangeConfiguration',
];
const REQUESTS = [
  'textDocument/hover',
  'textDocument/codeLens',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/codeAction',
  'netpath/trace',
  'netpath/traceTargets',
];

/** A random JSON value, biased towards the shapes the handlers look into. */
function value(r: () => number, uri: string, depth = 0): unknown {
  const pick = Math.floor(r() * 12);
  if (depth > 3) return pick % 2 ? null : 'x';
  switch (pick) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 2 ** 31) * (r() < 0.5 ? -1 : 1);
    case 2:
      return r() < 0.5 ? uri : 'not a uri \u0000 `evil`';
    case 3:
      return [value(r, uri, depth + 1), value(r, uri, depth + 1)];
    case 4:
      return { uri: value(r, uri, depth + 1), text: value(r, uri, depth + 1), version: value(r, uri, depth + 1) };
    case 5:
      return { textDocument: value(r, uri, depth + 1), contentChanges: value(r, uri, depth + 1), position: value(r, uri, depth + 1) };
    case 6:
      return { changes: r() < 0.5 ? null : [{ uri: value(r, uri, depth + 1), type: Math.floor(r() * 5) }] };
    case 7:
      return { event: { added: value(r, uri, depth + 1), removed: value(r, uri, depth + 1) } };
    case 8:
      return { line: value(r, uri, depth + 1), character: value(r, uri, depth + 1) };
    case 9:
      return { from: value(r, uri, depth + 1), to: value(r, uri, depth + 1), port: value(r, uri, depth + 1) };
    case 10:
      return 'apiVersion: v1\nkind: Service\nmetadata: {name: [';
    default:
      return { settings: value(r, uri, depth + 1) };
  }
}

test('2,000 fuzzed notifications and requests: the server stays up, analyses the next real edit and answers a hover (issue 8)', async () => {
  const dir = workspace({ 'svc.yaml': SERVICE('web') });
  const uri = pathToFileURL(join(dir, 'svc.yaml')).toString();
  const c = await inMemoryClient(dir);
  try {
    await c.waitForStatus((s) => s.state === 'ready');
    const r = rng(20261204);
    const pending: Promise<unknown>[] = [];
    for (let round = 0; round < 2000; round++) {
      const params = value(r, uri);
      if (r() < 0.6) await c.conn.sendNotification(NOTIFICATIONS[Math.floor(r() * NOTIFICATIONS.length)]!, params);
      // A request may be answered with an error (invalid params): that is an answer, not a crash.
      else pending.push(c.conn.sendRequest(REQUESTS[Math.floor(r() * REQUESTS.length)]!, params).catch(() => undefined));
    }
    await Promise.all(pending);
    const text = SERVICE('web').replace('port: 80', 'port: 8443');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 10_000, text } });
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 10_001 }, contentChanges: [{ text }] });
    const versions = c.modelVersions.length;
    await c.waitForModelChanges(versions - 1);
    const h = (await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 8 } })) as Hover | null;
    assert.ok(h, 'no hover after the fuzzing');
    assert.match((h.contents as MarkupContent).value, /8443\/TCP/);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
