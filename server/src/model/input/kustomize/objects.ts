// Model layer (pure): the objects a kustomization renders, as copies of their sources that remember where
// each map and list came from, so that a rendered field still points at the line that wrote it.
import { isMap } from '../../core/typed-fields';
import type { Json, JsonMap, SpanIndex, Span, EntrySpans } from '../../types';

/** Where a copied container was written: the source container, its file and that file's span index. */
interface Origin {
  source: JsonMap | Json[];
  file: string;
  spans: SpanIndex;
}

/**
 * One object on its way through a kustomization. Its body shares containers with its source (the parsed file, a
 * base folder's rendering) until a transformer changes them: a container is changed in place only when the
 * object owns it (copy-on-write, see Origins.own), so that every root reads a base file's objects without copying them.
 */
export interface KObject {
  body: JsonMap;
  /**
   * Tells the containers made for this object from others' (Origins.own), unique in its renderer (Origins.newKey):
   * a number, so that a rendered container does not keep the object it was made for alive.
   */
  key: number;
  /** The file the object's document is in (a generator's kustomization for generated objects). */
  file: string;
  /** The object's document (or the generator entry) in `file`. */
  span: Span;
  docIndex: number;
  /** Every name the object had, oldest first: references written with an older name are rewritten (name reference). */
  names: string[];
  /** Namespaces it had, oldest first ('' when unset). */
  namespaces: string[];
  /** Set on generated ConfigMaps/Secrets that take kustomize's content-hash suffix at the end. */
  hashSuffix?: boolean;
  /** `behavior` of the generator that made it (create, merge, replace). */
  behavior?: string;
}

/** Where one field of a rendered container was written, when that is not where its container was. */
interface FieldOrigin {
  file: string;
  entry: EntrySpans;
}

/** A strategic merge patch being applied: its file, where its fields were written, which containers are its own. */
interface PatchSource {
  file: string;
  spans: SpanIndex;
  owns: SpanIndex;
}

/**
 * What the renderer knows of one container, in one record: a container is a key of one table only, since
 * adding an object to an identity-keyed table is what costs (its identity hash is made then), not the record.
 */
interface Meta {
  /** Where it was written (its source container's spans), when known. */
  origin: Origin | undefined;
  /** The key of the object that may change it in place (a copy made for that object, or a map made for it); 0: none. */
  owner: number;
  /** Fields a patch or a transformer wrote into it from elsewhere (IN-1 source mapping). */
  fields: Map<string | number, FieldOrigin> | undefined;
}

export class Origins {
  private keys = 0;

  /** A key for a new object (KObject.key). */
  newKey(): number {
    return ++this.keys;
  }

  /**
   * A Map, not a WeakMap: the Origins lives exactly as long as the resources it rendered (their span indexes ask
   * it), whose containers are nearly all its keys; a WeakMap's ephemerons cost every collection (measured: the
   * render's main-thread CPU time 10-15% higher than with a Map in the kustomize bench).
   */
  private readonly meta = new Map<object, Meta>();

  /**
   * The strategic merge patch being applied: its containers are not registered up front (a patch is read by
   * one root, and most of its containers are merged into the object's, never placed in it). A container
   * the renderer knows nothing of is the patch's when the patch's spans hold it; those the merge places in
   * an object are registered as it places them (`placed`).
   */
  private patch: PatchSource | undefined;

  private originOf(c: object): Origin | undefined {
    const known = this.meta.get(c);
    return known ? known.origin : this.patchOrigin(c);
  }

  /** The origin of a container the renderer has no record of: the patch in progress's, when it is one of its own. */
  private patchOrigin(c: object): Origin | undefined {
    if (!this.patch) return undefined;
    const { file, spans, owns } = this.patch;
    return owns.whole(c as JsonMap) ? { source: c as JsonMap, file, spans } : undefined;
  }

  /** Runs `merge` with `patch` as the patch in progress (see `patch`). */
  whilePatching<T>(patch: PatchSource, merge: () => T): T {
    this.patch = patch;
    try {
      return merge();
    } finally {
      this.patch = undefined;
    }
  }

  /**
   * `value` was placed in an object by the patch in progress: the patch's containers in it are registered (a
   * map copied without its directives, or a list made of patch items, is looked into).
   */
  placed(value: Json, depth = 0): void {
    if (value === null || typeof value !== 'object' || depth > 300 || !this.patch) return;
    const known = this.meta.get(value);
    if (!known && this.patch.owns.whole(value)) {
      this.register(value, this.patch.file, this.patch.spans);
      return;
    }
    // Anything else known is a base container or a copy made for the object (its items are placed one by one).
    if (known && (known.owner !== 0 || known.origin === undefined || known.origin.source === value)) return;
    if (Array.isArray(value)) for (const v of value) this.placed(v, depth + 1);
    else for (const k in value) this.placed(value[k]!, depth + 1);
  }

