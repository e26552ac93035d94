// Unit tests of the LSP features as pure functions of a snapshot and a caret-marked position (server/src/features):
// hover, go-to-definition, find references and code lenses, on one small shop namespace whose answers follow by
// hand from the rules: SVC-1 (selector), SVC-2 (named targetPort), DNS-1 (Service names), EP-1 (endpoints), NP-1..3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, Location, MarkupContent } from 'vscode-languageserver';
import { hover } from '../../server/src/features/hover';
import { definition } from '../../server/src/features/definition';
import { references } from '../../server/src/features/references';
import { codeLenses } from '../../server/src/features/codeLens';
import { caret, caretAt, deployment, docs, namespace, networkPolicy, pod, service } from '../support/manifests';
import { snapshotOf, uriOf } from '../support/snapshot';

// shop: web (2 replicas, container port 8080 named http) behind Service web (80 → http), a client pod, a policy
// letting only the client reach web on 8080; a second Deployment `batch` that no Service selects.
const SHOP = docs(
  namespace('shop'),
  deployment('web', { namespace: 'shop', labels: { app: 'web' }, replicas: 2, ports: [{ containerPort: 8080, name: 'http' }] }),
  service('web', { namespace: 'shop', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }),
  pod('client', { namespace: 'shop', labels: { app: 'client' } }),
  networkPolicy('web-from-client', {
    namespace: 'shop',
    podSelector: { app: 'web' },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 8080 }] }],
  }),
  deployment('batch', { namespace: 'shop', labels: { app: 'batch' } }),
);

/** Runs `ask` with the caret placed at `needle` (+offset) in SHOP; the snapshot holds the file as shop.yaml. */
function at<T>(needle: string, offset: number, ask: (snap: ReturnType<typeof snapshotOf>, position: { line: number; character: number }) => T): T {
  const { text, position } = caret(caretAt(SHOP, needle, offset));
  assert.equal(text, SHOP);
  return ask(snapshotOf({ 'shop.yaml': text }), position);
}
const doc = { uri: uriOf('shop.yaml') };
const markdown = (h: Hover | null): string => {
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
};
/** The `metadata.name` value a location points at, read back from the fixture. */
const nameAt = (l: Location): string => SHOP.split('\n')[l.range.start.line]!.slice(l.range.start.character, l.range.end.character);
const lineOf = (needle: string): number => SHOP.slice(0, SHOP.indexOf(needle)).split('\n').length - 1;

