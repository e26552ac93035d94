// Model layer (pure): the public face of the model. Must not import vscode, LSP, node:* or fs.
export * from './types';
export { parseFile, parseFileSteps, isTemplate, readYamlDocuments, type YamlDocument } from './input/parse-manifests';
export { buildModel, buildModelSteps, runToEnd } from './pipeline/build-model';
export { createBuildMemo, type BuildMemo } from './build/build-context';
export { parseProfile, defaultProfile, PROFILE_FILE } from './cluster/cluster-profile';
export { profileFromSettings } from './cluster/cluster-profile';
export { expandVarRefs, environmentAtStart } from './workloads/container-env';
export { describeAddress, type AddressInfo, type AddressKind } from './queries/describe-address';
export { offsetToPosition, positionToOffset, computeLineStarts, type Position } from './core/text-positions';
export { matches, describeSelector } from './core/label-selectors';
export { nameSpan, labelsOf, metadata } from './core/typed-fields';
export { lookupDns, type DnsAnswer, type DnsFrom } from './dns/dns-lookup';
export { serviceListeners } from './services/services';
// Ingress, NetworkPolicy, references and the tracer (§7-§9).
export { matchIngress, parseUrl, hostMatches, pathMatchLength, type IngressMatch } from './ingress/ingress-rule-match';
export { evaluate, ipBlockContains, podsOfPeer, type PolicyVerdict, type DirectionVerdict } from './netpol/policy-evaluator';
export { reach, type ReachDirection, type ReachResult } from './queries/reach';
export { connectivity, type Connection } from './queries/connectivity';
export { isWorkloadKind, RUN_TO_COMPLETION, WORKLOAD_KINDS } from './input/workload-kinds';
export { parseRef, parsePortArg, type Ref, type RefResult } from './queries/target-refs';
export { trace } from './trace/trace';
export { RefError } from './queries/target-refs';
export type { TraceResult, TracePath, TraceHop, DropReason, HopSubject, TraceNode } from './trace/trace-types';
export { podsSelectedBy, servicesSelecting, policiesSelecting } from './queries/relations';
export { unsimulatedSummary, unsimulatedKinds } from './input/operated-kinds';
export { normalizePath } from './input/kustomize/paths';
export {
  applyKustomize,
  applyKustomizeSteps,
  chooseRoots,
  isKustomizationFile,
  KustomizeCache,
  type KustomizeOptions,
  type KustomizationFacts,
  type KustomizeOutcome,
  type KustomizeView,
} from './input/kustomize/index';
export { readPortArg, isDns1123Label, isDns1123Subdomain, isDns1035Label, isWildcardDns1123Subdomain, isPortName, type PortArg } from './core/names';
export { ingressClassFacts } from './ingress/ingresses';
// Gateway API (GW-*).
export { routeRequest, type RouteAnswer, type RouteOptions } from './ingress/gateway/route-query';
export { wildcardMatches, intersectHostnames } from './ingress/gateway/hostnames';
export { describeMatch } from './ingress/gateway/httproute-match';
export type { RouteBackendShare } from './ingress/gateway/backend-shares';
