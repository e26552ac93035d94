// Model layer (pure): the Services stage: every type, ClusterIPs, nodePorts, LB IPs (SVC-1..9, IP-4, IP-5). Must not import vscode, LSP, node:* or fs.
// Order matters for stability (IP-2): every explicit claim is honoured before anything is allocated,
// and automatic allocation walks Services sorted by identity, so file order and unrelated edits move nothing.
import type { BuildContext } from '../build/build-context';
import { MemoSlot, memoOf, ofKind, stepCounter } from '../build/build-context';
import type { ModelDiagnostic, Resource, ServiceInfo } from '../types';
import { sameItems, samePlain } from '../build/incremental';
import { Fields, nameSpan } from '../core/typed-fields';
import { ServiceIpRanges, type ClaimResult, type ServiceIpRange } from './cluster-ip-allocator';
import { NodePortAllocator } from './node-port-allocator';
import { type ServiceDraft, readService } from './service-spec';

export const KUBERNETES_SERVICE = 'default/kubernetes';
/** The API server's secure port behind default/kubernetes (k3s and kubeadm both use 6443). */
export const APISERVER_PORT = 6443;

/** Yields every few Services it reads, allocates for or interns (see Stage in pipeline/build-model.ts). */
export function* resolveServices(ctx: BuildContext): Generator<void, void, void> {
  const memo = memoOf(ctx, SERVICES_MEMO);
  // What the stage reads besides the profile (a profile change empties the memo): the first node (SVC-4), the Services.
  const inputs = memo && [(ctx.nodes[0] ?? ctx.profile.nodes[0])?.internalIP, ...ofKind(ctx, 'Service')];
  if (memo?.stage && sameItems(memo.stage.inputs, inputs)) {
    // Nothing it reads changed: the Services the last build ended with (later stages keep or copy them).
    ctx.services = memo.stage.services;
    ctx.diagnostics.push(...memo.stage.diagnostics);
    for (const s of ctx.services) ctx.index.serviceById.set(s.id, s);
    return;
  }
  const firstDiagnostic = ctx.diagnostics.length;
  const ranges = new ServiceIpRanges(ctx.profile.serviceCIDR);
  const nodePorts = new NodePortAllocator(ctx.profile.nodePortRange);
  const kube = kubernetesService(ranges);
  const drafts: ServiceDraft[] = [];
  const tick = stepCounter(ctx);
  for (const res of ofKind(ctx, 'Service')) {
    if (tick()) yield;
    const f = new Fields(res, ctx.diagnostics);
    if (`${res.namespace}/${res.name}` === KUBERNETES_SERVICE) {
      f.report(
        'kubernetes-service-reserved',
        'warning',
        'default/kubernetes is owned by the API server, which recreates it (first address of serviceCIDR, port https 443) and reverts edits; this manifest has no effect.',
        nameSpan(res),
        'CL-4',
      );
      continue;
    }
    drafts.push(memo ? keptDraft(memo, res, ranges, ctx.diagnostics) : readService(res, f, ranges));
  }
  const refused = claimClusterIPs(drafts, ranges);
  claimNodePorts(drafts, nodePorts);
  const byId = [...drafts].sort((a, b) => (a.info.id < b.info.id ? -1 : a.info.id > b.info.id ? 1 : 0));
  for (const d of byId) {
    if (tick()) yield;
    allocateClusterIPs(d, ranges);
  }
  reportRefusedClaims(refused, ranges);
  for (const d of byId) {
    if (tick()) yield;
    allocateNodePorts(d, nodePorts);
  }
  resolveLoadBalancers(ctx, drafts);
  ctx.services = [kube, ...drafts.map((d) => d.info)];
  if (memo && inputs) {
    const byId = memo.byId;
    const services = ctx.services;
    for (let i = 0; i < services.length; i++) {
      if (tick()) yield;
      services[i] = internService(services[i]!, byId);
    }
    if (byId.size > ctx.services.length) {
      const ids = new Set(ctx.services.map((s) => s.id));
      for (const id of byId.keys()) if (!ids.has(id)) byId.delete(id);
    }
    memo.stage = { inputs, diagnostics: ctx.diagnostics.slice(firstDiagnostic), services: ctx.services };
  }
  for (const s of ctx.services) ctx.index.serviceById.set(s.id, s);
}

