// Model layer (pure): the shapes of the resolved network model. Must not import vscode, LSP, node:* or fs.
// Every answer the editor and the CLI give is read from these objects; nothing here performs I/O.

/** A half-open range of UTF-16 offsets into one file's text. The LSP layer converts to line/character. */
export interface Span {
  start: number;
  end: number;
  /**
   * Set only on spans of a rendered object's field that was written in another file than the object's
   * document (a kustomize patch, the kustomization line that transformed it, IN-1); the model moves
   * diagnostics there. Absent on every span of a plain manifest.
   */
  file?: string;
}

/** Where something is written: a file (URI or path, as given to the model) and a span in it. */
export interface Location {
  file: string;
  span: Span;
}

export type Severity = 'error' | 'warning' | 'info';

/** A replacement that fixes a diagnostic (quick fix). */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface ModelDiagnostic {
  /** Stable kebab-case code from docs/cli.md (`service-selects-no-pods`, …). */
  code: string;
  severity: Severity;
  /** Says what happens on a real cluster. */
  message: string;
  file: string;
  span: Span;
  /** `Kind/NS/NAME` of the resource the diagnostic is about, when there is one. */
  subject?: string;
  /** The network-model.md rule id behind it (`SVC-3`). */
  rule?: string;
  fixes?: { title: string; edits: TextEdit[] }[];
}

export type Json = null | boolean | number | string | Json[] | JsonMap;
export interface JsonMap {
  [key: string]: Json;
}

/** Source spans of one map or sequence's entries, keyed by map key or sequence index. */
export interface EntrySpans {
  /** The key's text (maps only). */
  key?: Span;
  /** The value's text. */
  value: Span;
}

/**
 * Finds the spans of values parsed from YAML. Keyed by the parsed container object itself, so a
 * field read by any stage can be pointed at without re-walking the YAML.
 */
export interface SpanIndex {
  entry(container: JsonMap | Json[], key: string | number): EntrySpans | undefined;
  /** The span of a whole container. */
  whole(container: JsonMap | Json[]): Span | undefined;
  /**
   * Where the entry is written in the resource's own file even when a kustomize patch or transformer
   * overrode it (then `entry` points at that other file, IN-1): what a cursor on the base's line is on.
   * Absent on plain manifests, where `entry` is that.
   */
  written?(container: JsonMap | Json[], key: string | number): EntrySpans | undefined;
}

/** One Kubernetes object as written in a manifest (IN-1). */
export interface Resource {
  /** `Kind/NS/NAME` for namespaced kinds, `Kind/NAME` for cluster-scoped ones (IN-5). */
  id: string;
  kind: string;
  apiVersion: string;
  name: string;
  /** '' for cluster-scoped kinds; defaults to `default` otherwise. */
  namespace: string;
  file: string;
  /** Index of the YAML document within the file (List items share their List's index). */
  docIndex: number;
  /** The object as parsed (plain JSON values). Never mutated after parsing. */
  body: JsonMap;
  /** Span of the whole object (document or List item). */
  span: Span;
  spans: SpanIndex;
  /** Set on objects rendered from a kustomization (IN-1): the root that rendered it and the lines that renamed or moved it. */
  rendered?: RenderedFrom;
}

/** Where a rendered object's name and namespace came from (IN-1). */
export interface RenderedFrom {
  /** The root's kustomization file. */
  root: string;
  /** The kustomization fields (`namespace: dev`, `namePrefix: dev-`) that set its identity, innermost first. */
  setBy: { field: 'namespace' | 'namePrefix' | 'nameSuffix'; file: string; span: Span }[];
  /** The patches applied to it, in the order applied: a patch file's document, or an inline patch's `patch:` text. */
  patchedBy: Location[];
}

export interface ParsedFile {
  file: string;
  /** Objects with apiVersion and kind, `kind: List` already expanded. */
  resources: Resource[];
  diagnostics: ModelDiagnostic[];
  /** Start offset of every line, for offset → line/character conversion. */
  lineStarts: number[];
  /** True when the file was skipped as a template (IN-4). */
  template: boolean;
  /** The file's `---`-separated pieces as parsed, for re-use by the next parse of the same file. */
  chunks?: readonly ParsedChunk[];
}

