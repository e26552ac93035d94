// Model layer (pure): moves one packet through nodes, bridges, the VXLAN overlay and kube-proxy's NAT,
// forking at every load-balancing decision (TR-1..7, NP-5, NP-6). Must not import vscode, LSP, node:* or fs.
import type { NodeInfo, PodInfo, Protocol, ServiceInfo, ServicePortInfo } from '../types';
import { addr, type DropReason, type TracePath } from './trace-types';
import { fork, H, hop, LB, N, overlay, P, type Dest, type Origin, type Pkt, type Place, type Walk } from './hops';
import { reply } from './reply';
import {
  buildTopo,
  representatives,
  hostNetworkPod,
  hostPortPod,
  inPodCidr,
  inServiceCidr,
  nodeOf,
  nodePortService,
  podAt,
  podCidrOwner,
  servicePort,
  type NodeRole,
  type Topo,
} from './topology';
import { directionVerdict, nodeLocal, policiesFor, portsAdmit, subjectOf, type PolicySubject } from '../netpol/policy-evaluator';
import { cidrContains, parseCidr } from '../core/ip';

export { buildTopo };
export type { Origin, Pkt, Walk };

export function newWalk(t: Topo, origin: Origin, proto: Protocol, pkt: Pkt): Walk {
  return { t, proto, origin, hops: [], pkt: { ...pkt }, sent: { ...pkt }, nat: null, egressDone: false };
}

function drop(w: Walk, at: Place, iface: string, reason: DropReason, note: string, rule: string, endpoint: string, policies?: string[]): TracePath {
  hop(w, at, iface, 'drop', note, rule, policies);
  const path: TracePath = { endpoint, verdict: 'dropped', reason, hops: w.hops };
  if (w.entry) path.entry = w.entry;
  return path;
}

function delivered(w: Walk, endpoint: string, dest: Dest): TracePath {
  const path: TracePath = { endpoint, verdict: 'delivered', reason: null, hops: w.hops };
  if (w.entry) path.entry = w.entry;
  if (w.nat) path.reply = reply(w, dest);
  return path;
}

/** The node the origin sits on (where a pod's egress policy is enforced). */
function originNode(w: Walk): NodeInfo | null {
  return w.origin.kind === 'host' ? null : w.origin.node;
}

/** NP-5, NP-6: the origin pod's egress, judged once, on its node, on the packet after DNAT. */
function egress(w: Walk, at: NodeInfo, dstPod: PodInfo | null): TracePath | null {
  if (w.egressDone || w.origin.kind !== 'pod') return null;
  w.egressDone = true;
  const peer = dstPod ? subjectOf(w.t.model, dstPod) : subjectOf(w.t.model, w.pkt.dst);
  if (exemptNP7(w, at, { ip: w.origin.pod.ip ?? '', pod: w.origin.pod }, peer, 'egress')) return null;
  const v = directionVerdict(w.t.model, w.origin.pod, 'Egress', peer, dstPod && !dstPod.hostNetwork ? dstPod : null, w.proto, w.pkt.dport);
  if (!v.isolated) return null;
  const who = v.policies.join(', ');
  hop(
    w,
    N(at),
    'veth',
    'policy',
    v.allowed
      ? `egress of ${w.origin.pod.id} allowed by ${who} (NP-5)`
      : `egress of ${w.origin.pod.id} denied: isolated by ${who}, no rule admits ${w.proto}/${w.pkt.dport ?? 'any'} to ${w.pkt.dst}`,
    who,
    v.policies,
  );
  return v.allowed ? null : drop(w, N(at), 'veth', 'policy-denied', `dropped by NetworkPolicy ${who} (egress)`, 'NP-5', endpointLabel(w, dstPod), v.policies);
}

