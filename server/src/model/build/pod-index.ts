// Model layer (pure): pods indexed by namespace and label, so selectors never scan every pod (EP-1). Must not import vscode, LSP, node:* or fs.
// Built once per model build and dropped with it: no module-level cache.
import type { PodInfo } from '../types';
import { runToEnd } from '../core/steps';

/** Pods carrying one label key, and among them those with each value; lists in pod order. */
interface KeyIndex {
  all: PodInfo[];
  byValue: Map<string, PodInfo[]>;
}

/**
 * Nested maps (namespace, key, value) rather than joined string keys: joining allocates a string per
 * pod and label, and hashing it must flatten it first, which made this index a large share of the stage.
 */
function addLabels(byKey: Map<string, KeyIndex>, p: PodInfo): void {
  const labels = p.labels;
  for (const k in labels) {
    const v = labels[k]!;
    let ki = byKey.get(k);
    if (!ki) byKey.set(k, (ki = { all: [], byValue: new Map() }));
    ki.all.push(p);
    const l = ki.byValue.get(v);
    if (l) l.push(p);
    else ki.byValue.set(v, [p]);
  }
}

/** A pod that almost matches a selector, and the label that makes the difference. */
export interface NearMiss {
  pod: PodInfo;
  /** `has k8s-app=redis-server`, `lacks tier`, or `is in namespace other`. */
  why: string;
}

export class PodIndex {
  private readonly byNs: Map<string, { pods: readonly PodInfo[]; byKey: Map<string, KeyIndex> }>;
  /** Every namespace's labels together: only near-miss messages need it, so it is built on first use. */
  private anyNs: Map<string, KeyIndex> | undefined;

  /** With `previous`, a namespace holding the same pods (same objects, same order) shares its part (never changed). */
  constructor(
    private readonly pods: readonly PodInfo[],
    previous?: PodIndex,
    byNs?: PodIndex['byNs'],
  ) {
    this.byNs = byNs ?? runToEnd(PodIndex.namespaces(pods, previous, () => false));
  }

  /** The same index, made a step at a time (`tick` says when). */
  static *made(pods: readonly PodInfo[], previous: PodIndex | undefined, tick: () => boolean): Generator<void, PodIndex, void> {
    return new PodIndex(pods, undefined, yield* PodIndex.namespaces(pods, previous, tick));
  }

  private static *namespaces(pods: readonly PodInfo[], previous: PodIndex | undefined, tick: () => boolean): Generator<void, PodIndex['byNs'], void> {
    const lists = new Map<string, PodInfo[]>();
    for (const p of pods) {
      if (tick()) yield;
      const list = lists.get(p.namespace);
      if (list) list.push(p);
      else lists.set(p.namespace, [p]);
    }
    return yield* PodIndex.indexed(lists, previous, tick, (before, list) => before.length === list.length && before.every((p, i) => p === list[i]));
  }

  /**
   * The same index from pods already grouped by namespace (`pods` in pod order, `lists` its namespaces' pods): a
   * namespace whose list is the previous index's list object shares its part. The build's interned lists stay the same
   * object while their pods are (build/incremental.ts), so an edit regroups no pod and compares no list item by item.
   */
  static *ofNamespaces(
    pods: readonly PodInfo[],
    lists: ReadonlyMap<string, readonly PodInfo[]>,
    previous: PodIndex | undefined,
    tick: () => boolean,
  ): Generator<void, PodIndex, void> {
    return new PodIndex(pods, undefined, yield* PodIndex.indexed(lists, previous, tick, (before, list) => before === list));
  }

  private static *indexed(
    lists: ReadonlyMap<string, readonly PodInfo[]>,
    previous: PodIndex | undefined,
    tick: () => boolean,
    same: (before: readonly PodInfo[], list: readonly PodInfo[]) => boolean,
  ): Generator<void, PodIndex['byNs'], void> {
    const byNs: PodIndex['byNs'] = new Map();
    for (const [name, list] of lists) {
      const before = previous?.byNs.get(name);
      if (before && same(before.pods, list)) {
        byNs.set(name, before);
        continue;
      }
      const byKey = new Map<string, KeyIndex>();
      for (const p of list) {
        if (tick()) yield;
        addLabels(byKey, p);
      }
      byNs.set(name, { pods: list, byKey });
    }
    return byNs;
  }

  inNamespace(ns: string): readonly PodInfo[] {
    return this.byNs.get(ns)?.pods ?? [];
  }

  /** Pods of `ns` carrying every `key=value` of an equality selector, in pod order. */
  select(ns: string, selector: Record<string, string>): PodInfo[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return [...this.inNamespace(ns)];
    return this.rarest(ns, entries).filter((p) => entries.every(([k, v]) => p.labels[k] === v));
  }

  /** The first pod (in pod order) of `ns` carrying every `key=value` of `selector` that `test` accepts; no list made. */
  find(ns: string, selector: Record<string, string>, test: (p: PodInfo) => boolean): PodInfo | undefined {
    const entries = Object.entries(selector);
    if (entries.length === 0) return this.inNamespace(ns).find(test);
    return this.rarest(ns, entries).find((p) => entries.every(([k, v]) => p.labels[k] === v) && test(p));
  }

  /**
   * The pods of `ns` carrying the rarest of the `key=value` pairs (none when one of them is carried by no pod): a
   * selection starts there and checks the rest, linear in the smallest list, not in all pods.
   */
  private rarest(ns: string, entries: readonly [string, string][]): readonly PodInfo[] {
    const byKey = this.byNs.get(ns)?.byKey;
    let best: PodInfo[] | undefined;
    for (const [k, v] of entries) {
      const l = byKey?.get(k)?.byValue.get(v);
      if (!l) return [];
      if (!best || l.length < best.length) best = l;
    }
    return best ?? [];
  }

  /**
   * Pods that miss the selector by one label in its namespace, and full matches in other namespaces
   * (a Service selects only in its own). At most `limit`, for messages.
   */
  nearMisses(ns: string, selector: Record<string, string>, limit = 3): NearMiss[] {
    const entries = Object.entries(selector);
    const out: NearMiss[] = [];
    const seen = new Set<PodInfo>();
    for (const [key] of entries) {
      for (const p of this.byNs.get(ns)?.byKey.get(key)?.all ?? []) {
        if (seen.has(p)) continue;
        seen.add(p);
        const misses = entries.filter(([k, v]) => p.labels[k] !== v);
        if (misses.length !== 1) continue;
        const [k] = misses[0]!;
        const actual = p.labels[k];
        out.push({ pod: p, why: actual === undefined ? `lacks ${k}` : `has ${k}=${actual}` });
        if (out.length >= limit) return out;
      }
    }
    if (!this.anyNs) {
      this.anyNs = new Map();
      for (const p of this.pods) addLabels(this.anyNs, p);
    }
    let rarest: PodInfo[] | undefined;
    for (const [k, v] of entries) {
      const l = this.anyNs.get(k)?.byValue.get(v) ?? [];
      if (!rarest || l.length < rarest.length) rarest = l;
    }
    for (const p of rarest ?? []) {
      if (p.namespace === ns || !entries.every(([k, v]) => p.labels[k] === v)) continue;
      out.push({ pod: p, why: `matches but is in namespace ${p.namespace}` });
      if (out.length >= limit) break;
    }
    return out;
  }
}
