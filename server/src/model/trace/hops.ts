// Model layer (pure): the packet state of a trace and the small hop builders shared by the forward walk and
// the reply (TR-1..7). Must not import vscode, LSP, node:* or fs.
import type { NodeInfo, PodInfo, Protocol } from '../types';
import { addr, type HopAction, type HopSubject, type TraceHop } from './trace-types';
import type { Topo } from './topology';

export type Origin =
  | { kind: 'pod'; pod: PodInfo; node: NodeInfo }
  /** A process on the node, or a hostNetwork pod (which is the node to the network, IP-3). */
  | { kind: 'node'; node: NodeInfo; pod?: PodInfo }
  | { kind: 'host'; ip: string; name?: string };

export interface Pkt {
  src: string;
  sport?: number;
  dst: string;
  dport?: number;
}

/** One packet on its way; forked (hops copied) where kube-proxy or a balancer picks among several. */
export interface Walk {
  t: Topo;
  proto: Protocol;
  origin: Origin;
  hops: TraceHop[];
  pkt: Pkt;
  /** The packet as the origin sent it: what the reply must look like when it arrives. */
  sent: Pkt;
  /** The node that NAT-ed the connection and the packet before its DNAT (for the reply's un-NAT). */
  nat: { node: NodeInfo; before: Pkt; snat: boolean; dnat: boolean } | null;
  /** A load balancer in front (LB Services): the reply is un-NAT-ed once more there. */
  lb?: { ip: string; port?: number };
  egressDone: boolean;
  entry?: string;
}

export type Dest = { kind: 'pod'; pod: PodInfo; node: NodeInfo } | { kind: 'node'; node: NodeInfo; at: Place } | { kind: 'host'; ip: string };

/** Where a hop happens: the `at` text and the same as fields (`subject`), made together so they always agree. */
export interface Place {
  at: string;
  subject: HopSubject;
}

export const N = (n: NodeInfo): Place => ({ at: `node:${n.name}`, subject: { kind: 'node', id: n.name, node: n.name } });
export const P = (p: PodInfo): Place => ({ at: `pod:${p.id}`, subject: { kind: 'pod', id: p.id, ...(p.node ? { node: p.node } : {}) } });
/** A host outside the cluster, by IP (or by name when only its name is known, DNS-4). */
export const H = (ip: string): Place => ({ at: `host:${ip}`, subject: { kind: 'host', id: ip } });
export const LB = (ip: string): Place => ({ at: `load-balancer:${ip}`, subject: { kind: 'load-balancer', id: ip } });
/** The ingress controller (TR-8): its pod when there is one. */
export const CTRL = (pod: PodInfo | undefined): Place => ({
  at: 'ingress-controller',
  subject: { kind: 'ingress-controller', id: pod?.id ?? '', ...(pod?.node ? { node: pod.node } : {}) },
});

/** Where a trace's origin sits: a pod, a node (or its hostNetwork pod), an outside host. */
export function originPlace(o: Origin): Place {
  if (o.kind === 'pod') return P(o.pod);
  if (o.kind === 'node') return o.pod ? P(o.pod) : N(o.node);
  return H(o.ip);
}

/** A hop record; `policies` only where NetworkPolicies decided it. */
export function makeHop(place: Place, iface: string, action: HopAction, src: string, dst: string, note: string, rule: string, policies?: string[]): TraceHop {
  const h: TraceHop = { at: place.at, iface, action, src, dst, note, rule, subject: place.subject };
  if (policies && policies.length) h.policies = [...policies];
  return h;
}

export function fork(w: Walk): Walk {
  return { ...w, hops: [...w.hops], pkt: { ...w.pkt } };
}

export function hop(w: Walk, at: Place, iface: string, action: HopAction, note: string, rule: string, policies?: string[]): void {
  w.hops.push(makeHop(at, iface, action, addr(w.pkt.src, w.pkt.sport), addr(w.pkt.dst, w.pkt.dport), note, rule, policies));
}

/** flannel VXLAN: route into flannel.1, encapsulate toward the owner's eth0, decapsulate there. */
export function overlay(w: Walk, from: NodeInfo, to: NodeInfo, why: string): void {
  hop(w, N(from), 'flannel.1', 'route', why, 'TR-2');
  hop(w, N(from), 'eth0', 'encap', `VXLAN: outer ${from.internalIP} → ${to.internalIP} UDP/8472; the inner packet is not NAT-ed`, 'TR-2');
  hop(w, N(to), 'flannel.1', 'decap', `VXLAN decapsulated on ${to.name}`, 'TR-2');
}
