// Model layer (pure): workload manifests -> the pods they make (WL-1, WL-2, WL-4). Must not import vscode, LSP, node:* or fs.
import type { JsonMap, ModelDiagnostic, NodeInfo, Resource, Span } from '../types';
import { Fields, isMap, metadata, nameSpan, valueSpan } from '../core/typed-fields';
import { fromMatchLabels, readLabelSelector, matches } from '../core/label-selectors';
import { readPodTemplate, type PodTemplate } from './pod-template';
import { cronJobSuffix, podTemplateHash, uniquePodId } from './pod-names';
import { hash32 } from '../core/hash';
import { admits } from './scheduling';
import { MemoSlot } from '../build/build-context';
import { isWorkloadKind, templateHolderPath } from '../input/workload-kinds';

/** More pods than this from one workload would only slow the editor down; the rest are not modelled. */
const MAX_PODS_PER_WORKLOAD = 5000;

/** One pod before scheduling and addressing. */
export interface PodDraft {
  template: PodTemplate;
  /** `NS/NAME`, made once here (the key of every pod map later). */
  id: string;
  name: string;
  ordinal: number;
  labels: Record<string, string>;
  hostname: string;
  /** `spec.hostname` given, or set by the StatefulSet controller (DNS-2). */
  hostnameInSpec: boolean;
  subdomain?: string;
  /** DaemonSet pods are made for one node each. */
  forNode?: string;
  /** WL-4 as declared in a Pod manifest's status. */
  declaredReady: boolean;
}

export interface Workload {
  owner: Resource;
  template: PodTemplate;
  /** Where to point diagnostics about the number of pods (`replicas`, else the name). */
  countSpan: Span;
  pods: PodDraft[];
}

/**
 * One workload as expand() made it, kept between builds by the caller (see BuildMemo, build/build-context.ts):
 * reading a template and naming its pods is most of the pods stage, and an edit changes one workload.
 */
export interface ExpandedWorkload {
  workload: Workload | undefined;
  diagnostics: ModelDiagnostic[];
  /** The nodes it was made for (DaemonSets only: other kinds do not depend on them). */
  nodesKey: string;
  /** Generated pod ids, each checked against the ids taken before it; null when one clashed and was re-seeded. */
  checked: string[] | null;
  /** Ids taken without a check (StatefulSet pods are named, not generated). */
  fixed: string[];
}

/** Expansions by resource object: a file that did not change keeps its Resource objects (the parse cache). */
export type WorkloadMemo = WeakMap<Resource, ExpandedWorkload>;

/** This stage's slot in the build memo. */
export const WORKLOAD_MEMO = new MemoSlot<WorkloadMemo>('workloads', () => new WeakMap());

/**
 * Reads every workload and makes its pods, in resource order. `taken` collects pod ids so that
 * generated names never clash with a bare Pod (or each other). With `memo`, a workload whose
 * Resource object is unchanged is taken from it when the result would be the same: same nodes (for
 * a DaemonSet), and none of its generated names clashed then or would clash now.
 */
export function* expandWorkloads(
  byKind: Map<string, Resource[]>,
  ordered: readonly Resource[],
  nodes: readonly NodeInfo[],
  out: ModelDiagnostic[],
  memo: WorkloadMemo | undefined,
  tick: () => boolean,
): Generator<void, Workload[], void> {
  const taken = new Set<string>();
  for (const r of byKind.get('Pod') ?? []) taken.add(`${r.namespace}/${r.name}`);
  const workloads: Workload[] = [];
  const nodesKey = memo ? nodes.map((n) => `${n.name}\u0001${JSON.stringify(n.labels)}`).join('\u0002') : '';
  for (const res of ordered) {
    if (!isWorkloadKind(res.kind)) continue;
    if (tick()) yield;
    const key = res.kind === 'DaemonSet' ? nodesKey : '';
    const kept = memo?.get(res);
    if (kept && kept.nodesKey === key && kept.checked && !kept.checked.some((id) => taken.has(id))) {
      for (const id of kept.checked) taken.add(id);
      for (const id of kept.fixed) taken.add(id);
      out.push(...kept.diagnostics);
      if (kept.workload) workloads.push(kept.workload);
      continue;
    }
    const diagnostics: ModelDiagnostic[] = [];
    const clashes = { count: 0 };
    const w = expand(res, nodes, taken, new Fields(res, diagnostics), clashes);
    out.push(...diagnostics);
    if (w) workloads.push(w);
    if (memo) {
      const ids = w?.pods.map((p) => p.id) ?? [];
      const generated = res.kind !== 'Pod' && res.kind !== 'StatefulSet';
      memo.set(res, {
        workload: w,
        diagnostics,
        nodesKey: key,
        checked: clashes.count > 0 ? null : generated ? ids : [],
        fixed: res.kind === 'StatefulSet' ? ids : [],
      });
    }
  }
  return workloads;
}

