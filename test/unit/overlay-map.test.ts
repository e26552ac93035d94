// Issue 13: OverlayMap (server/src/model/core/overlay-map.ts) behaves as a copy of its base followed by the same
// set/delete calls: the same entries, in the same order, through every way of reading a Map; and the base is left
// as it was (the previous model reads it). Checked against a real Map over random edit sequences, overlays of
// overlays included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OverlayMap } from '../../server/src/model/core/overlay-map';
import { runToEnd } from '../../server/src/model/core/steps';
import { rng } from '../support/mutate';

/** overSteps run to the end, yielding after every entry it copies (a copy made across many steps). */
const over = <K, V>(base: ReadonlyMap<K, V>, changes: number): Map<K, V> => runToEnd(OverlayMap.overSteps(base, changes, () => true));

const reads = <K, V>(m: Map<K, V>) => ({
  entries: [...m.entries()],
  iterated: [...m],
  keys: [...m.keys()],
  values: [...m.values()],
  forEach: (() => {
    const out: [K, V][] = [];
    m.forEach((v, k) => out.push([k, v]));
    return out;
  })(),
  size: m.size,
});

test('an overlay reads as a copy of its base with the same changes made, order included; the base is unchanged', () => {
  const r = rng(13);
  let overlays = 0;
  for (let round = 0; round < 200; round++) {
    const size = 1 + Math.floor(r() * 200);
    let base = new Map<string, number>();
    for (let i = 0; i < size; i++) base.set(`k${i}`, i);
    // Generations: each the previous one with a few changes, as successive builds make them.
    for (let gen = 0; gen < 12; gen++) {
      const before = [...base.entries()];
      const changes = Math.floor(r() * 6);
      const next = over(base, changes);
      if (next instanceof OverlayMap) overlays++;
      const copy = new Map(base);
      for (let c = 0; c < changes; c++) {
        const key = `k${Math.floor(r() * size * 1.3)}`;
        const op = r();
        if (op < 0.6) {
          next.set(key, gen * 1000 + c);
          copy.set(key, gen * 1000 + c);
        } else assert.equal(next.delete(key), copy.delete(key));
        assert.equal(next.has(key), copy.has(key));
        assert.equal(next.get(key), copy.get(key));
      }
      assert.deepEqual(reads(next), reads(copy));
      for (const key of [`k0`, `k${size - 1}`, `k${size}`, 'none']) {
        assert.equal(next.has(key), copy.has(key), key);
        assert.equal(next.get(key), copy.get(key), key);
      }
      assert.deepEqual([...new Map(next)], [...copy], 'a Map made from the overlay');
      assert.deepEqual([...base.entries()], before, 'the base is as it was');
      base = next;
    }
  }
  assert.ok(overlays > 1000, `overlays were made (${overlays}), not only copies`);
});

test('many changes, or an overlay chain grown past its share, make a flat map', () => {
  const base = new Map(Array.from({ length: 80 }, (_, i) => [i, i] as [number, number]));
  assert.ok(!(over(base, 40) instanceof OverlayMap), 'half the entries changed: a copy');
  let m: Map<number, number> = base;
  let flat = 0;
  for (let gen = 0; gen < 20; gen++) {
    m = over(m, 1);
    if (!(m instanceof OverlayMap)) flat++;
    m.set(gen, -gen);
  }
  assert.ok(flat >= 1, 'the chain of changes was made flat again');
  assert.deepEqual(
    [...m],
    [...base].map(([k, v]) => [k, k < 20 ? -k : v]),
  );
});

test('clear leaves an empty map and the base as it was', () => {
  const base = new Map(Array.from({ length: 100 }, (_, i) => [`x${i}`, i] as [string, number]));
  const m = over(base, 1);
  assert.ok(m instanceof OverlayMap);
  m.clear();
  assert.equal(m.size, 0);
  assert.deepEqual([...m], []);
  m.set('x5', -5);
  assert.deepEqual([...m], [['x5', -5]]);
  assert.equal(base.size, 100);
  assert.equal(base.get('x5'), 5);
});

test('overlays given an order and overlays without one, in any sequence, read as the maps a fresh build makes', () => {
  // A fresh build sets an ordered map's keys in its own order (here: sorted), and a plain one as a copy of the last
  // followed by the same set/delete calls. Overlays made over overlays take their changes over (one level to read
  // through), except a plain one over an ordered one; either way each reads as the map it stands for.
  const r = rng(7);
  for (let round = 0; round < 150; round++) {
    const size = 20 + Math.floor(r() * 100);
    let base: Map<string, number> = new Map(Array.from({ length: size }, (_, i) => [`k${i}`, i] as [string, number]));
    let expected = new Map(base);
    for (let gen = 0; gen < 14; gen++) {
      const before = [...base];
      const changes = 1 + Math.floor(r() * 4);
      const ops: [string, number | null][] = Array.from({ length: changes }, (_, c) => [`k${Math.floor(r() * size * 1.3)}`, r() < 0.6 ? gen * 100 + c : null]);
      const copy = new Map(expected);
      for (const [k, v] of ops)
        if (v === null) copy.delete(k);
        else copy.set(k, v);
      const sorted = [...copy.keys()].sort();
      const ordered = r() < 0.5;
      const next: Map<string, number> | undefined = ordered ? OverlayMap.ordered(base, changes, () => sorted) : over(base, changes);
      const made = next ?? new Map(base);
      for (const [k, v] of ops)
        if (v === null) made.delete(k);
        else made.set(k, v);
      expected = ordered && next ? new Map(sorted.map((k) => [k, copy.get(k)!] as [string, number])) : copy;
      assert.deepEqual(reads(made), reads(expected));
      for (const k of ['k0', `k${size}`, 'none', ...ops.map(([key]) => key)]) assert.equal(made.get(k), expected.get(k), k);
      assert.deepEqual([...base], before, 'the base is as it was');
      base = made;
    }
  }
});
