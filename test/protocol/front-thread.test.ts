// The bundled server over stdio runs the analysis on a worker thread and answers hovers it holds answers for on the
// front thread (server/src/main.ts, lsp/front-door.ts; issue 13). Whichever thread answers, a hover after an
// analysis is that analysis's answer, never an older snapshot's. Must not import vscode or the client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { stdioClient } from './lsp';

const REPO = resolve(__dirname, '../../..');

test('EP-1: the same hover across analyses gives each new snapshot’s endpoints, whichever thread answers', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'netpath-front-'));
  cpSync(join(REPO, 'test/editor/workspace'), ws, { recursive: true });
  const c = await stdioClient(join(REPO, 'dist/server.js'), ws);
  const shopUri = pathToFileURL(join(ws, 'shop.yaml')).toString();
  const serviceText = readFileSync(join(ws, 'service.yaml'), 'utf8');
  const nameAt = serviceText.indexOf('name: storefront') + 'name: '.length + 2;
  const before = serviceText.slice(0, nameAt);
  const position = { line: before.split('\n').length - 1, character: nameAt - (before.lastIndexOf('\n') + 1) };
  const hoverService = async (): Promise<Hover> =>
    (await c.conn.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(join(ws, 'service.yaml')).toString() }, position })) as Hover;
  /** The storefront pods the Service hover lists as endpoints (Deployment storefront's replicas, EP-1). */
  const endpointPods = (h: Hover): number => ((h.contents as MarkupContent).value.match(/`shop\/storefront-[^`]*`/g) ?? []).length;
  let shop = readFileSync(join(ws, 'shop.yaml'), 'utf8');
  let version = 1;
  const edit = async (text: string): Promise<void> => {
    const analysed = c.modelVersions.length;
    shop = text;
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: shopUri, version: ++version }, contentChanges: [{ text }] });
    await c.waitForModelChanges(analysed);
    // The analysis thread makes the front's answers after an analysis, between other work: give it the time to,
    // so that the next hover can come from the front (it is correct from either thread).
    await sleep(300);
  };
  try {
    await c.waitForStatus((s) => s.state === 'ready' && s.services >= 2);
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: shopUri, languageId: 'yaml', version, text: shop } });
    const first = await hoverService();
    assert.equal(endpointPods(first), 2, 'replicas: 2');
    // Analyses that change nothing the Service's hover reads: the same answer each time.
    for (let i = 0; i < 3; i++) {
      await edit(`# edit ${i}\n${shop}`);
      assert.deepEqual(await hoverService(), first);
    }
    // Three replicas: the next analysis's answer names three endpoints, and so does every hover after it.
    await edit(shop.replace(/replicas: 2/, 'replicas: 3'));
    const third = await hoverService();
    assert.equal(endpointPods(third), 3);
    await edit(`# edit 3\n${shop}`);
    assert.deepEqual(await hoverService(), third);
  } finally {
    await c.close();
    rmSync(ws, { recursive: true, force: true });
  }
  assert.equal(await c.exitCode, 0);
  assert.equal(c.stderr(), '');
});
