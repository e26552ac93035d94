// Unit tests: kustomize overlays in the model (server/src/model/input/kustomize). Hand-written bases and overlays;
// each expected object follows the kustomize documentation (kubectl.docs.kubernetes.io/references/kustomize)
// and kustomize's builtin field specs. Rule ids: IN-1 (what is read, kustomize roots), IN-4 (not rendered),
// IN-5 (identity, roots colliding). Must not import vscode or LSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { render, field, spanText, codes, model } from '../support/kustomize';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
      - name: web
        image: ghcr.io/acme/web:1.0
        ports:
        - {name: http, containerPort: 8080}
        env:
        - name: LEVEL
          valueFrom: {configMapKeyRef: {name: cfg, key: LEVEL}}
        envFrom:
        - secretRef: {name: creds}
      volumes:
      - name: c
        configMap: {name: cfg}
`;
const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
`;
const extras = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: web
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres:16}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
    - podSelector: {}
`;
const base = {
  '/w/base/kustomization.yaml': `resources:
- app.yaml
- svc.yaml
- extras.yaml
configMapGenerator:
- name: cfg
  literals: [LEVEL=info]
secretGenerator:
- name: creds
  literals: [PASSWORD=s3cret]
`,
  '/w/base/app.yaml': deployment,
  '/w/base/svc.yaml': service,
  '/w/base/extras.yaml': extras,
};

/** kustomize's name hash (api/hasher): sha256 of the sorted JSON of kind, name "" and data; 10 hex digits with 0,1,3,a,e -> g,h,k,m,t. */
function kustomizeHash(encoded: string): string {
  const hex = createHash('sha256').update(encoded).digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

test('IN-1: roots are the kustomizations no other names; base files are modelled only through them', () => {
  const r = render({
    ...base,
    '/w/dev/kustomization.yaml': 'resources: [../base]\nnamespace: dev\n',
    '/w/prod/kustomization.yaml': 'resources: [../base]\nnamespace: prod\n',
    '/w/plain.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: plain}\nspec: {ports: [{port: 1}]}\n',
  });
  assert.deepEqual(r.roots, ['/w/dev/kustomization.yaml', '/w/prod/kustomization.yaml']);
  assert.ok(r.byId.has('Deployment/dev/web') && r.byId.has('Deployment/prod/web'));
  assert.ok(!r.byId.has('Deployment/default/web'), 'the base is not read as a plain manifest');
  assert.ok(r.byId.has('Service/default/plain'), 'a file no kustomization reads is read as before');
  assert.ok(r.consumed.has('/w/base/app.yaml'));
  // The rendered object keeps its base document: fields point into the base file (source mapping).
  const dep = r.byId.get('Deployment/dev/web')!;
  assert.equal(dep.file, '/w/base/app.yaml');
  const md = dep.body.metadata as Record<string, never>;
  const at = dep.spans.entry(md, 'name')!.value;
  assert.equal(deployment.slice(at.start, at.end), 'web');
  const setBy = dep.rendered!.setBy[0]!;
  assert.equal(r.texts.get(setBy.file)!.slice(setBy.span.start, setBy.span.end), 'dev');
});

test('IN-1: namePrefix/nameSuffix rename objects and the references kustomize knows (nameReference config)', () => {
  const r = render({ ...base, '/w/dev/kustomization.yaml': 'resources: [../base]\nnamespace: dev\nnamePrefix: dev-\nnameSuffix: -v1\n' });
  const cfg = `dev-cfg-v1-${kustomizeHash('{"data":{"LEVEL":"info"},"kind":"ConfigMap","name":""}')}`;
  const creds = `dev-creds-v1-${kustomizeHash(`{"data":{"PASSWORD":"${Buffer.from('s3cret').toString('base64')}"},"kind":"Secret","name":"","type":"Opaque"}`)}`;
  assert.ok(r.byId.has(`ConfigMap/dev/${cfg}`), [...r.byId.keys()].join(' '));
  assert.ok(r.byId.has(`Secret/dev/${creds}`));
  const d = 'Deployment/dev/dev-web-v1';
  assert.equal(field(r, d, 'spec.template.spec.containers.0.env.0.valueFrom.configMapKeyRef.name'), cfg);
  assert.equal(field(r, d, 'spec.template.spec.volumes.0.configMap.name'), cfg);
  assert.equal(field(r, d, 'spec.template.spec.containers.0.envFrom.0.secretRef.name'), creds);
  assert.equal(field(r, d, 'spec.template.spec.serviceAccountName'), 'dev-web-v1');
  assert.equal(field(r, 'Ingress/dev/dev-web-v1', 'spec.rules.0.http.paths.0.backend.service.name'), 'dev-web-v1');
  assert.equal(field(r, 'StatefulSet/dev/dev-db-v1', 'spec.serviceName'), 'dev-web-v1');
  assert.equal(field(r, 'HorizontalPodAutoscaler/dev/dev-web-v1', 'spec.scaleTargetRef.name'), 'dev-web-v1');
  // Selectors are labels, not names: unchanged.
  assert.deepEqual(field(r, 'Service/dev/dev-web-v1', 'spec.selector'), { app: 'web' });
});

test("IN-1: the generated name hash is exactly kustomize's (`literals: [A=1]` gives cfg-89g4tffbfk, as kubectl kustomize v5.5 prints)", () => {
  const r = render({
    '/w/k/kustomization.yaml':
      'configMapGenerator:\n- name: cfg\n  literals: [A=1]\n- name: html\n  literals: ["B=<x>&"]\n- name: plain\n  literals: [A=1]\n  options: {disableNameSuffixHash: true}\n',
  });
  assert.ok(r.byId.has('ConfigMap/default/cfg-89g4tffbfk'));
  // Go's encoding/json escapes <, > and & inside strings.
  assert.ok(r.byId.has(`ConfigMap/default/html-${kustomizeHash('{"data":{"B":"\\u003cx\\u003e\\u0026"},"kind":"ConfigMap","name":""}')}`));
  assert.ok(r.byId.has('ConfigMap/default/plain'));
});

test('IN-1: commonLabels reach selectors, templates and NetworkPolicy selectors that already match labels; labels[] honours includeSelectors/includeTemplates', () => {
  const r = render({
    ...base,
    '/w/o/kustomization.yaml': 'resources: [../base]\ncommonLabels: {env: dev}\nlabels:\n- pairs: {team: a}\n  includeTemplates: true\n',
  });
  assert.deepEqual(field(r, 'Service/default/web', 'spec.selector'), { app: 'web', env: 'dev' });
  assert.deepEqual(field(r, 'Deployment/default/web', 'spec.selector.matchLabels'), { app: 'web', env: 'dev' });
  assert.deepEqual(field(r, 'Deployment/default/web', 'spec.template.metadata.labels'), { app: 'web', env: 'dev', team: 'a' });
  assert.deepEqual(field(r, 'Deployment/default/web', 'metadata.labels'), { env: 'dev', team: 'a' });
  assert.deepEqual(field(r, 'NetworkPolicy/default/web', 'spec.podSelector.matchLabels'), { app: 'web', env: 'dev' });
  assert.deepEqual(field(r, 'NetworkPolicy/default/web', 'spec.ingress.0.from.1.podSelector'), {}, 'an empty selector (all pods) stays empty');
  assert.equal(field(r, 'StatefulSet/default/db', 'spec.volumeClaimTemplates'), undefined, 'a list field spec is never created');
});

test('IN-1: strategic merge patches merge containers, ports and env by their keys, patch items first; $patch: delete removes', () => {
  const r = render({
    ...base,
    '/w/o/kustomization.yaml': 'resources: [../base]\npatches:\n- path: p.yaml\n',
    '/w/o/p.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: web
        ports: [{name: metrics, containerPort: 9090}]
        env: [{name: EXTRA, value: "1"}]
      - name: sidecar
        image: busybox
      volumes:
      - {name: c, $patch: delete}
`,
  });
  const d = 'Deployment/default/web';
  assert.equal(field(r, d, 'spec.replicas'), 3);
  assert.deepEqual(
    (field(r, d, 'spec.template.spec.containers') as { name: string }[]).map((c) => c.name),
    ['web', 'sidecar'],
  );
  assert.deepEqual(
    (field(r, d, 'spec.template.spec.containers.0.ports') as { containerPort: number }[]).map((p) => p.containerPort),
    [9090, 8080],
  );
  assert.deepEqual(
    (field(r, d, 'spec.template.spec.containers.0.env') as { name: string }[]).map((e) => e.name),
    ['EXTRA', 'LEVEL'],
  );
  assert.equal(field(r, d, 'spec.template.spec.containers.0.image'), 'ghcr.io/acme/web:1.0');
  assert.deepEqual(field(r, d, 'spec.template.spec.volumes'), []);
});