/** NP-5: the destination pod's ingress, judged on the packet as it arrives (source after any SNAT). */
function ingress(w: Walk, at: NodeInfo, pod: PodInfo): TracePath | null {
  // NP-7 is judged by who sent the packet (the pod itself through its Service, its own node), not by the
  // masqueraded source: kube-proxy's SNAT happens after the policy's filter chains on that node.
  if (exemptNP7(w, at, originSubject(w), { ip: pod.ip ?? '', pod }, 'ingress')) return null;
  const v = directionVerdict(w.t.model, pod, 'Ingress', subjectOf(w.t.model, w.pkt.src), pod, w.proto, w.pkt.dport);
  if (!v.isolated) return null;
  const who = v.policies.join(', ');
  hop(
    w,
    P(pod),
    'eth0',
    'policy',
    v.allowed
      ? `ingress of ${pod.id} allowed by ${who} (NP-5)`
      : `ingress of ${pod.id} denied: isolated by ${who}, no rule admits ${w.proto}/${w.pkt.dport ?? 'any'} from ${w.pkt.src}`,
    who,
    v.policies,
  );
  return v.allowed ? null : drop(w, N(at), 'veth', 'policy-denied', `dropped by NetworkPolicy ${who} (ingress)`, 'NP-5', pod.id, v.policies);
}

/** The sender as policies would see it before any NAT: a pod, or its node's / host's own address. */
function originSubject(w: Walk): PolicySubject {
  const o = w.origin;
  if (o.kind === 'pod') return { ip: o.pod.ip ?? '', pod: o.pod };
  if (o.kind === 'node') return { ip: o.node.internalIP, pod: null };
  return { ip: o.ip, pod: null };
}

/** NP-7: node-local and self traffic passes whatever the policies say; the hop says so where a policy isolates the pod. */
function exemptNP7(w: Walk, at: NodeInfo, a: PolicySubject, b: PolicySubject, dir: 'egress' | 'ingress'): boolean {
  if (!nodeLocal(w.t.model, a, b)) return false;
  const pod = dir === 'egress' ? a.pod : b.pod;
  if (pod && policiesFor(w.t.model, pod, dir === 'egress' ? 'Egress' : 'Ingress').length > 0) {
    const why = a.pod && b.pod ? `${pod.id} reaching itself (hairpin through its own Service)` : `traffic between ${pod.id} and its own node`;
    hop(w, N(at), 'veth', 'policy', `${dir} of ${pod.id}: ${why} is always allowed, whatever its NetworkPolicies say (NP-7)`, 'NP-7');
  }
  return true;
}

function endpointLabel(w: Walk, pod: PodInfo | null): string {
  return pod ? pod.id : addr(w.pkt.dst, w.pkt.dport);
}

/** Where a packet sitting on node `at` goes next, by what its destination address is. */
export function route(w: Walk, at: NodeInfo | null): TracePath[] {
  const t = w.t;
  const d = w.pkt.dst;
  if (!at) return fromOutside(w);
  // Pod addresses first: after a DNAT this is the common case, and it needs no scan of the Services.
  const pod = podAt(t, d);
  if (pod) return toPod(w, at, pod);
  const vips = t.vip.get(d);
  if (vips) return serviceByPort(w, at, vips, 'cluster');
  // kube-proxy on every node catches externalIP:port, so an in-cluster sender's own node DNATs it (SVC-6).
  const ext = t.external.get(d)?.filter((s) => servicePort(s, w.proto, w.pkt.dport));
  if (ext?.length) return serviceByPort(w, at, ext, 'external');
  const lbs = t.lb.get(d);
  if (lbs) return serviceByPort(w, at, lbs, 'external');
  const n = t.nodeByIp.get(d);
  if (n) return toNode(w, at, n.node, n.role);
  if (inPodCidr(t, d))
    return [
      drop(
        w,
        N(at),
        'flannel.1',
        'no-route',
        `no pod holds ${d}; ${podCidrOwner(t, d)?.name ?? 'no node'} owns that range but nothing answers (host unreachable)`,
        'TR-2',
        d,
      ),
    ];
  if (inServiceCidr(t, d))
    return [
      drop(
        w,
        N(at),
        'eth0',
        'no-route',
        `${d} is in the service CIDR but no Service holds it; kube-proxy has no rule and the packet leaves by the default route to nowhere`,
        'TR-3',
        d,
      ),
    ];
  return toOutside(w, at);
}

