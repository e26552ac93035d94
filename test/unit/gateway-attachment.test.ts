// Unit tests: Gateway API classes, listeners and Route attachment with the predicted Accepted condition
// (GW-1..4). Expected results derived by hand from the specification's comments in
// kubernetes-sigs/gateway-api: apis/v1/gateway_types.go (Listeners, AllowedRoutes, Listener.Hostname),
// apis/v1/httproute_types.go (HTTPRouteSpec.Hostnames), apis/v1/shared_types.go (ParentReference,
// RouteConditionReason). The fixtures are this project's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intersectHostnames, unsimulatedKinds, unsimulatedSummary, wildcardMatches, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { CLASS, gateway, namespace, route } from '../support/gateway';

const GW = gateway('gw', 'infra', [
  '{ name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: { namespaces: { from: All } } }',
  '{ name: admin, port: 80, protocol: HTTP, hostname: admin.example.com }',
  '{ name: shop, port: 8080, protocol: HTTP, allowedRoutes: { namespaces: { from: Selector, selector: { matchLabels: { team: shop } } } } }',
  '{ name: grpc-only, port: 9000, protocol: HTTP, allowedRoutes: { namespaces: { from: All }, kinds: [{ kind: GRPCRoute }] } }',
]);
const NS = namespace('shop', 'team: shop') + '---\n' + namespace('web');

function parentOf(m: Model, id: string, index = 0) {
  const r = m.gatewayApi.routes.find((x) => x.id === id);
  assert.ok(r, `route ${id}`);
  const p = r.parents.find((x) => x.index === index);
  assert.ok(p, `parentRef ${index} of ${id}`);
  return p;
}
const gwDiags = (m: Model) => m.diagnostics.filter((d) => d.rule?.startsWith('GW-')).map((d) => `${d.code} ${d.severity}`);

test('GW-3: a listener wildcard is a suffix match (any number of labels), never the bare domain', () => {
  assert.equal(wildcardMatches('*.example.com', 'foo.example.com'), true);
  assert.equal(wildcardMatches('*.example.com', 'foo.bar.example.com'), true, 'unlike Ingress (ING-1), more than one label');
  assert.equal(wildcardMatches('*.example.com', 'example.com'), false);
  assert.equal(wildcardMatches('*.example.com', 'example.net'), false);
  // HTTPRouteSpec.Hostnames: listener test.example.com takes Routes naming it or *.example.com; the kept name is the listener's.
  assert.deepEqual(intersectHostnames('test.example.com', ['*.example.com']), ['test.example.com']);
  // A listener *.example.com keeps test.example.com and foo.test.example.com, drops example.com and test.example.net.
  assert.deepEqual(intersectHostnames('*.example.com', ['test.example.com', 'foo.test.example.com', 'example.com', 'test.example.net']), [
    'test.example.com',
    'foo.test.example.com',
  ]);
  assert.deepEqual(intersectHostnames('*.foo.example.com', ['*.example.com']), ['*.foo.example.com']);
  assert.deepEqual(intersectHostnames(null, []), ['*'], 'neither side names a host: every host');
  assert.deepEqual(intersectHostnames(null, ['a.example.com']), ['a.example.com']);
  assert.deepEqual(intersectHostnames('a.example.com', []), ['a.example.com']);
});

test('GW-1: a GatewayClass in the files names the controller, assumed running; no diagnostic', () => {
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW });
  const gw = m.gatewayApi.gateways[0]!;
  assert.equal(gw.controller, 'gateway.envoyproxy.io/gatewayclass-controller');
  assert.equal(gw.served, true);
  assert.match(gw.controllerNote, /assumed to be running/);
  assert.deepEqual(gwDiags(m), []);
});

test('GW-1: with no GatewayClass in the files the class is assumed installed: no false alarm', () => {
  const m = modelOf({ 'g.yaml': GW });
  assert.equal(m.gatewayApi.gateways[0]!.served, true);
  assert.match(m.gatewayApi.gateways[0]!.controllerNote, /assumed to be installed/);
  assert.deepEqual(gwDiags(m), []);
});

