// Model layer (pure): the first hops of a trace towards an address, a Service (ClusterIP, nodePort, LB,
// headless, ExternalName) or a name the upstream resolver answers (TR-1..7, SVC-5). Shared by the trace
// entry (trace.ts) and the Ingress controller's hop (ingress-entry.ts). Must not import vscode, LSP, node:* or fs.
import type { NodeInfo, Protocol, ServiceInfo } from '../types';
import { addr, EPHEMERAL_PORT, type TraceHop, type TracePath } from './trace-types';
import { nodeOf, podAt, type Topo } from './topology';
import { newWalk, route, toUnknownOutside, type Origin, type Pkt } from './packet-walk';
import { resolveName } from './dns-targets';
import { H, makeHop, N, originPlace, P, type Place } from './hops';

/** The sender of a hop that never reaches the network (a DNS answer, a missing port): a pod, else its node, else the host. */
function senderPlace(o: Origin): Place {
  return o.kind === 'pod' ? P(o.pod) : o.kind === 'node' ? N(o.node) : H(o.ip);
}

export function srcIp(o: Origin): string {
  return o.kind === 'pod' ? o.pod.ip! : o.kind === 'host' ? o.ip : o.node.internalIP;
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
    hop(
      originPlace(origin),
      iface,
      'send',
      note || `${origin.node.name} sends from ${iface}${origin.pod ? ` (${origin.pod.id} uses the host network, IP-3)` : ''}`,
      rule,
    );
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

export function withPort(paths: TracePath[], port: number | undefined): { paths: TracePath[]; port?: number } {
  return port === undefined ? { paths } : { paths, port };
}

/** An address as the target (TR-1): a numeric port is dialled as is, a named one means none. */
export function toIp(t: Topo, origin: Origin, proto: Protocol, ip: string, port: number | string | undefined): { paths: TracePath[]; port?: number } {
  const dport = typeof port === 'number' ? port : undefined;
  return withPort(sendTo(t, origin, proto, ip, dport, 'TR-1'), dport);
}

/** The port a client dials for an ExternalName's port (by name or the first of the protocol): the Service's own number, no DNAT. */
function svcPortOf(svc: ServiceInfo, proto: Protocol, port: string | undefined): number | undefined {
  const sp = port === undefined ? svc.ports.find((p) => p.protocol === proto) : svc.ports.find((p) => p.name === port && p.protocol === proto);
  return sp?.port;
}

/** DNS-4, TR-6: a name the upstream resolver answers, at an address the model does not know. */
export function outside(t: Topo, origin: Origin, proto: Protocol, name: string, port: number | undefined): TracePath[] {
  const pkt: Pkt = { src: srcIp(origin), dst: name };
  if (port !== undefined) {
    pkt.sport = EPHEMERAL_PORT;
    pkt.dport = port;
  }
  const w = newWalk(t, origin, proto, pkt);
  w.hops.push(
    makeHop(
      senderPlace(origin),
      'eth0',
      'send',
      addr(pkt.src, pkt.sport),
      addr(name, port),
      `sends to ${name}, forwarded to the upstream resolver (its address is not in the files)`,
      'DNS-4',
    ),
  );
  if (origin.kind === 'pod')
    w.hops.push(
      makeHop(
        N(origin.node),
        'veth',
        'route',
        addr(pkt.src, pkt.sport),
        addr(name, port),
        `arrives on ${origin.node.name} through the pod's veth pair`,
        'TR-6',
      ),
    );
  return toUnknownOutside(w, origin.kind === 'host' ? null : origin.node, name);
}

export function nx(origin: Origin, name: string, note: string): TracePath {
  return { endpoint: name, verdict: 'dropped', reason: 'nxdomain', hops: [makeHop(senderPlace(origin), 'dns', 'drop', srcIp(origin), name, note, 'SVC-5')] };
}

/**
 * A Service as the target: from inside, its ClusterIP (TR-3, TR-4); headless, its endpoints
 * directly; ExternalName, the CNAME's target (SVC-5); from outside, the way the Service is exposed
 * (LB IP, every node's nodePort, an externalIP, else its ClusterIP, which has no route: TR-5, TR-7).
 */
export function serviceTarget(
  t: Topo,
  origin: Origin,
  svc: ServiceInfo,
  proto: Protocol,
  port: number | string | undefined,
): { paths: TracePath[]; port?: number } {
  if (svc.type === 'ExternalName') return externalName(t, origin, svc, proto, port);
  const sp =
    port === undefined
      ? (svc.ports.find((p) => p.protocol === proto) ?? svc.ports[0])
      : svc.ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port) && p.protocol === proto);
  if (!sp) {
    return {
      paths: [
        {
          endpoint: svc.id,
          verdict: 'dropped',
          reason: 'port-not-found',
          hops: [
            makeHop(
              senderPlace(origin),
              'eth0',
              'drop',
              srcIp(origin),
              svc.clusterIP ?? svc.id,
              `${svc.id} has no ${proto} port ${port ?? ''} (ports: ${svc.ports.map((p) => `${p.name || p.port}/${p.protocol}`).join(', ') || 'none'})`,
              'SVC-2',
            ),
          ],
        },
      ],
    };
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
    return withPort(
      eps.flatMap((e) => {
        const ep = e.ports.find((x) => x.name === sp.name && x.protocol === sp.protocol)?.port ?? (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port);
        return sendTo(t, origin, proto, e.ip, ep, 'TR-2');
      }),
      sp.port,
    );
  }
  // ClusterIPs are unique (IP-4): the Service at this address is the one named.
  t.vip.know(svc.clusterIP, [svc]);
  return withPort(sendTo(t, origin, proto, svc.clusterIP, sp.port, origin.kind === 'node' ? 'TR-4' : 'TR-3'), sp.port);
}

/** SVC-5: the Service's name is a CNAME; follow it when the model can resolve the target. */
function externalName(t: Topo, origin: Origin, svc: ServiceInfo, proto: Protocol, port: number | string | undefined): { paths: TracePath[]; port?: number } {
  const target = svc.externalName ?? '';
  const r = resolveName(t, origin, target.endsWith('.') ? target : `${target}.`);
  if (r.kind === 'blocked') return { paths: [r.path] };
  const cname = makeHop(
    senderPlace(origin),
    'dns',
    'route',
    srcIp(origin),
    `${svc.name}.${svc.namespace}.svc.${t.model.profile.clusterDomain}`,
    `DNS: ${svc.id} is a CNAME to ${target} (SVC-5); the client connects wherever that name resolves`,
    'SVC-5',
  );
  if (r.kind === 'nxdomain') {
    return {
      paths: [
        {
          endpoint: target,
          verdict: 'dropped',
          reason: 'nxdomain',
          hops: [
            cname,
            { ...cname, action: 'drop', dst: target, note: `${target} does not resolve (${r.note}): "bad address" on a real cluster`, rule: 'SVC-5' },
          ],
        },
      ],
    };
  }
  const sub =
    r.kind === 'service'
      ? serviceTarget(t, origin, r.service, proto, port)
      : r.kind === 'outside'
        ? withPort(
            outside(t, origin, proto, r.name, typeof port === 'number' ? port : svcPortOf(svc, proto, port)),
            typeof port === 'number' ? port : svcPortOf(svc, proto, port),
          )
        : r.kind === 'host'
          ? toIp(t, origin, proto, r.ip, port)
          : { paths: r.ips.flatMap((ip) => toIp(t, origin, proto, ip, port).paths) };
  return { ...sub, paths: sub.paths.map((p) => ({ ...p, hops: [cname, ...p.hops] })) };
}