/** Several Services may share an address (externalIPs, LB IPs) on distinct ports. */
function serviceByPort(w: Walk, at: NodeInfo, svcs: ServiceInfo[], mode: 'cluster' | 'external'): TracePath[] {
  for (const svc of svcs) {
    const sp = servicePort(svc, w.proto, w.pkt.dport);
    if (sp) return serviceDnat(w, at, svc, sp, mode);
  }
  const s = svcs[0]!;
  return [
    drop(
      w,
      N(at),
      'eth0',
      'port-not-found',
      `${s.id} has no ${w.proto} port ${w.pkt.dport ?? ''} (ports: ${s.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none'}); kube-proxy has no rule, the connection is refused or times out`,
      'TR-3',
      s.id,
    ),
  ];
}

/** The endpoint port paired with a Service port by name and protocol (EP-4). */
function pairPort(ep: ServiceInfo['endpoints'][number], sp: ServicePortInfo): number | undefined {
  const p = ep.ports.find((x) => x.name === sp.name && x.protocol === sp.protocol);
  if (p) return p.port;
  return ep.ports.length === 0 && typeof sp.targetPort === 'number' ? sp.targetPort : undefined;
}

/**
 * TR-3 / TR-5: kube-proxy's DNAT on node `at`, one fork per candidate endpoint; traffic policies
 * (SVC-7) narrow the candidates; masquerade where the reply would otherwise bypass this node.
 */
/** Endpoints traced per DNAT; the rest are counted in the trace's `untracedPaths`. */
const MAX_DNAT_CANDIDATES = 24;

export function serviceDnat(w: Walk, at: NodeInfo, svc: ServiceInfo, sp: ServicePortInfo, mode: 'cluster' | 'external'): TracePath[] {
  const fromOutside = w.origin.kind === 'host';
  const iface = w.origin.kind === 'pod' && originNode(w) === at ? 'veth' : w.origin.kind === 'node' && originNode(w) === at ? 'lo' : 'eth0';
  const rule = mode === 'external' ? 'TR-5' : w.origin.kind === 'node' ? 'TR-4' : 'TR-3';
  const all = svc.endpoints
    .filter((e) => e.ready)
    .flatMap((e) => {
      const port = pairPort(e, sp);
      return port === undefined ? [] : [{ e, port }];
    });
  if (all.length === 0) {
    return [
      drop(w, N(at), iface, 'no-endpoints', `${svc.id} port ${sp.port}/${sp.protocol} has no Ready endpoint; kube-proxy rejects the connection`, rule, svc.id),
    ];
  }
  let cands = all;
  const local =
    (mode === 'external' && fromOutside && svc.externalTrafficPolicy === 'Local') ||
    (mode === 'cluster' && !fromOutside && svc.internalTrafficPolicy === 'Local');
  if (local) {
    cands = all.filter((x) => x.e.node === at.name);
    if (cands.length === 0) {
      const which = mode === 'external' ? 'externalTrafficPolicy' : 'internalTrafficPolicy';
      return [
        drop(
          w,
          N(at),
          iface,
          'no-node-local-endpoint',
          `${which}: Local and ${at.name} holds no Ready endpoint of ${svc.id} (they are on ${[...new Set(all.map((x) => x.e.node ?? '?'))].join(', ')}); the packet is dropped`,
          'SVC-7',
          svc.id,
        ),
      ];
    }
  }
  // Masquerade: Cluster-policy external traffic (TR-5, even to a local endpoint) and ClusterIP
  // traffic whose source is outside the pod network (a node's own address, an outside host).
  const masq = mode === 'external' ? !(svc.externalTrafficPolicy === 'Local' && (fromOutside || w.origin.kind === 'pod')) : w.origin.kind !== 'pod';
  const before = { ...w.pkt };
  const shown = `${svc.id} ${addr(before.dst, before.dport)}`;
  // Endpoints on one node of one workload take the same path and the same policy decision (NP-5 judges
  // by labels and namespace): one of each such group is traced, up to a bound (TR-3, TR-5).
  const numbered = cands.map((c, i) => ({ ...c, i }));
  const { kept, omitted } = representatives(
    numbered,
    ({ e }) => `${e.node ?? ''}|${e.pod ? (w.t.model.index.podById.get(e.pod)?.owner.id ?? e.pod) : e.ip}`,
    MAX_DNAT_CANDIDATES,
  );
  w.t.untraced.count += omitted;
  return kept.flatMap(({ e, port, i }) => {
    const f = fork(w);
    f.pkt.dst = e.ip;
    f.pkt.dport = port;
    const epName = e.pod ?? addr(e.ip, port);
    hop(f, N(at), iface, 'DNAT', `kube-proxy: ${shown} → endpoint ${epName} (${i + 1} of ${cands.length}${local ? ', node-local' : ''}); src unchanged`, rule);
    let snat = false;
    // Hairpin: a pod reaching itself through its own Service is masqueraded by kube-proxy (KUBE-SEP rule
    // `-s <endpoint IP> -j KUBE-MARK-MASQ`), or it would answer itself from its own address.
    const hairpin = w.origin.kind === 'pod' && e.pod === w.origin.pod.id;
    if (masq || hairpin) {
      const epPod = e.pod ? f.t.model.index.podById.get(e.pod) : undefined;
      const epNode = epPod ? nodeOf(f.t, epPod) : undefined;
      const toward = epNode ? (epNode.name === at.name ? at.bridgeIP : at.overlayIP) : at.internalIP;
      const why = hairpin
        ? 'hairpin: the pod reached itself through its Service, so the reply must come back through the bridge'
        : fromOutside
          ? 'so that the reply comes back through this node (else the client gets an answer from the pod IP and the TCP handshake fails)'
          : 'kube-proxy masquerades traffic to a ClusterIP from outside the pod network';
      f.pkt.src = toward;
      snat = true;
      hop(
        f,
        N(at),
        epNode ? (epNode.name === at.name ? 'cni0' : 'flannel.1') : 'eth0',
        'SNAT',
        `masquerade to ${at.name}'s address toward the endpoint, ${why}`,
        rule,
      );
    }
    f.nat = { node: at, before, snat, dnat: true };
    const pod = e.pod ? f.t.model.index.podById.get(e.pod) : undefined;
    return pod ? toPod(f, at, pod) : route(f, at);
  });
}

