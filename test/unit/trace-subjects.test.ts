// Unit tests (model + server feature): trace hops carry where they happen as fields (`subject`, `policies`,
// issue 9), so the editor's click-through and the panel's picture never parse `at`. Hand-written manifests on
// the default profile (CL-1): node1 10.0.0.1 with 10.42.0.0/24 (flannel.1 10.42.0.0, cni0 10.42.0.1), node2
// 10.0.0.2 with 10.42.1.0/24 (flannel.1 10.42.1.0, cni0 10.42.1.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trace, type TraceHop } from '../../server/src/model/index';
import { trace as traceRequest, withSources } from '../../server/src/features/trace';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netpath } from '../support/cli';
import { Workspace, type Snapshot } from '../../server/src/workspace';

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  nodeName: node2
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: default
  labels: {app: client}
spec:
  nodeName: node1
  containers:
  - name: c
    image: curl
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
`;

const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-web
  namespace: default
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`;

const INGRESS = `apiVersion: v1
kind: Pod
metadata:
  name: controller
  namespace: ingress-nginx
  labels: {app: ingress}
spec:
  nodeName: node1
  containers:
  - name: nginx
    image: ingress-nginx
    ports: [{containerPort: 80, hostPort: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: default
spec:
  rules:
  - host: shop.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
`;

/** A snapshot as the server builds it, from files named by URI. */
function snapshotOf(files: Record<string, string>): Snapshot {
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setDisk(uri, text);
  return ws.analyze();
}

const where = (hops: TraceHop[]) => hops.map((h) => `${h.action} ${h.subject.kind}:${h.subject.id}${h.subject.node ? `@${h.subject.node}` : ''}`);

test('TR-5, TR-2: a NodePort from outside entering node1 — every hop says where it is as fields, pods with their node', () => {
  const t = trace(snapshotOf({ 'file:///ws/web.yaml': WEB }).model, 'host:10.0.0.3', 'svc:default/web');
  const viaNode1 = t.paths.find((p) => p.entry === 'node1');
  assert.ok(viaNode1, JSON.stringify(t.paths.map((p) => p.entry)));
  // The outside host sends and routes to node1's eth0; node1 DNATs to web (on node2) and masquerades to its
  // flannel.1 address so the reply comes back through it (TR-5); VXLAN to node2; node2's cni0 hands it to web.
  assert.deepEqual(where(viaNode1.hops), [
    'send host:10.0.0.3',
    'route host:10.0.0.3',
    'DNAT node:node1@node1',
    'SNAT node:node1@node1',
    'route node:node1@node1',
    'encap node:node1@node1',
    'decap node:node2@node2',
    'route node:node2@node2',
    'deliver pod:default/web@node2',
  ]);
  // `at` still says the same place in words (docs/cli.md: nothing renamed).
  assert.deepEqual(
    viaNode1.hops.map((h) => h.at),
    ['host:10.0.0.3', 'host:10.0.0.3', 'node:node1', 'node:node1', 'node:node1', 'node:node1', 'node:node2', 'node:node2', 'pod:default/web'],
  );
  // The reply is un-NAT-ed on node1 and ends at the client.
  assert.deepEqual(
    viaNode1.reply?.map((h) => h.subject.kind),
    ['pod', 'node', 'node', 'node', 'node', 'node', 'node', 'host'],
  );
  // The nodes the hops touch, with their interfaces' addresses (CL-3).
  assert.deepEqual(t.nodes, [
    { name: 'node1', internalIP: '10.0.0.1', podCIDR: '10.42.0.0/24', overlayIP: '10.42.0.0', bridgeIP: '10.42.0.1' },
    { name: 'node2', internalIP: '10.0.0.2', podCIDR: '10.42.1.0/24', overlayIP: '10.42.1.0', bridgeIP: '10.42.1.1' },
  ]);
});

test('NP-5: the policy hop and the drop it causes name the deciding NetworkPolicy as a list, not only in `rule`', () => {
  const t = trace(snapshotOf({ 'file:///ws/web.yaml': WEB, 'file:///ws/deny.yaml': DENY }).model, 'pod:default/client', 'pod:default/web');
  assert.equal(t.verdict, 'dropped');
  const p = t.paths[0]!;
  const policy = p.hops.find((h) => h.action === 'policy');
  const drop = p.hops[p.hops.length - 1]!;
  assert.deepEqual(
    [policy?.rule, policy?.policies, policy?.subject],
    ['default/deny-web', ['default/deny-web'], { kind: 'pod', id: 'default/web', node: 'node2' }],
  );
  assert.deepEqual([drop.action, drop.rule, drop.policies], ['drop', 'NP-5', ['default/deny-web']]);
  // Hops no policy decided carry no `policies` key.
  assert.ok(p.hops.filter((h) => h !== policy && h !== drop).every((h) => !('policies' in h)));
});

test("TR-8: the ingress controller's hop names the controller pod and its node (one place with the pod it runs in)", () => {
  const t = trace(snapshotOf({ 'file:///ws/web.yaml': WEB, 'file:///ws/ing.yaml': INGRESS }).model, 'host:10.0.0.3', 'url:http://shop.example/');
  assert.equal(t.verdict, 'delivered');
  const proxy = t.paths[0]!.hops.find((h) => h.action === 'proxy');
  assert.deepEqual([proxy?.at, proxy?.subject], ['ingress-controller', { kind: 'ingress-controller', id: 'ingress-nginx/controller', node: 'node1' }]);
});

test("the editor's click-through reads the fields: the controller hop opens its pod, the drop opens the denying policy", () => {
  const snap = snapshotOf({ 'file:///ws/web.yaml': WEB, 'file:///ws/deny.yaml': DENY, 'file:///ws/ing.yaml': INGRESS });
  const denied = withSources(snap, trace(snap.model, 'pod:default/client', 'pod:default/web'));
  const hops = denied.paths[0]!.hops;
  // `name: deny-web` is on line 3 (0-based), the name's value at column 8.
  assert.deepEqual(hops[hops.length - 1]!.source, { uri: 'file:///ws/deny.yaml', line: 3, character: 8 });
  const url = withSources(snap, trace(snap.model, 'host:10.0.0.3', 'url:http://shop.example/'));
  const proxy = url.paths[0]!.hops.find((h) => h.action === 'proxy');
  // The controller pod's manifest: `name: controller` on line 3 of ing.yaml.
  assert.deepEqual(proxy?.source, { uri: 'file:///ws/ing.yaml', line: 3, character: 8 });
});

test('the panel\'s "Copy as text" is the CLI\'s own text: netpath/trace answers it byte for byte as `netpath trace` prints it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-trace-text-'));
  try {
    // A hostile pod name: the CLI escapes control characters and bidi overrides, and so must the copied text.
    const hostile = WEB.replace('name: client', 'name: "client\\u202e"');
    writeFileSync(join(dir, 'web.yaml'), hostile);
    writeFileSync(join(dir, 'deny.yaml'), DENY);
    const cli = netpath(['trace', '--from', 'pod:default/client\u202e', '--to', 'svc:default/web', dir]);
    assert.equal(cli.code, 1, cli.stderr); // dropped by default/deny-web
    const snap = snapshotOf({ [`file://${dir}/web.yaml`]: hostile, [`file://${dir}/deny.yaml`]: DENY });
    const r = traceRequest(snap, { from: 'pod:default/client\u202e', to: 'svc:default/web' });
    assert.ok('trace' in r, JSON.stringify(r));
    assert.equal(`${r.text}\n`, cli.stdout);
    assert.ok(r.text?.includes('\\u202e') && !r.text.includes('\u202e'), 'the bidi override is escaped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
