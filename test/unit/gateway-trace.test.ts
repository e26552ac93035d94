// Unit tests: `trace --to url:` through a Gateway (GW-3..7, TR-8). A URL no Ingress takes but a Gateway
// listener serves enters the gateway's proxy pod (pods labelled gateway.networking.k8s.io/gateway-name, as
// Istio, NGINX Gateway Fabric and Envoy Gateway label them), which opens a new connection straight to a
// backend endpoint (pod IP, target port; no kube-proxy), judged by NetworkPolicy from the gateway pod.
// Expected paths derived by hand from those rules and the manifests below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trace, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { CLASS, app, gateway, route } from '../support/gateway';

const GW = gateway('gw', 'infra', ['{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }']);
const PROXY = `apiVersion: apps/v1
kind: Deployment
metadata: { name: gw-proxy, namespace: infra }
spec:
  selector: { matchLabels: { gateway.networking.k8s.io/gateway-name: gw } }
  template:
    metadata: { labels: { gateway.networking.k8s.io/gateway-name: gw } }
    spec: { containers: [{ name: envoy, image: envoy, ports: [{ containerPort: 80 }] }] }
`;
const CLIENT = `apiVersion: v1
kind: Pod
metadata: { name: curl, namespace: default }
spec: { containers: [{ name: c, image: curl }] }
`;
const ROUTE = route('r', 'app', 'parentRefs: [{ name: gw, namespace: infra }]\nhostnames: [app.example.com]\nrules:\n- backendRefs: [{ name: web, port: 80 }]');
const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: only-frontend, namespace: app }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress: [{ from: [{ podSelector: { matchLabels: { role: frontend } } }] }]
`;
const files = (extra: Record<string, string> = {}) => ({
  'c.yaml': CLASS,
  'g.yaml': GW,
  'web.yaml': app('web', 'app'),
  'r.yaml': ROUTE,
  'client.yaml': CLIENT,
  ...extra,
});
const go = (m: Model) => trace(m, 'pod:default/curl', 'url:http://app.example.com/x');

test('GW-6, TR-8: through the gateway pod, then a new connection from its IP straight to the endpoint', () => {
  const m = modelOf(files({ 'p.yaml': PROXY }));
  const r = go(m);
  assert.equal(r.verdict, 'delivered');
  const path = r.paths[0]!;
  const gwPod = m.pods.find((p) => p.namespace === 'infra')!;
  const web = m.pods.find((p) => p.namespace === 'app')!;
  assert.equal(path.endpoint, web.id);
  const proxy = path.hops.find((h) => h.at === 'gateway:infra/gw')!;
  assert.equal(proxy.action, 'proxy');
  assert.match(proxy.note, /HTTPRoute app\/r rule 0/);
  // Issue 9: the place is a field too, on the gateway pod's node, so no face parses `at`.
  assert.deepEqual(proxy.subject, { kind: 'gateway', id: 'infra/gw', node: gwPod.node! });
  const after = path.hops.slice(path.hops.indexOf(proxy) + 1);
  assert.equal(after[0]!.at, `pod:${gwPod.id}`, 'the second leg starts in the gateway pod');
  assert.equal(after[0]!.src, `${gwPod.ip}:49152`);
  assert.equal(after[0]!.dst, `${web.ip}:8080`, 'pod IP and target port: no ClusterIP, no DNAT');
  assert.ok(!path.hops.some((h) => h.action === 'DNAT' && path.hops.indexOf(h) > path.hops.indexOf(proxy)));
});

test('GW-6, NP-*: NetworkPolicy is judged from the gateway pod to the backend pod', () => {
  const r = go(modelOf(files({ 'p.yaml': PROXY, 'np.yaml': DENY })));
  assert.deepEqual([r.verdict, r.reason], ['dropped', 'policy-denied']);
});

test('GW-6: without gateway pods in the files the second leg is assumed, and says so', () => {
  const r = go(modelOf(files()));
  assert.equal(r.verdict, 'delivered');
  const last = r.paths[0]!.hops.at(-1)!;
  assert.match(last.note, /^assumed delivered: the gateway pod is not in the files/);
});

test('GW-5, GW-7: a URL the Gateway answers with 404 is dropped at the gateway', () => {
  const r = trace(modelOf(files({ 'p.yaml': PROXY })), 'pod:default/curl', 'url:http://other.example.com/');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.paths[0]!.endpoint, 'gateway:infra/gw');
  assert.match(r.paths[0]!.hops.at(-1)!.note, /answers 404/);
});
