// Model layer (pure): what makes a rebuild incremental. Must not import vscode, LSP, node:* or fs.
//
// A build with a BuildMemo keeps, per stage, each key's result (a Service's endpoints, a policy) together with
// the inputs it read (Resource objects, earlier stages' results, per-namespace lists), compared by identity on
// the next build: a key is computed again only when one of its inputs is another object. Unchanged inputs are
// the same objects from build to build because every stage hands on what it kept: the parse cache keeps a
// file's Resource objects, the pods stage its PodInfo objects, the Services stage its ServiceInfo objects, and
// `internedList` keeps a list (a namespace's pods) while its items are the same. So a change set flows from
// stage to stage as "which objects are new", without a stage having to name what changed.
//
// Kept values are never mutated once kept: a stage that must change a kept object (the endpoints of a kept
// Service whose pods changed) works on a copy (`copyOf`). The previous model stays valid as it was.
import type { ModelDiagnostic, PodInfo } from '../types';
import { type BuildContext, MemoSlot, memoOf } from './build-context';
import { PodIndex } from './pod-index';
import { runToEnd } from '../core/steps';
import { sameItems } from '../core/same-items';

export { sameItems };

/**
 * Deep equality of plain data, keys in the same order; a `source` (a manifest, or a map in one) is compared by
 * identity. Keys in `skip` are not compared, nor read (at the top level only).
 */
export function samePlain(a: unknown, b: unknown, skip?: ReadonlySet<string>): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    if (skip?.has(k)) continue;
    const va = (a as Record<string, unknown>)[k];
    const vb = (b as Record<string, unknown>)[k];
    if (k === 'source' ? va !== vb : !samePlain(va, vb)) return false;
  }
  return true;
}

/** A result's inputs, or what lists them given the result (see KeyedResults.get). */
type Deps<T> = readonly unknown[] | ((value: T) => readonly unknown[]);

function inputsOf<T>(deps: Deps<T>, value: T): readonly unknown[] {
  return typeof deps === 'function' ? deps(value) : deps;
}

/** One key's result and the inputs it was computed from (and the guard it was last checked with). */
interface Kept<T> {
  deps: readonly unknown[];
  value: T;
  guard?: readonly unknown[];
}

/**
 * Results per key from the previous build, each with the inputs it read. `get` reuses a result whose inputs
 * are all the same objects (or equal primitives) and computes the others. `settle` ends the stage's build:
 * keys not asked for are forgotten (deleted objects free their results).
 */
export class KeyedResults<T> {
  private prev = new Map<string, Kept<T>>();
  private next = new Map<string, Kept<T>>();
  /** Keys computed (not reused) since the last settle: for tests and the bench. */
  computed = 0;

  /**
   * The result for `key`. `deps` lists the inputs; as a function, it is given the result whose inputs it lists
   * (the kept one when checking, the new one when keeping), for inputs that depend on what the result found.
   * `guard`, given the same way, lists inputs that are cheaper to list than `deps` and that decide them (the
   * same guard means the same deps: a namespace's pods decide which of them a selector picks): a result whose
   * guard is the same as when it was last asked for is reused without listing its deps.
   */
  get(key: string, deps: Deps<T>, compute: () => T, guard?: (value: T) => readonly unknown[]): T {
    const kept = this.reused(key, deps, guard);
    if (kept) return kept.value;
    return this.keep(key, deps, compute(), guard);
  }

  /** `get` for a result computed a step at a time (one that may take a long step's work by itself). */
  *getSteps(key: string, deps: Deps<T>, compute: () => Generator<void, T, void>, guard?: (value: T) => readonly unknown[]): Generator<void, T, void> {
    const kept = this.reused(key, deps, guard);
    if (kept) return kept.value;
    return this.keep(key, deps, yield* compute(), guard);
  }

  /** The kept result, when its guard or its inputs say it still holds (then kept for the next build too). */
  private reused(key: string, deps: Deps<T>, guard: ((value: T) => readonly unknown[]) | undefined): { value: T } | undefined {
    const kept = this.prev.get(key);
    if (!kept) return undefined;
    const keptGuard = guard?.(kept.value);
    const holds = keptGuard && kept.guard ? guardHolds(kept.guard, keptGuard) : false;
    if (!holds && !sameItems(kept.deps, inputsOf(deps, kept.value))) return undefined;
    // The result holds for the guard listed now as it did for the kept one: the record takes the new one (a build
    // dropped half-way leaves records that are true of both).
    if (keptGuard && holds !== 'same') kept.guard = plainGuard(keptGuard);
    this.next.set(key, kept);
    return kept;
  }

