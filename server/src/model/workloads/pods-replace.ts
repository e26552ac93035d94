// Model layer (pure): the pods stage after an edit of a few workloads (issue 13: an edit costs what it changes). The
// pods of the edited workloads are made again, the nodes they leave or join re-addressed, and every other pod kept
// as it was, when the rules say the full stage would give exactly that; otherwise the caller runs the full stage.
// Must not import vscode, LSP, node:* or fs.
import { memoOf, stepCounter, type BuildContext } from '../build/build-context';
import { runToEnd } from '../core/steps';
import { OverlayMap } from '../core/overlay-map';
import type { ModelDiagnostic, PodInfo, Resource } from '../types';
import { isWorkloadKind } from '../input/workload-kinds';
import { ConfigMaps, finishPod, scheduledPod } from './pod-info';
import { internedPod, type KeptPods, type PodsMemo } from './pods-memo';
import { addressNode, type PodIssue } from './pod-addresses';
import { Scheduler } from './scheduling';
import { expandWorkloads, WORKLOAD_MEMO, type PodDraft, type Workload, type WorkloadMemo } from './workloads';

/** Problems added between two ticks of the pods walk (each costs a few times one pod's visit). */
const ISSUES_PER_CALL = 4;

/** More changed workloads than this: the full stage (a paste or a rename of many is rare, and not worth the checks). */
const MAX_REPLACED = 8;

/** One edited workload: its previous manifest and pods, its new manifest and expansion. */
interface Replaced {
  before: Resource;
  oldPods: readonly PodInfo[];
  after: Resource;
  workload: Workload | undefined;
}

/**
 * The pods stage for a build whose inputs differ from the kept build's only in a few workloads (same nodes, same
 * ConfigMaps, same resource order, same names). Returns false, having changed nothing, where it cannot show that the
 * full stage would give the same pods, index and diagnostics. Why the rest stays as it was:
 * - WL-3: a pod's node depends on its workload's node ranking and, through kubeletMaxPods (IP-1) and hostPorts (WL-6),
 *   on the pods placed before it. The edited workloads claim no hostPort, and every declared node they leave or join
 *   stays under kubeletMaxPods before and after (assumed nodes have no limit, CL-5): no pod ever sees a different
 *   node state, so every other pod keeps its node, and the edited ones take their first-ranked admitted node.
 * - IP-1, IP-2, CL-5: addresses are per node: the nodes the edited pods leave or join are addressed again, with the
 *   problems of their pods found again; every other node keeps its addresses and its problems.
 * - WL-2: generated names are checked against the names taken before them; the kept build had no clash and the
 *   new pods take no name of another workload's pod, so no other pod's name changes.
 * An edited workload that had a Pending pod, or gets one, runs the full stage (its scheduling problems come first).
 */