/** One `---`-separated piece of a file, with spans relative to the piece's start (input/parse-manifests.ts). */
export interface ParsedChunk {
  text: string;
  /** YAML documents in the piece. */
  docs: number;
  resources: readonly Resource[];
  diagnostics: readonly ModelDiagnostic[];
  /** Whether it made up names for `generateName` (those depend on earlier pieces: never re-used). */
  generated: boolean;
  /**
   * Its resources as the last parse placed them in the file (`base`: where the piece starts, `docBase`: documents
   * before it). A piece re-used at the same place gives the same Resource objects, so that what the model keeps
   * per resource stays valid for the documents of an edited file that did not move.
   */
  placed?: { base: number; docBase: number; resources: readonly Resource[] };
  /**
   * A kustomization file's first readable document as parsed (kustomization files yield no resources, IN-4): the
   * kustomize renderer reads it from here rather than parsing the file a second time. Never changed by anyone.
   */
  kustomization?: { value: Json; spans: SpanIndex };
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

// ---------------------------------------------------------------------------------------------
// Cluster profile (network-model.md §1)

export interface ProfileNode {
  name: string;
  internalIP: string;
  podCIDR: string;
  /** Network address of podCIDR, bound to flannel.1 (CL-3). */
  overlayIP: string;
  /** Next address, the cni0 bridge and the pods' gateway (CL-3). */
  bridgeIP: string;
  labels: Record<string, string>;
}

export interface ClusterProfile {
  clusterDomain: string;
  serviceCIDR: string;
  podCIDR: string;
  nodePortRange: { min: number; max: number };
  dnsServiceIP: string;
  kubeletMaxPods: number;
  dns: { ndots: number };
  network: {
    plugin: string;
    backend: string;
    ipMasq: boolean;
    kubeProxyMode: string;
    mtu: number;
  };
  nodes: ProfileNode[];
  externalHosts: { name: string; ip: string }[];
  routes: { host: string; to: string; via: string }[];
  ingressController: { namespace: string; exposure: 'hostPort' | 'nodePort' | 'loadBalancer' };
  /** GW-1: GatewayClasses installed in the cluster but not in the files, with the controller serving each. */
  gatewayClasses?: { name: string; controllerName: string }[];
  /** Whether a LoadBalancer implementation (MetalLB, cloud…) hands out external IPs (SVC-4). */
  loadBalancer?: { enabled: boolean };
  /**
   * IN-1: the kustomization roots the model holds (`kustomize.roots`: root folders, or their last folders
   * such as `dev`); absent for every root.
   */
  kustomizeRoots?: string[];
  /**
   * CL-5: true when the profile lists no `nodes` (its nodes are the seed's defaults). Unless a `kind: Node`
   * manifest declares nodes, the model then assumes as many as the pods need.
   */
  nodesAssumed?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Resolved objects

export interface NodeInfo extends ProfileNode {
  /** The `kind: Node` manifest that added or overrode this node (CL-2). */
  source?: Resource;
  /** CL-5: nobody declared this node (no profile nodes, no `kind: Node`); capacity is never reported against it. */
  assumed?: boolean;
  /**
   * CL-5: an assumed node made because a workload asks for it (`nodeName`, a `nodeSelector` no other assumed
   * node satisfies): `Kind/NS/NAME` of the first that asked. Only pods that ask for their node are placed on it.
   */
  assumedFor?: string;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  /** Undefined for the implicit namespaces (CL-4) and ones only referenced by objects. */
  source?: Resource;
}

export interface ContainerPortInfo {
  name?: string;
  containerPort: number;
  protocol: Protocol;
  hostPort?: number;
  hostIP?: string;
}

export interface ContainerInfo {
  name: string;
  ports: ContainerPortInfo[];
  /** Environment at start-up: declared env, service links (DNS-5), `$(VAR)` expanded. */
  env: Record<string, string>;
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] }[];
}

export interface PodInfo {
  /** `NS/NAME`. */
  id: string;
  name: string;
  namespace: string;
  /** The manifest that makes this pod: a Pod, or its controller (Deployment, StatefulSet, …). */
  owner: Resource;
  /** Ordinal among the owner's pods (0 for a bare Pod). */
  ordinal: number;
  /** Null when unschedulable (WL-3). */
  node: string | null;
  /** Null when Pending / no address (IP-1). */
  ip: string | null;
  hostNetwork: boolean;
  ready: boolean;
  labels: Record<string, string>;
  /** The pod's hostname: `spec.hostname`, else its name (63 characters at most). */
  hostname: string;
  subdomain?: string;
  /**
   * Whether the hostname is set in the spec (`spec.hostname`, or by the StatefulSet controller): only then does the
   * endpoints controller give the pod a `<hostname>.<subdomain>` record (DNS-2).
   */
  hostnameInSpec: boolean;
  enableServiceLinks: boolean;
  containers: ContainerInfo[];
  /** The pod template (or Pod spec) the pod was made from, for spans. */
  spec: JsonMap;
}

