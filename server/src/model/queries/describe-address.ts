// Model layer (pure): what an IP address is in the cluster and whether it answers ping (IP-6, CL-3).
// Must not import vscode, LSP, node:* or fs.
import type { Model } from '../types';

export type AddressKind = 'node' | 'node-overlay' | 'node-bridge' | 'pod' | 'service' | 'external-host' | 'unknown';

export interface AddressInfo {
  kind: AddressKind;
  /** Node name, `NS/NAME` of a pod or Service, or the external host's name. */
  owner: string | null;
  /** The interface holding it: eth0 (node, pod), flannel.1, cni0; null for a Service (held by none). */
  iface: 'eth0' | 'flannel.1' | 'cni0' | null;
  /**
   * IP-6: nodes and pods have an interface, so they answer ICMP; a Service IP is only a kube-proxy
   * DNAT rule for its TCP/UDP ports, so `ping` gets no reply.
   */
  answersPing: boolean;
}

/** Looks the address up among nodes, pods and Services of a built model. */
export function describeAddress(model: Pick<Model, 'nodes' | 'services' | 'index' | 'profile'>, ip: string): AddressInfo {
  for (const n of model.nodes) {
    if (n.internalIP === ip) return { kind: 'node', owner: n.name, iface: 'eth0', answersPing: true };
    if (n.overlayIP === ip) return { kind: 'node-overlay', owner: n.name, iface: 'flannel.1', answersPing: true };
    if (n.bridgeIP === ip) return { kind: 'node-bridge', owner: n.name, iface: 'cni0', answersPing: true };
  }
  const pod = model.index.podByIp.get(ip);
  if (pod) return { kind: 'pod', owner: pod.id, iface: 'eth0', answersPing: true };
  for (const s of model.services) {
    if (s.clusterIP === ip || s.clusterIPs.includes(ip)) return { kind: 'service', owner: s.id, iface: null, answersPing: false };
  }
  const host = model.profile.externalHosts.find((h) => h.ip === ip);
  if (host) return { kind: 'external-host', owner: host.name, iface: 'eth0', answersPing: true };
  return { kind: 'unknown', owner: null, iface: null, answersPing: false };
}
