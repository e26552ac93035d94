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

/** Told where each merged value came from, so that a rendered field still points at the patch line that set it. */
export interface MergeTrace {
  /** `target[key]` now holds what `from[fromKey]` held. */
  took(target: JsonMap | Json[], key: string | number, from: JsonMap | Json[], fromKey: string | number): void;
  /** `rebuilt` stands for `like` (same place in the source): a list rebuilt by a merge, a patch map without its directives. */
  alias(rebuilt: JsonMap | Json[], like: JsonMap | Json[]): void;
  /** `target` as the merge may change it: itself when the object owns it, else a copy (copy-on-write). */
  own(target: JsonMap): JsonMap;
  /** A container the merge made for the object (owned from the start). */
  made(c: JsonMap | Json[]): void;
}

const NO_TRACE: MergeTrace = { took: () => undefined, alias: () => undefined, own: (t) => t, made: () => undefined };

/**
 * Merges `patch` (read only: shared by every object it patches, its containers put into `target` as they are)
 * into `target`; returns the merged map, which the caller puts in `target`'s place:
 * `target` itself when the object owns it, else its copy (`trace.own`), or a new map for `$patch: replace`.
 */
export function strategicMerge(target: JsonMap, patch: JsonMap, depth = 0, trace: MergeTrace = NO_TRACE): JsonMap {
  if (depth > MAX_DEPTH) return target;
  const directive = patch.$patch;
  if (directive === 'replace') {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(patch)) if (!k.startsWith('$')) out[k] = v;
    for (const k of Object.keys(out)) trace.took(out, k, patch, k);
    trace.made(out);
    return out;
  }
  target = trace.own(target);
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
      if (isMap(current)) target[key] = strategicMerge(current, value, depth + 1, trace);
      else {
        target[key] = withoutDirectives(value, trace);
        trace.took(target, key, patch, key);
      }
      continue;
    }
    if (Array.isArray(value)) {
      if (Array.isArray(current)) target[key] = mergeList(key, current, value, depth + 1, trace);
      else {
        const kept = value.filter((v) => !(isMap(v) && v.$patch === 'delete'));
        target[key] = kept.map((v) => (isMap(v) ? withoutDirectives(v, trace) : v));
        trace.took(target, key, patch, key);
      }
      continue;
    }
    target[key] = value;
    trace.took(target, key, patch, key);
  }
  return target;
}

/** `m` without its `$` directives: `m` itself when it has none, else a copy (the patch is never changed). */
function withoutDirectives(m: JsonMap, trace: MergeTrace): JsonMap {
  if (!Object.keys(m).some((k) => k.startsWith('$'))) return m;
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(m)) if (!k.startsWith('$')) out[k] = v;
  trace.alias(out, m);
  return out;
}

function mergeList(field: string, current: Json[], patch: Json[], depth: number, trace: MergeTrace): Json[] {
  // Each item of the result remembers the list and index it came from (scalars have no place of their own).
  const from: [Json[], number][] = [];
  const done = (out: Json[], like = current): Json[] => {
    trace.made(out);
    trace.alias(out, like);
    out.forEach((_, i) => trace.took(out, i, from[i]![0], from[i]![1]));
    return out;
  };
  if (patch.some((p) => isMap(p) && p.$patch === 'replace')) {
    const out: Json[] = [];
    patch.forEach((p, i) => {
      if (isMap(p) && p.$patch === 'replace') return;
      out.push(p);
      from.push([patch, i]);
    });
    return done(out, patch);
  }
  const key = mergeKeyOf(field, [...current, ...patch]);
  // Without a merge key a list is replaced whole (SMP's default for lists of maps and of scalars).
  if (!key) {
    patch.forEach((_, i) => from.push([patch, i]));
    return done([...patch], patch);
  }
  // As `kubectl kustomize` v5 orders them: the patch's items first, in the patch's order (each merged
  // into its namesake), then the items the patch does not name, in their order.
  const rest = current.map((c, i) => ({ c, i }));
  const out: Json[] = [];
  patch.forEach((p, j) => {
    if (!isMap(p) || p[key] === undefined) {
      out.push(p);
      from.push([patch, j]);
      return;
    }
    const at = rest.findIndex(({ c }) => isMap(c) && c[key] === p[key]);
    const found = at >= 0 ? rest.splice(at, 1)[0]! : undefined;
    if (p.$patch === 'delete') return;
    if (found) {
      out.push(strategicMerge(found.c as JsonMap, p, depth + 1, trace));
      from.push([current, found.i]);
    } else {
      out.push(withoutDirectives(p, trace));
      from.push([patch, j]);
    }
  });
  for (const { c, i } of rest) {
    out.push(c);
    from.push([current, i]);
  }
  return done(out);
}
