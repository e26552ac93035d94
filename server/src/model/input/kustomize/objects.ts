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

/** One object on its way through a kustomization. `body` is owned: transformers change it in place. */
export interface KObject {
  body: JsonMap;
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

export class Origins {
  private readonly table = new WeakMap<object, Origin>();

  /** A deep copy of `value` whose containers remember `value`'s (or, for copies of copies, the first source's) spans. */
  copy(value: Json, file?: string, spans?: SpanIndex, depth = 0): Json {
    if (value === null || typeof value !== 'object' || depth > 300) return value;
    const known = this.table.get(value);
    const origin: Origin | undefined = known ?? (file !== undefined && spans ? { source: value, file, spans } : undefined);
    let out: JsonMap | Json[];
    if (Array.isArray(value)) out = value.map((v) => this.copy(v, file, spans, depth + 1));
    else {
      const m: JsonMap = {};
      for (const [k, v] of Object.entries(value)) m[k] = this.copy(v, file, spans, depth + 1);
      out = m;
    }
    if (origin) this.table.set(out, origin);
    return out;
  }

  /** Spans of a rendered object: only those written in `file`, where the model reports its diagnostics. */
  spanIndex(file: string): SpanIndex {
    const lookup = (c: JsonMap | Json[]): Origin | undefined => {
      const o = this.table.get(c);
      return o && o.file === file ? o : undefined;
    };
    return {
      entry: (c, k): EntrySpans | undefined => {
        const o = lookup(c);
        return o ? o.spans.entry(o.source, k) : undefined;
      },
      whole: (c): Span | undefined => {
        const o = lookup(c);
        return o ? o.spans.whole(o.source) : undefined;
      },
    };
  }

  /** Where a container of a rendered object was written, in whichever file. */
  where(c: JsonMap | Json[], key?: string | number): { file: string; span: Span } | undefined {
    const o = this.table.get(c);
    if (!o) return undefined;
    const span = key === undefined ? o.spans.whole(o.source) : o.spans.entry(o.source, key)?.value;
    return span ? { file: o.file, span } : undefined;
  }
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

export function setName(o: KObject, name: string): void {
  const md = metadataOf(o.body, true)!;
  md.name = name;
  if (o.names[o.names.length - 1] !== name) o.names.push(name);
}

export function setNamespace(o: KObject, ns: string): void {
  const md = metadataOf(o.body, true)!;
  md.namespace = ns;
  if (o.namespaces[o.namespaces.length - 1] !== ns) o.namespaces.push(ns);
}
