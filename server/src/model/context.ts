// Model layer (pure): the working state shared by the build stages. Must not import vscode, LSP, node:* or fs.
import type {
  ClusterProfile, DnsRecord, IngressInfo, ModelDiagnostic, ModelIndex, NamespaceInfo, NetworkPolicyInfo,
  NodeInfo, PodInfo, Resource, ServiceInfo,
} from './types';

/**
 * Filled stage by stage inside one `buildModel` call, in the order of `STAGES` (build.ts); each
 * stage reads what earlier ones wrote. It never outlives the call: the result is a `Model`.
 */
export interface BuildContext {
  profile: ClusterProfile;
  /** Every resource after de-duplication (IN-5), in file-path then document order. */
  resources: Resource[];
  byKind: Map<string, Resource[]>;
  diagnostics: ModelDiagnostic[];
  nodes: NodeInfo[];
  namespaces: NamespaceInfo[];
  pods: PodInfo[];
  services: ServiceInfo[];
  ingresses: IngressInfo[];
  networkPolicies: NetworkPolicyInfo[];
  dns: DnsRecord[];
  index: ModelIndex;
}

export function ofKind(ctx: BuildContext, kind: string): Resource[] {
  return ctx.byKind.get(kind) ?? [];
}
