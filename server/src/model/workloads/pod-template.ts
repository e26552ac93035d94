// Model layer (pure): reading a pod spec (a Pod's or a workload's template) once per resource (WL-1, WL-3,
// WL-5, WL-6, IP-3). Must not import vscode, LSP, node:* or fs.
import type { ContainerPortInfo, JsonMap, Protocol, Resource, Span } from '../types';
import { Fields, isMap, valueSpan } from '../core/typed-fields';
import { parseIp } from '../core/ip';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PORT = { min: 1, max: 65535 };

/** One `env` entry as declared; `valueFrom` sources are resolved per pod, once its IP and node are known. */
export type EnvSource =
  | { name: string; value: string }
  | { name: string; fieldPath: string }
  | { name: string; configMap: { name: string; key: string } }
  | { name: string; configMapAll: { name: string; prefix: string } };

export interface ContainerTemplate {
  name: string;
  ports: ContainerPortInfo[];
  env: EnvSource[];
}

/** A hostPort a pod claims on its node (WL-6), with where it is written. */
export interface HostPortClaim {
  hostIP: string;
  hostPort: number;
  protocol: Protocol;
  span: Span;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: string[];
}

/** `requiredDuringSchedulingIgnoredDuringExecution`: terms OR-ed, requirements inside a term AND-ed. */
export interface NodeAffinity {
  terms: { expressions: NodeSelectorRequirement[]; fields: NodeSelectorRequirement[] }[];
  span: Span;
}

export interface PodTemplate {
  owner: Resource;
  /** The pod spec map (empty when the manifest has none), for spans. */
  spec: JsonMap;
  labels: Record<string, string>;
  containers: ContainerTemplate[];
  hostNetwork: boolean;
  nodeName?: { value: string; span: Span };
  nodeSelector?: { labels: Record<string, string>; span: Span };
  affinity?: NodeAffinity;
  hostname?: string;
  subdomain?: string;
  enableServiceLinks: boolean;
  hostPorts: HostPortClaim[];
}

/** Reads the pod spec at `spec` (labels from the template's metadata). Reports wrong types once (IN-3). */
export function readPodTemplate(f: Fields, spec: JsonMap | undefined, labels: Record<string, string>): PodTemplate {
  const res = f.res;
  const s = spec ?? {};
  const hostNetwork = f.bool(s, 'hostNetwork') ?? false;
  const t: PodTemplate = {
    owner: res,
    spec: s,
    labels,
    containers: [],
    hostNetwork,
    enableServiceLinks: f.bool(s, 'enableServiceLinks') ?? true,
    hostPorts: [],
  };
  const nodeName = f.str(s, 'nodeName');
  if (nodeName) t.nodeName = { value: nodeName, span: valueSpan(res, s, 'nodeName') };
  const sel = f.stringMap(s, 'nodeSelector');
  if (sel && Object.keys(sel).length) t.nodeSelector = { labels: sel, span: valueSpan(res, s, 'nodeSelector') };
  const affinity = readNodeAffinity(f, s);
  if (affinity) t.affinity = affinity;
  const hostname = f.str(s, 'hostname');
  if (hostname) t.hostname = hostname;
  const subdomain = f.str(s, 'subdomain');
  if (subdomain) t.subdomain = subdomain;

  for (const c of f.maps(s, 'containers')) {
    const ct: ContainerTemplate = { name: f.str(c, 'name') ?? '', ports: [], env: [] };
    for (const p of f.maps(c, 'ports')) {
      const port = readPort(f, p, hostNetwork);
      if (!port) continue;
      ct.ports.push(port.info);
      if (port.claim) t.hostPorts.push(port.claim);
    }
    ct.env = readEnv(f, c);
    t.containers.push(ct);
  }
  return t;
}

