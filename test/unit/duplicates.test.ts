// Unit tests: IN-5 duplicates as repositories really ship them: alternative layouts side by side (one folder per
// recipe, each with its own copy of a scaffold Pod). Expected results derived by hand from IN-5 (the first
// definition by file path wins; `kubectl apply` of both refuses nothing) and from what each folder would do applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, docs, networkPolicy, pod, service } from '../support/manifests';
import { modelOf } from '../support/model';
import type { Model } from '../../server/src/model/index';

const diag = (m: Model, code: string, file: string) => m.diagnostics.filter((d) => d.code === code && d.file === file);

test('IN-5: a duplicate that says the same thing is an info ("changes nothing"); one that differs stays a warning', () => {
  const web = pod('web', { labels: { app: 'web' } });
  const m = modelOf({ 'a/scaffold.yaml': web, 'b/scaffold.yaml': web, 'c/scaffold.yaml': pod('web', { labels: { app: 'web', tier: 'front' } }) });
  const same = diag(m, 'duplicate-resource', 'b/scaffold.yaml');
  assert.deepEqual(
    same.map((d) => [d.severity, d.rule]),
    [['info', 'IN-5']],
  );
  assert.match(same[0]!.message, /^Pod\/default\/web is already defined, identically, in a\/scaffold\.yaml; applying both changes nothing\.$/);
  const differs = diag(m, 'duplicate-resource', 'c/scaffold.yaml');
  assert.deepEqual(
    differs.map((d) => [d.severity, d.rule]),
    [['warning', 'IN-5']],
  );
  assert.match(differs[0]!.message, /the later one overwrites the first/);
});

test('IN-5, NP-1: a policy whose pods are only in a set-aside duplicate names it instead of "matches no pod"', () => {
  // r1's api Pod has app=bookstore; r2 redefines Pod api with app=api, and r2's policy selects app=api.
  const m = modelOf({
    'r1/scaffold.yaml': pod('api', { labels: { app: 'bookstore' } }),
    'r2/scaffold.yaml': pod('api', { labels: { app: 'api' } }),
    'r2/policy.yaml': networkPolicy('api-allow', { podSelector: { app: 'api' }, ingress: [{}] }),
  });
  const d = diag(m, 'networkpolicy-selects-nothing', 'r2/policy.yaml');
  assert.deepEqual(
    d.map((x) => [x.severity, x.rule]),
    [['info', 'IN-5']],
  );
  assert.match(
    d[0]!.message,
    /matches no pod the model holds in namespace default\. It selects Pod\/default\/api as written in r2\/scaffold\.yaml \(the model keeps the definition in r1\/scaffold\.yaml, IN-5\)/,
  );
  assert.doesNotMatch(d[0]!.message, /isolates nothing/);
  // Without the duplicate, nothing carries app=api: the NP-1 warning stands.
  const alone = modelOf({
    'r1/scaffold.yaml': pod('api', { labels: { app: 'bookstore' } }),
    'r2/policy.yaml': networkPolicy('api-allow', { podSelector: { app: 'api' } }),
  });
  assert.deepEqual(
    diag(alone, 'networkpolicy-selects-nothing', 'r2/policy.yaml').map((x) => [x.severity, x.rule]),
    [['warning', 'NP-1']],
  );
});

test('IN-5, EP-1: a Service whose pods are only in a set-aside duplicate (a workload template too) says so, as an info', () => {
  const m = modelOf({
    'r1/app.yaml': docs(deployment('api', { labels: { app: 'bookstore' } }), service('api', { selector: { app: 'bookstore' }, ports: [80] })),
    'r2/app.yaml': docs(deployment('api', { labels: { app: 'api' } }), service('api-v2', { selector: { app: 'api' }, ports: [80] })),
  });
  const d = diag(m, 'service-selects-no-pods', 'r2/app.yaml');
  assert.deepEqual(
    d.map((x) => [x.severity, x.rule]),
    [['info', 'IN-5']],
  );
  assert.match(d[0]!.message, /It selects Deployment\/default\/api as written in r2\/app\.yaml/);
  // A different namespace's duplicate is no excuse: the Service selects in its own namespace only (SVC-1).
  const other = modelOf({
    'r1/app.yaml': pod('api', { namespace: 'shop', labels: { app: 'bookstore' } }),
    'r2/app.yaml': docs(pod('api', { namespace: 'shop', labels: { app: 'api' } }), service('api-v2', { selector: { app: 'api' }, ports: [80] })),
  });
  assert.deepEqual(
    diag(other, 'service-selects-no-pods', 'r2/app.yaml').map((x) => [x.severity, x.rule]),
    [['warning', 'EP-1']],
  );
});