export interface ServicePortInfo {
  name: string;
  port: number;
  protocol: Protocol;
  /** Number, or a container port name resolved per pod (SVC-2). */
  targetPort: number | string;
  nodePort: number | null;
  appProtocol?: string;
  /** The `ports[i]` map in the manifest, for spans. */
  source?: JsonMap;
}

export interface EndpointPort {
  name: string;
  port: number;
  protocol: Protocol;
}

/** What kube-proxy forwards to: one endpoint of the EndpointSlice view (EP-3, EP-4). */
export interface EndpointInfo {
  /** `NS/NAME` of the backing pod; null for manual addresses. */
  pod: string | null;
  ip: string;
  node: string | null;
  ready: boolean;
  /** Ports paired with the Service's ports (by name and protocol); shared by the endpoints of a slice. */
  ports: readonly EndpointPort[];
}

export interface EndpointSliceInfo {
  name: string;
  /** True when derived by the EndpointSlice controller or mirrored, false when written in a manifest. */
  managed: boolean;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  /** `hostname`: the endpoint's DNS label under a headless Service (pod hostname when its subdomain names the Service, DNS-2). */
  endpoints: { addresses: string[]; ready: boolean; nodeName?: string; pod?: string; hostname?: string }[];
  ports: EndpointPort[];
  source?: Resource;
}

export interface EndpointsObjectInfo {
  addresses: string[];
  notReadyAddresses: string[];
  annotations: Record<string, string>;
  source?: Resource;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServiceInfo {
  /** `NS/NAME`. */
  id: string;
  name: string;
  namespace: string;
  /** Undefined only for the implicit `default/kubernetes` (CL-4). */
  source?: Resource;
  type: ServiceType;
  /** Null for headless and ExternalName Services. */
  clusterIP: string | null;
  clusterIPs: string[];
  headless: boolean;
  ipFamilies: ('IPv4' | 'IPv6')[];
  /** Null when the Service has no selector (EP-2). */
  selector: Record<string, string> | null;
  ports: ServicePortInfo[];
  externalIPs: string[];
  /** Null while `<pending>` (no LB implementation, SVC-4). */
  loadBalancerIP: string | null;
  /** `spec.loadBalancerIP` as asked for, even while pending (SVC-4: only an LB implementation honours it). */
  requestedLoadBalancerIP?: string;
  externalName: string | null;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  sessionAffinity: 'None' | 'ClientIP';
  sessionAffinityTimeoutSeconds: number;
  publishNotReadyAddresses: boolean;
  /** FQDNs that answer for this Service (DNS-1). */
  dns: string[];
  endpoints: EndpointInfo[];
  endpointSlices: EndpointSliceInfo[];
  endpointsObject: EndpointsObjectInfo | null;
  /** Service-link variables this Service contributes to pods of its namespace (DNS-5). */
  env: Record<string, string>;
}

export type DnsType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME';

export interface DnsRecord {
  name: string;
  type: DnsType;
  data: string[];
}

// ---------------------------------------------------------------------------------------------
// Ingress (§7)

export interface IngressBackendInfo {
  /** `NS/NAME` of the backend Service (always the Ingress's namespace, ING-4); null for a resource backend. */
  service: string | null;
  /** Port number or name as written; null when missing. */
  port: number | string | null;
  /** `NS/SVC:PORT`, the contract's display form. */
  display: string;
}

export interface IngressPathInfo {
  /** '' when the rule has no host (matches every host). */
  host: string;
  path: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: IngressBackendInfo;
  ruleIndex: number;
  pathIndex: number;
  /** The `paths[i]` map, for spans. */
  source?: JsonMap;
}

export interface IngressInfo {
  id: string;
  name: string;
  namespace: string;
  source: Resource;
  className: string | null;
  rules: IngressPathInfo[];
  defaultBackend: IngressBackendInfo | null;
  tls: { hosts: string[]; secretName: string | null }[];
  annotations: Record<string, string>;
  /** ING-7: why no controller in the files serves this Ingress (class-less, not watched); absent when served. */
  ignoredBecause?: string;
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy (§8)

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except: string[] };
}

