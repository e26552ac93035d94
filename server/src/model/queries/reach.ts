// Model layer (pure): `reach(model, from, to, port)`, the contract's `reach --json`: is a connection allowed
// by NetworkPolicy, and which policies decided (NP-1..6). Must not import vscode, LSP, node:* or fs.
import type { EndpointInfo, Model, PodInfo, Protocol, ServiceInfo } from '../types';
import { evaluate, type PolicyVerdict } from '../netpol/policy-evaluator';
import { portArgOrThrow, RefError, resolveRefOrThrow } from './target-refs';
import { matchIngress } from '../ingress/ingress-rule-match';

export interface ReachResult {
  from: string;
  to: string;
  port: string | null;
  allowed: boolean;
  egress: ReachDirection;
  ingress: ReachDirection;
  /** One per Ready endpoint of a Service target, judged after DNAT on pod ip:targetPort (NP-6). */
  endpoints: { pod: string | null; ip: string; port: number; allowed: boolean }[];
  /** Extra: why, in a sentence. */
  note?: string;
}

/** One direction's verdict (NP-5: egress at the source, ingress at the destination). */
export interface ReachDirection {
  allowed: boolean;
  policies: string[];
  /** Service targets: how many of the judged endpoints this direction admits (TR-9 mixed verdicts). */
  endpointsAllowed?: number;
}

type Side = PodInfo | string;

function sourceOf(model: Model, text: string): Side {
  const ref = resolveRefOrThrow(model, text);
  switch (ref.kind) {
    case 'pod':
      return ref.pod;
    case 'node':
      return ref.node.internalIP;
    case 'host':
    case 'ip':
      return model.index.podByIp.get(ref.ip) ?? ref.ip;
    default:
      throw new RefError(`a connection cannot start from "${text}": use a pod, workload, node, host or ip`);
  }
}

/** A port named on a pod: its container port of that protocol (NP-4). */
function podPort(pod: PodInfo, proto: Protocol, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  for (const c of pod.containers) for (const cp of c.ports) if (cp.protocol === proto && (port === undefined || cp.name === port)) return cp.containerPort;
  return undefined;
}

export function reach(model: Model, from: string, to: string, port?: string): ReachResult {
  const p = portArgOrThrow(port);
  const proto: Protocol = p?.protocol ?? 'TCP';
  const src = sourceOf(model, from);
  const ref = resolveRefOrThrow(model, to);
  const want = p?.port;
  switch (ref.kind) {
    case 'pod': {
      const n = podPort(ref.pod, proto, want ?? ref.port);
      return single(from, to, proto, n, evaluate(model, src, ref.pod, proto, n));
    }
    case 'localhost': {
      const n = typeof want === 'number' ? want : ref.port;
      if (typeof src === 'string') throw new RefError("localhost is a pod's own loopback: reach from a pod");
      return single(from, to, proto, n, evaluate(model, src, src, proto, n));
    }
    case 'node':
      return single(from, to, proto, numeric(want, ref.port), evaluate(model, src, ref.node.internalIP, proto, numeric(want, ref.port)));
    case 'host':
    case 'ip': {
      const n = numeric(want, ref.port);
      return single(from, to, proto, n, evaluate(model, src, model.index.podByIp.get(ref.ip) ?? ref.ip, proto, n));
    }
    case 'service':
      return viaService(model, from, to, src, ref.service, proto, want ?? ref.port?.port ?? ref.rawPort);
    case 'dns': {
      const svc = model.services.find(
        (s) => s.dns.includes(ref.name) || (s.name === ref.name.split('.')[0] && (ref.name.split('.')[1] ?? 'default') === s.namespace),
      );
      if (!svc) throw new RefError(`reach: cannot resolve "${ref.name}" to a Service; use trace for names`);
      return viaService(model, from, to, src, svc, proto, want ?? ref.port);
    }
    case 'url':
      return viaIngress(model, from, to, src, ref.url, ref.parsed.port);
  }
}

/**
 * ING-5, NP-5: through the Ingress, two connections must be allowed: the client to a controller pod
 * (on the port it publishes), and the controller pod to the backend's endpoints (after DNAT).
 */
