// Model layer (pure): objects of kinds the model does not simulate, whose controllers may create pods (IN-6).
// Must not import vscode, LSP, node:* or fs.
import type { Resource } from '../types';

/** API groups of built-in kinds; anything else is a custom resource some operator acts on. */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'networking.k8s.io',
  'discovery.k8s.io',
  'rbac.authorization.k8s.io',
  'policy',
  'autoscaling',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
  'apiregistration.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'extensions',
]);

/** IN-6: whether the object is a custom resource (its group is not built in), e.g. a `Prometheus` or an Istio `Gateway`. */
export function isCustomResource(r: Resource): boolean {
  const slash = r.apiVersion.indexOf('/');
  return !BUILT_IN_GROUPS.has(slash < 0 ? '' : r.apiVersion.slice(0, slash));
}

/**
 * Gateway API kinds the model simulates (GW-*) and that make no pods. A Gateway stays in the list: its
 * controller deploys the gateway's own pods and Service, which the model does not run.
 */
const SIMULATED_GATEWAY_KINDS = new Set(['GatewayClass', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant']);

function simulated(r: Resource): boolean {
  return r.apiVersion.startsWith('gateway.networking.k8s.io/') && SIMULATED_GATEWAY_KINDS.has(r.kind);
}

function isGateway(r: Resource): boolean {
  return r.apiVersion.startsWith('gateway.networking.k8s.io/') && r.kind === 'Gateway';
}

/**
 * The custom resources among `resources`, in order. Their group is looked up per apiVersion, not per object: a
 * workspace has a few dozen apiVersions and tens of thousands of objects, and this runs on every build and every
 * publish (issue 13).
 */
function customResources(resources: readonly Resource[]): Resource[] {
  const out: Resource[] = [];
  const custom = new Map<string, boolean>();
  for (const r of resources) {
    let isCustom = custom.get(r.apiVersion);
    if (isCustom === undefined) custom.set(r.apiVersion, (isCustom = isCustomResource(r)));
    if (isCustom) out.push(r);
  }
  return out;
}

/** Whether customResourcesByNamespace lists the object: a custom resource the model does not simulate. */
export function countsAsCustomResource(r: Resource): boolean {
  return isCustomResource(r) && !simulated(r);
}

/** Custom resources by namespace (cluster-scoped ones under ''), in resource order. */
export function customResourcesByNamespace(resources: readonly Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of customResources(resources)) {
    if (simulated(r)) continue;
    const list = out.get(r.namespace);
    if (list) list.push(r);
    else out.set(r.namespace, [r]);
  }
  return out;
}

/**
 * IN-6: the kinds read but not simulated, with how many objects of each: `Prometheus (2), ServiceMonitor (5)`. A
 * Gateway is left out: its listeners and routing are simulated (GW-1..8), so it is not "not simulated".
 */
export function unsimulatedKinds(resources: readonly Resource[]): { kind: string; count: number }[] {
  return kindsOf(customResources(resources));
}

function kindsOf(custom: readonly Resource[]): { kind: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of custom) if (!simulated(r) && !isGateway(r)) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([kind, count]) => ({ kind, count }));
}

/** The sentence IN-6 adds where a selector matches no pod but the namespace holds custom resources. */
export function mayCreatePods(custom: readonly Resource[]): string {
  const shown =
    custom
      .slice(0, 3)
      .map((r) => `${r.kind} ${r.name}`)
      .join(', ') + (custom.length > 3 ? `, … (${custom.length})` : '');
  return `The files show no such pod, but this namespace holds custom resources (${shown}) whose operator may create the pods (a Prometheus object makes the operator run prometheus-* pods); the model does not simulate operators, so this is not known to be dead.`;
}

/** IN-6: the one line both faces show (CLI `check`, the editor's output channel), or null when every kind is simulated. */
export function unsimulatedSummary(resources: readonly Resource[]): string | null {
  const custom = customResources(resources);
  const kinds = kindsOf(custom);
  const gateways = custom.filter((r) => isGateway(r)).length;
  const partly =
    gateways > 0
      ? `Gateway (${gateways}): listeners and routing are simulated (GW-1..8); the proxy pods and Service its controller deploys are not, unless the files declare them.`
      : '';
  if (kinds.length === 0) return partly ? `Partly simulated (IN-6): ${partly}` : null;
  const shown =
    kinds
      .slice(0, 12)
      .map((k) => `${k.kind} (${k.count})`)
      .join(', ') + (kinds.length > 12 ? `, … ${kinds.length - 12} more kinds` : '');
  const line = `Read but not simulated (IN-6): ${shown}. Operators may create pods and Services from these; the model does not run them.`;
  return partly ? `${line} Partly simulated: ${partly}` : line;
}