/** What the Services stage keeps: the Service objects the last build ended with (the endpoints stage records them). */
export interface ServicesMemo {
  readonly byId: Map<string, ServiceInfo>;
  /** The stage's inputs, its diagnostics and the Services as the last build ended with them. */
  stage?: { inputs: readonly unknown[]; diagnostics: readonly ModelDiagnostic[]; services: ServiceInfo[] };
  /** Each manifest as read (SVC-1..8), before any address is handed out, with what reading it reported. */
  readonly read: WeakMap<Resource, { draft: ServiceDraft; diagnostics: readonly ModelDiagnostic[] }>;
  /** A copy a later stage made to fill its own fields (endpoints), and the object this stage made. */
  readonly copiedFrom: WeakMap<ServiceInfo, ServiceInfo>;
}

/** This stage's slot in the build memo. */
export const SERVICES_MEMO = new MemoSlot<ServicesMemo>('services', () => ({ byId: new Map(), read: new WeakMap(), copiedFrom: new WeakMap() }));

/**
 * The object this stage made behind a Service (itself, unless a later stage copied it to fill its own fields): the
 * same object while every field this stage sets is the same, for results that read only those (issue 13: an edit
 * that re-addresses a few pods gave their Services new objects, and every Ingress of their namespaces was made again).
 */
export function serviceCore(ctx: BuildContext, svc: ServiceInfo): ServiceInfo {
  return memoOf(ctx, SERVICES_MEMO)?.copiedFrom.get(svc) ?? svc;
}

/** Records that `copy` was copied from `svc` by a later stage, which changes only the fields this stage leaves be. */
export function copiedService(ctx: BuildContext, copy: ServiceInfo, svc: ServiceInfo): void {
  memoOf(ctx, SERVICES_MEMO)?.copiedFrom.set(copy, serviceCore(ctx, svc));
}

/**
 * A Service manifest read once per Resource object (reading depends on it and the profile alone, and a new
 * profile empties the memo): the kept draft is never handed out, a copy is, which allocation then fills.
 */
function keptDraft(memo: ServicesMemo, res: Resource, ranges: ServiceIpRanges, out: ModelDiagnostic[]): ServiceDraft {
  let read = memo.read.get(res);
  if (!read) {
    const diagnostics: ModelDiagnostic[] = [];
    read = { draft: readService(res, new Fields(res, diagnostics), ranges), diagnostics };
    memo.read.set(res, read);
  }
  out.push(...read.diagnostics);
  const d = read.draft;
  const ports = d.ports.map((p) => ({ ...p, info: { ...p.info } }));
  const info: ServiceInfo = { ...d.info, ports: ports.map((p) => p.info), endpoints: [], endpointSlices: [], dns: [], env: {} };
  return { ...d, info, f: new Fields(res, out), ports, ipWishes: d.ipWishes.map((w) => ({ ...w })) };
}

/** Fields later stages fill (endpoints, DNS names, link variables): not this stage's output. */
const LATER_FIELDS: ReadonlySet<string> = new Set(['endpoints', 'endpointSlices', 'endpointsObject', 'dns', 'env']);

/**
 * A Service equal to what this stage made of it in the previous build is the object that build ended with:
 * later stages keep their results for it (build/incremental.ts), and the two models share it.
 */
function internService(info: ServiceInfo, memo: Map<string, ServiceInfo>): ServiceInfo {
  const kept = memo.get(info.id);
  if (kept && samePlain(info, kept, LATER_FIELDS)) return kept;
  memo.set(info.id, info);
  return info;
}

/** CL-4: default/kubernetes always exists and holds the first address of the (primary) service range. */
function kubernetesService(ranges: ServiceIpRanges): ServiceInfo {
  const r = ranges.primary;
  const ip = r.addressOf(0n);
  r.claim(ip, KUBERNETES_SERVICE);
  return {
    id: KUBERNETES_SERVICE,
    name: 'kubernetes',
    namespace: 'default',
    type: 'ClusterIP',
    clusterIP: ip,
    clusterIPs: [ip],
    headless: false,
    ipFamilies: [r.family],
    selector: null,
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT, nodePort: null }],
    externalIPs: [],
    loadBalancerIP: null,
    externalName: null,
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    sessionAffinity: 'None',
    sessionAffinityTimeoutSeconds: 0,
    publishNotReadyAddresses: false,
    dns: [],
    endpoints: [],
    endpointSlices: [],
    endpointsObject: null,
    env: {},
  };
}

interface RefusedClaim {
  d: ServiceDraft;
  /** Index into d.ipWishes. */
  i: number;
  ip: string;
  result: Exclude<ClaimResult, { ok: true }>;
  range: ServiceIpRange | undefined;
}