/** TR-2: to a pod, over the bridge on the same node or through the VXLAN overlay to its owner. */
export function toPod(w: Walk, at: NodeInfo, pod: PodInfo): TracePath[] {
  const dstNode = nodeOf(w.t, pod);
  if (!dstNode || !pod.ip) return [drop(w, N(at), 'eth0', 'no-route', `${pod.id} is not scheduled or has no IP (Pending)`, 'TR-2', pod.id)];
  if (pod.hostNetwork) return toNode(w, at, dstNode, 'eth0');
  const denied = egress(w, at, pod);
  if (denied) return [denied];
  if (dstNode.name === at.name) {
    hop(w, N(at), 'cni0', 'route', `same node: the cni0 bridge forwards to ${pod.name}'s veth; no routing, no NAT`, 'TR-2');
  } else {
    overlay(w, at, dstNode, `${dstNode.podCIDR} via flannel.1: owned by ${dstNode.name} (CL-3)`);
    hop(w, N(dstNode), 'cni0', 'route', `bridge cni0 to ${pod.name}'s veth`, 'TR-2');
  }
  const no = ingress(w, dstNode, pod);
  if (no) return [no];
  hop(w, P(pod), 'eth0', 'deliver', `delivered to ${pod.id}`, 'TR-2');
  return [delivered(w, pod.id, { kind: 'pod', pod, node: dstNode })];
}

