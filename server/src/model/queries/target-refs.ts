// Model layer (pure): parses the CLI's references (`pod:NS/NAME`, `svc:NS/NAME:PORT`, `url:…`, …) into
// things a trace or a reachability check can start from or go to (docs/cli.md "References").
// Must not import vscode, LSP, node:* or fs.
import type { Model, NodeInfo, PodInfo, ServiceInfo, ServicePortInfo } from '../types';
import { isIp } from '../core/ip';
import { readPortArg, type PortArg } from '../core/names';
import { parseUrl, type ParsedUrl } from '../ingress/ingress-rule-match';

export type Ref =
  | { kind: 'pod'; pod: PodInfo; port?: number | string }
  | { kind: 'localhost'; port?: number }
  | { kind: 'service'; service: ServiceInfo; port?: ServicePortInfo; portText?: string; rawPort?: number | string }
  | { kind: 'node'; node: NodeInfo; port?: number }
  /** A machine outside the cluster (profile.externalHosts or any other address). */
  | { kind: 'host'; ip: string; name?: string; port?: number }
  /** An address to be classified by the tracer (pod, node, Service VIP, NodePort, outside). */
  | { kind: 'ip'; ip: string; port?: number }
  | { kind: 'dns'; name: string; port?: number | string }
  | { kind: 'url'; url: string; parsed: ParsedUrl };

export type RefResult = { ok: true; ref: Ref; text: string } | { ok: false; error: string; candidates: string[] };

const WORKLOADS: Record<string, string> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  rs: 'ReplicaSet',
  rc: 'ReplicationController',
  replicationcontroller: 'ReplicationController',
  replicaset: 'ReplicaSet',
  job: 'Job',
  cronjob: 'CronJob',
};

/** `PROTO/PORT`, `PORT`, or `PROTO/NAME` (core/names.ts), null when absent or not one. */
export function parsePortArg(s: string | undefined): PortArg | null {
  if (s === undefined || s === '') return null;
  const p = readPortArg(s);
  return 'problem' in p ? null : p;
}

/** The port of a query, or a RefError saying why it is not one (the faces name their own flags). */
export function portArgOrThrow(s: string | undefined): PortArg | null {
  if (s === undefined) return null;
  const p = readPortArg(s);
  if ('problem' in p) throw new RefError(`port "${s}": ${p.problem}`);
  return p;
}

function fail(error: string, candidates: string[] = []): RefResult {
  return { ok: false, error: candidates.length ? `${error}; candidates: ${candidates.slice(0, 20).join(', ')}` : error, candidates };
}

/** Splits `NS/NAME` (namespace optional: `default`). */
function nsName(s: string): { ns: string; name: string } {
  const i = s.indexOf('/');
  return i < 0 ? { ns: 'default', name: s } : { ns: s.slice(0, i), name: s.slice(i + 1) };
}

/** Splits a trailing `:PORT` off (IPv6 addresses are written `[::1]:80`). */
function splitPort(s: string): { base: string; port?: string } {
  const v6 = /^\[([^\]]+)\](?::([^:]+))?$/.exec(s);
  if (v6) return v6[2] !== undefined ? { base: v6[1]!, port: v6[2] } : { base: v6[1]! };
  // Only strings made of address characters can be an IPv6 address (cheap test first: reach() is
  // called for every pod pair by the bench).
  if (/^[0-9a-fA-F:.]+$/.test(s) && s.split(':').length > 2 && isIp(s)) return { base: s };
  const i = s.lastIndexOf(':');
  return i < 0 ? { base: s } : { base: s.slice(0, i), port: s.slice(i + 1) };
}

function numPort(p: string | undefined): number | undefined | null {
  if (p === undefined) return undefined;
  if (!/^[0-9]{1,5}$/.test(p)) return null;
  const n = Number(p);
  return n >= 1 && n <= 65535 ? n : null;
}