/** IP-4: explicit addresses in resource order (first by file path wins), before any allocation. */
function claimClusterIPs(drafts: ServiceDraft[], ranges: ServiceIpRanges): RefusedClaim[] {
  const refused: RefusedClaim[] = [];
  for (const d of drafts) {
    d.ipWishes.forEach((w, i) => {
      if (w.ip === null) return;
      const range = ranges.of(w.family);
      const result: ClaimResult = range ? range.claim(w.ip, d.info.id) : { ok: false, reason: 'family' };
      if (result.ok) return;
      refused.push({ d, i, ip: w.ip, result, range });
      w.ip = null; // The API server refuses the object; the model goes on as if no address were written.
    });
  }
  return refused;
}

/**
 * Reported once every address is handed out, so the quick fix offers the address the Service got instead
 * (the one its hover shows), written everywhere the refused one was: `clusterIP` and `clusterIPs[0]` (IP-5).
 */
function reportRefusedClaims(refused: RefusedClaim[], ranges: ServiceIpRanges): void {
  for (const { d, i, ip, result, range } of refused) {
    const w = d.ipWishes[i]!;
    const span = w.spans[0] ?? nameSpan(d.res);
    const cidr = range?.cidr.text ?? ranges.describe();
    const given = w.given;
    const fixes = given
      ? [{ title: `Use ${given}, the address the model allocates instead`, edits: w.spans.map((s) => ({ file: d.res.file, span: s, newText: given })) }]
      : undefined;
    const then = given ? ` The model allocates ${given} instead, as if clusterIP were absent.` : '';
    if (result.reason === 'taken') {
      const why =
        result.holder === KUBERNETES_SERVICE
          ? `it is the first address of serviceCIDR ${cidr}, always held by the Service default/kubernetes (the API server's own ClusterIP)`
          : `Service ${result.holder} already holds it (the first by file path wins)`;
      d.f.report(
        'clusterip-already-allocated',
        'error',
        `clusterIP ${ip} is already allocated: ${why}. The API server rejects this Service ("failed to allocate IP ${ip}: provided IP is already allocated").${then}`,
        span,
        'IP-4',
        fixes,
      );
      continue;
    }
    const reason = {
      malformed: `"${ip}" is not an IP address ("must be a valid IP address")`,
      family: `${ip} is not an ${w.family} address, the family this Service's ipFamilies[${i}] asks for`,
      outside: `${ip} is not in serviceCIDR ${cidr} ("the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr}")`,
      network: `${ip} is the network address of serviceCIDR ${cidr}, which is never handed out ("not in the valid range")`,
      broadcast: `${ip} is the broadcast address of serviceCIDR ${cidr}, which is never handed out ("not in the valid range")`,
    }[result.reason];
    d.f.report('clusterip-out-of-range', 'error', `clusterIP ${reason}; the API server rejects this Service.${then}`, span, 'IP-4', fixes);
  }
}

/** IP-4, IP-5: addresses not written are allocated from the upper band, per family. */
function allocateClusterIPs(d: ServiceDraft, ranges: ServiceIpRanges): void {
  const ips: string[] = [];
  for (const w of d.ipWishes) {
    const range = ranges.of(w.family);
    if (!range) continue;
    const ip = w.ip ?? range.allocate(d.info.id);
    if (ip === null) {
      d.f.report(
        'clusterip-range-full',
        'error',
        `serviceCIDR ${range.cidr.text} has no free ${w.family} address left; the API server rejects this Service ("range is full").`,
        nameSpan(d.res),
        'IP-4',
      );
      continue;
    }
    w.given = ip;
    ips.push(ip);
  }
  d.info.clusterIPs = ips;
  d.info.clusterIP = ips[0] ?? null;
}

/** SVC-3: explicit nodePorts, in resource order, unique by number across Services. */
function claimNodePorts(drafts: ServiceDraft[], alloc: NodePortAllocator): void {
  const { min, max } = alloc.range;
  for (const d of drafts) {
    if (!d.wantsNodePorts && d.info.type !== 'LoadBalancer') continue;
    const own = new Map<number, Set<string>>(); // nodePort -> protocols already using it in this Service
    for (const p of d.ports) {
      const n = p.explicitNodePort;
      if (n === null) continue;
      const span = d.res.spans.entry(p.source, 'nodePort')?.value ?? nameSpan(d.res);
      const protocols = own.get(n);
      if (protocols?.has(p.info.protocol)) {
        d.f.report(
          'nodeport-already-allocated',
          'error',
          `nodePort ${n}/${p.info.protocol} is used twice in this Service; one nodePort serves one port per protocol, so the API server rejects it ("Duplicate value").`,
          span,
          'SVC-3',
        );
        continue;
      }
      if (protocols) {
        // SVC-3: the same number for the TCP and UDP of one port (e.g. DNS on 53) is allowed.
        protocols.add(p.info.protocol);
        p.info.nodePort = n;
        continue;
      }
      const r = alloc.claim(n, d.info.id);
      if (r.ok) {
        own.set(n, new Set([p.info.protocol]));
        p.info.nodePort = n;
      } else if (r.reason === 'outside') {
        d.f.report(
          'nodeport-out-of-range',
          'error',
          `nodePort ${n} is outside nodePortRange ${min}-${max}; the API server rejects this Service ("provided port is not in the valid range. The range of valid ports is ${min}-${max}"). Leave nodePort out to get one allocated.`,
          span,
          'SVC-3',
        );
      } else {
        d.f.report(
          'nodeport-already-allocated',
          'error',
          `nodePort ${n} is already allocated to Service ${r.holder} (nodePorts are unique across Services, whatever the protocol); the API server rejects this Service ("provided port is already allocated").`,
          span,
          'SVC-3',
        );
      }
    }
  }
}

