// Model layer (pure): the cluster profile `netpath.cluster.yaml` (CL-1, CL-3, IP-5). Must not import vscode, LSP, node:* or fs.
// Every field is optional; a bad one is a diagnostic at its value in the profile and falls back to its default.
import { isDns1123Label, isDns1123Subdomain } from '../core/names';
import type { ClusterProfile, Json, JsonMap, ModelDiagnostic, ProfileNode, Span } from '../types';
import { addressAt, cidrContains, cidrWithin, parseCidr, parseIp, type Cidr } from '../core/ip';
import { freeBlocks, nodeMaskSize, overlappingPairs, overlayAndBridge } from './node-pod-cidrs';
import { parseSpannedYaml, toJson, type SpanLookup } from '../input/spanned-json';

export const PROFILE_FILE = 'netpath.cluster.yaml';

export function defaultProfile(): ClusterProfile {
  return {
    clusterDomain: 'cluster.local',
    serviceCIDR: '10.43.0.0/16',
    podCIDR: '10.42.0.0/16',
    nodePortRange: { min: 30000, max: 32767 },
    dnsServiceIP: '10.43.0.10',
    kubeletMaxPods: 110,
    dns: { ndots: 5 },
    network: { plugin: 'flannel', backend: 'vxlan', ipMasq: true, kubeProxyMode: 'iptables', mtu: 1450 },
    nodes: [
      { name: 'node1', internalIP: '10.0.0.1', podCIDR: '10.42.0.0/24', overlayIP: '10.42.0.0', bridgeIP: '10.42.0.1', labels: {} },
      { name: 'node2', internalIP: '10.0.0.2', podCIDR: '10.42.1.0/24', overlayIP: '10.42.1.0', bridgeIP: '10.42.1.1', labels: {} },
    ],
    externalHosts: [{ name: 'node3', ip: '10.0.0.3' }],
    routes: [],
    ingressController: { namespace: 'ingress-nginx', exposure: 'hostPort' },
    nodesAssumed: true,
  };
}

export interface ProfileResult {
  profile: ClusterProfile;
  diagnostics: ModelDiagnostic[];
}

/** Reads `netpath.cluster.yaml` (text undefined: defaults). Bad fields fall back with a diagnostic. */
export function parseProfile(file: string, text: string | undefined): ProfileResult {
  if (text === undefined) return { profile: defaultProfile(), diagnostics: [] };
  const parsed = parseSpannedYaml(text);
  if (parsed.errors.length) {
    const diagnostics = parsed.errors.map((e): ModelDiagnostic => ({
      code: 'yaml-syntax',
      severity: 'error',
      rule: 'CL-1',
      file,
      span: e.span,
      message: `YAML syntax error in the cluster profile: ${e.message}; the default profile is used.`,
    }));
    return { profile: defaultProfile(), diagnostics };
  }
  return readProfile(file, parsed.value, parsed.spans);
}

/**
 * CL-1: the profile from editor settings (used when the workspace has no `netpath.cluster.yaml`):
 * a plain object with the keys of §1, or the profile's YAML text. Diagnostics carry `file` and an
 * empty span, since settings have no text to point into.
 */
export function profileFromSettings(settings: unknown, file = 'netpath settings'): ProfileResult {
  if (settings === undefined || settings === null) return { profile: defaultProfile(), diagnostics: [] };
  if (typeof settings === 'string') return parseProfile(file, settings);
  return readProfile(file, toJson(settings), null);
}

const TOP_KEYS = [
  'clusterDomain',
  'serviceCIDR',
  'podCIDR',
  'nodePortRange',
  'dnsServiceIP',
  'kubeletMaxPods',
  'dns',
  'network',
  'nodes',
  'externalHosts',
  'routes',
  'ingressController',
  'loadBalancer',
  'gatewayClasses',
  'kustomize',
];

/** Field reads for the profile: each returns undefined (and reports) when the value is unusable. */
class Reader {
  constructor(
    readonly file: string,
    private readonly spans: SpanLookup | null,
    readonly out: ModelDiagnostic[],
  ) {}

  span(obj: JsonMap | Json[], key: string | number, part: 'key' | 'value' = 'value'): Span {
    const e = this.spans?.entry(obj, key);
    return (part === 'key' ? e?.key : undefined) ?? e?.value ?? { start: 0, end: 0 };
  }

