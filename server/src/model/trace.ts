// Model layer (pure): `trace(model, from, to, port)`: the packet path of the contract's `trace --json`
// (network-model.md §9, TR-1..8). Must not import vscode, LSP, node:* or fs.
import type { Model, NodeInfo, PodInfo, Protocol, ServiceInfo } from './types';
import { parsePortArg, parseRef, type Ref } from './refs';
import { addr, EPHEMERAL_PORT, type TraceHop, type TraceNode, type TracePath, type TraceResult } from './trace-types';
import { buildTopo, nodeOf, podAt, representatives, type Topo } from './trace-topo';
import { newWalk, route, toUnknownOutside, type Origin, type Pkt } from './trace-walk';
import { H, makeHop, N, originPlace, P, type Place } from './trace-hops';
import { traceUrl } from './trace-ingress';
import { dnsBlocked, resolveName } from './trace-dns';

/** An unknown or ambiguous reference: the CLI reports the message (with candidates) and exits 2. */
export class RefError extends Error {
  override readonly name = 'RefError';
  constructor(message: string, readonly candidates: string[] = []) {
    super(message);
  }
}

export function resolveRefOrThrow(model: Model, text: string): Ref {
  const r = parseRef(model, text);
  if (!r.ok) throw new RefError(r.error, r.candidates);
  return r.ref;
}

/** Where a trace can start: a pod, a node (or hostNetwork pod), an outside host. */
export function originOf(t: Topo, ref: Ref, text: string): Origin {
  switch (ref.kind) {
    case 'pod': {
      const node = nodeOf(t, ref.pod);
      if (!node || !ref.pod.ip) throw new RefError(`${ref.pod.id} is not scheduled or has no IP; it sends nothing`);
      return ref.pod.hostNetwork ? { kind: 'node', node, pod: ref.pod } : { kind: 'pod', pod: ref.pod, node };
    }
    case 'node':
      return { kind: 'node', node: ref.node };
    case 'host':
    case 'ip': {
      const pod = podAt(t, ref.ip);
      if (pod) return originOf(t, { kind: 'pod', pod }, text);
      const n = t.nodeByIp.get(ref.ip);
      if (n) return { kind: 'node', node: n.node };
      const name = t.model.profile.externalHosts.find((h) => h.ip === ref.ip)?.name;
      return name ? { kind: 'host', ip: ref.ip, name } : { kind: 'host', ip: ref.ip };
    }
    default:
      throw new RefError(`a trace cannot start from "${text}": use a pod, workload, node, host or ip`);
  }
}

/** The sender of a hop that never reaches the network (a DNS answer, a missing port): a pod, else its node, else the host. */
function senderPlace(o: Origin): Place {
  return o.kind === 'pod' ? P(o.pod) : o.kind === 'node' ? N(o.node) : H(o.ip);
}

function srcIp(o: Origin): string {
  return o.kind === 'pod' ? o.pod.ip! : o.kind === 'host' ? o.ip : o.node.internalIP;
}

/** The container port a named or absent port stands for on a pod (first port of the protocol when absent). */
function podPort(pod: PodInfo, proto: Protocol, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  for (const c of pod.containers) for (const cp of c.ports) if (cp.protocol === proto && (port === undefined || cp.name === port)) return cp.containerPort;
  if (port !== undefined) throw new RefError(`${pod.id} has no ${proto} container port named "${port}"`);
  return undefined;
}

export function trace(model: Model, from: string, to: string, port?: string): TraceResult {
  const t = buildTopo(model);
  const p = parsePortArg(port);
  if (port !== undefined && !p) throw new RefError(`--port "${port}": expected PROTO/PORT, e.g. TCP/80`);
  const proto: Protocol = p?.protocol ?? 'TCP';
  const origin = originOf(t, resolveRefOrThrow(model, from), from);
  const target = resolveRefOrThrow(model, to);
  const { paths, port: shownPort } = traceTo(t, origin, target, proto, p?.port);
  const r = finish(from, to, paths, shownPort !== undefined ? `${proto}/${shownPort}` : undefined, t.untraced.count);
  const nodes = touchedNodes(model, r.paths);
  if (nodes.length) r.nodes = nodes;
  return r;
}

