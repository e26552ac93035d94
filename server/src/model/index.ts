// Model layer (pure): the public face of the model. Must not import vscode, LSP, node:* or fs.
export * from './types';
export { parseFile, isTemplate, readYamlDocuments, type YamlDocument } from './parse';
export { buildModel, buildModelSteps, runToEnd } from './build';
export { createBuildMemo, type BuildMemo } from './context';
export { parseProfile, defaultProfile, PROFILE_FILE } from './profile';
export { profileFromSettings } from './profile';
export { expandVarRefs, environmentAtStart } from './env';
export { describeAddress, type AddressInfo, type AddressKind } from './addresses';
export { offsetToPosition, positionToOffset, computeLineStarts, type Position } from './text';
export { matches, describeSelector } from './selectors';
export { lookupDns, type DnsAnswer, type DnsFrom } from './dnslookup';
export { serviceListeners } from './services';
// Ingress, NetworkPolicy, references and the tracer (§7-§9).
export { matchIngress, parseUrl, hostMatches, pathMatchLength, type IngressMatch } from './ingress-match';
export { evaluate, ipBlockContains, type PolicyVerdict, type DirectionVerdict } from './netpol-eval';
export { reach, type ReachResult } from './reach';
export { connectivity, RUN_TO_COMPLETION, type Connection } from './connectivity';
export { parseRef, parsePortArg, type Ref, type RefResult } from './refs';
export { trace, RefError } from './trace';
export type { TraceResult, TracePath, TraceHop, DropReason } from './trace-types';
export { podsSelectedBy, servicesSelecting, policiesSelecting } from './relations';
export { unsimulatedSummary, unsimulatedKinds } from './operated';
export { normalizePath } from './kustomize/paths';
export { applyKustomize, isKustomizationFile, type KustomizationFacts, type KustomizeOutcome, type KustomizeView } from './kustomize/index';