  report(obj: JsonMap | Json[], key: string | number, message: string, severity: 'error' | 'warning' = 'error', part: 'key' | 'value' = 'value'): void {
    this.out.push({ code: 'invalid-field', severity, rule: 'CL-1', file: this.file, span: this.span(obj, key, part), message });
  }

  /** Unknown keys are most often typos (`serviceCidr`): a warning, so the author notices the default applies. */
  known(obj: JsonMap, keys: readonly string[], where: string): void {
    for (const k of Object.keys(obj)) {
      if (!keys.includes(k)) this.report(obj, k, `Unknown field \`${k}\` in ${where}; it is ignored (known: ${keys.join(', ')}).`, 'warning', 'key');
    }
  }

  private present(obj: JsonMap, key: string): boolean {
    return obj[key] !== undefined && obj[key] !== null;
  }

  str(obj: JsonMap, key: string, fallback: string, check?: (s: string) => string | null): string | undefined {
    if (!this.present(obj, key)) return undefined;
    const v = obj[key];
    if (typeof v !== 'string') {
      this.report(obj, key, `\`${key}\` must be a string; the default ${fallback || '(none)'} is used.`);
      return undefined;
    }
    const problem = check?.(v) ?? null;
    if (problem) {
      this.report(obj, key, `\`${key}: ${v}\` ${problem}; the default ${fallback || '(none)'} is used.`);
      return undefined;
    }
    return v;
  }

  int(obj: JsonMap, key: string, fallback: number, min: number, max: number): number | undefined {
    if (!this.present(obj, key)) return undefined;
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.report(obj, key, `\`${key}\` must be an integer from ${min} to ${max}, not ${JSON.stringify(v)}; the default ${fallback} is used.`);
      return undefined;
    }
    return v;
  }

  bool(obj: JsonMap, key: string, fallback: boolean): boolean | undefined {
    if (!this.present(obj, key)) return undefined;
    const v = obj[key];
    if (typeof v !== 'boolean') {
      this.report(obj, key, `\`${key}\` must be true or false, not ${JSON.stringify(v)}; the default ${fallback} is used.`);
      return undefined;
    }
    return v;
  }

  map(obj: JsonMap, key: string): JsonMap | undefined {
    if (!this.present(obj, key)) return undefined;
    const v = obj[key];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.report(obj, key, `\`${key}\` must be a map; its defaults are used.`);
      return undefined;
    }
    return v;
  }

  /** A list of maps; other items are reported and skipped. */
  maps(obj: JsonMap, key: string): JsonMap[] | undefined {
    if (!this.present(obj, key)) return undefined;
    const v = obj[key];
    if (!Array.isArray(v)) {
      this.report(obj, key, `\`${key}\` must be a list; the default is used.`);
      return undefined;
    }
    const out: JsonMap[] = [];
    v.forEach((item, i) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) out.push(item);
      else this.report(v, i, `\`${key}[${i}]\` must be a map; it is ignored.`);
    });
    return out;
  }

  labels(obj: JsonMap, key: string): Record<string, string> | undefined {
    const m = this.map(obj, key);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') {
        // Kubernetes label values are strings; `zone: 1` is a YAML number the API would reject.
        this.report(m, k, `Label \`${k}\` must be a string (quote it: "${String(v)}"); it is ignored.`);
      } else this.report(m, k, `Label \`${k}\` must be a string; it is ignored.`);
    }
    return out;
  }
}

const cidrProblem = (s: string): string | null => (parseCidr(s) ? null : 'is not a CIDR (like 10.42.0.0/16 or fd00:42::/56)');
const ipProblem = (s: string): string | null => (parseIp(s) ? null : 'is not an IP address');