/** The nodes some listed hop is on, in the model's order, with their interface addresses (CL-3). */
function touchedNodes(model: Model, paths: readonly TracePath[]): TraceNode[] {
  const names = new Set<string>();
  for (const p of paths) for (const h of [...p.hops, ...(p.reply ?? [])]) if (h.subject.node) names.add(h.subject.node);
  return model.nodes.filter((n) => names.has(n.name)).map((n) => ({ name: n.name, internalIP: n.internalIP, podCIDR: n.podCIDR, overlayIP: n.overlayIP, bridgeIP: n.bridgeIP }));
}

/** Paths listed in one trace at most; every DNAT already keeps only representatives (trace-walk.ts). */
const MAX_PATHS = 64;

function finish(from: string, to: string, all: TracePath[], port?: string, untraced = 0): TraceResult {
  // The verdict sums up every computed path, listed or not.
  const dropped = all.find((x) => x.verdict === 'dropped');
  // Fan-outs multiply (entry nodes × endpoints): keep one path per shape, then the first ones.
  const shape = (x: TracePath) => `${x.verdict}|${x.reason ?? ''}|${x.entry ?? ''}|${x.hops.map((h) => `${h.at}/${h.action}`).join(' ')}`;
  const { kept: paths, omitted } = representatives(all, shape, MAX_PATHS);
  // TR-9: some paths deliver and others drop (an entry node without a local endpoint, one endpoint
  // denied by policy): the connection can work, so it counts as delivered and says which do not.
  const deliveredAny = all.some((x) => x.verdict === 'delivered');
  const r: TraceResult = { from, to, verdict: deliveredAny ? 'delivered' : 'dropped', reason: deliveredAny ? null : dropped?.reason ?? 'no-route', paths };
  if (port) r.port = port;
  if (deliveredAny && dropped) {
    const where = (x: TracePath) => (x.entry ? `via ${x.entry}` : x.endpoint);
    const uniq = (v: string) => [...new Set(all.filter((x) => x.verdict === v).map(where))];
    r.mixed = { delivered: uniq('delivered'), dropped: uniq('dropped'), reasons: [...new Set(all.filter((x) => x.verdict === 'dropped').map((x) => x.reason ?? 'no-route'))] };
  }
  if (untraced + omitted > 0) r.untracedPaths = untraced + omitted;
  return r;
}

/** The send hop and the first routing decision, from any origin to an address. */
export function sendTo(t: Topo, origin: Origin, proto: Protocol, dst: string, dport: number | undefined, rule: string): TracePath[] {
  const pkt: Pkt = { src: srcIp(origin), dst };
  if (dport !== undefined) {
    pkt.sport = EPHEMERAL_PORT;
    pkt.dport = dport;
  }
  let note = '';
  if (origin.kind === 'node') pkt.src = nodeSource(t, origin.node, dst, (n) => (note = n));
  const w = newWalk(t, origin, proto, pkt);
  const hop = (at: Place, iface: string, action: TraceHop['action'], n: string, r: string) =>
    w.hops.push(makeHop(at, iface, action, addr(w.pkt.src, w.pkt.sport), addr(w.pkt.dst, w.pkt.dport), n, r));
  if (origin.kind === 'pod') {
    hop(P(origin.pod), 'eth0', 'send', `${origin.pod.id} sends from its eth0 (src = pod IP)`, rule);
    hop(N(origin.node), 'veth', 'route', `arrives on ${origin.node.name} through the pod's veth pair`, rule);
    return route(w, origin.node);
  }
  if (origin.kind === 'node') {
    const iface = pkt.src === origin.node.bridgeIP ? 'cni0' : pkt.src === origin.node.overlayIP ? 'flannel.1' : 'eth0';
    hop(originPlace(origin), iface, 'send', note || `${origin.node.name} sends from ${iface}${origin.pod ? ` (${origin.pod.id} uses the host network, IP-3)` : ''}`, rule);
    return route(w, origin.node);
  }
  hop(H(origin.ip), 'eth0', 'send', `${origin.name ?? origin.ip} (outside the cluster) sends`, rule);
  return route(w, null);
}

