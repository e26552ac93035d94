// Unit tests: bad input never crashes the model (IN-2, IN-3). Deterministic mutations of the real
// examples (cut, duplicated and swapped lines, wrong types, hostile strings) go through the whole
// model and every query face; nothing may throw except RefError for a reference that does not resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectivity, lookupDns, matchIngress, reach, RefError, trace, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { mutate, rng } from '../support/mutate';
import { model, render } from '../support/kustomize';

const dir = join(__dirname, '..', '..', '..', 'examples');
const EXAMPLES: Record<string, string> = {};
for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) EXAMPLES[`examples/${f}`] = readFileSync(join(dir, f), 'utf8');

function queries(m: Model): void {
  const refs = [
    ...m.pods.slice(0, 3).map((p) => `pod:${p.id}`),
    ...m.services.slice(0, 4).map((s) => `svc:${s.id}`),
    'node:node1',
    'host:10.0.0.3',
    'url:http://test.com/get',
  ];
  for (const from of refs.slice(0, 4)) {
    for (const to of refs) {
      for (const fn of [trace, reach]) {
        try {
          fn(m, from, to);
        } catch (e) {
          if (!(e instanceof RefError)) throw e;
        }
      }
    }
  }
  lookupDns(m, 'redis.default', 'A', { namespace: 'client' });
  matchIngress(m, 'http://test.com/anything');
  connectivity(m);
  JSON.stringify(m.services.map((s) => [s.env, s.dns, s.endpoints]));
}

/** The Services each example file defines, from the unmutated workspace. */
const SERVICES_BY_FILE = (() => {
  const byFile = new Map<string, string[]>();
  for (const s of modelOf(EXAMPLES).services) if (s.source) byFile.set(s.source.file, [...(byFile.get(s.source.file) ?? []), s.id]);
  return byFile;
})();

/** Enough rounds that the profile alias bomb (rounds 698 and 2846 of this stream) is hit; FUZZ_ROUNDS runs more. */
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 3000);

test(`IN-2, IN-3, CL-1: ${ROUNDS} mutated copies of the examples (the profile among them) never throw out of the model or its queries`, () => {
  assert.ok(SERVICES_BY_FILE.size >= 8, 'the examples spread their Services over many files, so the check below means something');
  const r = rng(20261124);
  const names = Object.keys(EXAMPLES);
  for (let round = 0; round < ROUNDS; round++) {
    const files = { ...EXAMPLES };
    const victim = names[Math.floor(r() * names.length)]!;
    files[victim] = mutate(files[victim]!, r);
    let m: Model | undefined;
    assert.doesNotThrow(() => {
      m = modelOf(files);
    }, `round ${round}: ${victim}`);
    assert.doesNotThrow(() => queries(m!), `round ${round}: queries after mutating ${victim}`);
    // A mutation that breaks one file never takes another file's objects with it (IN-2).
    const ids = new Set(m!.services.map((s) => s.id));
    for (const [file, svcIds] of SERVICES_BY_FILE) {
      if (file === victim) continue;
      for (const id of svcIds) assert.ok(ids.has(id), `round ${round}: mutating ${victim} lost ${id} of ${file}`);
    }
  }
});

/** A base, an overlay and a component with every kustomize feature the renderer reads, for mutation. */
const OVERLAYS: Record<string, string> = {
  '/w/base/kustomization.yaml':
    'resources:\n- app.yaml\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n  envs: [app.env]\nimages:\n- name: nginx\n  newTag: "1.27"\n',
  '/w/base/app.env': 'MODE=prod\n',
  '/w/base/app.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        envFrom:\n        - configMapRef:\n            name: cfg\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n',
  '/w/dev/kustomization.yaml':
    'resources:\n- ../base\ncomponents:\n- ../comp\nnamespace: dev\nnamePrefix: dev-\ncommonLabels:\n  env: dev\nreplicas:\n- name: web\n  count: 2\npatches:\n- path: patch.yaml\n- target:\n    kind: Service\n  patch: |-\n    - op: replace\n      path: /spec/ports/0/port\n      value: 8080\n',
  '/w/dev/patch.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        env:\n        - name: X\n          value: "1"\n      - $patch: delete\n        name: gone\n',
  '/w/comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- np.yaml\n',
  '/w/comp/np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n',
};

test('IN-1, IN-2: 1500 mutated copies of a base, an overlay and a component never throw out of the renderer or the model', () => {
  // Unmutated, the overlay renders what the mutations then break: dev-web in dev with its ConfigMap and policy.
  const clean = render(OVERLAYS);
  assert.deepEqual(clean.diagnostics, []);
  for (const id of ['Deployment/dev/dev-web', 'Service/dev/dev-web', 'NetworkPolicy/dev/dev-web'])
    assert.ok(clean.byId.has(id), `${id} in ${[...clean.byId.keys()].join(', ')}`);
  const r = rng(20261205);
  const names = Object.keys(OVERLAYS);
  for (let round = 0; round < 1500; round++) {
    const files = { ...OVERLAYS };
    const victim = names[Math.floor(r() * names.length)]!;
    files[victim] = mutate(files[victim]!, r);
    assert.doesNotThrow(() => {
      const rendered = render(files);
      queries(model(rendered));
    }, `round ${round}: ${victim}`);
  }
});
