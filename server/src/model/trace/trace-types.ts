// Model layer (pure): the shape of a packet trace, the keys of `netpath trace --json` (docs/cli.md).
// Must not import vscode, LSP, node:* or fs. (shared/trace.ts mirrors it for the editor; the model may not import it.)

export type HopAction = 'send' | 'route' | 'DNAT' | 'SNAT' | 'encap' | 'decap' | 'proxy' | 'policy' | 'deliver' | 'drop';

/**
 * Where a hop happens, as fields (issue 9): what `at` says for people, for the faces that need to know
 * (the editor's click-through, the panel's picture) without parsing `at`.
 */
export interface HopSubject {
  kind: 'pod' | 'node' | 'host' | 'load-balancer' | 'ingress-controller' | 'gateway';
  /**
   * `NS/NAME` of a pod (for `ingress-controller`, the controller's pod; empty when no controller pod
   * exists), a node's name, a host's IP (or its name when only the name is known), a balancer's IP.
   */
  id: string;
  /** The node the place is on: a pod's node, the controller pod's node, the node itself. */
  node?: string;
}

export interface TraceHop {
  /** `pod:NS/NAME`, `node:NAME`, `ingress-controller`, `gateway:NS/NAME` (GW-6), `host:IP`, `load-balancer:IP`. */
  at: string;
  iface: string;
  action: HopAction;
  /** `IP:PORT` (or `IP` when no port applies), after this hop's rewrite. */
  src: string;
  dst: string;
  note: string;
  /** Rule id (`TR-3`), or the policy names for `policy` hops. */
  rule: string;
  /** Extra (issue 9): `at` as fields. */
  subject: HopSubject;
  /** Extra (issue 9): the NetworkPolicies (`NS/NAME`) that decided a `policy` hop, or denied a `drop` hop (NP-5). */
  policies?: string[];
}

export type DropReason = 'no-endpoints' | 'no-node-local-endpoint' | 'policy-denied' | 'no-route' | 'port-not-found' | 'nxdomain';

export interface TracePath {
  /** `NS/POD`, or an address / `node:NAME` / `host:IP` when the destination is no pod. */
  endpoint: string;
  verdict: 'delivered' | 'dropped';
  reason: DropReason | null;
  hops: TraceHop[];
  /** The reply where NAT makes it interesting; its last hop is what the original sender receives. */
  reply?: TraceHop[];
  /** Extra: the node that received the packet, when the trace fans out over nodes (NodePort, LB). */
  entry?: string;
}

export interface TraceResult {
  from: string;
  to: string;
  /** Delivered when some path is delivered (TR-9, see `mixed`); else dropped with the first dropped path's reason. */
  verdict: 'delivered' | 'dropped';
  reason: DropReason | null;
  paths: TracePath[];
  /** `TCP/80` when a port applies. */
  port?: string;
  /**
   * TR-9: set when some paths deliver and others drop (verdict then `delivered`): the entries
   * (`via NODE`) or endpoints that work and those that do not, and the drop reasons.
   */
  mixed?: { delivered: string[]; dropped: string[]; reasons: DropReason[] };
  /**
   * Candidate paths not listed, to keep a trace bounded (a Service with thousands of endpoints): those
   * listed include one per entry node, endpoint node, workload and outcome. Absent when none was left out.
   */
  untracedPaths?: number;
  /**
   * Extra (issue 11): the nodes the listed hops are on, with the addresses of their interfaces (CL-3:
   * eth0, flannel.1 = the pod CIDR's network address, cni0 = the next one), for a picture of the path.
   */
  nodes?: TraceNode[];
}

export interface TraceNode {
  name: string;
  internalIP: string;
  podCIDR: string;
  overlayIP: string;
  bridgeIP: string;
}

/** `IP:PORT`, `[v6]:PORT`, or the bare address when there is no port. */
export function addr(ip: string, port?: number): string {
  if (port === undefined) return ip;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Source port shown for a client's connection: the first port of the dynamic range (deterministic). */
export const EPHEMERAL_PORT = 49152;
