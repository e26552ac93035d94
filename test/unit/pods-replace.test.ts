// Unit tests: the pods stage after an edit of a few workloads (workloads/pods-replace.ts, issue 13) makes only the
// edited workloads' pods again and keeps the others, where the scheduling rules allow (WL-3, WL-6, IP-1, IP-2, CL-5),
// and gives exactly what a fresh build gives, also where they do not (it then runs the full stage). The random edit
// sequences of incremental.test.ts cover it too; here each case is built by hand, with the expected placement derived
// from the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonMap, Model } from '../../server/src/model/index';
import { PODS_MEMO, type PodsMemo } from '../../server/src/model/workloads/pods';
import { workspaceOf, type EditableWorkspace } from '../support/edit-workspace';
import { Incremental, fresh, modelText } from '../support/incremental-builds';

function deployment(name: string, replicas: number, spec: JsonMap = {}): JsonMap {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'x', ports: [{ containerPort: 8080 }] }], ...spec } },
    },
  };
}

function setReplicas(ws: EditableWorkspace, at: number, replicas: number): void {
  const body = JSON.parse(JSON.stringify(ws.objects[at]!.body)) as { spec: { replicas: number } };
  body.spec.replicas = replicas;
  ws.objects[at] = { ...ws.objects[at]!, body: body as unknown as JsonMap };
}

/** Builds `ws` incrementally after `change`, checks the result against a fresh build, and says how the pods were made. */
function afterEdit(inc: Incremental, ws: EditableWorkspace, change: () => void): { before: Model; after: Model; how: PodsMemo['lastBuild'] } {
  const before = inc.build(ws);
  change();
  const after = inc.build(ws);
  assert.equal(modelText(after), modelText(fresh(ws)), 'the incremental model is the one a fresh build gives');
  return { before, after, how: (inc.memo.slots.get(PODS_MEMO as never) as PodsMemo).lastBuild };
}

const TWO_NODES =
  'nodes:\n  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24 }\n  - { name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.1.0/24 }\n';

test("IP-2, WL-3: a replica count edited: only that Deployment's pods are made again, every other pod is the same object", () => {
  const ws = workspaceOf([deployment('web', 2), deployment('api', 3), deployment('db', 1)], TWO_NODES);
  const { before, after, how } = afterEdit(new Incremental(), ws, () => setReplicas(ws, 1, 5));
  assert.equal(how, 'replaced');
  assert.equal(after.pods.filter((p) => p.owner.name === 'api').length, 5);
  for (const p of after.pods.filter((p) => p.owner.name !== 'api')) assert.equal(p, before.index.podById.get(p.id), `${p.id} is kept`);
  // The first three replicas are where they were (the same node ranking, the same addresses: IP-2).
  for (const p of before.pods.filter((p) => p.owner.name === 'api')) {
    const now = after.index.podById.get(p.id)!;
    assert.deepEqual([now.node, now.ip], [p.node, p.ip]);
  }
});

test('IP-1: a Deployment scaled down on a full /29 lets the pods that had no address have one (the touched node addressed again)', () => {
  // A /29 holds 5 pods (network, cni0 bridge and broadcast are not handed out). web's 3 and api's 3 pods are pinned
  // to node1: api's last pod finds no address. web scaled to 2: all 5 fit, and the IP-1 warning goes.
  const profile = 'nodes:\n  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/29 }\n';
  const ws = workspaceOf([deployment('web', 3, { nodeName: 'node1' }), deployment('api', 3, { nodeName: 'node1' })], profile);
  const inc = new Incremental();
  const first = inc.build(ws);
  assert.equal(first.pods.filter((p) => p.ip === null).length, 1);
  assert.ok(first.diagnostics.some((d) => d.code === 'node-pod-cidr-exhausted'));
  const { after, how } = afterEdit(inc, ws, () => setReplicas(ws, 0, 2));
  assert.equal(how, 'replaced', 'the touched node is addressed again, its problems found again');
  assert.equal(after.pods.filter((p) => p.ip === null).length, 0);
  assert.ok(!after.diagnostics.some((d) => d.code === 'node-pod-cidr-exhausted'));
  assert.ok(after.pods.every((p) => p.ready));
});