function readProfile(file: string, root: Json, spans: SpanLookup | null): ProfileResult {
  const diagnostics: ModelDiagnostic[] = [];
  const r = new Reader(file, spans, diagnostics);
  const d = defaultProfile();
  if (root === null) return { profile: d, diagnostics }; // an empty file: all defaults
  if (typeof root !== 'object' || Array.isArray(root)) {
    diagnostics.push({
      code: 'invalid-field',
      severity: 'error',
      rule: 'CL-1',
      file,
      span: { start: 0, end: 0 },
      message: 'The cluster profile must be a YAML map (see network-model.md §1); the default profile is used.',
    });
    return { profile: d, diagnostics };
  }
  r.known(root, TOP_KEYS, 'the cluster profile');

  const clusterDomain = r.str(root, 'clusterDomain', d.clusterDomain, (s) => (isDns1123Subdomain(s) ? null : 'is not a DNS domain')) ?? d.clusterDomain;

  const serviceCIDR = r.str(root, 'serviceCIDR', d.serviceCIDR, cidrProblem);
  const svcCidr = parseCidr(serviceCIDR ?? d.serviceCIDR)!;
  const podCIDR = r.str(root, 'podCIDR', d.podCIDR, cidrProblem);
  const podCidr = parseCidr(podCIDR ?? d.podCIDR)!;

  // The DNS Service conventionally holds the tenth address of the service range (k3s, kubeadm).
  const dnsDefault = addressAt(svcCidr, 10);
  const dnsServiceIP =
    r.str(
      root,
      'dnsServiceIP',
      dnsDefault,
      (s) => ipProblem(s) ?? (cidrContains(svcCidr, s) ? null : `is outside serviceCIDR ${svcCidr.text}, so no Service can hold it`),
    ) ?? dnsDefault;

  const nodePortRange = readPortRange(r, root, d.nodePortRange);
  const kubeletMaxPods = r.int(root, 'kubeletMaxPods', d.kubeletMaxPods, 1, 10000) ?? d.kubeletMaxPods;

  const dnsMap = r.map(root, 'dns');
  if (dnsMap) r.known(dnsMap, ['ndots'], '`dns`');
  const ndots = (dnsMap && r.int(dnsMap, 'ndots', d.dns.ndots, 0, 15)) ?? d.dns.ndots;

  const network = { ...d.network };
  const net = r.map(root, 'network');
  if (net) {
    r.known(net, ['plugin', 'backend', 'ipMasq', 'kubeProxyMode', 'mtu'], '`network`');
    network.plugin = r.str(net, 'plugin', d.network.plugin) ?? network.plugin;
    network.backend = r.str(net, 'backend', d.network.backend) ?? network.backend;
    network.ipMasq = r.bool(net, 'ipMasq', d.network.ipMasq) ?? network.ipMasq;
    network.kubeProxyMode =
      r.str(net, 'kubeProxyMode', d.network.kubeProxyMode, (s) =>
        ['iptables', 'ipvs', 'nftables'].includes(s) ? null : 'is not iptables, ipvs or nftables',
      ) ?? network.kubeProxyMode;
    network.mtu = r.int(net, 'mtu', d.network.mtu, 576, 65535) ?? network.mtu;
  }

  const nodes = readNodes(r, root, podCidr, podCIDR !== undefined);
  const externalHosts = readExternalHosts(r, root, d.externalHosts);
  const routes = readRoutes(r, root);

  const ingressController = { ...d.ingressController };
  const ic = r.map(root, 'ingressController');
  if (ic) {
    r.known(ic, ['namespace', 'exposure'], '`ingressController`');
    ingressController.namespace =
      r.str(ic, 'namespace', d.ingressController.namespace, (s) => (isDns1123Label(s) ? null : 'is not a namespace name')) ?? ingressController.namespace;
    const exposure = r.str(ic, 'exposure', d.ingressController.exposure, (s) =>
      ['hostPort', 'nodePort', 'loadBalancer'].includes(s) ? null : 'is not hostPort, nodePort or loadBalancer',
    );
    if (exposure) ingressController.exposure = exposure as ClusterProfile['ingressController']['exposure'];
  }

  const profile: ClusterProfile = {
    clusterDomain,
    serviceCIDR: svcCidr.text,
    podCIDR: podCidr.text,
    nodePortRange,
    dnsServiceIP,
    kubeletMaxPods,
    dns: { ndots },
    network,
    nodes,
    externalHosts,
    routes,
    ingressController,
  };
  // CL-5: without a `nodes` list the nodes are the seed's, assumed rather than declared.
  if (!Array.isArray(root.nodes)) profile.nodesAssumed = true;
  const lb = r.map(root, 'loadBalancer');
  if (lb) {
    r.known(lb, ['enabled'], '`loadBalancer`');
    profile.loadBalancer = { enabled: r.bool(lb, 'enabled', false) ?? false };
  }
  const gatewayClasses = readGatewayClassEntries(r, root);
  if (gatewayClasses) profile.gatewayClasses = gatewayClasses;
  const km = r.map(root, 'kustomize');
  if (km) {
    r.known(km, ['roots'], '`kustomize`');
    const roots = km.roots;
    if (Array.isArray(roots) && roots.every((x) => typeof x === 'string')) {
      if (roots.length) profile.kustomizeRoots = roots as string[];
    } else if (roots !== undefined && roots !== null)
      r.report(km, 'roots', '`kustomize.roots` must be a list of kustomization root folders (`overlays/dev`, or `dev`); every root is modelled.');
  }
  return { profile, diagnostics };
}