test('GW-1, GW-4: a class absent while others are declared: the Gateway is unserved, its Routes get no status', () => {
  const m = modelOf({
    'c.yaml': CLASS,
    'g.yaml': gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP }'], 'nginx'),
    'r.yaml': route('r', 'infra', 'parentRefs: [{ name: gw }]'),
  });
  assert.equal(m.gatewayApi.gateways[0]!.served, false);
  const d = m.diagnostics.find((x) => x.code === 'gateway-class-not-found');
  assert.ok(d);
  assert.equal(d.rule, 'GW-1');
  assert.match(d.message, /"nginx" is not declared.*declared: eg/);
  assert.equal(parentOf(m, 'infra/r').accepted.reason, 'NoStatus');
  assert.deepEqual(gwDiags(m), ['gateway-class-not-found warning', 'route-gateway-not-found warning']);
});

test('GW-2, GW-4: allowedRoutes.namespaces defaults to Same; All and Selector admit other namespaces', () => {
  const m = modelOf({
    'c.yaml': CLASS,
    'g.yaml': GW,
    'ns.yaml': NS,
    'r.yaml': [
      route('same-default', 'web', 'parentRefs: [{ name: gw, namespace: infra, sectionName: admin }]\nhostnames: [admin.example.com]'),
      route('all', 'web', 'parentRefs: [{ name: gw, namespace: infra, sectionName: http }]'),
      route('selected', 'shop', 'parentRefs: [{ name: gw, namespace: infra, sectionName: shop }]'),
      route('not-selected', 'web', 'parentRefs: [{ name: gw, namespace: infra, sectionName: shop }]'),
    ].join('---\n'),
  });
  const same = parentOf(m, 'web/same-default');
  assert.deepEqual([same.accepted.status, same.accepted.reason], [false, 'NotAllowedByListeners']);
  assert.match(same.accepted.message, /only Routes of namespace infra \(allowedRoutes\.namespaces\.from: Same, the default\)/);
  assert.deepEqual(parentOf(m, 'web/all').attached, [{ listener: 'http', hostnames: ['*.example.com'] }]);
  assert.equal(parentOf(m, 'shop/selected').accepted.reason, 'Accepted');
  assert.equal(parentOf(m, 'web/not-selected').accepted.reason, 'NotAllowedByListeners');
});

test('GW-2: allowedRoutes.kinds restricts the Route kinds; empty kinds follow the protocol', () => {
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'r.yaml': route('r', 'infra', 'parentRefs: [{ name: gw, sectionName: grpc-only }]') });
  const p = parentOf(m, 'infra/r');
  assert.equal(p.accepted.reason, 'NotAllowedByListeners');
  assert.match(p.accepted.message, /admits GRPCRoute, not HTTPRoute/);
  assert.deepEqual(m.gatewayApi.gateways[0]!.listeners.find((l) => l.name === 'http')!.kinds, ['HTTPRoute', 'GRPCRoute']);
});

test('GW-3, GW-4: sectionName and port must both match a listener, else NoMatchingParent', () => {
  const m = modelOf({
    'c.yaml': CLASS,
    'g.yaml': GW,
    'r.yaml': route('r', 'infra', 'parentRefs:\n- { name: gw, sectionName: nope }\n- { name: gw, sectionName: shop, port: 80 }\n- { name: gw, port: 8080 }'),
  });
  assert.equal(parentOf(m, 'infra/r', 0).accepted.reason, 'NoMatchingParent');
  assert.equal(parentOf(m, 'infra/r', 1).accepted.reason, 'NoMatchingParent', 'shop listens on 8080, not 80');
  // port 8080 selects only listener shop, whose Selector (team=shop) does not take namespace infra.
  assert.equal(parentOf(m, 'infra/r', 2).accepted.reason, 'NotAllowedByListeners');
});

test('GW-3: without sectionName a Route attaches to every listener that admits it, each keeping the intersecting hostnames', () => {
  const m = modelOf({
    'c.yaml': CLASS,
    'g.yaml': GW,
    'r.yaml': route('r', 'infra', 'parentRefs: [{ name: gw }]\nhostnames: [admin.example.com, a.b.example.com, other.net]'),
  });
  // http (*.example.com) keeps both example.com names; admin keeps its own; shop (Selector team=shop) does
  // not admit namespace infra; grpc-only admits no HTTPRoute.
  assert.deepEqual(parentOf(m, 'infra/r').attached, [
    { listener: 'http', hostnames: ['admin.example.com', 'a.b.example.com'] },
    { listener: 'admin', hostnames: ['admin.example.com'] },
  ]);
  assert.equal(parentOf(m, 'infra/r').accepted.status, true);
});

