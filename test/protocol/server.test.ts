// Protocol tests: the real language server, spoken to over LSP (in-memory streams; one stdio run of dist/server.js).
// Must not import vscode or the client. Fixture: test/editor/workspace (the editor test's shop) plus files written
// here for diagnostics, exclusion and edits. Rule ids: SVC-2 (targetPort), DNS-1, IP-4, TR-3.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Hover, Location, MarkupContent } from 'vscode-languageserver/node';
import type { TraceResponse, TraceTargetsResult } from '../../shared/protocol';
import { inMemoryClient, stdioClient, type TestClient } from './lsp';

const REPO = resolve(__dirname, '../../..');
const uriOf = (dir: string, f: string) => pathToFileURL(join(dir, f)).toString();

/** Zero-based position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function posOf(text: string, needle: string, nth = 0, delta = 1): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not in text`);
  }
  at += delta;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
}

const BROKEN = `apiVersion: v1
kind: Service
metadata:
  name: typo
  namespace: shop
spec:
  selector:
    app: storefront
  ports:
  - name: http
    port: 8080
    targetPort: htp
`;
const EXCLUDED_SVC = `apiVersion: v1
kind: Service
metadata:
  name: hidden
  namespace: shop
spec:
  ports:
  - port: 1
`;

let dir: string;
let client: TestClient;
/** The client's settings, answered to workspace/configuration by reference: a test may change them. */
const settings: Record<string, unknown> = { netpath: {}, 'files.exclude': { '**/generated': true } };
let serviceText: string;

