// Model layer (pure): strategic merge patches as kustomize applies them (patchesStrategicMerge, and
// `patches` entries that are not JSON 6902): maps merge, `null` deletes, lists of known Kubernetes
// types merge by their merge key, `$patch: delete|replace` directives (Kubernetes SMP semantics).
import type { Json, JsonMap } from '../../types';
import { isMap } from '../../core/typed-fields';

/** Merge keys of the lists strategic merge patches merge by (k8s.io/api `patchMergeKey` tags). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  conditions: 'type',
};

/** Lists of ports merge by `containerPort` in a container and by `port` in a Service. */
function mergeKeyOf(field: string, items: readonly Json[]): string | undefined {
  if (field === 'ports') return items.some((i) => isMap(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

const MAX_DEPTH = 200;

/** Merges `patch` into `target` in place (both owned); returns the new value where the whole changed. */
export function strategicMerge(target: JsonMap, patch: JsonMap, depth = 0): JsonMap {
  if (depth > MAX_DEPTH) return target;
  const directive = patch.$patch;
  if (directive === 'replace') {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(patch)) if (!k.startsWith('$')) out[k] = v;
    return out;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue; // $patch, $setElementOrder/…, $retainKeys: directives, not fields
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = target[key];
    if (isMap(value)) {
      if (value.$patch === 'delete') {
        delete target[key];
        continue;
      }
      target[key] = isMap(current) ? strategicMerge(current, value, depth + 1) : stripDirectives(value);
      continue;
    }
    if (Array.isArray(value)) {
      target[key] = Array.isArray(current) ? mergeList(key, current, value, depth + 1) : value.filter((v) => !(isMap(v) && v.$patch === 'delete')).map((v) => (isMap(v) ? stripDirectives(v) : v));
      continue;
    }
    target[key] = value;
  }
  return target;
}

function stripDirectives(m: JsonMap): JsonMap {
  for (const k of Object.keys(m)) if (k.startsWith('$')) delete m[k];
  return m;
}

function mergeList(field: string, current: Json[], patch: Json[], depth: number): Json[] {
  if (patch.some((p) => isMap(p) && p.$patch === 'replace')) return patch.filter((p) => !(isMap(p) && p.$patch === 'replace'));
  const key = mergeKeyOf(field, [...current, ...patch]);
  // Without a merge key a list is replaced whole (SMP's default for lists of maps and of scalars).
  if (!key) return patch;
  // As `kubectl kustomize` v5 orders them: the patch's items first, in the patch's order (each merged
  // into its namesake), then the items the patch does not name, in their order.
  const rest = [...current];
  const out: Json[] = [];
  for (const p of patch) {
    if (!isMap(p) || p[key] === undefined) {
      out.push(p);
      continue;
    }
    const at = rest.findIndex((c) => isMap(c) && c[key] === p[key]);
    const found = at >= 0 ? (rest.splice(at, 1)[0] as JsonMap) : undefined;
    if (p.$patch === 'delete') continue;
    out.push(found ? strategicMerge(found, p, depth + 1) : stripDirectives(p));
  }
  out.push(...rest);
  return out;
}