function readPort(f: Fields, p: JsonMap, hostNetwork: boolean): { info: ContainerPortInfo; claim?: HostPortClaim } | undefined {
  const containerPort = f.int(p, 'containerPort', PORT);
  if (containerPort === undefined) {
    if (p.containerPort === undefined)
      f.report('invalid-field', 'error', '`containerPort` is required; the API server rejects this port.', f.res.spans.whole(p) ?? f.res.span, 'IN-3');
    return undefined;
  }
  const info: ContainerPortInfo = { containerPort, protocol: f.defaulted(p, 'protocol', PROTOCOLS) ?? 'TCP' };
  const name = f.str(p, 'name');
  if (name) info.name = name;
  // hostPort 0 means "none"; with hostNetwork the container port *is* a host port (k8s defaults hostPort to it).
  const hostPort = f.int(p, 'hostPort', { min: 0, max: 65535 }) || (hostNetwork ? containerPort : undefined);
  const hostIP = f.str(p, 'hostIP');
  if (hostIP !== undefined && !parseIp(hostIP)) {
    f.report('invalid-field', 'error', `\`hostIP: ${hostIP}\` is not an IP address; the API server rejects it.`, valueSpan(f.res, p, 'hostIP'), 'IN-3');
  } else if (hostIP) info.hostIP = hostIP;
  if (!hostPort) return { info };
  info.hostPort = hostPort;
  const at = p.hostPort !== undefined ? 'hostPort' : 'containerPort';
  return { info, claim: { hostIP: info.hostIP ?? '0.0.0.0', hostPort, protocol: info.protocol, span: valueSpan(f.res, p, at) } };
}

/** The downward-API fields whose values the model knows (uid and annotations it does not). */
const FIELD_PATHS = /^(metadata\.(name|namespace)|metadata\.labels\['[^']+'\]|spec\.(nodeName|serviceAccountName)|status\.(podIP|podIPs|hostIP|hostIPs))$/;

function readEnv(f: Fields, c: JsonMap): EnvSource[] {
  const out: EnvSource[] = [];
  // envFrom comes first: an `env` entry of the same name overrides it (k8s).
  for (const ef of f.maps(c, 'envFrom')) {
    const cm = f.map(ef, 'configMapRef');
    const name = cm && f.str(cm, 'name');
    if (name) out.push({ name: '', configMapAll: { name, prefix: f.str(ef, 'prefix') ?? '' } });
  }
  for (const e of f.maps(c, 'env')) {
    const name = f.str(e, 'name');
    if (!name) continue;
    const value = f.str(e, 'value');
    if (value !== undefined) {
      out.push({ name, value });
      continue;
    }
    const from = f.map(e, 'valueFrom');
    const fieldRef = from && f.map(from, 'fieldRef');
    const fieldPath = fieldRef && f.str(fieldRef, 'fieldPath');
    if (fieldPath && FIELD_PATHS.test(fieldPath)) {
      out.push({ name, fieldPath });
      continue;
    }
    const cmk = from && f.map(from, 'configMapKeyRef');
    const cmName = cmk && f.str(cmk, 'name');
    const cmKey = cmk && f.str(cmk, 'key');
    if (cmName && cmKey) out.push({ name, configMap: { name: cmName, key: cmKey } });
    else if (!from) out.push({ name, value: '' }); // `- name: X` alone declares an empty variable
    // secretKeyRef, resourceFieldRef: values the manifests cannot tell; the variable is left out.
  }
  return out;
}

const AFFINITY_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;

function readNodeAffinity(f: Fields, spec: JsonMap): NodeAffinity | undefined {
  const na = f.map(f.map(spec, 'affinity'), 'nodeAffinity');
  const req = na && f.map(na, 'requiredDuringSchedulingIgnoredDuringExecution');
  if (!req) return undefined;
  const reqs = (term: JsonMap, key: string): NodeSelectorRequirement[] =>
    f.maps(term, key).flatMap((m) => {
      const k = f.str(m, 'key');
      const op = f.oneOf(m, 'operator', AFFINITY_OPS);
      return k !== undefined && op !== undefined ? [{ key: k, operator: op, values: f.strings(m, 'values') ?? [] }] : [];
    });
  const raw = f.maps(req, 'nodeSelectorTerms');
  const terms = raw.map((term) => ({ expressions: reqs(term, 'matchExpressions'), fields: reqs(term, 'matchFields') }));
  // A term written with requirements that were all invalid (reported) would match no node at all;
  // IN-3 treats the broken field as absent instead of turning it into "never schedule".
  const kept = terms.filter((t, i) => t.expressions.length + t.fields.length > 0 || !hasRequirements(raw[i]!));
  if (raw.length > 0 && kept.length === 0) return undefined;
  terms.splice(0, terms.length, ...kept);
  const parent = isMap(na) ? na : spec;
  return { terms, span: valueSpan(f.res, parent, 'requiredDuringSchedulingIgnoredDuringExecution') };
}

function hasRequirements(term: JsonMap): boolean {
  const n = (k: string): number => (Array.isArray(term[k]) ? (term[k] as unknown[]).length : 0);
  return n('matchExpressions') + n('matchFields') > 0;
}
