// Shared contract layer: the trace as the editor shows it. Imports nothing (used by the server, the client and the webview script).
// The keys are those of `netpath trace --json` (docs/cli.md), so that the CLI and the panel show one and the same
// answer; the editor-only additions (`source` on hops, `id`/`label` on endpoints) are optional extras.

/** A place in a manifest, zero-based like LSP. */
export interface SourceLocation {
  uri: string;
  line: number;
  character: number;
}

export type HopAction = 'send' | 'route' | 'DNAT' | 'SNAT' | 'encap' | 'decap' | 'proxy' | 'policy' | 'deliver' | 'drop';

/** Where a hop happens, as fields (issue 9): faces read these, never parse `at`. */
export interface HopSubject {
  kind: 'pod' | 'node' | 'host' | 'load-balancer' | 'ingress-controller' | 'gateway';
  /** `NS/NAME` of a pod (the controller's pod for `ingress-controller`, or empty), a node's name, a host's or balancer's IP. */
  id: string;
  /** The node the place is on (pods, the controller's pod, nodes). */
  node?: string;
}

export interface TraceHop {
  /** `pod:NS/NAME`, `node:NAME`, `ingress-controller`, `gateway:NS/NAME` (GW-6), `host:IP`, `load-balancer:IP`: for people; read `subject`. */
  at: string;
  /** `eth0`, `veth…`, `cni0`, `flannel.1`, … */
  iface: string;
  action: HopAction | string;
  /** `IP:PORT` after this hop's rewrite (DNAT/SNAT show the packet after the change). */
  src: string;
  dst: string;
  note: string;
  /** Rule id in network-model.md (`TR-3`), or the policy names (`ns/a, ns/b`) for `policy` hops. */
  rule: string;
  subject: HopSubject;
  /** The NetworkPolicies (`NS/NAME`) that decided a `policy` hop or denied a `drop` hop. */
  policies?: string[];
  /** Manifest line behind the hop (pod, Service, policy), filled in by the language server. */
  source?: SourceLocation;
  /** For a `policy` hop decided by several NetworkPolicies: each one's manifest line (the panel links each name). */
  policySources?: { policy: string; location: SourceLocation }[];
}

export interface TracePath {
  /** `NS/POD` (or an address) this candidate endpoint is. */
  endpoint: string;
  verdict: 'delivered' | 'dropped';
  /** Drop reason code (`policy-denied`, `no-endpoints`, …), null when delivered. */
  reason: string | null;
  hops: TraceHop[];
  /** Hops of the reply; the last is the packet as the original sender receives it. */
  reply?: TraceHop[];
  /** The node that received the packet, when the trace fans out over nodes (NodePort, LoadBalancer). */
  entry?: string;
}

/** A node the trace touches, with its interfaces' addresses (CL-3). */
export interface TraceNode {
  name: string;
  internalIP: string;
  podCIDR: string;
  overlayIP: string;
  bridgeIP: string;
}

export interface TraceResult {
  from: string;
  to: string;
  verdict: 'delivered' | 'dropped';
  reason: string | null;
  paths: TracePath[];
  /** Port or protocol asked for, when given (`TCP/80`). */
  port?: string;
  /** Candidate paths the server left out to keep the trace bounded (one per path shape is listed). */
  untracedPaths?: number;
  /** TR-9: some paths deliver, others drop (verdict `delivered`): which entries/endpoints work and which do not. */
  mixed?: { delivered: string[]; dropped: string[]; reasons: string[] };
  /** The nodes the listed hops are on. */
  nodes?: TraceNode[];
}
