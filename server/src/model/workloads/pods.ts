// Model layer (pure): the pods of the cluster — made from workloads, scheduled, addressed (WL-1..6,
// IP-1..3). Must not import vscode, LSP, node:* or fs.
import { memoOf, stepCounter, UNITS_PER_STEP, type BuildContext } from '../build/build-context';
import { sameItems } from '../build/incremental';
import type { ModelIndex, PodInfo } from '../types';
import { Scheduler } from './scheduling';
import { addressNode, Issues, type PodIssue } from './pod-addresses';
import { expandWorkloads, WORKLOAD_MEMO, type PodDraft, type Workload } from './workloads';
import { isWorkloadKind } from '../input/workload-kinds';
import { ConfigMaps, finishPod, scheduledPod } from './pod-info';
import { PODS_MEMO, samePod, type PodsMemo } from './pods-memo';
import { replaceChangedWorkloads } from './pods-replace';

export { expandVarRefs, environmentAtStart } from './container-env';
export { PODS_MEMO, type PodsMemo } from './pods-memo';

/**
 * Everything the pods stage reads besides the profile (a profile change empties the memo): the nodes (their
 * fields as JSON, their manifests), the workloads and ConfigMaps in resource order.
 */
function podInputs(ctx: BuildContext): unknown[] {
  const inputs: unknown[] = [JSON.stringify(ctx.nodes, (k, v: unknown) => (k === 'source' ? undefined : v))];
  for (const n of ctx.nodes) inputs.push(n.source);
  for (const r of ctx.resources) if (isWorkloadKind(r.kind) || r.kind === 'ConfigMap') inputs.push(r);
  return inputs;
}

/** The part of podInputs about the nodes: what a pod's node and address also depend on. */
function nodeInputs(inputs: readonly unknown[], ctx: BuildContext): readonly unknown[] {
  return inputs.slice(0, 1 + ctx.nodes.length);
}

/**
 * The longest stage: it yields every few workloads, pods or nodes of each phase (expanding, scheduling, addressing,
 * environment), see Stage in pipeline/build-model.ts.
 */
export function* resolvePods(ctx: BuildContext): Generator<void, void> {
  const memo = memoOf(ctx, PODS_MEMO);
  const inputs = memo && podInputs(ctx);
  const kept = memo?.kept;
  if (kept && sameItems(kept.inputs, inputs)) {
    // Nothing the stage reads changed: the same pods (the same objects), the same diagnostics.
    ctx.pods = kept.pods;
    ctx.index.podById = kept.podById;
    ctx.index.podsByOwner = kept.podsByOwner;
    ctx.index.podByIp = kept.podByIp;
    ctx.diagnostics.push(...kept.diagnostics);
    memo.lastBuild = 'kept';
    return;
  }
  // An edit of a few workloads: their pods made again, the rest kept, where that gives what follows would.
  if (kept && inputs && (yield* replaceChangedWorkloads(ctx, kept, memo, inputs))) return;
  const firstDiagnostic = ctx.diagnostics.length;
  const tick = stepCounter(ctx);
  const workloadMemo = memoOf(ctx, WORKLOAD_MEMO);
  const workloads = yield* expandWorkloads(ctx.byKind, ctx.resources, ctx.nodes, ctx.diagnostics, workloadMemo, tick);
  yield;
  const scheduler = new Scheduler(ctx.nodes, ctx.profile.kubeletMaxPods);
  let issues = new Issues();
  const drafts: PodDraft[] = []; // parallel to `pods`
  const pods: PodInfo[] = [];

  // WL-3, WL-6: place every pod, in resource order ("the later pod" loses a clash).
  for (const w of workloads) {
    for (const d of w.pods) {
      if (tick()) yield;
      const id = d.id;
      const placement = scheduler.place(d.template, id, d.ordinal, d.forNode);
      const pod = scheduledPod(w, d, placement.node);
      if (placement.failure) issues.add(w, placement.failure, id);
      drafts.push(d);
      pods.push(pod);
    }
  }

  yield;
  // With a memo the placement problems are kept as they are (the next edit's replacement starts from them), and the
  // addressing problems go to a copy made over them.
  const placementIssues = issues;
  if (memo) issues = placementIssues.over();
  const addressIssues = new Map<string, PodIssue[]>();
  yield* assignAddresses(ctx, workloads, pods, issues, addressIssues, tick);
  yield;

  const configMapList = ctx.byKind.get('ConfigMap') ?? [];
  const configMaps = new ConfigMaps(configMapList);
  // A pod made from the same draft as a kept one, on the same node with the same address, under the same nodes and
  // ConfigMaps, is the kept pod (WL-4, WL-5 read nothing else; a pod with a problem never has an address, so its
  // readiness follows): not finished and compared again (issue 13: with every node full, an edit runs this stage whole).
  const reuse =
    memo?.kept && sameItems(nodeInputs(memo.kept.inputs, ctx), nodeInputs(inputs!, ctx)) && sameItems(memo.configMaps, configMapList) ? memo.kept : undefined;
  for (let i = 0; i < pods.length; i++) {
    if (tick()) yield;
    const pod = pods[i]!;
    const d = drafts[i]!;
    const old = reuse?.podById.get(pod.id);
    if (old && memo!.drafts.get(old) === d && old.node === pod.node && old.ip === pod.ip) {
      pods[i] = old;
      continue;
    }
    finishPod(pod, d, issues.failed.has(pod.id), pod.node ? ctx.index.nodeByName.get(pod.node) : undefined, configMaps);
    memo?.drafts.set(pod, d);
  }

  const issuesFrom = ctx.diagnostics.length;
  yield* issues.reportSteps(ctx.diagnostics, tick);
  if (memo) yield* internPods(pods, memo, tick);
  ctx.pods = pods;
  const ix = ctx.index;
  for (let i = 0; i < pods.length; i += UNITS_PER_STEP) {
    yield;
    indexPods(ix, pods.slice(i, i + UNITS_PER_STEP));
  }
  if (memo && inputs) {
    memo.configMaps = configMapList;
    memo.kept = {
      inputs,
      pods,
      podById: ix.podById,
      podsByOwner: ix.podsByOwner,
      podByIp: ix.podByIp,
      diagnostics: ctx.diagnostics.slice(firstDiagnostic),
      nodePods: scheduler.podsPerNode(),
      placementIssues,
      addressIssues,
      failed: issues.failed,
      issueDiagnostics: ctx.diagnostics.slice(issuesFrom),
      // A workload expanded anew this build with a name drawn again (kept ones never clashed, see expandWorkloads).
      idClashes: workloads.some((w) => workloadMemo?.get(w.owner)?.checked === null),
    };
  }
}