  private keep(key: string, deps: Deps<T>, value: T, guard: ((value: T) => readonly unknown[]) | undefined): T {
    this.computed++;
    this.next.set(key, { deps: inputsOf(deps, value), value, ...(guard ? { guard: plainGuard(guard(value)) } : {}) });
    return value;
  }

  /** The result `key` had when the last build ended (whether or not this build reuses it). */
  previous(key: string): T | undefined {
    return this.prev.get(key)?.value;
  }

  settle(): void {
    this.prev = this.next;
    this.next = new Map();
  }
}

/**
 * A guard item (KeyedResults.get) for a list of which a result reads only some items, in order (the pods of a
 * namespace that a Service selects): while the list is another object, the result still holds if no item that
 * `ListChanges.between` finds changed `matters` to it. Kept in the guard as the list itself. Issue 13: an edit that
 * re-addresses a few pods of most namespaces (a DaemonSet's pod on a full node) would otherwise make every Service of
 * those namespaces list its inputs again.
 */
export class NarrowedList<T> {
  constructor(
    readonly list: readonly T[],
    readonly matters: (item: T) => boolean,
    readonly changes: ListChanges<T>,
  ) {}
}

/**
 * Whether a kept guard (lists in place of NarrowedLists) still holds for the guard listed now: 'same' when every item
 * is the kept one, 'narrowed' when a NarrowedList's list changed in no item that matters.
 */
function guardHolds(kept: readonly unknown[], now: readonly unknown[]): 'same' | 'narrowed' | false {
  if (kept.length !== now.length) return false;
  let holds: 'same' | 'narrowed' = 'same';
  for (let i = 0; i < now.length; i++) {
    const item = now[i];
    const before = kept[i];
    if (item instanceof NarrowedList) {
      if (before === item.list) continue;
      if (!Array.isArray(before) || (item.changes.between(before, item.list) as readonly unknown[]).some(item.matters)) return false;
      holds = 'narrowed';
    } else if (!Object.is(before, item)) return false;
  }
  return holds;
}

/** The guard as it is kept: a NarrowedList as its list. */
function plainGuard(guard: readonly unknown[]): readonly unknown[] {
  return guard.some((x) => x instanceof NarrowedList) ? guard.map((x) => (x instanceof NarrowedList ? x.list : x)) : guard;
}

/**
 * Which items of two lists may differ, remembered per list for the one it was last compared with. Lists compared
 * here are never changed once made (interned lists, build/incremental.ts), so an answer holds from build to build.
 */
export class ListChanges<T> {
  private readonly made = new WeakMap<readonly T[], { after: readonly T[]; changed: readonly T[] }>();

  /**
   * Items such that, whatever subset of items a reader takes (same filter on both lists), its items in `before` and in
   * `after` are the same in the same order when none of these is taken: of same-length lists, the items that differ
   * at a position (both of them); otherwise the items in one list only, when the items in both keep their order;
   * otherwise all of them.
   */
  between(before: readonly T[], after: readonly T[]): readonly T[] {
    const known = this.made.get(before);
    if (known?.after === after) return known.changed;
    const changed = before.length === after.length ? changedAtPositions(before, after) : changedAsSets(before, after);
    this.made.set(before, { after, changed });
    return changed;
  }
}

function changedAtPositions<T>(before: readonly T[], after: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) out.push(before[i]!, after[i]!);
  return out;
}

function changedAsSets<T>(before: readonly T[], after: readonly T[]): readonly T[] {
  const inBefore = new Set(before);
  const inAfter = new Set(after);
  const out: T[] = [];
  for (const x of before) if (!inAfter.has(x)) out.push(x);
  for (const x of after) if (!inBefore.has(x)) out.push(x);
  // The items in both must come in the same order in both, else a reader of them would see them moved.
  let j = 0;
  for (const x of before) {
    if (!inAfter.has(x)) continue;
    while (!inBefore.has(after[j]!)) j++;
    if (after[j] !== x) return [...before, ...after];
    j++;
  }
  return out;
}