/**
 * TR-1 / TR-4: the source address a node's kernel picks from the route to `dst`: cni0's for a pod
 * of its own, flannel.1's for the overlay, eth0's for the rest (including Service VIPs, which are
 * masqueraded after the DNAT).
 */
function nodeSource(t: Topo, node: NodeInfo, dst: string, why: (n: string) => void): string {
  const pod = podAt(t, dst);
  const owner = pod ? nodeOf(t, pod) : t.nodeByIp.get(dst)?.role !== 'eth0' ? t.nodeByIp.get(dst)?.node : undefined;
  if (pod && owner?.name === node.name) {
    why(`route ${node.podCIDR} dev cni0 src ${node.bridgeIP}: the kernel picks the bridge address, not eth0's ${node.internalIP} as the seed says (TR-4)`);
    return node.bridgeIP;
  }
  if (owner && owner.name !== node.name) {
    why(`route ${owner.podCIDR} via flannel.1: the packet leaves with ${node.name}'s flannel.1 address ${node.overlayIP} as source (${pod ? 'TR-4' : 'TR-1'})`);
    return node.overlayIP;
  }
  return node.internalIP;
}

function traceTo(t: Topo, origin: Origin, target: Ref, proto: Protocol, port: number | string | undefined): { paths: TracePath[]; port?: number } {
  const numeric = typeof port === 'number' ? port : undefined;
  switch (target.kind) {
    case 'localhost': {
      if (origin.kind !== 'pod') throw new RefError('localhost is a pod\'s own loopback: trace from a pod');
      return loopback(origin.pod, '127.0.0.1', numeric ?? target.port);
    }
    case 'pod': {
      const dport = podPort(target.pod, proto, port ?? target.port);
      if (origin.kind === 'pod' && origin.pod.id === target.pod.id) return loopback(origin.pod, origin.pod.ip!, dport);
      if (!target.pod.ip) return { paths: [{ endpoint: target.pod.id, verdict: 'dropped', reason: 'no-route', hops: [] }] };
      return withPort(sendTo(t, origin, proto, target.pod.ip, dport, 'TR-2'), dport);
    }
    case 'service':
      return serviceTarget(t, origin, target.service, proto, port ?? target.port?.port ?? target.rawPort);
    case 'node': {
      const dport = numeric ?? target.port;
      return withPort(sendTo(t, origin, proto, target.node.internalIP, dport, 'TR-1'), dport);
    }
    case 'host':
    case 'ip': {
      const dport = numeric ?? target.port;
      return withPort(sendTo(t, origin, proto, target.ip, dport, 'TR-1'), dport);
    }
    case 'dns': {
      const blocked = dnsBlocked(t, origin);
      if (blocked) return { paths: [blocked] };
      const r = resolveName(t, origin, target.name);
      const want = port ?? target.port;
      if (r.kind === 'nxdomain') return { paths: [nx(origin, target.name, r.note)] };
      if (r.kind === 'service') return serviceTarget(t, origin, r.service, proto, want);
      if (r.kind === 'host') return traceTo(t, origin, { kind: 'ip', ip: r.ip }, proto, want);
      if (r.kind === 'outside') return withPort(outside(t, origin, proto, r.name, typeof want === 'number' ? want : undefined), typeof want === 'number' ? want : undefined);
      return { paths: r.ips.flatMap((ip) => traceTo(t, origin, { kind: 'ip', ip }, proto, want).paths), ...(typeof want === 'number' ? { port: want } : {}) };
    }
    case 'url':
      return traceUrl(t, origin, target.url, target.parsed);
  }
}

