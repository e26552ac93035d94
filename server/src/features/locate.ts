// Server layer: what is under the cursor — the resource and the YAML path (`spec.ports.0.targetPort`) of the
// key or value there. May import the model; must not import vscode. Read-only over the snapshot.
import type { EntrySpans, Json, JsonMap, Resource, Span } from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';

export interface Located {
  resource: Resource;
  /** Keys from the resource's body down to the entry under the cursor. */
  path: (string | number)[];
  /** The containers along the path (containers[i] holds path[i]). */
  containers: (JsonMap | Json[])[];
  /** The value at the path. */
  value: Json | undefined;
  /** Whether the cursor is on the key (`targetPort:`) rather than the value. */
  onKey: boolean;
  /** Span of the key or value under the cursor. */
  span: Span;
}

// A span tagged with another file (a rendered field a kustomize patch wrote, IN-1) is not under this cursor.
const inside = (s: Span | undefined, o: number): s is Span => s !== undefined && s.file === undefined && o >= s.start && o <= s.end;

/** `s` when it is in the resource's own file (untagged), else undefined (IN-1: a rendered field written elsewhere). */
export function localSpan(s: Span | undefined): Span | undefined {
  return s && s.file === undefined ? s : undefined;
}

export function resourceAt(snap: Snapshot, uri: string, offset: number): Resource | undefined {
  const list = snap.files.get(canonicalUri(uri))?.resources ?? [];
  // Resources of a file are in document order; the innermost (List items) is the last that contains it.
  let found: Resource | undefined;
  for (const r of list) if (inside(r.span, offset)) found = r;
  return found;
}

/** Where an entry is written in the resource's own file (IN-1: a base line a patch overrode still counts). */
function writtenHere(resource: Resource, c: JsonMap | Json[], k: string | number): EntrySpans | undefined {
  return resource.spans.written?.(c, k) ?? resource.spans.entry(c, k);
}

export function locate(snap: Snapshot, uri: string, offset: number): Located | undefined {
  const resource = resourceAt(snap, uri, offset);
  if (!resource) return undefined;
  const path: (string | number)[] = [];
  const containers: (JsonMap | Json[])[] = [];
  let container: JsonMap | Json[] = resource.body;
  for (;;) {
    const keys: (string | number)[] = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
    let next: { key: string | number; onKey: boolean; span: Span; value: Json | undefined } | undefined;
    for (const k of keys) {
      const e = writtenHere(resource, container, k);
      if (!e) continue;
      const value = (container as Record<string | number, Json>)[k];
      if (inside(e.key, offset)) {
        next = { key: k, onKey: true, span: e.key, value };
        break;
      }
      if (inside(e.value, offset)) {
        next = { key: k, onKey: false, span: e.value, value };
        break;
      }
    }
    if (!next) return path.length ? undefined : { resource, path, containers, value: resource.body, onKey: false, span: resource.span };
    path.push(next.key);
    containers.push(container);
    const v = next.value;
    if (!next.onKey && v !== null && typeof v === 'object') {
      // Descend: the cursor may be on a key or value inside this map/list.
      const deeper = tryDescend(resource, v, offset);
      if (deeper) {
        container = v;
        continue;
      }
    }
    return { resource, path, containers, value: v, onKey: next.onKey, span: next.span };
  }
}

function tryDescend(resource: Resource, v: JsonMap | Json[], offset: number): boolean {
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.some((k) => {
    const e = writtenHere(resource, v, k);
    return inside(e?.key, offset) || inside(e?.value, offset);
  });
}

/** `path` as `spec.ports[0].targetPort`-like string with numbers as `*`, for matching patterns. */
export function pathPattern(path: (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? '*' : p)).join('.');
}

/** `Kind/NS/NAME` → `NS/NAME`, the key of services, pods, ingresses and policies in the model. */
export function nsName(resource: Resource): string {
  return `${resource.namespace}/${resource.name}`;
}

/** The CLI reference of a workload resource (`deploy:NS/NAME`), or `pod:NS/NAME` for a Pod (docs/cli.md). */
export function workloadRef(resource: Resource): string | undefined {
  const prefix: Record<string, string> = { Pod: 'pod', Deployment: 'deploy', StatefulSet: 'sts', DaemonSet: 'ds' };
  const p = prefix[resource.kind];
  return p ? `${p}:${resource.namespace}/${resource.name}` : undefined;
}