/** TR-1: to one of a node's own addresses: eth0 over the LAN, flannel.1/cni0 through the overlay. */
export function toNode(w: Walk, at: NodeInfo, m: NodeInfo, role: NodeRole): TracePath[] {
  if (m.name === at.name) return atNode(w, m);
  const denied = egress(w, at, null);
  if (denied) return [denied];
  if (role === 'eth0') {
    if (w.origin.kind === 'pod' && w.pkt.src === w.origin.pod.ip && w.t.model.profile.network.ipMasq) {
      const before = { ...w.pkt };
      w.pkt.src = at.internalIP;
      w.nat = w.nat ?? { node: at, before, snat: true, dnat: false };
      hop(w, N(at), 'eth0', 'SNAT', `flannel ipMasq: a pod's packet leaving the pod network is masqueraded to ${at.name}'s eth0 IP`, 'TR-6');
    }
    hop(w, N(at), 'eth0', 'route', `${m.internalIP} is on the LAN: straight out of eth0, outside the overlay`, 'TR-1');
    return atNode(w, m);
  }
  overlay(w, at, m, `${w.pkt.dst} is ${m.name}'s ${role === 'overlay' ? 'flannel.1' : 'cni0'} address: into the overlay (CL-3)`);
  hop(w, N(m), role === 'overlay' ? 'flannel.1' : 'cni0', 'deliver', `delivered to ${m.name}`, 'TR-1');
  return [delivered(w, `node:${m.name}`, { kind: 'node', node: m, at: N(m) })];
}

/**
 * A packet addressed to node `m` arrived there: hostPort (WL-6, wins), an externalIP equal to the
 * node's address, a NodePort, a hostNetwork pod, else a process of the node itself.
 */
function atNode(w: Walk, m: NodeInfo): TracePath[] {
  const t = w.t;
  const d = w.pkt.dst;
  const role = t.nodeByIp.get(d)?.role ?? 'eth0';
  const port = w.pkt.dport;
  if (role === 'eth0' && port !== undefined) {
    const hp = hostPortPod(t, m, d, w.proto, port);
    if (hp) {
      const before = { ...w.pkt };
      w.pkt.dst = hp.pod.ip!;
      w.pkt.dport = hp.containerPort;
      w.nat = { node: m, before, snat: false, dnat: true };
      hop(w, N(m), 'eth0', 'DNAT', `hostPort ${port}: the CNI portmap rule sends it to ${hp.pod.id} (WL-6, beats a NodePort)`, 'TR-7');
      return toPod(w, m, hp.pod);
    }
    const ext = t.external.get(d)?.filter((s) => servicePort(s, w.proto, port));
    if (ext?.length) return serviceByPort(w, m, ext, 'external');
    const np = nodePortService(t, w.proto, port);
    if (np) return serviceDnat(w, m, np.svc, np.sp, 'external');
    const hn = hostNetworkPod(t, m, w.proto, port);
    // A pod talking to its own node's address: its egress policy still applies (ipBlock of the node).
    const denied = egress(w, m, null);
    if (denied) return [denied];
    if (hn) {
      const no = ingress(w, m, hn);
      if (no) return [no];
      hop(w, P(hn), 'eth0', 'deliver', `${hn.id} uses the host network: it listens on ${m.name}'s own address (IP-3)`, 'TR-7');
      return [delivered(w, hn.id, { kind: 'node', node: m, at: P(hn) })];
    }
  }
  const denied = egress(w, m, null);
  if (denied) return [denied];
  const iface = role === 'eth0' ? 'eth0' : role === 'overlay' ? 'flannel.1' : 'cni0';
  hop(w, N(m), iface, 'deliver', `delivered to a process on ${m.name} (e.g. sshd)`, 'TR-1');
  return [delivered(w, `node:${m.name}`, { kind: 'node', node: m, at: N(m) })];
}