export interface PolicyPort {
  protocol: Protocol;
  /** Undefined means every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface PolicyRule {
  /** Null when `from`/`to` is absent or empty: any peer (NP-2). */
  peers: PolicyPeer[] | null;
  /** Null when `ports` is absent or empty: every port (NP-4). */
  ports: PolicyPort[] | null;
  /** The rule's map in the manifest, for spans. */
  source?: JsonMap;
}

export interface NetworkPolicyInfo {
  id: string;
  name: string;
  namespace: string;
  source: Resource;
  podSelector: LabelSelector;
  /** Effective, after defaulting (NP-2). */
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
  /** `NS/NAME` of the pods it selects. */
  selects: string[];
}

// ---------------------------------------------------------------------------------------------
// Gateway API (GW-*, docs/rules.md; the stage is ingress/gateway/)

/** A predicted status condition of a Route's parent (`Accepted`) or of the Route's refs (`ResolvedRefs`), GW-4, GW-7. */
export interface GatewayCondition {
  type: 'Accepted' | 'ResolvedRefs';
  status: boolean;
  /** The reason a conformant controller writes (`NotAllowedByListeners`, `RefNotPermitted`, …). */
  reason: string;
  message: string;
}

export interface GatewayClassInfo {
  name: string;
  controllerName: string | null;
  source: Resource;
}

export interface GatewayListenerInfo {
  name: string;
  port: number;
  /** As written (`HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP`, or an implementation's domain-prefixed protocol). */
  protocol: string;
  /** Null: every hostname (GW-3). */
  hostname: string | null;
  /** GW-2: `allowedRoutes.namespaces.from`, `Same` by default. */
  allowedFrom: 'Same' | 'All' | 'Selector';
  allowedSelector: LabelSelector | null;
  /** GW-2: the Route kinds it admits, written or defaulted from the protocol. */
  kinds: string[];
  /** GW-2: why this listener is not accepted (Conflicted), absent when it is. */
  conflicted?: string;
  /** The `listeners[i]` map, for spans. */
  source: JsonMap;
}

export interface GatewayInfo {
  /** `NS/NAME`. */
  id: string;
  name: string;
  namespace: string;
  source: Resource;
  className: string;
  /** GW-1: the controller serving the class, when known. */
  controller: string | null;
  /** GW-1: what is assumed about the controller (its deployment is rarely in the files). */
  controllerNote: string;
  /** GW-1: false when no controller known from the files serves the class (nothing attaches, nothing is routed). */
  served: boolean;
  listeners: GatewayListenerInfo[];
}

export interface ReferenceGrantInfo {
  /** `NS/NAME`. */
  id: string;
  namespace: string;
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name: string | null }[];
  source: Resource;
}

/** One `parentRefs[i]` entry and where it attaches (GW-3, GW-4). */
export interface RouteParentInfo {
  index: number;
  /** `NS/NAME` of the Gateway referred to (kind Gateway only). */
  gateway: string;
  sectionName: string | null;
  port: number | null;
  /** The listeners it attaches to, each with the Route hostnames kept there (the intersection, GW-3); [] when none. */
  attached: { listener: string; hostnames: string[] }[];
  accepted: GatewayCondition;
  source: JsonMap;
}

export interface RouteMatchInfo {
  /** HTTPRoute: `path` (default PathPrefix `/`). */
  path: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string } | null;
  method: string | null;
  headers: { name: string; value: string; type: 'Exact' | 'RegularExpression' }[];
  queryParams: { name: string; value: string; type: 'Exact' | 'RegularExpression' }[];
  /** GRPCRoute: `method.service` / `method.method`. */
  grpc: { service: string | null; method: string | null; type: 'Exact' | 'RegularExpression' } | null;
  source: JsonMap | null;
  /** GW-5: an identical match on the same listener and hostname that takes its requests first (`rule 0`, `Route NS/NAME rule 1`), with why. */
  shadowedBy?: string;
}

/** A filter shown in answers (GW-8). */
export interface RouteFilterInfo {
  type: string;
  /** One line: what it does (`302 to https://…`, `set X-Env: canary`). */
  summary: string;
}

export interface RouteBackendInfo {
  index: number;
  group: string;
  kind: string;
  name: string;
  namespace: string;
  /** `NS/NAME` when the ref is to a core Service. */
  service: string | null;
  port: number | null;
  /** GW-6: 1 by default; 0 sends nothing. */
  weight: number;
  /** GW-6/GW-7: why the ref is invalid (its share gets 500), null when valid. */
  invalid: { reason: string; message: string } | null;
  /** The ReferenceGrant (`NS/NAME`) that permits a cross-namespace ref. */
  grant: string | null;
  /** Ready endpoints of the Service (null when not a Service or ExternalName). */
  readyEndpoints: number | null;
  source: JsonMap;
}

