// Unit tests (CLI layer): jsonChunks writes exactly what JSON.stringify(value, null, 2) would, in pieces, so that
// `netpath resolve --json` works on models too large for one string (docs/cli.md keys unchanged). Must not import
// vscode or LSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonChunks } from '../../server/src/cli/output';
import { resolveJson } from '../../server/src/cli/format-json';
import { computeLineStarts } from '../../server/src/model/index';
import { modelOf } from '../support/model';

const chunked = (v: unknown) => [...jsonChunks(v)].join('');

test('byte for byte JSON.stringify(v, null, 2): nesting, empty containers, undefined, null, toJSON, strings with breaks', () => {
  const cases: unknown[] = [
    { a: [1, { b: [] }, [], {}], c: { d: { e: [1, 2] } }, f: 'x\ny "q"', g: undefined, h: null, i: () => 1 },
    [undefined, null, { toJSON: () => 'J' }, [[[]]]],
    [],
    {},
    'top',
    3,
    null,
    true,
    { pods: [{ id: 'a', containers: [{ env: { A: '1' } }] }], empty: [], nested: { x: [{ y: { z: [1] } }] } },
  ];
  for (const v of cases) assert.equal(chunked(v), JSON.stringify(v, null, 2) ?? 'null', JSON.stringify(v));
});

test('the resolved examples come out identical to one JSON.stringify, lazily computed env included (DNS-5)', () => {
  const dir = join(__dirname, '..', '..', '..', 'examples');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) files[`examples/${f}`] = readFileSync(join(dir, f), 'utf8');
  const starts = new Map(Object.entries(files).map(([f, t]) => [f, computeLineStarts(t)]));
  const value = resolveJson(modelOf(files), starts);
  assert.equal(chunked(value), JSON.stringify(resolveJson(modelOf(files), starts), null, 2));
  assert.ok([...jsonChunks(value)].length > 50, 'written in many pieces, not one');
});