function viaIngress(model: Model, from: string, to: string, src: Side, url: string, port: number): ReachResult {
  const m = matchIngress(model, url);
  const ns = model.profile.ingressController.namespace;
  const ctrl =
    model.pods.find((p) => p.namespace === ns && p.ip && p.containers.some((c) => c.ports.some((cp) => cp.hostPort === port || cp.containerPort === port))) ??
    model.pods.find((p) => p.namespace === ns && p.ip);
  if (!ctrl) throw new RefError(`reach: no ingress controller pod in namespace ${ns} (profile.ingressController)`);
  const cport = ctrl.containers.flatMap((c) => c.ports).find((cp) => cp.hostPort === port || cp.containerPort === port)?.containerPort ?? port;
  const first = evaluate(model, src, ctrl, 'TCP', cport);
  const out = single(from, to, 'TCP', port, first);
  const svc = m.service ? model.index.serviceById.get(m.service) : undefined;
  if (!m.backend || !svc || m.servicePort === null) {
    out.allowed = false;
    out.note = m.backend
      ? `backend ${m.backend} does not resolve: the controller answers 503`
      : 'no Ingress rule or defaultBackend takes this URL: the controller answers 404';
    return out;
  }
  const back = viaService(model, `pod:${ctrl.id}`, `svc:${svc.id}`, ctrl, svc, 'TCP', m.servicePort);
  out.endpoints = back.endpoints;
  out.allowed = first.allowed && back.allowed;
  out.note = `client → ${ctrl.id}:${cport} ${first.allowed ? 'allowed' : 'denied'}; ${ctrl.id} → ${m.backend} ${back.allowed ? 'allowed' : 'denied'} (new connection from the controller pod, ING-5)`;
  return out;
}

function numeric(a: number | string | undefined, b: number | undefined): number | undefined {
  return typeof a === 'number' ? a : b;
}

function single(from: string, to: string, proto: Protocol, port: number | undefined, v: PolicyVerdict): ReachResult {
  return {
    from,
    to,
    port: port === undefined ? null : `${proto}/${port}`,
    allowed: v.allowed,
    egress: { allowed: v.egress.allowed, policies: v.egress.policies },
    ingress: { allowed: v.ingress.allowed, policies: v.ingress.policies },
    endpoints: [],
  };
}

/** The endpoint port a Service port is forwarded to (EP-4 pairing by name and protocol). */
function endpointPort(e: EndpointInfo, name: string, proto: Protocol, target: number | string): number | undefined {
  return e.ports.find((x) => x.name === name && x.protocol === proto)?.port ?? (e.ports.length === 0 && typeof target === 'number' ? target : undefined);
}

/**
 * NP-6: judged per endpoint after DNAT. TR-9 and NP-7 (`reach`, `trace` and `connectivity` agree): the
 * connection counts as allowed when some Ready endpoint admits it (kube-proxy spreads connections, so those
 * to the denied endpoints fail); the note says how many, and each direction is allowed when it is for some.
 */
function viaService(model: Model, from: string, to: string, src: Side, svc: ServiceInfo, proto: Protocol, port: number | string | undefined): ReachResult {
  const sp =
    port === undefined
      ? (svc.ports.find((x) => x.protocol === proto) ?? svc.ports[0])
      : svc.ports.find((x) => x.protocol === proto && (typeof port === 'number' ? x.port === port : x.name === port));
  if (!sp) throw new RefError(`Service ${svc.id} has no ${proto} port ${port ?? ''}`);
  const eps: ReachResult['endpoints'] = [];
  const egress = new Set<string>();
  const ingress = new Set<string>();
  let egressAdmits = 0;
  let ingressAdmits = 0;
  for (const e of svc.endpoints) {
    if (!e.ready) continue;
    const n = endpointPort(e, sp.name, sp.protocol, sp.targetPort);
    if (n === undefined) continue;
    const dst = e.pod ? (model.index.podById.get(e.pod) ?? e.ip) : e.ip;
    const v = evaluate(model, src, dst, sp.protocol, n);
    eps.push({ pod: e.pod, ip: e.ip, port: n, allowed: v.allowed });
    // Report the deciding policies: on denial the denying ones, else the admitting ones.
    v.egress.policies.forEach((x) => egress.add(x));
    v.ingress.policies.forEach((x) => ingress.add(x));
    if (v.egress.allowed) egressAdmits++;
    if (v.ingress.allowed) ingressAdmits++;
  }
  const admitted = eps.filter((e) => e.allowed).length;
  // Some endpoint admitted: both directions allowed it. None: a direction is at fault where it denies any.
  const direction = (admits: number, policies: Set<string>): ReachDirection => ({
    allowed: admitted > 0 || admits === eps.length,
    policies: [...policies].sort(),
    endpointsAllowed: admits,
  });
  const r: ReachResult = {
    from,
    to,
    port: `${sp.protocol}/${sp.port}`,
    allowed: admitted > 0,
    egress: direction(egressAdmits, egress),
    ingress: direction(ingressAdmits, ingress),
    endpoints: eps,
  };
  if (eps.length === 0) r.note = `${svc.id} has no Ready endpoint for port ${sp.port}: nothing to reach`;
  else if (admitted < eps.length)
    r.note = `TR-9: kube-proxy spreads connections over all ${eps.length} endpoints; a connection it sends to a denied one is dropped`;
  return r;
}
