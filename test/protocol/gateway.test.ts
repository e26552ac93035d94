// Protocol tests on examples-gateway-api/: the editor's faces of the Gateway API model (GW-3..7) — a hover on a
// Route's parentRef (the listener it attaches to) and on a weighted backendRef (its percentage and endpoints),
// the code lens above a Route, go-to-definition from a parentRef to the Gateway's listener, and the
// diagnostic an unattached Route gets at its parentRef. Must not import vscode or the client.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Hover, Location, MarkupContent } from 'vscode-languageserver/node';
import { inMemoryClient, type TestClient } from './lsp';

const DIR = resolve(__dirname, '../../../examples-gateway-api');
const uriOf = (file: string) => pathToFileURL(join(DIR, file)).toString();
let client: TestClient;

/** Position `delta` characters after the first occurrence of `needle` in `file`. */
function at(file: string, needle: string, delta = 1): { line: number; character: number } {
  const text = readFileSync(join(DIR, file), 'utf8');
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} in ${file}`);
  const before = text.slice(0, i + delta).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
}

async function hover(file: string, needle: string, delta = 1): Promise<string> {
  const h = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: at(file, needle, delta) })) as Hover | null;
  return h ? (h.contents as MarkupContent).value : '';
}

describe('language server on examples-gateway-api/', () => {
  before(async () => {
    client = await inMemoryClient(DIR, { netpath: {}, 'files.exclude': {} });
    await client.waitForStatus((s) => s.state === 'ready');
  });
  after(async () => client?.close());

  test('hover, definition and code lenses answer at every key and value without an error', async () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yaml'))) {
      const textDocument = { uri: uriOf(file) };
      await client.conn.sendRequest('textDocument/codeLens', { textDocument });
      const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character < (lines[line] ?? '').length; character += 3) {
          await client.conn.sendRequest('textDocument/hover', { textDocument, position: { line, character } });
          await client.conn.sendRequest('textDocument/definition', { textDocument, position: { line, character } });
        }
      }
    }
  });

  test('a hover on a parentRef says which listener the Route attaches to and with which hostnames (GW-3, GW-4)', async () => {
    const md = await hover('20-shop.yaml', 'sectionName: https', 3);
    assert.match(md, /parentRef → Gateway `infra\/edge`/);
    assert.match(md, /`Accepted=True`/);
    assert.match(md, /listener `https` `HTTPS\/443` keeps hostnames `shop\.example\.com`/);
  });

  test('a hover on a weighted backendRef gives its share and the endpoints the gateway connects to (GW-6)', async () => {
    const md = await hover('20-shop.yaml', 'name: web, port: 80, weight: 80', 2);
    assert.match(md, /weight `80` of `100` = \*\*80%\*\*/);
    assert.match(md, /straight to the endpoints/);
    const grant = await hover('20-shop.yaml', 'name: invoices, namespace: billing', 2);
    assert.match(grant, /ReferenceGrant `billing\/shop-routes`/);
  });

  test('the code lens above a Route: where it attaches, its rules and its split (GW-4, GW-6)', async () => {
    const lenses = (await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf('20-shop.yaml') } })) as CodeLens[];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('attached to infra/edge/https · 3 rules · 80/20 split'), titles.join(' | '));
    assert.ok(titles.includes('attached to infra/edge/http · 1 rule'), titles.join(' | '));
    // The Trace action traces a URL the Route takes (GW-3): its hostname on its listener's scheme, its first path.
    const trace = lenses.find((l) => l.command?.title === 'Trace https://shop.example.com/');
    assert.deepEqual(trace?.command?.arguments, [{ to: 'url:https://shop.example.com/' }]);
    const mistakes = (await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf('90-mistakes.yaml') } })) as CodeLens[];
    assert.ok(mistakes.some((l) => l.command?.title.startsWith('not attached: Accepted=False NotAllowedByListeners')));
  });

  test('go to definition: parentRef → the Gateway listener; cross-namespace backendRef → Service and ReferenceGrant (GW-3, GW-6)', async () => {
    const defs = (await client.conn.sendRequest('textDocument/definition', {
      textDocument: { uri: uriOf('20-shop.yaml') },
      position: at('20-shop.yaml', 'sectionName: https', 3),
    })) as Location[];
    assert.equal(defs.length, 1);
    assert.equal(defs[0]!.uri, uriOf('10-gateway.yaml'));
    assert.equal(defs[0]!.range.start.line, at('10-gateway.yaml', 'name: https', 0).line);
    const back = (await client.conn.sendRequest('textDocument/definition', {
      textDocument: { uri: uriOf('20-shop.yaml') },
      position: at('20-shop.yaml', 'name: invoices, namespace: billing', 2),
    })) as Location[];
    assert.deepEqual(
      back.map((l) => l.uri),
      [uriOf('30-billing.yaml'), uriOf('30-billing.yaml')],
    );
  });

  test('an unattached Route gets the predicted condition at its parentRef (GW-4)', async () => {
    const diags = await client.waitForDiagnostics(uriOf('90-mistakes.yaml'), (d) => d.some((x) => x.code === 'route-not-accepted'));
    const d = diags.find((x) => x.code === 'route-not-accepted')!;
    assert.match(d.message, /^Accepted=False NotAllowedByListeners: /);
    assert.equal(d.range.start.line, at('90-mistakes.yaml', '{ name: edge, namespace: infra, sectionName: https }', 0).line);
  });
});