  /** A deep copy of `value` whose containers remember `value`'s (or, for copies of copies, the first source's) spans. */
  copy(value: Json, file?: string, spans?: SpanIndex, depth = 0): Json {
    if (value === null || typeof value !== 'object' || depth > 300) return value;
    const known = this.meta.get(value);
    const origin: Origin | undefined = known?.origin ?? (file !== undefined && spans ? { source: value, file, spans } : undefined);
    let out: JsonMap | Json[];
    if (Array.isArray(value)) {
      out = new Array<Json>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.copy(value[i]!, file, spans, depth + 1);
    } else {
      const m: JsonMap = {};
      for (const k of Object.keys(value)) m[k] = this.copy(value[k]!, file, spans, depth + 1);
      out = m;
    }
    const fields = known?.fields && new Map(known.fields);
    if (origin || fields) this.meta.set(out, { origin, owner: 0, fields });
    return out;
  }

  /**
   * A parsed body's containers are their own sources: registered once, shared by every object read from them
   * (they are never changed: a transformer copies a container before changing it).
   */
  register(value: Json, file: string, spans: SpanIndex, depth = 0): void {
    if (value === null || typeof value !== 'object' || depth > 300 || this.meta.has(value)) return;
    this.meta.set(value, { origin: { source: value, file, spans }, owner: 0, fields: undefined });
    if (Array.isArray(value)) for (const v of value) this.register(v, file, spans, depth + 1);
    else for (const k in value) this.register(value[k]!, file, spans, depth + 1);
  }

  /** `c` as `o` may change it: `c` itself when `o` owns it, else a one-level copy that keeps `c`'s origins (copy-on-write). */
  own<T extends JsonMap | Json[]>(o: KObject, c: T): T {
    const known = this.meta.get(c);
    if (known !== undefined && known.owner === o.key) return c;
    const out = (Array.isArray(c) ? c.slice() : { ...c }) as T;
    // An unknown container may be the patch in progress's own (not registered until placed, see `patch`).
    const origin = known ? known.origin : this.patchOrigin(c);
    this.meta.set(out, { origin, owner: o.key, fields: known?.fields && new Map(known.fields) });
    return out;
  }

  /** `c`, made for `o` (a new map or list): `o` may change it in place. */
  made(o: KObject, c: JsonMap | Json[]): void {
    const known = this.meta.get(c);
    if (known) known.owner = o.key;
    else this.meta.set(c, { origin: undefined, owner: o.key, fields: undefined });
  }

  /** `o`'s body, owned (copied one level unless owned already). */
  body(o: KObject): JsonMap {
    o.body = this.own(o, o.body);
    return o.body;
  }

  /** `parent[key]` as `o` may change it (`parent` owned already): copied in place unless owned; undefined when not a container. */
  child(o: KObject, parent: JsonMap | Json[], key: string | number): JsonMap | Json[] | undefined {
    const v = (parent as Record<string | number, Json>)[key];
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    const mine = this.own(o, v);
    if (mine !== v) (parent as Record<string | number, Json>)[key] = mine;
    return mine;
  }

  /** `parent[key]` as an owned map, made (empty) when missing or not a map. */
  childMap(o: KObject, parent: JsonMap, key: string): JsonMap {
    const v = this.child(o, parent, key);
    if (v !== undefined && !Array.isArray(v)) return v;
    const m: JsonMap = {};
    this.made(o, m);
    parent[key] = m;
    return m;
  }

  /** The container at `keys` from `o`'s body, owned with every container on the way; undefined where the path ends. */
  path(o: KObject, keys: readonly (string | number)[]): JsonMap | Json[] | undefined {
    let cur: JsonMap | Json[] | undefined = this.body(o);
    for (const k of keys) {
      cur = this.child(o, cur, k);
      if (!cur) return undefined;
    }
    return cur;
  }

  /** Every container of `o`'s body owned (a deep copy of what it does not own): for the rare transformers that walk freely. */
  ownAll(o: KObject): JsonMap {
    const walk = (c: JsonMap | Json[], depth: number): void => {
      if (depth > 300) return;
      if (Array.isArray(c)) {
        for (let i = 0; i < c.length; i++) {
          const v = this.child(o, c, i);
          if (v) walk(v, depth + 1);
        }
      } else
        for (const k of Object.keys(c)) {
          const v = this.child(o, c, k);
          if (v) walk(v, depth + 1);
        }
    };
    walk(this.body(o), 0);
    return o.body;
  }

  /** `copy` has the same origin as `like` (a list rebuilt by a merge keeps the base list's place). */
  alias(copy: JsonMap | Json[], like: JsonMap | Json[]): void {
    const origin = this.originOf(like);
    if (!origin) return;
    const known = this.meta.get(copy);
    if (known) known.origin = origin;
    else this.meta.set(copy, { origin, owner: 0, fields: undefined });
  }

  /** `c[key]` was written at `entry` in `file` (a kustomization line, a JSON patch value). */
  setField(c: JsonMap | Json[], key: string | number, file: string, entry: EntrySpans): void {
    let known = this.meta.get(c);
    if (!known) this.meta.set(c, (known = { origin: undefined, owner: 0, fields: undefined }));
    // One record per written line, shared by every object that line changed (a label of 200 roots' objects).
    let at = this.written.get(entry);
    if (!at || at.file !== file) this.written.set(entry, (at = { file, entry }));
    (known.fields ??= new Map()).set(key, at);
  }

