// Model layer (pure): kustomize `replacements` (IN-1) — a value read from one rendered object (its source
// fieldPath, optionally one part of it split by a delimiter) written into fields of the selected targets, as
// kubectl kustomize v5 does after the kustomization's other builtin transformers. Paths are kustomize's:
// dotted keys, `[key=value]` list items, numeric indexes and `*` for every item.
import type { Json, JsonMap } from '../../types';
import { isMap } from '../../core/typed-fields';

/** `a.b.[name=x].c` → ['a', 'b', '[name=x]', 'c'] (dots inside brackets are part of the segment). */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

/** The children a segment names in a container (several for `*`). */
function children(node: Json, seg: string): { parent: JsonMap | Json[]; key: string | number }[] {
  if (Array.isArray(node)) {
    if (seg === '*') return node.map((_, i) => ({ parent: node, key: i }));
    const m = /^\[([^=\]]+)=(.*)\]$/.exec(seg);
    if (m) return node.flatMap((item, i) => (isMap(item) && String(item[m[1]!]) === m[2] ? [{ parent: node, key: i }] : []));
    if (/^\d+$/.test(seg) && Number(seg) < node.length) return [{ parent: node, key: Number(seg) }];
    return [];
  }
  if (!isMap(node)) return [];
  if (seg === '*') return Object.keys(node).map((k) => ({ parent: node, key: k }));
  return seg in node ? [{ parent: node, key: seg }] : [];
}

/** The value at a kustomize field path (the first, for a path with `*`). */
export function getAtPath(body: JsonMap, path: string): Json | undefined {
  let nodes: Json[] = [body];
  for (const seg of pathSegments(path)) {
    nodes = nodes.flatMap((n) => children(n, seg).map(({ parent, key }) => (parent as Record<string | number, Json>)[key]!));
    if (nodes.length === 0) return undefined;
  }
  return nodes[0];
}

export interface ReplaceOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

/** The part of a value a delimiter and index pick (the whole value without a delimiter). */
export function sourcePart(value: Json, o: ReplaceOptions): Json | undefined {
  if (o.delimiter === undefined || o.delimiter === '') return value;
  if (typeof value !== 'string') return undefined;
  const parts = value.split(o.delimiter);
  const i = o.index ?? 0;
  return i >= 0 && i < parts.length ? parts[i] : undefined;
}

/**
 * Writes `value` at `path` in `body`: every place the path reaches. Returns how many fields were written, or
 * undefined when the path reaches none and `create` is off (kubectl kustomize refuses that).
 * `placed` is told each (container, key) written, for source mapping.
 */
export function setAtPath(
  body: JsonMap,
  path: string,
  value: Json,
  o: ReplaceOptions,
  placed: (c: JsonMap | Json[], key: string | number) => void,
): number | undefined {
  const segs = pathSegments(path);
  let nodes: (JsonMap | Json[])[] = [body];
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    const next: (JsonMap | Json[])[] = [];
    for (const n of nodes) {
      let kids = children(n, seg);
      if (kids.length === 0 && o.create && isMap(n) && !seg.startsWith('[') && seg !== '*') {
        n[seg] = {};
        kids = [{ parent: n, key: seg }];
      }
      for (const { parent, key } of kids) {
        const v = (parent as Record<string | number, Json>)[key];
        if (v !== null && typeof v === 'object') next.push(v);
      }
    }
    nodes = next;
  }
  const last = segs[segs.length - 1];
  if (last === undefined) return undefined;
  let written = 0;
  for (const n of nodes) {
    let kids = children(n, last);
    if (kids.length === 0 && o.create && isMap(n) && !last.startsWith('[') && last !== '*') kids = [{ parent: n, key: last }];
    for (const { parent, key } of kids) {
      const rec = parent as Record<string | number, Json>;
      const old = rec[key];
      // With a delimiter, only that part of the existing value changes.
      if (o.delimiter && typeof old === 'string' && typeof value !== 'object') {
        const parts = old.split(o.delimiter);
        const i = o.index ?? 0;
        if (i < 0 || i >= parts.length) continue;
        parts[i] = String(value);
        rec[key] = parts.join(o.delimiter);
      } else rec[key] = value;
      placed(parent, key);
      written++;
    }
  }
  return written === 0 ? undefined : written;
}
