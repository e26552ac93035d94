// Model layer (pure): a workspace's kustomizations -> the files the model builds from (IN-1). Every root
// (a kustomization no other one references) is rendered; files a kustomization reads are modelled only
// through the roots that render them; every other file is read as it is.
import type { JsonMap, ModelDiagnostic, ParsedFile, Resource } from '../../types';
import { resourceId, isClusterScoped } from '../../core/identity';
import { computeLineStarts } from '../../core/text-positions';
import { isRemote, joinPath, isKustomizationFile, dirOf } from './paths';
import { Renderer, type KustomizeView, type RenderedObject } from './render';
import { isMap } from '../../core/typed-fields';
import { kindOf, nameOf, namespaceOf } from './objects';

export type { KustomizeView } from './render';
export { isKustomizationFile } from './paths';

export interface KustomizeOutcome {
  /** The files to build the model from: plain manifests, read-only stand-ins for consumed files, one per root. */
  files: ParsedFile[];
  /** Kustomization files of the roots, sorted. */
  roots: string[];
  /** Files a kustomization read (never modelled as plain manifests). */
  consumed: ReadonlySet<string>;
  /** Paths a kustomization asked for that the view does not hold (the CLI reads them and renders again). */
  wanted: string[];
}

/** The folders a kustomization names under `resources`, `bases` and `components` (for finding roots). */
function referencedFolders(r: Renderer, kfile: string): string[] {
  const k = r.load(kfile);
  if (!k) return [];
  const out: string[] = [];
  for (const field of ['resources', 'bases', 'components']) {
    const list = k.body[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) if (typeof item === 'string' && !isRemote(item)) out.push(joinPath(k.dir, item));
  }
  return out;
}

/**
 * Renders every kustomization root of `files` (parsed manifests, each with its text in `view.texts`).
 * `parsed` files that no kustomization reads pass through unchanged.
 */
export function applyKustomize(files: readonly ParsedFile[], view: KustomizeView): KustomizeOutcome {
  const kfiles = [...view.texts.keys()].filter(isKustomizationFile).sort();
  if (kfiles.length === 0) return { files: [...files], roots: [], consumed: new Set(), wanted: [] };
  const byFile = new Map(files.map((f) => [f.file, f]));
  const r = new Renderer({ texts: view.texts, parsed: (f) => view.parsed?.(f) ?? byFile.get(f) });
  const referenced = new Set<string>();
  for (const k of kfiles) for (const d of referencedFolders(r, k)) if (d !== dirOf(k)) referenced.add(d);
  const roots: string[] = [];
  const rendered = new Map<string, RenderedObject[]>();
  const renderAsRoot = (k: string): void => {
    roots.push(k);
    rendered.set(k, r.renderRoot(k));
  };
  for (const k of kfiles) if (!referenced.has(dirOf(k))) renderAsRoot(k);
  // Kustomizations only reachable through a cycle (or naming themselves) have no root: each is rendered
  // on its own, which reports the cycle where it is written.
  for (const k of kfiles) if (!r.visited.has(dirOf(k))) renderAsRoot(k);

  const consumed = new Set(r.read);
  for (const k of kfiles) consumed.add(k);
  const out: ParsedFile[] = [];
  for (const f of files) {
    if (!consumed.has(f.file)) out.push(f);
    else if (!roots.includes(f.file)) out.push({ file: f.file, resources: [], diagnostics: f.diagnostics, lineStarts: f.lineStarts, template: f.template });
  }
  const owner = new Map<string, string>();
  const diagnostics = [...r.diagnostics];
  for (const k of roots) {
    const resources: Resource[] = [];
    const collided = new Map<string, { count: number; example: string }>();
    for (const o of rendered.get(k) ?? []) {
      const res = toResource(r, o, k);
      if (!res) continue;
      const first = owner.get(res.id);
      if (first !== undefined && first !== k) {
        const c = collided.get(first) ?? { count: 0, example: res.id };
        c.count++;
        collided.set(first, c);
        continue;
      }
      owner.set(res.id, k);
      resources.push(res);
    }
    const rootDiagnostics: ModelDiagnostic[] = [];
    for (const [first, { count, example }] of collided) {
      rootDiagnostics.push({
        code: 'kustomize-roots-collide',
        severity: 'warning',
        rule: 'IN-5',
        message: `${k} and ${first} both render ${count} object${count === 1 ? '' : 's'} with the same identity (e.g. ${example}); applied to one cluster, the later overwrites the first. The model keeps ${first}'s. Give each environment its own \`namespace\` or \`namePrefix\`.`,
        file: k,
        span: { start: 0, end: 0 },
      });
    }
    const own = byFile.get(k);
    out.push({ file: k, resources, diagnostics: [...(own?.diagnostics ?? []), ...rootDiagnostics], lineStarts: own?.lineStarts ?? computeLineStarts(view.texts.get(k) ?? ''), template: false });
  }
  // Render diagnostics carry their own files; they ride on the first root's entry so that each is counted once.
  const firstRoot = out.find((f) => f.file === roots[0]);
  if (firstRoot && diagnostics.length) firstRoot.diagnostics = [...firstRoot.diagnostics, ...diagnostics];
  return { files: out, roots, consumed, wanted: [...r.wanted].filter((w) => !view.texts.has(w)).sort() };
}

function toResource(r: Renderer, o: RenderedObject, root: string): Resource | undefined {
  const kind = kindOf(o);
  const name = nameOf(o);
  const apiVersion = typeof o.body.apiVersion === 'string' ? o.body.apiVersion : '';
  if (!kind || !name) return undefined;
  const namespace = isClusterScoped(kind) ? '' : namespaceOf(o) || 'default';
  const res: Resource = { id: resourceId(kind, namespace, name), kind, apiVersion, name, namespace, file: o.file, docIndex: o.docIndex, body: o.body as JsonMap, span: o.span, spans: r.origins.spanIndex(o.file) };
  res.rendered = { root, setBy: o.setBy.map((s) => ({ ...s })) };
  if (!isMap(res.body)) return undefined;
  return res;
}