export function* replaceChangedWorkloads(ctx: BuildContext, kept: KeptPods, memo: PodsMemo, inputs: readonly unknown[]): Generator<void, boolean, void> {
  // Its loops over every pod are cheap per pod: a step is 16 times as many pods as a full stage's (see stepCounter).
  const tick = stepCounter(ctx, 1 / 16);
  const workloadMemo = memoOf(ctx, WORKLOAD_MEMO);
  if (!workloadMemo || kept.idClashes || inputs.length !== kept.inputs.length) return notReplaced(memo, 'not the same resources');
  const nodeInputs = 1 + ctx.nodes.length;
  for (let i = 0; i < nodeInputs; i++) if (!Object.is(inputs[i], kept.inputs[i])) return notReplaced(memo, 'nodes changed');

  const changed: { before: Resource; after: Resource }[] = [];
  for (let i = nodeInputs; i < inputs.length; i++) {
    if (Object.is(inputs[i], kept.inputs[i])) continue;
    const before = kept.inputs[i] as Resource;
    const after = inputs[i] as Resource;
    // A ConfigMap feeds env of any pod; a workload renamed moves in the owner index (its order is shown).
    if (!isWorkloadKind(before.kind) || !isWorkloadKind(after.kind) || before.id !== after.id)
      return notReplaced(memo, 'a ConfigMap or a resource of another kind or name changed');
    if (changed.push({ before, after }) > MAX_REPLACED) return notReplaced(memo, 'too many workloads changed');
  }
  const replaced = expandReplaced(ctx, kept, workloadMemo, changed);
  if (!replaced) return notReplaced(memo, 'a name could clash, a hostPort, or a Pending pod');

  // WL-3, IP-1: where the new pods go, and what each node they touch runs after.
  const scheduler = new Scheduler(ctx.nodes, ctx.profile.kubeletMaxPods);
  const nodePods = new Map(kept.nodePods);
  const touched = new Set<string>();
  const placed = new Map<PodDraft, string>();
  for (const r of replaced) {
    for (const p of r.oldPods) {
      nodePods.set(p.node!, (nodePods.get(p.node!) ?? 0) - 1);
      touched.add(p.node!);
    }
    for (const d of r.workload?.pods ?? []) {
      const placement = scheduler.place(d.template, d.id, d.ordinal, d.forNode);
      if (placement.failure || !placement.node) return notReplaced(memo, 'a new pod cannot be placed');
      placed.set(d, placement.node);
      nodePods.set(placement.node, (nodePods.get(placement.node) ?? 0) + 1);
      touched.add(placement.node);
    }
  }
  for (const name of touched) {
    const node = ctx.index.nodeByName.get(name);
    if (!node) return notReplaced(memo, 'a touched node is not a node');
    const max = ctx.profile.kubeletMaxPods;
    if (!node.assumed && ((kept.nodePods.get(name) ?? 0) >= max || (nodePods.get(name) ?? 0) >= max)) return notReplaced(memo, 'a touched node is full');
  }

  // The new pod list: every workload's pods in resource order, the edited ones made again.
  const newPods = new Map<Resource, PodInfo[]>();
  const drafts = new Map<PodInfo, PodDraft>();
  const configMaps = new ConfigMaps(ctx.byKind.get('ConfigMap') ?? []);
  for (const r of replaced) {
    const list: PodInfo[] = [];
    for (const d of r.workload?.pods ?? []) {
      const pod = scheduledPod(r.workload!, d, placed.get(d)!);
      drafts.set(pod, d);
      list.push(pod);
    }
    newPods.set(r.after, list);
  }
  // The edited workloads' runs of the kept pod list, in pod order (each workload's pods are one run, in resource order).
  const runs: { at: number; r: Replaced }[] = [];
  for (const r of replaced) {
    if (!r.oldPods.length) continue;
    const at = kept.pods.indexOf(r.oldPods[0]!);
    if (at < 0 || r.oldPods.some((p, k) => kept.pods[at + k] !== p)) return notReplaced(memo, "an edited workload's pods are not where the index says");
    runs.push({ at, r });
  }
  runs.sort((a, b) => a.at - b.at);
  const pods: PodInfo[] = [];
  let from = 0;
  for (const { at, r } of runs) {
    for (let i = from; i < at; i++) {
      if (tick()) yield;
      pods.push(kept.pods[i]!);
    }
    for (const p of newPods.get(r.after)!) pods.push(p);
    from = at + r.oldPods.length;
  }
  for (let i = from; i < kept.pods.length; i++) {
    if (tick()) yield;
    pods.push(kept.pods[i]!);
  }

  // IP-1, IP-2, CL-5: the touched nodes' addresses, from their pods in scheduling order, and who found none.
  const onTouched = new Map<string, PodInfo[]>();
  for (const name of touched) onTouched.set(name, []);
  for (let pi = 0; pi < pods.length; pi++) {
    const p = pods[pi]!;
    if (tick()) yield;
    // The few touched nodes first: most pods are elsewhere, and the failed set is as large as the pods.
    const list = p.node ? onTouched.get(p.node) : undefined;
    if (list && !p.hostNetwork && !kept.placementIssues.failed.has(p.id)) list.push(p);
  }
  const addresses = new Map<string, string>();
  const addressIssues = new Map(kept.addressIssues);
  const workloadOf = (owner: Resource): Workload | undefined => workloadMemo.get(owner)?.workload;
  for (const [name, list] of onTouched) {
    const found: PodIssue[] = [];
    for (const [id, ip] of addressNode(ctx.index.nodeByName.get(name)!, list, workloadOf, found)) addresses.set(id, ip);
    if (found.length) addressIssues.set(name, found);
    else addressIssues.delete(name);
  }
  // The problems as the full stage meets them: scheduling in pod order, then addressing node by node, in the order
  // of each node's first pod. When no touched node has one, before or after, they are the kept build's.
  let failed = kept.failed;
  let issueDiagnostics = kept.issueDiagnostics;
  if ([...touched].some((name) => kept.addressIssues.has(name) || addressIssues.has(name))) {
    const issues = kept.placementIssues.over();
    // Only nodes with problems add any, each at its first addressed pod: the walk ends once every one was met.
    const unmet = new Set(addressIssues.keys());
    for (let pi = 0; pi < pods.length; pi++) {
      const p = pods[pi]!;
      if (unmet.size === 0) break;
      if (tick()) yield;
      if (!p.node || !unmet.has(p.node) || p.hostNetwork || kept.placementIssues.failed.has(p.id)) continue;
      unmet.delete(p.node);
      // A node's problems are as many as the pods it could not address (hundreds on a full one): a step each few.
      const found = addressIssues.get(p.node)!;
      for (let k = 0; k < found.length; k += ISSUES_PER_CALL) {
        if (tick()) yield;
        issues.addAll(found, k, k + ISSUES_PER_CALL);
      }
    }
    failed = issues.failed;
    const reported: ModelDiagnostic[] = [];
    yield* issues.reportSteps(reported, stepCounter(ctx));
    issueDiagnostics = reported;
  }

  // Pods made again (edited, or re-addressed on a touched node), each the kept object when equal to it.
  const swaps = new Map<PodInfo, PodInfo>();
  for (let i = 0; i < pods.length; i++) {
    if (tick()) yield;
    const p = pods[i]!;
    if (!p.node || !touched.has(p.node)) continue;
    let d = drafts.get(p);
    const ip = p.hostNetwork ? ctx.index.nodeByName.get(p.node)?.internalIP || null : (addresses.get(p.id) ?? null);
    if (!d) {
      if (p.ip === ip && kept.failed.has(p.id) === failed.has(p.id)) continue;
      const made = draftOf(p, workloadMemo, kept);
      if (!made) return notReplaced(memo, 'a re-addressed pod has no draft');
      d = made.draft;
      pods[i] = scheduledPod(made.workload, d, p.node);
      swaps.set(p, pods[i]!);
    }
    const pod = pods[i]!;
    pod.ip = ip;
    finishPod(pod, d, failed.has(pod.id), ctx.index.nodeByName.get(p.node), configMaps);
    pods[i] = internedPod(pod, memo);
    if (swaps.has(p)) swaps.set(p, pods[i]!);
  }

  const diagnostics: ModelDiagnostic[] = [];
  for (let i = nodeInputs; i < inputs.length; i++) {
    if (tick()) yield;
    const r = inputs[i] as Resource;
    if (!isWorkloadKind(r.kind)) continue;
    const expanded = workloadMemo.get(r);
    if (!expanded) return notReplaced(memo, 'a workload was not expanded');
    diagnostics.push(...expanded.diagnostics);
  }
  diagnostics.push(...issueDiagnostics);

  const index = yield* reindex(kept, replaced, pods, swaps, tick);
  if (!index) return notReplaced(memo, 'an owner of a re-addressed pod is not indexed');
  ctx.pods = pods;
  Object.assign(ctx.index, index);
  ctx.diagnostics.push(...diagnostics);
  memo.kept = { ...kept, inputs, pods, ...index, diagnostics, nodePods, addressIssues, failed, issueDiagnostics };
  memo.lastBuild = 'replaced';
  return true;
}

