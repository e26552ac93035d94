// Unit tests: kustomize's `transformers:` with builtin configs and `labels[].fields` (IN-1). Expected objects follow
// the kustomize builtin plugin reference (kubectl.docs.kubernetes.io/references/kustomize/builtins/): the
// kustomization's own fields run first, then each `transformers:` config in order (a file or inline YAML);
// anything not run is a warning on the line that asks for it. Must not import vscode or LSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render, field, spanText } from '../support/kustomize';

const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector: {app: s}\n  ports: [{port: 80}]\n';
const deployment =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: c, image: nginx}]\n';

test("IN-1: PrefixSuffix, Namespace and Label transformers run after the kustomization's own fields, from a file or inline", () => {
  const r = render({
    '/w/k/kustomization.yaml': [
      'namePrefix: a-',
      'namespace: one',
      'resources:',
      '- svc.yaml',
      'transformers:',
      '- pfx.yaml',
      '- |-',
      '  apiVersion: builtin',
      '  kind: LabelTransformer',
      '  metadata: {name: lbl}',
      '  labels: {team: x}',
      '  fieldSpecs:',
      '  - {path: metadata/labels, create: true}',
      '  - {kind: Service, path: spec/selector, create: true}',
      '',
    ].join('\n'),
    '/w/k/svc.yaml': service,
    '/w/k/pfx.yaml':
      'apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata: {name: p}\nprefix: b-\nsuffix: -z\nfieldSpecs:\n- path: metadata/name\n---\napiVersion: builtin\nkind: NamespaceTransformer\nmetadata:\n  name: ns\n  namespace: two\n',
  });
  // namePrefix a- first, then the config's b- and -z; namespace one, then two.
  assert.deepEqual([...r.byId.keys()], ['Service/two/b-a-svc-z']);
  assert.deepEqual(field(r, 'Service/two/b-a-svc-z', 'metadata.labels'), { team: 'x' });
  assert.deepEqual(field(r, 'Service/two/b-a-svc-z', 'spec.selector'), { app: 's', team: 'x' });
  assert.deepEqual(r.diagnostics, [], 'the usual metadata/name field spec is no reason for a warning');
  // The namespace a NamespaceTransformer set points at its line in the config file (source mapping).
  const res = r.byId.get('Service/two/b-a-svc-z')!;
  const ns = res.spans.entry(res.body.metadata as never, 'namespace')?.value;
  assert.equal(ns?.file, '/w/k/pfx.yaml');
  assert.equal(r.texts.get('/w/k/pfx.yaml')!.slice(ns!.start, ns!.end), 'two');
});

test('IN-1: a PatchTransformer patches its target, an AnnotationsTransformer annotates; labels[].fields adds places for the labels', () => {
  const r = render({
    '/w/k/kustomization.yaml': [
      'resources:',
      '- app.yaml',
      'labels:',
      '- pairs: {tier: web}',
      '  fields:',
      '  - {kind: Deployment, path: spec/selector/matchLabels, create: true}',
      'transformers:',
      '- |-',
      '  apiVersion: builtin',
      '  kind: PatchTransformer',
      '  metadata: {name: p}',
      `  patch: '[{"op": "replace", "path": "/spec/replicas", "value": 4}]'`,
      '  target: {kind: Deployment}',
      '- |-',
      '  apiVersion: builtin',
      '  kind: AnnotationsTransformer',
      '  metadata: {name: a}',
      '  annotations: {owner: team-a}',
      '  fieldSpecs: [{path: metadata/annotations, create: true}]',
      '',
    ].join('\n'),
    '/w/k/app.yaml': deployment,
  });
  const id = 'Deployment/default/web';
  assert.equal(field(r, id, 'spec.replicas'), 4);
  assert.deepEqual(field(r, id, 'metadata.annotations'), { owner: 'team-a' });
  assert.deepEqual(field(r, id, 'metadata.labels'), { tier: 'web' });
  assert.deepEqual(field(r, id, 'spec.selector.matchLabels'), { app: 'web', tier: 'web' });
  // Without includeTemplates the pod template keeps its labels.
  assert.deepEqual(field(r, id, 'spec.template.metadata.labels'), { app: 'web' });
  assert.deepEqual(r.diagnostics, []);
});