/** TR-6: out of the cluster over the LAN; a pod's address is masqueraded to the node's eth0 IP. */
function toOutside(w: Walk, at: NodeInfo): TracePath[] {
  const denied = egress(w, at, null);
  if (denied) return [denied];
  const d = w.pkt.dst;
  if (inPodCidr(w.t, w.pkt.src) && w.t.model.profile.network.ipMasq) {
    const before = { ...w.pkt };
    w.pkt.src = at.internalIP;
    if (w.nat) w.nat.snat = true;
    else w.nat = { node: at, before, snat: true, dnat: false };
    hop(w, N(at), 'eth0', 'SNAT', `masquerade to ${at.name}'s eth0 IP: ${d} is outside the cluster and has no route back to pod addresses`, 'TR-6');
  }
  hop(w, N(at), 'eth0', 'route', `${d} is outside the cluster: out of eth0`, 'TR-6');
  const name = w.t.model.profile.externalHosts.find((h) => h.ip === d)?.name;
  hop(w, H(d), 'eth0', 'deliver', `delivered to ${name ?? 'the outside host'} ${d}`, 'TR-6');
  return [delivered(w, `host:${d}`, { kind: 'host', ip: d })];
}

/**
 * DNS-4, TR-6: to a name forwarded upstream, whose address the model does not know: the packet leaves
 * the cluster like any other to an outside host. An egress policy can only be judged where it admits
 * every address on that port (no `to`, or an ipBlock of the whole address space).
 */
export function toUnknownOutside(w: Walk, at: NodeInfo | null, name: string): TracePath[] {
  const label = `host:${name}`;
  if (at && w.origin.kind === 'pod') {
    const pod = w.origin.pod;
    const isolating = policiesFor(w.t.model, pod, 'Egress');
    if (isolating.length) {
      const open = isolating.filter((np) =>
        np.egress.some(
          (r) =>
            portsAdmit(r.ports, null, w.proto, w.pkt.dport) &&
            (r.peers === null || r.peers.some((pe) => !!pe.ipBlock && parseCidr(pe.ipBlock.cidr)?.prefix === 0 && pe.ipBlock.except.length === 0)),
        ),
      );
      const deciders = (open.length ? open : isolating).map((np) => np.id);
      const who = deciders.join(', ');
      const narrow = isolating.flatMap((np) =>
        np.egress
          .filter((r) => portsAdmit(r.ports, null, w.proto, w.pkt.dport))
          .flatMap((r) => (r.peers ?? []).flatMap((pe) => (pe.ipBlock ? [pe.ipBlock.cidr] : []))),
      );
      hop(
        w,
        N(at),
        'veth',
        'policy',
        open.length
          ? `egress of ${pod.id} to any address allowed by ${who} (NP-5)`
          : `egress of ${pod.id} isolated by ${who}: no rule admits ${w.proto}/${w.pkt.dport ?? 'any'} to every address${narrow.length ? `; allowed only if ${name} resolves inside ${[...new Set(narrow)].join(', ')}, which the model cannot tell` : ''}`,
        who,
        deciders,
      );
      if (!open.length) return [drop(w, N(at), 'veth', 'policy-denied', `dropped by NetworkPolicy ${who} (egress)`, 'NP-5', label, deciders)];
    }
  }
  if (at && inPodCidr(w.t, w.pkt.src) && w.t.model.profile.network.ipMasq) {
    w.pkt.src = at.internalIP;
    hop(w, N(at), 'eth0', 'SNAT', `masquerade to ${at.name}'s eth0 IP: an outside address has no route back to pod addresses`, 'TR-6');
  }
  hop(w, at ? N(at) : H(w.pkt.src), 'eth0', 'route', `${name} is outside the cluster: out of eth0 by the default route`, 'TR-6');
  hop(
    w,
    H(name),
    'eth0',
    'deliver',
    `an outside address: ${name} was forwarded to the upstream resolver, whose answer the model does not know (DNS-4)`,
    'TR-6',
  );
  return [delivered(w, label, { kind: 'host', ip: name })];
}

