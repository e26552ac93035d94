// Model layer (pure): which kinds make pods and where their pod template sits (WL-1), the one list
// every stage and face asks. Must not import vscode, LSP, node:* or fs.

/** Kinds whose manifests make pods, directly (Pod) or through their controller. */
export const WORKLOAD_KINDS: readonly string[] = ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const WORKLOAD_SET: ReadonlySet<string> = new Set(WORKLOAD_KINDS);

export function isWorkloadKind(kind: string): boolean {
  return WORKLOAD_SET.has(kind);
}

/** Kinds whose `spec.replicas` says how many pods they keep. */
export const REPLICATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);

/** WL-1: kinds whose pods run to completion: they exist while they run and serve nothing for long. */
export const RUN_TO_COMPLETION: ReadonlySet<string> = new Set(['Job', 'CronJob']);

/**
 * The keys from a workload's `spec` to the object that holds its pod `template`: a CronJob's is in
 * its Job template's spec (`spec.jobTemplate.spec.template`), every other kind's in `spec` itself.
 */
export function templateHolderPath(kind: string): readonly string[] {
  return kind === 'CronJob' ? ['jobTemplate', 'spec'] : [];
}
