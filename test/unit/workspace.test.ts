// Unit tests: the server's Workspace (server/src/workspace.ts) analysed a step at a time, as the language
// server does in the background: an analysis dropped half-way leaves the last snapshot in place, and the next
// one sees the latest text. Must not import vscode or LSP. Rule ids: IN-1 (every document counts), SVC-1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/workspace';
import { service } from '../support/manifests';

const svc = (name: string) => service(name, { namespace: 'default', ports: [80] });
const names = (ws: Workspace) => ws.snapshot.model.services.map((s) => s.id).filter((id) => id !== 'default/kubernetes');

test('a step-by-step analysis yields between the model stages and ends with the snapshot analyze() would give', () => {
  const ws = new Workspace();
  ws.setDisk('file:///w/a.yaml', svc('a'));
  const steps = ws.analysisSteps();
  let yields = 0;
  let r = steps.next();
  while (!r.done) {
    yields++;
    r = steps.next();
  }
  assert.ok(yields >= 9, `one yield per model stage at least, got ${yields}`);
  assert.equal(r.value, ws.snapshot);
  assert.deepEqual(names(ws), ['default/a']);
  assert.equal(ws.isDirty, false);
});

test('an analysis dropped half-way keeps the last snapshot; after abandon() the next one reads the newest text (IN-1)', () => {
  const ws = new Workspace();
  ws.setDisk('file:///w/a.yaml', svc('a'));
  const first = ws.analyze();
  ws.setOpen('file:///w/a.yaml', svc('b'));
  const steps = ws.analysisSteps();
  steps.next();
  steps.next();
  // An edit arrives: the server drops the stale analysis.
  ws.setOpen('file:///w/a.yaml', svc('c'));
  steps.return(ws.snapshot);
  ws.abandon();
  assert.equal(ws.snapshot, first, 'nothing half-built is ever visible');
  assert.ok(ws.isDirty);
  const next = ws.analyze();
  assert.deepEqual(names(ws), ['default/c']);
  assert.equal(next.version, first.version + 1, 'the dropped analysis made no version');
});

test('abandon() without a change still makes the next analysis rebuild (a dropped build must be redone)', () => {
  const ws = new Workspace();
  ws.setDisk('file:///w/a.yaml', svc('a'));
  ws.analyze();
  ws.setDisk('file:///w/a.yaml', svc('b'));
  const steps = ws.analysisSteps();
  steps.next();
  steps.return(ws.snapshot);
  ws.abandon();
  ws.analyze();
  assert.deepEqual(names(ws), ['default/b']);
});

test('IN-1: an edit of the folders a kustomization lists changes which kustomizations are roots, on the next analysis', () => {
  const ws = new Workspace();
  ws.setDisk('file:///w/base/kustomization.yaml', 'resources:\n- svc.yaml\n');
  ws.setDisk('file:///w/base/svc.yaml', svc('web'));
  ws.setDisk('file:///w/prod/kustomization.yaml', 'namePrefix: prod-\nresources: []\n');
  ws.analyze();
  // Nothing lists base: it is a root of its own, and prod renders nothing.
  assert.deepEqual(names(ws), ['default/web']);
  ws.setOpen('file:///w/prod/kustomization.yaml', 'namePrefix: prod-\nresources:\n- ../base\n');
  ws.analyze();
  // prod lists base now: base is rendered through prod only, with prod's prefix.
  assert.deepEqual(names(ws), ['default/prod-web']);
  ws.setOpen('file:///w/prod/kustomization.yaml', 'namePrefix: prod-\nresources: []\n');
  ws.analyze();
  assert.deepEqual(names(ws), ['default/web']);
});