/** Fills the pod lookups of the model's index (empty maps) from `pods`. */
export function indexPods(ix: Pick<ModelIndex, 'podById' | 'podsByOwner' | 'podByIp'>, pods: readonly PodInfo[]): void {
  for (const pod of pods) {
    ix.podById.set(pod.id, pod);
    const list = ix.podsByOwner.get(pod.owner.id);
    if (list) list.push(pod);
    else ix.podsByOwner.set(pod.owner.id, [pod]);
    if (pod.ip && !pod.hostNetwork) ix.podByIp.set(pod.ip, pod);
  }
}

/**
 * A pod equal to the one of the same id the previous build ended with is that object: later stages see an
 * unchanged pod as unchanged (their kept results stay valid) and the two models share it.
 */
function* internPods(pods: PodInfo[], memo: PodsMemo, tick: () => boolean): Generator<void, void, void> {
  const before = memo.kept?.podById;
  if (!before) return;
  for (let i = 0; i < pods.length; i++) {
    if (tick()) yield;
    const pod = pods[i]!;
    const old = before.get(pod.id);
    if (old && old !== pod && samePod(pod, old, memo.declared)) pods[i] = old;
  }
}

/** IP-1, IP-2 from the node's block; IP-3 hostNetwork pods take the node's eth0 address. */
function* assignAddresses(
  ctx: BuildContext,
  workloads: Workload[],
  pods: PodInfo[],
  issues: Issues,
  addressIssues: Map<string, PodIssue[]>,
  tick: () => boolean,
): Generator<void, void, void> {
  const byNode = new Map<string, PodInfo[]>();
  for (let pi = 0; pi < pods.length; pi++) {
    const pod = pods[pi]!;
    if (!pod.node || issues.failed.has(pod.id)) continue;
    if (pod.hostNetwork) {
      pod.ip = ctx.index.nodeByName.get(pod.node)?.internalIP || null;
      continue;
    }
    const list = byNode.get(pod.node);
    if (list) list.push(pod);
    else byNode.set(pod.node, [pod]);
  }
  const workloadOf = new Map(workloads.map((w) => [w.owner, w]));
  for (const [name, list] of byNode) {
    if (tick()) yield;
    const found: PodIssue[] = [];
    const ips = addressNode(ctx.index.nodeByName.get(name)!, list, (owner) => workloadOf.get(owner), found);
    for (const pod of list) pod.ip = ips.get(pod.id) ?? null;
    if (found.length) addressIssues.set(name, found);
    issues.addAll(found);
  }
}
