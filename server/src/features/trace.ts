// Server layer: `netpath/trace` — runs the model's tracer and adds, to each hop, the manifest line behind it (for
// the panel's click-through). May import the model and shared/; must not import vscode.
import type { TraceHop, TraceParams, TraceResponse, TraceResult } from '../../../shared/protocol';
import { RefError, trace as modelTrace, type Model } from '../model/index';
import type { Snapshot } from '../workspace';
import { toPosition } from './convert';
import { nameSpan } from './locate';

/** The model's tracer (network-model.md §9). A reference that does not resolve is an answer, not a crash. */
function runTracer(m: Model, p: TraceParams): TraceResult | { error: string } {
  try {
    const r = modelTrace(m, p.from, p.to, p.port);
    if (r.error) return { error: r.error };
    // The model's shape is the CLI contract; shared/trace.ts mirrors it (the model may not import shared/).
    return r;
  } catch (e) {
    if (e instanceof RefError) return { error: e.candidates.length ? `${e.message} (did you mean ${e.candidates.slice(0, 3).join(', ')}?)` : e.message };
    throw e;
  }
}

export function trace(snap: Snapshot, p: TraceParams): TraceResponse {
  if (typeof p?.from !== 'string' || typeof p.to !== 'string') return { error: 'trace needs `from` and `to` references' };
  const result = runTracer(snap.model, p);
  if ('error' in result) return result;
  return { trace: withSources(snap, result) };
}

/** Adds `source` to hops at a pod (its workload's name) or a node (its `kind: Node` manifest, if any). */
export function withSources(snap: Snapshot, t: TraceResult): TraceResult {
  const m = snap.model;
  const sourceOf = (hop: TraceHop): TraceHop => {
    let res;
    if (hop.at.startsWith('pod:')) res = m.index.podById.get(hop.at.slice(4))?.owner;
    else if (hop.at.startsWith('node:')) res = m.index.nodeByName.get(hop.at.slice(5))?.source;
    if (hop.action === 'policy' && hop.rule.includes('/')) res = m.networkPolicies.find((n) => n.id === hop.rule)?.source ?? res;
    if (!res) return hop;
    const pos = toPosition(snap, res.file, nameSpan(res).start);
    return { ...hop, source: { uri: res.file, line: pos.line, character: pos.character } };
  };
  return {
    ...t,
    paths: t.paths.map((path) => ({ ...path, hops: path.hops.map(sourceOf), ...(path.reply ? { reply: path.reply.map(sourceOf) } : {}) })),
  };
}
