// Model layer (pure): the packet state of a trace and the small hop builders shared by the forward walk and
// the reply (TR-1..7). Must not import vscode, LSP, node:* or fs.
import type { NodeInfo, PodInfo, Protocol } from '../types';
import { addr, type HopAction, type TraceHop } from './trace-types';
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

export type Dest = { kind: 'pod'; pod: PodInfo; node: NodeInfo } | { kind: 'node'; node: NodeInfo; at: string } | { kind: 'host'; ip: string };

export function fork(w: Walk): Walk {
  return { ...w, hops: [...w.hops], pkt: { ...w.pkt } };
}

export function hop(w: Walk, at: string, iface: string, action: HopAction, note: string, rule: string): void {
  w.hops.push({ at, iface, action, src: addr(w.pkt.src, w.pkt.sport), dst: addr(w.pkt.dst, w.pkt.dport), note, rule });
}

export const N = (n: NodeInfo): string => `node:${n.name}`;
export const P = (p: PodInfo): string => `pod:${p.id}`;

/** flannel VXLAN: route into flannel.1, encapsulate toward the owner's eth0, decapsulate there. */
export function overlay(w: Walk, from: NodeInfo, to: NodeInfo, why: string): void {
  hop(w, N(from), 'flannel.1', 'route', why, 'TR-2');
  hop(w, N(from), 'eth0', 'encap', `VXLAN: outer ${from.internalIP} → ${to.internalIP} UDP/8472; the inner packet is not NAT-ed`, 'TR-2');
  hop(w, N(to), 'flannel.1', 'decap', `VXLAN decapsulated on ${to.name}`, 'TR-2');
}
