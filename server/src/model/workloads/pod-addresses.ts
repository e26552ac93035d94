// Model layer (pure): one node's pod addresses (IP-1, IP-2, CL-5) and the scheduling and addressing problems of the
// pods stage, grouped for diagnostics. Must not import vscode, LSP, node:* or fs.
import type { ModelDiagnostic, NodeInfo, PodInfo, Resource, Span } from '../types';
import { Fields } from '../core/typed-fields';
import { parseCidr, type Cidr } from '../core/ip';
import { allocateNode } from '../cluster/pod-ip-allocator';
import type { ScheduleFailure } from './scheduling';
import type { Workload } from './workloads';

/** One pod's scheduling or addressing problem, as the stage met it. */
export interface PodIssue {
  w: Workload;
  failure: ScheduleFailure;
  podId: string;
}

/**
 * IP-1, IP-2: addresses for one node's pods (`list`: in scheduling order, none on hostNetwork, none Pending); the pods
 * that find none are pushed to `issues`, in that order, with why.
 */
export function addressNode(
  node: NodeInfo,
  list: readonly PodInfo[],
  workloadOf: (owner: Resource) => Workload | undefined,
  issues: PodIssue[],
): Map<string, string> {
  const block = parseCidr(node.podCIDR);
  const alloc = block
    ? allocateNode(
        block,
        list.map((p) => p.id),
      )
    : { ips: new Map<string, string>(), overflow: list.map((p) => p.id), capacity: 0n };
  // One failure per workload: its pods' issues then share it, and Issues groups them without building a key each.
  const failures = new Map<Workload, ScheduleFailure>();
  for (const pod of list) {
    if (alloc.ips.has(pod.id)) continue;
    const w = workloadOf(pod.owner)!;
    let failure = failures.get(w);
    if (!failure) {
      failure = exhausted(node, block, alloc.capacity, w);
      failures.set(w, failure);
    }
    issues.push({ w, failure, podId: pod.id });
  }
  return alloc.ips;
}

/** Why a pod of `w` found no address on `node`. */
function exhausted(node: NodeInfo, block: Cidr | null, capacity: bigint, w: Workload): ScheduleFailure {
  const name = node.name;
  if (node.assumed && block) {
    // CL-5: only pods pinned to an assumed node (nodeName, hostname selector) can fill its block: say
    // what is assumed rather than warn about a node nobody declared.
    return {
      code: 'node-pod-cidr-exhausted',
      rule: 'CL-5',
      severity: 'info',
      span: w.countSpan,
      reason: `these pods are pinned to ${name}, a node assumed because the workspace declares none, and its assumed pod CIDR ${block.text} has no address left for them; declare the real nodes (netpath.cluster.yaml \`nodes:\`, or kind: Node) to see where they run`,
    };
  }
  const reason = block
    ? `node ${name}'s pod CIDR ${block.text} has ${capacity} pod addresses (${node.overlayIP} is flannel.1, ${node.bridgeIP} is cni0${block.family === 4 ? ', the last is broadcast' : ''}) and all are taken; the pod stays ContainerCreating with no IP ("no IP addresses available in range set")`
    : `node ${name} has no pod CIDR; the pod gets no IP`;
  return { code: 'node-pod-cidr-exhausted', rule: 'IP-1', span: w.countSpan, reason };
}

/** Pod ids: those of the set this one was made over (which gets no more), and those added to this one. */
export class FailedPods {
  private readonly added = new Set<string>();

  constructor(private readonly base?: FailedPods) {}

  has(id: string): boolean {
    return this.added.has(id) || (this.base?.has(id) ?? false);
  }

  add(id: string): void {
    if (!this.base?.has(id)) this.added.add(id);
  }
}

/**
 * Scheduling and addressing problems, one diagnostic per workload and problem (not one per
 * replica), naming the pods it affects.
 */
export class Issues {
  readonly failed: FailedPods;
  /** `shared`: the pod list is also the one of the Issues this one was made over (copied before it grows). */
  private readonly groups = new Map<string, { w: Workload; failure: ScheduleFailure; pods: string[]; shared?: true }>();

  constructor(over?: Issues) {
    this.failed = new FailedPods(over?.failed);
    if (over) for (const [key, g] of over.groups) this.groups.set(key, { ...g, shared: true });
  }

  /**
   * A copy to add more to, this one staying as it is (it must get no more problems): the pods that failed are looked
   * up in this one, and a group's pod list copied only when the copy adds to it. At 150,000 pods 90,000 may have failed,
   * and a copy of them all was made on every edit that re-addressed a node with problems (issue 13).
   */
  over(): Issues {
    return new Issues(this);
  }

  /** Returns the pod list of the group the pod joined. */
  add(w: Workload, failure: ScheduleFailure, podId: string): string[] {
    this.failed.add(podId);
    // Spans inside the pod template are shared by all replicas; "the whole object" reads better on its name.
    const span: Span = failure.span === w.owner.span ? w.countSpan : failure.span;
    const key = `${w.owner.id}|${failure.code}|${span.start}`;
    let g = this.groups.get(key);
    if (g?.shared) this.groups.set(key, (g = { w: g.w, failure: g.failure, pods: [...g.pods] }));
    if (g) {
      g.pods.push(podId);
      return g.pods;
    }
    const pods = [podId];
    this.groups.set(key, { w, failure: { ...failure, span }, pods });
    return pods;
  }

  /** Adds `list[from..to)` (all of it by default), in order. */
  addAll(list: readonly PodIssue[], from = 0, to = list.length): void {
    // Issues of one workload and failure come in runs (addressNode shares a failure per workload): one group lookup a run.
    let last: PodIssue | undefined;
    let pods: string[] | undefined;
    for (let i = from; i < Math.min(to, list.length); i++) {
      const e = list[i]!;
      if (pods && e.w === last!.w && e.failure === last!.failure) {
        this.failed.add(e.podId);
        pods.push(e.podId);
        continue;
      }
      pods = this.add(e.w, e.failure, e.podId);
      last = e;
    }
  }

  /**
   * One diagnostic per group, in the order the groups were met; `tick` per group (each builds a message: at 10,000
   * Services ~4,000 groups took one 6-18 ms step, issue 13).
   */
  *reportSteps(out: ModelDiagnostic[], tick: () => boolean): Generator<void, void, void> {
    for (const { w, failure, pods } of this.groups.values()) {
      if (tick()) yield;
      const shown = pods.slice(0, 3).join(', ') + (pods.length > 3 ? `, … (${pods.length} pods)` : '');
      const who =
        w.owner.kind === 'Pod' ? `Pod ${pods[0]}` : `${pods.length === 1 ? 'Pod' : 'Pods'} ${shown} of ${w.owner.kind} ${w.owner.namespace}/${w.owner.name}`;
      new Fields(w.owner, out).report(failure.code, failure.severity ?? 'warning', `${who}: ${failure.reason}.`, failure.span, failure.rule);
    }
  }
}
