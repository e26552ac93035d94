// Model layer (pure): which node runs each pod (WL-3), with kubeletMaxPods (IP-1) and hostPort
// uniqueness (WL-6). Must not import vscode, LSP, node:* or fs.
import type { NodeInfo, Span } from '../types';
import type { HostPortClaim, NodeSelectorRequirement, PodTemplate } from './pod-template';
import { hash32 } from '../core/hash';

/** WL-3: the node passes the template's nodeSelector and required node affinity. */
export function admits(t: PodTemplate, node: NodeInfo): boolean {
  if (t.nodeSelector) {
    for (const [k, v] of Object.entries(t.nodeSelector.labels)) if (node.labels[k] !== v) return false;
  }
  if (t.affinity) {
    // Terms are OR-ed; an empty term (or no terms) matches no node, as in the scheduler.
    const ok = t.affinity.terms.some(
      (term) =>
        (term.expressions.length > 0 || term.fields.length > 0) &&
        term.expressions.every((r) => requirementHolds(r, node.labels[r.key])) &&
        term.fields.every((r) => r.key === 'metadata.name' && requirementHolds(r, node.name)),
    );
    if (!ok) return false;
  }
  return true;
}

function requirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const a = Number(value);
      const b = Number(r.values[0]);
      if (value === undefined || !Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
  }
}

/** Why a pod did not get a place; the pod stays Pending (or is rejected by the kubelet). */
export interface ScheduleFailure {
  code: 'pod-unschedulable' | 'node-pod-cidr-exhausted' | 'hostport-conflict';
  rule: string;
  /** 'warning' unless said: an assumed node's full address block is only an 'info' (CL-5). */
  severity?: 'warning' | 'info';
  /** What happened, without the pod's name (messages group pods of one workload). */
  reason: string;
  span: Span;
}

export interface Placement {
  node: string | null;
  failure?: ScheduleFailure;
}

interface HeldPort {
  hostIP: string;
  pod: string;
}

interface NodeState {
  node: NodeInfo;
  pods: number;
  /** `TCP/80` -> the claims on that port. */
  ports: Map<string, HeldPort[]>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);
/** Up to this many nodes, rankings are sorted as numbers (see rankedFast). */
const RANKED_MAX = 65536;

/**
 * Places pods one at a time, in resource order, so that "the later pod" of a clash is the one
 * written later. Spreading depends only on the workload and the node set (never on other
 * workloads), so an unrelated edit never moves a pod to another node (IP-2).
 */
export class Scheduler {
  private readonly states = new Map<string, NodeState>();
  /** Per template: admitted nodes in the workload's own preference order. */
  private readonly orders = new Map<PodTemplate, NodeState[]>();
  /** Node states sorted by name: a node's index here is its tie-break rank. */
  private readonly byName: NodeState[];

  constructor(
    private readonly nodes: readonly NodeInfo[],
    private readonly maxPods: number,
  ) {
    for (const n of nodes) this.states.set(n.name, { node: n, pods: 0, ports: new Map() });
    this.byName = [...this.states.values()].sort((a, b) => (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0));
  }

  place(t: PodTemplate, podId: string, ordinal: number, forNode?: string): Placement {
    if (t.nodeName) return this.pinned(t, podId, t.nodeName.value, t.nodeName.span, true);
    if (forNode) return this.pinned(t, podId, forNode, t.owner.span, false);
    const order = this.orderFor(t);
    if (order.length === 0) {
      return {
        node: null,
        failure: {
          code: 'pod-unschedulable',
          rule: 'WL-3',
          span: selectorSpan(t),
          reason: `no node matches ${describeConstraints(t)} (nodes: ${this.describeNodes()}); the scheduler leaves the pod Pending, with no IP`,
        },
      };
    }
    // Even spread: replica i starts at the i-th node of the workload's preference order.
    let conflict: ScheduleFailure | undefined;
    for (let k = 0; k < order.length; k++) {
      const st = order[(ordinal + k) % order.length]!;
      if (this.full(st)) continue;
      const clash = this.clash(st, t.hostPorts);
      if (clash) {
        conflict ??= clash;
        continue;
      }
      this.take(st, podId, t.hostPorts);
      return { node: st.node.name };
    }
    if (conflict) {
      conflict.reason = `${conflict.reason}, and no other admitted node has it free; the scheduler leaves the pod Pending`;
      return { node: null, failure: conflict };
    }
    return {
      node: null,
      failure: {
        code: 'node-pod-cidr-exhausted',
        rule: 'IP-1',
        span: t.owner.span,
        reason: `every admitted node already runs kubeletMaxPods (${this.maxPods}) pods; the scheduler leaves the pod Pending`,
      },
    };
  }

  /** How many pods each node took so far (what kubeletMaxPods is checked against). */
  podsPerNode(): Map<string, number> {
    return new Map([...this.states].map(([name, st]) => [name, st.pods]));
  }

