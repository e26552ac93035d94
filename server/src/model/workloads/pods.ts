// Model layer (pure): the pods of the cluster — made from workloads, scheduled, addressed (WL-1..6,
// IP-1..3). Must not import vscode, LSP, node:* or fs.
import { MemoSlot, memoOf, stepCounter, UNITS_PER_STEP, type BuildContext } from '../build/build-context';
import { sameItems, samePlain } from '../build/incremental';
import type { ContainerInfo, ModelDiagnostic, ModelIndex, NodeInfo, PodInfo, Resource, Span } from '../types';
import { Fields, isMap } from '../core/typed-fields';
import { parseCidr } from '../core/ip';
import { allocateNode } from '../cluster/pod-ip-allocator';
import { Scheduler, type ScheduleFailure } from './scheduling';
import { expandWorkloads, WORKLOAD_MEMO, type PodDraft, type Workload } from './workloads';
import type { EnvSource } from './pod-template';
import { isWorkloadKind } from '../input/workload-kinds';

export { expandVarRefs, environmentAtStart } from './container-env';

/** The pods stage's output, kept for the next build (see build/incremental.ts). */
interface KeptPods {
  /** What the stage read: the nodes, then every workload and ConfigMap in resource order. */
  inputs: readonly unknown[];
  pods: PodInfo[];
  podById: Map<string, PodInfo>;
  podsByOwner: Map<string, PodInfo[]>;
  podByIp: Map<string, PodInfo>;
  diagnostics: readonly ModelDiagnostic[];
}

export interface PodsMemo {
  kept?: KeptPods;
  /** Each container's declared env (before service links, DNS-5), by container: what the DNS stage links. */
  readonly declared: WeakMap<ContainerInfo, Record<string, string>>;
}

/** This stage's slot in the build memo; the DNS stage records there the pods it finished (linked or copied). */
export const PODS_MEMO = new MemoSlot<PodsMemo>('pods', () => ({ declared: new WeakMap() }));

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
    return;
  }
  const firstDiagnostic = ctx.diagnostics.length;
  const tick = stepCounter(ctx);
  const workloads = yield* expandWorkloads(ctx.byKind, ctx.resources, ctx.nodes, ctx.diagnostics, memoOf(ctx, WORKLOAD_MEMO), tick);
  yield;
  const scheduler = new Scheduler(ctx.nodes, ctx.profile.kubeletMaxPods);
  const issues = new Issues();
  const drafts: PodDraft[] = []; // parallel to `pods`
  const pods: PodInfo[] = [];

  // WL-3, WL-6: place every pod, in resource order ("the later pod" loses a clash).
  for (const w of workloads) {
    for (const d of w.pods) {
      if (tick()) yield;
      const id = d.id;
      const placement = scheduler.place(d.template, id, d.ordinal, d.forNode);
      const pod: PodInfo = {
        id,
        name: d.name,
        namespace: w.owner.namespace,
        owner: w.owner,
        ordinal: d.ordinal,
        node: placement.node,
        ip: null,
        hostNetwork: d.template.hostNetwork,
        ready: false,
        labels: d.labels,
        hostname: d.hostname,
        hostnameInSpec: d.hostnameInSpec,
        enableServiceLinks: d.template.enableServiceLinks,
        containers: [],
        spec: d.template.spec,
      };
      if (d.subdomain) pod.subdomain = d.subdomain;
      if (placement.failure) issues.add(w, placement.failure, id);
      drafts.push(d);
      pods.push(pod);
    }
  }

  yield;
  yield* assignAddresses(ctx, workloads, pods, issues, tick);
  yield;

  const configMaps = new ConfigMaps(ctx.byKind.get('ConfigMap') ?? []);
  for (let i = 0; i < pods.length; i++) {
    if (tick()) yield;
    const pod = pods[i]!;
    const d = drafts[i]!;
    // WL-4: Ready only when running with an address and the manifest does not say otherwise.
    pod.ready = d.declaredReady && pod.ip !== null && !issues.failed.has(pod.id);
    const node = pod.node ? ctx.index.nodeByName.get(pod.node) : undefined;
    // WL-5: every container shares the pod's IP; only ports and environment differ.
    pod.containers = d.template.containers.map((c): ContainerInfo => ({ name: c.name, ports: c.ports, env: declaredEnv(c.env, pod, node, configMaps) }));
  }

  issues.report(ctx);
  if (memo) yield* internPods(pods, memo, tick);
  ctx.pods = pods;
  const ix = ctx.index;
  for (let i = 0; i < pods.length; i += UNITS_PER_STEP) {
    yield;
    indexPods(ix, pods.slice(i, i + UNITS_PER_STEP));
  }
  if (memo && inputs) {
    const diagnostics = ctx.diagnostics.slice(firstDiagnostic);
    memo.kept = { inputs, pods, podById: ix.podById, podsByOwner: ix.podsByOwner, podByIp: ix.podByIp, diagnostics };
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
    if (old && samePod(pod, old, memo.declared)) pods[i] = old;
  }
}

