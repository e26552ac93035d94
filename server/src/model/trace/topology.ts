// Model layer (pure): who owns an address (pod, node eth0/flannel.1/cni0, Service VIP, outside), built once
// per trace so that each hop is a map lookup even with thousands of Services (TR-1..8).
// Must not import vscode, LSP, node:* or fs.
import type { Model, NodeInfo, PodInfo, Protocol, ServiceInfo, ServicePortInfo } from '../types';
import { cidrContains, parseCidr, type Cidr } from '../core/ip';

export type NodeRole = 'eth0' | 'overlay' | 'bridge';

export interface Topo {
  model: Model;
  nodeByIp: Map<string, { node: NodeInfo; role: NodeRole }>;
  /** ClusterIPs, externalIPs and LB IPs to the Services that own them. */
  vip: ServicesAt;
  external: ServicesAt;
  lb: ServicesAt;
  podCidrs: { node: NodeInfo; cidr: Cidr }[];
  serviceCidr: Cidr | null;
  clusterPodCidr: Cidr | null;
  /** Candidate paths left out of this trace to keep it bounded (see representatives()). */
  untraced: { count: number };
}

/**
 * The Services holding an address, looked up when first asked and remembered for this trace only. A
 * trace asks about two or three addresses; indexing every Service up front cost more than the trace.
 */
export class ServicesAt {
  private readonly memo = new Map<string, ServiceInfo[] | undefined>();
  constructor(
    private readonly services: readonly ServiceInfo[],
    private readonly holds: (s: ServiceInfo, ip: string) => boolean,
  ) {}

  get(ip: string): ServiceInfo[] | undefined {
    if (this.memo.has(ip)) return this.memo.get(ip);
    const found = this.services.filter((s) => this.holds(s, ip));
    const v = found.length ? found : undefined;
    this.memo.set(ip, v);
    return v;
  }

  has(ip: string): boolean {
    return this.get(ip) !== undefined;
  }

  /** Tells the answer for an address already known (the Service a `svc:` reference names). */
  know(ip: string, services: ServiceInfo[]): void {
    if (!this.memo.has(ip)) this.memo.set(ip, services);
  }
}

export function buildTopo(model: Model): Topo {
  const t: Topo = {
    model,
    nodeByIp: new Map(),
    vip: new ServicesAt(model.services, (s, ip) => s.clusterIP === ip || s.clusterIPs.includes(ip)),
    external: new ServicesAt(model.services, (s, ip) => s.externalIPs.includes(ip)),
    lb: new ServicesAt(model.services, (s, ip) => s.type === 'LoadBalancer' && s.loadBalancerIP === ip),
    podCidrs: [],
    serviceCidr: parseCidr(model.profile.serviceCIDR),
    clusterPodCidr: parseCidr(model.profile.podCIDR),
    untraced: { count: 0 },
  };
  for (const n of model.nodes) {
    t.nodeByIp.set(n.internalIP, { node: n, role: 'eth0' });
    if (n.overlayIP) t.nodeByIp.set(n.overlayIP, { node: n, role: 'overlay' });
    if (n.bridgeIP) t.nodeByIp.set(n.bridgeIP, { node: n, role: 'bridge' });
    const c = parseCidr(n.podCIDR);
    if (c) t.podCidrs.push({ node: n, cidr: c });
  }
  return t;
}

/** CL-3 / TR-2: the node whose pod CIDR holds an address (flannel routes it there). */
export function podCidrOwner(t: Topo, ip: string): NodeInfo | undefined {
  return t.podCidrs.find((c) => cidrContains(c.cidr, ip))?.node;
}

export function nodeOf(t: Topo, pod: PodInfo): NodeInfo | undefined {
  return pod.node ? (t.model.index.nodeByName.get(pod.node) ?? t.model.nodes.find((n) => n.name === pod.node)) : undefined;
}

/** A pod that owns this address on its own network namespace (hostNetwork pods share the node's). */
export function podAt(t: Topo, ip: string): PodInfo | undefined {
  const p = t.model.index.podByIp.get(ip);
  return p && !p.hostNetwork ? p : undefined;
}

export function inServiceCidr(t: Topo, ip: string): boolean {
  return !!t.serviceCidr && cidrContains(t.serviceCidr, ip);
}

export function inPodCidr(t: Topo, ip: string): boolean {
  return (!!t.clusterPodCidr && cidrContains(t.clusterPodCidr, ip)) || !!podCidrOwner(t, ip);
}

/** The Service port a packet to `port` hits, or the first port when no port was asked for. */
export function servicePort(svc: ServiceInfo, proto: Protocol, port: number | undefined, field: 'port' | 'nodePort' = 'port'): ServicePortInfo | undefined {
  if (port === undefined) return svc.ports.find((p) => p.protocol === proto) ?? svc.ports[0];
  return svc.ports.find((p) => p.protocol === proto && p[field] === port);
}

/** A Service holding `nodePort` (SVC-3; kube-proxy listens for it on every node). */
export function nodePortService(t: Topo, proto: Protocol, port: number): { svc: ServiceInfo; sp: ServicePortInfo } | undefined {
  for (const svc of t.model.services) {
    if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') continue;
    const sp = svc.ports.find((p) => p.nodePort === port && p.protocol === proto);
    if (sp) return { svc, sp };
  }
  return undefined;
}

/** WL-6: a pod on `node` publishing `hostPort`; it wins over a NodePort on the same number. */
export function hostPortPod(t: Topo, node: NodeInfo, ip: string, proto: Protocol, port: number): { pod: PodInfo; containerPort: number } | undefined {
  for (const pod of t.model.pods) {
    if (pod.node !== node.name || pod.hostNetwork || !pod.ip) continue;
    for (const c of pod.containers) {
      for (const cp of c.ports) {
        if (cp.hostPort === port && cp.protocol === proto && (!cp.hostIP || cp.hostIP === '0.0.0.0' || cp.hostIP === ip))
          return { pod, containerPort: cp.containerPort };
      }
    }
  }
  return undefined;
}

/** A hostNetwork pod on `node` declaring `port` (IP-3, TR-7): it listens on the node's own address. */
export function hostNetworkPod(t: Topo, node: NodeInfo, proto: Protocol, port: number | undefined): PodInfo | undefined {
  return t.model.pods.find(
    (p) =>
      p.hostNetwork &&
      p.node === node.name &&
      p.containers.some((c) => c.ports.some((cp) => cp.protocol === proto && (port === undefined || cp.containerPort === port))),
  );
}

/**
 * A bounded, representative subset of `items` (in their order): first one item per distinct `key`, then
 * the rest in order, up to `limit`. kube-proxy picks one endpoint per connection, so a Service with 50,000
 * endpoints does not need 50,000 drawn paths (they once made a 154 MB trace): one per path shape (node,
 * workload, verdict) says everything the others would, and the trace says how many it left out.
 */
export function representatives<T>(items: readonly T[], key: (item: T) => string, limit: number): { kept: T[]; omitted: number } {
  if (items.length <= limit) return { kept: [...items], omitted: 0 };
  const chosen = new Set<number>();
  const seen = new Set<string>();
  for (let i = 0; i < items.length && chosen.size < limit; i++) {
    const k = key(items[i]!);
    if (!seen.has(k)) {
      seen.add(k);
      chosen.add(i);
    }
  }
  for (let i = 0; i < items.length && chosen.size < limit; i++) chosen.add(i);
  const kept = [...chosen].sort((a, b) => a - b).map((i) => items[i]!);
  return { kept, omitted: items.length - kept.length };
}
