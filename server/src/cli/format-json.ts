// CLI layer: the model as the JSON of docs/cli.md (`resolve --json`, diagnostics). Must not import vscode, LSP or node:*.
// Serialization only: every value is read from the model, nothing is computed here.
import { offsetToPosition, type Model, type ModelDiagnostic, type ServiceInfo, type PodInfo } from '../model/index';

export interface JsonRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  subject: string | null;
  rule: string | null;
  file: string;
  /** Zero-based lines and characters, as in LSP (docs/cli.md). */
  range: JsonRange;
}

/** Zero-based range of a span; a file the CLI did not read (should not happen) maps to 0:0. */
export function rangeOf(lineStarts: ReadonlyMap<string, number[]>, file: string, span: { start: number; end: number }): JsonRange {
  const starts = lineStarts.get(file) ?? [0];
  return { start: offsetToPosition(starts, span.start), end: offsetToPosition(starts, span.end) };
}

/** Diagnostics in a stable order: by file, then position, then code. */
export function sortedDiagnostics(diags: readonly ModelDiagnostic[]): ModelDiagnostic[] {
  return [...diags].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

export function diagnosticJson(d: ModelDiagnostic, lineStarts: ReadonlyMap<string, number[]>): JsonDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    subject: d.subject ?? null,
    rule: d.rule ?? null,
    file: d.file,
    range: rangeOf(lineStarts, d.file, d.span),
  };
}

function podJson(p: PodInfo) {
  return {
    id: p.id,
    owner: p.owner.id,
    node: p.node,
    ip: p.ip,
    ready: p.ready,
    hostNetwork: p.hostNetwork,
    labels: p.labels,
    hostname: p.hostname,
    subdomain: p.subdomain ?? null,
    containers: p.containers.map((c) => ({ name: c.name, env: c.env, ports: c.ports })),
  };
}

function serviceJson(s: ServiceInfo) {
  return {
    id: s.id,
    type: s.type,
    clusterIP: s.clusterIP,
    clusterIPs: s.clusterIPs,
    headless: s.headless,
    ipFamilies: s.ipFamilies,
    selector: s.selector,
    dns: s.dns,
    externalName: s.externalName,
    externalIPs: s.externalIPs,
    loadBalancerIP: s.loadBalancerIP,
    requestedLoadBalancerIP: s.requestedLoadBalancerIP ?? null,
    externalTrafficPolicy: s.externalTrafficPolicy,
    internalTrafficPolicy: s.internalTrafficPolicy,
    sessionAffinity: s.sessionAffinity,
    sessionAffinityTimeoutSeconds: s.sessionAffinityTimeoutSeconds,
    publishNotReadyAddresses: s.publishNotReadyAddresses,
    ports: s.ports.map((p) => ({
      name: p.name,
      port: p.port,
      protocol: p.protocol,
      targetPort: p.targetPort,
      nodePort: p.nodePort,
      appProtocol: p.appProtocol ?? null,
    })),
    endpoints: s.endpoints.map((e) => ({ pod: e.pod, ip: e.ip, node: e.node, ready: e.ready, ports: e.ports })),
    endpointSlices: s.endpointSlices.map((sl) => ({
      name: sl.name,
      managed: sl.managed,
      addressType: sl.addressType,
      endpoints: sl.endpoints.map((e) => ({ addresses: e.addresses, ready: e.ready, nodeName: e.nodeName ?? null, pod: e.pod ?? null })),
      ports: sl.ports,
    })),
    endpointsObject: s.endpointsObject && {
      addresses: s.endpointsObject.addresses,
      notReadyAddresses: s.endpointsObject.notReadyAddresses,
      annotations: s.endpointsObject.annotations,
    },
    env: s.env,
  };
}

/** The whole resolved model, with the minimum keys of docs/cli.md and a few extras. */
export function resolveJson(model: Model, lineStarts: ReadonlyMap<string, number[]>) {
  const p = model.profile;
  return {
    cluster: {
      serviceCIDR: p.serviceCIDR,
      podCIDR: p.podCIDR,
      clusterDomain: p.clusterDomain,
      dnsServiceIP: p.dnsServiceIP,
      nodePortRange: `${p.nodePortRange.min}-${p.nodePortRange.max}`,
      nodes: model.nodes.map((n) => ({
        name: n.name,
        ip: n.internalIP,
        podCIDR: n.podCIDR,
        clusterIP: n.overlayIP,
        bridgeIP: n.bridgeIP,
        labels: n.labels,
      })),
      externalHosts: p.externalHosts,
    },
    namespaces: model.namespaces.map((n) => ({ name: n.name, labels: n.labels })),
    pods: model.pods.map(podJson),
    services: model.services.map(serviceJson),
    ingresses: model.ingresses.map((i) => ({
      id: i.id,
      className: i.className,
      rules: i.rules.map((r) => ({ host: r.host, path: r.path, pathType: r.pathType, backend: r.backend.display })),
      defaultBackend: i.defaultBackend ? i.defaultBackend.display : null,
      tls: i.tls,
    })),
    networkPolicies: model.networkPolicies.map((n) => ({ id: n.id, selects: n.selects, policyTypes: n.policyTypes })),
    dns: model.dns.map((r) => ({ name: r.name, type: r.type, data: r.data })),
    diagnostics: sortedDiagnostics(model.diagnostics).map((d) => diagnosticJson(d, lineStarts)),
  };
}
