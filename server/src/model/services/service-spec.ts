// Model layer (pure): reads one Service manifest into a draft (SVC-1, SVC-2, SVC-4..8, IP-5). Must not import vscode, LSP, node:* or fs.
// Addresses and nodePorts are only *asked for* here; services.ts hands them out once every claim is known.
import { isDns1123Label, isDns1123Subdomain } from '../core/names';
import type { JsonMap, Protocol, Resource, ServiceInfo, ServicePortInfo, ServiceType, Span } from '../types';
import { Fields, isMap, keySpan, valueSpan } from '../core/typed-fields';
import { isIp, parseIp } from '../core/ip';
import { type IpFamilyName, type ServiceIpRanges, familyOfIp } from './cluster-ip-allocator';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const POLICIES = ['Cluster', 'Local'] as const;
const FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;
/** SVC-8: kube-proxy's default ClientIP affinity timeout (3 hours). */
export const DEFAULT_AFFINITY_TIMEOUT = 10800;

export interface PortDraft {
  info: ServicePortInfo;
  /** `spec.ports[i].nodePort` as written (0 or absent: allocate). */
  explicitNodePort: number | null;
  source: JsonMap;
}

export interface IpWish {
  family: IpFamilyName;
  /** The address written in clusterIP/clusterIPs, or null to allocate. */
  ip: string | null;
  /** Every place the address is written: `clusterIP` and `clusterIPs[0]` both hold the first family's (IP-5). */
  spans: Span[];
  /** The address the Service ends up with (set by services.ts once allocation is done). */
  given?: string;
}

export interface ServiceDraft {
  info: ServiceInfo;
  res: Resource;
  f: Fields;
  ports: PortDraft[];
  /** One per family the Service gets an address in (none for headless and ExternalName). */
  ipWishes: IpWish[];
  /** Whether ports get nodePorts (NodePort; LoadBalancer unless allocateLoadBalancerNodePorts: false). */
  wantsNodePorts: boolean;
  /** Where the LB IP came from, for clash diagnostics (SVC-4). */
  lbSpan?: Span;
}

export function readService(res: Resource, f: Fields, ranges: ServiceIpRanges): ServiceDraft {
  const spec = f.map(res.body, 'spec');
  const type: ServiceType = f.defaulted(spec, 'type', TYPES) ?? 'ClusterIP';
  const selector = f.stringMap(spec, 'selector');
  const externalIPs = readExternalIPs(f, spec);
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && externalIPs.length > 0);
  const info: ServiceInfo = {
    id: `${res.namespace}/${res.name}`,
    name: res.name,
    namespace: res.namespace,
    source: res,
    type,
    clusterIP: null,
    clusterIPs: [],
    headless: false,
    ipFamilies: [],
    // A Service with an empty selector gets no endpoints from the controllers, like one without (EP-2).
    selector: selector && Object.keys(selector).length > 0 ? selector : null,
    ports: [],
    externalIPs,
    loadBalancerIP: null,
    externalName: null,
    externalTrafficPolicy: readExternalTrafficPolicy(f, spec, externallyAccessible),
    internalTrafficPolicy: f.oneOf(spec, 'internalTrafficPolicy', POLICIES) ?? 'Cluster',
    sessionAffinity: 'None',
    sessionAffinityTimeoutSeconds: 0,
    publishNotReadyAddresses: f.bool(spec, 'publishNotReadyAddresses') ?? false,
    dns: [],
    endpoints: [],
    endpointSlices: [],
    endpointsObject: null,
    env: {},
  };
  readAffinity(f, spec, info);
  const draft: ServiceDraft = { info, res, f, ports: readPorts(f, spec, type), ipWishes: [], wantsNodePorts: false };
  info.ports = draft.ports.map((p) => p.info);
  readAddresses(draft, spec, ranges);
  if (type === 'ExternalName') readExternalName(draft, spec);
  if (type === 'LoadBalancer') readLoadBalancer(draft, spec);
  else if (spec && spec.loadBalancerIP !== undefined) f.str(spec, 'loadBalancerIP'); // type-checked, unused off LoadBalancer
  draft.wantsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && (f.bool(spec, 'allocateLoadBalancerNodePorts') ?? true));
  if (type !== 'LoadBalancer' && spec?.allocateLoadBalancerNodePorts !== undefined) {
    f.report(
      'invalid-field',
      'error',
      '`allocateLoadBalancerNodePorts` may only be set on a LoadBalancer Service; the API server rejects this Service.',
      keySpan(res, spec, 'allocateLoadBalancerNodePorts'),
      'SVC-4',
    );
  }
  if (draft.ports.length === 0 && type !== 'ExternalName' && !info.headless) {
    f.report(
      'invalid-field',
      'error',
      `A ${type} Service needs at least one port; the API server rejects it ("spec.ports: Required value"). Only headless and ExternalName Services may have none.`,
      spec ? keySpan(res, spec, 'ports') : res.span,
      'SVC-2',
    );
  }
  return draft;
}

