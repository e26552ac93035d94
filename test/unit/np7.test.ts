// Unit tests: NP-7, traffic NetworkPolicy never isolates: a pod and its own node, a pod and itself
// (hairpin through its own Service); hostNetwork pods are not isolated by most plugins. And `reach`,
// `trace` and `connectivity` agree on every verdict over the same pairs (a property over a workspace).
// Expected verdicts are derived by hand from the Kubernetes NetworkPolicy docs ("traffic to and from the
// node where a Pod is running is always allowed"; "a pod cannot block access to itself").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectivity, reach, trace, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';

const PROFILE = `nodes:
  - { name: node1, ip: 10.0.0.1, podCIDR: 10.42.0.0/24 }
  - { name: node2, ip: 10.0.0.2, podCIDR: 10.42.1.0/24 }
`;

const pod = (name: string, labels: string, node: string, port: number, extra = '') => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: shop, labels: { ${labels} } }
spec:
  nodeName: ${node}${extra}
  containers: [{ name: c, image: x, ports: [{ containerPort: ${port}, name: web }] }]
---
`;

/** `api` on node1 denies every ingress and egress; `web` (node2) admits only `api` on 80. */
const WS: Record<string, string> = {
  'netpath.cluster.yaml': PROFILE,
  'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
  'pods.yaml':
    pod('api', 'app: api', 'node1', 8080) +
    pod('web', 'app: web, tier: back', 'node2', 80) +
    pod('db', 'app: db, tier: back', 'node1', 5432) +
    pod('agent', 'app: agent', 'node1', 9100, '\n  hostNetwork: true'),
  'svc.yaml': `apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { selector: { app: api }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: back, namespace: shop }
spec: { selector: { tier: back }, ports: [{ port: 80, targetPort: web }] }
`,
  'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-api, namespace: shop }
spec: { podSelector: { matchLabels: { app: api } }, policyTypes: [Ingress, Egress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-from-api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: api } } }], ports: [{ port: 80 }] }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-from-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }] }]
`,
};
const M: Model = modelOf(WS);

test('NP-7: node1 (and the hostNetwork agent on it) reaches api on node1 though deny-api isolates it', () => {
  for (const from of ['node:node1', 'pod:shop/agent']) {
    assert.equal(reach(M, from, 'pod:shop/api', 'TCP/8080').allowed, true, `reach from ${from}`);
    const t = trace(M, from, 'pod:shop/api', 'TCP/8080');
    assert.equal(t.verdict, 'delivered', `trace from ${from}`);
    assert.ok(
      t.paths[0]!.hops.some((h) => h.rule === 'NP-7'),
      'the trace says which rule let it through',
    );
  }
  // Another node is not exempt: deny-api still drops it.
  assert.equal(reach(M, 'node:node2', 'pod:shop/api', 'TCP/8080').allowed, false);
  assert.equal(trace(M, 'node:node2', 'pod:shop/api', 'TCP/8080').verdict, 'dropped');
});

test('NP-7: api reaches its own node (egress-isolated) but not another node', () => {
  assert.equal(reach(M, 'pod:shop/api', 'node:node1', 'TCP/10250').allowed, true);
  assert.equal(trace(M, 'pod:shop/api', 'node:node1', 'TCP/10250').verdict, 'delivered');
  assert.equal(reach(M, 'pod:shop/api', 'node:node2', 'TCP/10250').allowed, false);
  assert.equal(trace(M, 'pod:shop/api', 'node:node2', 'TCP/10250').verdict, 'dropped');
});

test('NP-7: api reaches itself through its own Service (hairpin) though deny-api isolates both directions', () => {
  assert.equal(reach(M, 'pod:shop/api', 'svc:shop/api:80').allowed, true);
  const t = trace(M, 'pod:shop/api', 'svc:shop/api:80');
  assert.equal(t.verdict, 'delivered');
  assert.deepEqual(
    t.paths.map((p) => p.endpoint),
    ['shop/api'],
  );
});