test('IN-1: a transformer that is not run is a warning on the line that asks for it; a missing config file is an error', () => {
  const k = ['resources:', '- app.yaml', 'transformers:', '- tags.yaml', '- fn.yaml', '- missing.yaml', ''].join('\n');
  const r = render({
    '/w/k/kustomization.yaml': k,
    '/w/k/app.yaml': deployment,
    '/w/k/tags.yaml': 'apiVersion: builtin\nkind: ImageTagTransformer\nmetadata: {name: t}\nimageTag: {name: nginx, newTag: "2"}\n',
    '/w/k/fn.yaml':
      'apiVersion: example.com/v1\nkind: SetOwner\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: example/set-owner\n',
  });
  const said = r.diagnostics.map((d) => `${d.severity} ${d.file.slice(5)} ${spanText(r, d)}`).sort();
  assert.deepEqual(said, ['error kustomization.yaml missing.yaml', 'warning fn.yaml example.com/v1', 'warning tags.yaml kind']);
  // The Deployment is still rendered.
  assert.equal(field(r, 'Deployment/default/web', 'spec.replicas'), 1);
});

test('IN-1: replacements copy a source field (or one delimited part of it) into target fields, after images and prefixes; a missing target field without create is an error', () => {
  const app = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    '      - name: c',
    '        image: nginx:1.0',
    '        args: [x, y]',
    '        env: [{name: SVC, value: none}]',
    '---',
    service,
  ].join('\n');
  const k = (create: boolean): string =>
    [
      'namePrefix: p-',
      'resources:',
      '- app.yaml',
      'images:',
      '- {name: nginx, newTag: "1.25"}',
      'replacements:',
      '- source:',
      '    kind: Deployment',
      '    fieldPath: spec.template.spec.containers.[name=c].image',
      '    options: {delimiter: ":", index: 1}',
      '  targets:',
      '  - select: {kind: Deployment}',
      '    fieldPaths: [metadata.annotations.version]',
      `    options: {create: ${create}}`,
      '- source: {kind: Service, name: svc}',
      '  targets:',
      '  - select: {kind: Deployment}',
      '    fieldPaths:',
      '    - spec.template.spec.containers.[name=c].env.[name=SVC].value',
      '    - spec.template.spec.containers.*.args.0',
      '',
    ].join('\n');
  const r = render({ '/w/k/kustomization.yaml': k(true), '/w/k/app.yaml': app });
  const id = 'Deployment/default/p-web';
  // The source image is read after `images` retagged it; the Service name after the prefix (kustomize's order).
  assert.deepEqual(field(r, id, 'metadata.annotations'), { version: '1.25' });
  assert.deepEqual(field(r, id, 'spec.template.spec.containers.0.env'), [{ name: 'SVC', value: 'p-svc' }]);
  assert.deepEqual(field(r, id, 'spec.template.spec.containers.0.args'), ['p-svc', 'y']);
  assert.deepEqual(r.diagnostics, []);
  const refused = render({ '/w/k/kustomization.yaml': k(false), '/w/k/app.yaml': app });
  assert.deepEqual(
    refused.diagnostics.map((d) => `${d.severity} ${spanText(refused, d)}: ${d.message.slice(0, 60)}`),
    ['error [metadata.annotations.version]: kustomize: unable to find field "metadata.annotations.versio'],
  );
});

// Found by bench/kustomize-diff.ts against kubectl kustomize v5.5 (expected objects are what it renders).
const bindings = [
  'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n---',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
  'subjects:',
  '- {kind: ServiceAccount, name: sa, namespace: default}',
  '- {kind: ServiceAccount, name: other, namespace: kube-system}',
  '- {kind: ServiceAccount, name: default}',
  '- {kind: User, name: alice}',
  '- {kind: Group, name: default}',
  '---',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
  'subjects:',
  '- {kind: ServiceAccount, name: sa}',
  '',
].join('\n');

test('IN-1: `namespace:` moves binding subjects named `default` (any kind, the namespace filter’s default mode) and, by name reference, the accounts it moved', () => {
  const r = render({ '/w/k/kustomization.yaml': 'namespace: n1\nresources: [rb.yaml]\n', '/w/k/rb.yaml': bindings });
  assert.deepEqual(field(r, 'ClusterRoleBinding/crb', 'subjects'), [
    // `sa` was in `default` as written (unset): it follows the account to n1.
    { kind: 'ServiceAccount', name: 'sa', namespace: 'n1' },
    // No account of the kustomization: as written.
    { kind: 'ServiceAccount', name: 'other', namespace: 'kube-system' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'n1' },
    { kind: 'User', name: 'alice' },
    { kind: 'Group', name: 'default', namespace: 'n1' },
  ]);
  // A subject without a namespace naming a moved account gets the account's namespace.
  assert.deepEqual(field(r, 'RoleBinding/n1/rb', 'subjects'), [{ kind: 'ServiceAccount', name: 'sa', namespace: 'n1' }]);
});

