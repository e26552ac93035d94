// Model layer (pure): who selects whom, the questions hovers, code lenses and go-to-definition ask
// of a snapshot. One place, so that every face answers them alike. Must not import vscode, LSP, node:* or fs.
import type { Model, NetworkPolicyInfo, PodInfo, ServiceInfo } from '../types';
import { fromMatchLabels, matches } from '../core/label-selectors';

/** SVC-1, EP-1: the pods a Service's selector picks in its namespace, Ready or not (none without a selector). */
export function podsSelectedBy(m: Model, svc: ServiceInfo): PodInfo[] {
  if (!svc.selector) return [];
  const sel = fromMatchLabels(svc.selector);
  return m.pods.filter((p) => p.namespace === svc.namespace && matches(p.labels, sel));
}

/** Services by namespace, in model order; built once per model (keyed by its immutable `services` array). */
const servicesByNamespace = new WeakMap<readonly ServiceInfo[], Map<string, ServiceInfo[]>>();

function servicesIn(m: Model, namespace: string): readonly ServiceInfo[] {
  let byNs = servicesByNamespace.get(m.services);
  if (!byNs) {
    byNs = new Map();
    for (const s of m.services) {
      const list = byNs.get(s.namespace);
      if (list) list.push(s);
      else byNs.set(s.namespace, [s]);
    }
    servicesByNamespace.set(m.services, byNs);
  }
  return byNs.get(namespace) ?? [];
}

/**
 * SVC-1, EP-1: the Services whose selector picks at least one of `pods`. A selector picks pods of its own
 * namespace only, so the pods of one namespace (one workload's) are matched against that namespace's
 * Services alone: a code lens or hover costs what the namespace holds, not the workspace (issue 13).
 */
export function servicesSelecting(m: Model, pods: readonly PodInfo[]): ServiceInfo[] {
  const namespaces = new Set(pods.map((p) => p.namespace));
  const only = namespaces.size === 1 ? [...namespaces][0]! : undefined;
  return (only !== undefined ? servicesIn(m, only) : m.services).filter((s) => {
    if (!s.selector || !namespaces.has(s.namespace)) return false;
    const sel = fromMatchLabels(s.selector);
    return pods.some((p) => p.namespace === s.namespace && matches(p.labels, sel));
  });
}

/** NP-1: the NetworkPolicies that select at least one of `pods` (and so isolate them); a policy selects pods of its namespace only. */
export function policiesSelecting(m: Model, pods: readonly PodInfo[]): NetworkPolicyInfo[] {
  const ids = new Set(pods.map((p) => p.id));
  const namespaces = new Set(pods.map((p) => p.namespace));
  const only = namespaces.size === 1 ? [...namespaces][0]! : undefined;
  return (only !== undefined ? (m.index.policiesByNamespace.get(only) ?? []) : m.networkPolicies).filter((n) => n.selects.some((id) => ids.has(id)));
}
