// Model layer (pure): which fields kustomize's builtin transformers touch, per kind. Facts taken from
// kustomize's own configuration (api/konfig/builtinpluginconsts: namereference, commonlabels,
// commonannotations), written out here as data; see docs/rules.md IN-1.
import type { Json, JsonMap } from '../../types';
import { isMap } from '../../core/typed-fields';

export interface FieldSpec {
  /** Kinds the spec applies to; undefined for every kind. */
  kinds?: readonly string[];
  path: string;
  /** Whether missing maps on the way are created (kustomize's `create: true`). */
  create: boolean;
}

const WORKLOADS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'] as const;

/** Where each kind keeps its pod spec. */
export const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  Pod: 'spec',
  PodTemplate: 'template/spec',
  Deployment: 'spec/template/spec',
  ReplicaSet: 'spec/template/spec',
  DaemonSet: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
  Job: 'spec/template/spec',
  ReplicationController: 'spec/template/spec',
  CronJob: 'spec/jobTemplate/spec/template/spec',
};

const AFFINITY = [
  'affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'topologySpreadConstraints/labelSelector/matchLabels',
];

/**
 * Template labels: what `labels[].includeTemplates` adds to metadata/labels — commonLabels' places without the
 * selectors: pod templates, a CronJob's job template and a StatefulSet's volume claim templates (as
 * `kubectl kustomize` v5.5 renders them).
 */
