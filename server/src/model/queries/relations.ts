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

/** SVC-1, EP-1: the Services whose selector picks at least one of `pods`. */
export function servicesSelecting(m: Model, pods: readonly PodInfo[]): ServiceInfo[] {
  const namespaces = new Set(pods.map((p) => p.namespace));
  return m.services.filter((s) => {
    if (!s.selector || !namespaces.has(s.namespace)) return false;
    const sel = fromMatchLabels(s.selector);
    return pods.some((p) => p.namespace === s.namespace && matches(p.labels, sel));
  });
}

/** NP-1: the NetworkPolicies that select at least one of `pods` (and so isolate them). */
export function policiesSelecting(m: Model, pods: readonly PodInfo[]): NetworkPolicyInfo[] {
  const ids = new Set(pods.map((p) => p.id));
  return m.networkPolicies.filter((n) => n.selects.some((id) => ids.has(id)));
}
