// Unit tests: which HTTPRoute/GRPCRoute rule takes a request through a Gateway, and what comes back
// (GW-5..8). Expected results derived by hand from kubernetes-sigs/gateway-api apis/v1/httproute_types.go
// (HTTPRouteRule.Matches precedence, PathMatchType, HTTPHeaderMatch, HTTPQueryParamMatch,
// HTTPRouteRule.BackendRefs 500/503, HTTPRouteSpec.Hostnames precedence), apis/v1/grpcroute_types.go
// (GRPCRouteRule.Matches) and apis/v1/referencegrant_types.go. The conformance suite's scenarios
// (conformance/tests/httproute-matching*.yaml, httproute-weight.yaml, httproute-reference-grant.yaml)
// suggested the cases; the fixtures are this project's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeRequest, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { CLASS, app, gateway, route } from '../support/gateway';

const GW = gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }']);
const PARENT = 'parentRefs: [{ name: gw, namespace: infra }]';
const svc = (name: string) => `{ name: ${name}, port: 80 }`;

const SHOP = route(
  'shop',
  'app',
  `${PARENT}
hostnames: [shop.example.com]
rules:
- matches: [{ path: { type: Exact, value: /cart } }]
  backendRefs: [${svc('cart')}]
- matches: [{ path: { type: PathPrefix, value: /api/ } }]
  backendRefs: [${svc('api')}]
- matches: [{ path: { value: /api/v2 }, method: POST }]
  backendRefs: [${svc('api-v2')}]
- matches: [{ headers: [{ name: X-Canary, value: "yes" }] }]
  backendRefs: [${svc('canary')}]
- matches: [{ path: { value: /search }, queryParams: [{ name: q, value: a }] }]
  backendRefs: [${svc('search')}]
- backendRefs: [${svc('web')}]`,
);
const WILD = route(
  'wild',
  'app',
  `${PARENT}
hostnames: ["*.example.com"]
rules:
- matches: [{ path: { value: /api/v2/orders } }]
  backendRefs: [${svc('orders')}]`,
);
const APPS = ['cart', 'api', 'api-v2', 'canary', 'search', 'web', 'orders'].map((n) => app(n, 'app')).join('---\n');
const base = (extra: Record<string, string> = {}): Model =>
  modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'apps.yaml': APPS, 'shop.yaml': SHOP, 'wild.yaml': WILD, ...extra });

const where = (m: Model, url: string, opts = {}) => {
  const a = routeRequest(m, url, opts);
  return `${a.route ?? '-'}#${a.rule ?? '-'} ${a.status ?? '-'}`;
};

test('GW-5: Exact is case-sensitive and exact; PathPrefix is element-wise with the trailing slash ignored', () => {
  const m = base();
  assert.equal(where(m, 'http://shop.example.com/cart'), 'app/shop#0 200');
  assert.equal(where(m, 'http://shop.example.com/cart/'), 'app/shop#5 200', 'Exact /cart does not take /cart/: the catch-all rule does');
  assert.equal(where(m, 'http://shop.example.com/Cart'), 'app/shop#5 200');
  assert.equal(where(m, 'http://shop.example.com/api'), 'app/shop#1 200', 'PathPrefix /api/ takes /api');
  assert.equal(where(m, 'http://shop.example.com/api/x'), 'app/shop#1 200');
  assert.equal(where(m, 'http://shop.example.com/apix'), 'app/shop#5 200', '/apix is not under /api/');
});

test('GW-5: precedence: longest prefix, then a method match, then more headers, then more query params', () => {
  const m = base();
  assert.equal(where(m, 'http://shop.example.com/api/v2/x', { method: 'POST' }), 'app/shop#2 200', '/api/v2 (7 characters) beats /api/ (5)');
  assert.equal(where(m, 'http://shop.example.com/api/v2/x'), 'app/shop#1 200', 'rule 2 needs POST');
  assert.equal(where(m, 'http://shop.example.com/home', { headers: { 'x-canary': 'yes' } }), 'app/shop#3 200', 'header names compare case-insensitively');
  assert.equal(where(m, 'http://shop.example.com/home', { headers: { 'X-CANARY': 'YES' } }), 'app/shop#5 200', 'header values are exact');
  assert.equal(where(m, 'http://shop.example.com/search?q=a&q=b'), 'app/shop#4 200', 'the first value of a repeated parameter counts');
  assert.equal(where(m, 'http://shop.example.com/search?Q=a'), 'app/shop#5 200', 'query parameter names are exact');
});

