// Model layer (pure): a workspace's kustomizations -> the files the model builds from (IN-1). Every root
// (a kustomization no other one references) is rendered; files a kustomization reads are modelled only
// through the roots that render them; every other file is read as it is.
import type { JsonMap, ModelDiagnostic, ParsedFile, Resource, Span } from '../../types';
import { resourceId, isClusterScoped } from '../../core/identity';
import { computeLineStarts } from '../../core/text-positions';
import { runToEnd } from '../../core/steps';
import { sameItems } from '../../core/same-items';
import { isKustomizationFile, dirOf } from './paths';
import { invalidName } from '../parse-manifests';
import { Renderer, type KustomizeView, type RenderedObject, type Trail } from './render';
import { isMap } from '../../core/typed-fields';
import { kindOf, nameOf, namespaceOf } from './objects';

export type { KustomizeView } from './render';
export { isKustomizationFile } from './paths';

export interface KustomizeOutcome {
  /** The files to build the model from: plain manifests, read-only stand-ins for consumed files, one per root. */
  files: ParsedFile[];
  /** Kustomization files of the roots, sorted. */
  roots: string[];
  /** The roots whose objects the model holds (all, unless `options.roots` narrows them), sorted. */
  modelled: string[];
  /** Entries of `options.roots` that name no root. */
  unmatched: string[];
  /** The roots rendered by this call (the others' results came from `options.cache`). */
  rendered: string[];
  /** Files a kustomization read (never modelled as plain manifests). */
  consumed: ReadonlySet<string>;
  /** Paths a kustomization asked for that the view does not hold (the CLI reads them and renders again). */
  wanted: string[];
  /** What each kustomization file renders and which roots render through it (for the editor's lens, IN-1). */
  kustomizations: Map<string, KustomizationFacts>;
}

/** One kustomization file as the roots saw it. */
export interface KustomizationFacts {
  /** Whether it is a root (no other kustomization names it). */
  root: boolean;
  /** False for a root left out of the model by `kustomize.roots` (IN-1). */
  modelled: boolean;
  /** Roots (kustomization files) that render through it, itself excluded; sorted. */
  usedBy: string[];
  /** Kinds of the objects it renders, with how many of each (a root's as modelled; a base's on its own); absent for components and unrendered ones. */
  kinds?: Record<string, number>;
}

export interface KustomizeOptions {
  /**
   * The roots to model (`kustomize.roots`): root folders, whole or by their last folders (`overlays/dev`,
   * `dev`). Empty or absent, or naming no root: every root.
   */
  roots?: readonly string[];
  /** Roots rendered by an earlier call, re-used while every text they read is unchanged (the language server keeps one). */
  cache?: KustomizeCache;
}

/** One root's rendering: its trail (what it read and said) and its objects as resources. */
interface RootResult {
  trail: Trail;
  /** Every object it renders as a resource (before roots colliding are sorted out). */
  resources: Resource[];
  kinds: string[];
}

/** Rendered roots kept between calls of applyKustomize, each valid while the texts it read are (IN-1). */
export class KustomizeCache {
  readonly roots = new Map<string, RootResult>();
  /** The kinds each non-root kustomization rendered on its own, for its lens when only cached roots use it. */
  readonly folderKinds = new Map<string, string[]>();
  /** The folders each kustomization file names, with the text they were read from. */
  readonly folderRefs = new Map<string, { text: string; folders: readonly string[] }>();
  /**
   * What each root and each file a kustomization reads was passed on as last time: the same object again while it
   * holds the same (issue 13: the model keeps what it derived from unchanged files by their identity, and 6,000
   * entries made anew every analysis made it read them all again).
   */
  readonly passedOn = new Map<string, ParsedFile>();
  readonly emptied = new WeakMap<ParsedFile, ParsedFile>();
}

/** `made`, or the entry passed on last time for its file when it holds the same (see KustomizeCache.passedOn). */
function stable(cache: KustomizeCache | undefined, made: ParsedFile): ParsedFile {
  const before = cache?.passedOn.get(made.file);
  const same =
    before !== undefined &&
    before.template === made.template &&
    sameItems(before.resources, made.resources) &&
    sameItems(before.diagnostics, made.diagnostics) &&
    sameItems(before.lineStarts, made.lineStarts);
  if (same) return before;
  cache?.passedOn.set(made.file, made);
  return made;
}

