// Protocol tests on examples/ (the README's workspace): every feature answers at every key and value of every
// manifest without an error, and the headline hovers say what the issue asks for. Must not import vscode or the
// client. Rule ids: SVC-3 (nodePort), ING-1..3 (Ingress), NP-2 (policy selection), WL-1 (workload pods).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { inMemoryClient, type TestClient } from './lsp';

const EXAMPLES = resolve(__dirname, '../../../examples');
const files = readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f) && f !== 'netpath.cluster.yaml');
let client: TestClient;

/** Positions of every key and every scalar value start (`key: value`, `- value`). */
function positions(text: string): { line: number; character: number }[] {
  const out: { line: number; character: number }[] = [];
  text.split('\n').forEach((l, line) => {
    const key = /^(\s*(?:-\s+)?)([^#\s][^:]*):(\s*)(\S?)/.exec(l);
    if (key) {
      out.push({ line, character: (key[1] ?? '').length + 1 });
      if (key[4]) out.push({ line, character: (key[1] ?? '').length + (key[2] ?? '').length + 1 + (key[3] ?? '').length + 1 });
    } else {
      const item = /^(\s*-\s+)(\S)/.exec(l);
      if (item) out.push({ line, character: (item[1] ?? '').length + 1 });
    }
  });
  return out;
}

async function hoverAt(file: string, needle: string | RegExp, delta: number): Promise<string> {
  const text = readFileSync(join(EXAMPLES, file), 'utf8');
  const at = typeof needle === 'string' ? text.indexOf(needle) : (needle.exec(text)?.index ?? -1);
  assert.ok(at >= 0, `${String(needle)} in ${file}`);
  const before = text.slice(0, at + delta).split('\n');
  const h = (await client.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: pathToFileURL(join(EXAMPLES, file)).toString() },
    position: { line: before.length - 1, character: (before[before.length - 1] ?? '').length },
  })) as Hover | null;
  return h ? (h.contents as MarkupContent).value : '';
}

describe('language server on examples/', () => {
  before(async () => {
    client = await inMemoryClient(EXAMPLES, { netpath: {}, 'files.exclude': {} });
    await client.waitForStatus((s) => s.state === 'ready');
  });
  after(async () => client?.close());

  test('hover, definition, references and code lenses answer everywhere without an error', async () => {
    let asked = 0;
    for (const f of files) {
      const uri = pathToFileURL(join(EXAMPLES, f)).toString();
      await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
      for (const position of positions(readFileSync(join(EXAMPLES, f), 'utf8'))) {
        const textDocument = { uri };
        await client.conn.sendRequest('textDocument/hover', { textDocument, position });
        await client.conn.sendRequest('textDocument/definition', { textDocument, position });
        await client.conn.sendRequest('textDocument/references', { textDocument, position, context: { includeDeclaration: true } });
        await client.conn.sendRequest('netpath/traceTargets', { uri, position });
        asked++;
      }
    }
    assert.ok(asked > 200, `asked at ${asked} positions`);
  });

  test('a workload name lists its pods with IPs and nodes, and who selects them (WL-1)', async () => {
    const md = await hoverAt('10-redis.yaml', 'name: redis', 7);
    assert.match(md, /Deployment `default\/redis`/);
    assert.match(md, /2 pods/);
    assert.match(md, /10\.42\.\d+\.\d+/);
    assert.match(md, /Selected by Services: .*`default\/redis`/);
  });

  test('the hover on a refused clusterIP says why, as well as the address the model allocates instead (IP-4, CL-4)', async () => {
    const md = await hoverAt('90-mistakes.yaml', /(?<=\n {2})clusterIP: 10\.43\.0\.1\n/, 'clusterIP: '.length + 2);
    assert.match(md, /\*\*clusterIP `10\.43\.\d+\.\d+`\*\* of `default\/redis-seed`/);
    assert.doesNotMatch(md, /\*\*clusterIP `10\.43\.0\.1`\*\*/, 'the refused address is not the one the model uses');
    assert.match(md, /Refused by the API server.*clusterip-already-allocated.*IP-4.*default\/kubernetes/s);
    // A clusterIP that is fine has no such line.
    const ok = await hoverAt('10-redis.yaml', /(?<=\n {2})clusterIP: 10\.43\.0\.11/, 'clusterIP: '.length + 2);
    assert.match(ok, /\*\*clusterIP `10\.43\.0\.\d+`\*\*/);
    assert.doesNotMatch(ok, /Refused/);
  });

  test('an Ingress path hover names the URL and its backend (ING-1..3)', async () => {
    const md = await hoverAt('20-nginx.yaml', /(?<=\n\s*)path: \//, 6);
    assert.match(md, /\*\*Ingress `/);
    assert.match(md, /→ `[^`]+\/[^`]+:[^`]+`/, 'backend NS/SVC:PORT');
  });

  test('a NetworkPolicy podSelector hover lists the pods it selects (NP-2)', async () => {
    const md = await hoverAt('50-networkpolicies.yaml', /(?<=\n {2})podSelector:/, 2); // spec.podSelector, not a comment
    assert.match(md, /\*\*NetworkPolicy `/);
    assert.match(md, /Selects \d+ pods?/);
  });

  test('the diagnostics of the deliberate mistakes arrive for a file nobody opened', async () => {
    const uri = pathToFileURL(join(EXAMPLES, '90-mistakes.yaml')).toString();
    const d = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.ok(d.every((x) => x.source === 'kube-netpath' && typeof x.code === 'string'));
  });
});
