// Unit tests: bad input never crashes the Gateway API stage or its queries (IN-2, IN-3, GW-*). Deterministic
// mutations of examples-gateway-api/ (cut, duplicated, swapped lines, hostile values), then the model, `route`
// answers for a few URLs and URL traces must not throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routeRequest, trace } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { ROOT } from '../support/cli';
import { mutate, rng } from '../support/mutate';

const DIR = join(ROOT, 'examples-gateway-api');
const base: Record<string, string> = {};
for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yaml'))) base[f] = readFileSync(join(DIR, f), 'utf8');
const URLS = [
  'https://shop.example.com/',
  'https://shop.example.com/cart',
  'http://shop.example.com/x?q=1',
  'grpc://grpc.example.com/catalog.Catalog/List',
  'https://shop.example.com/invoices/1',
];
const ROUNDS = 300;

test(`IN-2, IN-3, GW-*: ${ROUNDS} mutated copies of examples-gateway-api never throw out of the model, route or trace`, () => {
  const r = rng(12);
  const names = Object.keys(base);
  for (let round = 0; round < ROUNDS; round++) {
    const files = { ...base };
    const victim = names[Math.floor(r() * names.length)]!;
    files[victim] = mutate(files[victim]!, r);
    const m = modelOf(files);
    for (const u of URLS) {
      assert.doesNotThrow(() => routeRequest(m, u, { headers: { 'X-Shop': 'a' } }), `round ${round}: route ${u} after mutating ${victim}`);
    }
    if (m.pods.length)
      assert.doesNotThrow(() => trace(m, `pod:${m.pods[0]!.id}`, 'url:https://shop.example.com/'), `round ${round}: trace after mutating ${victim}`);
  }
});