describe('language server over LSP (in-memory streams)', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpath-protocol-'));
    cpSync(join(REPO, 'test/editor/workspace'), dir, { recursive: true });
    writeFileSync(join(dir, 'broken.yaml'), BROKEN);
    mkdirSync(join(dir, 'generated'));
    writeFileSync(join(dir, 'generated', 'hidden.yaml'), EXCLUDED_SVC);
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'pkg', 'svc.yaml'), EXCLUDED_SVC.replace('hidden', 'from-node-modules'));
    serviceText = readFileSync(join(dir, 'service.yaml'), 'utf8');
    client = await inMemoryClient(dir, settings);
  });
  after(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('indexes the workspace with progress, honouring files.exclude and skipping node_modules', async () => {
    const status = await client.waitForStatus((s) => s.state === 'ready');
    assert.equal(status.files, 4, 'broken, hostile, service, shop (not generated/, not node_modules/)');
    assert.equal(status.services, 3, 'storefront, typo and the implicit default/kubernetes (CL-4)');
    assert.ok(
      client.progress.some((p) => JSON.stringify(p).includes('"begin"')),
      'workDoneProgress begin',
    );
    assert.ok(
      client.progress.some((p) => JSON.stringify(p).includes('"end"')),
      'workDoneProgress end',
    );
    assert.ok(client.init.capabilities.hoverProvider);
  });

  test('hover on a Service name gives its DNS name, ClusterIP and endpoints (DNS-1, IP-4, SVC-2)', async () => {
    const h = (await client.conn.sendRequest('textDocument/hover', {
      textDocument: { uri: uriOf(dir, 'service.yaml') },
      position: posOf(serviceText, 'name: storefront', 0, 7),
    })) as Hover;
    const md = (h.contents as MarkupContent).value;
    assert.match(md, /storefront\.shop\.svc\.cluster\.local/);
    assert.match(md, /ClusterIP `10\.43\.0\.20`/);
    assert.match(md, /10\.42\.\d+\.\d+:8080/, 'endpoint pod ip:targetPort');
  });

  test('code lenses above the Service: ClusterIP · endpoints, and Trace traffic with the Service as target', async () => {
    const lenses = (await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf(dir, 'service.yaml') } })) as CodeLens[];
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('10.43.0.20 · 2 endpoints'), titles.join(' | '));
    const trace = lenses.find((l) => l.command?.command === 'netpath.traceTraffic');
    assert.deepEqual(trace?.command?.arguments, [{ to: 'svc:shop/storefront' }]);
  });

  test('diagnostics for files not open, with a quick fix for a targetPort typo (SVC-2)', async () => {
    const uri = uriOf(dir, 'broken.yaml');
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'service-targetport-unresolved'));
    const d = diags.find((x) => x.code === 'service-targetport-unresolved')!;
    assert.deepEqual(d.range.start, posOf(BROKEN, 'htp', 0, 0));
    const actions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title.includes('http'));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.equal(fix.edit?.changes?.[uri]?.[0]?.newText, 'http');
  });

  test('a diagnostic links its rule: codeDescription.href is docs/rules.md at the rule heading line (SVC-2)', async () => {
    const diags = await client.waitForDiagnostics(uriOf(dir, 'broken.yaml'), (d) => d.some((x) => x.code === 'service-targetport-unresolved'));
    const d = diags.find((x) => x.code === 'service-targetport-unresolved')!;
    const rulesUri = pathToFileURL(join(REPO, 'docs', 'rules.md')).toString();
    const line =
      readFileSync(join(REPO, 'docs', 'rules.md'), 'utf8')
        .split('\n')
        .indexOf('### SVC-2') + 1;
    assert.equal(d.codeDescription?.href, `${rulesUri}#L${line}`);
  });

  test('a hover links the rules it cites to netpath.openRule (DNS-1)', async () => {
    const h = (await client.conn.sendRequest('textDocument/hover', {
      textDocument: { uri: uriOf(dir, 'service.yaml') },
      position: posOf(serviceText, 'name: storefront', 0, 7),
    })) as Hover;
    const md = (h.contents as MarkupContent).value;
    assert.ok(md.includes('([DNS-1](command:netpath.openRule?%5B%22DNS-1%22%5D "Open DNS-1 in docs/rules.md"))'), md);
  });

  test('go to definition from a Service selector lands on the selected workload', async () => {
    const locs = (await client.conn.sendRequest('textDocument/definition', {
      textDocument: { uri: uriOf(dir, 'service.yaml') },
      position: posOf(serviceText, 'app: storefront', 0, 7),
    })) as Location[];
    assert.equal(locs.length, 1);
    assert.equal(locs[0]?.uri, uriOf(dir, 'shop.yaml'));
    assert.equal(locs[0]?.range.start.line, 9, 'metadata.name of Deployment storefront');
  });

  test('references of a workload name include the Services that select it', async () => {
    const shop = readFileSync(join(dir, 'shop.yaml'), 'utf8');
    const locs = (await client.conn.sendRequest('textDocument/references', {
      textDocument: { uri: uriOf(dir, 'shop.yaml') },
      position: posOf(shop, 'name: storefront', 0, 7),
      context: { includeDeclaration: false },
    })) as Location[];
    const files = locs.map((l) => l.uri.split('/').pop()).sort();
    assert.deepEqual(files, ['broken.yaml', 'service.yaml']);
  });

  test('netpath/traceTargets: the Service under the cursor, and a default source outside it', async () => {
    const r = (await client.conn.sendRequest('netpath/traceTargets', {
      uri: uriOf(dir, 'service.yaml'),
      position: posOf(serviceText, 'name: storefront', 0, 7),
    })) as TraceTargetsResult;
    assert.equal(r.target?.ref, 'svc:shop/storefront');
    assert.ok(r.defaultSource && !r.defaultSource.ref.includes('storefront'), r.defaultSource?.ref);
    assert.ok(r.sources.some((s) => s.ref === 'node:node1'));
    assert.ok(r.targets.some((t) => t.ref === 'svc:shop/storefront'));
  });

  test('netpath/trace: pod to Service is DNAT-ed to an endpoint and delivered (TR-3), hops carry sources', async () => {
    const r = (await client.conn.sendRequest('netpath/trace', { from: 'deploy:shop/shopper', to: 'svc:shop/storefront' })) as TraceResponse;
    assert.ok('trace' in r, JSON.stringify(r));
    assert.equal(r.trace.verdict, 'delivered');
    assert.equal(r.trace.paths.length, 2, 'one path per endpoint');
    const dnat = r.trace.paths[0]?.hops.find((h) => h.action === 'DNAT');
    assert.match(dnat?.dst ?? '', /^10\.42\.\d+\.\d+:8080$/);
    const first = r.trace.paths[0]?.hops[0];
    assert.equal(first?.source?.uri, uriOf(dir, 'shop.yaml'), 'the sender pod points at its Deployment');
  });

  test('netpath/trace with a reference that does not resolve answers an error, not a crash', async () => {
    const r = (await client.conn.sendRequest('netpath/trace', { from: 'pod:shop/nope', to: 'svc:shop/storefront' })) as TraceResponse;
    assert.ok('error' in r && /nope/.test(r.error), JSON.stringify(r));
  });

  test('an edit in an open document re-analyses (debounced) and updates diagnostics', async () => {
    const uri = uriOf(dir, 'service.yaml');
    const versionsBefore = client.modelVersions.length;
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: serviceText } });
    const at = posOf(serviceText, 'targetPort: http', 0, 'targetPort: '.length);
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + 4 } }, text: 'nope' }],
    });
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'service-targetport-unresolved'));
    await client.waitForModelChanges(versionsBefore); // netpath/modelChanged: an open trace panel re-runs
    assert.equal(diags.find((x) => x.code === 'service-targetport-unresolved')?.range.start.line, at.line);
    // Hover reads the edited text: the port now has no endpoint.
    const h = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: posOf(serviceText, 'name: storefront', 0, 7) })) as Hover;
    assert.match((h.contents as MarkupContent).value, /no endpoints/);
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  test('changing files.exclude re-scans the workspace: a folder no longer excluded joins the model', async () => {
    settings['files.exclude'] = {};
    const seen = client.statuses.length;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const status = await client.waitForStatus((s) => s.state === 'ready' && s.files === 5 && client.statuses.indexOf(s) >= seen);
    assert.equal(status.services, 4, 'generated/hidden.yaml now counts; node_modules still never does');
    settings['files.exclude'] = { '**/generated': true };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForStatus((s) => s.state === 'ready' && s.files === 4 && client.statuses.indexOf(s) > client.statuses.indexOf(status));
  });
});