function withPort(paths: TracePath[], port: number | undefined): { paths: TracePath[]; port?: number } {
  return port === undefined ? { paths } : { paths, port };
}

/** WL-5, NP-1: containers of one pod share its network namespace; the packet never leaves it. */
function loopback(pod: PodInfo, ip: string, port: number | undefined): { paths: TracePath[]; port?: number } {
  const src = addr(ip, port === undefined ? undefined : EPHEMERAL_PORT);
  const dst = addr(ip, port);
  const iface = 'lo';
  const why = ip === '127.0.0.1' ? 'container to container over the shared loopback' : 'to its own pod IP: the kernel delivers it locally (src and dst are both the pod IP)';
  const hops: TraceHop[] = [
    makeHop(P(pod), iface, 'send', src, dst, why, 'WL-5'),
    makeHop(P(pod), iface, 'deliver', src, dst, 'same network namespace: no veth, no NAT, no NetworkPolicy (NP-1)', 'NP-1'),
  ];
  return withPort([{ endpoint: pod.id, verdict: 'delivered', reason: null, hops }], port);
}

/** The port a client dials for an ExternalName's port (by name or the first of the protocol): the Service's own number, no DNAT. */
function svcPortOf(svc: ServiceInfo, proto: Protocol, port: string | undefined): number | undefined {
  const sp = port === undefined ? svc.ports.find((p) => p.protocol === proto) : svc.ports.find((p) => p.name === port && p.protocol === proto);
  return sp?.port;
}

/** DNS-4, TR-6: a name the upstream resolver answers, at an address the model does not know. */
function outside(t: Topo, origin: Origin, proto: Protocol, name: string, port: number | undefined): TracePath[] {
  const pkt: Pkt = { src: srcIp(origin), dst: name };
  if (port !== undefined) {
    pkt.sport = EPHEMERAL_PORT;
    pkt.dport = port;
  }
  const w = newWalk(t, origin, proto, pkt);
  w.hops.push(makeHop(senderPlace(origin), 'eth0', 'send', addr(pkt.src, pkt.sport), addr(name, port), `sends to ${name}, forwarded to the upstream resolver (its address is not in the files)`, 'DNS-4'));
  if (origin.kind === 'pod') w.hops.push(makeHop(N(origin.node), 'veth', 'route', addr(pkt.src, pkt.sport), addr(name, port), `arrives on ${origin.node.name} through the pod's veth pair`, 'TR-6'));
  return toUnknownOutside(w, origin.kind === 'host' ? null : origin.node, name);
}

function nx(origin: Origin, name: string, note: string): TracePath {
  return { endpoint: name, verdict: 'dropped', reason: 'nxdomain', hops: [makeHop(senderPlace(origin), 'dns', 'drop', srcIp(origin), name, note, 'SVC-5')] };
}

/**
 * A Service as the target: from inside, its ClusterIP (TR-3, TR-4); headless, its endpoints
 * directly; ExternalName, the CNAME's target (SVC-5); from outside, the way the Service is exposed
 * (LB IP, every node's nodePort, an externalIP, else its ClusterIP, which has no route: TR-5, TR-7).
 */
