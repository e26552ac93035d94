// Protocol tests (issue 13): requests never wait on an analysis when the last snapshot can answer them truly. A
// hover right behind an edit, on an object the edit did not touch, is answered from the last snapshot before
// the analysis of the edit ends; a hover on the object the edit touched waits for that analysis (never an
// answer about text that is gone). Fixture written here; rule ids: SVC-1, EP-1 (endpoints of the pods a
// Service selects), WL-1 (replicas make pods).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { inMemoryClient, type TestClient } from './lsp';

const APP = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;

/** Zero-based position of `needle` (its first occurrence after `anchor`) in `text`, `delta` characters in. */
function posOf(text: string, needle: string, delta = 1, anchor = ''): { line: number; character: number } {
  const at = text.indexOf(needle, text.indexOf(anchor)) + delta;
  const lines = text.slice(0, at).split('\n');
  return { line: lines.length - 1, character: (lines[lines.length - 1] ?? '').length };
}

const hoverText = (h: Hover | null): string => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('requests right behind an edit (issue 13)', () => {
  let dir: string;
  let c: TestClient;
  let uri: string;
  let version = 1;
  let text = APP;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpath-snapshot-'));
    writeFileSync(join(dir, 'app.yaml'), APP);
    // A long debounce: an edit after a quiet spell is still analysed at once, and nothing else is analysed unasked.
    c = await inMemoryClient(dir, { netpath: { debounceMs: 60_000 } });
    await c.waitForStatus((s) => s.state === 'ready');
    uri = pathToFileURL(join(dir, 'app.yaml')).toString();
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    await c.waitForDiagnostics(uri, () => true, 10_000);
  });
  after(async () => {
    await c?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sets the Deployment's replicas (a ranged change, as VS Code sends it); the text's line count is unchanged. */
  const setReplicas = (n: number) => {
    const at = text.indexOf('replicas: ') + 'replicas: '.length;
    const start = posOf(text, 'replicas: ', 'replicas: '.length);
    text = `${text.slice(0, at)}${n}${text.slice(at + 1)}`;
    return c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start, end: { line: start.line, character: start.character + 1 } }, text: String(n) }],
    });
  };

  const serviceName = () => posOf(text, 'name: web', 6, 'kind: Service');
  const deploymentName = () => posOf(text, 'name: web', 6, 'kind: Deployment');
  const hoverAt = async (position: { line: number; character: number }) =>
    (await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position })) as Hover | null;

  test('SVC-1, EP-1, WL-1: right behind an edit, a hover on an object the edit did not touch answers from the last snapshot without waiting; one on the touched object waits for the analysis', async () => {
    await c.waitForModelChanges(0);
    // An edit after a quiet spell is analysed at once...
    let models = c.modelVersions.length;
    await setReplicas(3);
    await c.waitForModelChanges(models, 10_000);
    models = c.modelVersions.length;
    const before = hoverText(await hoverAt(serviceName()));
    assert.match(before, /web\.shop\.svc/, 'the hover is the Service’s');
    // ...the next one, within the (60 s) debounce, waits: its analysis is due, not done.
    await setReplicas(1);
    const during = await hoverAt(serviceName());
    assert.equal(c.modelVersions.length, models, 'the Service’s hover did not wait for (nor force) the analysis of the edit');
    assert.equal(hoverText(during), before, 'the last complete snapshot’s answer about the untouched Service');
    // The Deployment's replicas changed: its hover waits for the analysis (started now, not after the debounce).
    const deployment = hoverText(await hoverAt(deploymentName()));
    assert.ok(c.modelVersions.length > models, 'the touched object’s hover was answered after the analysis of the edit');
    assert.match(deployment, /Deployment `shop\/web`\*\* · 1 pod\b/);
    assert.notEqual(hoverText(await hoverAt(serviceName())), before, 'the Service now has one endpoint, not three');
  });

  test('a hover answered from the last snapshot gives its range in the current text: a line added above shifts it', async () => {
    const models = c.modelVersions.length;
    const old = await hoverAt(serviceName());
    // A comment line added at the top, within the debounce of the last edit: its analysis is due, not done.
    const start = { line: 0, character: 0 };
    text = `# owned by shop\n${text}`;
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start, end: start }, text: '# owned by shop\n' }],
    });
    const shifted = await hoverAt(serviceName());
    assert.equal(c.modelVersions.length, models, 'answered from the last snapshot');
    assert.equal(hoverText(shifted), hoverText(old));
    assert.ok(old?.range && shifted?.range);
    assert.deepEqual(shifted.range, { start: { ...old.range.start, line: old.range.start.line + 1 }, end: { ...old.range.end, line: old.range.end.line + 1 } });
    await c.waitForModelChanges(models, 10_000);
  });
});

describe('cold start: a document open when the server starts (issue 13)', () => {
  let dir: string;
  let c: TestClient;
  after(async () => {
    await c?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('IN-2 first: its own diagnostics are published while the workspace is read, EP-1’s (which need the workspace) once it is analysed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpath-cold-'));
    const own = `${APP.replace('selector: {app: web}', 'selector: {app: nothing}')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n`;
    writeFileSync(join(dir, 'app.yaml'), own);
    for (let i = 0; i < 50; i++)
      writeFileSync(join(dir, `svc-${i}.yaml`), `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: shop}\nspec: {ports: [{port: 80}]}\n`);
    c = await inMemoryClient(dir);
    const uri = pathToFileURL(join(dir, 'app.yaml')).toString();
    // As an editor restoring its tabs: the open document is sent right behind `initialized`.
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: own } });
    await c.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'service-selects-no-pods'), 10_000);
    const log = c.publishLog.filter((p) => p.uri === uri);
    const first = log[0]!;
    assert.equal(first.statusesBefore === 0 || c.statuses[first.statusesBefore - 1]?.state !== 'ready', true, 'published before the workspace was analysed');
    assert.deepEqual(
      [...new Set(first.diagnostics.map((d) => d.code))],
      ['yaml-syntax'],
      'the file alone decides that its YAML does not parse (IN-2); not yet whether the selector matches a pod',
    );
    const last = log[log.length - 1]!.diagnostics.map((d) => d.code);
    assert.ok(last.includes('yaml-syntax') && last.includes('service-selects-no-pods'), `then the full set: ${last.join(', ')}`);
  });
});