describe('re-analysis timing: an isolated edit at once, a burst coalesced (debounceMs 60 s)', () => {
  let wsDir: string;
  let c: TestClient;
  before(async () => {
    wsDir = mkdtempSync(join(tmpdir(), 'netpath-debounce-'));
    cpSync(join(REPO, 'test/editor/workspace'), wsDir, { recursive: true });
    // A debounce far longer than the test's waits: whatever is analysed before a request forces it was analysed at once.
    c = await inMemoryClient(wsDir, { netpath: { debounceMs: 60_000 } });
    await c.waitForStatus((s) => s.state === 'ready');
    await c.waitForModelChanges(0);
  });
  after(async () => {
    await c?.close();
    rmSync(wsDir, { recursive: true, force: true });
  });

  test('the first change after a quiet spell is analysed without waiting out the debounce; the next ones wait, and a request on the document forces them (SVC-2)', async () => {
    const uri = uriOf(wsDir, 'service.yaml');
    const text = readFileSync(join(wsDir, 'service.yaml'), 'utf8');
    const broken = text.replace('targetPort: http', 'targetPort: nope');
    assert.notEqual(broken, text, 'fixture has targetPort: http');
    const indexed = c.modelVersions.length;
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: broken } });
    // Within the 10 s wait only if the open was analysed at once (the debounce is 60 s).
    await c.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'service-targetport-unresolved'), 10_000);
    const versions = await c.waitForModelChanges(indexed, 10_000).then(() => c.modelVersions.length);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    // A request about another file is answered after the change was taken in, without forcing an analysis of it.
    await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf(wsDir, 'shop.yaml') } });
    assert.equal(c.modelVersions.length, versions, 'a change right after another waits for the debounce');
    assert.ok(
      c.diagnostics.get(uri)?.some((x) => x.code === 'service-targetport-unresolved'),
      'still the diagnostics of the first text',
    );
    // A hover on the edited document analyses what it shows: the fixed targetPort resolves again.
    await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: posOf(text, 'name: storefront', 0, 7) });
    await c.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'service-targetport-unresolved'), 10_000);
  });
});