/** TR-5, TR-7: a packet from a host outside the cluster. */
function fromOutside(w: Walk): TracePath[] {
  const t = w.t;
  const d = w.pkt.dst;
  const me = w.origin.kind === 'host' ? w.origin : null;
  const at = H(me?.ip ?? w.pkt.src);
  const n = t.nodeByIp.get(d);
  if (n && n.role === 'eth0') {
    hop(w, at, 'eth0', 'route', `${d} is ${n.node.name}'s eth0 address on the LAN`, 'TR-5');
    return atNode(w, n.node);
  }
  const lbs = t.lb.get(d);
  if (lbs) return viaBalancer(w, lbs);
  // A static route of this host (the seed's `ip route add 10.43.0.0/16 via <node>`).
  const r = t.model.profile.routes.find(
    (x) =>
      (x.host === me?.name || x.host === me?.ip) &&
      (() => {
        const c = parseCidr(x.to.includes('/') ? x.to : `${x.to}/32`);
        return !!c && cidrContains(c, d);
      })(),
  );
  const via = r ? t.nodeByIp.get(r.via) : undefined;
  if (r && via) {
    hop(w, at, 'eth0', 'route', `static route ${r.to} via ${r.via} (${via.node.name})`, 'TR-7');
    return route(w, via.node);
  }
  const cluster = t.vip.has(d) || inServiceCidr(t, d) || inPodCidr(t, d) || !!n || !!podAt(t, d);
  if (cluster)
    return [
      drop(
        w,
        at,
        'eth0',
        'no-route',
        `${d} is a cluster address; a host outside the cluster has no route to it (add one in the profile's routes, e.g. ${t.model.profile.serviceCIDR} via ${t.model.nodes[0]?.internalIP ?? 'a node'})`,
        'TR-7',
        d,
      ),
    ];
  if (t.external.has(d))
    return [
      drop(
        w,
        at,
        'eth0',
        'no-route',
        `externalIP ${d} is not any host's address; the LAN needs a route or ARP entry pointing it at a node (SVC-6)`,
        'SVC-6',
        d,
      ),
    ];
  hop(w, at, 'eth0', 'route', `${d} is on the LAN`, 'TR-1');
  hop(w, H(d), 'eth0', 'deliver', `delivered to ${d}`, 'TR-1');
  return [delivered(w, `host:${d}`, { kind: 'host', ip: d })];
}

/** TR-5 LoadBalancer: the balancer hands the connection to any node's nodePort (with Local, only to nodes passing the health check). */
function viaBalancer(w: Walk, svcs: ServiceInfo[]): TracePath[] {
  const svc = svcs.find((s) => servicePort(s, w.proto, w.pkt.dport));
  const at = LB(w.pkt.dst);
  hop(w, H(w.pkt.src), 'eth0', 'route', `to the load balancer ${w.pkt.dst}`, 'TR-5');
  if (!svc) return [drop(w, at, 'eth0', 'port-not-found', `no LoadBalancer Service listens on ${w.pkt.dst}:${w.pkt.dport ?? ''}`, 'SVC-4', w.pkt.dst)];
  const sp = servicePort(svc, w.proto, w.pkt.dport)!;
  let nodes = w.t.model.nodes;
  if (svc.externalTrafficPolicy === 'Local') {
    nodes = nodes.filter((n) => svc.endpoints.some((e) => e.ready && e.node === n.name));
    if (nodes.length === 0)
      return [
        drop(
          w,
          at,
          'eth0',
          'no-node-local-endpoint',
          `externalTrafficPolicy: Local and no node holds a Ready endpoint of ${svc.id}: every node fails the balancer's health check`,
          'SVC-7',
          svc.id,
        ),
      ];
  }
  w.lb = { ip: w.pkt.dst, ...(w.pkt.dport !== undefined ? { port: w.pkt.dport } : {}) };
  return nodes.flatMap((n) => {
    const f = fork(w);
    f.entry = n.name;
    if (sp.nodePort !== null) {
      f.pkt.dst = n.internalIP;
      f.pkt.dport = sp.nodePort;
      hop(
        f,
        at,
        'eth0',
        'DNAT',
        `the balancer forwards to ${n.name}'s nodePort ${sp.nodePort}${svc.externalTrafficPolicy === 'Local' ? ' (node passes the Local health check)' : ''}`,
        'TR-5',
      );
      return serviceDnat(f, n, svc, sp, 'external');
    }
    hop(f, at, 'eth0', 'route', `the balancer sends it to ${n.name} (no nodePorts allocated); kube-proxy there catches the LB IP`, 'TR-5');
    return serviceDnat(f, n, svc, sp, 'external');
  });
}
