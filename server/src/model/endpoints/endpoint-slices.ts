// Model layer (pure): EndpointSlices: controller slicing, manual slices, mirroring, kube-proxy's view (EP-3, EP-4). Must not import vscode, LSP, node:* or fs.
import type { EndpointInfo, EndpointPort, EndpointSliceInfo, JsonMap, PodInfo, Protocol, Resource, ServiceInfo, ServicePortInfo } from '../types';
import { Fields, labelsOf, metadata } from '../core/typed-fields';
import { parseIp } from '../core/ip';
import { nameSuffix } from '../core/generated-names';

/** EP-3: the EndpointSlice controller's default `--max-endpoints-per-slice`. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** EP-3: the legacy Endpoints object keeps at most this many addresses, then is annotated truncated. */
export const MAX_ENDPOINTS_ADDRESSES = 1000;
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

type SliceEndpoint = EndpointSliceInfo['endpoints'][number];

/**
 * The fields an EndpointSlice endpoint and an Endpoints address share: the node it runs on, its DNS
 * hostname (DNS-2) and the pod behind it (`targetRef`), read into `ep`.
 */
export function readEndpointPlacement(f: Fields, obj: JsonMap, ep: SliceEndpoint, namespace: string): SliceEndpoint {
  const nodeName = f.str(obj, 'nodeName');
  if (nodeName !== undefined) ep.nodeName = nodeName;
  const hostname = f.str(obj, 'hostname');
  if (hostname !== undefined) ep.hostname = hostname;
  const ref = f.map(obj, 'targetRef');
  const refName = f.str(ref, 'name');
  if (ref && refName !== undefined && (ref.kind === undefined || ref.kind === 'Pod'))
    ep.pod = `${typeof ref.namespace === 'string' ? ref.namespace : namespace}/${refName}`;
  return ep;
}

function portKey(ports: readonly EndpointPort[]): string {
  return ports.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(',');
}

/**
 * SVC-2: a Service port's number on one pod: a number as is, a name looked up among the pod's
 * container ports with the same protocol (k8s `FindPort`); null when the pod lacks it.
 */
export function resolveTargetPort(pod: PodInfo, sp: ServicePortInfo): number | null {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  for (const c of pod.containers) for (const cp of c.ports) if (cp.name === sp.targetPort && cp.protocol === sp.protocol) return cp.containerPort;
  return null;
}

/** One endpoint before slicing: its address type and the ports it serves. */
export interface PendingEndpoint {
  endpoint: SliceEndpoint;
  ports: EndpointPort[];
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  /** The slice group it joins (sliceGroupKey), when already known. */
  group?: string;
}

/** The key endpoints share a slice group by: the same address type and port set (EP-3). */
export function sliceGroupKey(addressType: PendingEndpoint['addressType'], ports: readonly EndpointPort[]): string {
  return `${addressType}|${portKey(ports)}`;
}

/**
 * EP-3: endpoints with the same port set and address type share slices of at most 100, as the
 * EndpointSlice controller packs them; names are `<prefix>-<5 chars>` derived from the content key,
 * so they do not change when unrelated objects do.
 */
export function packSlices(prefix: string, seed: string, pending: readonly PendingEndpoint[], managed: boolean, source?: Resource): EndpointSliceInfo[] {
  const groups = new Map<string, { ports: EndpointPort[]; addressType: PendingEndpoint['addressType']; endpoints: SliceEndpoint[] }>();
  for (const p of pending) {
    const key = p.group ?? sliceGroupKey(p.addressType, p.ports);
    const g = groups.get(key);
    if (g) g.endpoints.push(p.endpoint);
    else groups.set(key, { ports: p.ports, addressType: p.addressType, endpoints: [p.endpoint] });
  }
  const out: EndpointSliceInfo[] = [];
  for (const [key, g] of groups) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      const slice: EndpointSliceInfo = {
        name: `${prefix}-${nameSuffix(`${seed}|${key}|${i / MAX_ENDPOINTS_PER_SLICE}`)}`,
        managed,
        addressType: g.addressType,
        endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE),
        ports: g.ports,
      };
      if (source) slice.source = source;
      out.push(slice);
    }
  }
  return out;
}

