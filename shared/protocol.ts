// Shared contract layer: custom LSP requests and notifications between client/ and server/. Imports only shared/ types;
// it must not import vscode, vscode-languageclient/-server or the model, so either side (and tests) can use it.
// Method names are `netpath/<verb>`. The `Requests`/`Notifications` maps tie each method to its types, and
// the typed helpers on both sides (client/src/lsp.ts, server/src/server.ts) accept nothing else.
import type { TraceResult } from './trace';

export type { TraceResult, TraceHop, TracePath, SourceLocation } from './trace';

/** A thing a trace can start from or go to, in the CLI's reference syntax (docs/cli.md "References"). */
export interface TraceEndpoint {
  /** `svc:NS/NAME:PORT`, `pod:NS/NAME`, `node:NAME`, `host:IP`, `url:http://HOST/PATH`, … */
  ref: string;
  /** What a quick pick shows. */
  label: string;
  /** Extra facts (ClusterIP, node, pod IP). */
  description?: string;
  kind: 'service' | 'ingress' | 'pod' | 'workload' | 'node' | 'host';
}

/**
 * `netpath/traceTargets` — client → server, when the user runs "Trace traffic": what can be traced.
 * With a position, `target` is the Service port / Ingress path under the cursor (if any).
 */
export interface TraceTargetsParams {
  uri?: string;
  position?: { line: number; character: number };
}
export interface TraceTargetsResult {
  /** The target under the cursor, or undefined when the cursor is not on a Service or Ingress rule. */
  target?: TraceEndpoint;
  targets: TraceEndpoint[];
  sources: TraceEndpoint[];
  /** The source a user most likely means for `target` (a pod of another workload, else a node). */
  defaultSource?: TraceEndpoint;
}

/**
 * `netpath/trace` — client → server, after the user picked target and source (command, code lens, or the
 * panel's "re-run" after manifests changed). Returns the trace, or `{ error }` when a ref does not resolve.
 */
export interface TraceParams {
  from: string;
  to: string;
  /** `TCP/80`, optional. */
  port?: string;
}
/** `text`: the trace in the CLI's text format (`netpath trace` without --json), for the panel's "Copy as text". */
export type TraceResponse = { trace: TraceResult; text?: string } | { error: string };

/**
 * `netpath/status` — server → client, after every (re-)analysis: the model's size, for the status bar.
 * `state` is `indexing` while the first index of the workspace runs.
 */
export interface StatusParams {
  state: 'indexing' | 'ready';
  files: number;
  resources: number;
  pods: number;
  services: number;
  errors: number;
  warnings: number;
  /** Milliseconds the last analysis took. */
  analysisMs: number;
  /** IN-1: the workspace's kustomization roots by environment name (`dev`), when it has any: all, and those modelled. */
  environments?: { all: string[]; modelled: string[]; unmatched: string[] };
}

/**
 * `netpath/modelChanged` — server → client, after a re-analysis that followed an edit, so that an open
 * trace panel re-runs its trace on the new model ("re-renders when the manifests change").
 */
export interface ModelChangedParams {
  version: number;
}

/**
 * `netpath/profileDraft` — client → server, when the user creates a cluster profile: the text of a
 * `netpath.cluster.yaml` holding what the model assumed (CL-1, CL-5), for an unsaved editor.
 */
export interface ProfileDraftResult {
  text: string;
}

/**
 * `netpath/networkTree` — client → server, for the Network view in the explorer: namespaces → Services,
 * Ingresses, NetworkPolicies and workloads, each with its facts, its manifest line and what to trace.
 */
export interface NetworkItem {
  label: string;
  /** One line of facts beside the label (ClusterIP, endpoints, pods). */
  description?: string;
  tooltip?: string;
  kind: 'namespace' | 'group' | 'service' | 'ingress' | 'ingressRule' | 'policy' | 'workload' | 'pod' | 'more';
  /** Where the object (or rule) is written; a click opens it. */
  location?: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
  /** A trace target for the item's Trace action (`svc:NS/NAME`, `url:http://HOST/PATH`). */
  traceTo?: string;
  children?: NetworkItem[];
}
export interface NetworkTreeResult {
  namespaces: NetworkItem[];
}

export interface Requests {
  'netpath/networkTree': { params: Record<string, never>; result: NetworkTreeResult };
  'netpath/profileDraft': { params: Record<string, never>; result: ProfileDraftResult };
  'netpath/traceTargets': { params: TraceTargetsParams; result: TraceTargetsResult };
  'netpath/trace': { params: TraceParams; result: TraceResponse };
}
export interface Notifications {
  'netpath/status': StatusParams;
  'netpath/modelChanged': ModelChangedParams;
}
export type RequestMethod = keyof Requests;
export type NotificationMethod = keyof Notifications;

/** The client command that picks the kustomize environments the model holds (IN-1; writes `netpath.kustomize.roots`). */
export const PICK_ENVIRONMENT_COMMAND = 'netpath.pickEnvironment';

/** Settings under `netpath.*` that the server reads (package.json `contributes.configuration`). */
export interface NetpathSettings {
  hover: { enabled: boolean };
  codeLens: { enabled: boolean };
  diagnostics: { enabled: boolean };
  /** Cluster profile fields; `netpath.cluster.yaml` at the workspace root wins over these (CL-1). */
  cluster: {
    clusterDomain?: string;
    serviceCIDR?: string;
    podCIDR?: string;
    nodePortRange?: string;
    dnsServiceIP?: string;
    kubeProxyMode?: string;
    nodes?: { name: string; internalIP: string; podCIDR?: string }[];
  };
  /** Edits closer together than this are analysed together once they pause; an edit after a quiet spell at once. */
  debounceMs: number;
  /** IN-1: the kustomization roots (environments) the model holds; empty: every root. Wins over the profile's `kustomize.roots`. */
  kustomize: { roots: string[] };
}