export function serviceTarget(t: Topo, origin: Origin, svc: ServiceInfo, proto: Protocol, port: number | string | undefined): { paths: TracePath[]; port?: number } {
  if (svc.type === 'ExternalName') return externalName(t, origin, svc, proto, port);
  const sp = port === undefined ? svc.ports.find((p) => p.protocol === proto) ?? svc.ports[0] : svc.ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port) && p.protocol === proto);
  if (!sp) {
    return { paths: [{ endpoint: svc.id, verdict: 'dropped', reason: 'port-not-found', hops: [makeHop(senderPlace(origin), 'eth0', 'drop', srcIp(origin), svc.clusterIP ?? svc.id, `${svc.id} has no ${proto} port ${port ?? ''} (ports: ${svc.ports.map((p) => `${p.name || p.port}/${p.protocol}`).join(', ') || 'none'})`, 'SVC-2')] }] };
  }
  if (origin.kind === 'host') {
    if (svc.type === 'LoadBalancer' && svc.loadBalancerIP) return withPort(sendTo(t, origin, proto, svc.loadBalancerIP, sp.port, 'TR-5'), sp.port);
    if (sp.nodePort !== null) {
      const paths = t.model.nodes.flatMap((n) => sendTo(t, origin, proto, n.internalIP, sp.nodePort!, 'TR-5').map((p) => ({ ...p, entry: n.name })));
      return withPort(paths, sp.nodePort);
    }
    const ext = svc.externalIPs[0];
    if (ext) return withPort(sendTo(t, origin, proto, ext, sp.port, 'TR-5'), sp.port);
  }
  if (!svc.clusterIP || svc.headless) {
    // DNS-2: a headless name answers the Ready endpoint IPs; the client connects to each directly.
    const eps = svc.endpoints.filter((e) => e.ready);
    if (eps.length === 0) return { paths: [{ endpoint: svc.id, verdict: 'dropped', reason: 'no-endpoints', hops: [] }] };
    return withPort(eps.flatMap((e) => {
      const ep = e.ports.find((x) => x.name === sp.name && x.protocol === sp.protocol)?.port ?? (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port);
      return sendTo(t, origin, proto, e.ip, ep, 'TR-2');
    }), sp.port);
  }
  // ClusterIPs are unique (IP-4): the Service at this address is the one named.
  t.vip.know(svc.clusterIP, [svc]);
  return withPort(sendTo(t, origin, proto, svc.clusterIP, sp.port, origin.kind === 'node' ? 'TR-4' : 'TR-3'), sp.port);
}

/** SVC-5: the Service's name is a CNAME; follow it when the model can resolve the target. */
function externalName(t: Topo, origin: Origin, svc: ServiceInfo, proto: Protocol, port: number | string | undefined): { paths: TracePath[]; port?: number } {
  const target = svc.externalName ?? '';
  const blocked = dnsBlocked(t, origin);
  if (blocked) return { paths: [blocked] };
  const r = resolveName(t, origin, target.endsWith('.') ? target : `${target}.`);
  const cname = makeHop(senderPlace(origin), 'dns', 'route', srcIp(origin), `${svc.name}.${svc.namespace}.svc.${t.model.profile.clusterDomain}`, `DNS: ${svc.id} is a CNAME to ${target} (SVC-5); the client connects wherever that name resolves`, 'SVC-5');
  if (r.kind === 'nxdomain') {
    return { paths: [{ endpoint: target, verdict: 'dropped', reason: 'nxdomain', hops: [cname, { ...cname, action: 'drop', dst: target, note: `${target} does not resolve (${r.note}): "bad address" on a real cluster`, rule: 'SVC-5' }] }] };
  }
  const sub = r.kind === 'service' ? serviceTarget(t, origin, r.service, proto, port) : r.kind === 'outside' ? withPort(outside(t, origin, proto, r.name, typeof port === 'number' ? port : svcPortOf(svc, proto, port)), typeof port === 'number' ? port : svcPortOf(svc, proto, port)) : r.kind === 'host' ? traceTo(t, origin, { kind: 'ip', ip: r.ip }, proto, port) : { paths: r.ips.flatMap((ip) => traceTo(t, origin, { kind: 'ip', ip }, proto, port).paths) };
  return { ...sub, paths: sub.paths.map((p) => ({ ...p, hops: [cname, ...p.hops] })) };
}