export const TEMPLATE_LABELS: readonly FieldSpec[] = [
  { kinds: ['ReplicationController', ...WORKLOADS], path: 'spec/template/metadata/labels', create: true },
  { kinds: ['StatefulSet'], path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/metadata/labels', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
];

/** `commonLabels` and `labels[].includeSelectors: true`: labels, selectors and templates. */
export const COMMON_LABELS: readonly FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { kinds: ['Service', 'ReplicationController'], path: 'spec/selector', create: true },
  { kinds: ['ReplicationController'], path: 'spec/template/metadata/labels', create: true },
  { kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'], path: 'spec/selector/matchLabels', create: true },
  { kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'], path: 'spec/template/metadata/labels', create: true },
  ...AFFINITY.map((p) => ({ kinds: ['Deployment', 'StatefulSet'], path: `spec/template/spec/${p}`, create: false })),
  { kinds: ['StatefulSet'], path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true },
  { kinds: ['Job'], path: 'spec/selector/matchLabels', create: false },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/spec/selector/matchLabels', create: false },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/metadata/labels', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
  { kinds: ['PodDisruptionBudget'], path: 'spec/selector/matchLabels', create: false },
  // NP-*: a policy's pod selectors follow the labels only where they already select by label.
  { kinds: ['NetworkPolicy'], path: 'spec/podSelector/matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec/ingress/from/podSelector/matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec/egress/to/podSelector/matchLabels', create: false },
];

export const COMMON_ANNOTATIONS: readonly FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { kinds: ['ReplicationController', ...WORKLOADS], path: 'spec/template/metadata/annotations', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/metadata/annotations', create: true },
  { kinds: ['CronJob'], path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true },
];

export const REPLICA_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet']);

/** A field that holds the name of an object of kind `target`. */
export interface NameReference {
  target: string;
  kinds: readonly string[];
  path: string;
}

function podRefs(target: string, kinds: readonly string[], suffixes: readonly string[]): NameReference[] {
  const out: NameReference[] = [];
  for (const kind of kinds) {
    const prefix = POD_SPEC_PATHS[kind];
    if (prefix) for (const s of suffixes) out.push({ target, kinds: [kind], path: `${prefix}/${s}` });
  }
  return out;
}

const POD_KINDS = ['Pod', 'PodTemplate', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob'] as const;
const SA_KINDS = ['Pod', 'Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'ReplicationController'] as const;
const containerRefs = (ref: string): string[] => [
  `containers/env/valueFrom/${ref}KeyRef/name`,
  `initContainers/env/valueFrom/${ref}KeyRef/name`,
  `containers/envFrom/${ref}Ref/name`,
  `initContainers/envFrom/${ref}Ref/name`,
];

/** kustomize's nameReference configuration: the fields rewritten when a referenced object is renamed. */
export const NAME_REFERENCES: readonly NameReference[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((t) => ({
    target: t,
    kinds: ['HorizontalPodAutoscaler'],
    path: 'spec/scaleTargetRef/name',
  })),
  ...podRefs('ConfigMap', POD_KINDS, ['volumes/configMap/name', 'volumes/projected/sources/configMap/name', ...containerRefs('configMap')]),
  { target: 'ConfigMap', kinds: ['Role', 'ClusterRole'], path: 'rules/resourceNames' },
  { target: 'ConfigMap', kinds: ['Node'], path: 'spec/configSource/configMap' },
  ...podRefs('Secret', POD_KINDS, ['volumes/secret/secretName', 'volumes/projected/sources/secret/name', 'imagePullSecrets/name', ...containerRefs('secret')]),
  { target: 'Secret', kinds: ['Ingress'], path: 'spec/tls/secretName' },
  { target: 'Secret', kinds: ['ServiceAccount'], path: 'imagePullSecrets/name' },
  { target: 'Secret', kinds: ['Role', 'ClusterRole'], path: 'rules/resourceNames' },
  { target: 'Service', kinds: ['StatefulSet'], path: 'spec/serviceName' },
  { target: 'Service', kinds: ['Ingress'], path: 'spec/rules/http/paths/backend/service/name' },
  { target: 'Service', kinds: ['Ingress'], path: 'spec/defaultBackend/service/name' },
  { target: 'Service', kinds: ['Ingress'], path: 'spec/rules/http/paths/backend/serviceName' },
  { target: 'Service', kinds: ['Ingress'], path: 'spec/backend/serviceName' },
  { target: 'Service', kinds: ['APIService'], path: 'spec/service/name' },
  { target: 'Role', kinds: ['RoleBinding'], path: 'roleRef/name' },
  { target: 'ClusterRole', kinds: ['RoleBinding', 'ClusterRoleBinding'], path: 'roleRef/name' },
  ...podRefs('ServiceAccount', SA_KINDS, ['serviceAccountName']),
  ...podRefs('PersistentVolumeClaim', SA_KINDS, ['volumes/persistentVolumeClaim/claimName']),
  { target: 'PersistentVolume', kinds: ['PersistentVolumeClaim'], path: 'spec/volumeName' },
  { target: 'StorageClass', kinds: ['PersistentVolume', 'PersistentVolumeClaim'], path: 'spec/storageClassName' },
  { target: 'StorageClass', kinds: ['StatefulSet'], path: 'spec/volumeClaimTemplates/spec/storageClassName' },
  ...podRefs('PriorityClass', SA_KINDS, ['priorityClassName']),
  { target: 'IngressClass', kinds: ['Ingress'], path: 'spec/ingressClassName' },
];

/** NAME_REFERENCES by the kind of the object holding the field, built once. */
let referencesByKind: Map<string, NameReference[]> | undefined;

/** The name references a kind's objects hold (kustomize's nameReference entries whose referrer is that kind). */
export function nameReferencesFrom(kind: string): readonly NameReference[] {
  if (!referencesByKind) {
    referencesByKind = new Map();
    for (const ref of NAME_REFERENCES) {
      for (const k of ref.kinds) {
        const list = referencesByKind.get(k);
        if (list) list.push(ref);
        else referencesByKind.set(k, [ref]);
      }
    }
  }
  return referencesByKind.get(kind) ?? [];
}

/**
 * How a walk changes an object that shares containers with others (copy-on-write, objects.ts Origins.own):
 * its body and each child on the way are copied for it before they are changed.
 */
export interface Writable {
  /** The object's body, owned. */
  body(): JsonMap;
  /** `parent[key]` owned (`parent` is): copied in place unless owned already; undefined when not a container. */
  child(parent: JsonMap | Json[], key: string | number): JsonMap | Json[] | undefined;
  /** A map made for the object (owned from the start). */
  made(m: JsonMap): void;
}

interface Segment {
  key: string;
  /** Written `name[]`: a list, walked into, never made. */
  isList: boolean;
}

/** Field spec paths split once (the specs are a fixed list; a config's few more are cached as well). */
const SEGMENTS = new Map<string, Segment[]>();

function segmentsOf(path: string): Segment[] {
  let segs = SEGMENTS.get(path);
  if (!segs) {
    segs = path.split('/').map((seg) => (seg.endsWith('[]') ? { key: seg.slice(0, -2), isList: true } : { key: seg, isList: false }));
    if (SEGMENTS.size < 10_000) SEGMENTS.set(path, segs);
  }
  return segs;
}

/**
 * Visits the maps a path reaches in `body`, walking into every item of a list on the way (as
 * kustomize's field specs do). With `create`, missing maps are made; a segment written `name[]` is a
 * list, never made.
 * `visit` gets the parent map and the last key. With `w`, the walk first finds every place on the body as it
 * is (`wants` says whether a place needs a change), then copies for the object only the containers on the way
 * to those places, so that untouched parts stay shared.
 */
export function visitPath(
  body: JsonMap,
  path: string,
  create: boolean,
  visit: (parent: JsonMap, key: string) => void,
  w?: Writable,
  wants: (parent: JsonMap, key: string) => boolean = () => true,
): void {
  const segs = segmentsOf(path);
  const last = segs.length - 1;
  if (w && straightPath(body, segs, create, visit, w, wants)) return;
  const chains: (string | number)[][] = [];
  const keys: (string | number)[] = [];
  const walk = (node: Json | undefined, i: number, creating: boolean): void => {
    if (Array.isArray(node)) {
      for (let n = 0; n < node.length; n++) {
        keys.push(n);
        walk(node[n], i, false);
        keys.pop();
      }
      return;
    }
    if (!isMap(node)) return;
    const { key, isList } = segs[i]!;
    if (i === last) {
      if (!w) visit(node, key);
      else if (wants(node, key)) chains.push([...keys]);
      return;
    }
    let next = node[key];
    if ((next === undefined || next === null) && creating && !isList) {
      next = {};
      // Without a writer the map is made in place; with one, it is made when the place is written.
      if (!w) node[key] = next;
    }
    keys.push(key);
    walk(next, i + 1, creating);
    keys.pop();
  };
  walk(body, 0, create);
  if (!w || chains.length === 0) return;
  const lastKey = segs[last]!.key;
  for (const chain of chains) {
    let cur: JsonMap | Json[] = w.body();
    for (const k of chain) {
      let next = w.child(cur, k);
      if (next === undefined) {
        // Only a map the walk would make (create) is missing on the way.
        const m: JsonMap = {};
        w.made(m);
        (cur as Record<string | number, Json>)[k] = m;
        next = m;
      }
      cur = next;
    }
    if (isMap(cur)) visit(cur, lastKey);
  }
}

/**
 * visitPath's common case, without allocating a walk: a path of maps only (no list on the way). False when the
 * path meets a list, for the general walk.
 */
function straightPath(
  body: JsonMap,
  segs: readonly Segment[],
  create: boolean,
  visit: (parent: JsonMap, key: string) => void,
  w: Writable,
  wants: (parent: JsonMap, key: string) => boolean,
): boolean {
  const last = segs.length - 1;
  let node: JsonMap = body;
  let missing = false;
  for (let i = 0; i < last; i++) {
    const { key, isList } = segs[i]!;
    const next = node[key];
    if (Array.isArray(next) || isList) return false;
    if (next === undefined || next === null) {
      if (!create) return true;
      // Made from here on, as the general walk would; a list further on is never made (nothing to visit).
      for (let j = i + 1; j < last; j++) if (segs[j]!.isList) return true;
      missing = true;
      break;
    }
    if (!isMap(next)) return true;
    node = next;
  }
  const key = segs[last]!.key;
  if (!wants(missing ? {} : node, key)) return true;
  // The place exists (or is made): own the way to it, making what is missing.
  let cur: JsonMap = w.body();
  for (let i = 0; i < last; i++) {
    const k = segs[i]!.key;
    let next = w.child(cur, k);
    if (next === undefined) {
      const m: JsonMap = {};
      w.made(m);
      cur[k] = m;
      next = m;
    }
    cur = next as JsonMap;
  }
  visit(cur, key);
  return true;
}

/**
 * Adds `pairs` (as `Object.entries` gives them: a kustomization's pairs go to each of its objects) to the maps a
 * field spec reaches (labels, selectors, annotations); with `w`, copy-on-write.
 */
export function addPairs(
  body: JsonMap,
  kind: string,
  specs: readonly FieldSpec[],
  pairs: readonly (readonly [string, string])[],
  placed: (map: JsonMap, key: string) => void = () => undefined,
  w?: Writable,
): void {
  // One pair of callbacks for every spec (the one being walked is `create`'s): a render calls this for each object.
  let create = false;
  const visit = (parent: JsonMap, key: string): void => {
    let m = parent[key];
    if (m === undefined || m === null) {
      if (!create) return;
      const made: JsonMap = {};
      w?.made(made);
      parent[key] = made;
      m = made;
    } else if (!isMap(m)) return;
    else if (w) m = w.child(parent, key) as JsonMap;
    for (const [k, v] of pairs) {
      m[k] = v;
      placed(m, k);
    }
  };
  const wants = (parent: JsonMap, key: string): boolean => {
    const m = parent[key];
    return m === undefined || m === null ? create : isMap(m);
  };
  for (const spec of specs) {
    if (spec.kinds && !spec.kinds.includes(kind)) continue;
    create = spec.create;
    visitPath(body, spec.path, spec.create, visit, w, wants);
  }
}
