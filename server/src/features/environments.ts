// Server layer: kustomize environments (IN-1) — a base file's object as each root renders it, for hovers and
// go-to-definition, and the short names of roots (`dev`, `prod`). May import the model; must not import vscode.
// Read-only over the snapshot.
import { isWorkloadKind, type Json, type JsonMap, type Model, type Resource } from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { code } from './markdown';
import { nsName, type Located } from './locate';

/** A URI's folder names as written (`my%20env` → `my env`); a plain path as it is. */
function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A root's folder, without the kustomization file's name. */
function folderOf(root: string): string[] {
  const parts = root.split('/').filter((p) => p !== '');
  parts.pop();
  return parts;
}

/**
 * The short name of a root among `roots`: its folder's name (`overlays/dev` → `dev`), with as many parent
 * folders as it takes to tell it from the others (`eu/prod`, `us/prod`).
 */
export function environmentName(root: string, roots: readonly string[]): string {
  const mine = folderOf(root);
  const others = roots.filter((r) => r !== root).map(folderOf);
  for (let n = 1; n <= mine.length; n++) {
    const tail = mine.slice(-n).join('/');
    if (!others.some((o) => o.slice(-n).join('/') === tail)) return decoded(tail);
  }
  return decoded(mine.join('/')) || root;
}

/** The roots of the snapshot, sorted. */
export function rootsOf(snap: Snapshot): string[] {
  return [...snap.kustomizations]
    .filter(([, f]) => f.root)
    .map(([k]) => k)
    .sort();
}

/** Every rendering of the object written at `resource`'s document (one per root that renders it), in root order. */
export function renderingsOf(snap: Snapshot, resource: Resource): Resource[] {
  if (!resource.rendered) return [];
  const list = snap.files.get(canonicalUri(resource.file))?.resources ?? [];
  const same = list.filter((r) => r.rendered && r.file === resource.file && r.docIndex === resource.docIndex && r.span.start === resource.span.start);
  return same.sort((a, b) => (a.rendered!.root < b.rendered!.root ? -1 : a.rendered!.root > b.rendered!.root ? 1 : 0));
}

/** The value at a path of keys and indexes in an object's body. */
export function valueAt(body: JsonMap, path: readonly (string | number)[]): Json | undefined {
  let v: Json | undefined = body;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, Json>)[p];
  }
  return v;
}

/** What one rendering is, in a line: a Service's address and endpoints, a workload's pods, else the field's value. */
/** Whether the cursor is on what names the object (kind, apiVersion, metadata.name/namespace) rather than on a field. */
function onIdentity(loc: Located): boolean {
  const p = loc.path;
  return p.length === 0 || p[0] === 'kind' || p[0] === 'apiVersion' || (p[0] === 'metadata' && (p.length === 1 || p[1] === 'name' || p[1] === 'namespace'));
}

function renderingLine(m: Model, r: Resource, loc: Located): string {
  const identity = onIdentity(loc);
  if (identity && r.kind === 'Service') {
    const svc = m.index.serviceById.get(nsName(r));
    if (svc) {
      const ready = svc.endpoints.filter((e) => e.ready).length;
      const address = svc.type === 'ExternalName' ? `CNAME ${code(svc.externalName ?? '?')}` : svc.clusterIP ? code(svc.clusterIP) : 'headless';
      return `${code(svc.id)} ${address} · ${ready} endpoint${ready === 1 ? '' : 's'}`;
    }
  }
  if (identity && isWorkloadKind(r.kind)) {
    const pods = m.index.podsByOwner.get(r.id) ?? [];
    const ready = pods.filter((p) => p.ready).length;
    return `${code(nsName(r))} · ${pods.length} pod${pods.length === 1 ? '' : 's'}${ready === pods.length ? '' : ` (${ready} ready)`}`;
  }
  if (identity) return code(r.namespace ? nsName(r) : r.name);
  const v = valueAt(r.body, loc.path);
  if (v === undefined || v === null) return '*not set*';
  if (typeof v === 'object')
    return `${code(nsName(r))} · ${Array.isArray(v) ? `${v.length} item${v.length === 1 ? '' : 's'}` : `${Object.keys(v).length} field${Object.keys(v).length === 1 ? '' : 's'}`}`;
  return code(String(v));
}

/**
 * A hover section for a base file: the object under the cursor (or the field's value) in each root that
 * renders it (IN-1): `dev: dev/backend 10.43.12.7 · 2 endpoints`. Undefined for plain manifests.
 */
export function environmentsHover(snap: Snapshot, loc: Located, max = 12): string | undefined {
  const renderings = renderingsOf(snap, loc.resource);
  if (renderings.length === 0) return undefined;
  const roots = rootsOf(snap);
  const lines = renderings.slice(0, max).map((r) => `- ${code(environmentName(r.rendered!.root, roots))}: ${renderingLine(snap.model, r, loc)}`);
  if (renderings.length > max) lines.push(`- … ${renderings.length - max} more`);
  const what = onIdentity(loc) ? 'this object' : code(loc.path.join('.'));
  return [`**Per environment** — ${what} as each kustomization root renders it (IN-1):`, lines.join('\n')].join('\n\n');
}

/** The status bar's environment facts (IN-1): every root's name and the modelled ones; nothing without roots. */
export function environmentsStatus(snap: Snapshot): { environments?: { all: string[]; modelled: string[]; unmatched: string[] } } {
  const roots = rootsOf(snap);
  if (roots.length === 0) return {};
  const name = (r: string): string => environmentName(r, roots);
  return {
    environments: {
      all: roots.map(name),
      modelled: roots.filter((r) => snap.kustomizations.get(r)?.modelled !== false).map(name),
      unmatched: snap.kustomizeUnmatched,
    },
  };
}
