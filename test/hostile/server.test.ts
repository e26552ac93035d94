// Hostile-input tests (Node): the real language server over LSP given what a cloned repository or a misbehaving
// client could send. Cases that once froze the server run the bundled dist/server.js as a child (a freeze then
// times out instead of hanging this process); each asserts a bound, a clear diagnostic or log line, and a hover
// answered afterwards. Must not import vscode. Issue 8; rules IN-1, IN-2, CL-1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { inMemoryClient, stdioClient, type TestClient } from '../protocol/lsp';
import { json, netpath } from '../support/cli';
import { bigService, cyclicAlias, manyAliases, SERVICE, workspace } from './inputs';

/** The bundled server; NETPATH_SERVER points the tests at another build (to show a test fails on older code). */
const SERVER = process.env.NETPATH_SERVER ?? resolve(__dirname, '../../server.js');
const uriOf = (dir: string, f: string) => pathToFileURL(join(dir, f)).toString();

/** The hover on `name: <name>` of svc.yaml's Service: proof that the server still answers. */
async function hoverOnService(c: TestClient, dir: string, name: string): Promise<string> {
  const h = (await c.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: uriOf(dir, 'svc.yaml') },
    position: { line: 3, character: 8 },
  })) as Hover | null;
  assert.ok(h, 'no hover');
  const value = (h.contents as MarkupContent).value;
  assert.match(value, new RegExp(`Service .*default/${name}`));
  return value;
}

/**
 * The [start, end) of each CommonMark inline code span in `md`: a run of n backticks opens one, the next
 * run of exactly n closes it; a run without a closing match is literal text.
 */