test('IN-1: JSON 6902 patches, target selection by label, images and replicas', () => {
  const r = render({
    ...base,
    '/w/o/kustomization.yaml': `resources: [../base]
patches:
- target: {kind: Service, labelSelector: "tier=web"}
  patch: |-
    - op: replace
      path: /spec/ports/0/port
      value: 8080
- target: {kind: Service, name: web}
  patch: |-
    - op: add
      path: /metadata/labels
      value: {tier: web}
images:
- {name: ghcr.io/acme/web, newTag: "2.0"}
- {name: postgres, newName: docker.io/library/postgres, digest: "sha256:abc"}
replicas:
- {name: db, count: 2}
`,
  });
  // Patches run in order: the label patch comes second, so the first (by label) matched nothing then.
  assert.equal(field(r, 'Service/default/web', 'spec.ports.0.port'), 80);
  assert.deepEqual(field(r, 'Service/default/web', 'metadata.labels'), { tier: 'web' });
  assert.ok(codes(r).includes('kustomize-patch-unmatched'));
  assert.equal(field(r, 'Deployment/default/web', 'spec.template.spec.containers.0.image'), 'ghcr.io/acme/web:2.0');
  assert.equal(field(r, 'StatefulSet/default/db', 'spec.template.spec.containers.0.image'), 'docker.io/library/postgres@sha256:abc');
  assert.equal(field(r, 'StatefulSet/default/db', 'spec.replicas'), 2);
});

