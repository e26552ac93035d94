// Unit tests: the profile draft the editor offers when a workspace has none (CL-1, CL-5): it must describe
// exactly the cluster the model assumed, so saving it unchanged changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultProfile, parseProfile } from '../../server/src/model/index';
import { profileDraft } from '../../server/src/features/profileDraft';
import { modelOf } from '../support/model';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: nginx
`;

test('CL-5: the draft of a profile-less workspace reads back as the very profile in use, with no diagnostic', () => {
  const m = modelOf({ 'web.yaml': WEB });
  const text = profileDraft(m);
  const back = parseProfile('netpath.cluster.yaml', text);
  assert.deepEqual(back.diagnostics, []);
  // The same values; only that the nodes are now declared, no longer assumed (CL-5).
  const { nodesAssumed, ...inUse } = m.profile;
  assert.equal(nodesAssumed, true);
  assert.deepEqual(back.profile, inUse);
  // The nodes are written out, uncommented, so the user edits them (the seed's two, CL-5).
  assert.match(text, /^nodes:\n {2}- name: node1\n {4}internalIP: 10\.0\.0\.1\n {4}podCIDR: 10\.42\.0\.0\/24$/m);
  assert.match(text, /^# kube-netpath cluster profile/);
});

test('CL-1: values that differ from the defaults are in the draft; nodes from `kind: Node` manifests are not', () => {
  const node = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-9\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 10.0.0.9\n';
  const m = modelOf({ 'web.yaml': WEB, 'node.yaml': node, 'netpath.cluster.yaml': 'serviceCIDR: 10.96.0.0/12\nclusterDomain: corp.local\n' });
  const text = profileDraft(m);
  const back = parseProfile('netpath.cluster.yaml', text).profile;
  const { nodesAssumed: _assumed, ...inUse } = m.profile;
  assert.deepEqual(back, inUse);
  assert.equal(back.serviceCIDR, '10.96.0.0/12');
  assert.equal(back.clusterDomain, 'corp.local');
  assert.ok(
    m.nodes.some((n) => n.name === 'worker-9'),
    'the manifest declares worker-9',
  );
  assert.doesNotMatch(text, /worker-9/);
  assert.notDeepEqual(back, defaultProfile());
});