function codeSpans(md: string): [number, number][] {
  const runs = [...md.matchAll(/`+/g)].map((m) => ({ at: m.index, n: m[0].length }));
  const spans: [number, number][] = [];
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    const close = runs.findIndex((r, j) => j > i && r.n === open.n);
    if (close < 0) continue;
    spans.push([open.at + open.n, runs[close]!.at]);
    i = close;
  }
  return spans;
}

/** Runs `body` with a stdio server on `dir`, failing (and killing the child) if it takes longer than `ms`. */
async function withStdioServer(dir: string, settings: Record<string, unknown>, ms: number, body: (c: TestClient) => Promise<void>): Promise<void> {
  const c = await stdioClient(SERVER, dir, settings);
  let froze = false;
  const timer = setTimeout(() => {
    froze = true;
    c.child.kill('SIGKILL');
  }, ms);
  let ok = false;
  try {
    await body(c);
    ok = true;
  } finally {
    clearTimeout(timer);
    // A server that failed the test may be frozen: a shutdown request would never be answered.
    if (ok) await c.close();
    else c.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(!froze, `the server was killed after ${ms} ms: it froze`);
}

test('an alias bomb profile: the server stays up, says why in the profile, and answers a hover (CL-1, IN-2)', async () => {
  const dir = workspace({ 'netpath.cluster.yaml': cyclicAlias, 'svc.yaml': SERVICE('web') });
  await withStdioServer(dir, {}, 20_000, async (c) => {
    const d = await c.waitForDiagnostics(uriOf(dir, 'netpath.cluster.yaml'), (x) => x.length > 0, 15_000);
    assert.match(d[0]!.message, /contains it/);
    await hoverOnService(c, dir, 'web');
  });
});

test('16,000 aliases in one manifest: indexed in well under the 18 s it once took, hover answered (IN-2)', async () => {
  const dir = workspace({ 'many.yaml': manyAliases(16_000), 'svc.yaml': SERVICE('web') });
  await withStdioServer(dir, {}, 20_000, async (c) => {
    const t0 = performance.now();
    await c.waitForStatus((s) => s.state === 'ready', 15_000);
    assert.ok(performance.now() - t0 < 10_000);
    await hoverOnService(c, dir, 'web');
  });
});

test('files.exclude from the workspace with an invalid and a backtracking pattern: ignored, the rest still applies (issue 8)', async () => {
  const dir = workspace({ 'svc.yaml': SERVICE('web'), 'gen/hidden.yaml': SERVICE('hidden') });
  const backtracking = `${'**a'.repeat(30)}b`;
  await withStdioServer(dir, { 'files.exclude': { '[z-a]': true, [backtracking]: true, gen: true } }, 20_000, async (c) => {
    const ready = await c.waitForStatus((s) => s.state === 'ready', 15_000);
    // svc.yaml and the built-in default/kubernetes: gen/ is excluded by the good pattern.
    assert.equal(ready.services, 2);
    await hoverOnService(c, dir, 'web');
  });
});

test('malformed notifications (non-string text, changes: null, a null uri) are dropped; the server keeps answering (issue 8)', async () => {
  const dir = workspace({ 'svc.yaml': SERVICE('web') });
  const c = await inMemoryClient(dir);
  try {
    await c.waitForStatus((s) => s.state === 'ready');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(dir, 'x.yaml'), languageId: 'yaml', version: 1, text: 12345 } });
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: null });
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(dir, 'svc.yaml'), version: 2 }, contentChanges: null });
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: null });
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: null, type: 1 },
        { uri: 42, type: 2 },
      ],
    });
    await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: null });
    await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', null);
    const traced = await c.conn.sendRequest('netpath/trace', { from: null, to: 7 });
    assert.ok(traced && typeof traced === 'object' && 'error' in traced);
    // A good edit after all that is still analysed.
    const text = SERVICE('web').replace('port: 80', 'port: 81');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(dir, 'svc.yaml'), languageId: 'yaml', version: 3, text } });
    await c.waitForModelChanges(0);
    assert.match(await hoverOnService(c, dir, 'web'), /81\/TCP/);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the file watcher reporting a FIFO and a symbolic link: no read blocks, each gets a diagnostic (IN-1)', async () => {
  const dir = workspace({ 'svc.yaml': SERVICE('web') });
  const c = await inMemoryClient(dir);
  try {
    await c.waitForStatus((s) => s.state === 'ready');
    assert.equal(spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status, 0);
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf(dir, 'pipe.yaml'), type: 1 },
        { uri: uriOf(dir, 'zero.yaml'), type: 1 },
      ],
    });
    const pipe = await c.waitForDiagnostics(uriOf(dir, 'pipe.yaml'), (d) => d.length > 0);
    assert.equal(pipe[0]!.code, 'file-not-regular');
    const zero = await c.waitForDiagnostics(uriOf(dir, 'zero.yaml'), (d) => d.length > 0);
    assert.equal(zero[0]!.code, 'file-not-regular');
    await hoverOnService(c, dir, 'web');
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a client with the workspaceFolders capability adds and removes folders: they are indexed and dropped (issue 8)', async () => {
  const dir = workspace({ 'svc.yaml': SERVICE('web') });
  const other = mkdtempSync(join(tmpdir(), 'netpath-hostile-other-'));
  writeFileSync(join(other, 'api.yaml'), SERVICE('api'));
  const c = await inMemoryClient(dir, {}, { workspaceFolders: true });
  try {
    await c.waitForStatus((s) => s.state === 'ready');
    const folder = { uri: pathToFileURL(other).toString(), name: 'other' };
    await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
    await c.waitForStatus((s) => s.services === 3);
    await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
    await c.waitForStatus((s) => s.services === 2 && c.statuses.some((x) => x.services === 3));
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test('hover: names with backticks and markdown links stay inert text, a 1 MB name is cut (issue 8)', async () => {
  // The model keeps objects with names the API server would refuse (IN-3), so such a name reaches hovers.
  const evil = 'x`` [click](https://evil.example/) ![img](https://evil.example/i.png) `';
  const long = 'n'.repeat(1024 * 1024);
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: "${evil}"\nspec:\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${long}\nspec:\n  ports:\n  - port: 80\n`;
  const dir = workspace({ 'svc.yaml': text });
  const c = await inMemoryClient(dir);
  try {
    await c.waitForStatus((s) => s.state === 'ready');
    const at = async (line: number) => {
      const h = (await c.conn.sendRequest('textDocument/hover', {
        textDocument: { uri: uriOf(dir, 'svc.yaml') },
        position: { line, character: 10 },
      })) as Hover | null;
      assert.ok(h, `no hover on line ${line}`);
      return (h.contents as MarkupContent).value;
    };
    const value = await at(3);
    assert.match(value, /\*\*Service /);
    // Each link sits inside inline code whose fence is longer than any backtick run in the name (``),
    // so markdown renders it as text, never as a link or a remote image.
    const spans = codeSpans(value);
    const links = [...value.matchAll(/\[click\]|!\[img\]/g)];
    assert.ok(links.length > 0);
    for (const m of links)
      assert.ok(
        spans.some(([a, b]) => a <= m.index && m.index < b),
        `${m[0]} at ${m.index} is outside inline code: ${value}`,
      );
    const big = await at(11);
    assert.ok(big.length < 64 * 1024, `hover of ${big.length} characters`);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('netpath/trace to a Service with 50,000 endpoints: a bounded answer that counts what it left out (TR-3)', async () => {
  const dir = workspace({ 'big.yaml': bigService(50_000) });
  const c = await inMemoryClient(dir);
  try {
    await c.waitForStatus((s) => s.state === 'ready');
    const r = (await c.conn.sendRequest('netpath/trace', { from: 'pod:default/client', to: 'svc:default/big' })) as {
      trace?: { paths: unknown[]; untracedPaths?: number };
    };
    assert.ok(r.trace, JSON.stringify(r).slice(0, 300));
    assert.ok(JSON.stringify(r).length < 1024 * 1024, `a ${JSON.stringify(r).length}-byte answer`);
    assert.equal(r.trace.paths.length + (r.trace.untracedPaths ?? 0), 50_000);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the server and the CLI say the same of every odd file: same code, same position (IN-1, IN-2)', async () => {
  const dir = workspace({
    'nul.yaml': Buffer.from('a: 1\n\0\n'),
    'latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
    'mac.yaml': '# lone CR\rapiVersion: v1\rkind: Service\rmetadata:\r  name: classic\rspec:\r  ports:\r  - port: 80\r',
    'broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: [\n',
  });
  assert.equal(spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status, 0);
  symlinkSync(join(dir, 'mac.yaml'), join(dir, 'link.yaml'));
  const cli = json<{ diagnostics: { file: string; code: string; range: { start: { line: number; character: number } } }[] }>(netpath(['check', dir, '--json']))
    .diagnostics.filter((d) => d.file.startsWith(dir))
    .map((d) => `${d.file.slice(dir.length + 1)} ${d.code} ${d.range.start.line}:${d.range.start.character}`)
    .sort();
  const c = await inMemoryClient(dir);
  try {
    await c.waitForStatus((s) => s.state === 'ready');
    const files = ['nul.yaml', 'latin1.yaml', 'mac.yaml', 'broken.yaml', 'pipe.yaml', 'link.yaml'];
    const server: string[] = [];
    for (const f of files) {
      const diags = await c.waitForDiagnostics(uriOf(dir, f), (d) => d.length > 0);
      for (const d of diags) server.push(`${f} ${String(d.code)} ${d.range.start.line}:${d.range.start.character}`);
    }
    assert.deepEqual(server.sort(), cli);
    // What each odd file gets, derived by hand: the lone-CR Service is read (its missing endpoints at line 5).
    assert.ok(cli.includes('mac.yaml service-no-endpoints 4:8'), cli.join('\n'));
    assert.ok(cli.includes('nul.yaml file-not-text 0:0') && cli.includes('latin1.yaml file-not-text 0:0'));
    assert.ok(cli.includes('pipe.yaml file-not-regular 0:0') && cli.includes('link.yaml file-not-regular 0:0'));
    assert.ok(cli.some((l) => l.startsWith('broken.yaml yaml-syntax')));
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