test('IN-1: components add their resources and patch what the kustomization has; generator behavior: merge', () => {
  const r = render({
    ...base,
    '/w/c/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [np.yaml]\npatches:\n- target: {kind: Deployment}\n  patch: |-\n    - op: add\n      path: /metadata/annotations\n      value: {c: "on"}\n',
    '/w/c/np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n',
    '/w/o/kustomization.yaml':
      'resources: [../base]\ncomponents: [../c]\nconfigMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [LEVEL=debug, NEW=1]\n',
  });
  assert.deepEqual(r.roots, ['/w/o/kustomization.yaml']);
  assert.ok(r.byId.has('NetworkPolicy/default/deny'));
  assert.deepEqual(field(r, 'Deployment/default/web', 'metadata.annotations'), { c: 'on' });
  const cm = [...r.byId.values()].find((x) => x.kind === 'ConfigMap')!;
  assert.deepEqual(cm.body.data, { LEVEL: 'debug', NEW: '1' });
  assert.equal(cm.name, `cfg-${kustomizeHash('{"data":{"LEVEL":"debug","NEW":"1"},"kind":"ConfigMap","name":""}')}`);
});

test('IN-5: two roots rendering the same identity: one warning naming both roots, the first root keeps them', () => {
  const r = render({ ...base, '/w/a/kustomization.yaml': 'resources: [../base]\n', '/w/b/kustomization.yaml': 'resources: [../base]\n' });
  const collide = r.diagnostics.filter((d) => d.code === 'kustomize-roots-collide');
  assert.equal(collide.length, 1);
  assert.match(collide[0]!.message, /\/w\/b\/kustomization\.yaml and \/w\/a\/kustomization\.yaml both render \d+ objects/);
  assert.equal(collide[0]!.rule, 'IN-5');
  assert.ok(!r.diagnostics.some((d) => d.code === 'duplicate-resource'), 'no per-object duplicate');
  const m = model(r);
  assert.ok(!m.diagnostics.some((d) => d.code === 'duplicate-resource'));
  assert.ok(m.services.some((s) => s.id === 'default/web'));
});