test('IP-1 kubeletMaxPods: a Deployment scaled down on a full node lets a Pending pod be placed (full stage, same as fresh)', () => {
  // kubeletMaxPods 3 on the only node: web takes 2, api's second pod has no room and stays Pending.
  const profile = `kubeletMaxPods: 3\nnodes:\n  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24 }\n`;
  const ws = workspaceOf([deployment('web', 2), deployment('api', 2)], profile);
  const inc = new Incremental();
  assert.equal(inc.build(ws).pods.filter((p) => p.node === null).length, 1);
  const { after, how } = afterEdit(inc, ws, () => setReplicas(ws, 0, 1));
  assert.match(how ?? '', /^full: /, 'a full node makes later pods depend on earlier ones: the full stage');
  assert.equal(after.pods.filter((p) => p.node === null).length, 0);
});

test('WL-6: an edit of a workload that claims a hostPort runs the full stage (its pods decide who clashes)', () => {
  // Two nodes; web's one pod holds 8080 on one of them; api's two pods want 8080 too: one takes the other node, the
  // second finds 8080 held on both and stays Pending. web scaled to 0: both of api's pods run.
  const hostPort = { containers: [{ name: 'main', image: 'x', ports: [{ containerPort: 8080, hostPort: 8080 }] }] };
  const ws = workspaceOf([deployment('web', 1, hostPort), deployment('api', 2, hostPort)], TWO_NODES);
  const inc = new Incremental();
  const first = inc.build(ws);
  // api's first pod takes the node web leaves free (or moves there after a clash); its second finds 8080 held on both.
  assert.deepEqual(
    first.pods.map((p) => [p.owner.name, p.node === null]),
    [
      ['web', false],
      ['api', false],
      ['api', true],
    ],
  );
  const { after, how } = afterEdit(inc, ws, () => setReplicas(ws, 0, 0));
  assert.match(how ?? '', /^full: /);
  assert.deepEqual(
    after.pods.map((p) => p.node === null),
    [false, false],
    'web gone: both api pods hold 8080, one per node',
  );
});

test('WL-2: a workload whose new pod name another workload holds runs the full stage', () => {
  // A bare Pod named like web's first generated pod: in resource order the Pod comes first, so web's pod is named again.
  const inc = new Incremental();
  const ws = workspaceOf([deployment('web', 1)], TWO_NODES);
  const first = inc.build(ws);
  const taken = first.pods[0]!.name;
  ws.objects.unshift({
    file: 'file:///ws/0-pod.yaml',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: taken, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  });
  const { after } = afterEdit(inc, ws, () => setReplicas(ws, 1, 2));
  assert.equal(new Set(after.pods.map((p) => p.id)).size, 3, 'three pods, three names');
});

test('IP-2: nodes with overlapping pod blocks give two pods one address; a replica count edited there gives what a fresh build gives', () => {
  // node1 and node4 were given the same /29 (CL-1 reports it): 5 addresses for both. web's 4 pods run on node4, api's 4
  // on node1: the two nodes hold 4 of the same 5 addresses each, so 3 at least are shared, and the pods-by-address
  // lookup holds the later pod of each (api's, written later), as a fresh build's does. api scaled down leaves node4
  // untouched: the web pods of the addresses api gives up are the ones the lookup must hold again.
  const profile =
    'nodes:\n' +
    '  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/29 }\n' +
    '  - { name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.1.0/29 }\n' +
    '  - { name: node4, internalIP: 10.0.0.4, podCIDR: 10.42.0.0/29 }\n';
  const ws = workspaceOf([deployment('web', 4, { nodeName: 'node4' }), deployment('api', 4, { nodeSelector: { 'kubernetes.io/hostname': 'node1' } })], profile);
  const inc = new Incremental();
  const first = inc.build(ws);
  assert.ok(
    first.pods.every((p) => p.ip !== null),
    'every pod has an address',
  );
  const webIps = new Set(first.pods.filter((p) => p.owner.name === 'web').map((p) => p.ip));
  assert.ok(first.pods.filter((p) => p.owner.name === 'api' && webIps.has(p.ip)).length >= 3, 'api pods share addresses with web pods');
  for (const replicas of [1, 4, 2, 3]) {
    const { after, how } = afterEdit(inc, ws, () => setReplicas(ws, 1, replicas));
    assert.equal(how, 'replaced');
    assert.equal(after.pods.filter((p) => p.owner.name === 'api').length, replicas);
  }
});

