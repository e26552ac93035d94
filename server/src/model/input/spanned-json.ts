// Model layer (pure): YAML text -> plain JSON plus the span of every entry, for files that are not
// Kubernetes resources (the cluster profile, CL-1). Must not import vscode, LSP, node:* or fs.
import { parseDocument, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Json, JsonMap, Span } from '../types';
import { resolveAnchors } from './yaml-aliases';
import { normalizeLineBreaks } from '../core/text-positions';

/** Spans of a converted value's entries, looked up by the container object and its key or index. */
export interface SpanLookup {
  entry(container: JsonMap | Json[], key: string | number): { key?: Span; value: Span } | undefined;
}

export interface SpannedYaml {
  value: Json;
  spans: SpanLookup;
  /** Syntax errors, each with where it is. Empty when the text parsed cleanly. */
  errors: { message: string; span: Span }[];
}

/** The profile is tiny and written by hand: a recursive walk with a depth guard suffices. */
const MAX_DEPTH = 64;
/** Nodes the profile may expand to through its aliases: far above any real profile, far below a bomb. */
const MAX_NODES = 100_000;

export function parseSpannedYaml(text: string): SpannedYaml {
  const table = new WeakMap<object, Map<string | number, { key?: Span; value: Span }>>();
  const spans: SpanLookup = { entry: (c, k) => table.get(c)?.get(k) };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(normalizeLineBreaks(text), { prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    return { value: null, spans, errors: [{ message: e instanceof Error ? e.message : String(e), span: { start: 0, end: 0 } }] };
  }
  const errors = doc.errors.map((e) => ({ message: e.message.split('\n')[0] ?? '', span: { start: e.pos[0], end: Math.max(e.pos[0], e.pos[1]) } }));
  if (errors.length) return { value: null, spans, errors };
  // Aliases resolved in one pass, cycles and bombs refused before anything is expanded (CL-1, IN-2).
  const { table: anchors, problem } = resolveAnchors(doc, MAX_NODES, MAX_DEPTH);
  if (problem) return { value: null, spans, errors: [{ message: problem.message, span: { start: problem.start, end: problem.end } }] };
  const put = (c: object, k: string | number, s: { key?: Span; value: Span }): void => {
    let m = table.get(c);
    if (!m) table.set(c, (m = new Map()));
    m.set(k, s);
  };
  const rangeOf = (n: Node | null | undefined, fallback: Span): Span => (n?.range ? { start: n.range[0], end: n.range[1] } : fallback);
  const convert = (node: Node | null | undefined, depth: number): Json => {
    if (node == null || depth > MAX_DEPTH) return null;
    if (isAlias(node)) return convert(anchors.target(node), depth + 1);
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || v === undefined) return null;
      if (typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
      return String(v);
    }
    if (isMap(node)) {
      const obj: JsonMap = {};
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const keySpan = rangeOf(pair.key, { start: 0, end: 0 });
        const vNode = pair.value as Node | null;
        obj[key] = convert(vNode, depth + 1);
        put(obj, key, { key: keySpan, value: rangeOf(vNode, { start: keySpan.end, end: keySpan.end }) });
      }
      return obj;
    }
    if (isSeq(node)) {
      const arr: Json[] = [];
      node.items.forEach((item, i) => {
        arr.push(convert(item as Node, depth + 1));
        put(arr, i, { value: rangeOf(item as Node, { start: 0, end: 0 }) });
      });
      return arr;
    }
    return null;
  };
  return { value: convert(doc.contents as Node | null, 0), spans, errors };
}

/** Copies an untrusted JS value (editor settings) into plain JSON, dropping anything else. */
export function toJson(v: unknown, depth = 0): Json {
  if (depth > MAX_DEPTH || v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map((x) => toJson(x, depth + 1));
  if (typeof v === 'object') {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== undefined && typeof x !== 'function') out[k] = toJson(x, depth + 1);
    }
    return out;
  }
  return null;
}
