// Model layer (pure): a Route's backendRefs: kind, ReferenceGrant, Service and port, ready endpoints,
// and the predicted ResolvedRefs condition (GW-6, GW-7). Must not import vscode, LSP, node:* or fs.
import type { ReferenceGrantInfo, RouteBackendInfo, RouteInfo, ServiceInfo } from '../../types';
import { GATEWAY_GROUP, grantFor } from './reference-grants';

/**
 * GW-6, GW-7: judges every backendRef of the Route. Invalid refs (InvalidKind, RefNotPermitted,
 * BackendNotFound) make ResolvedRefs=False, with the first reason found; their share of traffic gets 500.
 */
export function resolveBackends(route: RouteInfo, services: ReadonlyMap<string, ServiceInfo>, grants: readonly ReferenceGrantInfo[]): void {
  for (const rule of route.rules) for (const b of rule.backends) judge(route, b, services, grants);
  const first = route.rules.flatMap((r) => r.backends).find((b) => b.invalid !== null);
  route.resolvedRefs = first?.invalid
    ? { type: 'ResolvedRefs', status: false, reason: first.invalid.reason, message: first.invalid.message }
    : { type: 'ResolvedRefs', status: true, reason: 'ResolvedRefs', message: 'every backendRef resolves.' };
}

function judge(route: RouteInfo, b: RouteBackendInfo, services: ReadonlyMap<string, ServiceInfo>, grants: readonly ReferenceGrantInfo[]): void {
  if (b.service === null) {
    b.invalid = {
      reason: 'InvalidKind',
      message: `backendRef ${b.group ? `${b.group}/` : ''}${b.kind} ${b.name} is not a core Service, the only backend kind every implementation supports; unless yours documents ${b.kind}, its share gets 500.`,
    };
    return;
  }
  if (b.namespace !== route.namespace) {
    const g = grantFor(
      grants,
      { group: GATEWAY_GROUP, kind: route.kind, namespace: route.namespace },
      { group: '', kind: 'Service', namespace: b.namespace, name: b.name },
    );
    if (!g) {
      b.invalid = {
        reason: 'RefNotPermitted',
        message: `Service ${b.service} is in another namespace and no ReferenceGrant in ${b.namespace} allows ${route.kind}s of ${route.namespace} to refer to it; its share gets 500.`,
      };
      return;
    }
    b.grant = g.id;
  }
  const svc = services.get(b.service);
  if (!svc) {
    b.invalid = { reason: 'BackendNotFound', message: `Service ${b.service} does not exist; its share gets 500.` };
    return;
  }
  if (svc.type === 'ExternalName') return; // proxied by name: no port list or endpoints to check.
  if (b.port !== null && !svc.ports.some((p) => p.port === b.port)) {
    const have = svc.ports.map((p) => p.port).join(', ') || 'none';
    b.invalid = {
      reason: 'BackendNotFound',
      message: `Service ${b.service} has no port ${b.port} (it has ${have}); the ref is invalid and its share gets 500 (implementations differ on the reason they report).`,
    };
    return;
  }
  b.readyEndpoints = svc.endpoints.filter((e) => e.ready).length;
}