  /** nodeName (bound, the kubelet admits or rejects) or a DaemonSet's node (scheduled to that node only). */
  private pinned(t: PodTemplate, podId: string, name: string, span: Span, bound: boolean): Placement {
    const st = this.states.get(name);
    const keep = bound && st ? name : null;
    if (!st) {
      return {
        node: null,
        failure: {
          code: 'pod-unschedulable',
          rule: 'WL-3',
          span,
          reason: `\`nodeName: ${name}\` names no node of the cluster (nodes: ${this.describeNodes()}); no kubelet ever runs the pod, it stays Pending`,
        },
      };
    }
    if (bound && !admits(t, st.node)) {
      return {
        node: keep,
        failure: {
          code: 'pod-unschedulable',
          rule: 'WL-3',
          span: selectorSpan(t),
          reason: `node ${name} does not match ${describeConstraints(t)}; the kubelet rejects the pod (NodeAffinity)`,
        },
      };
    }
    if (this.full(st)) {
      return {
        node: keep,
        failure: {
          code: 'node-pod-cidr-exhausted',
          rule: 'IP-1',
          span: t.owner.span,
          reason: `node ${name} already runs kubeletMaxPods (${this.maxPods}) pods; ${bound ? 'the kubelet rejects the pod (OutOfpods)' : 'the pod stays Pending'}`,
        },
      };
    }
    const clash = this.clash(st, t.hostPorts);
    if (clash) {
      clash.reason += bound ? '; the kubelet rejects the later pod' : '; the pod stays Pending';
      return { node: keep, failure: clash };
    }
    this.take(st, podId, t.hostPorts);
    return { node: name };
  }

  /**
   * WL-3 admission, and CL-5: a node assumed because some workload asked for it takes only pods that ask
   * for their node; spreading others onto it would move them whenever such a workload is added (IP-2).
   */
  private eligible(t: PodTemplate, node: NodeInfo): boolean {
    if (node.assumedFor && !t.nodeSelector && !t.affinity) return false;
    return admits(t, node);
  }

  /** IP-1: kubeletMaxPods reached. Never for an assumed node (CL-5): nobody said what its kubelet allows. */
  private full(st: NodeState): boolean {
    return !st.node.assumed && st.pods >= this.maxPods;
  }

  private orderFor(t: PodTemplate): NodeState[] {
    let order = this.orders.get(t);
    if (!order) {
      // Rendezvous order: each workload ranks nodes by hash(workload, node), highest first, ties by
      // name. Adding a node moves only the pods that now rank it first; other workloads' choices never
      // enter. hash32(`${id}@${node}`), with the common prefix hashed once per workload.
      const prefix = hash32(`${t.owner.id}@`);
      order = this.byName.length < RANKED_MAX ? this.rankedFast(t, prefix) : this.ranked(t, prefix);
      this.orders.set(t, order);
    }
    return order;
  }

  /**
   * The same order, sorted as numbers: hash * 2^16 + (2^16 - 1 - the node's rank by name) is exact in a
   * double and orders like (hash desc, name asc). One typed-array sort per workload instead of a sort
   * of objects with a comparator: a 48-node cluster ranks every node for each of 2000 workloads.
   */
  private rankedFast(t: PodTemplate, prefix: number): NodeState[] {
    const keys = new Float64Array(this.byName.length);
    let n = 0;
    for (let r = 0; r < this.byName.length; r++) {
      const s = this.byName[r]!;
      if (this.eligible(t, s.node)) keys[n++] = hash32(s.node.name, prefix) * RANKED_MAX + (RANKED_MAX - 1 - r);
    }
    const sorted = keys.subarray(0, n).sort();
    const order = new Array<NodeState>(n);
    for (let k = 0; k < n; k++) order[k] = this.byName[RANKED_MAX - 1 - (sorted[n - 1 - k]! % RANKED_MAX)]!;
    return order;
  }

  private ranked(t: PodTemplate, prefix: number): NodeState[] {
    const ranked: { s: NodeState; score: number }[] = [];
    for (const s of this.states.values()) if (this.eligible(t, s.node)) ranked.push({ s, score: hash32(s.node.name, prefix) });
    ranked.sort((a, b) => b.score - a.score || (a.s.node.name < b.s.node.name ? -1 : 1));
    return ranked.map((x) => x.s);
  }

  private clash(st: NodeState, claims: readonly HostPortClaim[]): ScheduleFailure | undefined {
    for (const c of claims) {
      const held = st.ports.get(`${c.protocol}/${c.hostPort}`);
      const other = held?.find((h) => WILDCARD.has(h.hostIP) || WILDCARD.has(c.hostIP) || h.hostIP === c.hostIP);
      if (other) {
        return {
          code: 'hostport-conflict',
          rule: 'WL-6',
          span: c.span,
          reason: `hostPort ${c.hostPort}/${c.protocol}${WILDCARD.has(c.hostIP) ? '' : ` on ${c.hostIP}`} on node ${st.node.name} is already held by pod ${other.pod}`,
        };
      }
    }
    return undefined;
  }

  private take(st: NodeState, podId: string, claims: readonly HostPortClaim[]): void {
    st.pods++;
    for (const c of claims) {
      const key = `${c.protocol}/${c.hostPort}`;
      const held = st.ports.get(key);
      if (held) held.push({ hostIP: c.hostIP, pod: podId });
      else st.ports.set(key, [{ hostIP: c.hostIP, pod: podId }]);
    }
  }

  private describeNodes(): string {
    const names = this.nodes.slice(0, 5).map((n) => n.name);
    return (names.join(', ') || 'none') + (this.nodes.length > 5 ? ', …' : '');
  }
}

function selectorSpan(t: PodTemplate): Span {
  return t.nodeSelector?.span ?? t.affinity?.span ?? t.nodeName?.span ?? t.owner.span;
}

function describeConstraints(t: PodTemplate): string {
  const parts: string[] = [];
  if (t.nodeSelector)
    parts.push(
      `nodeSelector ${Object.entries(t.nodeSelector.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    );
  if (t.affinity) parts.push('the required node affinity');
  return parts.join(' and ') || 'its constraints';
}
