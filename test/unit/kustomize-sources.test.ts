// Unit tests: IN-1 source mapping of rendered objects (server/src/model/kustomize). Every rendered field keeps
// the range of the text that produced it: the base line, the patch line that overrode it, or the
// kustomization line that transformed it; the model's diagnostics about a rendered field land there.
// Overlays are hand-written; what each patch and transformer does follows the kustomize documentation
// (kubectl.docs.kubernetes.io/references/kustomize/kustomization/). The diagnostics are IN-3's (a
// protocol the API server rejects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyKustomize, chooseRoots, KustomizeCache, parseFile, parseProfile, type JsonMap, type ModelDiagnostic } from '../../server/src/model/index';
import { render, model, spanText, type Rendered } from '../support/kustomize';

const service = `apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  selector:
    app: backend
  ports:
  - name: http
    port: 80
    protocol: TCP
`;
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
spec:
  replicas: 1
  selector:
    matchLabels: {app: backend}
  template:
    metadata:
      labels: {app: backend}
    spec:
      containers:
      - name: app
        image: ghcr.io/acme/backend:1.0
`;
const base = {
  '/w/base/kustomization.yaml': 'resources:\n- svc.yaml\n- deploy.yaml\n',
  '/w/base/svc.yaml': service,
  '/w/base/deploy.yaml': deployment,
};

/** The IN-3 protocol diagnostics of the model built from a rendered workspace. */
function protocolDiagnostics(r: Rendered): ModelDiagnostic[] {
  return model(r).diagnostics.filter((d) => d.code === 'invalid-field' && /protocol/.test(d.message));
}

/** 1-based line of an offset in a file of the workspace. */
function lineOf(r: Rendered, file: string, offset: number): number {
  return (r.texts.get(file) ?? '').slice(0, offset).split('\n').length;
}

test('IN-1, IN-3: a value a strategic merge patch set is reported on the patch line, not on the base line it overrode', () => {
  const r = render({
    ...base,
    '/w/dev/kustomization.yaml': 'namespace: dev\nnamePrefix: dev-\nresources:\n- ../base\npatches:\n- path: svc-patch.yaml\n',
    '/w/dev/svc-patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\nspec:\n  ports:\n  - port: 80\n    protocol: XTCP\n',
    // prod renders the same base without the patch: its Service is valid, nothing reported for it.
    '/w/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\n',
  });
  const found = protocolDiagnostics(r);
  assert.equal(found.length, 1, JSON.stringify(found));
  const d = found[0]!;
  assert.equal(d.file, '/w/dev/svc-patch.yaml');
  assert.equal(spanText(r, d), 'XTCP');
  assert.equal(lineOf(r, d.file, d.span.start), 8);
  assert.equal(d.subject, 'Service/dev/dev-backend');
  assert.equal(d.span.file, undefined, 'the relocated span carries no file tag');
});

test('IN-1, IN-3: a list item a strategic merge patch added (merged by its key) is reported in the patch; the base items stay on the base lines', () => {
  const r = render({
    '/w/base/kustomization.yaml': 'resources:\n- svc.yaml\n',
    '/w/base/svc.yaml': service.replace('protocol: TCP', 'protocol: UDPX'),
    '/w/dev/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: p.yaml\n',
    // A Service's ports merge by `port`: 443 is new and, as kubectl kustomize orders them, comes first.
    '/w/dev/p.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\nspec:\n  ports:\n  - name: https\n    port: 443\n    protocol: TLS\n',
  });
  const found = protocolDiagnostics(r)
    .map((d) => `${d.file}:${lineOf(r, d.file, d.span.start)} ${spanText(r, d)}`)
    .sort();
  assert.deepEqual(found, ['/w/base/svc.yaml:11 UDPX', '/w/dev/p.yaml:9 TLS']);
});

test('IN-1, IN-3: what a strategic merge patch adds whole (a container, a list the base lacks) is reported in the patch, an inline one on its `patch:` entry', () => {
  const r = render({
    ...base,
    // A new container (containers merge by name), its ports list with it.
    '/w/dev/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: sidecar.yaml\n',
    '/w/dev/sidecar.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backend\nspec:\n  template:\n    spec:\n      containers:\n      - name: proxy\n        image: envoy\n        ports:\n        - containerPort: 9901\n          protocol: TCPX\n',
    // The base container has no ports: the patch's list goes in as it is, inside the merged container.
    '/w/qa/kustomization.yaml':
      'namePrefix: qa-\nresources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: backend}\n    spec:\n      template:\n        spec:\n          containers:\n          - name: app\n            ports: [{containerPort: 8080, protocol: UDPX}]\n',
  });
  const found = protocolDiagnostics(r)
    .map((d) => `${d.file}:${lineOf(r, d.file, d.span.start)} ${d.subject}`)
    .sort();
  assert.deepEqual(found, ['/w/dev/sidecar.yaml:13 Deployment/default/backend', '/w/qa/kustomization.yaml:5 Deployment/default/qa-backend']);
  const dev = protocolDiagnostics(r).find((d) => d.file === '/w/dev/sidecar.yaml')!;
  assert.equal(spanText(r, dev), 'TCPX');
});

test("IN-1, IN-3: a JSON 6902 replace is reported on the operation's value; an inline patch on its `patch:` entry", () => {
  const r = render({
    ...base,
    '/w/dev/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: ops.yaml\n  target: {kind: Service, name: backend}\n',
    '/w/dev/ops.yaml': '- op: replace\n  path: /spec/ports/0/protocol\n  value: SCTPX\n',
    '/w/qa/kustomization.yaml':
      'namePrefix: qa-\nresources:\n- ../base\npatches:\n- target: {kind: Service}\n  patch: |-\n    - op: add\n      path: /spec/ports/0/protocol\n      value: QUIC\n',
  });
  const found = protocolDiagnostics(r)
    .map((d) => `${d.file}:${lineOf(r, d.file, d.span.start)}`)
    .sort();
  assert.deepEqual(found, ['/w/dev/ops.yaml:3', '/w/qa/kustomization.yaml:6']);
  const dev = protocolDiagnostics(r).find((d) => d.file === '/w/dev/ops.yaml')!;
  assert.equal(spanText(r, dev), 'SCTPX');
});

test('IN-1: a namespace, a label, an image and a replica count a kustomization set point at the kustomization line that set them', () => {
  const k =
    'namespace: dev\ncommonLabels:\n  env: dev\nimages:\n- name: ghcr.io/acme/backend\n  newTag: "2.0"\nreplicas:\n- name: backend\n  count: 3\nresources:\n- ../base\n';
  const r = render({ ...base, '/w/dev/kustomization.yaml': k });
  const svc = r.byId.get('Service/dev/backend')!;
  const dep = r.byId.get('Deployment/dev/backend')!;
  const at = (s: { start: number; end: number; file?: string } | undefined): string => (s ? `${s.file ?? '(own file)'} ${k.slice(s.start, s.end)}` : 'none');
  const md = svc.body.metadata as JsonMap;
  assert.equal(at(svc.spans.entry(md, 'namespace')?.value), '/w/dev/kustomization.yaml dev');
  assert.equal(at(svc.spans.entry(md, 'namespace')?.key), '/w/dev/kustomization.yaml namespace');
  assert.equal(at(svc.spans.entry(md.labels as JsonMap, 'env')?.value), '/w/dev/kustomization.yaml dev');
  assert.equal(at(svc.spans.entry((svc.body.spec as JsonMap).selector as JsonMap, 'env')?.key), '/w/dev/kustomization.yaml env');
  const container = (((dep.body.spec as JsonMap).template as JsonMap).spec as JsonMap).containers as JsonMap[];
  assert.equal(container[0]!.image, 'ghcr.io/acme/backend:2.0');
  assert.equal(at(dep.spans.entry(container[0]!, 'image')?.value), '/w/dev/kustomization.yaml "2.0"');
  assert.equal(at(dep.spans.entry(dep.body.spec as JsonMap, 'replicas')?.value), '/w/dev/kustomization.yaml 3');
  // Untouched fields stay in the base file, untagged.
  const name = svc.spans.entry(md, 'name')?.value;
  assert.equal(name?.file, undefined);
  assert.equal(r.texts.get('/w/base/svc.yaml')!.slice(name!.start, name!.end), 'backend');
});

test('IN-1: the model says which roots render through each kustomization (bases, nested bases, components) and what each renders', () => {
  const files = {
    '/w/base/kustomization.yaml': 'resources:\n- svc.yaml\n',
    '/w/base/svc.yaml': service,
    '/w/app/kustomization.yaml': 'resources:\n- ../base\n- deploy.yaml\n',
    '/w/app/deploy.yaml': deployment,
    '/w/policy/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- np.yaml\n',
    '/w/policy/np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n',
    '/w/dev/kustomization.yaml': 'namespace: dev\nresources:\n- ../app\ncomponents:\n- ../policy\n',
    '/w/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../app\n',
  };
  const texts = new Map(Object.entries(files));
  const out = applyKustomize(
    [...texts].map(([f, t]) => parseFile(f, t)),
    { texts },
  );
  const facts = Object.fromEntries([...out.kustomizations].map(([k, f]) => [k.slice(3, -'/kustomization.yaml'.length), f]));
  assert.deepEqual(facts, {
    app: { root: false, modelled: true, usedBy: ['/w/dev/kustomization.yaml', '/w/prod/kustomization.yaml'], kinds: { Service: 1, Deployment: 1 } },
    base: { root: false, modelled: true, usedBy: ['/w/dev/kustomization.yaml', '/w/prod/kustomization.yaml'], kinds: { Service: 1 } },
    dev: { root: true, modelled: true, usedBy: [], kinds: { Service: 1, Deployment: 1, NetworkPolicy: 1 } },
    policy: { root: false, modelled: true, usedBy: ['/w/dev/kustomization.yaml'] },
    prod: { root: true, modelled: true, usedBy: [], kinds: { Service: 1, Deployment: 1 } },
  });
});

test('IN-1: kustomize.roots narrows the model to the chosen roots (by folder or its last folders); the others are still no plain manifests', () => {
  const roots = ['/w/overlays/dev/kustomization.yaml', '/w/overlays/prod/kustomization.yaml', '/w/eu/prod/kustomization.yaml'];
  const names = (wanted: string[]): string[] => [...chooseRoots(roots, wanted).chosen].sort();
  assert.deepEqual(names(['dev']), ['/w/overlays/dev/kustomization.yaml']);
  assert.deepEqual(names(['prod']), ['/w/eu/prod/kustomization.yaml', '/w/overlays/prod/kustomization.yaml']);
  assert.deepEqual(names(['overlays/prod/', './eu/prod/kustomization.yaml']), ['/w/eu/prod/kustomization.yaml', '/w/overlays/prod/kustomization.yaml']);
  // An entry naming no root is said; with nothing chosen the model holds every root rather than none.
  assert.deepEqual(chooseRoots(roots, ['stage', 'dev']).unmatched, ['stage']);
  assert.deepEqual(names(['stage']), [...roots].sort());
  assert.deepEqual(names([]), [...roots].sort());

  const files = {
    ...base,
    '/w/dev/kustomization.yaml': 'namespace: dev\nresources:\n- ../base\n',
    '/w/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\n',
  };
  const texts = new Map(Object.entries(files));
  const out = applyKustomize(
    [...texts].map(([f, t]) => parseFile(f, t)),
    { texts },
    { roots: ['prod'] },
  );
  assert.deepEqual(out.roots, ['/w/dev/kustomization.yaml', '/w/prod/kustomization.yaml']);
  assert.deepEqual(out.modelled, ['/w/prod/kustomization.yaml']);
  const ids = out.files.flatMap((f) => f.resources.map((r) => r.id)).sort();
  assert.deepEqual(ids, ['Deployment/prod/backend', 'Service/prod/backend']);
  assert.equal(out.kustomizations.get('/w/dev/kustomization.yaml')?.modelled, false);
});

test('CL-1, IN-1: the profile field kustomize.roots is read as a list of root folders; anything else is an error on it and every root is modelled', () => {
  assert.deepEqual(parseProfile('/w/netpath.cluster.yaml', 'kustomize:\n  roots: [dev, overlays/prod]\n').profile.kustomizeRoots, ['dev', 'overlays/prod']);
  const bad = parseProfile('/w/netpath.cluster.yaml', 'kustomize:\n  roots: dev\n  root: [x]\n');
  assert.equal(bad.profile.kustomizeRoots, undefined);
  assert.deepEqual(
    bad.diagnostics.map((d) => `${d.severity} ${d.message.slice(0, 40)}`),
    ['warning Unknown field `root` in `kustomize`; it ', 'error `kustomize.roots` must be a list of kust'],
  );
  assert.equal(parseProfile('/w/netpath.cluster.yaml', 'clusterDomain: cluster.local\n').profile.kustomizeRoots, undefined);
});

test('IN-1: with a cache, an edit of a base re-renders only the roots that read it, and the model is the same as a fresh render', () => {
  const files: Record<string, string> = {
    '/w/a/kustomization.yaml': 'resources:\n- svc.yaml\n',
    '/w/a/svc.yaml': service,
    '/w/b/kustomization.yaml': 'resources:\n- deploy.yaml\n',
    '/w/b/deploy.yaml': deployment,
    '/w/a-dev/kustomization.yaml': 'namespace: a-dev\nresources:\n- ../a\n',
    '/w/a-prod/kustomization.yaml': 'namespace: a-prod\nresources:\n- ../a\n',
    '/w/b-dev/kustomization.yaml': 'namespace: b-dev\nresources:\n- ../b\n',
  };
  const cache = new KustomizeCache();
  const run = (withCache: boolean) => {
    const texts = new Map(Object.entries(files));
    return applyKustomize(
      [...texts].map(([f, t]) => parseFile(f, t)),
      { texts },
      withCache ? { cache } : {},
    );
  };
  assert.equal(run(true).rendered.length, 3);
  assert.deepEqual(run(true).rendered, [], 'nothing changed: every root from the cache');
  files['/w/a/svc.yaml'] = service.replace('port: 80', 'port: 8080');
  const cached = run(true);
  assert.deepEqual(cached.rendered, ['/w/a-dev/kustomization.yaml', '/w/a-prod/kustomization.yaml']);
  const ports = (out: typeof cached) =>
    out.files
      .flatMap((f) => f.resources)
      .filter((r) => r.kind === 'Service')
      .map((r) => `${r.id} ${JSON.stringify((r.body.spec as JsonMap).ports)}`);
  assert.deepEqual(ports(cached), ports(run(false)));
  assert.deepEqual(ports(cached), [
    'Service/a-dev/backend [{"name":"http","port":8080,"protocol":"TCP"}]',
    'Service/a-prod/backend [{"name":"http","port":8080,"protocol":"TCP"}]',
  ]);
  // A file a root looked for and did not find counts too: adding it re-renders that root.
  files['/w/b-dev/kustomization.yaml'] = 'namespace: b-dev\nresources:\n- ../b\n- extra.yaml\n';
  assert.deepEqual(run(true).rendered, ['/w/b-dev/kustomization.yaml']);
  files['/w/b-dev/extra.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n';
  const added = run(true);
  assert.deepEqual(added.rendered, ['/w/b-dev/kustomization.yaml']);
  assert.ok(added.files.some((f) => f.resources.some((r) => r.id === 'ConfigMap/b-dev/extra')));
});

test('IN-1, IN-3: a name a namePrefix makes too long is an error on the namePrefix line, not on the base name', () => {
  const long = `svc-${'a'.repeat(55)}`; // 59 characters: a valid DNS-1035 label as written
  const r = render({
    '/w/base/kustomization.yaml': 'resources:\n- svc.yaml\n',
    '/w/base/svc.yaml': service.replace('name: backend', `name: ${long}`),
    '/w/staging/kustomization.yaml': 'namePrefix: staging-\nresources:\n- ../base\n',
  });
  const found = r.diagnostics.filter((d) => d.code === 'invalid-field');
  assert.deepEqual(
    found.map((d) => `${d.file} ${lineOf(r, d.file, d.span.start)} ${spanText(r, d)}`),
    ['/w/staging/kustomization.yaml 1 staging-'],
  );
  assert.match(found[0]!.message, /staging-svc-a+" \(svc-a+ renamed by namePrefix\) is not a DNS-1035 label/);
  assert.equal(found[0]!.subject, `Service/default/staging-${long}`);
});
