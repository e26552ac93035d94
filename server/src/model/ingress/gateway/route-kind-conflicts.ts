// Model layer (pure): an HTTPRoute and a GRPCRoute on one listener with intersecting hostnames: only one
// is accepted there (GW-4). Must not import vscode, LSP, node:* or fs.
import type { RouteInfo, RouteParentInfo } from '../../types';
import { wildcardMatches } from './hostnames';

interface Claim {
  route: RouteInfo;
  parent: RouteParentInfo;
  hostnames: string[];
}

const overlap = (a: string, b: string): boolean => a === '*' || b === '*' || a === b || wildcardMatches(a, b) || wildcardMatches(b, a);

/**
 * GW-4 (grpcroute_types.go, GRPCRouteSpec.Hostnames): when an HTTPRoute and a GRPCRoute attached to the
 * same listener have intersecting hostnames, exactly one is accepted: the older, then the first by
 * `namespace/name`. Without both creation timestamps the files cannot tell the older one; the model keeps
 * the first by name and says that creation order decides. The loser loses that listener; a parentRef
 * left with none becomes Accepted=False.
 */
export function resolveKindConflicts(routes: readonly RouteInfo[]): void {
  const byListener = new Map<string, Claim[]>();
  for (const route of routes) {
    for (const parent of route.parents) {
      for (const a of parent.attached) {
        const key = `${parent.gateway}\u0000${a.listener}`;
        byListener.set(key, [...(byListener.get(key) ?? []), { route, parent, hostnames: a.hostnames }]);
      }
    }
  }
  for (const [key, claims] of byListener) {
    const listener = key.slice(key.indexOf('\u0000') + 1);
    for (const h of claims.filter((c) => c.route.kind === 'HTTPRoute')) {
      for (const g of claims.filter((c) => c.route.kind === 'GRPCRoute')) {
        if (!h.hostnames.some((x) => g.hostnames.some((y) => overlap(x, y)))) continue;
        const [winner, loser, known] = pick(h.route, g.route);
        const lost = loser === h.route ? h : g;
        if (!lost.parent.attached.some((a) => a.listener === listener)) continue;
        lost.parent.attached = lost.parent.attached.filter((a) => a.listener !== listener);
        const why = known
          ? `${winner.kind} ${winner.id} is older`
          : `creation order decides, which the files do not carry; the model assumes ${winner.kind} ${winner.id}, first by namespace/name`;
        if (lost.parent.attached.length > 0)
          lost.parent.accepted.message = `attached to ${lost.parent.gateway} listener ${lost.parent.attached.map((a) => a.listener).join(', ')}; not to ${listener}, where ${winner.kind} ${winner.id} is accepted instead (${why}).`;
        else {
          lost.parent.accepted = {
            type: 'Accepted',
            status: false,
            reason: 'Conflicted',
            message: `listener ${listener} also has ${winner.kind} ${winner.id} with an intersecting hostname, and only one of an HTTPRoute and a GRPCRoute is accepted there (${why}); the specification names no reason for this, implementations differ.`,
          };
        }
      }
    }
  }
}

/** [winner, loser, whether creation timestamps decided]. */
function pick(a: RouteInfo, b: RouteInfo): [RouteInfo, RouteInfo, boolean] {
  if (a.creationTimestamp && b.creationTimestamp && a.creationTimestamp !== b.creationTimestamp) {
    return a.creationTimestamp < b.creationTimestamp ? [a, b, true] : [b, a, true];
  }
  const known = a.creationTimestamp !== null && b.creationTimestamp !== null;
  return a.id <= b.id ? [a, b, known] : [b, a, known];
}
