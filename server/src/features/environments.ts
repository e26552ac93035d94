// Server layer: kustomize environments (IN-1) — a base file's object as each root renders it, for hovers and
// go-to-definition, and the short names of roots (`dev`, `prod`). May import the model; must not import vscode.
// Read-only over the snapshot.
import { isWorkloadKind, type Json, type JsonMap, type Model, type Resource, type Span } from '../model/index';
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
  const what = onIdentity(loc) ? 'this object' : code(loc.path.join('.'));
  return perEnvironment(
    snap,
    renderings.map((r) => ({ ...loc, resource: r })),
    `${what} as each kustomization root renders it`,
    max,
  );
}

/** One line per rendering (`- dev: …`), under a title; the root's short name, or the object's too when a root renders several. */
function perEnvironment(snap: Snapshot, locs: readonly (Located & { from?: string })[], title: string, max: number): string {
  const roots = rootsOf(snap);
  const perRoot = new Map<string, number>();
  for (const l of locs) perRoot.set(l.resource.rendered!.root, (perRoot.get(l.resource.rendered!.root) ?? 0) + 1);
  const lines = locs.slice(0, max).map((l) => {
    const root = l.resource.rendered!.root;
    const env = code(environmentName(root, roots));
    const which = (perRoot.get(root) ?? 0) > 1 ? ` ${code(nsName(l.resource))}` : '';
    const from = l.from === undefined ? '' : ` (set after the patch, in ${code(shortPath(l.from))})`;
    return `- ${env}${which}: ${renderingLine(snap.model, l.resource, l)}${from}`;
  });
  if (locs.length > max) lines.push(`- … ${locs.length - max} more`);
  return [`**Per environment** — ${title} (IN-1):`, lines.join('\n')].join('\n\n');
}

/** A file's last two path parts (`dev/kustomization.yaml`), decoded. */
function shortPath(file: string): string {
  return decoded(file.split('/').slice(-2).join('/'));
}

/** `s` holds `offset` and is written in the file `uri` (a rendered field's span tagged with its patch file). */
function inFile(s: Span | undefined, uri: string, offset: number): s is Span {
  return s !== undefined && s.file !== undefined && canonicalUri(s.file) === uri && offset >= s.start && offset <= s.end;
}

/** The field of a rendered object that the patch line at `offset` in `uri` wrote, found through the object's source spans. */
function writtenBy(r: Resource, uri: string, offset: number): Located | undefined {
  const path: (string | number)[] = [];
  const containers: (JsonMap | Json[])[] = [];
  const walk = (c: JsonMap | Json[], depth: number): Located | undefined => {
    if (depth > 100) return undefined;
    const keys: (string | number)[] = Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c);
    for (const k of keys) {
      const v = (c as Record<string | number, Json>)[k];
      const e = r.spans.entry(c, k);
      path.push(k);
      containers.push(c);
      const onKey = inFile(e?.key, uri, offset);
      if (onKey || inFile(e?.value, uri, offset)) {
        // The innermost entry: a map or list the patch wrote whole may hold the line itself.
        const deeper = v !== null && typeof v === 'object' && !onKey ? walk(v, depth + 1) : undefined;
        if (deeper) return deeper;
        const at = onKey ? e!.key! : e!.value;
        return { resource: r, path: [...path], containers: [...containers], value: v, onKey, span: { start: at.start, end: at.end } };
      }
      const deeper = v !== null && typeof v === 'object' ? walk(v, depth + 1) : undefined;
      path.pop();
      containers.pop();
      if (deeper) return deeper;
    }
    return undefined;
  };
  return walk(r.body, 0);
}

/**
 * A hover in a kustomize patch file (strategic merge or JSON 6902, IN-1): the field the patch line sets, as each
 * root that applies the patch renders it (`dev: 3`, `staging: 3`). Found through the rendered objects' source
 * spans, so a line a later transformer overrode (an `images:` tag over a patched image) is not claimed. Undefined
 * when no modelled root's object took its value from this line.
 */
export function patchHover(snap: Snapshot, uri: string, offset: number, max = 12): { markdown: string; span: Span } | undefined {
  const patched: Resource[] = [];
  const mapped: Located[] = [];
  for (const f of snap.files.values()) {
    for (const r of f.resources) {
      if (!r.rendered?.patchedBy.some((p) => canonicalUri(p.file) === uri && offset >= p.span.start && offset <= p.span.end)) continue;
      patched.push(r);
      const loc = writtenBy(r, uri, offset);
      if (loc) mapped.push(loc);
    }
  }
  const first = mapped[0];
  if (!first) return undefined;
  // Roots that applied the patch and then changed the field again (an overlay's `replicas:` over a component's
  // patch): the value they render, and where it was set.
  const locs = patched.map((r) => mapped.find((l) => l.resource === r) ?? overridden(r, first.path));
  const byRoot = (a: Located, b: Located): number =>
    a.resource.rendered!.root < b.resource.rendered!.root ? -1 : a.resource.rendered!.root > b.resource.rendered!.root ? 1 : 0;
  locs.sort(byRoot);
  return {
    markdown: perEnvironment(snap, locs, `${code(first.path.join('.'))} as each kustomization root that applies this patch renders it`, max),
    span: first.span,
  };
}

/** The field at `path` of an object whose value there came from elsewhere than the patch, noting where. */
function overridden(r: Resource, path: readonly (string | number)[]): Located & { from?: string } {
  const containers: (JsonMap | Json[])[] = [];
  let c: Json | undefined = r.body;
  for (const k of path.slice(0, -1)) {
    if (c === null || typeof c !== 'object') break;
    containers.push(c);
    c = (c as Record<string | number, Json>)[k];
  }
  const last = path[path.length - 1];
  const e = c !== null && typeof c === 'object' && last !== undefined ? r.spans.entry(c, last) : undefined;
  return { resource: r, path: [...path], containers, value: valueAt(r.body, path), onKey: false, span: r.span, from: e ? (e.value.file ?? r.file) : undefined };
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
