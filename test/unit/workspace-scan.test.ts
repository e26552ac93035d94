// Unit tests (server layer, Node side): which files the language server indexes — files.exclude globs as VS Code
// reads them, node_modules and .git always skipped. Must not import vscode or LSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { excludeMatcher, findManifests } from '../../server/src/disk/find-manifests';
import { compileGlob } from '../../server/src/disk/glob';

test('files.exclude globs: ** spans folders, * stays in one, {a,b} alternates, a folder match covers its contents', () => {
  const cases: [string, string, boolean][] = [
    ['**/generated', 'generated', true],
    ['**/generated', 'a/b/generated/x.yaml', true],
    ['**/generated', 'a/generatedx/x.yaml', false],
    ['charts/*.yaml', 'charts/a.yaml', true],
    ['charts/*.yaml', 'charts/sub/a.yaml', false],
    ['**/*.{tmpl,tpl}.yaml', 'x/y/deploy.tpl.yaml', true],
    ['**/.git', '.git/config', true],
    ['build', 'build/x.yaml', true],
    ['build', 'src/build/x.yaml', false],
    ['a?c.yaml', 'abc.yaml', true],
    ['[ab]*.yaml', 'c.yaml', false],
  ];
  for (const [glob, path, expected] of cases) {
    const g = compileGlob(glob);
    assert.ok(!('error' in g), glob);
    assert.equal(g.matches(path), expected, `${glob} vs ${path}`);
  }
});

test('only `true` entries of files.exclude exclude', () => {
  const m = excludeMatcher({ '**/a': true, '**/b': false, '**/c': { when: '$(basename).ts' } });
  assert.equal(m('x/a/f.yaml'), true);
  assert.equal(m('x/b/f.yaml'), false);
  assert.equal(m('x/c/f.yaml'), false);
});

test('findManifests: every .yaml/.yml, sorted, without node_modules, .git or excluded folders', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpath-scan-'));
  try {
    for (const f of ['b.yaml', 'a.yml', 'sub/c.YAML', 'notes.txt', 'node_modules/p/d.yaml', '.git/e.yaml', 'gen/f.yaml']) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), 'kind: x\n');
    }
    const found = await findManifests(root, excludeMatcher({ '**/gen': true }));
    assert.deepEqual(
      found.map((p) => p.slice(root.length + 1)),
      ['a.yml', 'b.yaml', 'sub/c.YAML'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