test('GW-5: the most specific Route hostname wins before any path comparison', () => {
  const m = base();
  // shop.example.com (exact, 16 characters) beats *.example.com even though wild has the longer path.
  assert.equal(where(m, 'http://shop.example.com/api/v2/orders'), 'app/shop#1 200');
  assert.equal(where(m, 'http://www.example.com/api/v2/orders'), 'app/wild#0 200');
  assert.equal(where(m, 'http://a.b.example.com/api/v2/orders'), 'app/wild#0 200', 'the wildcard takes more than one label');
});

test('GW-5: no Route takes the request: 404; no listener on that port: no Gateway answer at all', () => {
  const m = base();
  const a = routeRequest(m, 'http://other.net/');
  assert.deepEqual([a.gateway, a.listener, a.route, a.status], ['infra/gw', 'http', null, 404]);
  const b = routeRequest(m, 'http://shop.example.com:8080/');
  assert.deepEqual([b.gateway, b.status], [null, null]);
  assert.match(b.note, /no Gateway has an accepted HTTP listener on port 8080/);
});

test('GW-5: two Routes that tie on every criterion are reported as a tie that creation order decides', () => {
  const t = (name: string, ns: string, meta = '') =>
    route(name, ns, `${PARENT}\nhostnames: [tie.example.com]\nrules:\n- backendRefs: [${svc('web')}]`, 'HTTPRoute', meta);
  const tied = base({ 't.yaml': t('zeta', 'app') + '---\n' + t('alpha', 'app') });
  const a = routeRequest(tied, 'http://tie.example.com/x');
  assert.equal(a.route, 'app/alpha', 'shown by name order');
  assert.deepEqual(a.tie, ['app/alpha', 'app/zeta']);
  assert.match(a.note, /oldest Route wins, and the files carry no creationTimestamp/);
  // With both timestamps written, the older Route wins and nothing is left to chance.
  const dated = base({
    't.yaml': t('zeta', 'app', ', creationTimestamp: "2024-01-01T00:00:00Z"') + '---\n' + t('alpha', 'app', ', creationTimestamp: "2025-01-01T00:00:00Z"'),
  });
  const b = routeRequest(dated, 'http://tie.example.com/x');
  assert.deepEqual([b.route, b.tie], ['app/zeta', null]);
});

const rule = (backends: string, filters = '') =>
  `${PARENT}\nhostnames: [b.example.com]\nrules:\n- ${filters ? `filters: ${filters}\n  ` : ''}backendRefs: ${backends}`;
const one = (body: string, extra: Record<string, string> = {}) =>
  routeRequest(modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'apps.yaml': APPS, 'r.yaml': route('r', 'app', body), ...extra }), 'http://b.example.com/');

test('GW-6: weights split the traffic (default 1, 0 takes none)', () => {
  const a = one(rule('[{ name: web, port: 80, weight: 80 }, { name: canary, port: 80, weight: 20 }]'));
  assert.deepEqual(
    a.backends.map((b) => [b.backend, b.weight, b.percent, b.status]),
    [
      ['app/web:80', 80, 80, 200],
      ['app/canary:80', 20, 20, 200],
    ],
  );
  const b = one(rule('[{ name: web, port: 80 }, { name: canary, port: 80, weight: 0 }, { name: api, port: 80 }]'));
  assert.deepEqual(
    b.backends.map((x) => x.percent),
    [50, 0, 50],
  );
  const z = one(rule('[{ name: web, port: 80, weight: 0 }]'));
  assert.equal(z.status, 500);
});