/** A key's result and the diagnostics computing it reported, replayed in order when the result is reused. */
export interface WithDiagnostics<T> {
  value: T;
  diagnostics: readonly ModelDiagnostic[];
}

/** Computes `compute` with a fresh diagnostics list, for a KeyedResults entry. */
export function collecting<T>(compute: (out: ModelDiagnostic[]) => T): WithDiagnostics<T> {
  const diagnostics: ModelDiagnostic[] = [];
  const value = compute(diagnostics);
  return { value, diagnostics };
}

/** `collecting` for a computation made a step at a time. */
export function* collectingSteps<T>(compute: (out: ModelDiagnostic[]) => Generator<void, T, void>): Generator<void, WithDiagnostics<T>, void> {
  const diagnostics: ModelDiagnostic[] = [];
  const value = yield* compute(diagnostics);
  return { value, diagnostics };
}

/**
 * Lists kept between builds by name: `intern` gives back the previous build's list when its items are the
 * same, so that the list itself can be another key's input.
 */
export class ListInterner<T> {
  private prev = new Map<string, readonly T[]>();
  private next = new Map<string, readonly T[]>();

  intern(name: string, items: readonly T[]): readonly T[] {
    const kept = this.prev.get(name);
    const list = kept && sameItems(kept, items) ? kept : items;
    this.next.set(name, list);
    return list;
  }

  settle(): void {
    this.prev = this.next;
    this.next = new Map();
  }
}

/**
 * What the build shares between stages about pods: a pod copied by the DNS stage (its service-link
 * environment changed, DNS-5) is the same pod for every other stage, which read only its other fields.
 * `coreOf` gives the pods stage's object a copy was made from, so inputs stay the same objects.
 */
export interface PodCores {
  readonly copiedFrom: WeakMap<PodInfo, PodInfo>;
  /** Pods by namespace (cores, in pod order), interned per build: the input of per-Service and per-policy results. */
  readonly byNamespace: ListInterner<PodInfo>;
  /** What changed between two of those lists (NarrowedList guards of per-Service results). */
  readonly changes: ListChanges<PodInfo>;
  /** The pods array the lists were made from in this build. */
  madeFrom?: readonly PodInfo[];
  lists?: Map<string, readonly PodInfo[]>;
  /** The same object while every namespace's list is the same: the input of results that read all pods. */
  all: object;
  /** The pod index made from `all`'s pods, shared by the builds that keep them. */
  index?: { all: object; index: PodIndex };
}

export const POD_CORES = new MemoSlot<PodCores>('pod cores', () => ({
  copiedFrom: new WeakMap(),
  byNamespace: new ListInterner(),
  changes: new ListChanges(),
  all: {},
}));

/** The pods stage's object behind a pod (itself, unless the DNS stage copied it). */
export function coreOf(cores: PodCores | undefined, pod: PodInfo): PodInfo {
  return cores?.copiedFrom.get(pod) ?? pod;
}

const NO_PODS: readonly PodInfo[] = [];

/**
 * The pods of a namespace as the pods stage made them, in pod order; the same list object as the previous
 * build's when its pods are the same. Without a memo, a fresh list (nothing compares it).
 */
export function namespacePods(ctx: BuildContext, ns: string): readonly PodInfo[] {
  const cores = memoOf(ctx, POD_CORES);
  if (!cores) return ctx.pods.filter((p) => p.namespace === ns);
  return podCores(ctx, cores).get(ns) ?? NO_PODS;
}

/**
 * A guard item for a result that reads only the pods of `ns` that `matters` accepts (see NarrowedList); without a memo
 * the namespace's pods (nothing compares them).
 */
export function narrowedPods(ctx: BuildContext, ns: string, matters: (pod: PodInfo) => boolean): NarrowedList<PodInfo> | readonly PodInfo[] {
  const cores = memoOf(ctx, POD_CORES);
  const list = namespacePods(ctx, ns);
  return cores ? new NarrowedList(list, matters, cores.changes) : list;
}

/** `pods` as the pods stage made them (see coreOf): inputs that stay the same objects while the pods do. */
export function podCoresOf(ctx: BuildContext, pods: readonly PodInfo[]): PodInfo[] {
  const cores = memoOf(ctx, POD_CORES);
  return pods.map((p) => coreOf(cores, p));
}