function notReplaced(memo: PodsMemo, why: string): false {
  memo.lastBuild = `full: ${why}`;
  return false;
}

/**
 * The edited workloads' new expansions, or undefined when a name could clash (WL-2) or an edited workload holds a
 * hostPort or had a pod with a problem (its diagnostics would change in ways only the full stage orders).
 */
function expandReplaced(
  ctx: BuildContext,
  kept: KeptPods,
  workloadMemo: WorkloadMemo,
  changed: readonly { before: Resource; after: Resource }[],
): Replaced[] | undefined {
  const replaced: Replaced[] = [];
  const oldOwners = new Set(changed.map((c) => c.before));
  for (const { before, after } of changed) {
    const previous = workloadMemo.get(before);
    if (!previous || previous.workload?.template.hostPorts.length) return undefined;
    const oldPods = kept.podsByOwner.get(before.id) ?? [];
    if (oldPods.length && oldPods[0]!.owner !== before) return undefined;
    if (oldPods.some((p) => !p.node || kept.placementIssues.failed.has(p.id))) return undefined;
    const out: ModelDiagnostic[] = [];
    // One workload's expansion is a single step's work.
    const workload = runToEnd(expandWorkloads(ctx.byKind, [after], ctx.nodes, out, workloadMemo, () => false))[0];
    const expanded = workloadMemo.get(after);
    if (!expanded?.checked || workload?.template.hostPorts.length) return undefined;
    for (const d of workload?.pods ?? []) {
      const holder = kept.podById.get(d.id);
      if (holder && !oldOwners.has(holder.owner)) return undefined;
    }
    // The owner index keeps each owner's place: a workload that had no pod would have to be put in the middle.
    if (!oldPods.length && workload?.pods.length) return undefined;
    replaced.push({ before, oldPods, after, workload });
  }
  return replaced;
}