test('GW-6, GW-7: a cross-namespace backend needs a ReferenceGrant in its namespace; without one its share gets 500', () => {
  const body = rule('[{ name: web, port: 80 }, { name: billing, namespace: pay, port: 80 }]');
  const billing = app('billing', 'pay');
  const denied = one(body, { 'b.yaml': billing });
  assert.deepEqual(
    denied.backends.map((b) => [b.percent, b.status, b.reason]),
    [
      [50, 200, null],
      [50, 500, 'RefNotPermitted'],
    ],
  );
  assert.equal(denied.status, 200);
  assert.match(denied.note, /^50% of requests reach a backend; 50% get 500 \(invalid ref\)/);
  const grant = (to: string, fromNs = 'app') => `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: from-app, namespace: pay }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ${fromNs} }]
  to: [${to}]
`;
  const allowed = one(body, { 'b.yaml': billing, 'g2.yaml': grant('{ group: "", kind: Service }') });
  assert.deepEqual([allowed.backends[1]!.status, allowed.backends[1]!.grant], [200, 'pay/from-app']);
  // The grant must name the Route's namespace, and its `to.name`, when set, the Service.
  assert.equal(one(body, { 'b.yaml': billing, 'g2.yaml': grant('{ group: "", kind: Service }', 'other') }).backends[1]!.reason, 'RefNotPermitted');
  assert.equal(one(body, { 'b.yaml': billing, 'g2.yaml': grant('{ group: "", kind: Service, name: ledger }') }).backends[1]!.reason, 'RefNotPermitted');
  assert.equal(one(body, { 'b.yaml': billing, 'g2.yaml': grant('{ group: "", kind: Service, name: billing }') }).backends[1]!.status, 200);
});

test('GW-7: ResolvedRefs reasons, the diagnostic at the backendRef entry, 500 and 503 outcomes', () => {
  const text = route('r', 'app', rule('[{ name: ghost, port: 80 }, { kind: ConfigMap, name: cm }]'));
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'r.yaml': text });
  const r = m.gatewayApi.routes[0]!;
  assert.deepEqual(
    r.rules[0]!.backends.map((b) => b.invalid?.reason),
    ['BackendNotFound', 'InvalidKind'],
  );
  assert.deepEqual([r.resolvedRefs.status, r.resolvedRefs.reason], [false, 'BackendNotFound']);
  const d = m.diagnostics.filter((x) => x.code === 'route-backend-unresolved');
  assert.equal(d.length, 2);
  assert.match(d[0]!.message, /^ResolvedRefs=False BackendNotFound: Service app\/ghost does not exist/);
  assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), '{ name: ghost, port: 80 }');
  assert.equal(routeRequest(m, 'http://b.example.com/').status, 500, 'no valid backend: every request gets 500');
  // A Service without a ready endpoint: 503 for its share.
  const empty = one(rule('[{ name: idle, port: 80 }]'), { 'idle.yaml': app('idle', 'app', 0) });
  assert.deepEqual([empty.status, empty.backends[0]!.status, empty.backends[0]!.readyEndpoints], [503, 503, 0]);
  // A port the Service does not have is an invalid ref.
  assert.equal(one(rule('[{ name: web, port: 8080 }]')).backends[0]!.status, 500);
  // No backendRefs and no filter: 500.
  assert.equal(one(`${PARENT}\nhostnames: [b.example.com]\nrules:\n- matches: [{ path: { value: / } }]`).status, 500);
});