test('hover on a Service name: its DNS name (DNS-1), its ClusterIP and its 2 ready endpoints on port 8080 (SVC-2, EP-1)', () => {
  const text = at('name: web\n  namespace: shop\nspec:\n  selector', 6, (snap, position) => {
    const svc = snap.model.index.serviceById.get('shop/web')!;
    const md = markdown(hover(snap, { textDocument: doc, position }));
    assert.ok(svc.clusterIP && md.includes(svc.clusterIP), 'the allocated ClusterIP is shown');
    return md;
  });
  assert.match(text, /web\.shop\.svc\.cluster\.local/);
  // targetPort `http` names containerPort 8080 in both replicas.
  const endpointLines = text.split('\n').filter((l) => /→ `10\.[0-9.]+:8080` `shop\/web-/.test(l));
  assert.equal(endpointLines.length, 2, text);
});

test('hover where nothing is known (a container image) answers nothing rather than a guess', () => {
  const h = at('image: registry.example/app:1', 8, (snap, position) => hover(snap, { textDocument: doc, position }));
  assert.equal(h, null);
});

test('go-to-definition on a Service selector goes to the workload whose pods it selects (SVC-1), not to others', () => {
  const locs = at('selector:\n    app: web', 14, (snap, position) => definition(snap, { textDocument: doc, position }));
  assert.ok(locs && locs.length === 1, JSON.stringify(locs));
  assert.equal(locs[0]!.uri, doc.uri);
  assert.equal(locs[0]!.range.start.line, lineOf('name: web\n  namespace: shop\nspec:\n  replicas'));
  assert.equal(nameAt(locs[0]!), 'web');
});

test('go-to-definition on a named targetPort goes to the container port of that name (SVC-2)', () => {
  const locs = at('targetPort: http', 12, (snap, position) => definition(snap, { textDocument: doc, position }));
  assert.ok(locs && locs.length === 1, JSON.stringify(locs));
  assert.equal(locs[0]!.range.start.line, lineOf('name: http'));
});

test('find references on a Deployment: the Service that selects its pods and the policy that selects them (SVC-1, NP-1)', () => {
  const locs = at('name: web\n  namespace: shop\nspec:\n  replicas', 6, (snap, position) =>
    references(snap, { textDocument: doc, position, context: { includeDeclaration: false } }),
  );
  assert.ok(locs);
  const lines = locs.map((l) => l.range.start.line).sort((a, b) => a - b);
  assert.deepEqual(
    lines,
    [lineOf('name: web\n  namespace: shop\nspec:\n  selector'), lineOf('name: web-from-client')].sort((a, b) => a - b),
  );
});

test('find references on a Deployment nothing selects: none (and the declaration only when asked)', () => {
  const none = at('name: batch', 6, (snap, position) => references(snap, { textDocument: doc, position, context: { includeDeclaration: false } }));
  assert.deepEqual(none, []);
  const self = at('name: batch', 6, (snap, position) => references(snap, { textDocument: doc, position, context: { includeDeclaration: true } }));
  assert.equal(self?.length, 1);
  assert.equal(nameAt(self![0]!), 'batch');
});

test('code lenses: the Service shows its ClusterIP and 2 endpoints and offers a trace; each workload its pods, Services and policies', () => {
  const snap = snapshotOf({ 'shop.yaml': SHOP });
  const svc = snap.model.index.serviceById.get('shop/web')!;
  const lenses = codeLenses(snap, { textDocument: doc });
  const titles = lenses.map((l) => `${l.range.start.line}: ${l.command?.title}`);
  const svcLine = lineOf('apiVersion: v1\nkind: Service');
  assert.ok(titles.includes(`${svcLine}: ${svc.clusterIP} · 2 endpoints`), titles.join('\n'));
  assert.ok(titles.includes(`${svcLine}: Trace traffic`), titles.join('\n'));
  const webLine = lineOf('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web');
  assert.ok(titles.includes(`${webLine}: 2 pods · selected by 1 Service · 1 policy`), titles.join('\n'));
  const batchLine = lineOf('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: batch');
  assert.ok(titles.includes(`${batchLine}: 1 pod · selected by 0 Services · 0 policies`), titles.join('\n'));
  const clientLine = lineOf('apiVersion: v1\nkind: Pod');
  assert.ok(titles.includes(`${clientLine}: 1 pod · selected by 0 Services · 0 policies`), titles.join('\n'));
});

test('hover on an Endpoints notReadyAddresses entry says it is not ready and gets no traffic (EP-1, EP-2)', () => {
  // A selector-less Service fed by a hand-written Endpoints object: one ready and one not-ready address.
  const text = docs(
    service('legacy-db', { ports: [5432] }),
    'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: legacy-db\nsubsets:\n- addresses:\n  - ip: 192.168.10.5\n  notReadyAddresses:\n  - ip: 192.168.10.6\n  ports:\n  - port: 5432\n',
  );
  const { text: plain, position } = caret(caretAt(text, '192.168.10.6', 2));
  const md = markdown(hover(snapshotOf({ 'db.yaml': plain }), { textDocument: { uri: uriOf('db.yaml') }, position }));
  assert.match(md, /Not-ready address `192\.168\.10\.6`/);
  assert.match(md, /not ready\*: it gets no traffic/);
  assert.match(md, /An endpoint of `default\/legacy-db` — \*not ready\*/);
  const ready = caret(caretAt(text, '192.168.10.5', 2));
  const readyMd = markdown(hover(snapshotOf({ 'db.yaml': ready.text }), { textDocument: { uri: uriOf('db.yaml') }, position: ready.position }));
  assert.match(readyMd, /^\*\*Address `192\.168\.10\.5`/);
  assert.doesNotMatch(readyMd, /not ready/);
});

test('a workload hover says when its nodes are assumed (CL-5), and not once the profile declares the nodes', () => {
  const ask = (files: Record<string, string>) => {
    const { text, position } = caret(caretAt(files['app.yaml']!, 'name: batch', 6));
    return markdown(hover(snapshotOf({ ...files, 'app.yaml': text }), { textDocument: { uri: uriOf('app.yaml') }, position }));
  };
  const app = deployment('batch', { labels: { app: 'batch' } });
  assert.match(ask({ 'app.yaml': app }), /\*Nodes assumed\* \(\[CL-5\]/);
  const declared = ask({ 'app.yaml': app, 'netpath.cluster.yaml': 'nodes:\n  - { name: worker-1, ip: 10.0.0.11, podCIDR: 10.42.0.0/24 }\n' });
  assert.doesNotMatch(declared, /Nodes assumed/);
  assert.match(declared, /@`worker-1`/);
});

test("a Job's and a CronJob's hovers say their pods run to completion (WL-1); a Deployment's does not", () => {
  const job =
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: m\n        image: x\n';
  const cron =
    'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: r\n            image: x\n';
  const text = docs(job, cron, deployment('web', { labels: { app: 'web' } }));
  const on = (needle: string) => {
    const { text: plain, position } = caret(caretAt(text, needle, 6));
    return markdown(hover(snapshotOf({ 'jobs.yaml': plain }), { textDocument: { uri: uriOf('jobs.yaml') }, position }));
  };
  assert.match(on('name: migrate'), /\*Runs to completion\* \(\[WL-1\][^)]*\)\): its pods/);
  assert.match(on('name: report'), /\*Runs to completion\* \(\[WL-1\][^)]*\)\): each scheduled Job's pods/);
  assert.doesNotMatch(on('name: web'), /Runs to completion/);
});