test('IP-2: a Pod edited in place on a node whose block overlaps another keeps the later pod of a shared address in the lookup', () => {
  // node1 and node4 share a /29 (CL-1): pods a0..a3 on node1, b0..b3 on node4 (bare Pods, files in that order) hold
  // 4 of the same 5 addresses each, so 3 at least are shared, and the pods-by-address lookup holds the b pod there.
  // A label edit of an a pod keeps its id and address (IP-2): the lookup must still hold the b pod of that address.
  const profile =
    'nodes:\n' + '  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/29 }\n' + '  - { name: node4, internalIP: 10.0.0.4, podCIDR: 10.42.0.0/29 }\n';
  const bare = (name: string, node: string, tier: string): JsonMap => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name, tier } },
    spec: { nodeName: node, containers: [{ name: 'main', image: 'x' }] },
  });
  const names = ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3'];
  const ws = workspaceOf(
    names.map((n) => bare(n, n.startsWith('a') ? 'node1' : 'node4', 'one')),
    profile,
  );
  const inc = new Incremental();
  const first = inc.build(ws);
  const shared = first.pods.filter((p) => p.name.startsWith('a') && first.pods.some((q) => q.name.startsWith('b') && q.ip === p.ip));
  assert.ok(shared.length >= 3, 'a pods share addresses with b pods');
  for (let i = 0; i < 4; i++) {
    const { after, how } = afterEdit(inc, ws, () => (ws.objects[i] = { ...ws.objects[i]!, body: bare(names[i]!, 'node1', 'two') }));
    assert.equal(how, 'replaced');
    assert.equal(after.index.podById.get(`default/${names[i]}`)!.labels.tier, 'two');
  }
});

test('IP-2: a replica count edited onto a block another node shares: the pods-by-address lookup holds the later pod of a newly shared address', () => {
  // node1 and node4 share a /29 (CL-1): 5 pod addresses. web's pod runs on node4, api's on node1, at addresses of their
  // own at first. web scaled to 5 takes all 5 addresses of node4, so one of them is api's: the lookup must hold the
  // later pod there (api's, written later, unchanged), as a fresh build's does, not the web pod that came in. bulk's
  // 80 pods on node2 make the lookup large enough to be kept with changes on top (core/overlay-map.ts).
  const profile =
    'nodes:\n' +
    '  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/29 }\n' +
    '  - { name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.2.0/24 }\n' +
    '  - { name: node4, internalIP: 10.0.0.4, podCIDR: 10.42.0.0/29 }\n';
  const ws = workspaceOf(
    [deployment('web', 1, { nodeName: 'node4' }), deployment('api', 1, { nodeName: 'node1' }), deployment('bulk', 80, { nodeName: 'node2' })],
    profile,
  );
  const inc = new Incremental();
  const first = inc.build(ws);
  const apiPod = first.pods.find((p) => p.owner.name === 'api')!;
  assert.notEqual(first.pods.find((p) => p.owner.name === 'web')!.ip, apiPod.ip, 'no shared address at first');
  for (const replicas of [5, 1, 5, 3]) {
    const { after, how } = afterEdit(inc, ws, () => setReplicas(ws, 0, replicas));
    assert.equal(how, 'replaced');
    assert.equal(after.index.podByIp.get(apiPod.ip!), after.index.podById.get(apiPod.id), `${replicas} replicas: api's pod holds its address`);
    if (replicas === 5)
      assert.ok(
        after.pods.some((p) => p.owner.name === 'web' && p.ip === apiPod.ip),
        "five web pods take every address of the block, api pod's included",
      );
  }
});