/** SVC-2: protocol defaults to TCP, targetPort to port; more than one port means every port needs a unique name. */
function readPorts(f: Fields, spec: JsonMap | undefined, type: ServiceType): PortDraft[] {
  const out: PortDraft[] = [];
  const list = f.maps(spec, 'ports');
  const names = new Map<string, number>();
  const numbers = new Set<string>();
  list.forEach((p, i) => {
    const port = f.int(p, 'port', { min: 1, max: 65535 });
    if (port === undefined) {
      if (p.port === undefined || p.port === null)
        f.report(
          'invalid-field',
          'error',
          `\`ports[${i}]\` has no \`port\`; the API server rejects this Service.`,
          f.res.spans.whole(p) ?? f.res.span,
          'SVC-2',
        );
      return;
    }
    const protocol: Protocol = f.defaulted(p, 'protocol', PROTOCOLS) ?? 'TCP';
    let name = f.str(p, 'name') ?? '';
    if (name !== '' && !isDns1123Label(name)) {
      f.report(
        'invalid-field',
        'error',
        `Port name "${name}" must be a DNS label (lowercase letters, digits and '-', at most 63); the API server rejects this Service.`,
        valueSpan(f.res, p, 'name'),
        'SVC-2',
      );
      name = '';
    }
    if (list.length > 1) {
      if (name === '') {
        f.report(
          'service-port-name-required',
          'error',
          `This Service has ${list.length} ports, so every port needs a \`name\`; the API server rejects it ("spec.ports[${i}].name: Required value").`,
          p.name !== undefined ? valueSpan(f.res, p, 'name') : keySpan(f.res, p, 'port'),
          'SVC-2',
        );
      } else if (names.has(name)) {
        f.report(
          'service-port-duplicate',
          'error',
          `Port name "${name}" is already used by ports[${names.get(name)}]; names must be unique within a Service, so the API server rejects it.`,
          valueSpan(f.res, p, 'name'),
          'SVC-2',
        );
      } else names.set(name, i);
    }
    const key = `${port}/${protocol}`;
    if (numbers.has(key))
      f.report(
        'service-port-duplicate',
        'error',
        `Port ${port}/${protocol} is listed twice; the API server rejects this Service ("Duplicate value").`,
        valueSpan(f.res, p, 'port'),
        'SVC-2',
      );
    numbers.add(key);
    const nodePort = f.int(p, 'nodePort');
    let explicitNodePort = nodePort !== undefined && nodePort !== 0 ? nodePort : null;
    if (explicitNodePort !== null && (type === 'ClusterIP' || type === 'ExternalName')) {
      f.report(
        'invalid-field',
        'error',
        `\`nodePort\` may not be used when \`type\` is ${type}; the API server rejects this Service. Use type NodePort or LoadBalancer.`,
        valueSpan(f.res, p, 'nodePort'),
        'SVC-3',
      );
      explicitNodePort = null;
    }
    const info: ServicePortInfo = { name, port, protocol, targetPort: readTargetPort(f, p) ?? port, nodePort: null, source: p };
    const appProtocol = f.str(p, 'appProtocol');
    if (appProtocol !== undefined) info.appProtocol = appProtocol;
    out.push({ info, explicitNodePort, source: p });
  });
  return out;
}

