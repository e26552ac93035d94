// Unit tests (issue 13): the language server drops an analysis an edit has made stale at whatever yield it has
// reached (AnalysisScheduler calls return() on the build's generator), and the long stages yield every few units of
// work (Stage in server/src/model/pipeline/build-model.ts), so a build may stop half-way through any stage's loop.
// Whatever it had put into the build memo then (build/incremental.ts) must not change a later build: the next build
// (of the same texts, or of the next edit's) must equal a fresh build. The builds here yield at every unit of work
// (unitsPerStep 1), so every point inside every stage's loop is a drop point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../support/mutate';
import { edit, randomWorkspace, type EditableWorkspace } from '../support/edit-workspace';
import { Incremental, analysedWorkspace as analysed, fresh, modelText } from '../support/incremental-builds';
import { STAGES } from '../../server/src/model/pipeline/build-model';

/** Yields a build makes between its stages only: more than this means some stage yielded inside its loop. */
const STAGE_COUNT = STAGES.length;

/** A copy of the workspace as it is now (edits replace objects; bodies are copied as well, to be safe). */
function copy(ws: EditableWorkspace): EditableWorkspace {
  return structuredClone(ws);
}

/** Runs `n` steps of the build (fewer if it ends first), then drops it as the server does. */
function dropAfter(inc: Incremental, ws: EditableWorkspace, n: number): void {
  const steps = inc.steps(ws, 1);
  for (let i = 0; i < n; i++) if (steps.next().done) return;
  steps.return(undefined as never);
}

function stepsOf(inc: Incremental, ws: EditableWorkspace): number {
  const steps = inc.steps(ws, 1);
  let n = 0;
  while (!steps.next().done) n++;
  return n;
}

test('issue 13: a build dropped at any of its yields leaves the memo so that the next build equals a fresh build', () => {
  let points = 0;
  for (let seq = 0; seq < 5; seq++) {
    const r = rng(7000 + seq);
    const states = [randomWorkspace(r, 12 + Math.floor(r() * 10))];
    for (let e = 0; e < 3; e++) {
      const next = copy(states[states.length - 1]!);
      edit(next, r);
      states.push(next);
    }
    // The build of states[1] after a complete build of states[0], dropped at each of its yields; then the build of
    // states[1] again and of the edits after it, each compared with a fresh build.
    const first = new Incremental();
    first.build(states[0]!);
    const n = stepsOf(first, states[1]!);
    assert.ok(n > STAGE_COUNT + 10, `sequence ${seq}: the build yields inside the stages (${n} steps)`);
    const want = states.map((s) => modelText(fresh(s)));
    for (let k = 0; k <= n; k++) {
      const inc = new Incremental();
      inc.build(states[0]!);
      dropAfter(inc, states[1]!, k);
      points++;
      for (let j = 1; j < states.length; j++) {
        const got = modelText(inc.build(states[j]!));
        if (got !== want[j]) assert.equal(got, want[j], `sequence ${seq}: dropped after ${k} of ${n} steps, then state ${j} differs from a fresh build`);
      }
    }
  }
  assert.ok(points > 150, `${points} drop points`);
});

test('issue 13: 1,200 random edits, each analysis dropped at a random yield (sometimes twice, as typing does) before one completes; every completed build equals a fresh build', () => {
  for (let seq = 0; seq < 60; seq++) {
    const r = rng(9000 + seq);
    const ws = randomWorkspace(r, 12 + Math.floor(r() * 14));
    const inc = new Incremental();
    inc.build(ws);
    for (let step = 0; step < 20; step++) {
      const kind = edit(ws, r);
      const drops = 1 + Math.floor(r() * 2);
      for (let d = 0; d < drops; d++) {
        dropAfter(inc, ws, Math.floor(r() * 400));
        // The edit that made it stale may come before the next build starts (its text is another state).
        if (d + 1 < drops) edit(ws, r);
      }
      const got = modelText(inc.build(ws));
      const want = modelText(fresh(ws));
      if (got !== want) assert.equal(got, want, `sequence ${seq} step ${step} (${kind}): after a dropped build, the model differs from a fresh build`);
    }
  }
});

/** A workspace of kustomize overlays (IN-1) and plain manifests, by URI: enough files and roots that parsing and rendering yield. */
function overlayWorkspace(port: number, replicas: number): Map<string, string> {
  const files = new Map<string, string>();
  const uri = (p: string) => `file:///w/${p}`;
  files.set(uri('base/kustomization.yaml'), 'resources: [svc.yaml, app.yaml]\n');
  files.set(
    uri('base/svc.yaml'),
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: ${port}, targetPort: 8080}]\n`,
  );
  files.set(
    uri('base/app.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]\n`,
  );
  for (let i = 0; i < 20; i++) files.set(uri(`env${i}/kustomization.yaml`), `resources: [../base]\nnamespace: env${i}\n`);
  for (let i = 0; i < 12; i++)
    files.set(
      uri(`plain/app${i}.yaml`),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  replicas: ${i === 0 ? replicas : 2}\n  selector: {matchLabels: {app: app${i}}}\n  template:\n    metadata: {labels: {app: app${i}}}\n    spec:\n      containers: [{name: c, image: x}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app${i}\nspec:\n  selector: {app: app${i}}\n  ports: [{port: ${port}}]\n`,
    );
  return files;
}

test('issue 13, IN-1: a language-server analysis (parse, kustomize, model) dropped at any of its yields leaves the Workspace so that the next analysis equals a fresh one', () => {
  const before = overlayWorkspace(80, 2);
  for (const after of [overlayWorkspace(81, 2), overlayWorkspace(80, 3)]) {
    const want = modelText(analysed(after).snapshot.model);
    assert.ok(want.includes('"env19/web"'), 'the overlays are rendered');
    const probe = analysed(before);
    for (const [uri, text] of after) probe.setDisk(uri, text);
    let n = 0;
    for (const steps = probe.analysisSteps(); !steps.next().done;) n++;
    assert.ok(n > 2 * STAGE_COUNT, `the analysis yields while parsing and rendering (${n} steps)`);
    for (let k = 0; k <= n; k++) {
      const ws = analysed(before);
      for (const [uri, text] of after) ws.setDisk(uri, text);
      const steps = ws.analysisSteps();
      for (let i = 0; i < k; i++) steps.next();
      steps.return(ws.snapshot);
      ws.abandon();
      const got = modelText(ws.analyze().model);
      if (got !== want) assert.equal(got, want, `dropped after ${k} of ${n} steps: the next analysis differs from a fresh one`);
    }
  }
});