/** Pod fields compared by identity (owner, spec) or one by one (containers) rather than as plain data. */
const POD_OBJECTS: ReadonlySet<string> = new Set(['owner', 'spec', 'containers']);

/** Every field the pods stage sets; containers by their declared env (the DNS stage adds the links). */
function samePod(a: PodInfo, b: PodInfo, declared: WeakMap<ContainerInfo, Record<string, string>>): boolean {
  if (a.owner !== b.owner || a.spec !== b.spec || a.containers.length !== b.containers.length || !samePlain(a, b, POD_OBJECTS)) return false;
  return a.containers.every((c, i) => {
    const o = b.containers[i]!;
    const env = declared.get(o);
    return c.name === o.name && env !== undefined && samePlain(c.env, env) && samePlain(c.ports, o.ports);
  });
}

/** IP-1, IP-2 from the node's block; IP-3 hostNetwork pods take the node's eth0 address. */
function* assignAddresses(ctx: BuildContext, workloads: Workload[], pods: PodInfo[], issues: Issues, tick: () => boolean): Generator<void, void, void> {
  const byNode = new Map<string, PodInfo[]>();
  for (const pod of pods) {
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
    const node = ctx.index.nodeByName.get(name)!;
    const block = parseCidr(node.podCIDR);
    const alloc = block
      ? allocateNode(
          block,
          list.map((p) => p.id),
        )
      : { ips: new Map<string, string>(), overflow: list.map((p) => p.id), capacity: 0n };
    for (const pod of list) {
      if (tick()) yield;
      const ip = alloc.ips.get(pod.id);
      if (ip) {
        pod.ip = ip;
        continue;
      }
      const w = workloadOf.get(pod.owner)!;
      if (node.assumed && block) {
        // CL-5: only pods pinned to an assumed node (nodeName, hostname selector) can fill its block: say
        // what is assumed rather than warn about a node nobody declared.
        issues.add(
          w,
          {
            code: 'node-pod-cidr-exhausted',
            rule: 'CL-5',
            severity: 'info',
            span: w.countSpan,
            reason: `these pods are pinned to ${name}, a node assumed because the workspace declares none, and its assumed pod CIDR ${block.text} has no address left for them; declare the real nodes (netpath.cluster.yaml \`nodes:\`, or kind: Node) to see where they run`,
          },
          pod.id,
        );
        continue;
      }
      const reason = block
        ? `node ${name}'s pod CIDR ${block.text} has ${alloc.capacity} pod addresses (${node.overlayIP} is flannel.1, ${node.bridgeIP} is cni0${block.family === 4 ? ', the last is broadcast' : ''}) and all are taken; the pod stays ContainerCreating with no IP ("no IP addresses available in range set")`
        : `node ${name} has no pod CIDR; the pod gets no IP`;
      issues.add(w, { code: 'node-pod-cidr-exhausted', rule: 'IP-1', span: w.countSpan, reason }, pod.id);
    }
  }
}