/** Each namespace's pods as the pods stage made them (see namespacePods); undefined without a memo. */
export function podsByNamespace(ctx: BuildContext): ReadonlyMap<string, readonly PodInfo[]> | undefined {
  const cores = memoOf(ctx, POD_CORES);
  return cores && podCores(ctx, cores);
}

/** Every pod as the pods stage made them: an object that stays the same while they do (see PodCores.all). */
export function allPods(ctx: BuildContext): object {
  const cores = memoOf(ctx, POD_CORES);
  if (!cores) return {};
  podCores(ctx, cores);
  return cores.all;
}

/** The pod index (after the pods stage); with a memo, the previous build's while the pods are the same. */
export function podIndexOf(ctx: BuildContext): PodIndex {
  // Asked per Service and per policy: no generator made once the index is there.
  return ctx.podIndex ?? runToEnd(podIndexSteps(ctx, () => false));
}

/**
 * podIndexOf a step at a time (`tick` says when): the first read after the pods stage groups every pod and indexes
 * the namespaces whose pods changed, O(pods) at 150,000 pods (issue 13: a request waits for one step). Whatever a
 * caller drops half-way was never kept.
 */
export function* podIndexSteps(ctx: BuildContext, tick: () => boolean): Generator<void, PodIndex, void> {
  if (ctx.podIndex) return ctx.podIndex;
  const cores = memoOf(ctx, POD_CORES);
  if (!cores) return (ctx.podIndex = yield* PodIndex.made(ctx.pods, undefined, tick));
  yield* podCoresSteps(ctx, tick);
  // A namespace whose pods are the previous index's keeps its part of that index (an edit changes one namespace).
  if (cores.index?.all !== cores.all) cores.index = { all: cores.all, index: yield* PodIndex.ofNamespaces(ctx.pods, cores.lists!, cores.index?.index, tick) };
  return (ctx.podIndex = cores.index.index);
}

function podCores(ctx: BuildContext, cores: PodCores): Map<string, readonly PodInfo[]> {
  // Asked per Service and per policy: no generator made once the lists are there.
  if (!coresMade(ctx, cores)) runToEnd(podCoresSteps(ctx, () => false));
  return cores.lists!;
}

/** Whether the pod cores' lists are those of this build's pods. */
function coresMade(ctx: BuildContext, cores: PodCores): boolean {
  return cores.madeFrom === ctx.pods && cores.lists !== undefined;
}

/** The pods of each namespace as the pods stage made them (see namespacePods), grouped a step at a time. */
export function* podCoresSteps(ctx: BuildContext, tick: () => boolean): Generator<void, void, void> {
  const cores = memoOf(ctx, POD_CORES);
  if (!cores || coresMade(ctx, cores)) return;
  const grouped = new Map<string, PodInfo[]>();
  // Indexed, not for-of: in a generator V8 makes an iterator result per item of a for-of (~5 MB of garbage a walk of
  // 150,000 pods, and three times the time); the stages' walks of every pod or Service are written so (issue 13).
  const pods = ctx.pods;
  for (let pi = 0; pi < pods.length; pi++) {
    const p = pods[pi]!;
    if (tick()) yield;
    const core = coreOf(cores, p);
    const list = grouped.get(p.namespace);
    if (list) list.push(core);
    else grouped.set(p.namespace, [core]);
  }
  // No yield from here on: the interner and the lists change together.
  const lists = new Map<string, readonly PodInfo[]>();
  let same = cores.lists !== undefined && cores.lists.size === grouped.size;
  for (const [name, list] of grouped) {
    const kept = cores.byNamespace.intern(name, list);
    lists.set(name, kept);
    if (same && cores.lists!.get(name) !== kept) same = false;
  }
  cores.byNamespace.settle();
  if (!same) cores.all = {};
  cores.madeFrom = ctx.pods;
  cores.lists = lists;
}

/**
 * IN-5: the definitions set aside as duplicates and the kept definition of each, as inputs of results whose
 * "matches nothing" message names them (shadowed-duplicates.ts). Usually none.
 */
export function shadowedInputs(ctx: BuildContext): unknown[] {
  if (ctx.shadowed.length === 0) return [0];
  return [ctx.shadowed.length, ...ctx.shadowed, ...ctx.shadowed.map((r) => ctx.index.resourceById.get(r.id))];
}

/** A shallow copy that keeps the key order (the model's JSON is compared byte for byte). */
export function copyOf<T extends object>(obj: T): T {
  return { ...obj };
}