test('NP-7: a policy selecting only hostNetwork pods says so, never "matches no pod"', () => {
  const m = modelOf({
    ...WS,
    'np-agent.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: agent-only, namespace: shop }
spec: { podSelector: { matchLabels: { app: agent } }, policyTypes: [Ingress] }
`,
  });
  const d = m.diagnostics.filter((x) => x.subject === 'NetworkPolicy/shop/agent-only');
  assert.deepEqual(
    d.map((x) => [x.code, x.rule]),
    [['networkpolicy-selects-hostnetwork-only', 'NP-7']],
  );
  assert.match(d[0]!.message, /selects only hostNetwork pods \(shop\/agent\), which most plugins do not isolate/);
  assert.doesNotMatch(d[0]!.message, /matches no pod/);
});

/** The ports a connectivity line admits, as a predicate. */
function connAllows(m: Model, src: string, dst: string, port: number): boolean {
  const c = connectivity(m).find((x) => x.src === src && x.dst === dst);
  if (!c) return false;
  if (!Array.isArray(c.ports)) return c.ports === 'All';
  return c.ports.some((p) => {
    const [proto, range] = p.split(' ');
    if (proto !== 'TCP') return false;
    if (range === 'all') return true;
    const [lo, hi] = range!.split('-').map(Number);
    return port >= lo! && port <= (hi ?? lo)!;
  });
}

test('NP-7: reach, trace and connectivity agree on every pod pair, node pair and hairpin of the workspace', () => {
  const pods = M.pods.filter((p) => p.ip);
  const label = (id: string) => `${id}[Pod]`;
  let pairs = 0;
  for (const a of pods) {
    for (const b of pods) {
      for (const port of [80, 5432, 8080]) {
        const r = reach(M, `pod:${a.id}`, `pod:${b.id}`, `TCP/${port}`).allowed;
        const t = trace(M, `pod:${a.id}`, `pod:${b.id}`, `TCP/${port}`).verdict === 'delivered';
        assert.equal(t, r, `${a.id} -> ${b.id}:${port}: trace ${t}, reach ${r}`);
        // connectivity lists workloads whose pods are subject to policies (not hostNetwork), never a pod to itself.
        if (a.id !== b.id && !a.hostNetwork && !b.hostNetwork)
          assert.equal(connAllows(M, label(a.id), label(b.id), port), r, `connectivity ${a.id} -> ${b.id}:${port}`);
        pairs++;
      }
    }
    for (const n of M.nodes) {
      for (const [from, to] of [
        [`pod:${a.id}`, `node:${n.name}`],
        [`node:${n.name}`, `pod:${a.id}`],
      ] as const) {
        const r = reach(M, from, to, 'TCP/80').allowed;
        const t = trace(M, from, to, 'TCP/80').verdict === 'delivered';
        assert.equal(t, r, `${from} -> ${to}: trace ${t}, reach ${r}`);
        pairs++;
      }
    }
    for (const svc of ['svc:shop/api:80', 'svc:shop/back:80']) {
      const viaSvc = reach(M, `pod:${a.id}`, svc).allowed;
      assert.equal(trace(M, `pod:${a.id}`, svc).verdict === 'delivered', viaSvc, `${a.id} -> ${svc}`);
    }
  }
  assert.ok(pairs > 50);
});

test('TR-9, NP-7: reach to a Service whose endpoints the policies split is allowed to some, as trace delivers on some paths', () => {
  // db -> back: `back` selects web (admits only api on 80) and db (admits web; itself always, NP-7 hairpin).
  // The named targetPort `web` is 80 on web and 5432 on db.
  const r = reach(M, 'pod:shop/db', 'svc:shop/back:80');
  assert.equal(r.allowed, true);
  assert.deepEqual(r.endpoints.map((e) => [e.pod, e.port, e.allowed]).sort(), [
    ['shop/db', 5432, true],
    ['shop/web', 80, false],
  ]);
  assert.equal(r.ingress.allowed, true);
  assert.equal(r.ingress.endpointsAllowed, 1);
  assert.match(r.note ?? '', /TR-9/);
  const t = trace(M, 'pod:shop/db', 'svc:shop/back:80');
  assert.equal(t.verdict, 'delivered');
  assert.deepEqual(t.paths.map((p) => [p.endpoint, p.verdict]).sort(), [
    ['shop/db', 'delivered'],
    ['shop/web', 'dropped'],
  ]);
  // api's egress is denied everywhere: denied at both endpoints, and egress is the direction at fault.
  const none = reach(M, 'pod:shop/api', 'svc:shop/back:80');
  assert.equal(none.allowed, false);
  assert.equal(none.egress.allowed, false);
  assert.equal(none.egress.endpointsAllowed, 0);
});