  private readonly written = new Map<EntrySpans, FieldOrigin>();

  /** `c[key]` now holds what `from[fromKey]` held (a strategic merge patch's field, a list item moved by a merge). */
  takeField(c: JsonMap | Json[], key: string | number, from: JsonMap | Json[], fromKey: string | number): void {
    const w = this.fieldOrigin(from, fromKey);
    if (w) this.setField(c, key, w.file, w.entry);
    else this.meta.get(c)?.fields?.delete(key);
  }

  private fieldOrigin(c: JsonMap | Json[], key: string | number): FieldOrigin | undefined {
    const f = this.meta.get(c)?.fields?.get(key);
    if (f) return f;
    if (Array.isArray(c)) {
      // A list item that is a container says where it is itself: right even after a merge reordered the list.
      const item = c[key as number];
      if (item !== null && typeof item === 'object') {
        const io = this.originOf(item);
        const span = io?.spans.whole(io.source);
        if (io && span) return { file: io.file, entry: { value: span } };
      }
    }
    const o = this.originOf(c);
    const e = o?.spans.entry(o.source, key);
    return o && e ? { file: o.file, entry: e } : undefined;
  }

  /**
   * Spans of a rendered object whose document is in `file`. A field written elsewhere (a patch, the
   * kustomization line that set it) has spans tagged with that file (`Span.file`): the model's
   * diagnostics land there (relocateDiagnostics), and the editor's faces keep to untagged spans.
   */
  spanIndex(file: string): SpanIndex {
    let index = this.indexes.get(file);
    if (!index) this.indexes.set(file, (index = this.newSpanIndex(file)));
    return index;
  }

  private readonly indexes = new Map<string, SpanIndex>();

  private newSpanIndex(file: string): SpanIndex {
    const tag = (s: Span, f: string): Span => (f === file ? s : { start: s.start, end: s.end, file: f });
    return {
      entry: (c, k): EntrySpans | undefined => {
        const w = this.fieldOrigin(c, k);
        if (!w) return undefined;
        if (w.file === file) return w.entry;
        const out: EntrySpans = { value: tag(w.entry.value, w.file) };
        if (w.entry.key) out.key = tag(w.entry.key, w.file);
        return out;
      },
      whole: (c): Span | undefined => {
        const o = this.originOf(c);
        const s = o?.spans.whole(o.source);
        return o && s ? tag(s, o.file) : undefined;
      },
      written: (c, k): EntrySpans | undefined => {
        const w = this.fieldOrigin(c, k);
        if (w?.file === file) return w.entry;
        // Overridden from elsewhere: the key as the container's own source wrote it (a list's indexes may have moved).
        const o = this.originOf(c);
        return o && o.file === file && !Array.isArray(c) ? o.spans.entry(o.source, k) : undefined;
      },
    };
  }

  /** Where a container of a rendered object (or one of its fields) was written, in whichever file. */
  where(c: JsonMap | Json[], key?: string | number): { file: string; span: Span } | undefined {
    if (key !== undefined) {
      const w = this.fieldOrigin(c, key);
      return w ? { file: w.file, span: w.entry.value } : undefined;
    }
    const o = this.originOf(c);
    const span = o?.spans.whole(o.source);
    return o && span ? { file: o.file, span } : undefined;
  }
}

/** A span index that places every entry on one span (an inline patch: the kustomization's `patch:` text). */
export function fixedSpans(span: Span): SpanIndex {
  return { entry: () => ({ value: span }), whole: () => span };
}

export function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function metadataOf(body: JsonMap, create = false): JsonMap | undefined {
  const md = body.metadata;
  if (isMap(md)) return md;
  if (!create) return undefined;
  const m: JsonMap = {};
  body.metadata = m;
  return m;
}

export function nameOf(o: KObject): string {
  return str(metadataOf(o.body)?.name) ?? '';
}

export function namespaceOf(o: KObject): string {
  return str(metadataOf(o.body)?.namespace) ?? '';
}

export function kindOf(o: KObject): string {
  return str(o.body.kind) ?? '';
}

/** The API group of an object (`apps`, '' for core). */
export function groupOf(o: KObject): string {
  const av = str(o.body.apiVersion) ?? '';
  const i = av.indexOf('/');
  return i < 0 ? '' : av.slice(0, i);
}

/** The object's metadata, owned by it (made when missing). */
export function ownMetadata(origins: Origins, o: KObject): JsonMap {
  return origins.childMap(o, origins.body(o), 'metadata');
}

export function setName(origins: Origins, o: KObject, name: string): void {
  const md = ownMetadata(origins, o);
  md.name = name;
  if (o.names[o.names.length - 1] !== name) o.names.push(name);
}

export function setNamespace(origins: Origins, o: KObject, ns: string): void {
  const md = ownMetadata(origins, o);
  md.namespace = ns;
  if (o.namespaces[o.namespaces.length - 1] !== ns) o.namespaces.push(ns);
}
