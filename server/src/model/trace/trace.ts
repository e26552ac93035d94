// Model layer (pure): `trace(model, from, to, port)`: the packet path of the contract's `trace --json`
// (network-model.md §9, TR-1..8). Must not import vscode, LSP, node:* or fs.
import type { Model, PodInfo, Protocol } from '../types';
import { portArgOrThrow, RefError, resolveRefOrThrow, type Ref } from '../queries/target-refs';
import { addr, EPHEMERAL_PORT, type TraceHop, type TraceNode, type TracePath, type TraceResult } from './trace-types';
import { buildTopo, nodeOf, podAt, representatives, type Topo } from './topology';
import type { Origin } from './packet-walk';
import { traceUrl } from './ingress-entry';
import { resolveName } from './dns-targets';
import { nx, outside, sendTo, serviceTarget, withPort } from './send';
import { makeHop, P } from './hops';

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

/** The container port a named or absent port stands for on a pod (first port of the protocol when absent). */
function podPort(pod: PodInfo, proto: Protocol, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  for (const c of pod.containers) for (const cp of c.ports) if (cp.protocol === proto && (port === undefined || cp.name === port)) return cp.containerPort;
  if (port !== undefined) throw new RefError(`${pod.id} has no ${proto} container port named "${port}"`);
  return undefined;
}

export function trace(model: Model, from: string, to: string, port?: string): TraceResult {
  const t = buildTopo(model);
  const p = portArgOrThrow(port);
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
  return model.nodes
    .filter((n) => names.has(n.name))
    .map((n) => ({ name: n.name, internalIP: n.internalIP, podCIDR: n.podCIDR, overlayIP: n.overlayIP, bridgeIP: n.bridgeIP }));
}

/** Paths listed in one trace at most; every DNAT already keeps only representatives (packet-walk.ts). */
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
  const r: TraceResult = { from, to, verdict: deliveredAny ? 'delivered' : 'dropped', reason: deliveredAny ? null : (dropped?.reason ?? 'no-route'), paths };
  if (port) r.port = port;
  if (deliveredAny && dropped) {
    const where = (x: TracePath) => (x.entry ? `via ${x.entry}` : x.endpoint);
    const uniq = (v: string) => [...new Set(all.filter((x) => x.verdict === v).map(where))];
    r.mixed = {
      delivered: uniq('delivered'),
      dropped: uniq('dropped'),
      reasons: [...new Set(all.filter((x) => x.verdict === 'dropped').map((x) => x.reason ?? 'no-route'))],
    };
  }
  if (untraced + omitted > 0) r.untracedPaths = untraced + omitted;
  return r;
}

function traceTo(t: Topo, origin: Origin, target: Ref, proto: Protocol, port: number | string | undefined): { paths: TracePath[]; port?: number } {
  const numeric = typeof port === 'number' ? port : undefined;
  switch (target.kind) {
    case 'localhost': {
      if (origin.kind !== 'pod') throw new RefError("localhost is a pod's own loopback: trace from a pod");
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
      const r = resolveName(t, origin, target.name);
      const want = port ?? target.port;
      if (r.kind === 'blocked') return { paths: [r.path] };
      if (r.kind === 'nxdomain') return { paths: [nx(origin, target.name, r.note)] };
      if (r.kind === 'service') return serviceTarget(t, origin, r.service, proto, want);
      if (r.kind === 'host') return traceTo(t, origin, { kind: 'ip', ip: r.ip }, proto, want);
      if (r.kind === 'outside')
        return withPort(outside(t, origin, proto, r.name, typeof want === 'number' ? want : undefined), typeof want === 'number' ? want : undefined);
      return { paths: r.ips.flatMap((ip) => traceTo(t, origin, { kind: 'ip', ip }, proto, want).paths), ...(typeof want === 'number' ? { port: want } : {}) };
    }
    case 'url':
      return traceUrl(t, origin, target.url, target.parsed);
  }
}

/** WL-5, NP-1: containers of one pod share its network namespace; the packet never leaves it. */
function loopback(pod: PodInfo, ip: string, port: number | undefined): { paths: TracePath[]; port?: number } {
  const src = addr(ip, port === undefined ? undefined : EPHEMERAL_PORT);
  const dst = addr(ip, port);
  const iface = 'lo';
  const why =
    ip === '127.0.0.1'
      ? 'container to container over the shared loopback'
      : 'to its own pod IP: the kernel delivers it locally (src and dst are both the pod IP)';
  const hops: TraceHop[] = [
    makeHop(P(pod), iface, 'send', src, dst, why, 'WL-5'),
    makeHop(P(pod), iface, 'deliver', src, dst, 'same network namespace: no veth, no NAT, no NetworkPolicy (NP-1)', 'NP-1'),
  ];
  return withPort([{ endpoint: pod.id, verdict: 'delivered', reason: null, hops }], port);
}
