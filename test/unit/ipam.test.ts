// Unit tests: pod addresses from node CIDRs, overflow, determinism and stability (IP-1, IP-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelOf } from '../support/model';
import { allocateNode } from '../../server/src/model/cluster/pod-ip-allocator';
import { parseCidr } from '../../server/src/model/core/ip';
import { hash32 } from '../../server/src/model/core/hash';

function deployment(name: string, replicas: number, ns = 'default', podExtra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podExtra}      containers: [{name: ${name}, image: "nginx:1.27", ports: [{containerPort: 80}]}]
`;
}

function lastOctet(ip: string): number {
  return Number(ip.split('.')[3]);
}

test("IP-1: a pod gets an address of its node's pod CIDR, never .0 (flannel.1), .1 (cni0) or .255 (broadcast); all unique", () => {
  // The seed's nodes: node1 10.0.0.1 10.42.0.0/24, node2 10.0.0.2 10.42.1.0/24.
  const m = modelOf({
    'a.yaml': deployment('web', 40) + '---\n' + deployment('api', 40, 'shop'),
    'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: curl}\nspec:\n  nodeName: node2\n  containers: [{name: c, image: curl}]\n',
  });
  const curl = m.index.podById.get('default/curl')!;
  assert.equal(curl.node, 'node2');
  assert.match(curl.ip!, /^10\.42\.1\.\d+$/);
  assert.ok(lastOctet(curl.ip!) >= 2 && lastOctet(curl.ip!) <= 254);
  const seen = new Set<string>();
  for (const p of m.pods) {
    assert.ok(p.ip, `${p.id} has an address`);
    const prefix = p.node === 'node1' ? '10.42.0.' : '10.42.1.';
    assert.ok(p.ip.startsWith(prefix), `${p.id} on ${p.node} has ${p.ip}`);
    assert.ok(lastOctet(p.ip) >= 2 && lastOctet(p.ip) <= 254, `${p.ip} is not network, bridge or broadcast`);
    assert.ok(!seen.has(p.ip), `${p.ip} is unique`);
    seen.add(p.ip);
    assert.equal(m.index.podByIp.get(p.ip), p);
  }
  assert.equal(seen.size, 81);
});

test('IP-1: a /29 node CIDR holds 5 pods (.2-.6); the rest of the workload overflows with node-pod-cidr-exhausted', () => {
  const profile = 'podCIDR: 10.42.0.0/16\nnodes:\n  - {name: tiny, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/29}\n';
  const text = deployment('web', 7);
  const m = modelOf({ 'netpath.cluster.yaml': profile, 'd.yaml': text });
  const pods = m.index.podsByOwner.get('Deployment/default/web')!;
  const ips = pods
    .map((p) => p.ip)
    .filter((ip): ip is string => ip !== null)
    .sort();
  assert.deepEqual(ips, ['10.42.0.2', '10.42.0.3', '10.42.0.4', '10.42.0.5', '10.42.0.6']);
  const stuck = pods.filter((p) => p.ip === null);
  assert.equal(stuck.length, 2);
  for (const p of stuck) assert.deepEqual([p.node, p.ready], ['tiny', false]);
  const d = m.diagnostics.filter((x) => x.code === 'node-pod-cidr-exhausted');
  assert.equal(d.length, 1, 'one diagnostic for the workload, not one per pod');
  assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), '7');
  assert.equal(d[0]!.subject, 'Deployment/default/web');
  assert.equal(d[0]!.rule, 'IP-1');
});

test('IP-1: kubeletMaxPods caps the pods per node (hostNetwork pods count too); the overflow is Pending and reported', () => {
  const profile = 'kubeletMaxPods: 3\nnodes:\n  - {name: only, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24}\n';
  const agent = 'apiVersion: v1\nkind: Pod\nmetadata: {name: agent}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: node-exporter}]\n';
  const m = modelOf({ 'netpath.cluster.yaml': profile, 'a.yaml': agent, 'b.yaml': deployment('web', 4) });
  assert.equal(m.index.podById.get('default/agent')!.ip, '10.0.0.1');
  const web = m.index.podsByOwner.get('Deployment/default/web')!;
  assert.equal(web.filter((p) => p.ip !== null).length, 2);
  assert.deepEqual(
    web.filter((p) => p.ip === null).map((p) => p.node),
    [null, null],
  );
  const d = m.diagnostics.filter((x) => x.code === 'node-pod-cidr-exhausted');
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /kubeletMaxPods \(3\)/);
});

/** Every pod's (node, ip), by id. */
function addresses(files: Record<string, string>): Map<string, string> {
  return new Map(modelOf(files).pods.map((p) => [p.id, `${p.node} ${p.ip}`]));
}

function assertUnmoved(before: Map<string, string>, after: Map<string, string>, what: string): void {
  let compared = 0;
  for (const [id, where] of before) {
    const now = after.get(id);
    if (now === undefined) continue; // removed on purpose
    assert.equal(now, where, `${what}: ${id} moved`);
    compared++;
  }
  assert.ok(compared >= before.size - 3, `${what}: most pods compared`);
}

test("IP-2: adding, removing or editing one resource does not move any other pod's address", () => {
  const base: Record<string, string> = {
    '10-web.yaml': deployment('web', 3),
    '20-api.yaml': deployment('api', 2, 'shop'),
    '30-db.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres}]}
`,
    '40-curl.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: curl}\nspec: {containers: [{name: c, image: curl}]}\n',
    '50-ds.yaml': `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs, namespace: kube-system}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec: {containers: [{name: fluent, image: fluent-bit}]}
`,
  };
  const before = addresses(base);
  assert.equal(before.size, 3 + 2 + 3 + 1 + 2);

  // Add a Deployment written *before* everything else (first file), and a bare Pod.
  const added = addresses({
    ...base,
    '00-new.yaml': deployment('new', 4) + '---\napiVersion: v1\nkind: Pod\nmetadata: {name: zzz}\nspec: {containers: [{name: z, image: z}]}\n',
  });
  assert.equal(added.size, before.size + 5);
  assertUnmoved(before, added, 'adding a Deployment and a Pod');

  // Remove one resource.
  const { '40-curl.yaml': _removed, ...rest } = base;
  assertUnmoved(before, addresses(rest), 'removing a Pod');

  // Edit one: more replicas and a new env var; the Deployment's existing pods keep theirs too.
  const edited = addresses({
    ...base,
    '10-web.yaml': deployment('web', 5, 'default', '      hostname: web\n').replace('ports:', 'env: [{name: A, value: b}], ports:'),
  });
  assertUnmoved(before, edited, 'editing a Deployment');

  // And the same input twice gives the same answer.
  assert.deepEqual([...addresses(base)], [...before]);
});

test('IP-2: allocation does not depend on the order pods are written; a collision goes to the next free address', () => {
  const block = parseCidr('10.42.1.0/24')!;
  const ids = ['default/a', 'default/b', 'shop/c', 'shop/d', 'kube-system/e'];
  const forward = allocateNode(block, ids);
  const backward = allocateNode(block, [...ids].reverse());
  assert.deepEqual([...forward.ips].sort(), [...backward.ips].sort());

  // Two identities that hash to the same preferred address (253 usable: .2-.254): the smaller id
  // keeps it, the other takes the next address.
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; !pair; i++) {
    const id = `default/p${i}`;
    const slot = hash32(id) % 253;
    const other = seen.get(slot);
    if (other !== undefined && slot < 252) pair = [other, id];
    else seen.set(slot, id);
  }
  const [x, y] = pair.sort();
  const got = allocateNode(block, [y!, x!]).ips;
  const preferred = 2 + (hash32(x!) % 253);
  assert.equal(got.get(x!), `10.42.1.${preferred}`);
  assert.equal(got.get(y!), `10.42.1.${preferred + 1}`);
});
