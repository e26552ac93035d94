// Model layer (pure): STUB of the cluster profile (CL-1). Must not import vscode, LSP, node:* or fs.
import type { ClusterProfile, ModelDiagnostic } from './types';

export const PROFILE_FILE = 'netpath.cluster.yaml';

export function defaultProfile(): ClusterProfile {
  return {
    clusterDomain: 'cluster.local',
    serviceCIDR: '10.43.0.0/16',
    podCIDR: '10.42.0.0/16',
    nodePortRange: { min: 30000, max: 32767 },
    dnsServiceIP: '10.43.0.10',
    kubeletMaxPods: 110,
    dns: { ndots: 5 },
    network: { plugin: 'flannel', backend: 'vxlan', ipMasq: true, kubeProxyMode: 'iptables', mtu: 1450 },
    nodes: [
      { name: 'node1', internalIP: '10.0.0.1', podCIDR: '10.42.0.0/24', overlayIP: '10.42.0.0', bridgeIP: '10.42.0.1', labels: {} },
      { name: 'node2', internalIP: '10.0.0.2', podCIDR: '10.42.1.0/24', overlayIP: '10.42.1.0', bridgeIP: '10.42.1.1', labels: {} },
    ],
    externalHosts: [{ name: 'node3', ip: '10.0.0.3' }],
    routes: [],
    ingressController: { namespace: 'ingress-nginx', exposure: 'hostPort' },
  };
}

/** Reads `netpath.cluster.yaml` (text undefined: defaults). Bad fields fall back with a diagnostic. */
export function parseProfile(_file: string, _text: string | undefined): { profile: ClusterProfile; diagnostics: ModelDiagnostic[] } {
  return { profile: defaultProfile(), diagnostics: [] };
}