/**
 * SVC-3: the rest are allocated; ports of one Service that share a port number (TCP and UDP 53) share
 * one nodePort, as the API server does. LoadBalancer with allocateLoadBalancerNodePorts: false keeps
 * only the nodePorts written explicitly.
 */
function allocateNodePorts(d: ServiceDraft, alloc: NodePortAllocator): void {
  if (!d.wantsNodePorts) return;
  const byPort = new Map<number, number>();
  for (const p of d.ports) if (p.info.nodePort !== null) byPort.set(p.info.port, p.info.nodePort);
  for (const p of d.ports) {
    if (p.info.nodePort !== null) continue;
    const shared = byPort.get(p.info.port);
    const n = shared ?? alloc.allocate(`${d.info.id}:${p.info.port}`, d.info.id);
    if (n === null) {
      d.f.report(
        'nodeport-range-full',
        'error',
        `nodePortRange ${alloc.range.min}-${alloc.range.max} has no free port left; the API server rejects this Service.`,
        nameSpan(d.res),
        'SVC-3',
      );
      continue;
    }
    p.info.nodePort = n;
    byPort.set(p.info.port, n);
  }
}

/**
 * SVC-4: without an IP in the manifest, a LoadBalancer stays `<pending>` unless the profile has an
 * LB implementation; the model's is k3s ServiceLB (klipper-lb), which publishes the nodes' IPs.
 * Services may share an LB IP on distinct ports; the same port twice cannot be balanced to both.
 */
function resolveLoadBalancers(ctx: BuildContext, drafts: ServiceDraft[]): void {
  const nodeIp = (ctx.nodes[0] ?? ctx.profile.nodes[0])?.internalIP ?? null;
  const used = new Map<string, string>(); // ip|port/proto -> Service id
  for (const d of drafts) {
    if (d.info.type !== 'LoadBalancer') continue;
    if (d.info.loadBalancerIP === null && ctx.profile.loadBalancer?.enabled) d.info.loadBalancerIP = nodeIp;
    const ip = d.info.loadBalancerIP;
    // A requested IP is only a wish until an LB implementation takes it: without one the Service
    // shows <pending> (status IPs, written by an implementation, stand). Clashes are still checked,
    // since they bite as soon as one is installed.
    if (d.info.requestedLoadBalancerIP !== undefined && !ctx.profile.loadBalancer?.enabled) d.info.loadBalancerIP = null;
    if (ip === null) continue;
    for (const p of d.info.ports) {
      const key = `${ip}|${p.port}/${p.protocol}`;
      const other = used.get(key);
      if (other === undefined) {
        used.set(key, d.info.id);
        continue;
      }
      d.f.report(
        'loadbalancer-port-conflict',
        'warning',
        `LoadBalancer IP ${ip} already serves ${p.port}/${p.protocol} for Service ${other}. Services may share one LB IP only on distinct ports: the balancer cannot send one port to two Services, so on a real cluster this Service's external IP stays <pending>.`,
        d.lbSpan ?? nameSpan(d.res),
        'SVC-4',
      );
      d.info.loadBalancerIP = null;
      break;
    }
  }
}

/**
 * SVC-9: a Service is not a process and listens nowhere (`ss -tapn` shows nothing), except that a
 * nodePort makes kube-proxy listen on every node. The sockets kube-proxy holds, per node.
 */
export function serviceListeners(
  service: ServiceInfo,
  nodes: readonly { name: string; internalIP: string }[],
): { node: string; address: string; port: number; protocol: string; process: 'kube-proxy' }[] {
  const out: { node: string; address: string; port: number; protocol: string; process: 'kube-proxy' }[] = [];
  for (const n of nodes)
    for (const p of service.ports)
      if (p.nodePort !== null) out.push({ node: n.name, address: '0.0.0.0', port: p.nodePort, protocol: p.protocol, process: 'kube-proxy' });
  return out;
}
