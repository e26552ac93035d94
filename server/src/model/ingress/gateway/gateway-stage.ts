// Model layer (pure): the Gateway API stage, run after Ingress: GatewayClasses, Gateways and their
// listeners, ReferenceGrants, HTTPRoutes and GRPCRoutes with their predicted status, as diagnostics
// at the parentRef or backendRef they are about (GW-1..8). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from '../../build/build-context';
import { ofKind } from '../../build/build-context';
import type { GatewayInfo, JsonMap, Resource, RouteInfo, Severity, Span } from '../../types';
import { Fields, nameSpan, valueSpan } from '../../core/typed-fields';
import { classVerdict, readGatewayClasses } from './gateway-classes';
import { readListeners } from './listeners';
import { readReferenceGrants } from './reference-grants';
import { readRoute } from './routes';
import { attachParent } from './route-attachment';
import { resolveBackends } from './backends';
import { resolveKindConflicts } from './route-kind-conflicts';
import { findShadowedMatches } from './route-shadowing';

export function resolveGatewayApi(ctx: BuildContext): void {
  const api = ctx.gatewayApi;
  api.classes = readGatewayClasses(ofKind(ctx, 'GatewayClass'), ctx.diagnostics);
  api.referenceGrants = readReferenceGrants(ofKind(ctx, 'ReferenceGrant'), ctx.diagnostics);
  for (const res of ofKind(ctx, 'Gateway')) {
    if (!res.apiVersion.startsWith('gateway.networking.k8s.io/')) continue; // Istio's networking.istio.io Gateway is another kind.
    const gw = readGateway(ctx, res);
    if (gw) api.gateways.push(gw);
  }
  const gateways = new Map(api.gateways.map((g) => [g.id, g]));
  for (const res of [...ofKind(ctx, 'HTTPRoute'), ...ofKind(ctx, 'GRPCRoute')]) {
    if (!res.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
    const route = readRoute(res, new Fields(res, ctx.diagnostics));
    for (const p of route.parents) attachParent(route, p, gateways, ctx.index.namespaceByName, (g) => g.served);
    resolveBackends(route, ctx.index.serviceById, api.referenceGrants);
    api.routes.push(route);
  }
  resolveKindConflicts(api.routes);
  findShadowedMatches(api.routes, ctx.diagnostics);
  for (const route of api.routes) reportRoute(new Fields(route.source, ctx.diagnostics), route, api.gateways.length > 0);
}

function readGateway(ctx: BuildContext, res: Resource): GatewayInfo | null {
  const f = new Fields(res, ctx.diagnostics);
  const spec = f.map(res.body, 'spec');
  const className = f.str(spec, 'gatewayClassName');
  if (className === undefined) return null;
  const verdict = classVerdict(className, ctx.gatewayApi.classes, ctx.profile.gatewayClasses);
  if (verdict.unserved) {
    f.report('gateway-class-not-found', 'warning', verdict.unserved, valueSpan(res, spec!, 'gatewayClassName'), 'GW-1');
  }
  return {
    id: `${res.namespace}/${res.name}`,
    name: res.name,
    namespace: res.namespace,
    source: res,
    className,
    controller: verdict.controller,
    controllerNote: verdict.note,
    served: verdict.unserved === undefined,
    listeners: readListeners(res, f),
  };
}

/** The whole entry of a list item (a parentRef, a backendRef), else the object's name. */
function entrySpan(res: Resource, item: JsonMap): Span {
  return res.spans.whole(item) ?? nameSpan(res);
}

/**
 * GW-4, GW-7: each predicted condition that is not True is a diagnostic at the entry it is about, saying
 * what the controller would write (`Accepted=False NotAllowedByListeners: …`).
 */
function reportRoute(f: Fields, route: RouteInfo, workspaceHasGateways: boolean): void {
  for (const p of route.parents) {
    const c = p.accepted;
    if (c.status) continue;
    if (c.reason === 'NoStatus') {
      // A shared Gateway often lives in a platform repository: only a warning when the files hold Gateways at all.
      const severity: Severity = workspaceHasGateways ? 'warning' : 'info';
      f.report('route-gateway-not-found', severity, c.message, entrySpan(route.source, p.source), 'GW-4');
      continue;
    }
    f.report(
      'route-not-accepted',
      'warning',
      `Accepted=False ${c.reason}: ${c.message.replace(/\.?$/, '.')} This parentRef serves no traffic.`,
      entrySpan(route.source, p.source),
      'GW-4',
    );
  }
  for (const rule of route.rules) {
    for (const b of rule.backends) {
      if (b.invalid)
        f.report(
          'route-backend-unresolved',
          'warning',
          `ResolvedRefs=False ${b.invalid.reason}: ${b.invalid.message}`,
          entrySpan(route.source, b.source),
          'GW-7',
        );
      else if (b.readyEndpoints === 0 && b.weight > 0)
        f.report(
          'route-backend-no-ready-endpoints',
          'warning',
          `Service ${b.service} has no ready endpoint: implementations answer 503 for this backend's share of the rule's traffic.`,
          entrySpan(route.source, b.source),
          'GW-7',
        );
    }
  }
}
