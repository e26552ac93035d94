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