function expand(res: Resource, nodes: readonly NodeInfo[], taken: Set<string>, f: Fields, clashes: { count: number }): Workload | undefined {
  if (res.kind === 'Pod') return barePod(res, f);
  let spec = f.map(res.body, 'spec');
  let jobName = res.name;
  for (const key of templateHolderPath(res.kind)) spec = f.map(spec, key);
  // A CronJob runs Jobs named `<cronjob>-<scheduled minute>`; we show one, as if it had just fired.
  if (res.kind === 'CronJob') jobName = `${res.name}-${cronJobSuffix(res.id)}`;
  const tmpl = f.map(spec, 'template');
  const labels = f.stringMap(tmpl && f.map(tmpl, 'metadata'), 'labels') ?? {};
  const template = readPodTemplate(f, tmpl && f.map(tmpl, 'spec'), labels);
  checkSelector(f, spec, labels);
  const w: Workload = { owner: res, template, countSpan: nameSpan(res), pods: [] };
  const count = podCount(f, res, spec, w);
  const ns = res.namespace;
  // Pod name seeds are `${res.id}#${i}` (or `@node`); the common part is hashed once (see hash32).
  const idHash = hash32(res.id);
  // Replicas whose labels do not differ share one labels object (nothing mutates pod labels): one
  // copy per workload instead of one per pod.
  const make = (id: string, ordinal: number, podLabels: Record<string, string>): PodDraft => {
    const name = id.slice(ns.length + 1);
    const d: PodDraft = {
      template,
      id,
      name,
      ordinal,
      labels: podLabels,
      hostname: template.hostname ?? name.slice(0, 63),
      hostnameInSpec: template.hostname !== undefined,
      declaredReady: true,
    };
    if (template.subdomain) d.subdomain = template.subdomain;
    return d;
  };
  switch (res.kind) {
    case 'Deployment': {
      // `<deployment>-<pod-template-hash>-<5>`: the ReplicaSet's name plus a suffix (WL-2).
      const hash = podTemplateHash(res.id);
      const podLabels = { ...labels, 'pod-template-hash': hash };
      const prefix = `${res.name}-${hash}`;
      for (let i = 0; i < count; i++) w.pods.push(make(uniquePodId(ns, prefix, res.id, idHash, `#${i}`, taken, clashes), i, podLabels));
      break;
    }
    case 'StatefulSet': {
      const serviceName = f.str(spec, 'serviceName');
      for (let i = 0; i < count; i++) {
        const name = `${res.name}-${i}`;
        const id = `${ns}/${name}`;
        taken.add(id);
        const p = make(id, i, { ...labels, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(i) });
        // DNS-2: a StatefulSet pod's hostname is its name and its subdomain the governing Service.
        p.hostname = name;
        p.hostnameInSpec = true;
        if (serviceName) p.subdomain = serviceName;
        w.pods.push(p);
      }
      break;
    }
    case 'DaemonSet': {
      // One pod per node that admits the template (WL-1), in node order; named `<ds>-<5>` (WL-2).
      let i = 0;
      const podLabels = { ...labels };
      for (const node of nodes) {
        if (!admits(template, node)) continue;
        if (i >= MAX_PODS_PER_WORKLOAD) break;
        const p = make(uniquePodId(ns, res.name, res.id, idHash, `@${node.name}`, taken, clashes), i++, podLabels);
        p.forNode = node.name;
        w.pods.push(p);
      }
      break;
    }
    case 'Job':
    case 'CronJob': {
      const podLabels = { ...labels, 'job-name': jobName, 'batch.kubernetes.io/job-name': jobName };
      for (let i = 0; i < count; i++) w.pods.push(make(uniquePodId(ns, jobName, res.id, idHash, `#${i}`, taken, clashes), i, podLabels));
      break;
    }
    default: {
      // ReplicaSet, ReplicationController (WL-1): `<name>-<5 chars>`
      const podLabels = { ...labels };
      for (let i = 0; i < count; i++) w.pods.push(make(uniquePodId(ns, res.name, res.id, idHash, `#${i}`, taken, clashes), i, podLabels));
    }
  }
  return w;
}

