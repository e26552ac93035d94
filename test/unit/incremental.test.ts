// Unit tests: an incremental build (a BuildMemo kept from build to build: per-key results with the inputs they read,
// build/incremental.ts) gives exactly the model a fresh build gives, after every step of thousands of random edits
// (IP-2: addresses stay where a fresh build puts them; IN-5: first by file path wins; DNS-5: service links follow
// the Services; EP-1, NP-1, ING-4, GW-4: per-object results follow what they read). The faces read every field
// compared here: diagnostics, nodes, namespaces, pods (with their env), Services (IPs, endpoints, DNS names, link
// variables), the zone, Ingresses, Gateway API routing, policies, the index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../support/mutate';
import { edit, randomWorkspace } from '../support/edit-workspace';
import { Incremental, fresh, modelText } from '../support/incremental-builds';
import { PODS_MEMO, type PodsMemo } from '../../server/src/model/workloads/pods';

test('IP-2, DNS-5, EP-1, NP-1: 3,000 random edits (150 sequences of 20), each incremental build equals a fresh build', () => {
  const kinds = new Map<string, number>();
  /** How the pods stage made its result (kept, only the edited workloads' pods made again, or all of them). */
  const podBuilds = new Map<string, number>();
  for (let seq = 0; seq < 150; seq++) {
    const r = rng(1000 + seq);
    const ws = randomWorkspace(r, 12 + Math.floor(r() * 14));
    const inc = new Incremental();
    assert.equal(modelText(inc.build(ws)), modelText(fresh(ws)), `sequence ${seq}: first build`);
    for (let step = 0; step < 20; step++) {
      const kind = edit(ws, r);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const got = modelText(inc.build(ws));
      const how = (inc.memo.slots.get(PODS_MEMO as never) as PodsMemo | undefined)?.lastBuild?.replace(/:.*/, '') ?? 'none';
      podBuilds.set(how, (podBuilds.get(how) ?? 0) + 1);
      const want = modelText(fresh(ws));
      if (got !== want) assert.equal(got, want, `sequence ${seq} step ${step} (${kind}): the incremental model differs from a fresh build`);
    }
  }
  // Every kind of edit was exercised many times, and each way the pods stage has of making its result.
  for (const [kind, n] of kinds) assert.ok(n > 100, `${kind}: ${n} edits`);
  for (const how of ['kept', 'replaced', 'full']) assert.ok((podBuilds.get(how) ?? 0) > 100, `pods ${how}: ${podBuilds.get(how) ?? 0} builds`);
});

test('the models of consecutive builds share what did not change (same objects), and the old model is left as it was', () => {
  const r = rng(42);
  const ws = randomWorkspace(r, 30);
  const inc = new Incremental();
  // An edit of one Service's port, in a file of its own (an edit shifts the spans of the documents after it in its
  // file: those are new objects): pods, policies and other Services are the same objects.
  const at = ws.objects.findIndex((o) => o.body.kind === 'Service' && (o.body.spec as { selector?: unknown }).selector);
  assert.ok(at >= 0);
  ws.objects[at] = { ...ws.objects[at]!, file: 'file:///ws/edited.yaml' };
  const first = inc.build(ws);
  const before = modelText(first);
  const body = JSON.parse(JSON.stringify(ws.objects[at]!.body)) as { spec: { ports: { port: number }[] }; metadata: { name: string; namespace: string } };
  body.spec.ports[0]!.port = 1234;
  ws.objects[at] = { ...ws.objects[at]!, body: body as never };
  const second = inc.build(ws);
  assert.equal(modelText(second), modelText(fresh(ws)));
  assert.equal(modelText(first), before, 'the previous model did not change');
  const edited = `${body.metadata.namespace}/${body.metadata.name}`;
  const others = second.services.filter((s) => s.id !== edited && s.namespace !== body.metadata.namespace);
  assert.ok(others.length > 0);
  for (const s of others) assert.equal(s, first.index.serviceById.get(s.id), `${s.id} is shared`);
  const podsElsewhere = second.pods.filter((p) => p.namespace !== body.metadata.namespace);
  for (const p of podsElsewhere) assert.equal(p, first.index.podById.get(p.id), `${p.id} is shared`);
});
