// Unit tests: the language server's disk indexer (server/src/lsp/disk-indexer.ts) on a real temporary folder.
// IN-1 and the README's Security paragraph: files a kustomization names besides manifests are read only inside
// the workspace folders, whatever the kustomization says (a cloned repository must not make the server read
// ~/.ssh); the first index reads manifests and says which files it skipped and why (IN-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiskIndexer } from '../../server/src/lsp/disk-indexer';
import { Workspace, type Snapshot } from '../../server/src/workspace';
import { service } from '../support/manifests';

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'netpath-indexer-'));
  const ws = join(root, 'repo');
  mkdirSync(join(ws, 'app'), { recursive: true });
  writeFileSync(join(ws, 'app', 'svc.yaml'), service('web', { ports: [80] }));
  writeFileSync(join(ws, 'app', 'config.env'), 'MODE=prod\n');
  writeFileSync(join(ws, 'app', 'binary.yaml'), Buffer.from([0x61, 0x00, 0x62]));
  writeFileSync(join(root, 'secret.env'), 'TOKEN=do-not-read\n');
  return { root, ws };
}

test('kustomize inputs are read only inside the workspace folders; one outside is never read', async () => {
  const { root, ws } = tree();
  try {
    const workspace = new Workspace();
    const read: string[] = [];
    const original = workspace.setAuxiliary.bind(workspace);
    workspace.setAuxiliary = (uri: string, text: string | undefined) => {
      read.push(`${uri}=${text ?? ''}`);
      original(uri, text);
    };
    const indexer = new DiskIndexer(workspace);
    indexer.setFolders([{ uri: pathToFileURL(ws).toString(), name: 'repo' }]);
    const inside = pathToFileURL(join(ws, 'app', 'config.env')).toString();
    const outside = pathToFileURL(join(root, 'secret.env')).toString();
    const sneaky = pathToFileURL(join(ws, '..', 'secret.env')).toString();
    const snap = { kustomizeWanted: [outside, inside, sneaky] } as unknown as Snapshot; // only the field the indexer reads
    assert.equal(await indexer.readKustomizeInputs(snap), true);
    assert.deepEqual(read, [`${inside}=MODE=prod\n`]);
    assert.equal(await indexer.readKustomizeInputs(snap), false, 'each input is tried once');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the first index reads the folder's manifests and keeps, for each file it skipped, why (IN-2)", async () => {
  const { root, ws } = tree();
  try {
    const workspace = new Workspace();
    const indexer = new DiskIndexer(workspace);
    indexer.setFolders([{ uri: pathToFileURL(ws).toString(), name: 'repo' }]);
    let total = -1;
    await indexer.indexAll({ total: (n) => (total = n), report: () => undefined });
    assert.equal(total, 2, 'two *.yaml files found (the .env files are not manifests)');
    const snap = workspace.analyze();
    assert.deepEqual(
      snap.model.services.map((s) => s.id).filter((id) => id !== 'default/kubernetes'),
      ['default/web'],
    );
    assert.deepEqual(
      [...indexer.skipped.values()].map((s) => s.code),
      ['file-not-text'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
