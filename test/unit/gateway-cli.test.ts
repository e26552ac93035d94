// Unit tests (CLI): `netpath route` on examples-gateway-api/ — text, --json keys of docs/cli.md, exit codes,
// options, and hostile strings escaped (GW-3..8). Expected answers derived by hand from the example's
// manifests (see the comments there) and the Gateway API rules in docs/rules.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, netpath } from '../support/cli';

const WS = 'examples-gateway-api';

test('route --json: the keys of docs/cli.md; an 80/20 canary (GW-6) through the https listener (GW-3)', () => {
  const r = netpath(['route', 'https://shop.example.com/', WS, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = json<{ backends: Record<string, unknown>[]; filters: unknown[] } & Record<string, unknown>>(r);
  for (const k of ['url', 'method', 'gateway', 'listener', 'route', 'kind', 'rule', 'status', 'backends', 'filters']) assert.ok(k in j, k);
  assert.deepEqual(
    [j.method, j.gateway, j.listener, j.route, j.kind, j.rule, j.status],
    ['GET', 'infra/edge', 'https', 'shop/storefront', 'HTTPRoute', 0, 200],
  );
  assert.deepEqual(
    j.backends.map((b) => [b.backend, b.weight, b.percent, b.resolvable]),
    [
      ['shop/web:80', 80, 80, true],
      ['shop/web-canary:80', 20, 20, true],
    ],
  );
});

test('route: text names the Gateway, listener, Route, rule, filters and backends; a redirect is exit 0 with its code (GW-8)', () => {
  const r = netpath(['route', 'http://shop.example.com/x', WS]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /gateway {3}infra\/edge, listener http/);
  assert.match(r.stdout, /filter {4}RequestRedirect: 301 redirect \(scheme https\)/);
  assert.match(r.stdout, /status {4}301/);
  const g = netpath(['route', 'https://shop.example.com/invoices/7', WS]);
  assert.match(g.stdout, /billing\/invoices:80 +100% +weight 1 +200 +1 ready +via ReferenceGrant billing\/shop-routes/);
});

test('route: exit 1 when no backend serves (404, 500) or no Gateway listens; --method, --header and --gateway', () => {
  assert.equal(netpath(['route', 'https://shop.example.com/search', WS]).code, 1, 'BackendNotFound: 500');
  const none = netpath(['route', 'http://nothing.example.net/', WS, '--json']);
  assert.equal(none.code, 1);
  assert.equal(json(none).gateway, null);
  assert.equal(json(netpath(['route', 'https://shop.example.com/', WS, '--gateway', 'infra/other', '--json'])).gateway, null);
  assert.equal(json(netpath(['route', 'https://shop.example.com/', WS, '--method', 'post', '--header', 'X-A: 1', '--json'])).method, 'POST');
});

test('route: bad usage is exit 2 with one line', () => {
  for (const args of [
    ['route'],
    ['route', 'ftp://x/', WS],
    ['route', 'http://x/', '--gateway', 'nope', WS],
    ['route', 'http://x/', '--header', 'novalue', WS],
    ['ingress', 'http://x/', '--gateway', 'a/b', WS],
  ]) {
    const r = netpath(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

test('route: a hostile name in a manifest reaches the terminal escaped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-gw-'));
  writeFileSync(
    join(dir, 'r.yaml'),
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec: { gatewayClassName: x, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: default }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: "X-\\u001b]0;owned\\u0007", value: v }] } }], backendRefs: [{ name: s, port: 80 }] }]
`,
  );
  const r = netpath(['route', 'http://a.example.com/', dir]);
  assert.doesNotMatch(r.stdout, /\u001b/);
  assert.match(r.stdout, /X-\\u001b\]0;owned\\u0007/);
});