/** Declared `env` (and `envFrom`) with the values the manifests can tell; `$(VAR)` left for DNS-5. */
function declaredEnv(sources: readonly EnvSource[], pod: PodInfo, node: NodeInfo | undefined, cms: ConfigMaps): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of sources) {
    if ('value' in s) env[s.name] = s.value;
    else if ('fieldPath' in s) env[s.name] = fieldValue(s.fieldPath, pod, node);
    else if ('configMap' in s) {
      const v = cms.get(pod.namespace, s.configMap.name)?.[s.configMap.key];
      if (v !== undefined) env[s.name] = v;
    } else {
      for (const [k, v] of Object.entries(cms.get(pod.namespace, s.configMapAll.name) ?? {})) env[s.configMapAll.prefix + k] = v;
    }
  }
  return env;
}

function fieldValue(path: string, pod: PodInfo, node: NodeInfo | undefined): string {
  switch (path) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'spec.nodeName':
      return pod.node ?? '';
    case 'spec.serviceAccountName':
      return typeof pod.spec.serviceAccountName === 'string' ? pod.spec.serviceAccountName : 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return pod.ip ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return pod.node ? (node?.internalIP ?? '') : '';
    default: {
      const label = /^metadata\.labels\['(.+)'\]$/.exec(path)?.[1];
      return label !== undefined ? (pod.labels[label] ?? '') : '';
    }
  }
}

/** ConfigMap data by `NS/NAME`, read on demand (their fields belong to no stage; wrong values are skipped). */
class ConfigMaps {
  private readonly byId = new Map<string, Resource>();
  private readonly cache = new Map<string, Record<string, string>>();
  constructor(list: readonly Resource[]) {
    for (const r of list) this.byId.set(`${r.namespace}/${r.name}`, r);
  }
  get(ns: string, name: string): Record<string, string> | undefined {
    const key = `${ns}/${name}`;
    let data = this.cache.get(key);
    if (!data) {
      const res = this.byId.get(key);
      if (!res) return undefined;
      data = {};
      if (isMap(res.body.data)) for (const [k, v] of Object.entries(res.body.data)) if (typeof v === 'string') data[k] = v;
      this.cache.set(key, data);
    }
    return data;
  }
}

/**
 * Scheduling and addressing problems, one diagnostic per workload and problem (not one per
 * replica), naming the pods it affects.
 */
class Issues {
  readonly failed = new Set<string>();
  private readonly groups = new Map<string, { w: Workload; failure: ScheduleFailure; pods: string[] }>();

  add(w: Workload, failure: ScheduleFailure, podId: string): void {
    this.failed.add(podId);
    // Spans inside the pod template are shared by all replicas; "the whole object" reads better on its name.
    const span: Span = failure.span === w.owner.span ? w.countSpan : failure.span;
    const key = `${w.owner.id}|${failure.code}|${span.start}`;
    const g = this.groups.get(key);
    if (g) g.pods.push(podId);
    else this.groups.set(key, { w, failure: { ...failure, span }, pods: [podId] });
  }

  report(ctx: BuildContext): void {
    for (const { w, failure, pods } of this.groups.values()) {
      const shown = pods.slice(0, 3).join(', ') + (pods.length > 3 ? `, … (${pods.length} pods)` : '');
      const who =
        w.owner.kind === 'Pod' ? `Pod ${pods[0]}` : `${pods.length === 1 ? 'Pod' : 'Pods'} ${shown} of ${w.owner.kind} ${w.owner.namespace}/${w.owner.name}`;
      new Fields(w.owner, ctx.diagnostics).report(failure.code, failure.severity ?? 'warning', `${who}: ${failure.reason}.`, failure.span, failure.rule);
    }
  }
}
