// Unit tests: a build that reuses what the previous build of the workspace expanded (BuildMemo) gives the same
// model as a build from scratch, through sequences of edits (IN-2, IN-5, WL-1, WL-2, IP-2). The language
// server's Workspace keeps the memo; buildModel without one is the reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, parseFile, parseProfile, PROFILE_FILE } from '../../server/src/model/index';
import { modelJson } from '../support/model';
import { mutate, rng } from '../support/mutate';
import { analysedWorkspace as workspaceOf } from '../support/incremental-builds';

const dir = join(__dirname, '..', '..', '..', 'examples');
const uri = (f: string) => `file:///ws/${f}`;

/** The reference: every file parsed afresh, no memo. */
function fresh(texts: Map<string, string>): unknown {
  let profileText: string | undefined;
  const files = [];
  for (const [u, t] of texts) {
    if (u.endsWith(`/${PROFILE_FILE}`)) profileText = t;
    else files.push(parseFile(u, t));
  }
  const { profile, diagnostics } = parseProfile(uri(PROFILE_FILE), profileText);
  return modelJson(buildModel(files, profile, profileText === undefined ? [] : diagnostics));
}

test('IP-2, WL-2: 150 edits of the examples, each analysed with the memo, give the model a fresh build gives', () => {
  const texts = new Map<string, string>();
  for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) texts.set(uri(f), readFileSync(join(dir, f), 'utf8'));
  const ws = workspaceOf(texts);
  const names = [...texts.keys()].filter((u) => !u.endsWith(PROFILE_FILE));
  const r = rng(7);
  for (let round = 0; round < 150; round++) {
    const victim = names[Math.floor(r() * names.length)]!;
    // Mostly small edits (a replica count, a label), sometimes a mangled file, sometimes the original back.
    const original = readFileSync(join(dir, victim.slice('file:///ws/'.length)), 'utf8');
    const k = r();
    const next =
      k < 0.4
        ? original.replace(/replicas: \d+/, `replicas: ${1 + Math.floor(r() * 4)}`)
        : k < 0.6
          ? original.replace(/app: /, 'app: x')
          : k < 0.9
            ? mutate(texts.get(victim)!, r)
            : original;
    texts.set(victim, next);
    ws.setOpen(victim, next);
    assert.deepEqual(modelJson(ws.analyze().model), fresh(texts), `round ${round}: ${victim}`);
  }
});

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - name: c\n        image: x\n`;
const barePod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  containers:\n  - name: c\n    image: x\n`;

test('WL-2: a bare Pod taking a generated pod name, then leaving it, renames the replica as a fresh build does', () => {
  const texts = new Map([[uri('a.yaml'), deployment('web')]]);
  const ws = workspaceOf(texts);
  const generated = ws.snapshot.model.pods.map((p) => p.name);
  assert.equal(generated.length, 2);
  // A Pod named like the first replica: the Deployment's pod must take another name (the Pod was there first).
  texts.set(uri('b.yaml'), barePod(generated[0]!));
  ws.setDisk(uri('b.yaml'), barePod(generated[0]!));
  const clashed = ws.analyze().model;
  assert.deepEqual(modelJson(clashed), fresh(texts));
  assert.equal(clashed.pods.filter((p) => p.name === generated[0]).length, 1, 'one pod keeps the name: the bare one');
  // The Pod goes: the replica gets its first-choice name back.
  texts.delete(uri('b.yaml'));
  ws.setDisk(uri('b.yaml'), undefined);
  const back = ws.analyze().model;
  assert.deepEqual(modelJson(back), fresh(texts));
  assert.deepEqual(
    back.pods.map((p) => p.name),
    generated,
  );
});

test('CL-2, WL-1: a DaemonSet kept in the memo follows a node added by a profile edit', () => {
  const ds =
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: default\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: c\n        image: x\n';
  const two = 'nodes:\n  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24 }\n  - { name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.1.0/24 }\n';
  const texts = new Map([
    [uri('ds.yaml'), ds],
    [uri(PROFILE_FILE), two],
  ]);
  const ws = workspaceOf(texts);
  assert.equal(ws.snapshot.model.pods.length, 2);
  const three = `${two}  - { name: node3, internalIP: 10.0.0.4, podCIDR: 10.42.2.0/24 }\n`;
  texts.set(uri(PROFILE_FILE), three);
  ws.setDisk(uri(PROFILE_FILE), three);
  const m = ws.analyze().model;
  assert.deepEqual(modelJson(m), fresh(texts));
  assert.deepEqual(
    m.pods.map((p) => p.node),
    ['node1', 'node2', 'node3'],
  );
});