export interface RouteRuleInfo {
  index: number;
  matches: RouteMatchInfo[];
  filters: RouteFilterInfo[];
  backends: RouteBackendInfo[];
  source: JsonMap;
}

export interface RouteInfo {
  /** `NS/NAME`. */
  id: string;
  kind: 'HTTPRoute' | 'GRPCRoute';
  name: string;
  namespace: string;
  source: Resource;
  /** As written, lower case. */
  hostnames: string[];
  /** `metadata.creationTimestamp` when the files carry it (rarely): only it breaks a precedence tie between Routes (GW-5). */
  creationTimestamp: string | null;
  parents: RouteParentInfo[];
  rules: RouteRuleInfo[];
  resolvedRefs: GatewayCondition;
}

/** Everything the Gateway API stage read and predicted. */
export interface GatewayApiInfo {
  classes: GatewayClassInfo[];
  gateways: GatewayInfo[];
  routes: RouteInfo[];
  referenceGrants: ReferenceGrantInfo[];
}

// ---------------------------------------------------------------------------------------------

/**
 * One immutable snapshot of the cluster that the manifests describe. Each field says the stage that fills
 * it; pipeline/build-model.ts runs them in this order: cluster/nodes, cluster/namespaces, workloads/pods,
 * services/services, endpoints/endpoints, services/statefulset-service-check, dns/dns-stage,
 * ingress/ingresses, ingress/gateway/gateway-stage, netpol/network-policies, pipeline/cross-checks. A stage
 * reads only what earlier ones filled.
 */
export interface Model {
  /** input (cluster/cluster-profile.ts reads it; the caller passes it in). */
  profile: ClusterProfile;
  /** input (input/parse-manifests.ts, or kustomize-rendered). */
  files: ParsedFile[];
  /** Every resource, duplicates removed (IN-5): pipeline/build-model.ts before the first stage. */
  resources: Resource[];
  /** cluster/nodes.ts (CL-2, CL-3, CL-5). */
  nodes: NodeInfo[];
  /** cluster/namespaces.ts (CL-4). */
  namespaces: NamespaceInfo[];
  /** workloads/pods.ts (WL-*, IP-1..3). */
  pods: PodInfo[];
  /** services/services.ts (SVC-*, IP-4, IP-5); `endpoints` and `endpointSlices` by endpoints/endpoints.ts, `dns` and `env` by dns/dns-stage.ts. */
  services: ServiceInfo[];
  /** ingress/ingresses.ts (ING-*). */
  ingresses: IngressInfo[];
  /** ingress/gateway/ (GW-*): Gateway API objects and their predicted status. */
  gatewayApi: GatewayApiInfo;
  /** netpol/network-policies.ts (NP-1..4). */
  networkPolicies: NetworkPolicyInfo[];
  /** dns/dns-stage.ts (DNS-1..3), computed on first read. */
  dns: DnsRecord[];
  /** Every stage adds its own; pipeline/cross-checks.ts last (§10). */
  diagnostics: ModelDiagnostic[];
  index: ModelIndex;
}

/** Lookups built once per snapshot so that hovers never scan. Each says the stage that fills it. */
export interface ModelIndex {
  /** pipeline/build-model.ts, before the first stage. */
  resourceById: Map<string, Resource>;
  /** workloads/pods.ts. */
  podById: Map<string, PodInfo>;
  /** Pods by the id of the resource that made them (workloads/pods.ts). */
  podsByOwner: Map<string, PodInfo[]>;
  /** workloads/pods.ts. */
  podByIp: Map<string, PodInfo>;
  /** services/services.ts. */
  serviceById: Map<string, ServiceInfo>;
  /** cluster/nodes.ts. */
  nodeByName: Map<string, NodeInfo>;
  /** cluster/namespaces.ts. */
  namespaceByName: Map<string, NamespaceInfo>;
  /** NetworkPolicies by namespace, in model order (filled by the netpol stage): a policy selects pods of its own namespace only. */
  policiesByNamespace: Map<string, NetworkPolicyInfo[]>;
  /** Resources by file, in document order (pipeline/build-model.ts). */
  resourcesByFile: Map<string, Resource[]>;
  /** DNS records by lower-case name (filled by the DNS stage; `lookupDns` builds it when absent). */
  dnsByName?: Map<string, DnsRecord[]>;
}
