// Unit tests: the NP-6 check kept from build to build (pipeline/cross-checks.ts, rule-answers.ts, issue 13) follows
// what it reads: a rule that admitted no source starts admitting one when a matching pod appears in any namespace its
// peers admit, and stops when that pod goes; each incremental build equals a fresh one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonMap, Model } from '../../server/src/model/index';
import { workspaceOf, type EditableWorkspace } from '../support/edit-workspace';
import { Incremental, fresh, modelText } from '../support/incremental-builds';

const pod = (name: string, ns: string, labels: Record<string, string>): JsonMap => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] },
});

const objects: JsonMap[] = [
  pod('db', 'shop', { app: 'db' }),
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'shop' },
    spec: { selector: { app: 'db' }, ports: [{ port: 80, targetPort: 8080 }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'clients-only', namespace: 'shop' },
    // NP-3: pods labelled role=client in any namespace.
    spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'client' } } }] }] },
  },
];

const unreachable = (m: Model): boolean => m.diagnostics.some((d) => d.code === 'service-unreachable-by-policy');

/** Builds `ws` incrementally, checks the model equals a fresh build's, and says whether NP-6 warns. */
function stepper(ws: EditableWorkspace): () => boolean {
  const inc = new Incremental();
  return () => {
    const m = inc.build(ws);
    assert.equal(modelText(m), modelText(fresh(ws)));
    return unreachable(m);
  };
}

test('NP-6, NP-3: a client pod appearing, relabelled, then gone in another namespace turns the warning off, on, off', () => {
  const ws = workspaceOf(objects);
  const step = stepper(ws);
  assert.equal(step(), true, 'no pod is a client: nothing may reach db');
  ws.objects.push({ file: 'file:///ws/x-client.yaml', body: pod('client', 'ops', { role: 'client' }) });
  assert.equal(step(), false, 'a client in ops (admitted by namespaceSelector {})');
  ws.objects[3] = { file: 'file:///ws/x-client.yaml', body: pod('client', 'ops', { role: 'other' }) };
  assert.equal(step(), true, 'relabelled: no client again');
  ws.objects[3] = { file: 'file:///ws/x-client.yaml', body: pod('client', 'ops', { role: 'client' }) };
  assert.equal(step(), false);
  ws.objects.pop();
  assert.equal(step(), true, 'the client gone');
});

test('NP-6, NP-4: a pod behind hand-written Endpoints renaming the port a policy names turns the warning on, then off', () => {
  // NP-4: a named port resolves against the destination pod's own ports. The Service selects nothing (EP-2): its
  // endpoint names the pod by targetRef, so the Service stays the same object
  // while the pod changes; only the pod tells whether the policy's named port still exists on it.
  const db = (portName: string): JsonMap => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: portName, containerPort: 8080 }] }] },
  });
  const ws = workspaceOf([
    db('http'),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.42.0.10', targetRef: { kind: 'Pod', name: 'db', namespace: 'shop' } }], ports: [{ port: 8080 }] }],
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'http-only', namespace: 'shop' },
      // NP-3: any source, on the pod's port named http only.
      spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 'http' }] }] },
    },
  ]);
  const step = stepper(ws);
  assert.equal(step(), false, 'port 8080 is named http: the policy admits it');
  ws.objects[0] = { file: 'file:///ws/0.yaml', body: db('web') };
  assert.equal(step(), true, 'renamed web: no rule admits 8080');
  ws.objects[0] = { file: 'file:///ws/0.yaml', body: db('http') };
  assert.equal(step(), false, 'named http again');
});

test("NP-6, NP-1: a policy whose podSelector is edited to select the Service's pods turns the warning on, then off", () => {
  // The policy's rules (none) stay the same objects across the edit (network-policies.ts keeps them when they read the
  // same) and no pod changes: the kept check must still see that the policy now isolates db.
  const denyAll = (app: string): JsonMap => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'] },
  });
  const ws: EditableWorkspace = {
    objects: [
      ...objects.slice(0, 2).map((body, i) => ({ file: `file:///ws/${i}.yaml`, body })),
      { file: 'file:///ws/2-deny.yaml', body: denyAll('web') },
      { file: 'file:///ws/3-web.yaml', body: pod('web', 'shop', { app: 'web' }) },
    ],
    profile: undefined,
  };
  const step = stepper(ws);
  assert.equal(step(), false, 'the policy isolates web only: db is reachable');
  ws.objects[2] = { file: 'file:///ws/2-deny.yaml', body: denyAll('db') };
  assert.equal(step(), true, 'the policy now isolates db and admits nothing');
  ws.objects[2] = { file: 'file:///ws/2-deny.yaml', body: denyAll('web') };
  assert.equal(step(), false);
});

test('NP-6, NP-3: the client moved onto its node network, then the rule asking for admins: the warning follows each', () => {
  const ws = workspaceOf(objects);
  const client = (hostNetwork: boolean): JsonMap => {
    const body = pod('client', 'ops', { role: 'client' });
    if (hostNetwork) (body.spec as JsonMap).hostNetwork = true;
    return body;
  };
  ws.objects.push({ file: 'file:///ws/x-client.yaml', body: client(false) });
  const step = stepper(ws);
  assert.equal(step(), false, 'the client admitted');
  ws.objects[3] = { file: 'file:///ws/x-client.yaml', body: client(true) };
  assert.equal(step(), true, 'NP-3: a label peer matches no hostNetwork pod: the same pod, no longer a source');
  ws.objects[3] = { file: 'file:///ws/x-client.yaml', body: client(false) };
  assert.equal(step(), false);
  const policy = structuredClone(objects[2]!);
  ((((policy.spec as JsonMap).ingress as JsonMap[])[0]!.from as JsonMap[])[0]!.podSelector as JsonMap).matchLabels = { role: 'admin' };
  ws.objects[2] = { file: ws.objects[2]!.file, body: policy };
  assert.equal(step(), true, 'the same policy and rule, now asking for admins: none');
});
