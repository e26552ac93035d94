// Unit tests: roots over one base share the base's parsed objects (copy-on-write, IN-1). Each root renders as
// `kubectl kustomize` would render it alone: a transformer or patch of one overlay never shows in another overlay,
// in the base's own rendering or in the parsed base file, and each changed field still points at the line that
// changed it. Expected objects follow the kustomize docs (namePrefix, commonLabels, images, replicas, patches).
// Must not import vscode or LSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyKustomize, parseFile, type JsonMap, type ParsedFile, type Resource } from '../../server/src/model/index';

const deployment = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  labels: {app: web}',
  'spec:',
  '  replicas: 1',
  '  selector:',
  '    matchLabels: {app: web}',
  '  template:',
  '    metadata:',
  '      labels: {app: web}',
  '    spec:',
  '      containers:',
  '      - name: main',
  '        image: reg/web:1.0',
  '        env:',
  '        - {name: MODE, value: base}',
  '        envFrom:',
  '        - configMapRef: {name: web-config}',
  '      - name: side',
  '        image: reg/side:1.0',
  '',
].join('\n');

const files: Record<string, string> = {
  '/w/base/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: web-config\n  literals: [LEVEL=info]\n',
  '/w/base/deploy.yaml': deployment,
  '/w/dev/kustomization.yaml': [
    'namespace: dev',
    'namePrefix: dev-',
    'commonLabels: {env: dev}',
    'resources: [../base]',
    'images:',
    '- name: reg/web',
    '  newTag: "2.0"',
    'replicas:',
    '- {name: web, count: 2}',
    'patches:',
    '- path: patch.yaml',
    '',
  ].join('\n'),
  '/w/dev/patch.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: main',
    '        env:',
    '        - {name: MODE, value: dev}',
    '',
  ].join('\n'),
  '/w/prod/kustomization.yaml': [
    'namespace: prod',
    'resources: [../base]',
    'patches:',
    '- target: {kind: Deployment, name: web}',
    '  patch: |-',
    '    - op: replace',
    '      path: /spec/template/spec/containers/1/image',
    '      value: reg/side:9.9',
    '',
  ].join('\n'),
};

function renderAll(): { byId: Map<string, Resource>; parsed: Map<string, ParsedFile> } {
  const texts = new Map(Object.entries(files));
  // As the server and the CLI call it: every file parsed once, the parse handed to the renderer.
  const parsed = new Map([...texts].map(([f, t]) => [f, parseFile(f, t)]));
  const out = applyKustomize([...parsed.values()], { texts, parsed: (f) => parsed.get(f) });
  const byId = new Map<string, Resource>();
  for (const f of out.files) for (const r of f.resources) byId.set(r.id, r);
  return { byId, parsed };
}

function at(body: JsonMap, path: string): unknown {
  let v: unknown = body;
  for (const p of path.split('.')) v = v === null || v === undefined ? undefined : (v as JsonMap)[p];
  return v;
}

test('IN-1: overlays over one base each render their own changes only; the parsed base is never changed', () => {
  const { byId, parsed } = renderAll();
  assert.deepEqual([...byId.keys()].sort(), [
    'ConfigMap/dev/dev-web-config-2748f727mg',
    'ConfigMap/prod/web-config-2748f727mg',
    'Deployment/dev/dev-web',
    'Deployment/prod/web',
  ]);
  const dev = byId.get('Deployment/dev/dev-web')!.body;
  const prod = byId.get('Deployment/prod/web')!.body;
  // dev: prefix, label on metadata, selector and template; its image tag, replica count and patched env.
  assert.deepEqual(at(dev, 'metadata.labels'), { app: 'web', env: 'dev' });
  assert.deepEqual(at(dev, 'spec.selector.matchLabels'), { app: 'web', env: 'dev' });
  assert.deepEqual(at(dev, 'spec.template.metadata.labels'), { app: 'web', env: 'dev' });
  assert.equal(at(dev, 'spec.replicas'), 2);
  assert.deepEqual(at(dev, 'spec.template.spec.containers'), [
    { name: 'main', image: 'reg/web:2.0', env: [{ name: 'MODE', value: 'dev' }], envFrom: [{ configMapRef: { name: 'dev-web-config-2748f727mg' } }] },
    { name: 'side', image: 'reg/side:1.0' },
  ]);
  // prod: none of dev's changes; its own JSON patch of the second container only.
  assert.deepEqual(at(prod, 'metadata'), { name: 'web', labels: { app: 'web' }, namespace: 'prod' });
  assert.deepEqual(at(prod, 'spec.selector.matchLabels'), { app: 'web' });
  assert.equal(at(prod, 'spec.replicas'), 1);
  assert.deepEqual(at(prod, 'spec.template.spec.containers'), [
    { name: 'main', image: 'reg/web:1.0', env: [{ name: 'MODE', value: 'base' }], envFrom: [{ configMapRef: { name: 'web-config-2748f727mg' } }] },
    { name: 'side', image: 'reg/side:9.9' },
  ]);
  // The parsed base file and the parsed patch are what their texts say, after both roots rendered.
  assert.deepEqual(parsed.get('/w/base/deploy.yaml')!.resources[0]!.body, parseFile('/w/base/deploy.yaml', deployment).resources[0]!.body);
  assert.deepEqual(parsed.get('/w/dev/patch.yaml')!.resources[0]!.body, parseFile('/w/dev/patch.yaml', files['/w/dev/patch.yaml']!).resources[0]!.body);
});

test('IN-1 source mapping: a field one overlay changed points at that overlay; the other root keeps the base line', () => {
  const { byId } = renderAll();
  const spanOf = (id: string, path: string[], key: string | number): { file: string; text: string } => {
    const r = byId.get(id)!;
    let c: unknown = r.body;
    for (const p of path) c = (c as JsonMap)[p];
    const e = r.spans.entry(c as JsonMap, key)!;
    const file = e.value.file ?? r.file;
    return { file, text: files[file]!.slice(e.value.start, e.value.end) };
  };
  const env = ['spec', 'template', 'spec', 'containers'];
  assert.deepEqual(spanOf('Deployment/dev/dev-web', [...env, '0', 'env', '0'], 'value'), { file: '/w/dev/patch.yaml', text: 'dev' });
  assert.deepEqual(spanOf('Deployment/prod/web', [...env, '0', 'env', '0'], 'value'), { file: '/w/base/deploy.yaml', text: 'base' });
  assert.deepEqual(spanOf('Deployment/dev/dev-web', [...env, '0'], 'image'), { file: '/w/dev/kustomization.yaml', text: '"2.0"' });
  assert.deepEqual(spanOf('Deployment/prod/web', [...env, '0'], 'image'), { file: '/w/base/deploy.yaml', text: 'reg/web:1.0' });
  assert.deepEqual(spanOf('Deployment/dev/dev-web', ['spec'], 'replicas'), { file: '/w/dev/kustomization.yaml', text: '2' });
  assert.deepEqual(spanOf('Deployment/prod/web', ['spec'], 'replicas'), { file: '/w/base/deploy.yaml', text: '1' });
  assert.deepEqual(spanOf('Deployment/dev/dev-web', ['metadata', 'labels'], 'env'), { file: '/w/dev/kustomization.yaml', text: 'dev' });
  assert.deepEqual(spanOf('Deployment/prod/web', ['metadata', 'labels'], 'app'), { file: '/w/base/deploy.yaml', text: 'web' });
});
