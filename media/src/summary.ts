// Webview layer, pure part: the one-line verdict of a path and the candidate list grouped by entry node and
// endpoint. Imports only shared/ types; no DOM (unit-tested in node), no vscode, no model.
import type { TraceHop, TracePath } from '../../shared/trace';
import { fitName } from './topology';

/** The address without its port: `10.0.0.3:49152` → `10.0.0.3`, `[fd00::1]:80` → `fd00::1`; a bare address as it is. */
export function hostOf(address: string): string {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(address);
  if (v6) return v6[1] as string;
  return /^[^:]+:\d+$/.test(address) ? address.slice(0, address.lastIndexOf(':')) : address;
}

/**
 * `delivered · 10.0.0.3 → 10.0.0.1:31017 → DNAT 10.42.1.219:6379 · SNAT 10.42.0.0 · VXLAN node1→node2`: the
 * verdict, the sender, where it sent to, then every rewrite and tunnel in order, and why it was dropped.
 */
export function summaryLine(path: TracePath): string {
  const hops = path.hops;
  const first = hops[0];
  const parts: string[] = [path.verdict === 'delivered' ? 'delivered' : `dropped${path.reason ? ` (${path.reason})` : ''}`];
  if (!first) return parts[0] as string;
  const flow: string[] = [`${hostOf(first.src) || '?'} → ${first.dst}`];
  let encap: TraceHop | undefined;
  hops.forEach((h, i) => {
    const before = hops[i - 1];
    if (h.action === 'DNAT' && before && before.dst !== h.dst) flow.push(`→ DNAT ${h.dst}`);
    else if (h.action === 'SNAT' && before && before.src !== h.src) flow.push(`· SNAT ${hostOf(h.src)}`);
    else if (h.action === 'encap') encap = h;
    else if (h.action === 'decap' && encap) {
      flow.push(`· VXLAN ${encap.subject.node ?? encap.subject.id}→${h.subject.node ?? h.subject.id}`);
      encap = undefined;
    } else if (h.action === 'proxy') flow.push(`· proxied by ${h.subject.id || 'the ingress controller'} → ${h.dst}`);
    else if (h.action === 'drop') flow.push(h.policies?.length ? `· denied by ${h.policies.join(', ')}` : `· dropped at ${h.at}`);
  });
  return [...parts, flow.join(' ')].join(' · ');
}

export interface Candidate {
  /** Index into trace.paths. */
  index: number;
  /** `redis-…-4bmhd @node2`, or the endpoint as the trace names it when it is no pod. */
  label: string;
  /** The whole endpoint name (the label may be shortened). */
  title: string;
  verdict: 'delivered' | 'dropped';
  /** Why it drops: the reason code and the denying policies. */
  why?: string;
}

export interface CandidateGroup {
  /** `via node1` (the node the packet enters, NodePort/LoadBalancer), or null when there is one way in. */
  entry: string | null;
  items: Candidate[];
  /** Items beyond the first `shown` are collapsed behind a count until expanded. */
  hidden: number;
}

/** The node the endpoint pod is on: the subject of the hop that reached the endpoint. */
function endpointNode(path: TracePath): string | undefined {
  for (let i = path.hops.length - 1; i >= 0; i--) {
    const s = (path.hops[i] as TraceHop).subject;
    if ((s.kind === 'pod' || s.kind === 'ingress-controller') && s.id === path.endpoint) return s.node;
  }
  return undefined;
}

/** The pod part of `NS/NAME`, shortened to `max`. */
function shortEndpoint(endpoint: string, max: number): string {
  const slash = endpoint.indexOf('/');
  return fitName(slash >= 0 ? endpoint.slice(slash + 1) : endpoint, max);
}

/**
 * Candidates grouped by entry node, in the trace's order; inside a group, one row per endpoint (`→
 * redis-…-4bmhd @node2`). Past `limit` rows a group is collapsed (the rest counted) unless `expanded` names
 * its entry, or it holds the selected path.
 */
export function groupCandidates(paths: readonly TracePath[], limit: number, expanded: ReadonlySet<string>, selected: number, nameMax = 24): CandidateGroup[] {
  const groups = new Map<string, CandidateGroup>();
  paths.forEach((p, index) => {
    const key = p.entry ?? '';
    let g = groups.get(key);
    if (!g) {
      g = { entry: p.entry ?? null, items: [], hidden: 0 };
      groups.set(key, g);
    }
    const node = endpointNode(p);
    const last = p.hops[p.hops.length - 1];
    const policies = p.verdict === 'dropped' && last?.policies?.length ? ` by ${last.policies.join(', ')}` : '';
    const c: Candidate = {
      index,
      label: `${shortEndpoint(p.endpoint, nameMax)}${node ? ` @${node}` : ''}`,
      title: `${p.entry ? `via ${p.entry} → ` : ''}${p.endpoint}${node ? ` on ${node}` : ''}`,
      verdict: p.verdict,
    };
    if (p.verdict === 'dropped') c.why = `${p.reason ?? 'dropped'}${policies}`;
    g.items.push(c);
  });
  return [...groups.values()].map((g) => {
    const open = expanded.has(g.entry ?? '') || g.items.slice(limit).some((c) => c.index === selected);
    if (open || g.items.length <= limit) return g;
    return { ...g, items: g.items.slice(0, limit), hidden: g.items.length - limit };
  });
}
