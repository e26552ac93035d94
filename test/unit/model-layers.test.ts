// Issue 9: the model's stage folders import only backwards (core → … → trace) and never in a cycle;
// `npm run lint` runs the same check (tools/model-layers.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { layerViolations, readModelGraph, stageOf, STAGES } from '../../tools/model-layers.mjs';

type Graph = Map<string, { to: string; line: number }[]>;
const graph = (edges: Record<string, string[]>): Graph =>
  new Map(Object.entries(edges).map(([from, tos]) => [from, tos.map((to, i) => ({ to, line: i + 2 }))]));

test('the real model folder breaks no layer rule', () => {
  const g = readModelGraph(join(__dirname, '..', '..', '..', 'server', 'src', 'model'));
  assert.ok(g.size > 60, `read ${g.size} model files`);
  assert.deepEqual(layerViolations(g), []);
});

test('every model file but index.ts and types.ts sits in a stage folder', () => {
  const g = readModelGraph(join(__dirname, '..', '..', '..', 'server', 'src', 'model'));
  const stray = [...g.keys()].filter((f) => !f.includes('/') && f !== 'index.ts' && f !== 'types.ts');
  assert.deepEqual(stray, []);
});

test('an import into a later stage is reported with its line', () => {
  const problems = layerViolations(
    graph({
      'services/services.ts': ['core/ip.ts', 'types.ts', 'dns/dns-records.ts'],
      'core/ip.ts': [],
      'dns/dns-records.ts': ['core/ip.ts'],
      'types.ts': [],
    }),
  );
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0]!, /^services\/services\.ts:4: imports dns\/dns-records\.ts, a later stage/);
});

test('a cycle inside one folder is reported once, naming every file on it', () => {
  const problems = layerViolations(
    graph({
      'trace/trace.ts': ['trace/ingress-entry.ts'],
      'trace/ingress-entry.ts': ['trace/send.ts'],
      'trace/send.ts': ['trace/trace.ts'],
      'trace/hops.ts': ['trace/send.ts'],
    }),
  );
  assert.equal(problems.length, 1, problems.join('\n'));
  for (const f of ['trace/trace.ts', 'trace/ingress-entry.ts', 'trace/send.ts']) assert.ok(problems[0]!.includes(f), problems[0]);
  assert.ok(!problems[0]!.includes('hops'), problems[0]);
});

test('a stray root file, an unknown folder and an import leaving the model are each reported', () => {
  const problems = layerViolations(graph({ 'helpers.ts': [], 'misc/x.ts': [], 'core/ip.ts': ['../features/hover.ts'] }));
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('helpers.ts: not in a stage folder')));
  assert.ok(problems.some((p) => p.startsWith('misc/x.ts: not in a stage folder')));
  assert.ok(problems.some((p) => p.includes('outside the model')));
});

test('types.ts sits below every stage and index.ts above them all', () => {
  assert.equal(stageOf('types.ts'), -1);
  assert.equal(stageOf('index.ts'), STAGES.length);
  assert.equal(stageOf('core/ip.ts'), 0);
  assert.ok(stageOf('trace/trace.ts')! > stageOf('queries/reach.ts')!);
  assert.deepEqual(layerViolations(graph({ 'index.ts': ['trace/trace.ts'], 'trace/trace.ts': ['types.ts'], 'types.ts': [] })), []);
  assert.equal(layerViolations(graph({ 'core/ip.ts': ['index.ts'], 'index.ts': [] })).length, 1);
});
