// Model layer (pure): a rule's backends as shares of its traffic, and the status each share gets (GW-6, GW-7).
// Must not import vscode, LSP, node:* or fs.
import type { RouteRuleInfo } from '../../types';

export interface RouteBackendShare {
  /** `NS/SVC:PORT`, or `Kind NS/NAME` for another kind. */
  backend: string;
  weight: number;
  /** Share of the rule's traffic, in percent (one decimal). */
  percent: number;
  resolvable: boolean;
  /** 200 when it reaches a ready endpoint, 500 for an invalid ref, 503 with no ready endpoint. */
  status: 200 | 500 | 503;
  readyEndpoints: number | null;
  /** The ReferenceGrant that permits a cross-namespace ref. */
  grant: string | null;
  /** ResolvedRefs reason when invalid. */
  reason: string | null;
}

/**
 * GW-6, GW-7: each backend takes weight / (sum of weights) of the rule's traffic, invalid ones included
 * (their share gets 500; with no ready endpoint, 503). A rule without backendRefs, or whose weights are
 * all 0, answers 500 for everything.
 */
export function weightedBackends(rule: RouteRuleInfo): { status: number; backends: RouteBackendShare[]; note: string } {
  const total = rule.backends.reduce((s, b) => s + b.weight, 0);
  const backends = rule.backends.map((b): RouteBackendShare => ({
    backend: b.service ? `${b.service}:${b.port ?? '?'}` : `${b.kind} ${b.namespace}/${b.name}`,
    weight: b.weight,
    percent: total > 0 ? Math.round((b.weight / total) * 1000) / 10 : 0,
    resolvable: b.invalid === null,
    status: b.invalid ? 500 : b.readyEndpoints === 0 ? 503 : 200,
    readyEndpoints: b.readyEndpoints,
    grant: b.grant,
    reason: b.invalid?.reason ?? null,
  }));
  if (rule.backends.length === 0)
    return { status: 500, backends, note: 'the rule has no backendRefs and no filter answers instead: every request gets 500 (GW-7)' };
  if (total === 0)
    return { status: 500, backends, note: 'every backendRef has weight 0, so no traffic goes to any of them: implementations answer 500 (GW-6)' };
  const carrying = backends.filter((b) => b.weight > 0);
  const share = (status: number) => Math.round(carrying.filter((b) => b.status === status).reduce((s, b) => s + b.percent, 0) * 10) / 10;
  const failing = [500, 503].filter((s) => share(s) > 0).map((s) => `${share(s)}% get ${s}${s === 500 ? ' (invalid ref)' : ' (no ready endpoint)'}`);
  if (share(200) > 0)
    return {
      status: 200,
      backends,
      note: failing.length ? `${share(200)}% of requests reach a backend; ${failing.join(', ')} (GW-7)` : 'forwarded to the backends by weight (GW-6)',
    };
  // No share is served: the answer's status is the larger failing share's (500 on a tie).
  const status = share(503) > share(500) ? 503 : 500;
  return { status, backends, note: `no backend serves this rule: ${failing.join(', ')} (GW-7)` };
}
