// Server layer: `netpath/trace` — runs the model's tracer and adds, to each hop, the manifest line behind it (for
// the panel's click-through). May import the model and shared/; must not import vscode.
import type { SourceLocation, TraceHop, TraceParams, TraceResponse, TraceResult } from '../../../shared/protocol';
import { RefError, trace as modelTrace, type Model, type Resource, nameSpan } from '../model/index';
import type { Snapshot } from '../workspace';
import { toPosition } from './convert';
import { traceText } from '../cli/format-answers';
import { terminalSafe } from '../cli/terminal-safe';

/** The model's tracer (network-model.md §9). A reference that does not resolve is an answer, not a crash. */
function runTracer(m: Model, p: TraceParams): { trace: TraceResult; text: string } | { error: string } {
  try {
    const r = modelTrace(m, p.from, p.to, p.port);
    // The model's shape is the CLI contract; shared/trace.ts mirrors it (the model may not import shared/).
    // The CLI's own text (docs/cli.md), escaped as the CLI escapes it, for the panel's "Copy as text".
    return { trace: r, text: terminalSafe(traceText(r).join('\n')) };
  } catch (e) {
    if (e instanceof RefError) return { error: e.candidates.length ? `${e.message} (did you mean ${e.candidates.slice(0, 3).join(', ')}?)` : e.message };
    throw e;
  }
}

export function trace(snap: Snapshot, p: TraceParams): TraceResponse {
  if (typeof p?.from !== 'string' || typeof p.to !== 'string') return { error: 'trace needs `from` and `to` references' };
  // A client may send the port as a number (80): the model takes `80` or `TCP/80` as text.
  if (typeof p.port === 'number') p = { ...p, port: String(p.port) };
  else if (p.port !== undefined && p.port !== null && typeof p.port !== 'string') return { error: '`port` must be like TCP/80 or 80' };
  const result = runTracer(snap.model, p);
  if ('error' in result) return result;
  return { trace: withSources(snap, result.trace), text: result.text };
}

/**
 * Adds `source` to hops at a pod (its workload's name) or a node (its `kind: Node` manifest, if any), and
 * to policy hops the policy's name; a hop decided by several policies gets each one in `policySources`.
 */
export function withSources(snap: Snapshot, t: TraceResult): TraceResult {
  const m = snap.model;
  const at = (res: Resource): SourceLocation => {
    const pos = toPosition(snap, res.file, nameSpan(res).start);
    return { uri: res.file, line: pos.line, character: pos.character };
  };
  const sourceOf = (hop: TraceHop): TraceHop => {
    let res: Resource | undefined;
    const s = hop.subject;
    // The ingress controller's hop is its pod's (issue 9: the subject names it; `at` says only `ingress-controller`).
    if ((s.kind === 'pod' || s.kind === 'ingress-controller') && s.id) res = m.index.podById.get(s.id)?.owner;
    else if (s.kind === 'node') res = m.index.nodeByName.get(s.id)?.source;
    else if (s.kind === 'gateway') res = m.gatewayApi.gateways.find((g) => g.id === s.id)?.source;
    if (hop.policies?.length) {
      // The NetworkPolicies that decided the hop (NP-5): the hop opens the first, each name its own.
      const found = hop.policies.flatMap((id) => {
        const np = m.networkPolicies.find((n) => n.id === id);
        return np ? [{ policy: id, location: at(np.source) }] : [];
      });
      if (found[0]) return { ...hop, source: found[0].location, ...(found.length > 1 ? { policySources: found } : {}) };
    }
    return res ? { ...hop, source: at(res) } : hop;
  };
  return {
    ...t,
    paths: t.paths.map((path) => ({ ...path, hops: path.hops.map(sourceOf), ...(path.reply ? { reply: path.reply.map(sourceOf) } : {}) })),
  };
}
