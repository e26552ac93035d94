// Model layer (pure): IN-5, one object per `Kind/NS/NAME`, and the lookups the stages read made from the resources
// that remain. After an edit that adds, removes and renames no object, the last build's, with the edited files'
// resources swapped in (issue 13: at 10,000 Services the 40,000-resource map and lists made again cost ~50 ms an
// edit, and as much again in garbage collection). Must not import vscode, LSP, node:* or fs.
import type { ModelDiagnostic, ParsedFile, Resource } from '../types';
import { MemoSlot } from '../build/build-context';
import { OverlayMap } from '../core/overlay-map';
import { nameSpan } from '../core/typed-fields';

/** What dedupe makes: never changed once made (a later build that keeps it shares it). */
export interface Deduped {
  /** The first definition of each object, in file order then position (IN-5). */
  resources: Resource[];
  byId: Map<string, Resource>;
  /** The later definitions, set aside. */
  shadowed: Resource[];
  /** The IN-5 diagnostics about `shadowed`, in order. */
  duplicates: ModelDiagnostic[];
  byKind: Map<string, Resource[]>;
  byFile: Map<string, Resource[]>;
}

interface DedupeMemo {
  files?: readonly ParsedFile[];
  made?: Deduped;
  /** Where each file's first resource is in `made.resources` (files without duplicates are one run there). */
  startOf?: Map<string, number>;
  /** Ids defined more than once. */
  duplicated?: Set<string>;
}

export const DEDUPE_MEMO = new MemoSlot<DedupeMemo>('dedupe', () => ({}));

/** More edited files than this: made again (a checkout touching many files is rare and costs what it costs). */
const MAX_EDITED = 8;

/** IN-5: one object per `Kind/NS/NAME`; the first by file path, then position, wins. Yields every few files. */
export function* dedupeSteps(files: readonly ParsedFile[], memo: DedupeMemo | undefined, unitsPerStep: number): Generator<void, Deduped, void> {
  const kept = memo && (yield* keptDedupe(memo, files, unitsPerStep));
  if (kept) return kept;
  const byId = new Map<string, Resource>();
  const resources: Resource[] = [];
  const shadowed: Resource[] = [];
  const duplicates: ModelDiagnostic[] = [];
  const startOf = new Map<string, number>();
  const duplicated = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if ((i + 1) % unitsPerStep === 0) yield;
    startOf.set(f.file, resources.length);
    for (const r of f.resources) {
      const first = byId.get(r.id);
      if (first) {
        shadowed.push(r);
        duplicated.add(r.id);
        duplicates.push(duplicateDiagnostic(first, r));
        continue;
      }
      byId.set(r.id, r);
      resources.push(r);
    }
  }
  const byKind = new Map<string, Resource[]>();
  const byFile = new Map<string, Resource[]>();
  for (let i = 0; i < resources.length; i++) {
    // Two map pushes per resource: cheap units, many per step.
    if ((i + 1) % (unitsPerStep * 8) === 0) yield;
    const r = resources[i]!;
    push(byKind, r.kind, r);
    push(byFile, r.file, r);
  }
  const made = { resources, byId, shadowed, duplicates, byKind, byFile };
  if (memo) Object.assign(memo, { files, made, startOf, duplicated });
  return made;
}

function duplicateDiagnostic(first: Resource, r: Resource): ModelDiagnostic {
  const same = sameBody(first, r);
  return {
    code: 'duplicate-resource',
    // IN-5: the API server refuses nothing (`kubectl apply` of both patches one object), and
    // repositories ship alternative layouts side by side: a warning, not an error; a copy that
    // says the same thing changes nothing at all.
    severity: same ? 'info' : 'warning',
    rule: 'IN-5',
    message: same
      ? `${r.id} is already defined, identically, in ${first.file}; applying both changes nothing.`
      : `${r.id} is already defined in ${first.file}; applying both, the later one overwrites the first. The model keeps the first.`,
    file: r.file,
    span: nameSpan(r),
    subject: r.id,
  };
}

/**
 * The last build's result for `files`, with the edited files' resources in place of their previous ones, when that is
 * what a fresh dedupe gives: the same files in the same order, a few edited, each defining the same objects (ids) in
 * the same order as before, none defined twice anywhere (so nothing is set aside, before or after, because of them).
 * Every lookup then holds the same ids in the same places. Undefined otherwise.
 */
function* keptDedupe(memo: DedupeMemo, files: readonly ParsedFile[], unitsPerStep: number): Generator<void, Deduped | undefined, void> {
  const { files: before, made, startOf, duplicated } = memo;
  if (!before || !made || !startOf || !duplicated || before.length !== files.length) return undefined;
  const edited: [ParsedFile, ParsedFile][] = [];
  for (let i = 0; i < files.length; i++) {
    const was = before[i]!;
    const now = files[i]!;
    if (was === now) continue;
    if (was.file !== now.file || edited.push([was, now]) > MAX_EDITED) return undefined;
    if (was.resources.length !== now.resources.length) return undefined;
    for (let k = 0; k < now.resources.length; k++) {
      const id = now.resources[k]!.id;
      if (id !== was.resources[k]!.id || duplicated.has(id)) return undefined;
    }
  }
  if (edited.length === 0) return made;
  const resources = made.resources.slice();
  // A map flattened again (too many changes on top of it) is copied a few entries a step, as the pods stage's are.
  let copied = 0;
  const tick = (): boolean => ++copied % (unitsPerStep * 8) === 0;
  const byId = yield* OverlayMap.overSteps(
    made.byId,
    edited.reduce((n, [, now]) => n + now.resources.length, 0),
    tick,
  );
  const byKind = new Map(made.byKind);
  const copiedKinds = new Set<string>();
  const byFile = yield* OverlayMap.overSteps(made.byFile, edited.length, tick);
  for (const [was, now] of edited) {
    const start = startOf.get(now.file)!;
    for (let k = 0; k < now.resources.length; k++) {
      const old = was.resources[k]!;
      const r = now.resources[k]!;
      if (resources[start + k] !== old) return undefined;
      resources[start + k] = r;
      byId.set(r.id, r);
      let list = byKind.get(r.kind)!;
      if (!copiedKinds.has(r.kind)) {
        list = list.slice();
        byKind.set(r.kind, list);
        copiedKinds.add(r.kind);
      }
      const at = list.indexOf(old);
      if (at < 0) return undefined;
      list[at] = r;
    }
    if (now.resources.length) byFile.set(now.file, now.resources.slice());
  }
  const kept = { ...made, resources, byId, byKind, byFile };
  memo.files = files;
  memo.made = kept;
  return kept;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Whether two documents say the same thing (repositories often copy a scaffold into each recipe). */
function sameBody(a: Resource, b: Resource): boolean {
  return JSON.stringify(a.body) === JSON.stringify(b.body);
}
