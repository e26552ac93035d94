// Unit tests: bad input never crashes the model (IN-2, IN-3). Deterministic mutations of the real
// examples (cut, duplicated and swapped lines, wrong types, hostile strings) go through the whole
// model and every query face; nothing may throw except RefError for a reference that does not resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectivity, lookupDns, matchIngress, reach, RefError, trace, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';

const dir = join(__dirname, '..', '..', '..', 'examples');
const EXAMPLES: Record<string, string> = {};
for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) EXAMPLES[`examples/${f}`] = readFileSync(join(dir, f), 'utf8');

/** A small deterministic generator (xorshift32): same mutations every run, so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const HOSTILE = ['<img src=x onerror=alert(1)>', '"; rm -rf /', '{{ .Values }}', '*a', '&a [*a, *a]', '\u0000', '\u202e', 'x'.repeat(5000), '- - -', '? complex', '!!binary AAAA', '0x1F', '.inf', '~', '[', '{'];

function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const pick = () => Math.floor(r() * lines.length);
  const ops = 1 + Math.floor(r() * 4);
  for (let k = 0; k < ops; k++) {
    const i = pick();
    const op = Math.floor(r() * 6);
    if (op === 0) lines.splice(i, 1 + Math.floor(r() * 3));
    else if (op === 1) lines.splice(i, 0, lines[pick()] ?? '');
    else if (op === 2) lines[i] = (lines[i] ?? '').replace(/:\s.*$/, `: ${HOSTILE[Math.floor(r() * HOSTILE.length)]}`);
    else if (op === 3) lines[i] = `${' '.repeat(Math.floor(r() * 6))}${(lines[i] ?? '').trimStart()}`;
    else if (op === 4) [lines[i], lines[pick()]] = [lines[pick()] ?? '', lines[i] ?? ''];
    else lines[i] = (lines[i] ?? '').slice(0, Math.floor(r() * (lines[i]?.length ?? 0)));
  }
  return lines.join('\n');
}

function queries(m: Model): void {
  const refs = [...m.pods.slice(0, 3).map((p) => `pod:${p.id}`), ...m.services.slice(0, 4).map((s) => `svc:${s.id}`), 'node:node1', 'host:10.0.0.3', 'url:http://test.com/get'];
  for (const from of refs.slice(0, 4)) {
    for (const to of refs) {
      for (const fn of [trace, reach]) {
        try {
          fn(m, from, to);
        } catch (e) {
          if (!(e instanceof RefError)) throw e;
        }
      }
    }
  }
  lookupDns(m, 'redis.default', 'A', { namespace: 'client' });
  matchIngress(m, 'http://test.com/anything');
  connectivity(m);
  JSON.stringify(m.services.map((s) => [s.env, s.dns, s.endpoints]));
}

/** The Services each example file defines, from the unmutated workspace. */
const SERVICES_BY_FILE = (() => {
  const byFile = new Map<string, string[]>();
  for (const s of modelOf(EXAMPLES).services) if (s.source) byFile.set(s.source.file, [...(byFile.get(s.source.file) ?? []), s.id]);
  return byFile;
})();

test('IN-2, IN-3: 300 mutated copies of the examples never throw out of the model or its queries', () => {
  assert.ok(SERVICES_BY_FILE.size >= 8, 'the examples spread their Services over many files, so the check below means something');
  const r = rng(20261124);
  const names = Object.keys(EXAMPLES);
  for (let round = 0; round < 300; round++) {
    const files = { ...EXAMPLES };
    const victim = names[Math.floor(r() * names.length)]!;
    files[victim] = mutate(files[victim]!, r);
    let m: Model | undefined;
    assert.doesNotThrow(() => {
      m = modelOf(files);
    }, `round ${round}: ${victim}`);
    assert.doesNotThrow(() => queries(m!), `round ${round}: queries after mutating ${victim}`);
    // A mutation that breaks one file never takes another file's objects with it (IN-2).
    const ids = new Set(m!.services.map((s) => s.id));
    for (const [file, svcIds] of SERVICES_BY_FILE) {
      if (file === victim) continue;
      for (const id of svcIds) assert.ok(ids.has(id), `round ${round}: mutating ${victim} lost ${id} of ${file}`);
    }
  }
});
