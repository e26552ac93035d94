// Unit tests (model, pure): anchors and aliases resolved in one pass (yaml-aliases.ts) give what YAML says: an
// alias names the latest anchor of that name before it, merge keys copy what the map does not set; cycles and
// bombs are refused with a diagnostic and only their document is lost (IN-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { readYamlDocuments } from '../../server/src/model/input/parse-manifests';
import type { ModelDiagnostic } from '../../server/src/model/index';

function read(text: string): { values: unknown[]; diagnostics: ModelDiagnostic[] } {
  const diagnostics: ModelDiagnostic[] = [];
  const { read } = readYamlDocuments('t.yaml', text, diagnostics, false);
  return { values: read.map((d) => d.value), diagnostics };
}

test('an alias takes the latest anchor of its name before it; the same as the YAML library (IN-1)', () => {
  const text = [
    'a: &x one',
    'b: *x',
    'c: &x two',
    'd: *x',
    'base: &base {port: 80, name: http}',
    'merged:',
    '  <<: *base',
    '  name: web',
    'list: [&y 1, *y, *y]',
  ].join('\n');
  const ours = read(text);
  assert.deepEqual(ours.diagnostics, []);
  // Merge keys are YAML 1.1, which Go's reader (kubectl) follows; the library does them when asked.
  assert.deepEqual(ours.values[0], parseAllDocuments(text, { merge: true })[0]!.toJS({ maxAliasCount: -1 }));
  assert.deepEqual(ours.values[0], {
    a: 'one',
    b: 'one',
    c: 'two',
    d: 'two',
    base: { port: 80, name: 'http' },
    merged: { port: 80, name: 'web' },
    list: [1, 1, 1],
  });
});

test('a cycle and a bomb each cost only their own document, with a diagnostic at the alias or the document (IN-2)', () => {
  const bomb = [
    'l0: &l0 [x, x, x, x, x, x, x, x, x, x]',
    ...Array.from({ length: 7 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`),
  ].join('\n');
  const text = `a: 1\n---\nself: &s [*s]\n---\n${bomb}\n---\nz: 2\n`;
  const { values, diagnostics } = read(text);
  assert.deepEqual(values, [{ a: 1 }, { z: 2 }]);
  assert.equal(diagnostics.length, 2);
  assert.match(diagnostics[0]!.message, /\*s refers to a node that contains it/);
  // The cycle's diagnostic is on the alias itself.
  assert.equal(text.slice(diagnostics[0]!.span.start, diagnostics[0]!.span.end), '*s');
  assert.match(diagnostics[1]!.message, /alias bomb/);
});