export function addressTypeOf(ip: string): 'IPv4' | 'IPv6' {
  return parseIp(ip)?.family === 6 ? 'IPv6' : 'IPv4';
}

/** A slice written in a manifest, or mirrored from manual Endpoints, with where its ports are written. */
export interface SliceOrigin {
  slice: EndpointSliceInfo;
  res: Resource;
  f: Fields;
  /** The `ports[i]` maps as written, parallel to `slice.ports`. */
  portMaps: JsonMap[];
  /** The map holding the `ports` key (the slice body, or an Endpoints subset). */
  portsOwner: JsonMap;
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/** EP-4: slice (and Endpoints) ports: name defaults to '', protocol to TCP. */
export function readEndpointPorts(f: Fields, owner: JsonMap | undefined): { ports: EndpointPort[]; maps: JsonMap[] } {
  const ports: EndpointPort[] = [];
  const maps: JsonMap[] = [];
  for (const p of f.maps(owner, 'ports')) {
    const port = f.int(p, 'port', { min: 1, max: 65535 });
    if (port === undefined) continue;
    const protocol: Protocol = f.oneOf(p, 'protocol', PROTOCOLS) ?? 'TCP';
    ports.push({ name: f.str(p, 'name') ?? '', port, protocol });
    maps.push(p);
  }
  return { ports, maps };
}

/** A `discovery.k8s.io/v1` EndpointSlice from a manifest, and the Service its label names (EP-2). */
export function readManualSlice(res: Resource, out: Fields): { service: string | null; origin: SliceOrigin } {
  const f = out;
  const body = res.body;
  const serviceName = labelsOf(metadata(res).labels)[SERVICE_NAME_LABEL] ?? null;
  const addressType = f.oneOf(body, 'addressType', ['IPv4', 'IPv6', 'FQDN'] as const) ?? 'IPv4';
  const endpoints: SliceEndpoint[] = [];
  for (const e of f.maps(body, 'endpoints')) {
    const addresses = f.strings(e, 'addresses') ?? [];
    if (addresses.length === 0) continue;
    // A missing `ready` condition means unknown, which consumers must read as ready.
    const ready = f.bool(f.map(e, 'conditions'), 'ready') ?? true;
    endpoints.push(readEndpointPlacement(f, e, { addresses, ready }, res.namespace));
  }
  const { ports, maps } = readEndpointPorts(f, body);
  const slice: EndpointSliceInfo = { name: res.name, managed: false, addressType, endpoints, ports, source: res };
  return { service: serviceName, origin: { slice, res, f, portMaps: maps, portsOwner: body } };
}

/**
 * EP-4, kube-proxy's view: it reads slices, pairs each Service port with a slice port of the same
 * name *and* protocol, uses the slice's port number (so a selector-less Service's targetPort is
 * ignored) and only an endpoint's first address; not-ready endpoints get no traffic.
 */
export function kubeProxyEndpoints(svc: ServiceInfo, slices: readonly EndpointSliceInfo[]): EndpointInfo[] {
  const byIp = new Map<string, EndpointInfo>();
  const out: EndpointInfo[] = [];
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue; // kube-proxy ignores FQDN slices
    const paired: EndpointPort[] = [];
    for (const sp of svc.ports) {
      const m = s.ports.find((p) => p.name === sp.name && p.protocol === sp.protocol);
      if (m) paired.push({ name: sp.name, port: m.port, protocol: sp.protocol });
    }
    // A headless Service may have no ports; its endpoints still matter to DNS.
    if (paired.length === 0 && svc.ports.length > 0) continue;
    for (const e of s.endpoints) {
      const ip = e.addresses[0];
      if (ip === undefined || !e.ready) continue;
      const known = byIp.get(ip);
      if (known) {
        const more = paired.filter((p) => !known.ports.some((k) => k.name === p.name && k.protocol === p.protocol));
        if (more.length) known.ports = [...known.ports, ...more];
        continue;
      }
      // The slice's endpoints share one port list (replaced, never changed, when another slice adds ports): at
      // 10,000 Services a copy each was the stage's largest share of memory.
      const info: EndpointInfo = { pod: e.pod ?? null, ip, node: e.nodeName ?? null, ready: true, ports: paired };
      byIp.set(ip, info);
      out.push(info);
    }
  }
  return out;
}
