// Protocol tests: a hover in a kustomize patch file (IN-1) — the field a patch line sets, as each root that applies
// the patch renders it, from the real server over LSP. Hand-written workspace: a base Deployment (1 replica, env
// MODE=base, image web:1.0); a component `ha` whose strategic merge patch sets 3 replicas and MODE=ha; overlays `eu`
// and `us` use the component, and `eu` then sets 5 replicas itself (kustomize runs a kustomization's components
// before its own `replicas:` field, so eu renders 5, us 3); `us` also replaces the image with a JSON 6902 patch file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { inMemoryClient, type TestClient } from './lsp';
import { positionIn, writeWorkspace } from './workspace-files';

const FILES: Record<string, string> = {
  'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
  'base/deploy.yaml': `apiVersion: apps/v1
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
      containers:
      - name: main
        image: web:1.0
        env:
        - name: MODE
          value: base
`,
  'components/ha/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- path: ha.yaml\n',
  'components/ha/ha.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: main
        env:
        - name: MODE
          value: ha
`,
  'eu/kustomization.yaml': 'namespace: eu\nresources:\n- ../base\ncomponents:\n- ../components/ha\nreplicas:\n- name: web\n  count: 5\n',
  'us/kustomization.yaml':
    'namespace: us\nresources:\n- ../base\ncomponents:\n- ../components/ha\npatches:\n- path: image.yaml\n  target:\n    kind: Deployment\n    name: web\n',
  'us/image.yaml': '- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: web:2.0\n',
};

let dir: string;
let client: TestClient;
const uri = (f: string): string => pathToFileURL(join(dir, f)).toString();

async function hoverAt(file: string, needle: string): Promise<Hover | null> {
  return (await client.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: uri(file) },
    position: positionIn(FILES[file]!, needle),
  })) as Hover | null;
}

describe('a hover in a kustomize patch file (IN-1)', () => {
  before(async () => {
    dir = writeWorkspace('netpath-kustomize-patch-', FILES);
    client = await inMemoryClient(dir);
    await client.waitForStatus((s) => s.state === 'ready');
  });
  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a strategic merge patch's field, in each root that applies it: the patched value, or what a later field of the root made of it", async () => {
    const h = await hoverAt('components/ha/ha.yaml', '3\n');
    assert.ok(h);
    const text = (h.contents as MarkupContent).value;
    assert.match(text, /\*\*Per environment\*\* — `spec\.replicas` as each kustomization root that applies this patch renders it/);
    assert.match(text, /- `eu`: `5` \(set after the patch, in `eu\/kustomization\.yaml`\)\n- `us`: `3`/);
    // The hover covers the patch's value.
    assert.deepEqual(h.range, { start: { line: 5, character: 12 }, end: { line: 5, character: 13 } });
  });

  test('a patched list item merged by its key (env by name) shows the merged value in each root', async () => {
    const h = await hoverAt('components/ha/ha.yaml', 'ha\n');
    assert.ok(h);
    const text = (h.contents as MarkupContent).value;
    assert.match(text, /`spec\.template\.spec\.containers\.0\.env\.0\.value`/);
    assert.match(text, /- `eu`: `ha`\n- `us`: `ha`/);
  });

  test("a JSON 6902 patch file's value, in the root that applies it", async () => {
    const h = await hoverAt('us/image.yaml', 'web:2.0');
    assert.ok(h);
    const text = (h.contents as MarkupContent).value;
    assert.match(text, /`spec\.template\.spec\.containers\.0\.image`/);
    assert.match(text, /- `us`: `web:2\.0`/);
    assert.doesNotMatch(text, /`eu`/);
  });

  test('a line of a patch that sets nothing (its name) has no per-environment hover', async () => {
    assert.equal(await hoverAt('components/ha/ha.yaml', 'web\n'), null);
  });
});