test('WL-5: a Node whose address is edited runs the pods stage whole, and a pod reading status.hostIP shows the new address', () => {
  // The node is a kind: Node manifest, so its edit is an input of the pods stage (not a profile edit, which starts the
  // memo afresh). web's pod is not re-addressed (same node, same block), but its environment reads the node's address.
  const node = (ip: string): JsonMap => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node1', labels: { 'kubernetes.io/hostname': 'node1' } },
    spec: { podCIDR: '10.42.0.0/24' },
    status: { addresses: [{ type: 'InternalIP', address: ip }] },
  });
  const env = { containers: [{ name: 'main', image: 'x', env: [{ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }] }] };
  const ws = workspaceOf([node('10.0.0.1'), deployment('web', 1, env)]);
  const inc = new Incremental();
  inc.build(ws);
  const { after } = afterEdit(inc, ws, () => (ws.objects[0] = { ...ws.objects[0]!, body: node('10.0.0.9') }));
  assert.equal(after.pods[0]!.containers[0]!.env.HOST_IP, '10.0.0.9');
});

test('WL-3: a pod pushed to another node by an earlier workload, keeping its address, is shown on its new node', () => {
  // kubeletMaxPods 1 and two nodes given the same pod block (CL-1): api's pod keeps its address wherever it runs (the
  // address hashes from its name into the one block). web, written first, gets a pod pinned to api's node: api's pod
  // must move to the other node (the full stage: web had no pod), and the model must say so, as a fresh build does.
  const profile =
    'kubeletMaxPods: 1\nnodes:\n' +
    '  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/29 }\n' +
    '  - { name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.0.0/29 }\n';
  const ws = workspaceOf([deployment('web', 0), deployment('api', 1)], profile);
  const inc = new Incremental();
  const first = inc.build(ws).pods.find((p) => p.owner.name === 'api')!;
  const { after, how } = afterEdit(inc, ws, () => {
    ws.objects[0] = { ...ws.objects[0]!, body: deployment('web', 1, { nodeName: first.node! }) };
  });
  assert.match(how ?? '', /^full: /);
  const moved = after.index.podById.get(first.id)!;
  assert.deepEqual([moved.ip, moved.node === first.node], [first.ip, false], 'same address, other node');
});

test('IP-1: a DaemonSet Pending on a full node and unaddressed on another has one warning, the same after each edit of a third workload', () => {
  // kubeletMaxPods 10. node1 (/24) is full with a-fill's 10 pods: the agent's pod there stays Pending (a placement
  // problem). node2 (/29: 5 addresses) addresses b-early's 5 pods first, so the agent's pod there finds none (an
  // addressing problem), nor does any pod of d-late. Both problems of the agent are one (IP-1, node-pod-cidr-exhausted,
  // the same span): one warning naming both pods. d-late is edited (1, 2, 1, 2 replicas): node2 stays under 10 pods,
  // so only node2 is addressed again, and the agent's warning must stay as it was.
  const profile =
    'kubeletMaxPods: 10\nnodes:\n' +
    '  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24 }\n' +
    '  - { name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.1.0/29 }\n';
  const agent: JsonMap = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'c-agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'main', image: 'x' }] } },
    },
  };
  const ws = workspaceOf(
    [deployment('a-fill', 10, { nodeName: 'node1' }), deployment('b-early', 5, { nodeName: 'node2' }), agent, deployment('d-late', 1, { nodeName: 'node2' })],
    profile,
  );
  const inc = new Incremental();
  const agentWarnings = (m: Model) => m.diagnostics.filter((d) => d.code === 'node-pod-cidr-exhausted' && d.message.includes('DaemonSet default/c-agent'));
  const first = inc.build(ws);
  assert.equal(modelText(first), modelText(fresh(ws)));
  const [warning] = agentWarnings(first);
  assert.equal(agentWarnings(first).length, 1);
  assert.match(warning!.message, /^Pods default\/c-agent-\w+, default\/c-agent-\w+ of DaemonSet/, 'both agent pods, one warning');
  for (const replicas of [2, 1, 2]) {
    const { after, how } = afterEdit(inc, ws, () => setReplicas(ws, 3, replicas));
    assert.equal(how, 'replaced');
    assert.deepEqual(
      agentWarnings(after).map((d) => d.message),
      [warning!.message],
    );
  }
});