test('GW-3, GW-4: no intersecting hostname: Accepted=False NoMatchingListenerHostname, a diagnostic at the parentRef entry', () => {
  const text = route('r', 'web', 'parentRefs:\n- name: gw\n  namespace: infra\n  sectionName: http\nhostnames: [shop.other.net]');
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'r.yaml': text });
  assert.equal(parentOf(m, 'web/r').accepted.reason, 'NoMatchingListenerHostname');
  const d = m.diagnostics.find((x) => x.code === 'route-not-accepted');
  assert.ok(d);
  assert.equal(d.rule, 'GW-4');
  assert.match(d.message, /^Accepted=False NoMatchingListenerHostname: /);
  const at = text.slice(d.span.start, d.span.end);
  assert.match(at, /name: gw/);
  assert.match(at, /sectionName: http/);
  assert.doesNotMatch(at, /hostnames/);
});

test('GW-2: a TCP listener sharing a port with HTTP makes both Conflicted; duplicate names are rejected', () => {
  const m = modelOf({
    'c.yaml': CLASS,
    'g.yaml': gateway('gw', 'infra', [
      '{ name: web, port: 80, protocol: HTTP }',
      '{ name: raw, port: 80, protocol: TCP }',
      '{ name: web, port: 81, protocol: HTTP }',
    ]),
    'r.yaml': route('r', 'infra', 'parentRefs: [{ name: gw, sectionName: web, port: 80 }]'),
  });
  const ls = m.gatewayApi.gateways[0]!.listeners;
  assert.match(ls[0]!.conflicted ?? '', /^ProtocolConflict/);
  assert.match(ls[1]!.conflicted ?? '', /^ProtocolConflict/);
  assert.equal(ls[2]!.conflicted, undefined);
  assert.deepEqual(gwDiags(m), [
    'invalid-field error',
    'gateway-listener-conflicted warning',
    'gateway-listener-conflicted warning',
    'route-not-accepted warning',
  ]);
});

test('GW-4: a parentRef to a Gateway not in the files is a warning when the files hold Gateways, else a note', () => {
  const r = route('r', 'web', 'parentRefs: [{ name: shared, namespace: platform }]');
  assert.deepEqual(gwDiags(modelOf({ 'r.yaml': r })), ['route-gateway-not-found info']);
  assert.deepEqual(gwDiags(modelOf({ 'g.yaml': GW, 'r.yaml': r })), ['route-gateway-not-found warning']);
});

test('IN-6, GW-5: Routes, classes and grants are simulated; a Gateway is partly (routing yes, the pods its controller deploys no)', () => {
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'r.yaml': route('r', 'infra', 'parentRefs: [{ name: gw }]') });
  assert.deepEqual(unsimulatedKinds(m.resources), []);
  const line = unsimulatedSummary(m.resources) ?? '';
  assert.doesNotMatch(line, /Read but not simulated/);
  assert.match(
    line,
    /^Partly simulated \(IN-6\): Gateway \(1\): listeners and routing are simulated .*the proxy pods and Service its controller deploys are not/,
  );
  const withOperator = modelOf({
    'g.yaml': GW,
    'p.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: { name: k8s, namespace: infra }\n',
  });
  assert.match(unsimulatedSummary(withOperator.resources) ?? '', /^Read but not simulated \(IN-6\): Prometheus \(1\)\..* Partly simulated: Gateway \(1\)/);
});