/**
 * SVC-2: the API server defaults `targetPort` to `port` when it is absent, `0` or `""` (SetDefaults_ServicePort
 * runs before validation), so rendered charts' `targetPort: 0` is not an error.
 */
function readTargetPort(f: Fields, p: JsonMap): number | string | undefined {
  const v = p.targetPort;
  if (v === 0 || v === '' || v === '0') return undefined;
  return f.intOrString(p, 'targetPort');
}

/** SVC-1, IP-4, IP-5: headless, explicit addresses and IP families. */
function readAddresses(d: ServiceDraft, spec: JsonMap | undefined, ranges: ServiceIpRanges): void {
  const { f, info } = d;
  const res = d.res;
  const clusterIP = f.str(spec, 'clusterIP');
  const clusterIPs = f.strings(spec, 'clusterIPs') ?? [];
  const families = (f.strings(spec, 'ipFamilies') ?? []).filter((s, i): s is IpFamilyName => {
    if (s === 'IPv4' || s === 'IPv6') return true;
    f.report(
      'invalid-field',
      'error',
      `\`ipFamilies[${i}]: ${s}\` must be IPv4 or IPv6; the API server rejects this Service.`,
      valueSpan(res, spec!.ipFamilies as never, i),
      'IP-5',
    );
    return false;
  });
  let policy = f.oneOf(spec, 'ipFamilyPolicy', FAMILY_POLICIES);
  if (info.type === 'ExternalName') {
    if ((clusterIP ?? '') !== '' || clusterIPs.length > 0) {
      f.report(
        'invalid-field',
        'error',
        'An ExternalName Service has no cluster IP: `clusterIP` may not be set, and the API server rejects this Service.',
        valueSpan(res, spec!, clusterIP !== undefined ? 'clusterIP' : 'clusterIPs'),
        'SVC-5',
      );
    }
    return;
  }
  const first = clusterIP ?? clusterIPs[0];
  if (clusterIP !== undefined && clusterIPs[0] !== undefined && clusterIPs[0] !== clusterIP) {
    const span = valueSpan(res, spec!.clusterIPs as never, 0);
    const fixes = isIp(clusterIP) ? [{ title: `Set clusterIPs[0] to ${clusterIP}`, edits: [{ file: res.file, span, newText: clusterIP }] }] : undefined;
    f.report(
      'invalid-field',
      'error',
      `\`clusterIPs[0]\` (${clusterIPs[0]}) must equal \`clusterIP\` (${clusterIP}); the API server rejects this Service. The model uses clusterIP.`,
      span,
      'IP-5',
      fixes,
    );
  }
  if (first === 'None') {
    if (info.type === 'ClusterIP') info.headless = true;
    else
      f.report(
        'invalid-field',
        'error',
        `\`clusterIP: None\` (headless) is only allowed on type ClusterIP, not ${info.type}; the API server rejects this Service. The model allocates an address instead.`,
        valueSpan(res, spec!, clusterIP !== undefined ? 'clusterIP' : 'clusterIPs'),
        'SVC-1',
      );
  }
  const explicit = info.headless ? [] : [first, clusterIPs[1]].filter((s): s is string => s !== undefined && s !== '' && s !== 'None');
  if (policy === undefined) {
    if (families.length > 1 || explicit.length > 1) {
      f.report(
        'invalid-field',
        'error',
        'Two IP families need `ipFamilyPolicy: PreferDualStack` or `RequireDualStack`; the API server rejects this Service.',
        spec ? keySpan(res, spec, families.length > 1 ? 'ipFamilies' : 'clusterIPs') : res.span,
        'IP-5',
      );
      policy = 'RequireDualStack';
    } else policy = 'SingleStack';
  } else if (policy === 'SingleStack' && (families.length > 1 || explicit.length > 1)) {
    f.report(
      'invalid-field',
      'error',
      '`ipFamilyPolicy: SingleStack` allows one IP family, but two are given; the API server rejects this Service.',
      valueSpan(res, spec!, 'ipFamilyPolicy'),
      'IP-5',
    );
  }
  // Family order: ipFamilies as written, else the families of the written addresses, else the cluster's primary.
  const wanted: IpFamilyName[] = [];
  const add = (fam: IpFamilyName | null): void => {
    if (fam && !wanted.includes(fam)) wanted.push(fam);
  };
  families.forEach(add);
  explicit.forEach((ip) => add(familyOfIp(ip)));
  if (wanted.length === 0) add(ranges.primary.family);
  const configured = wanted.filter((fam) => ranges.of(fam));
  for (const fam of wanted) {
    if (!ranges.of(fam) && (policy === 'SingleStack' || policy === 'RequireDualStack' || fam === wanted[0])) {
      f.report(
        'invalid-field',
        'error',
        `${fam} is not configured on this cluster (serviceCIDR ${ranges.describe()}); the API server rejects this Service.`,
        spec && spec.ipFamilies !== undefined
          ? valueSpan(res, spec, 'ipFamilies')
          : spec && first !== undefined
            ? valueSpan(res, spec, clusterIP !== undefined ? 'clusterIP' : 'clusterIPs')
            : res.span,
        'IP-5',
      );
    }
  }
  let result: IpFamilyName[] = configured.length ? [configured[0]!] : [ranges.primary.family];
  if (policy !== 'SingleStack') {
    if (ranges.dualStack) result = [result[0]!, ranges.ranges.find((r) => r.family !== result[0])!.family];
    else if (policy === 'RequireDualStack') {
      f.report(
        'invalid-field',
        'error',
        `\`ipFamilyPolicy: RequireDualStack\` needs a dual-stack cluster, but serviceCIDR is only ${ranges.describe()}; the API server rejects this Service.`,
        spec?.ipFamilyPolicy !== undefined ? valueSpan(res, spec, 'ipFamilyPolicy') : res.span,
        'IP-5',
      );
    }
  }
  info.ipFamilies = result;
  if (info.headless) return;
  const ipSpans = (i: number): Span[] => {
    if (!spec) return [];
    const spans: Span[] = [];
    if (i === 0 && clusterIP !== undefined) spans.push(valueSpan(res, spec, 'clusterIP'));
    if (isMap(spec) && Array.isArray(spec.clusterIPs) && spec.clusterIPs[i] !== undefined) spans.push(valueSpan(res, spec.clusterIPs, i));
    return spans;
  };
  // clusterIPs[i] belongs to ipFamilies[i]; a mismatch is reported when services.ts claims it.
  d.ipWishes = result.map((family, i) => ({ family, ip: explicit[i] ?? null, spans: explicit[i] !== undefined ? ipSpans(i) : [] }));
}

