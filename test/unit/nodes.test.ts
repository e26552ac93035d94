// Unit tests: nodes from the profile and Node manifests, namespaces (CL-2, CL-3, CL-4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelOf } from '../support/model';

const node3 = `apiVersion: v1
kind: Node
metadata:
  name: node3
  labels:
    disktype: ssd
spec:
  podCIDR: 10.42.2.0/24
status:
  addresses:
  - type: Hostname
    address: node3
  - type: InternalIP
    address: 10.0.0.13
`;

test('CL-2, CL-3: a Node manifest adds a node with its podCIDR, InternalIP and labels; flannel.1 and cni0 take .0 and .1', () => {
  const m = modelOf({ 'nodes.yaml': node3 });
  assert.deepEqual(
    m.nodes.map((n) => n.name),
    ['node1', 'node2', 'node3'],
  );
  const n = m.index.nodeByName.get('node3')!;
  assert.equal(n.internalIP, '10.0.0.13');
  assert.equal(n.podCIDR, '10.42.2.0/24');
  assert.equal(n.overlayIP, '10.42.2.0');
  assert.equal(n.bridgeIP, '10.42.2.1');
  assert.equal(n.labels.disktype, 'ssd');
  assert.equal(n.labels['kubernetes.io/hostname'], 'node3');
  assert.equal(n.source?.id, 'Node/node3');
  assert.deepEqual(m.diagnostics, []);
});

test('CL-2: a Node manifest overrides a profile node; the implicit hostname label stays', () => {
  const m = modelOf({
    'node2.yaml': `apiVersion: v1
kind: Node
metadata:
  name: node2
  labels: { zone: b, kubernetes.io/hostname: renamed }
spec:
  podCIDR: 10.42.8.0/24
status:
  addresses: [{ type: InternalIP, address: 10.0.0.22 }]
`,
  });
  const n = m.index.nodeByName.get('node2')!;
  assert.deepEqual([n.internalIP, n.podCIDR, n.overlayIP, n.bridgeIP], ['10.0.0.22', '10.42.8.0/24', '10.42.8.0', '10.42.8.1']);
  assert.equal(n.labels.zone, 'b');
  assert.equal(n.labels['kubernetes.io/hostname'], 'node2');
  assert.equal(m.nodes.length, 2);
});

test('CL-2: a new Node without podCIDR or InternalIP gets the next free /24 and the next free LAN address', () => {
  // node1/node2 hold 10.42.0.0/24 and 10.42.1.0/24; 10.0.0.3 is the profile's external host node3.
  const m = modelOf({ 'n.yaml': 'apiVersion: v1\nkind: Node\nmetadata: {name: worker}\n' });
  const n = m.index.nodeByName.get('worker')!;
  assert.deepEqual([n.podCIDR, n.overlayIP, n.bridgeIP, n.internalIP], ['10.42.2.0/24', '10.42.2.0', '10.42.2.1', '10.0.0.4']);
});

test('CL-2: a malformed spec.podCIDR is invalid-field at its value; an overlapping one is reported', () => {
  const text =
    'apiVersion: v1\nkind: Node\nmetadata: {name: node1}\nspec: {podCIDR: 10.42.0.0/99}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: extra}\nspec: {podCIDR: 10.42.1.0/25}\n';
  const m = modelOf({ 'n.yaml': text });
  assert.equal(m.index.nodeByName.get('node1')!.podCIDR, '10.42.0.0/24');
  const found = m.diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end)]);
  assert.deepEqual(found, [
    ['invalid-field', '10.42.0.0/99'],
    ['invalid-field', '10.42.1.0/25'],
  ]);
});

test('CL-4: default, kube-system, kube-public, kube-node-lease always exist; all carry kubernetes.io/metadata.name', () => {
  const m = modelOf({});
  assert.deepEqual(
    m.namespaces.map((n) => n.name),
    ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
  );
  for (const ns of m.namespaces) assert.deepEqual(ns.labels, { 'kubernetes.io/metadata.name': ns.name });
});

test('CL-4: Namespace manifests keep their labels; namespaces used by objects exist; the name label cannot be faked', () => {
  const m = modelOf({
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: web, kubernetes.io/metadata.name: other}\n',
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: payments}\ndata: {a: b}\n',
  });
  const shop = m.index.namespaceByName.get('shop')!;
  assert.deepEqual(shop.labels, { team: 'web', 'kubernetes.io/metadata.name': 'shop' });
  assert.equal(shop.source?.id, 'Namespace/shop');
  const payments = m.index.namespaceByName.get('payments')!;
  assert.deepEqual(payments.labels, { 'kubernetes.io/metadata.name': 'payments' });
  assert.equal(payments.source, undefined);
  assert.equal(m.namespaces.length, 6);
});