test('GW-4: an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener: only one is accepted (the older; else creation order decides)', () => {
  const gw = gateway('gw', 'infra', ['{ name: web, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }']);
  const http = (meta = '') => route('web', 'app', 'parentRefs: [{ name: gw, namespace: infra }]\nhostnames: [app.example.com]', 'HTTPRoute', meta);
  const grpc = (host: string, meta = '') => route('api', 'app', `parentRefs: [{ name: gw, namespace: infra }]\nhostnames: ["${host}"]`, 'GRPCRoute', meta);
  // No timestamps: the model keeps app/api (first by namespace/name) and says creation order decides.
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': gw, 'r.yaml': http() + '---\n' + grpc('*.example.com') });
  const lost = m.gatewayApi.routes.find((r) => r.kind === 'HTTPRoute')!.parents[0]!;
  assert.deepEqual([lost.accepted.status, lost.attached], [false, []]);
  assert.match(lost.accepted.message, /creation order decides/);
  assert.equal(m.gatewayApi.routes.find((r) => r.kind === 'GRPCRoute')!.parents[0]!.accepted.status, true);
  // The older HTTPRoute wins when both timestamps are written.
  const dated = modelOf({
    'c.yaml': CLASS,
    'g.yaml': gw,
    'r.yaml': http(', creationTimestamp: "2024-01-01T00:00:00Z"') + '---\n' + grpc('*.example.com', ', creationTimestamp: "2025-01-01T00:00:00Z"'),
  });
  assert.equal(dated.gatewayApi.routes.find((r) => r.kind === 'GRPCRoute')!.parents[0]!.accepted.status, false);
  assert.equal(dated.gatewayApi.routes.find((r) => r.kind === 'HTTPRoute')!.parents[0]!.accepted.status, true);
  // Disjoint hostnames: both attach.
  const apart = modelOf({ 'c.yaml': CLASS, 'g.yaml': gw, 'r.yaml': http() + '---\n' + grpc('grpc.example.com') });
  assert.deepEqual(
    apart.gatewayApi.routes.map((r) => r.parents[0]!.accepted.status),
    [true, true],
  );
});

test("GW-1, CL-1: a class listed in the profile's gatewayClasses is served by the controller named there", () => {
  const profile = 'gatewayClasses:\n  - { name: nginx, controllerName: gateway.nginx.org/nginx-gateway-controller }\n';
  const files = {
    'c.yaml': CLASS,
    'g.yaml': gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP }'], 'nginx'),
    'r.yaml': route('r', 'infra', 'parentRefs: [{ name: gw }]'),
  };
  const m = modelOf({ ...files, 'netpath.cluster.yaml': profile });
  const gw = m.gatewayApi.gateways[0]!;
  assert.deepEqual([gw.served, gw.controller], [true, 'gateway.nginx.org/nginx-gateway-controller']);
  assert.match(gw.controllerNote, /per the profile/);
  assert.deepEqual(gwDiags(m), []);
  assert.equal(parentOf(m, 'infra/r').accepted.status, true);
  // A class neither in the files nor in the profile, while the profile lists classes: unserved.
  const other = modelOf({ 'g.yaml': gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP }'], 'traefik'), 'netpath.cluster.yaml': profile });
  assert.match(other.diagnostics.find((d) => d.code === 'gateway-class-not-found')?.message ?? '', /declared: nginx \(profile\)/);
  // A bad entry is a profile diagnostic and is left out.
  const bad = modelOf({
    'g.yaml': gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP }'], 'x'),
    'netpath.cluster.yaml': 'gatewayClasses:\n  - { name: x, controllerName: "no slash" }\n',
  });
  assert.ok(bad.diagnostics.some((d) => d.file === 'netpath.cluster.yaml' && /domain-prefixed path/.test(d.message)));
  assert.equal(bad.profile.gatewayClasses?.length, 0);
});

test('GW-3: a Route hostname that is an IP address or not a string is refused where it is written', () => {
  const text = route('r', 'infra', 'parentRefs: [{ name: gw }]\nhostnames: [10.0.0.1, 7, ok.example.com]');
  const m = modelOf({ 'c.yaml': CLASS, 'g.yaml': GW, 'r.yaml': text });
  const errs = m.diagnostics.filter((d) => d.rule === 'GW-3');
  assert.deepEqual(
    errs.map((d) => text.slice(d.span.start, d.span.end)),
    ['10.0.0.1', '7'],
  );
  assert.deepEqual(m.gatewayApi.routes[0]!.hostnames, ['ok.example.com']);
});