/** SVC-6: every entry must be an IP address (the API validates it); they need not be cluster IPs. */
function readExternalIPs(f: Fields, spec: JsonMap | undefined): string[] {
  const list = f.strings(spec, 'externalIPs') ?? [];
  return list.filter((ip, i) => {
    if (isIp(ip)) return true;
    f.report(
      'invalid-field',
      'error',
      `externalIPs[${i}] "${ip}" is not an IP address; the API server rejects this Service.`,
      valueSpan(f.res, spec!.externalIPs as never, i),
      'SVC-6',
    );
    return false;
  });
}

/**
 * SVC-7: externalTrafficPolicy only on externally reachable Services (NodePort, LoadBalancer, or
 * ClusterIP with externalIPs); elsewhere the API rejects it ("may only be set for externally-accessible services").
 */
function readExternalTrafficPolicy(f: Fields, spec: JsonMap | undefined, externallyAccessible: boolean): 'Cluster' | 'Local' {
  const v = f.defaulted(spec, 'externalTrafficPolicy', POLICIES);
  if (v === undefined) return 'Cluster';
  if (!externallyAccessible) {
    f.report(
      'external-traffic-policy-not-allowed',
      'error',
      `\`externalTrafficPolicy: ${v}\` may only be set on externally reachable Services (NodePort, LoadBalancer, or ClusterIP with externalIPs); the API server rejects this Service. Traffic from outside has no way in here, so there is nothing for the policy to govern.`,
      valueSpan(f.res, spec!, 'externalTrafficPolicy'),
      'SVC-7',
    );
    return 'Cluster';
  }
  return v;
}

