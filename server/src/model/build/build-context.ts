// Model layer (pure): the working state shared by the build stages. Must not import vscode, LSP, node:* or fs.
import type { DnsRecord, Model, Resource } from '../types';
import type { PodIndex } from './pod-index';
import { customResourcesByNamespace, countsAsCustomResource } from '../input/operated-kinds';
import { sameItemsBy } from '../core/same-items';

/**
 * What one build leaves for the next, owned by the caller (the language server keeps one per
 * workspace): results that depend only on a Resource object and inputs checked on use, so that a
 * build with a memo gives the same model as one without (test/unit/memo.test.ts). Each stage keeps
 * its own slot, typed by the stage (a `MemoSlot` it declares), so this early folder names no later one.
 */
export interface BuildMemo {
  readonly slots: Map<MemoSlot<unknown>, unknown>;
  /** The profile the slots were filled under, as JSON: every stage reads the profile, so a new one empties them. */
  profileKey?: string;
}

/** A stage's place in the memo: `make` gives its empty value. */
export class MemoSlot<T> {
  constructor(
    readonly name: string,
    readonly make: () => T,
  ) {}
}

export function createBuildMemo(): BuildMemo {
  return { slots: new Map() };
}

/** The stage's memo value, made on first use; undefined when the caller keeps no memo. */
export function memoOf<T>(ctx: BuildContext, slot: MemoSlot<T>): T | undefined {
  return ctx.memo && slotOf(ctx.memo, slot);
}

/** memoOf for a memo not yet in a context (what the build does before its first stage). */
export function slotOf<T>(memo: BuildMemo, slot: MemoSlot<T>): T {
  // The only writer of a slot's entry is this function, with `slot.make()`: the value is a T.
  let value = memo.slots.get(slot) as T | undefined;
  if (value === undefined) {
    value = slot.make();
    memo.slots.set(slot, value);
  }
  return value;
}

/**
 * Filled stage by stage inside one `buildModel` call, in the order of `STAGES` (pipeline/build-model.ts); each
 * stage reads what earlier ones wrote. It never outlives the call: the result is a `Model`.
 */
export interface BuildContext extends Omit<Model, 'files'> {
  byKind: Map<string, Resource[]>;
  /** IN-5: the later definitions of duplicate identities, which the model sets aside (the first wins). */
  shadowed: Resource[];
  /** Stays empty: the DNS stage sets `dnsZone` instead, which the model reads on first access. */
  dns: DnsRecord[];
  /**
   * The zone, computed on first call (DNS stage). A function, not a lazy `dns` property, because the
   * crosschecks stage spreads the context into a Model, which would read such a property at once.
   */
  dnsZone?: () => DnsRecord[];
  /** Carried over from the previous build of the same workspace, if the caller keeps one. */
  memo?: BuildMemo;
  /** Pods by namespace and label, made on first use after the pods stage; later stages share it. */
  podIndex?: PodIndex;
  /** IN-6: custom resources by namespace, made on first use. */
  customByNamespace?: Map<string, Resource[]>;
  /** Units of work a long stage does between two yields (UNITS_PER_STEP unless a test asks for finer steps). */
  unitsPerStep?: number;
}

/** Pods, Services, policies… a long stage handles between two yields (see Stage in pipeline/build-model.ts). */
export const UNITS_PER_STEP = 64;

/** The finest weight a unit of work can have in stepCounter is one part in this many. */
const UNIT_PARTS = 16;

/**
 * A count of units of work for a stage that yields as it goes: `tick()` is true once `ctx.unitsPerStep` units have
 * been counted since the last time, where the stage yields so that its caller gets a turn (the language server
 * answers requests). A unit that does several units' work (a Service's endpoints read its pods) counts `weight`.
 * It counts, it does not time: the model reads no clock, and where it yields changes nothing it computes.
 */
export function stepCounter(ctx: BuildContext, weight = 1): () => boolean {
  // Counted in sixteenths of a unit, as small integers: a fractional count kept in a closure is a heap number made
  // anew on every tick (issue 13: ~8 MB of garbage per analysis at 10,000 Services, from loops of 1/16-unit ticks).
  const every = (ctx.unitsPerStep ?? UNITS_PER_STEP) * UNIT_PARTS;
  const step = Math.max(1, Math.round(weight * UNIT_PARTS));
  let n = 0;
  return () => {
    n += step;
    if (n < every) return false;
    n = 0;
    return true;
  };
}

/** IN-6: the custom resources of a namespace (operators' objects that may create pods). */
export function customResourcesIn(ctx: BuildContext, namespace: string): Resource[] {
  return (ctx.customByNamespace ??= keptCustomResources(ctx)).get(namespace) ?? [];
}

/** The custom resources by namespace the last build found, and the resources it found them among. */
const CUSTOM_RESOURCES_MEMO = new MemoSlot<{ resources?: readonly Resource[]; byNamespace?: Map<string, Resource[]> }>('custom resources', () => ({}));

/**
 * customResourcesByNamespace, the last build's while the resources differ only where neither the old nor the new
 * object is a custom resource (an edit of a Deployment): a walk comparing objects instead of reading each one's group
 * and namespace (issue 13: 40,000 resources at 10,000 Services).
 */
function keptCustomResources(ctx: BuildContext): Map<string, Resource[]> {
  const memo = memoOf(ctx, CUSTOM_RESOURCES_MEMO);
  if (memo?.resources && memo.byNamespace && sameCustomResources(memo.resources, ctx.resources)) {
    memo.resources = ctx.resources;
    return memo.byNamespace;
  }
  const made = customResourcesByNamespace(ctx.resources);
  if (memo) {
    memo.resources = ctx.resources;
    memo.byNamespace = made;
  }
  return made;
}

function sameCustomResources(before: readonly Resource[], now: readonly Resource[]): boolean {
  return sameItemsBy(before, now, (a, b) => !countsAsCustomResource(a) && !countsAsCustomResource(b));
}

export function ofKind(ctx: BuildContext, kind: string): Resource[] {
  return ctx.byKind.get(kind) ?? [];
}

/**
 * Makes `obj[key]` computed on first read and a plain data property from then on (a write before
 * that replaces it too). For parts of the snapshot that are costly and rarely read (the DNS zone,
 * service-link variables): the editor rebuilds the model after every edit and mostly never looks.
 * Deterministic all the same: `compute` may only read what is final once the build returns (the
 * snapshot is immutable), so the value does not depend on when it is first read. Redefining an
 * existing key keeps its place in the key order, so serialised output is unchanged.
 */
export function lazyProperty<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
  const settle = (target: T, value: T[K]): void => {
    Object.defineProperty(target, key, { value, configurable: true, enumerable: true, writable: true });
  };
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get(this: T): T[K] {
      const value = compute();
      settle(this, value);
      return value;
    },
    set(this: T, value: T[K]) {
      settle(this, value);
    },
  });
}
