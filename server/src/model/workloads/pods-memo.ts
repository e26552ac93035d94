// Model layer (pure): what the pods stage keeps from one build for the next (build/incremental.ts), and how it tells
// a pod unchanged. Must not import vscode, LSP, node:* or fs.
import { MemoSlot } from '../build/build-context';
import { samePlain } from '../build/incremental';
import type { ContainerInfo, ModelDiagnostic, PodInfo, Resource } from '../types';
import type { PodDraft } from './workloads';
import type { FailedPods, Issues, PodIssue } from './pod-addresses';

/** The pods stage's output, kept for the next build (see build/incremental.ts). */
export interface KeptPods {
  /** What the stage read: the nodes, then every workload and ConfigMap in resource order. */
  inputs: readonly unknown[];
  pods: PodInfo[];
  podById: Map<string, PodInfo>;
  podsByOwner: Map<string, PodInfo[]>;
  podByIp: Map<string, PodInfo>;
  diagnostics: readonly ModelDiagnostic[];
  /** Pods each node took (scheduled there, addressed or not): what kubeletMaxPods is checked against. */
  nodePods: ReadonlyMap<string, number>;
  /** Scheduling problems (WL-3, WL-6, IP-1 kubeletMaxPods), in pod order; `failed` the pods they left unplaced. */
  placementIssues: Issues;
  /** Addressing problems (IP-1, CL-5) by node, in the order of the node's pods. */
  addressIssues: ReadonlyMap<string, readonly PodIssue[]>;
  /** Pods with a scheduling or addressing problem. */
  failed: Pick<FailedPods, 'has'>;
  /** Their diagnostics (the tail of `diagnostics`). */
  issueDiagnostics: readonly ModelDiagnostic[];
  /** Some generated pod name clashed with one taken before it and was drawn again (WL-2). */
  idClashes: boolean;
}

export interface PodsMemo {
  kept?: KeptPods;
  /** Each container's declared env (before service links, DNS-5), by container: what the DNS stage links. */
  readonly declared: WeakMap<ContainerInfo, Record<string, string>>;
  /** The draft each pod of a full stage was made from: a pod made again from the same draft, in the same place, is it. */
  readonly drafts: WeakMap<PodInfo, PodDraft>;
  /** The ConfigMaps the last full stage read (container environments, WL-5). */
  configMaps?: readonly Resource[];
  /** How the last build made its pods, and why not more cheaply (for tests and the bench). */
  lastBuild?: 'kept' | 'replaced' | `full: ${string}`;
}

/** This stage's slot in the build memo; the DNS stage records there the pods it finished (linked or copied). */
export const PODS_MEMO = new MemoSlot<PodsMemo>('pods', () => ({ declared: new WeakMap(), drafts: new WeakMap() }));

/** Pod fields compared by identity (owner, spec) or one by one (containers) rather than as plain data. */
const POD_OBJECTS: ReadonlySet<string> = new Set(['owner', 'spec', 'containers']);

/** Every field the pods stage sets; containers by their declared env (the DNS stage adds the links). */
export function samePod(a: PodInfo, b: PodInfo, declared: WeakMap<ContainerInfo, Record<string, string>>): boolean {
  if (a.owner !== b.owner || a.spec !== b.spec || a.containers.length !== b.containers.length || !samePlain(a, b, POD_OBJECTS)) return false;
  return a.containers.every((c, i) => {
    const o = b.containers[i]!;
    const env = declared.get(o);
    return c.name === o.name && env !== undefined && samePlain(c.env, env) && samePlain(c.ports, o.ports);
  });
}

/** `pod` itself, or the previous build's pod of the same id when equal: later stages then see it unchanged. */
export function internedPod(pod: PodInfo, memo: PodsMemo): PodInfo {
  const old = memo.kept?.podById.get(pod.id);
  return old && samePod(pod, old, memo.declared) ? old : pod;
}
