// Model layer (pure): diagnostics about what a workload names elsewhere, once Services are known (WL-1).
// Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from '../build/build-context';
import { ofKind } from '../build/build-context';
import { Fields, isMap, nameSpan, valueSpan } from '../core/typed-fields';

/**
 * WL-1: a StatefulSet's `serviceName` should name a headless Service of its namespace. Without one, the
 * StatefulSet still runs, but its pods get no per-pod DNS records (`web-0.nginx.default.svc…`, DNS-2):
 * a warning, since clients that rely on stable pod names cannot find them.
 */
export function checkStatefulSetServices(ctx: BuildContext): void {
  for (const res of ofKind(ctx, 'StatefulSet')) {
    const spec = res.body.spec;
    if (!isMap(spec) || typeof spec.serviceName !== 'string' || spec.serviceName === '') continue;
    const name = spec.serviceName;
    const svc = ctx.index.serviceById.get(`${res.namespace}/${name}`);
    if (svc?.headless) continue;
    const why = svc
      ? `Service ${svc.id} is not headless (it has a cluster IP), so the DNS server publishes no per-pod records for it`
      : `there is no Service ${res.namespace}/${name}`;
    new Fields(res, ctx.diagnostics).report(
      'statefulset-service-not-headless',
      'warning',
      `\`serviceName: ${name}\`: ${why}; the pods run, but names like ${res.name}-0.${name}.${res.namespace}.svc.${ctx.profile.clusterDomain} do not resolve. Declare a headless Service (clusterIP: None) named ${name} selecting these pods.`,
      spec.serviceName !== undefined ? valueSpan(res, spec, 'serviceName') : nameSpan(res),
      'WL-1',
    );
  }
}