test('IN-1: bad input is a diagnostic at the line that asks for it, never a throw: missing file, cycle, self-reference, unmatched patch, JSON patch on a missing path', () => {
  const r = render({
    '/w/a/kustomization.yaml':
      'resources:\n- missing.yaml\n- ../b\npatches:\n- target: {kind: Service}\n  patch: |-\n    - op: remove\n      path: /spec/nothing\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: ghost}\n',
    '/w/b/kustomization.yaml': 'resources: [../a, svc.yaml]\n',
    '/w/b/svc.yaml': service,
    '/w/self/kustomization.yaml': 'resources: [.]\n',
  });
  const at = (code: string, text: string) => r.diagnostics.find((d) => d.code === code && spanText(r, d).includes(text));
  assert.ok(at('kustomize-error', 'missing.yaml'), 'missing file on its list item');
  assert.ok(
    r.diagnostics.some((d) => /cycle/.test(d.message) && d.file === '/w/b/kustomization.yaml'),
    'cycle a -> b -> a',
  );
  assert.ok(
    r.diagnostics.some((d) => /cycle/.test(d.message) && d.file === '/w/self/kustomization.yaml'),
    'self-reference',
  );
  assert.ok(r.diagnostics.some((d) => d.code === 'kustomize-patch-failed' && /no field "nothing"/.test(d.message)));
  assert.ok(r.diagnostics.some((d) => d.code === 'kustomize-patch-unmatched' && /ghost/.test(d.message)));
  assert.ok(r.diagnostics.every((d) => d.rule === 'IN-1' || d.rule === 'IN-5'));
});

test('IN-1, IN-4: remote resources and helmCharts are not rendered: a warning on their line', () => {
  const r = render({ '/w/k/kustomization.yaml': 'resources:\n- https://github.com/acme/x//deploy?ref=v1\nhelmCharts:\n- name: redis\n' });
  assert.ok(r.diagnostics.some((d) => d.code === 'kustomize-not-rendered' && spanText(r, d).startsWith('https://github.com')));
  assert.ok(r.diagnostics.some((d) => d.code === 'kustomize-not-rendered' && spanText(r, d) === 'helmCharts'));
});

test('IN-1: deep nesting and a thousand overlays are bounded: rendered quickly, depth reported', () => {
  const files: Record<string, string> = { '/w/base/kustomization.yaml': 'resources: [svc.yaml]\n', '/w/base/svc.yaml': service };
  for (let i = 0; i < 100; i++) files[`/w/n${i}/kustomization.yaml`] = `resources: [${i === 99 ? '../base' : `../n${i + 1}`}]\n`;
  for (let i = 0; i < 1000; i++) files[`/w/o${i}/kustomization.yaml`] = `resources: [../base]\nnamespace: o${i}\n`;
  const t0 = performance.now();
  const r = render(files);
  assert.ok(performance.now() - t0 < 20_000);
  assert.ok(r.diagnostics.some((d) => /nest more than/.test(d.message)));
  assert.ok(r.byId.has('Service/o999/web'));
});

test("IN-1: files outside the kustomization's folder are refused as kustomize's load restrictor refuses them; other kustomizations' folders are not", () => {
  const r = render({
    '/w/secret.env': 'TOKEN=s3cret\n',
    '/w/stray.yaml': service,
    '/w/patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort}\n',
    '/w/base/kustomization.yaml': 'resources: [svc.yaml]\n',
    '/w/base/svc.yaml': service,
    '/w/app/kustomization.yaml':
      'resources:\n- ../base\n- ../stray.yaml\nconfigMapGenerator:\n- name: leak\n  envs: [../secret.env]\npatchesStrategicMerge:\n- ../patch.yaml\n',
  });
  const refused = r.diagnostics.filter(
    (d) => d.code === 'kustomize-error' && /security; file '\/w\/(stray\.yaml|secret\.env|patch\.yaml)' is not in or below '\/w\/app'/.test(d.message),
  );
  assert.equal(refused.length, 3, r.diagnostics.map((d) => d.message).join('\n'));
  // ../base is a kustomization folder: rendered. Nothing of the refused files got in.
  assert.equal(field(r, 'Service/default/web', 'spec.type'), undefined);
  // (kubectl refuses the whole build; the model goes on without what it refused: the generator's input is not read.)
  const cm = [...r.byId.values()].find((x) => x.kind === 'ConfigMap');
  assert.doesNotMatch(JSON.stringify(cm?.body ?? {}), /s3cret|TOKEN/);
});
