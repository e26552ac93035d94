// Unit tests (bench layer): the benchmark workspace generator (bench/gen/). `npm run bench` figures are only
// comparable between runs if the workspace is: exactly N Services, every kind of Service, byte-identical for a
// seed, and manifests a real API server would take (no parse errors, no invalid fields, no duplicates — the
// diagnostics the model does report on it are the cluster's, e.g. pods that do not fit on two nodes, IP-1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateWorkspace } from '../../bench/gen/index';
import { generateOverlays } from '../../bench/gen/overlays';
import { render, field, model } from '../support/kustomize';
import { codes, modelOf } from '../support/model';

test('N Services exactly, of every type, with workloads of every kind, Ingresses and NetworkPolicies (SVC-1, WL-1)', () => {
  for (const n of [1, 8, 60]) {
    const m = modelOf(Object.fromEntries(generateWorkspace(n, '1')));
    // default/kubernetes always exists besides the workspace's own (CL-4).
    const own = m.services.filter((s) => s.id !== 'default/kubernetes');
    assert.equal(own.length, n, `N=${n}`);
    if (n < 8) continue;
    const kinds = new Set(own.map((s) => (s.headless ? 'headless' : s.type)));
    assert.deepEqual([...kinds].sort(), ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort', 'headless']);
    assert.ok(
      own.some((s) => s.type === 'ClusterIP' && !s.selector),
      'a selector-less Service (EP-2)',
    );
    const owners = new Set(m.pods.map((p) => p.owner.kind));
    for (const k of ['Deployment', 'StatefulSet', 'DaemonSet']) assert.ok(owners.has(k), `${k} pods at N=${n}`);
    assert.ok(m.ingresses.length > 0 && m.networkPolicies.length > 0, `Ingresses and NetworkPolicies at N=${n}`);
  }
});

test('the manifests are valid: no syntax errors, invalid fields, duplicate objects or unresolved named ports (IN-2, IN-3, IN-5, SVC-2)', () => {
  const m = modelOf(Object.fromEntries(generateWorkspace(300, '1')));
  const bad = codes(m).filter((c) =>
    [
      'yaml-syntax',
      'invalid-field',
      'duplicate-resource',
      'service-targetport-unresolved',
      'ingress-backend-service-not-found',
      'ingress-backend-port-not-found',
      'endpointslice-port-mismatch',
    ].includes(c),
  );
  assert.deepEqual(bad, []);
});

test('deterministic: the same N and seed give the same files, another seed other files', () => {
  const a = generateWorkspace(120, '7');
  assert.deepEqual(generateWorkspace(120, '7'), a);
  assert.notDeepEqual(generateWorkspace(120, '8'), a);
  assert.deepEqual(
    a.map(([p]) => p),
    [...a.map(([p]) => p)].sort(),
    'files in path order',
  );
});

test('IN-1: the overlay workspace (bench/gen/overlays.ts) renders every overlay without a diagnostic: 4 objects each, in its own namespace', () => {
  const files = Object.fromEntries(generateOverlays(4, 12).map(([p, t]) => [`/o/${p}`, t]));
  const r = render(files);
  assert.equal(r.roots.length, 12);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.byId.size, 48);
  // Overlay 5 renders base app-1 (5 mod 4) with its prefix, namespace, tag and replica count (5 mod 3 + 1).
  assert.equal(field(r, 'Deployment/env-5/e5-app-1', 'spec.replicas'), 3);
  assert.equal(field(r, 'Deployment/env-5/e5-app-1', 'spec.template.spec.containers.0.image'), 'registry.example/app-1:1.0.5');
  assert.ok([...r.byId.keys()].some((id) => /^ConfigMap\/env-5\/e5-app-1-config-[a-z0-9]{10}$/.test(id)));
  assert.deepEqual(
    model(r)
      .diagnostics.filter((d) => d.severity !== 'info')
      .map((d) => d.code),
    [],
  );
});
