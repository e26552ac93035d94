// Protocol tests: kustomize overlays in the editor (IN-1) — the per-environment hover in a base file, the code
// lens above each kustomization and go-to-definition from a rendered reference to the base and the patch, from
// the real server over LSP. The workspace is hand-written: a base (Service, Deployment, Ingress) and two
// overlays. Expected objects follow the kustomize documentation: dev sets `namespace: dev`, `namePrefix: dev-`
// and 2 replicas; prod sets `namespace: prod`, 6 replicas and patches the Service. Each ready pod of the
// Deployment is one endpoint of the Service (EP-1), so dev's Service has 2 endpoints and prod's 6.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Hover, Location, MarkupContent } from 'vscode-languageserver/node';
import { inMemoryClient, type TestClient } from './lsp';
import { positionIn, writeWorkspace } from './workspace-files';

const FILES: Record<string, string> = {
  'base/kustomization.yaml': 'resources:\n- svc.yaml\n- deploy.yaml\n- ingress.yaml\n',
  'base/svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  selector:
    app: backend
  ports:
  - name: http
    port: 80
    targetPort: 8080
`,
  'base/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
spec:
  replicas: 1
  selector:
    matchLabels:
      app: backend
  template:
    metadata:
      labels:
        app: backend
    spec:
      containers:
      - name: app
        image: ghcr.io/acme/backend:1.0
        ports:
        - containerPort: 8080
`,
  'base/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: backend
            port:
              number: 80
`,
  'overlays/dev/kustomization.yaml': 'namespace: dev\nnamePrefix: dev-\nresources:\n- ../../base\nreplicas:\n- name: backend\n  count: 2\n',
  'overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../../base\nreplicas:\n- name: backend\n  count: 6\npatches:\n- path: svc-patch.yaml\n',
  'overlays/prod/svc-patch.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: backend\nspec:\n  sessionAffinity: ClientIP\n',
};

let dir: string;
let client: TestClient;
const uri = (f: string): string => pathToFileURL(join(dir, f)).toString();

/** The LSP position one character into the `nth` occurrence of `needle` in a workspace file. */
function positionOf(file: string, needle: string, nth = 0): { line: number; character: number } {
  return positionIn(FILES[file]!, needle, nth);
}

async function hoverAt(file: string, needle: string, nth = 0): Promise<string> {
  const h = (await client.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: uri(file) },
    position: positionOf(file, needle, nth),
  })) as Hover | null;
  assert.ok(h, `a hover on ${needle}`);
  return (h.contents as MarkupContent).value;
}

describe('kustomize overlays in the editor (IN-1)', () => {
  before(async () => {
    dir = writeWorkspace('netpath-kustomize-', FILES);
    client = await inMemoryClient(dir);
    await client.waitForStatus((s) => s.state === 'ready');
  });
  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a hover on a base Service's name shows it in each environment: its namespace, prefixed name, ClusterIP and endpoints", async () => {
    const text = await hoverAt('base/svc.yaml', 'backend');
    const dev = /- `dev`: `dev\/dev-backend` `(10\.43\.\d+\.\d+)` · 2 endpoints/.exec(text);
    const prod = /- `prod`: `prod\/backend` `(10\.43\.\d+\.\d+)` · 6 endpoints/.exec(text);
    assert.ok(dev && prod, text);
    // Two Services, two addresses (SVC-1: each Service its own ClusterIP).
    assert.notEqual(dev[1], prod[1]);
  });

  test('a hover on a base field shows its value in each environment (replicas set by each overlay)', async () => {
    const text = await hoverAt('base/deploy.yaml', '1\n', 1);
    assert.match(text, /\*\*Per environment\*\* — `spec\.replicas`/);
    assert.match(text, /- `dev`: `2`\n- `prod`: `6`/);
    const name = await hoverAt('base/deploy.yaml', 'backend');
    assert.match(name, /- `dev`: `dev\/dev-backend` · 2 pods\n- `prod`: `prod\/backend` · 6 pods/);
  });

  test('a code lens above each kustomization: what a root renders; for a base, what it renders on its own and which roots use it', async () => {
    const lenses = async (f: string): Promise<string[]> =>
      ((await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: uri(f) } })) as CodeLens[]).map(
        (l) => `${l.range.start.line}: ${l.command?.title}`,
      );
    assert.deepEqual(await lenses('overlays/dev/kustomization.yaml'), ['0: renders 3 objects · 1 Service · 0 policies']);
    assert.deepEqual(await lenses('overlays/prod/kustomization.yaml'), ['0: renders 3 objects · 1 Service · 0 policies']);
    assert.deepEqual(await lenses('base/kustomization.yaml'), ['0: renders 3 objects · 1 Service · 0 policies (on its own)', '0: used by 2 roots: dev, prod']);
  });

  test("go to definition from a base Ingress backend goes to the Service's base document and to the patch that changed it; from a base Service's name to the lines that renamed, moved and patched it", async () => {
    const where = async (f: string, needle: string, nth = 0): Promise<string[]> => {
      const locs = (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri: uri(f) }, position: positionOf(f, needle, nth) })) as
        Location[] | null;
      return (locs ?? []).map((l) => `${l.uri.slice(pathToFileURL(dir).toString().length + 1)}:${l.range.start.line}`);
    };
    // dev renders the backend as dev-backend and prod as backend: both are the base's Service (line 3, its
    // name); prod's Service was patched by svc-patch.yaml (its document starts on line 0).
    assert.deepEqual(await where('base/ingress.yaml', 'backend\n'), ['base/svc.yaml:3', 'overlays/prod/svc-patch.yaml:0']);
    assert.deepEqual(await where('base/svc.yaml', 'backend'), [
      'overlays/dev/kustomization.yaml:0', // namespace: dev
      'overlays/dev/kustomization.yaml:1', // namePrefix: dev-
      'overlays/prod/kustomization.yaml:0', // namespace: prod
      'overlays/prod/svc-patch.yaml:0',
    ]);
  });
});

describe('the environment pick: netpath.kustomize.roots narrows the model to chosen roots (IN-1)', () => {
  let narrowed: TestClient;
  let narrowedDir: string;
  before(async () => {
    narrowedDir = writeWorkspace('netpath-kustomize-roots-', FILES);
    narrowed = await inMemoryClient(narrowedDir, { netpath: { kustomize: { roots: ['dev'] } } });
    await narrowed.waitForStatus((s) => s.state === 'ready');
  });
  after(async () => {
    await narrowed.close();
    rmSync(narrowedDir, { recursive: true, force: true });
  });

  test("only dev is modelled: the status says so, the base hover shows dev alone, prod's lens says it is left out", async () => {
    const ready = await narrowed.waitForStatus((s) => s.state === 'ready');
    assert.deepEqual(ready.environments, { all: ['dev', 'prod'], modelled: ['dev'], unmatched: [] });
    const at = (f: string) => pathToFileURL(join(narrowedDir, f)).toString();
    const h = (await narrowed.conn.sendRequest('textDocument/hover', {
      textDocument: { uri: at('base/svc.yaml') },
      position: positionOf('base/svc.yaml', 'backend'),
    })) as Hover;
    const text = (h.contents as MarkupContent).value;
    assert.match(text, /- `dev`: `dev\/dev-backend`/);
    assert.doesNotMatch(text, /`prod`/);
    const lenses = (await narrowed.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: at('overlays/prod/kustomization.yaml') } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.command?.command]),
      [['renders 3 objects · 1 Service · 0 policies · not in the model (netpath.kustomize.roots)', 'netpath.pickEnvironment']],
    );
  });
});