test('IN-1: a renamed account is followed by a subject whose `namespace: default` is the account’s unset one; an unset namespace is never written', () => {
  const r = render({ '/w/k/kustomization.yaml': 'namePrefix: p-\nresources: [rb.yaml]\n', '/w/k/rb.yaml': bindings });
  const subjects = field(r, 'ClusterRoleBinding/p-crb', 'subjects') as unknown[];
  assert.deepEqual(subjects[0], { kind: 'ServiceAccount', name: 'p-sa', namespace: 'default' });
  assert.deepEqual(subjects[2], { kind: 'ServiceAccount', name: 'default' });
  assert.deepEqual(field(r, 'RoleBinding/default/p-rb', 'subjects'), [{ kind: 'ServiceAccount', name: 'p-sa' }]);
});

test('IN-1: NamespaceTransformer `setRoleBindingSubjects: allServiceAccounts` moves every ServiceAccount subject; `none` none', () => {
  const config = (mode: string): string =>
    `resources: [rb.yaml]\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  metadata: {name: x, namespace: n2}\n  setRoleBindingSubjects: ${mode}\n`;
  const all = render({ '/w/k/kustomization.yaml': config('allServiceAccounts'), '/w/k/rb.yaml': bindings });
  const subjects = field(all, 'ClusterRoleBinding/crb', 'subjects') as { namespace?: string }[];
  assert.deepEqual(
    subjects.map((s) => s.namespace),
    ['n2', 'n2', 'n2', undefined, undefined],
  );
  const none = render({ '/w/k/kustomization.yaml': config('none'), '/w/k/rb.yaml': bindings });
  const untouched = field(none, 'ClusterRoleBinding/crb', 'subjects') as { namespace?: string }[];
  // Only the name reference moves `sa` (it follows its account); nothing else.
  assert.deepEqual(
    untouched.map((s) => s.namespace),
    ['n2', 'kube-system', undefined, undefined, undefined],
  );
});

test('IN-1: `labels[].includeTemplates` also labels a StatefulSet’s volume claim templates and a CronJob’s job template', () => {
  const r = render({
    '/w/k/kustomization.yaml': 'labels:\n- pairs: {tier: backend}\n  includeTemplates: true\nresources: [w.yaml]\n',
    '/w/k/w.yaml': [
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}',
      '  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers: [{name: c, image: db}]',
      '  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {accessModes: [ReadWriteOnce]}',
      '---',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: t, image: busybox}]',
      '',
    ].join('\n'),
  });
  assert.deepEqual(field(r, 'StatefulSet/default/db', 'spec.volumeClaimTemplates.0.metadata.labels'), { tier: 'backend' });
  assert.deepEqual(field(r, 'StatefulSet/default/db', 'spec.selector.matchLabels'), { app: 'db' }, 'no selector without includeSelectors');
  assert.deepEqual(field(r, 'CronJob/default/tick', 'spec.jobTemplate.metadata.labels'), { tier: 'backend' });
  assert.deepEqual(field(r, 'CronJob/default/tick', 'spec.jobTemplate.spec.template.metadata.labels'), { tier: 'backend' });
});

test('IN-1: a Secret generator with `behavior: merge` or `replace` sets the type it says (Opaque when it says none), and the hash follows', () => {
  const r = render({
    '/w/b/kustomization.yaml': 'secretGenerator:\n- name: s\n  type: kubernetes.io/basic-auth\n  literals: [username=a, password=b]\n',
    '/w/o/kustomization.yaml': 'resources: [../b]\nsecretGenerator:\n- name: s\n  behavior: merge\n  literals: [password=c]\n',
  });
  assert.deepEqual([...r.byId.keys()], ['Secret/default/s-29m249dm4g']);
  assert.equal(field(r, 'Secret/default/s-29m249dm4g', 'type'), 'Opaque');
  assert.deepEqual(field(r, 'Secret/default/s-29m249dm4g', 'data'), { username: 'YQ==', password: 'Yw==' });
});
