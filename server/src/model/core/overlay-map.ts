// Model layer (pure): a Map made from another by a few changes, sharing the other's entries instead of copying them
// (issue 13: an edit costs what it changes). Must not import vscode, LSP, node:* or fs.
//
// A snapshot's lookups (pods by id, by IP, by owner) are kept by the next build when the edit changed a few pods; a
// copy of a 150,000-entry Map per edit was a large share of an analysis and of what the young generation had to
// move. An OverlayMap holds the few changes and reads everything else from its base, which is never changed (the
// previous model still answers from it). The model is compared byte for byte with a fresh build's, so it iterates
// as the fresh build's map would: as a copy of the base followed by the same set/delete calls (a key set again keeps
// its place, a new key goes last, a deleted one leaves), or, given an order, in that order.

/** Changes along a chain of overlays beyond this share of the flat map under it: a flat map again. */
const FLATTEN_SHARE = 1 / 8;
/** Overlays of overlays deeper than this: a flat map again (each level is a few lookups more). */
const MAX_DEPTH = 6;

export class OverlayMap<K, V> extends Map<K, V> {
  /** Values of the base's keys that were set again. */
  private readonly replaced = new Map<K, V>();
  private readonly removed = new Set<K>();
  /** Keys the base does not have, in the order they were set. */
  private readonly added = new Map<K, V>();
  private readonly depth: number;
  /** The size of the flat map at the bottom of the chain. */
  private readonly flatSize: number;

  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    /** The keys in iteration order, when the caller keeps them in another order than set/delete calls give. */
    private readonly order?: () => Iterable<K>,
  ) {
    super();
    this.depth = base instanceof OverlayMap ? (base as OverlayMap<K, V>).depth + 1 : 1;
    this.flatSize = base instanceof OverlayMap ? (base as OverlayMap<K, V>).flatSize : base.size;
  }

  /** How many changes this overlay and those under it hold. */
  private get changes(): number {
    const own = this.replaced.size + this.removed.size + this.added.size;
    return own + (this.base instanceof OverlayMap ? (this.base as OverlayMap<K, V>).changes : 0);
  }

  /** Whether an overlay over `base` for `expected` more changes stays shallow and small. */
  private static fits<K, V>(base: ReadonlyMap<K, V>, expected: number): boolean {
    if (!(base instanceof OverlayMap)) return expected <= base.size * FLATTEN_SHARE;
    const o = base as OverlayMap<K, V>;
    return o.depth < MAX_DEPTH && o.changes + expected <= o.flatSize * FLATTEN_SHARE;
  }

  /**
   * A map that starts as `base` and takes later set/delete calls without changing it: an overlay when `base` is
   * large and the changes are few, else a plain copy, made a few entries between two `tick()`s that say yield
   * (flattening a 150,000-entry chain of overlays in one step took 150-190 ms at 10,000 Services, which a hover then
   * waited out: issue 13). `base` must not change afterwards.
   */
  static *overSteps<K, V>(base: ReadonlyMap<K, V>, expectedChanges: number, tick: () => boolean): Generator<void, Map<K, V>, void> {
    if (OverlayMap.fits(base, expectedChanges)) return OverlayMap.onTopOf(base);
    const map = new Map<K, V>();
    for (const [k, v] of base) {
      if (tick()) yield;
      map.set(k, v);
    }
    return map;
  }

  /**
   * As `overSteps`, for a caller that knows the keys' order (as a fresh build would set them): the map iterates `order`'s
   * keys, each with its value. Undefined where a plain map should be made instead (too many changes, too deep).
   * `order` must give each key the map holds once the caller's changes are made, once, and no other.
   */
  static ordered<K, V>(base: ReadonlyMap<K, V>, expectedChanges: number, order: () => Iterable<K>): OverlayMap<K, V> | undefined {
    return OverlayMap.fits(base, expectedChanges) ? OverlayMap.onTopOf(base, order) : undefined;
  }

  /**
   * An overlay reading as `base` until changed. Over another overlay, it takes that one's changes over the map
   * under it instead of reading through it: a lookup costs one level however many edits came before (a chain
   * of six cost the NP-6 check 70 ms an edit in pod lookups at 10,000 Services). Not where `base` iterates in an
   * order of its own and this one has none: that order is only known by iterating `base`.
   */
  private static onTopOf<K, V>(base: ReadonlyMap<K, V>, order?: () => Iterable<K>): OverlayMap<K, V> {
    if (!(base instanceof OverlayMap)) return new OverlayMap(base, order);
    const under = base as OverlayMap<K, V>;
    if (under.order && !order) return new OverlayMap(base);
    const map = new OverlayMap<K, V>(under.base, order);
    for (const [k, v] of under.replaced) map.replaced.set(k, v);
    for (const k of under.removed) map.removed.add(k);
    for (const [k, v] of under.added) map.added.set(k, v);
    return map;
  }

  override get size(): number {
    return this.base.size - this.removed.size + this.added.size;
  }

  // Lookups are most of a snapshot's use (hovers, traces, reachability): the empty change sets cost nothing.
  override has(key: K): boolean {
    if (this.added.size > 0 && this.added.has(key)) return true;
    return !(this.removed.size > 0 && this.removed.has(key)) && this.base.has(key);
  }

  override get(key: K): V | undefined {
    if (this.replaced.size > 0 && this.replaced.has(key)) return this.replaced.get(key);
    if (this.added.size > 0 && this.added.has(key)) return this.added.get(key);
    return this.removed.size > 0 && this.removed.has(key) ? undefined : this.base.get(key);
  }

  override set(key: K, value: V): this {
    if (this.base.has(key) && !this.removed.has(key)) this.replaced.set(key, value);
    else this.added.set(key, value);
    return this;
  }

  override delete(key: K): boolean {
    if (this.added.delete(key)) return true;
    if (!this.base.has(key) || this.removed.has(key)) return false;
    this.replaced.delete(key);
    this.removed.add(key);
    return true;
  }

  override clear(): void {
    for (const k of this.base.keys()) this.removed.add(k);
    this.replaced.clear();
    this.added.clear();
  }

  // Every read in order derives from keys(): no [key, value] pair is made unless entries are asked for (the
  // ingress stage reads every owner's pods after each pods edit).
  override *keys(): MapIterator<K> {
    if (this.order) {
      yield* this.order();
      return;
    }
    for (const k of this.base.keys()) if (!(this.removed.size > 0 && this.removed.has(k))) yield k;
    yield* this.added.keys();
  }

  override *values(): MapIterator<V> {
    for (const k of this.keys()) yield this.get(k) as V;
  }

  override *entries(): MapIterator<[K, V]> {
    for (const k of this.keys()) yield [k, this.get(k) as V];
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(run: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) run.call(thisArg, v, k, this);
  }
}
