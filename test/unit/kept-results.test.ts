// Unit tests: results a later stage keeps from build to build while what it reads is the same (issue 13), and makes
// again as soon as that changes: a Service's endpoints (EP-1, SVC-2), an Ingress (ING-4), a NetworkPolicy's selection
// (NP-1), the NP-6 check. Each incremental build must equal a fresh one; where a result is kept, the model holds the
// previous build's object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonMap, Model } from '../../server/src/model/index';
import { workspaceOf, type EditableWorkspace } from '../support/edit-workspace';
import { Incremental, fresh, modelText } from '../support/incremental-builds';

interface WebFacts {
  replicas?: number;
  containerPort?: number;
  tier?: string;
  mode?: string;
  servicePort?: number;
  targetPort?: string | number;
  /** A second Deployment of the same app (web-canary, one replica), which the Service selects too. */
  canary?: boolean;
}

/** shop: Deployment web (env from ConfigMap settings), Service web (targetPort by name), an Ingress to it, a deny-all. */
function shop(f: WebFacts = {}): EditableWorkspace {
  const deployment = (name: string, replicas: number): JsonMap => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', tier: f.tier ?? 'front' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'x',
              ports: [{ name: 'http', containerPort: f.containerPort ?? 8080 }],
              env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }],
            },
          ],
        },
      },
    },
  });
  const objects: JsonMap[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mode: f.mode ?? 'a' } },
    deployment('web', f.replicas ?? 2),
    ...(f.canary ? [deployment('web-canary', 1)] : []),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ port: f.servicePort ?? 80, targetPort: f.targetPort ?? 'http' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        rules: [
          { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'front-deny-all', namespace: 'shop' },
      // NP-1: matchExpressions are tested on each pod carrying the matchLabels; no ingress rule: nothing is admitted.
      spec: {
        podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
        policyTypes: ['Ingress'],
      },
    },
  ];
  return workspaceOf(objects);
}

/** The model of `before`, then of `after`, built incrementally; each checked against a fresh build. */
function edit(before: WebFacts, after: WebFacts): { a: Model; b: Model } {
  const inc = new Incremental();
  const ws = shop(before);
  const a = inc.build(ws);
  assert.equal(modelText(a), modelText(fresh(ws)));
  const changed = shop(after);
  const b = inc.build(changed);
  assert.equal(modelText(b), modelText(fresh(changed)));
  return { a, b };
}

const web = (m: Model) => m.services.find((s) => s.id === 'shop/web')!;
const endpointOf = (m: Model, pod: string) =>
  web(m)
    .endpointSlices.flatMap((s) => s.endpoints)
    .find((e) => e.pod === pod);
const podIds = (m: Model, owner = 'web') => m.pods.filter((p) => p.owner.name === owner).map((p) => p.id);
const codes = (m: Model) => m.diagnostics.map((d) => d.code);

test('EP-1: a replica added to one workload keeps the endpoint of the other workload pod (the same object)', () => {
  const { a, b } = edit({ replicas: 2, canary: true }, { replicas: 3, canary: true });
  const [canary] = podIds(a, 'web-canary');
  assert.ok(canary && endpointOf(a, canary));
  assert.equal(endpointOf(b, canary), endpointOf(a, canary), 'the same pod, the same endpoint');
  assert.equal(podIds(b).length, 3);
  for (const id of podIds(b)) assert.ok(endpointOf(b, id), `${id} is an endpoint`);
  assert.deepEqual(
    web(b).endpoints.map((e) => e.ports.map((p) => p.port)),
    [[8080], [8080], [8080], [8080]],
  );
});

test('SVC-2: a targetPort edited gives every endpoint the new port, though its pods are the same', () => {
  const { a, b } = edit({ targetPort: 'http' }, { targetPort: 8081 });
  assert.deepEqual(
    web(a).endpoints.map((e) => e.ports.map((p) => p.port)),
    [[8080], [8080]],
  );
  assert.deepEqual(
    web(b).endpoints.map((e) => e.ports.map((p) => p.port)),
    [[8081], [8081]],
  );
});

test('ING-4: the Service port an Ingress names edited away: the Ingress is checked again', () => {
  const { a, b } = edit({ servicePort: 80 }, { servicePort: 81 });
  assert.ok(!codes(a).includes('ingress-backend-port-not-found'));
  assert.ok(codes(b).includes('ingress-backend-port-not-found'), 'the Ingress names port 80, which is gone');
});

test('SVC-2: the named container port moved to another number: the endpoints follow the pods, not the last build', () => {
  const { a, b } = edit({ containerPort: 8080 }, { containerPort: 9090 });
  assert.deepEqual(
    web(a).endpoints.map((e) => e.ports[0]!.port),
    [8080, 8080],
  );
  assert.deepEqual(
    web(b).endpoints.map((e) => e.ports[0]!.port),
    [9090, 9090],
  );
});

test('ING-4: an Ingress is kept (the same object) when only the endpoints of its namespace Services change', () => {
  const { a, b } = edit({ replicas: 2 }, { replicas: 3 });
  assert.notEqual(web(b), web(a), 'the Service has new endpoints');
  assert.equal(b.ingresses[0], a.ingresses[0]);
});

test('NP-1: a pod relabelled within the same matchLabels is tested again by the matchExpressions', () => {
  const { a, b } = edit({ tier: 'front' }, { tier: 'back' });
  assert.equal(a.networkPolicies[0]!.selects.length, 2);
  assert.deepEqual(b.networkPolicies[0]!.selects, []);
  assert.ok(codes(b).includes('networkpolicy-selects-nothing'));
});