/** The draft a kept pod was made from: its workload's expansion, at the pod's place among the owner's pods. */
function draftOf(pod: PodInfo, workloadMemo: WorkloadMemo, kept: KeptPods): { workload: Workload; draft: PodDraft } | undefined {
  const workload = workloadMemo.get(pod.owner)?.workload;
  const at = kept.podsByOwner.get(pod.owner.id)?.indexOf(pod) ?? -1;
  const draft = at >= 0 ? workload?.pods[at] : undefined;
  return workload && draft?.id === pod.id ? { workload, draft } : undefined;
}

/** The address a pod holds in the pods-by-IP lookup (hostNetwork pods share their node's). */
function addressed(p: PodInfo | undefined): string | null {
  return p?.ip && !p.hostNetwork ? p.ip : null;
}

/**
 * The kept pods-by-IP lookup with the addresses `gone` pods held dropped and `came` pods' set, iterating as a fresh
 * build's (addresses in pod order), when that gives every addressed pod an entry of its own: each then holds its one
 * pod, as the fresh build's map does. Undefined where two pods share an address (nodes with overlapping blocks: the
 * fresh build's map holds the later one), or where too much changed for an overlay (issue 13: a 150,000-entry map was
 * made again per edit, when full nodes re-address a few pods each).
 */
function* readdressed(
  kept: KeptPods,
  pods: readonly PodInfo[],
  gone: readonly PodInfo[],
  came: readonly PodInfo[],
  tick: () => boolean,
): Generator<void, Map<string, PodInfo> | undefined, void> {
  const map = OverlayMap.ordered(kept.podByIp, gone.length + came.length, function* () {
    for (const p of pods) if (addressed(p)) yield p.ip!;
  });
  if (!map) return undefined;
  for (const p of gone) if (addressed(p) && kept.podByIp.get(p.ip!) === p) map.delete(p.ip!);
  for (const q of came) if (addressed(q)) map.set(q.ip!, q);
  // Every entry holds a pod of the new list at its address: as many entries as addressed pods is one each.
  let count = 0;
  for (let pi = 0; pi < pods.length; pi++) {
    const p = pods[pi]!;
    if (tick()) yield;
    if (addressed(p)) count++;
  }
  return map.size === count ? map : undefined;
}

