// Model layer (pure): pods indexed by namespace and label, so selectors never scan every pod (EP-1). Must not import vscode, LSP, node:* or fs.
// Built once per model build and dropped with it: no module-level cache.
import type { PodInfo } from './types';

const SEP = '\u0000';

function push<K>(m: Map<K, PodInfo[]>, k: K, p: PodInfo): void {
  const l = m.get(k);
  if (l) l.push(p);
  else m.set(k, [p]);
}

/** A pod that almost matches a selector, and the label that makes the difference. */
export interface NearMiss {
  pod: PodInfo;
  /** `has k8s-app=redis-server`, `lacks tier`, or `is in namespace other`. */
  why: string;
}

export class PodIndex {
  private readonly byNs = new Map<string, PodInfo[]>();
  private readonly byLabel = new Map<string, PodInfo[]>(); // ns, key, value
  private readonly byKey = new Map<string, PodInfo[]>(); // ns, key
  private readonly byLabelAnyNs = new Map<string, PodInfo[]>(); // key, value

  constructor(pods: readonly PodInfo[]) {
    for (const p of pods) {
      push(this.byNs, p.namespace, p);
      for (const [k, v] of Object.entries(p.labels)) {
        push(this.byLabel, p.namespace + SEP + k + SEP + v, p);
        push(this.byKey, p.namespace + SEP + k, p);
        push(this.byLabelAnyNs, k + SEP + v, p);
      }
    }
  }

  inNamespace(ns: string): readonly PodInfo[] {
    return this.byNs.get(ns) ?? [];
  }

  /** Pods of `ns` carrying every `key=value` of an equality selector, in pod order. */
  select(ns: string, selector: Record<string, string>): PodInfo[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return [...this.inNamespace(ns)];
    // Start from the rarest label, then check the rest: linear in the smallest list, not in all pods.
    let best: PodInfo[] | undefined;
    for (const [k, v] of entries) {
      const l = this.byLabel.get(ns + SEP + k + SEP + v);
      if (!l) return [];
      if (!best || l.length < best.length) best = l;
    }
    return best!.filter((p) => entries.every(([k, v]) => p.labels[k] === v));
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
      for (const p of this.byKey.get(ns + SEP + key) ?? []) {
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
    let rarest: PodInfo[] | undefined;
    for (const [k, v] of entries) {
      const l = this.byLabelAnyNs.get(k + SEP + v) ?? [];
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