function unchanged(trail: Trail, texts: ReadonlyMap<string, string>): boolean {
  for (const [path, text] of trail.reads) if (texts.get(path) !== text) return false;
  return true;
}

/** The folders of a path, without a trailing kustomization file name, `.` and empty parts. */
function folderParts(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length && isKustomizationFile(parts[parts.length - 1]!)) parts.pop();
  return parts;
}

/** A URI's folder name as written (`my%20env` → `my env`); a plain path's as it is. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a plain path with a `%` of its own
  }
}

/** Which roots `wanted` names: a root is chosen when its folder ends with an entry's folders. */
export function chooseRoots(roots: readonly string[], wanted: readonly string[]): { chosen: Set<string>; unmatched: string[] } {
  const entries = wanted.map((w) => ({ w, parts: folderParts(w) })).filter((e) => e.parts.length > 0);
  const chosen = new Set<string>();
  const used = new Set<string>();
  for (const root of roots) {
    const mine = folderParts(root).map(decoded);
    for (const e of entries) {
      if (e.parts.length <= mine.length && e.parts.every((p, i) => p === mine[mine.length - e.parts.length + i])) {
        chosen.add(root);
        used.add(e.w);
      }
    }
  }
  const unmatched = wanted.filter((w) => !used.has(w));
  // Nothing chosen (no entry, or none matches): the model holds every root rather than none.
  if (chosen.size === 0) for (const r of roots) chosen.add(r);
  return { chosen, unmatched };
}

function countKinds(kinds: Iterable<string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of kinds) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** Kustomizations read (or roots rendered) between two yields of applyKustomizeSteps. */
const KUSTOMIZATIONS_PER_STEP = 8;
/** Files passed on (rendered into a root or not) between two yields. */
const FILES_PER_STEP = 2048;

/**
 * Renders every kustomization root of `files` (parsed manifests, each with its text in `view.texts`).
 * `parsed` files that no kustomization reads pass through unchanged.
 */
export function applyKustomize(files: readonly ParsedFile[], view: KustomizeView, options: KustomizeOptions = {}): KustomizeOutcome {
  return runToEnd(applyKustomizeSteps(files, view, options));
}

/**
 * The same, yielding every few kustomizations read and roots rendered (issue 13: the language server answers
 * requests meanwhile). A caller may stop at any yield: the cache keeps only whole renderings, each with the texts
 * it read.
 */
