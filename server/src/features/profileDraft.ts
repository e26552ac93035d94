// Server layer: a `netpath.cluster.yaml` written from what the model assumed for this workspace, so that a user
// can make the assumptions exact (CL-1, CL-5). May import the model and `yaml`; must not import vscode.
import { stringify } from 'yaml';
import type { Model } from '../model/index';

const HEADER = `# kube-netpath cluster profile (CL-1), written from what the model assumed for this workspace.
# Every value below is in use now. Nodes are the ones the model assumed (CL-5): give them your nodes' names,
# addresses and pod CIDRs, or list your real nodes instead. Once saved they are declared, not assumed, so pods
# that do not fit on them are reported (IP-1). Any field you delete goes back to its built-in default.
`;

/** The profile in use as YAML: the profile's fields, and as `nodes` the nodes no `kind: Node` manifest declared. */
export function profileDraft(m: Model): string {
  const p = m.profile;
  // Labels as the profile gave them: the model adds kubelet's own (CL-2), which kubelet would add again.
  const given = new Map(p.nodes.map((n) => [n.name, n.labels]));
  const nodes = m.nodes
    .filter((n) => n.source === undefined)
    .map((n) => {
      const labels = given.get(n.name) ?? {};
      return { name: n.name, internalIP: n.internalIP, podCIDR: n.podCIDR, ...(Object.keys(labels).length ? { labels } : {}) };
    });
  const body = {
    clusterDomain: p.clusterDomain,
    serviceCIDR: p.serviceCIDR,
    podCIDR: p.podCIDR,
    nodePortRange: `${p.nodePortRange.min}-${p.nodePortRange.max}`,
    dnsServiceIP: p.dnsServiceIP,
    kubeletMaxPods: p.kubeletMaxPods,
    dns: p.dns,
    network: p.network,
    nodes,
    externalHosts: p.externalHosts,
    routes: p.routes,
    ingressController: p.ingressController,
    ...(p.loadBalancer ? { loadBalancer: p.loadBalancer } : {}),
  };
  const lbHint = p.loadBalancer ? '' : '# loadBalancer: { enabled: true }  # uncomment if MetalLB or a cloud gives LoadBalancer Services their IP (SVC-4)\n';
  return HEADER + stringify(body, { lineWidth: 0 }) + lbHint;
}