export function parseRef(model: Model, text: string): RefResult {
  const t = text.trim();
  if (t === 'localhost' || t.startsWith('localhost:')) {
    const port = numPort(t.split(':')[1]);
    if (port === null) return fail(`bad port in "${t}"`);
    return { ok: true, ref: port === undefined ? { kind: 'localhost' } : { kind: 'localhost', port }, text: t };
  }
  if (/^https?:\/\//i.test(t)) return parseRef(model, `url:${t}`);
  const colon = t.indexOf(':');
  const prefix = colon > 0 ? t.slice(0, colon).toLowerCase() : '';
  const rest = colon > 0 ? t.slice(colon + 1) : t;
  switch (prefix) {
    case 'pod':
      return podRef(model, rest, t);
    case 'svc':
    case 'service':
      return svcRef(model, rest, t);
    case 'node':
      return nodeRef(model, rest, t);
    case 'host':
      return hostRef(model, rest, t);
    case 'ip':
      return ipRef(rest, t);
    case 'dns': {
      const { base, port } = splitPort(rest);
      if (!base) return fail('dns: needs a name');
      const n = numPort(port);
      return { ok: true, ref: port === undefined ? { kind: 'dns', name: base } : { kind: 'dns', name: base, port: n ?? port }, text: t };
    }
    case 'url': {
      const parsed = parseUrl(rest);
      return parsed ? { ok: true, ref: { kind: 'url', url: rest, parsed }, text: t } : fail(`"${rest}" is not an http(s)://HOST[:PORT]/PATH URL`);
    }
    default:
      if (WORKLOADS[prefix]) return workloadRef(model, WORKLOADS[prefix]!, rest, t);
      return shortRef(model, t);
  }
}

function podRef(model: Model, rest: string, t: string): RefResult {
  const { base, port } = splitPort(rest);
  const { ns, name } = nsName(base);
  const pod = model.index.podById.get(`${ns}/${name}`) ?? model.pods.find((p) => p.id === `${ns}/${name}`);
  if (!pod)
    return fail(
      `no pod ${ns}/${name}`,
      model.pods.filter((p) => p.name.includes(name) || p.namespace === ns).map((p) => `pod:${p.id}`),
    );
  const n = numPort(port);
  return { ok: true, ref: port === undefined ? { kind: 'pod', pod } : { kind: 'pod', pod, port: n ?? port }, text: t };
}

function workloadRef(model: Model, kind: string, rest: string, t: string): RefResult {
  const { base, port } = splitPort(rest);
  const { ns, name } = nsName(base);
  const pods = model.index.podsByOwner.get(`${kind}/${ns}/${name}`) ?? model.pods.filter((p) => p.owner.id === `${kind}/${ns}/${name}`);
  const first = [...pods].sort((a, b) => a.ordinal - b.ordinal)[0];
  if (!first) {
    const cands = model.resources.filter((r) => r.kind === kind).map((r) => `${r.namespace}/${r.name}`);
    return fail(`${kind} ${ns}/${name} has no pod in the model`, cands);
  }
  const n = numPort(port);
  return { ok: true, ref: port === undefined ? { kind: 'pod', pod: first } : { kind: 'pod', pod: first, port: n ?? port }, text: t };
}

function svcRef(model: Model, rest: string, t: string): RefResult {
  const { base, port } = splitPort(rest);
  const { ns, name } = nsName(base);
  const service = model.index.serviceById.get(`${ns}/${name}`) ?? model.services.find((s) => s.id === `${ns}/${name}`);
  if (!service)
    return fail(
      `no Service ${ns}/${name}`,
      model.services.filter((s) => s.name === name || s.namespace === ns).map((s) => `svc:${s.id}`),
    );
  if (port === undefined) return { ok: true, ref: { kind: 'service', service }, text: t };
  const n = numPort(port);
  // An ExternalName Service has no ports: the port is the one the client dials on the CNAME's target.
  if (service.type === 'ExternalName') return { ok: true, ref: { kind: 'service', service, portText: port, rawPort: n ?? port }, text: t };
  const sp = service.ports.find((p) => (n ? p.port === n : p.name === port));
  if (!sp)
    return fail(
      `Service ${service.id} has no port ${port}`,
      service.ports.map((p) => `svc:${service.id}:${p.name || p.port}`),
    );
  return { ok: true, ref: { kind: 'service', service, port: sp, portText: port }, text: t };
}

function nodeRef(model: Model, rest: string, t: string): RefResult {
  const { base, port } = splitPort(rest);
  const node = model.nodes.find((n) => n.name === base || n.internalIP === base);
  if (!node)
    return fail(
      `no node ${base}`,
      model.nodes.map((n) => `node:${n.name}`),
    );
  const n = numPort(port);
  if (n === null) return fail(`bad port "${port}"`);
  return { ok: true, ref: n === undefined ? { kind: 'node', node } : { kind: 'node', node, port: n }, text: t };
}

function hostRef(model: Model, rest: string, t: string): RefResult {
  const { base, port } = splitPort(rest);
  const known = model.profile.externalHosts.find((h) => h.name === base || h.ip === base);
  const ip = known?.ip ?? (isIp(base) ? base : null);
  if (!ip)
    return fail(
      `host: needs an IP or the name of an external host`,
      model.profile.externalHosts.map((h) => `host:${h.ip}`),
    );
  const n = numPort(port);
  if (n === null) return fail(`bad port "${port}"`);
  const ref: Ref = { kind: 'host', ip };
  if (known) ref.name = known.name;
  if (n !== undefined) ref.port = n;
  return { ok: true, ref, text: t };
}

function ipRef(rest: string, t: string): RefResult {
  const { base, port } = splitPort(rest);
  if (!isIp(base)) return fail(`"${base}" is not an IP address`);
  const n = numPort(port);
  if (n === null) return fail(`bad port "${port}"`);
  return { ok: true, ref: n === undefined ? { kind: 'ip', ip: base } : { kind: 'ip', ip: base, port: n }, text: t };
}

/** No prefix: an IP, a node, an external host, or a unique pod / workload / Service name. */
function shortRef(model: Model, t: string): RefResult {
  const { base, port } = splitPort(t);
  if (isIp(base)) return ipRef(t, t);
  const tries: string[] = [];
  if (model.nodes.some((n) => n.name === base)) tries.push(`node:${t}`);
  if (model.profile.externalHosts.some((h) => h.name === base)) tries.push(`host:${t}`);
  const hasNs = base.includes('/');
  const want = (ns: string, name: string) => (hasNs ? `${ns}/${name}` === base : name === base);
  for (const p of model.pods) if (want(p.namespace, p.name)) tries.push(`pod:${p.id}${port !== undefined ? `:${port}` : ''}`);
  for (const s of model.services) if (want(s.namespace, s.name)) tries.push(`svc:${s.id}${port !== undefined ? `:${port}` : ''}`);
  for (const r of model.resources) {
    const short = Object.entries(WORKLOADS).find(([k, v]) => v === r.kind && k.length <= 6)?.[0];
    if (short && want(r.namespace, r.name)) tries.push(`${short}:${r.namespace}/${r.name}${port !== undefined ? `:${port}` : ''}`);
  }
  if (tries.length === 1) return parseRef(model, tries[0]!);
  if (tries.length === 0) return fail(`"${t}" names nothing in the model (use pod:, svc:, node:, host:, ip:, dns:, url:)`);
  return fail(`"${t}" is ambiguous`, tries);
}

/** An unknown or ambiguous reference: the CLI reports the message (with candidates) and exits 2. */
export class RefError extends Error {
  override readonly name = 'RefError';
  constructor(
    message: string,
    readonly candidates: string[] = [],
  ) {
    super(message);
  }
}

export function resolveRefOrThrow(model: Model, text: string): Ref {
  const r = parseRef(model, text);
  if (!r.ok) throw new RefError(r.error, r.candidates);
  return r.ref;
}
