// Unit tests: the CLI's loader and the language server's Workspace feed the model the same kustomize
// rendering (IN-1): the CLI given an overlay folder follows `../base` outside it as kustomize does; the
// server renders roots from the workspace's files and reads a generator's `.env` as a kustomize input only.
// Must not import vscode or LSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadWorkspace } from '../../server/src/cli/load';
import { Workspace } from '../../server/src/workspace';
import { environmentName } from '../../server/src/features/environments';

const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';
const base = 'resources: [svc.yaml]\nconfigMapGenerator:\n- name: cfg\n  envs: [cfg.env]\n';
const overlay = 'resources: [../base]\nnamespace: dev\nnamePrefix: dev-\n';

test('IN-1: `netpath` given an overlay folder renders it, reading ../base outside the folder as kustomize does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-kust-'));
  try {
    mkdirSync(join(dir, 'base'));
    mkdirSync(join(dir, 'dev'));
    writeFileSync(join(dir, 'base', 'kustomization.yaml'), base);
    writeFileSync(join(dir, 'base', 'svc.yaml'), svc);
    writeFileSync(join(dir, 'base', 'cfg.env'), 'A=1\n');
    writeFileSync(join(dir, 'dev', 'kustomization.yaml'), overlay);
    const loaded = loadWorkspace([join(dir, 'dev')], undefined);
    assert.deepEqual(loaded.kustomizeRoots, [join(dir, 'dev', 'kustomization.yaml')]);
    const ids = loaded.model.resources.map((r) => r.id).sort();
    // `kubectl kustomize dev` gives these two objects (the suffix is kustomize's hash of {"data":{"A":"1"},...}).
    assert.deepEqual(ids, ['ConfigMap/dev/dev-cfg-89g4tffbfk', 'Service/dev/dev-web']);
    assert.ok(loaded.model.services.some((s) => s.id === 'dev/dev-web'));
    assert.ok(loaded.lineStarts.has(join(dir, 'base', 'svc.yaml')), 'positions in the base can be shown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('IN-1, IN-5: every spelling of the same folder (`dir/.`, `dir/`, `dir/x/..`) renders the same objects once, without duplicates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-kust-'));
  try {
    mkdirSync(join(dir, 'base'));
    mkdirSync(join(dir, 'dev'));
    writeFileSync(join(dir, 'base', 'kustomization.yaml'), 'resources: [svc.yaml]\n');
    writeFileSync(join(dir, 'base', 'svc.yaml'), svc);
    writeFileSync(join(dir, 'dev', 'kustomization.yaml'), overlay);
    const plain = loadWorkspace([dir], undefined);
    const ids = plain.model.resources.map((r) => r.id).sort();
    assert.deepEqual(ids, ['Service/dev/dev-web']);
    for (const spelling of [`${dir}/.`, `${dir}/./`, `${dir}//`, `${dir}/dev/..`]) {
      const loaded = loadWorkspace([spelling], undefined);
      assert.deepEqual(loaded.model.resources.map((r) => r.id).sort(), ids, spelling);
      assert.deepEqual(
        loaded.model.diagnostics.map((d) => d.code),
        plain.model.diagnostics.map((d) => d.code),
        spelling,
      );
      assert.equal(loaded.files.length, plain.files.length, spelling);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("IN-1: the server's Workspace renders roots, shows rendered objects in the base file and reads generator inputs only as such", () => {
  const uri = (p: string) => pathToFileURL(join('/w', p)).toString();
  const ws = new Workspace();
  ws.setDisk(uri('base/kustomization.yaml'), base);
  ws.setDisk(uri('base/svc.yaml'), svc);
  ws.setDisk(uri('dev/kustomization.yaml'), overlay);
  let snap = ws.analyze();
  assert.ok(snap.model.services.some((s) => s.id === 'dev/dev-web'));
  assert.ok(!snap.model.services.some((s) => s.id === 'default/web'), 'the base is not a plain manifest');
  assert.deepEqual(
    snap.files.get(uri('base/svc.yaml'))!.resources.map((r) => r.id),
    ['Service/dev/dev-web'],
  );
  assert.deepEqual(snap.kustomizeWanted, [uri('base/cfg.env')]);
  ws.setAuxiliary(uri('base/cfg.env'), 'A=1\n');
  snap = ws.analyze();
  assert.ok(snap.model.resources.some((r) => r.id === 'ConfigMap/dev/dev-cfg-89g4tffbfk'));
  assert.ok(!snap.model.diagnostics.some((d) => d.file === uri('base/cfg.env')), 'a .env file is never parsed as YAML');
});

test("IN-1: an environment is named by its root's folder, with parent folders only where two roots share a name", () => {
  const roots = [
    '/w/overlays/dev/kustomization.yaml',
    '/w/eu/prod/kustomization.yaml',
    '/w/us/prod/kustomization.yaml',
    'file:///w/my%20env/kustomization.yaml',
  ];
  assert.deepEqual(
    roots.map((r) => environmentName(r, roots)),
    ['dev', 'eu/prod', 'us/prod', 'my env'],
  );
});

test('IN-1: a root left out of the model whose kustomization changes only in what its parse reports shows the new report after an edit', () => {
  // Two roots, the editor's pick is a/: b/ is rendered but not modelled, so its entry holds no object before and after.
  // Its kustomization's second document goes from valid to an unclosed flow sequence of the same length (the same line
  // starts): the analysis after the edit must carry the YAML error, as a fresh one does (issue 13 keeps entries that
  // hold the same; this one does not).
  const deploy = (name: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - {name: main, image: x}\n`;
  const kustomization = (second: string) => `resources:\n- deploy.yaml\n---\nfoo: ${second}\n`;
  const workspace = (second: string): Workspace => {
    const ws = new Workspace();
    ws.setKustomizeRoots(['file:///w/a/kustomization.yaml']);
    ws.setDisk('file:///w/a/deploy.yaml', deploy('a'));
    ws.setDisk('file:///w/a/kustomization.yaml', kustomization('1234567'));
    ws.setDisk('file:///w/b/deploy.yaml', deploy('b'));
    ws.setDisk('file:///w/b/kustomization.yaml', kustomization(second));
    return ws;
  };
  const codes = (ws: Workspace) => ws.analyze().model.diagnostics.map((d) => `${d.code} ${d.file}`);
  const ws = workspace('1234567');
  assert.deepEqual(codes(ws), []);
  ws.setDisk('file:///w/b/kustomization.yaml', kustomization('[123456'));
  assert.deepEqual(codes(ws), ['yaml-syntax file:///w/b/kustomization.yaml']);
  assert.deepEqual(codes(ws), codes(workspace('[123456')));
});
