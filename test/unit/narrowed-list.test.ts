// Issue 13: ListChanges.between (server/src/model/build/incremental.ts) names enough changed items that a reader
// taking any subset of two lists by the same test, and none of the named items, reads the same items in the same
// order from both: what lets a Service's endpoints, its NP-6 check and a policy be kept while other pods of their
// namespace change. Checked over random edits of random lists, reorderings included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedResults, ListChanges, NarrowedList } from '../../server/src/model/build/incremental';
import { rng } from '../support/mutate';

interface Item {
  id: number;
  tag: number;
}

/** A copy of `list` with a few random edits: replaced, inserted, removed, moved items. */
function edited(list: readonly Item[], r: () => number, next: () => Item): Item[] {
  const out = [...list];
  const edits = Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (out.length + 1));
    const kind = r();
    if (kind < 0.3 && out.length) out[Math.min(at, out.length - 1)] = next();
    else if (kind < 0.55) out.splice(at, 0, next());
    else if (kind < 0.8 && out.length) out.splice(Math.min(at, out.length - 1), 1);
    else if (out.length > 1) {
      const [moved] = out.splice(Math.min(at, out.length - 1), 1);
      out.splice(Math.floor(r() * (out.length + 1)), 0, moved!);
    }
  }
  return out;
}

test('EP-1, NP-1, NP-6 guards: a reader that takes none of the changed items reads the same items, in order, from both lists', () => {
  const r = rng(7);
  let id = 0;
  const next = (): Item => ({ id: id++, tag: Math.floor(r() * 6) });
  const changes = new ListChanges<Item>();
  let unchangedReads = 0;
  for (let round = 0; round < 3000; round++) {
    const before = Array.from({ length: Math.floor(r() * 30) }, next);
    const after = edited(before, r, next);
    const changed = changes.between(before, after);
    assert.equal(changes.between(before, after), changed, 'the answer for the same pair of lists is remembered');
    for (let tag = 0; tag < 6; tag++) {
      const takes = (x: Item) => x.tag === tag;
      if (changed.some(takes)) continue;
      unchangedReads++;
      assert.deepEqual(after.filter(takes), before.filter(takes), `round ${round}, tag ${tag}`);
      assert.ok(
        after.filter(takes).every((x, i) => x === before.filter(takes)[i]),
        'the same objects',
      );
    }
  }
  // The property must not hold only because every item is always called changed.
  assert.ok(unchangedReads > 3000, `readers kept: ${unchangedReads}`);
});

test('a result guarded by a narrowed list is kept while only items it does not take change, and computed again otherwise', () => {
  const changes = new ListChanges<Item>();
  const a: Item = { id: 1, tag: 1 };
  const b: Item = { id: 2, tag: 2 };
  const c: Item = { id: 3, tag: 2 };
  const results = new KeyedResults<number>();
  let computed = 0;
  const ask = (list: readonly Item[]) =>
    results.get(
      'tag 1',
      () => [list.filter((x) => x.tag === 1).length],
      () => ++computed,
      () => [new NarrowedList(list, (x) => x.tag === 1, changes)],
    );
  assert.equal(ask([a, b]), 1);
  results.settle();
  // b replaced by c (not taken): kept, by the guard alone.
  assert.equal(ask([a, c]), 1);
  results.settle();
  // An item taken joins: computed again.
  assert.equal(ask([a, c, { id: 4, tag: 1 }]), 2);
  results.settle();
  assert.equal(computed, 2);
});