/** GW-1: `gatewayClasses: [{ name, controllerName }]`, the classes a controller installed in the cluster serves. */
function readGatewayClassEntries(r: Reader, root: JsonMap): ClusterProfile['gatewayClasses'] {
  const list = r.maps(root, 'gatewayClasses');
  if (list === undefined) return undefined;
  const out: NonNullable<ClusterProfile['gatewayClasses']> = [];
  list.forEach((e, i) => {
    r.known(e, ['name', 'controllerName'], `gateway class ${i + 1}`);
    const name = r.str(e, 'name', '(none: the entry is left out)', (s) => (isDns1123Subdomain(s) ? null : 'is not a GatewayClass name'));
    const controllerName = r.str(e, 'controllerName', '(none: the entry is left out)', (s) =>
      /^[a-z0-9.-]+\/[A-Za-z0-9/._~%!$&'()*+,;=:-]+$/.test(s) ? null : 'is not a domain-prefixed path (example.net/gateway-controller)',
    );
    if (name !== undefined && controllerName !== undefined) out.push({ name, controllerName });
  });
  return out;
}

/** `nodePortRange: 30000-32767` (kube-apiserver's `--service-node-port-range` form) or `{min, max}`. */
function readPortRange(r: Reader, root: JsonMap, fallback: { min: number; max: number }): { min: number; max: number } {
  const v = root.nodePortRange;
  if (v === undefined || v === null) return fallback;
  let min: number | undefined;
  let max: number | undefined;
  if (typeof v === 'string') {
    const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(v);
    if (m) [min, max] = [Number(m[1]), Number(m[2])];
  } else if (typeof v === 'object' && !Array.isArray(v)) {
    if (typeof v.min === 'number' && typeof v.max === 'number') [min, max] = [v.min, v.max];
  }
  if (min === undefined || max === undefined || !Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
    r.report(root, 'nodePortRange', `\`nodePortRange\` must be a port range like 30000-32767; the default ${fallback.min}-${fallback.max} is used.`);
    return fallback;
  }
  return { min, max };
}

const NODE_KEYS = ['name', 'internalIP', 'podCIDR', 'overlayIP', 'bridgeIP', 'labels'];

/**
 * `nodes`: absent means the two nodes of the seed, re-cut from the profile's podCIDR when that is
 * given. A node without podCIDR gets the lowest free block "in node order"; overlayIP/bridgeIP
 * default to the block's first two addresses (CL-3).
 */
function readNodes(r: Reader, root: JsonMap, podCidr: Cidr, podCidrGiven: boolean): ProfileNode[] {
  const d = defaultProfile();
  const list = r.maps(root, 'nodes');
  if (list === undefined && !podCidrGiven) return d.nodes;
  const entries: JsonMap[] = list ?? d.nodes.map((n) => ({ name: n.name, internalIP: n.internalIP }));

  interface Draft {
    name: string;
    internalIP: string;
    cidr: Cidr | null;
    labels: Record<string, string>;
    src: JsonMap;
  }
  const drafts: Draft[] = [];
  const names = new Set<string>();
  entries.forEach((e, i) => {
    r.known(e, NODE_KEYS, `node ${i + 1}`);
    const fallbackName = `node${i + 1}`;
    const name = r.str(e, 'name', fallbackName, (s) => (isDns1123Subdomain(s) ? null : 'is not a valid node name (lowercase DNS name)')) ?? fallbackName;
    if (names.has(name)) {
      r.report(e, 'name', `Node \`${name}\` is listed twice; the second entry is ignored.`);
      return;
    }
    names.add(name);
    const ipDefault = `10.0.0.${(i % 254) + 1}`;
    const internalIP = r.str(e, 'internalIP', ipDefault, ipProblem) ?? ipDefault;
    let cidr: Cidr | null = null;
    const cidrText = r.str(
      e,
      'podCIDR',
      '(the next free block of podCIDR)',
      (s) => cidrProblem(s) ?? (parseCidr(s)!.family === podCidr.family ? null : `is not of the same IP family as podCIDR ${podCidr.text}`),
    );
    if (cidrText !== undefined) {
      cidr = parseCidr(cidrText)!;
      if (!cidrWithin(cidr, podCidr))
        r.report(
          e,
          'podCIDR',
          `Node podCIDR ${cidr.text} lies outside the cluster podCIDR ${podCidr.text}; flannel routes only the cluster CIDR through the overlay.`,
          'warning',
        );
    }
    drafts.push({ name, internalIP, cidr, labels: r.labels(e, 'labels') ?? {}, src: e });
  });

  // Blocks for nodes without an explicit podCIDR: the lowest free ones, in node order.
  const missing = drafts.filter((x) => !x.cidr);
  if (missing.length) {
    const mask = nodeMaskSize(podCidr, drafts.length);
    const blocks = freeBlocks(
      podCidr,
      mask,
      drafts.flatMap((x) => (x.cidr ? [x.cidr] : [])),
      missing.length,
    );
    missing.forEach((x, i) => {
      x.cidr = blocks[i] ?? null;
      if (!x.cidr)
        r.report(
          x.src,
          'name',
          `The cluster podCIDR ${podCidr.text} has no free /${mask} block left for node \`${x.name}\`; the node gets no pod CIDR and its pods no address.`,
        );
    });
  }
  for (const [a, b] of overlappingPairs(drafts, (x) => x.cidr)) {
    r.report(
      b.src,
      'podCIDR',
      `Node \`${b.name}\`'s podCIDR ${b.cidr!.text} overlaps node \`${a.name}\`'s ${a.cidr!.text}; pod addresses would be routed to the wrong node.`,
    );
  }

  return drafts.map((x): ProfileNode => {
    const cidr = x.cidr;
    const fb = cidr ? overlayAndBridge(cidr) : { overlayIP: '', bridgeIP: '' };
    const inBlock = (s: string): string | null => ipProblem(s) ?? (cidr && !cidrContains(cidr, s) ? `is outside the node's podCIDR ${cidr.text}` : null);
    const overlayIP = r.str(x.src, 'overlayIP', fb.overlayIP, inBlock) ?? fb.overlayIP;
    const bridgeIP = r.str(x.src, 'bridgeIP', fb.bridgeIP, inBlock) ?? fb.bridgeIP;
    return { name: x.name, internalIP: x.internalIP, podCIDR: cidr?.text ?? '', overlayIP, bridgeIP, labels: x.labels };
  });
}

function readExternalHosts(r: Reader, root: JsonMap, fallback: ClusterProfile['externalHosts']): ClusterProfile['externalHosts'] {
  const list = r.maps(root, 'externalHosts');
  if (list === undefined) return fallback;
  const out: ClusterProfile['externalHosts'] = [];
  list.forEach((e, i) => {
    r.known(e, ['name', 'ip'], `external host ${i + 1}`);
    const name = r.str(e, 'name', `host${i + 1}`) ?? `host${i + 1}`;
    const ip = r.str(e, 'ip', '(none: the host is left out)', ipProblem);
    if (ip !== undefined) out.push({ name, ip });
    else if (e.ip === undefined) r.report(e, 'name', `External host \`${name}\` has no \`ip\`; it is left out.`);
  });
  return out;
}

function readRoutes(r: Reader, root: JsonMap): ClusterProfile['routes'] {
  const out: ClusterProfile['routes'] = [];
  (r.maps(root, 'routes') ?? []).forEach((e, i) => {
    r.known(e, ['host', 'to', 'via'], `route ${i + 1}`);
    const host = r.str(e, 'host', '(none)');
    const to = r.str(e, 'to', '(none: the route is left out)', cidrProblem);
    const via = r.str(e, 'via', '(none: the route is left out)', ipProblem);
    if (host !== undefined && to !== undefined && via !== undefined) out.push({ host, to: parseCidr(to)!.text, via });
    else if (host === undefined || e.to === undefined || e.via === undefined) {
      r.report(root.routes as Json[], i, 'A route needs `host`, `to` (a CIDR) and `via` (an IP); it is left out.');
    }
  });
  return out;
}