function barePod(res: Resource, f: Fields): Workload {
  const labels = f.stringMap(metadata(res), 'labels') ?? {};
  const template = readPodTemplate(f, f.map(res.body, 'spec'), labels);
  const pod: PodDraft = {
    template,
    id: `${res.namespace}/${res.name}`,
    name: res.name,
    ordinal: 0,
    labels,
    hostname: template.hostname ?? res.name.slice(0, 63),
    hostnameInSpec: template.hostname !== undefined,
    declaredReady: declaredReadiness(f, res),
    ...(template.subdomain ? { subdomain: template.subdomain } : {}),
  };
  return { owner: res, template, countSpan: nameSpan(res), pods: [pod] };
}

/** WL-4: Ready unless `status.conditions` says Ready=False or `status.phase` is not Running. */
function declaredReadiness(f: Fields, res: Resource): boolean {
  const status = f.map(res.body, 'status');
  if (!status) return true;
  const phase = f.str(status, 'phase');
  if (phase !== undefined && phase !== 'Running') return false;
  for (const c of f.maps(status, 'conditions')) {
    // `status: False` unquoted is a YAML boolean; both spellings mean not Ready.
    if (f.str(c, 'type') === 'Ready' && (c.status === 'False' || c.status === false)) return false;
  }
  return true;
}

/** replicas (default 1, WL-1); Jobs run min(parallelism, completions) pods at once (default 1). */
function podCount(f: Fields, res: Resource, spec: JsonMap | undefined, w: Workload): number {
  if (res.kind === 'DaemonSet') return 0;
  const key = res.kind === 'Job' || res.kind === 'CronJob' ? 'parallelism' : 'replicas';
  let n = f.int(spec, key, { min: 0, max: 1_000_000 }) ?? 1;
  if (spec && spec[key] !== undefined) w.countSpan = valueSpan(res, spec, key);
  if (key === 'parallelism') {
    const completions = f.int(spec, 'completions', { min: 0, max: 1_000_000 });
    if (completions !== undefined) n = Math.min(n, completions);
  }
  if (n > MAX_PODS_PER_WORKLOAD) {
    f.report('too-many-pods', 'info', `${n} pods: only the first ${MAX_PODS_PER_WORKLOAD} are modelled.`, w.countSpan, 'WL-1');
    n = MAX_PODS_PER_WORKLOAD;
  }
  return n;
}

/** The API server rejects a workload whose selector does not match its own template's labels. */
function checkSelector(f: Fields, spec: JsonMap | undefined, labels: Record<string, string>): void {
  if (!spec || !isMap(spec.selector)) return;
  // A ReplicationController's selector is a plain label map (absent: the template's labels), not a LabelSelector.
  const sel = f.res.kind === 'ReplicationController' ? fromMatchLabels(f.stringMap(spec, 'selector') ?? {}) : readLabelSelector(f, spec, 'selector');
  if (sel && !matches(labels, sel)) {
    f.report(
      'invalid-field',
      'error',
      '`selector` does not match the template\'s labels; the API server rejects this workload ("selector does not match template labels").',
      valueSpan(f.res, spec, 'selector'),
      'WL-1',
    );
  }
}
