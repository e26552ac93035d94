// Unit tests (server layer, pure): files.exclude globs from an untrusted settings.json. Must not import vscode.
// The matcher is an automaton: a bad pattern is refused with a reason, a pathological one still answers at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob } from '../../server/src/disk/glob';
import { excludeMatcher } from '../../server/src/disk/find-manifests';

const matches = (glob: string, path: string): boolean => {
  const g = compileGlob(glob);
  if ('error' in g) throw new Error(`${glob}: ${g.error}`);
  return g.matches(path);
};

test('globs as VS Code reads them: **/ spans zero or more folders, ** alone anything, * and ? stay in one segment', () => {
  assert.equal(matches('**/gen/**', 'gen/a.yaml'), true);
  assert.equal(matches('**/gen/**', 'x/y/gen/a/b.yaml'), true);
  assert.equal(matches('**/gen', 'xgen/a.yaml'), false);
  assert.equal(matches('a/**/b.yaml', 'a/b.yaml'), true);
  assert.equal(matches('a/**/b.yaml', 'a/x/y/b.yaml'), true);
  assert.equal(matches('a/**/b.yaml', 'ab.yaml'), false);
  assert.equal(matches('*.yaml', 'x/a.yaml'), false);
  assert.equal(matches('?.yaml', 'ab.yaml'), false);
  assert.equal(matches('[!a]*.yaml', 'a.yaml'), false);
  assert.equal(matches('[!a]*.yaml', 'b.yaml'), true);
  assert.equal(matches('[a-c]x', 'bx'), true);
  assert.equal(matches('{dev,prod}/**', 'prod/svc.yaml'), true);
  assert.equal(matches('{dev,prod}/**', 'test/svc.yaml'), false);
  assert.equal(matches('a{b,{c,d}}e', 'ade'), true);
  // An unclosed bracket or brace is an ordinary character.
  assert.equal(matches('[x', '[x'), true);
  assert.equal(matches('{x', '{x'), true);
});

test('a reversed range is refused with a reason instead of throwing (it made the server exit at start)', () => {
  const g = compileGlob('[z-a]');
  assert.ok('error' in g);
  assert.match(g.error, /out of order/);
  const bad: string[] = [];
  const m = excludeMatcher({ '[z-a]': true, build: true }, (p) => bad.push(p));
  assert.deepEqual(bad, ['[z-a]']);
  assert.equal(m('build/x.yaml'), true, 'the good pattern still applies');
});

test('too many brace alternatives are refused, not expanded', () => {
  const g = compileGlob('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}');
  assert.ok('error' in g);
});

test('a backtracking pattern answers at once (a RegExp of nested .* never finished)', { timeout: 10_000 }, () => {
  const pattern = `${'**a'.repeat(40)}b`;
  const path = 'a'.repeat(5000);
  assert.equal(matches(pattern, path), false);
  assert.equal(matches(pattern, `${path}b`), true);
});