test('NP-1, NP-6: pods made again with the same ids, labels and ports (a ConfigMap they read edited) keep the policy and the check', () => {
  const { a, b } = edit({ mode: 'a' }, { mode: 'b' });
  for (const id of podIds(a))
    assert.notEqual(
      b.pods.find((p) => p.id === id),
      a.pods.find((p) => p.id === id),
      `${id} has another environment`,
    );
  assert.equal(b.networkPolicies[0], a.networkPolicies[0]);
  const np6 = (m: Model) => m.diagnostics.find((d) => d.code === 'service-unreachable-by-policy');
  assert.ok(np6(a), 'NP-6: every endpoint of shop/web is isolated by a policy admitting nothing');
  assert.equal(np6(b), np6(a), 'the same check, kept');
});

test('EP-4: endpoints of two slices sharing an address join their ports; the others keep their slice ports', () => {
  const slice = (name: string, port: JsonMap, ips: string[]): JsonMap => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'shop', labels: { 'kubernetes.io/service-name': 'db' } },
    addressType: 'IPv4',
    ports: [port],
    endpoints: ips.map((ip) => ({ addresses: [ip] })),
  });
  const ws = workspaceOf([
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: 'shop' },
      spec: {
        ports: [
          { name: 'sql', port: 5432 },
          { name: 'metrics', port: 9187 },
        ],
      },
    },
    slice('db-a', { name: 'sql', port: 5432 }, ['10.1.0.1', '10.1.0.2']),
    slice('db-b', { name: 'metrics', port: 9187 }, ['10.1.0.1']),
  ]);
  const m = fresh(ws);
  const db = m.services.find((s) => s.id === 'shop/db')!;
  assert.deepEqual(
    db.endpoints.map((e) => [e.ip, e.ports.map((p) => p.name)]),
    [
      ['10.1.0.1', ['sql', 'metrics']],
      ['10.1.0.2', ['sql']],
    ],
  );
});

test('NP-6, EP-4: a hand-written slice moved to a port the policy does not admit turns the warning on, the pod the same', () => {
  const objects = (port: number): JsonMap[] => [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { ports: [{ name: 'sql', port: 5432 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'db-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'db' } },
      addressType: 'IPv4',
      ports: [{ name: 'sql', port }],
      endpoints: [{ addresses: ['10.42.0.10'], targetRef: { kind: 'Pod', name: 'db', namespace: 'shop' } }],
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'sql-only', namespace: 'shop' },
      // NP-4: from anywhere, to 5432 only.
      spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }] }] },
    },
  ];
  const ws = (port: number): EditableWorkspace => workspaceOf(objects(port));
  const inc = new Incremental();
  const np6 = (m: Model) => m.diagnostics.some((d) => d.code === 'service-unreachable-by-policy');
  for (const [port, warns] of [
    [5432, false],
    [6432, true],
    [5432, false],
  ] as const) {
    const m = inc.build(ws(port));
    assert.equal(modelText(m), modelText(fresh(ws(port))));
    assert.equal(np6(m), warns, `slice port ${port}`);
  }
});

test('EP-3: endpoints in two slice groups (pods with and without the named port) stay with their pods when a pod joins', () => {
  const bare = (name: string, ports: JsonMap[]): JsonMap => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'x', ports }] },
  });
  const http = [{ name: 'http', containerPort: 8080 }];
  // Pod order p1, p2, p3; slices group p1 and p3 (port http), then p2 (no port: SVC-2, it serves none).
  const pods = [bare('p1', http), bare('p2', []), bare('p3', http)];
  const svc: JsonMap = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
  };
  const ws = workspaceOf;
  const inc = new Incremental();
  // The Service first: its manifest stays the same object, and its endpoints are made again with the last build's.
  const before = inc.build(ws([svc, ...pods]));
  const after = inc.build(ws([svc, ...pods, bare('p4', http)]));
  assert.equal(modelText(after), modelText(fresh(ws([svc, ...pods, bare('p4', http)]))));
  const byPod = (m: Model) =>
    new Map(
      web(m)
        .endpointSlices.flatMap((s) => s.endpoints)
        .map((e) => [e.pod, e.addresses[0]]),
    );
  for (const p of ['p1', 'p2', 'p3']) {
    const id = `shop/${p}`;
    assert.equal(byPod(after).get(id), before.pods.find((x) => x.id === id)!.ip, `${id}: its own address`);
  }
});

test('IN-6, EP-1: a custom resource taking the place of a ConfigMap, then giving it back, changes what a selector matching nothing says', () => {
  const svc: JsonMap = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'shop' },
    spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] },
  };
  const cm = (v: string): JsonMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' }, data: { v } });
  const cluster: JsonMap = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'shop' }, spec: { instances: 2 } };
  const ws = (second: JsonMap): EditableWorkspace => workspaceOf([svc, second]);
  const inc = new Incremental();
  const says = (m: Model) => m.diagnostics.find((d) => d.code === 'service-selects-no-pods')?.rule;
  for (const [second, rule] of [
    [cm('a'), 'EP-1'],
    [cm('b'), 'EP-1'],
    [cluster, 'IN-6'],
    [cm('c'), 'EP-1'],
  ] as const) {
    const m = inc.build(ws(second));
    assert.equal(modelText(m), modelText(fresh(ws(second))));
    assert.equal(says(m), rule, `with a ${second.kind} beside the Service`);
  }
});
