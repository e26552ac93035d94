// Model layer (pure): the reply of a NAT-ed connection, un-NAT-ed by conntrack on the node that NAT-ed it
// (TR-3..6). Must not import vscode, LSP, node:* or fs.
import type { TraceHop } from './trace-types';
import { addr } from './trace-types';
import { H, hop, LB, N, overlay, P, type Dest, type Pkt, type Walk } from './hops';

/** The reply, un-NAT-ed by conntrack on the node that NAT-ed; its last hop is what the sender receives. */
export function reply(w: Walk, dest: Dest): TraceHop[] {
  const nat = w.nat!;
  const hops: TraceHop[] = [];
  const pkt: Pkt = { src: w.pkt.dst, dst: w.pkt.src };
  if (w.pkt.dport !== undefined) pkt.sport = w.pkt.dport;
  if (w.pkt.sport !== undefined) pkt.dport = w.pkt.sport;
  const r = { ...w, hops, pkt };
  const from = dest.kind === 'pod' ? P(dest.pod) : dest.kind === 'host' ? H(dest.ip) : dest.at;
  hop(r, from, 'eth0', 'send', 'the reply goes back to the address the packet came from', 'TR-5');
  if (dest.kind === 'host') hop(r, from, 'eth0', 'route', `back to ${nat.node.name}`, 'TR-6');
  else if (dest.node.name !== nat.node.name) overlay(r, dest.node, nat.node, `${r.pkt.dst} is reached through ${nat.node.name}`);
  else hop(r, N(nat.node), dest.kind === 'pod' ? 'veth' : 'lo', 'route', `on ${nat.node.name}, where the connection was NAT-ed`, 'TR-5');
  const o = w.origin;
  // Where netfilter rewrites the reply: a destination (undoing SNAT) in PREROUTING, on the interface the reply
  // arrived on; a source (undoing DNAT) in POSTROUTING, on the interface toward the original sender — the pod's
  // bridge on this node, the overlay toward another node, eth0 toward a client outside. A pod calling a Service
  // whose endpoint shares its node never touches eth0.
  const arrivedOn = hops[hops.length - 1]!.iface;
  const towardSender = o.kind === 'host' ? 'eth0' : o.kind === 'pod' ? (o.node.name === nat.node.name ? 'cni0' : 'flannel.1') : arrivedOn;
  if (nat.snat) {
    r.pkt.dst = w.sent.src;
    if (w.sent.sport !== undefined) r.pkt.dport = w.sent.sport;
    hop(r, N(nat.node), arrivedOn, 'DNAT', `conntrack undoes the SNAT: destination back to the sender ${w.sent.src}`, 'TR-5');
  }
  if (nat.dnat) {
    r.pkt.src = nat.before.dst;
    if (nat.before.dport !== undefined) r.pkt.sport = nat.before.dport;
    else delete r.pkt.sport;
    hop(r, N(nat.node), towardSender, 'SNAT', `conntrack undoes the DNAT: the reply now comes from ${addr(nat.before.dst, nat.before.dport)}`, 'TR-5');
  }
  if (o.kind === 'host') {
    hop(r, N(nat.node), 'eth0', 'route', `out of eth0 to ${o.ip}`, 'TR-5');
    if (w.lb) {
      r.pkt.src = w.lb.ip;
      if (w.lb.port !== undefined) r.pkt.sport = w.lb.port;
      hop(r, LB(w.lb.ip), 'eth0', 'SNAT', 'the balancer answers from its own address', 'TR-5');
    }
    hop(r, H(o.ip), 'eth0', 'deliver', `the client sees a reply from ${addr(r.pkt.src, r.pkt.sport)}, the address it sent to: the connection works`, 'TR-5');
  } else if (o.kind === 'pod') {
    if (o.node.name !== nat.node.name) overlay(r, nat.node, o.node, `back to ${o.node.name}`);
    hop(r, P(o.pod), 'eth0', 'deliver', `${o.pod.id} sees a reply from ${addr(r.pkt.src, r.pkt.sport)}`, 'TR-3');
  } else {
    hop(r, o.pod ? P(o.pod) : N(o.node), 'eth0', 'deliver', `${o.node.name} sees a reply from ${addr(r.pkt.src, r.pkt.sport)}`, 'TR-4');
  }
  return hops;
}