/**
 * The kept build's pod lookups with the edited workloads' pods and the re-addressed ones swapped in (copies). The full
 * stage fills them in pod order: an entry keeps its place when its key stays, else the lookup is made again.
 */
function* reindex(
  kept: KeptPods,
  replaced: readonly Replaced[],
  pods: readonly PodInfo[],
  swaps: ReadonlyMap<PodInfo, PodInfo>,
  tick: () => boolean,
): Generator<void, Pick<KeptPods, 'podById' | 'podsByOwner' | 'podByIp'> | undefined, void> {
  const fresh = new Map<Resource, PodInfo[]>();
  for (const r of replaced) fresh.set(r.after, []);
  for (let pi = 0; pi < pods.length; pi++) {
    const p = pods[pi]!;
    if (tick()) yield;
    fresh.get(p.owner)?.push(p);
  }
  /** Each pod that changed, with what took its place (none: gone). */
  const changes: [PodInfo, PodInfo | undefined][] = [...swaps];
  let sameIds = true;
  for (const r of replaced) {
    const now = fresh.get(r.after)!;
    if (now.length !== r.oldPods.length) sameIds = false;
    r.oldPods.forEach((p, i) => {
      const q = now[i];
      if (q?.id !== p.id) sameIds = false;
      changes.push([p, q]);
    });
  }
  const sameIps = sameIds && changes.every(([p, q]) => addressed(p) === addressed(q));

  // The pods that left and those that came in (the new list's pods in place of the kept ones).
  const gone: PodInfo[] = [...swaps.keys()];
  const came: PodInfo[] = [...swaps.values()];
  for (const r of replaced) {
    gone.push(...r.oldPods);
    came.push(...fresh.get(r.after)!);
  }
  let podById: Map<string, PodInfo> | undefined;
  if (sameIds) {
    podById = yield* OverlayMap.overSteps(kept.podById, changes.length, tick);
    for (const [, q] of changes) podById.set(q!.id, q!);
  } else {
    // A fresh build sets the ids in pod order; the new pods take no other workload's pod's id (expandReplaced).
    podById = OverlayMap.ordered(kept.podById, gone.length + came.length, function* () {
      for (const p of pods) yield p.id;
    });
    if (podById) {
      for (const p of gone) podById.delete(p.id);
      for (const q of came) podById.set(q.id, q);
    } else {
      podById = new Map();
      for (let pi = 0; pi < pods.length; pi++) {
        const p = pods[pi]!;
        if (tick()) yield;
        podById.set(p.id, p);
      }
    }
  }
  let podByIp: Map<string, PodInfo> | undefined;
  if (sameIps) {
    podByIp = yield* OverlayMap.overSteps(kept.podByIp, changes.length, tick);
    // Where two pods share an address (nodes with overlapping blocks), the map holds the later one: a pod takes
    // the place of the one it replaces only where that one was held.
    for (const [p, q] of changes) if (addressed(q) && kept.podByIp.get(q!.ip!) === p) podByIp.set(q!.ip!, q!);
  } else podByIp = yield* readdressed(kept, pods, gone, came, tick);
  if (!podByIp) {
    // Made again: two pods may share an address (nodes with overlapping blocks), and the fresh build's map holds
    // the later one, which an overlay of the kept map could not tell.
    podByIp = new Map();
    for (let pi = 0; pi < pods.length; pi++) {
      const p = pods[pi]!;
      if (tick()) yield;
      if (addressed(p)) podByIp.set(p.ip!, p);
    }
  }
  const podsByOwner = yield* OverlayMap.overSteps(kept.podsByOwner, fresh.size + swaps.size, tick);
  for (const [owner, list] of fresh) {
    if (list.length) podsByOwner.set(owner.id, list);
    else podsByOwner.delete(owner.id);
  }
  for (const [old, now] of swaps) {
    const list = podsByOwner.get(old.owner.id);
    if (!list) return undefined;
    podsByOwner.set(
      old.owner.id,
      list.map((p) => (p === old ? now : p)),
    );
  }
  return { podById, podsByOwner, podByIp };
}
