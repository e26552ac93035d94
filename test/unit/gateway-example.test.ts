// Unit tests: the model's answers on examples-gateway-api/, derived by hand from its manifests (GW-1..8):
// every deliberate mistake of 90-mistakes.yaml is reported at its entry with the condition a controller
// would write, nothing else is; the requests the README names go where the comments say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { routeRequest } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { ROOT } from '../support/cli';

const DIR = join(ROOT, 'examples-gateway-api');
const files: Record<string, string> = {};
for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yaml'))) files[f] = readFileSync(join(DIR, f), 'utf8');
const m = modelOf(files);
const lineOf = (file: string, text: string) => files[file]!.split('\n').findIndex((l) => !l.trimStart().startsWith('#') && l.includes(text));
const lineAt = (file: string, offset: number) => files[file]!.slice(0, offset).split('\n').length - 1;

test('GW-1..7: the example reports exactly its four commented mistakes (and the two missing Services they use)', () => {
  const got = m.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.file}:${lineAt(d.file, d.span.start)} ${d.code} ${d.message.split(':')[0]}`);
  assert.deepEqual(got, [
    `90-mistakes.yaml:${lineOf('90-mistakes.yaml', 'sectionName: https }')} route-not-accepted Accepted=False NotAllowedByListeners`,
    `90-mistakes.yaml:${lineOf('90-mistakes.yaml', 'name: blog, port')} route-backend-unresolved ResolvedRefs=False BackendNotFound`,
    `90-mistakes.yaml:${lineOf('90-mistakes.yaml', 'sectionName: http }')} route-not-accepted Accepted=False NoMatchingListenerHostname`,
    `90-mistakes.yaml:${lineOf('90-mistakes.yaml', 'name: docs, port')} route-backend-unresolved ResolvedRefs=False BackendNotFound`,
    `90-mistakes.yaml:${lineOf('90-mistakes.yaml', 'name: ledger')} route-backend-unresolved ResolvedRefs=False RefNotPermitted`,
    `90-mistakes.yaml:${lineOf('90-mistakes.yaml', 'name: search')} route-backend-unresolved ResolvedRefs=False BackendNotFound`,
  ]);
});

test('GW-1: the class in the files names its controller, assumed running', () => {
  const gw = m.gatewayApi.gateways[0]!;
  assert.deepEqual([gw.id, gw.controller, gw.served], ['infra/edge', 'gateway.envoyproxy.io/gatewayclass-controller', true]);
});

test('GW-3..8: the requests of the example go where its comments say', () => {
  const ask = (url: string) => {
    const a = routeRequest(m, url);
    return [a.listener, a.route, a.rule, a.status, a.backends.map((b) => `${b.backend} ${b.percent}%${b.grant ? ` ${b.grant}` : ''}`).join(', ')];
  };
  assert.deepEqual(ask('https://shop.example.com/'), ['https', 'shop/storefront', 0, 200, 'shop/web:80 80%, shop/web-canary:80 20%']);
  assert.deepEqual(ask('https://shop.example.com/cart'), ['https', 'shop/storefront', 1, 200, 'shop/cart:80 100%']);
  assert.deepEqual(ask('https://shop.example.com/cart/items'), ['https', 'shop/storefront', 0, 200, 'shop/web:80 80%, shop/web-canary:80 20%']);
  assert.deepEqual(ask('https://shop.example.com/invoices/7'), ['https', 'shop/storefront', 2, 200, 'billing/invoices:80 100% billing/shop-routes']);
  assert.deepEqual(ask('http://shop.example.com/anything'), ['http', 'shop/http-redirect', 0, 301, '']);
  assert.deepEqual(ask('https://shop.example.com/reports'), ['https', 'shop/reports', 0, 200, 'billing/ledger:80 50%, shop/cart:80 50%']);
  assert.deepEqual(ask('https://shop.example.com/search'), ['https', 'shop/reports', 1, 500, 'shop/search:80 100%']);
  assert.deepEqual(ask('grpc://grpc.example.com/catalog.Catalog/List'), ['http', 'shop/catalog', 0, 200, 'shop/catalog:9090 100%']);
  // docs.example.org: no listener hostname takes it at all.
  assert.deepEqual(ask('http://docs.example.org/'), [null, null, null, null, '']);
  // The blog Route is not attached: /blog falls to the storefront's catch-all rule.
  assert.deepEqual(ask('https://shop.example.com/blog')[1], 'shop/storefront');
});