export function* applyKustomizeSteps(
  files: readonly ParsedFile[],
  view: KustomizeView,
  options: KustomizeOptions = {},
): Generator<void, KustomizeOutcome, void> {
  let units = 0;
  const tick = (): boolean => ++units % KUSTOMIZATIONS_PER_STEP === 0;
  const kfiles = [...view.texts.keys()].filter(isKustomizationFile).sort();
  if (kfiles.length === 0)
    return {
      files: [...files],
      roots: [],
      modelled: [],
      rendered: [],
      unmatched: [...(options.roots ?? [])],
      consumed: new Set(),
      wanted: [],
      kustomizations: new Map(),
    };
  const byFile = new Map(files.map((f) => [f.file, f]));
  const r = new Renderer({ texts: view.texts, parsed: (f) => view.parsed?.(f) ?? byFile.get(f) });
  const referenced = new Set<string>();
  for (const k of kfiles) {
    if (tick()) yield;
    for (const d of r.referencedFolders(k, options.cache?.folderRefs)) if (d !== dirOf(k)) referenced.add(d);
  }
  const roots: string[] = [];
  const results = new Map<string, RootResult>();
  const usedBy = new Map<string, string[]>();
  const renderedNow: string[] = [];
  const cache = options.cache;
  const renderAsRoot = (k: string): void => {
    roots.push(k);
    // A cached root whose every read text is unchanged renders the same: its result is kept (IN-1, an edit
    // re-renders only the roots that read the edited file).
    let result = cache?.roots.get(k);
    if (!result || !unchanged(result.trail, view.texts)) {
      const { objects, trail } = r.renderRootReaching(k);
      const resources: Resource[] = [];
      for (const o of objects) {
        const res = toResource(r, o, k);
        if (!res) continue;
        resources.push(res);
        const bad = renamedInvalid(res, o);
        if (bad) trail.diagnostics.set(`${bad.file}|${bad.span.start}|${bad.span.end}|${bad.message}`, bad);
      }
      result = { trail, resources, kinds: objects.map(kindOf) };
      renderedNow.push(k);
      cache?.roots.set(k, result);
    }
    results.set(k, result);
    for (const d of result.trail.dirs) {
      r.visited.add(d);
      if (d === dirOf(k)) continue;
      const list = usedBy.get(d);
      if (list) list.push(k);
      else usedBy.set(d, [k]);
    }
  };
  for (const k of kfiles) {
    if (referenced.has(dirOf(k))) continue;
    if (tick()) yield;
    renderAsRoot(k);
  }
  // Kustomizations only reachable through a cycle (or naming themselves) have no root: each is rendered
  // on its own, which reports the cycle where it is written.
  for (const k of kfiles) {
    if (r.visited.has(dirOf(k))) continue;
    if (tick()) yield;
    renderAsRoot(k);
  }

  const rootSet = new Set(roots);
  if (cache) for (const k of [...cache.roots.keys()]) if (!rootSet.has(k)) cache.roots.delete(k);
  if (cache) for (const k of [...cache.folderRefs.keys()]) if (!view.texts.has(k)) cache.folderRefs.delete(k);
  const consumed = new Set(r.read);
  for (const k of kfiles) consumed.add(k);
  const said = new Map<string, ModelDiagnostic>();
  const wanted = new Set(r.wanted);
  for (const { trail } of results.values()) {
    for (const f of trail.consumed) consumed.add(f);
    for (const w of trail.wanted) wanted.add(w);
    for (const [key, d] of trail.diagnostics) if (!said.has(key)) said.set(key, d);
  }
  const out: ParsedFile[] = [];
  for (let i = 0; i < files.length; i++) {
    // Ten thousand files passed on are a step's worth (issue 13).
    if ((i + 1) % FILES_PER_STEP === 0) yield;
    const f = files[i]!;
    if (!consumed.has(f.file)) out.push(f);
    else if (!rootSet.has(f.file)) {
      let emptied = cache?.emptied.get(f);
      if (!emptied) {
        emptied = { file: f.file, resources: [], diagnostics: f.diagnostics, lineStarts: f.lineStarts, template: f.template };
        cache?.emptied.set(f, emptied);
      }
      out.push(emptied);
    }
  }
  const owner = new Map<string, string>();
  const diagnostics = [...said.values()];
  const { chosen, unmatched } = chooseRoots(roots, options.roots ?? []);
  for (const k of roots) {
    if (tick()) yield;
    const resources: Resource[] = [];
    if (!chosen.has(k)) {
      // Rendered all the same (what it reads is still no plain manifest, its own problems still count), not modelled.
      const own = byFile.get(k);
      out.push(
        stable(cache, {
          file: k,
          resources,
          diagnostics: own?.diagnostics ?? [],
          lineStarts: own?.lineStarts ?? computeLineStarts(view.texts.get(k) ?? ''),
          template: false,
        }),
      );
      continue;
    }
    const collided = new Map<string, { count: number; example: string }>();
    for (const res of results.get(k)?.resources ?? []) {
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
    out.push(
      stable(cache, {
        file: k,
        resources,
        diagnostics: [...(own?.diagnostics ?? []), ...rootDiagnostics],
        lineStarts: own?.lineStarts ?? computeLineStarts(view.texts.get(k) ?? ''),
        template: false,
      }),
    );
  }
  if (cache) for (const k of [...cache.passedOn.keys()]) if (!rootSet.has(k)) cache.passedOn.delete(k);
  // Render diagnostics carry their own files; they ride on the first root's entry so that each is counted once (a
  // copy: the entry may be kept for the next analysis).
  const firstAt = out.findIndex((f) => f.file === roots[0]);
  if (firstAt >= 0 && diagnostics.length) out[firstAt] = { ...out[firstAt]!, diagnostics: [...out[firstAt]!.diagnostics, ...diagnostics] };
  const kustomizations = new Map<string, KustomizationFacts>();
  for (const k of kfiles) {
    if (tick()) yield;
    const isRoot = rootSet.has(k);
    const facts: KustomizationFacts = { root: isRoot, modelled: !isRoot || chosen.has(k), usedBy: [...new Set(usedBy.get(dirOf(k)) ?? [])].sort() };
    let kinds = isRoot ? results.get(k)?.kinds : r.renderedFolder(dirOf(k))?.map(kindOf);
    // A base only cached roots render was not rendered now: what it rendered last time (its texts are unchanged).
    if (!isRoot) {
      if (kinds) cache?.folderKinds.set(k, kinds);
      else kinds = cache?.folderKinds.get(k);
    }
    if (kinds) facts.kinds = countKinds(kinds);
    kustomizations.set(k, facts);
  }
  return {
    files: out,
    roots,
    modelled: roots.filter((k) => chosen.has(k)),
    rendered: renderedNow,
    unmatched,
    consumed,
    wanted: [...wanted].filter((w) => !view.texts.has(w)).sort(),
    kustomizations,
  };
}

/**
 * IN-3: a name a namePrefix or nameSuffix made invalid (too long, an invalid character) is an error on that
 * kustomization line: the API server rejects the object. A name invalid as written is the base's own error.
 */
function renamedInvalid(res: Resource, o: RenderedObject): ModelDiagnostic | undefined {
  const original = o.names[0] ?? res.name;
  if (original === res.name || invalidName(res.kind, original) !== null) return undefined;
  const why = invalidName(res.kind, res.name);
  const by = [...o.setBy].reverse().find((s) => s.field !== 'namespace');
  if (!why || !by) return undefined;
  return {
    code: 'invalid-field',
    severity: 'error',
    rule: 'IN-3',
    message: `metadata.name "${res.name}" (${original} renamed by ${by.field}) ${why}; the API server rejects this ${res.kind}.`,
    file: by.file,
    span: by.span,
    subject: res.id,
  };
}

function toResource(r: Renderer, o: RenderedObject, root: string): Resource | undefined {
  const kind = kindOf(o);
  const name = nameOf(o);
  const apiVersion = typeof o.body.apiVersion === 'string' ? o.body.apiVersion : '';
  if (!kind || !name) return undefined;
  const namespace = isClusterScoped(kind) ? '' : namespaceOf(o) || 'default';
  const res: Resource = {
    id: resourceId(kind, namespace, name),
    kind,
    apiVersion,
    name,
    namespace,
    file: o.file,
    docIndex: o.docIndex,
    body: o.body as JsonMap,
    span: o.span,
    spans: r.origins.spanIndex(o.file),
  };
  // The object is the root's own (folders' objects are cloned for each root), and its records are never changed.
  res.rendered = { root, setBy: o.setBy, patchedBy: o.patchedBy };
  if (!isMap(res.body)) return undefined;
  return res;
}

/**
 * IN-1 source mapping: a diagnostic whose span a rendered object tagged with another file (a patch line,
 * the kustomization line that set the field) is moved to that file; so are its quick-fix edits. Other
 * diagnostics are returned as they are.
 */
export function relocateDiagnostics(diagnostics: ModelDiagnostic[]): ModelDiagnostic[] {
  const plain = (s: Span): Span => ({ start: s.start, end: s.end });
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i]!;
    const moved = d.span.file !== undefined || d.fixes?.some((f) => f.edits.some((e) => e.span.file !== undefined));
    if (!moved) continue;
    const out: ModelDiagnostic = { ...d, file: d.span.file ?? d.file, span: plain(d.span) };
    if (d.fixes) out.fixes = d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, file: e.span.file ?? e.file, span: plain(e.span) })) }));
    diagnostics[i] = out;
  }
  return diagnostics;
}