/** SVC-8: ClientIP pins a client to one endpoint for timeoutSeconds (default 10800); None spreads. */
function readAffinity(f: Fields, spec: JsonMap | undefined, info: ServiceInfo): void {
  info.sessionAffinity = f.defaulted(spec, 'sessionAffinity', ['None', 'ClientIP'] as const) ?? 'None';
  const cfg = f.map(spec, 'sessionAffinityConfig');
  const timeout = f.int(f.map(cfg, 'clientIP'), 'timeoutSeconds', { min: 1, max: 86400 });
  if (info.sessionAffinity === 'ClientIP') info.sessionAffinityTimeoutSeconds = timeout ?? DEFAULT_AFFINITY_TIMEOUT;
  else if (cfg)
    f.report(
      'invalid-field',
      'error',
      '`sessionAffinityConfig` must not be set when sessionAffinity is None; the API server rejects this Service.',
      keySpan(f.res, spec!, 'sessionAffinityConfig'),
      'SVC-8',
    );
}

/**
 * SVC-5: `externalName` must be a DNS name. The API validates it as a DNS-1123 subdomain (a trailing
 * dot allowed), which an IPv4 address like 1.2.3.4 passes: the Service is accepted, but CoreDNS then
 * answers a CNAME to the *name* "1.2.3.4", which resolves to nothing. Accepted but broken is a
 * warning by the contract (cli.md); an IPv6 address fails the syntax check and is an error.
 */
function readExternalName(d: ServiceDraft, spec: JsonMap | undefined): void {
  const { f, info } = d;
  const raw = f.str(spec, 'externalName');
  if (raw === undefined || raw === '') {
    f.report(
      'invalid-field',
      'error',
      'An ExternalName Service needs `externalName`; the API server rejects it ("spec.externalName: Required value").',
      spec ? keySpan(d.res, spec, 'type') : d.res.span,
      'SVC-5',
    );
    return;
  }
  const name = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  const span = valueSpan(d.res, spec!, 'externalName');
  const ip = parseIp(name);
  if (ip) {
    const accepted = ip.family === 4;
    f.report(
      'externalname-looks-like-ip',
      accepted ? 'warning' : 'error',
      accepted
        ? `externalName "${name}" is an IP address. The API server accepts it, but DNS answers a CNAME to the name "${name}", which does not resolve ("bad address"). Use a DNS name, or a selector-less Service with an EndpointSlice holding ${name}.`
        : `externalName "${name}" is an IPv6 address, not a DNS name; the API server rejects this Service. Use a DNS name, or a selector-less Service with an EndpointSlice.`,
      span,
      'SVC-5',
    );
  } else if (!isDns1123Subdomain(name)) {
    f.report(
      'invalid-field',
      'error',
      `externalName "${raw}" is not a valid DNS name (lowercase letters, digits, '-' and '.'); the API server rejects this Service.`,
      span,
      'SVC-5',
    );
    return;
  }
  info.externalName = name;
}

/**
 * SVC-4: the external IP is `loadBalancerIP` or the first `status.loadBalancer.ingress[].ip`; without
 * either, services.ts asks the profile's LB implementation or leaves it `<pending>`.
 */
function readLoadBalancer(d: ServiceDraft, spec: JsonMap | undefined): void {
  const { f, info } = d;
  const lbIP = f.str(spec, 'loadBalancerIP');
  if (lbIP !== undefined && lbIP !== '') {
    if (isIp(lbIP)) {
      info.loadBalancerIP = lbIP;
      info.requestedLoadBalancerIP = lbIP;
      d.lbSpan = valueSpan(d.res, spec!, 'loadBalancerIP');
      return;
    }
    f.report(
      'invalid-field',
      'error',
      `loadBalancerIP "${lbIP}" is not an IP address; the API server rejects this Service.`,
      valueSpan(d.res, spec!, 'loadBalancerIP'),
      'SVC-4',
    );
  }
  const ingress = f.maps(f.map(f.map(d.res.body, 'status'), 'loadBalancer'), 'ingress');
  for (const ing of ingress) {
    const ip = f.str(ing, 'ip');
    if (ip !== undefined && isIp(ip)) {
      info.loadBalancerIP = ip;
      d.lbSpan = valueSpan(d.res, ing, 'ip');
      return;
    }
  }
}
