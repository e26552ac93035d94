// Model layer (pure): pods indexed by namespace and label, so selectors never scan every pod (EP-1). Must not import vscode, LSP, node:* or fs.
// Built once per model build and dropped with it: no module-level cache.
import type { PodInfo } from '../types';
import { runToEnd } from '../core/steps';
import { carriesAll } from '../core/label-selectors';

/**
 * The positions (in a list of pods) of the pods carrying one label key, and among them of those with each value; in
 * pod order. Positions, not pods: a list whose pods changed only in other fields than their labels (a pod re-addressed)
 * keeps the index of the list it replaces (issue 13: an edit on full nodes re-addresses pods of most namespaces).
 */
interface KeyIndex {
  all: number[];
  byValue: Map<string, number[]>;
}

/**
 * Nested maps (namespace, key, value) rather than joined string keys: joining allocates a string per
 * pod and label, and hashing it must flatten it first, which made this index a large share of the stage.
 */
function addLabels(byKey: Map<string, KeyIndex>, labels: Record<string, string>, at: number): void {
  for (const k in labels) {
    const v = labels[k]!;
    let ki = byKey.get(k);
    if (!ki) byKey.set(k, (ki = { all: [], byValue: new Map() }));
    ki.all.push(at);
    const l = ki.byValue.get(v);
    if (l) l.push(at);
    else ki.byValue.set(v, [at]);
  }
}

/** Whether two pod lists carry the same labels (same keys in the same order, same values) at every position. */
function sameLabelsAt(before: readonly PodInfo[], list: readonly PodInfo[]): boolean {
  if (before.length !== list.length) return false;
  for (let i = 0; i < list.length; i++) {
    const a = before[i]!.labels;
    const b = list[i]!.labels;
    if (a === b) continue;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let j = 0; j < ka.length; j++) if (ka[j] !== kb[j] || a[ka[j]!] !== b[ka[j]!]) return false;
  }
  return true;
}

/** One namespace's pods, in pod order, and their label index. */
interface NamespacePart {
  pods: readonly PodInfo[];
  byKey: Map<string, KeyIndex>;
}

/** A pod that almost matches a selector, and the label that makes the difference. */
export interface NearMiss {
  pod: PodInfo;
  /** `has k8s-app=redis-server`, `lacks tier`, or `is in namespace other`. */
  why: string;
}

export class PodIndex {
  private readonly byNs: Map<string, NamespacePart>;
  /** Every namespace's labels together: only near-miss messages need it, so it is built on first use. */
  private anyNs: Map<string, KeyIndex> | undefined;

  /**
   * With `previous`, a namespace whose pods carry the same labels in the same order shares its part's label index
   * (never changed).
   */
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
    for (let pi = 0; pi < pods.length; pi++) {
      const p = pods[pi]!;
      if (tick()) yield;
      const list = lists.get(p.namespace);
      if (list) list.push(p);
      else lists.set(p.namespace, [p]);
    }
    return yield* PodIndex.indexed(lists, previous, tick);
  }

  /**
   * The same index from pods already grouped by namespace (`pods` in pod order, `lists` its namespaces' pods): a
   * namespace whose list is the previous index's list object shares its part. The build's interned lists stay the same
   * object while their pods are (build/incremental.ts), so an edit regroups no pod and compares only the lists that
   * changed.
   */
  static *ofNamespaces(
    pods: readonly PodInfo[],
    lists: ReadonlyMap<string, readonly PodInfo[]>,
    previous: PodIndex | undefined,
    tick: () => boolean,
  ): Generator<void, PodIndex, void> {
    return new PodIndex(pods, undefined, yield* PodIndex.indexed(lists, previous, tick));
  }

  private static *indexed(
    lists: ReadonlyMap<string, readonly PodInfo[]>,
    previous: PodIndex | undefined,
    tick: () => boolean,
  ): Generator<void, PodIndex['byNs'], void> {
    const byNs: PodIndex['byNs'] = new Map();
    for (const [name, list] of lists) {
      const before = previous?.byNs.get(name);
      if (before && (before.pods === list || sameLabelsAt(before.pods, list))) {
        byNs.set(name, before.pods === list ? before : { pods: list, byKey: before.byKey });
        continue;
      }
      const byKey = new Map<string, KeyIndex>();
      for (let i = 0; i < list.length; i++) {
        if (tick()) yield;
        addLabels(byKey, list[i]!.labels, i);
      }
      byNs.set(name, { pods: list, byKey });
    }
    return byNs;
  }

  /** Pods of `ns` carrying every `key=value` of an equality selector, in pod order. */
  select(ns: string, selector: Record<string, string>): PodInfo[] {
    const part = this.byNs.get(ns);
    if (!part) return [];
    const entries = Object.entries(selector);
    if (entries.length === 0) return [...part.pods];
    const out: PodInfo[] = [];
    for (const at of rarest(part, entries)) {
      const p = part.pods[at]!;
      if (carriesAll(p.labels, selector)) out.push(p);
    }
    return out;
  }

  /** The first pod (in pod order) of `ns` carrying every `key=value` of `selector` that `test` accepts; no list made. */
  find(ns: string, selector: Record<string, string>, test: (p: PodInfo) => boolean): PodInfo | undefined {
    const part = this.byNs.get(ns);
    if (!part) return undefined;
    const entries = Object.entries(selector);
    if (entries.length === 0) return part.pods.find(test);
    for (const at of rarest(part, entries)) {
      const p = part.pods[at]!;
      if (carriesAll(p.labels, selector) && test(p)) return p;
    }
    return undefined;
  }

  /**
   * Pods that miss the selector by one label in its namespace, and full matches in other namespaces
   * (a Service selects only in its own). At most `limit`, for messages.
   */
  nearMisses(ns: string, selector: Record<string, string>, limit = 3): NearMiss[] {
    const entries = Object.entries(selector);
    const out: NearMiss[] = [];
    const seen = new Set<PodInfo>();
    const part = this.byNs.get(ns);
    for (const [key] of entries) {
      for (const at of part?.byKey.get(key)?.all ?? []) {
        const p = part!.pods[at]!;
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
      for (let i = 0; i < this.pods.length; i++) addLabels(this.anyNs, this.pods[i]!.labels, i);
    }
    let fewest: number[] | undefined;
    for (const [k, v] of entries) {
      const l = this.anyNs.get(k)?.byValue.get(v) ?? [];
      if (!fewest || l.length < fewest.length) fewest = l;
    }
    for (const at of fewest ?? []) {
      const p = this.pods[at]!;
      if (p.namespace === ns || !entries.every(([k, v]) => p.labels[k] === v)) continue;
      out.push({ pod: p, why: `matches but is in namespace ${p.namespace}` });
      if (out.length >= limit) break;
    }
    return out;
  }
}

/**
 * The positions of the pods of a namespace carrying the rarest of the `key=value` pairs (none when one of them is
 * carried by no pod): a selection starts there and checks the rest, linear in the smallest list, not in all pods.
 */
function rarest(part: NamespacePart, entries: readonly [string, string][]): readonly number[] {
  let best: number[] | undefined;
  for (const [k, v] of entries) {
    const l = part.byKey.get(k)?.byValue.get(v);
    if (!l) return [];
    if (!best || l.length < best.length) best = l;
  }
  return best ?? [];
}