describe('netpath/trace: a hop decided by two NetworkPolicies links to both (NP-5)', () => {
  let wsDir: string;
  let c: TestClient;
  const pods = ['a', 'b']
    .map(
      (n) =>
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${n}\n  namespace: default\n  labels: {app: ${n}}\nspec:\n  containers:\n  - name: c\n    image: x\n    ports: [{containerPort: 80}]\n`,
    )
    .join('---\n');
  const policy = (name: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  podSelector: {matchLabels: {app: b}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: a}}}]\n`;
  before(async () => {
    wsDir = mkdtempSync(join(tmpdir(), 'netpath-policies-'));
    writeFileSync(join(wsDir, 'pods.yaml'), pods);
    writeFileSync(join(wsDir, 'p1.yaml'), policy('allow-a'));
    writeFileSync(join(wsDir, 'p2.yaml'), `# a second policy admitting the same traffic\n${policy('also-allow-a')}`);
    // Over the 4 MB the server reads from disk.
    writeFileSync(
      join(wsDir, 'dump.yaml'),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: in-the-dump\n  namespace: default\n  annotations:\n    blob: ${'a'.repeat(4_300_000)}\nspec:\n  ports: [{port: 1}]\n`,
    );
    c = await inMemoryClient(wsDir, {});
    await c.waitForStatus((s) => s.state === 'ready');
  });
  after(async () => {
    await c?.close();
    rmSync(wsDir, { recursive: true, force: true });
  });

  test('IN-1: a manifest too large to read says so in a diagnostic, instead of missing silently', async () => {
    const d = await c.waitForDiagnostics(uriOf(wsDir, 'dump.yaml'), (x) => x.length > 0);
    assert.deepEqual(
      d.map((x) => [x.code, x.severity]),
      [['file-too-large', 3]],
    );
    assert.match(d[0]!.message, /4\.1 MB is more than the 4 MB/);
    const status = c.statuses.filter((s) => s.state === 'ready').pop()!;
    assert.equal(status.services, 1, "only default/kubernetes: the dump's Service is not in the model");
  });

  test('a port sent as a number or of the wrong type is an answer, not an internal error', async () => {
    const n = (await c.conn.sendRequest('netpath/trace', { from: 'pod:default/a', to: 'pod:default/b', port: 80 })) as TraceResponse;
    assert.ok('trace' in n && n.trace.verdict === 'delivered', JSON.stringify(n));
    const bad = (await c.conn.sendRequest('netpath/trace', { from: 'pod:default/a', to: 'pod:default/b', port: { tcp: 80 } })) as TraceResponse;
    assert.ok('error' in bad && /port/.test(bad.error), JSON.stringify(bad));
  });

  test('the policy hop names both policies and carries the manifest line of each', async () => {
    const r = (await c.conn.sendRequest('netpath/trace', { from: 'pod:default/a', to: 'pod:default/b', port: 'TCP/80' })) as TraceResponse;
    assert.ok('trace' in r, JSON.stringify(r));
    assert.equal(r.trace.verdict, 'delivered');
    const hop = r.trace.paths[0]!.hops.find((h) => h.action === 'policy' && h.rule.includes('/'));
    assert.ok(hop, 'an ingress policy hop');
    assert.deepEqual(hop.rule.split(', ').sort(), ['default/allow-a', 'default/also-allow-a']);
    const links = Object.fromEntries((hop.policySources ?? []).map((s) => [s.policy, s.location]));
    assert.deepEqual(links['default/allow-a'], { uri: uriOf(wsDir, 'p1.yaml'), ...posOf(policy('allow-a'), 'allow-a', 0, 0) });
    assert.deepEqual(links['default/also-allow-a'], {
      uri: uriOf(wsDir, 'p2.yaml'),
      line: 4,
      character: posOf(policy('also-allow-a'), 'also-allow-a', 0, 0).character,
    });
    assert.deepEqual(hop.source, hop.policySources![0]!.location, 'a click on the hop opens the first');
  });
});

describe('bundled server over stdio (dist/server.js)', () => {
  test('initializes, indexes, answers a hover and exits cleanly, writing nothing but LSP to stdout', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'netpath-stdio-'));
    cpSync(join(REPO, 'test/editor/workspace'), ws, { recursive: true });
    writeFileSync(join(ws, 'broken.yaml'), BROKEN);
    const c = await stdioClient(join(REPO, 'dist/server.js'), ws);
    try {
      await c.waitForStatus((s) => s.state === 'ready' && s.services >= 2);
      const text = readFileSync(join(ws, 'service.yaml'), 'utf8');
      const h = (await c.conn.sendRequest('textDocument/hover', {
        textDocument: { uri: uriOf(ws, 'service.yaml') },
        position: posOf(text, 'name: storefront', 0, 7),
      })) as Hover;
      assert.match((h.contents as MarkupContent).value, /10\.43\.0\.20/);
      // The bundle finds docs/rules.md beside dist/ by itself, as it does in the packaged extension.
      const diags = await c.waitForDiagnostics(uriOf(ws, 'broken.yaml'), (d) => d.some((x) => x.code === 'service-targetport-unresolved'));
      const href = diags.find((x) => x.code === 'service-targetport-unresolved')?.codeDescription?.href;
      assert.match(
        href ?? '',
        new RegExp(
          `^${pathToFileURL(join(REPO, 'docs', 'rules.md'))
            .toString()
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#L\\d+$`,
        ),
      );
    } finally {
      await c.close();
      rmSync(ws, { recursive: true, force: true });
    }
    assert.equal(await c.exitCode, 0);
    assert.equal(c.stderr(), '');
  });
});