test('GW-8: a RequestRedirect answers with its status code; filters are listed; illegal combinations are errors', () => {
  const a = one(`${PARENT}\nhostnames: [b.example.com]\nrules:\n- filters: [{ type: RequestRedirect, requestRedirect: { scheme: https, statusCode: 301 } }]`);
  assert.deepEqual([a.status, a.backends, a.filters.map((f) => f.summary)], [301, [], ['301 redirect (scheme https)']]);
  const h = one(
    rule(
      '[{ name: web, port: 80 }]',
      '[{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: X-Env, value: prod }], remove: [X-Debug] } }, { type: RequestMirror, requestMirror: { backendRef: { name: canary, port: 80 } } }]',
    ),
  );
  assert.deepEqual(
    h.filters.map((f) => f.type),
    ['RequestHeaderModifier', 'RequestMirror'],
  );
  assert.equal(h.filters[0]!.summary, 'request headers: set X-Env: prod; remove X-Debug');
  const bad = modelOf({
    'r.yaml': route(
      'r',
      'app',
      rule(
        '[{ name: web, port: 80 }]',
        '[{ type: RequestRedirect, requestRedirect: { scheme: https } }, { type: URLRewrite, urlRewrite: { hostname: x.example.com } }]',
      ),
    ),
  });
  assert.deepEqual(
    bad.diagnostics.filter((d) => d.rule === 'GW-8').map((d) => d.message.slice(0, 40)),
    ['RequestRedirect and URLRewrite may not b', 'A RequestRedirect filter must not be use'],
  );
});

test('GW-5: a GRPCRoute matches service and method; the longer service match wins; HTTP requests never take it', () => {
  const g = route(
    'rpc',
    'app',
    `${PARENT}
hostnames: [grpc.example.com]
rules:
- matches: [{ method: { service: shop.Cart } }]
  backendRefs: [${svc('cart')}]
- matches: [{ method: { service: shop.Cart, method: Checkout } }]
  backendRefs: [${svc('api')}]
- backendRefs: [${svc('web')}]`,
    'GRPCRoute',
  );
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'apps.yaml': APPS, 'g2.yaml': g });
  assert.equal(where(m, 'grpc://grpc.example.com/shop.Cart/Get'), 'app/rpc#0 200');
  assert.equal(where(m, 'grpc://grpc.example.com/shop.Cart/Checkout'), 'app/rpc#1 200', 'service and method beat service alone');
  assert.equal(where(m, 'grpc://grpc.example.com/shop.Users/Get'), 'app/rpc#2 200');
  assert.equal(where(m, 'http://grpc.example.com/shop.Cart/Get'), '-#- 404', 'an HTTP request is not matched against GRPCRoutes');
});

test('GW-5: an identical match later in the same Route never takes a request; across Routes it is a tie creation order decides', () => {
  const dup = route(
    'dup',
    'app',
    `${PARENT}\nhostnames: [d.example.com]\nrules:\n- matches: [{ path: { value: /a } }]\n  backendRefs: [${svc('web')}]\n- matches: [{ path: { value: /b } }, { path: { value: /a } }]\n  backendRefs: [${svc('api')}]`,
  );
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'apps.yaml': APPS, 'dup.yaml': dup });
  const shadowed = m.diagnostics.filter((d) => d.code === 'route-match-shadowed');
  assert.equal(shadowed.length, 1);
  assert.equal(shadowed[0]!.rule, 'GW-5');
  assert.match(shadowed[0]!.message, /PathPrefix \/a\) never takes a request: rule 0 of this Route/);
  assert.equal(m.gatewayApi.routes[0]!.rules[1]!.matches[1]!.shadowedBy, 'rule 0');
  assert.equal(m.gatewayApi.routes[0]!.rules[1]!.matches[0]!.shadowedBy, undefined);
  assert.equal(where(m, 'http://d.example.com/a'), 'app/dup#0 200');
  // Two Routes, the same hostname and match, no timestamps: a tie on the later one by name.
  const t = (name: string) => route(name, 'app', `${PARENT}\nhostnames: [t.example.com]\nrules:\n- backendRefs: [${svc('web')}]`);
  const tie = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'apps.yaml': APPS, 't.yaml': t('one') + '---\n' + t('two') });
  assert.deepEqual(
    tie.diagnostics.filter((d) => d.code.startsWith('route-match')).map((d) => [d.code, d.subject]),
    [['route-match-tie', 'HTTPRoute/app/two']],
  );
});
