// Model layer (pure): (parsed files, cluster profile) -> Model. Must not import vscode, LSP, node:* or fs.
import type { ClusterProfile, Model, ModelDiagnostic, ParsedFile } from '../types';
import { type BuildContext, type BuildMemo, lazyProperty, slotOf, UNITS_PER_STEP } from '../build/build-context';
import { DEDUPE_MEMO, dedupeSteps } from './dedupe';
import { runToEnd } from '../core/steps';
import { withoutChartTemplates } from '../input/helm-charts';
import { relocateDiagnostics } from '../input/kustomize';
import { resolveNodes } from '../cluster/nodes';
import { resolveNamespaces } from '../cluster/namespaces';
import { resolvePods } from '../workloads/pods';
import { resolveServices } from '../services/services';
import { resolveEndpoints } from '../endpoints/endpoints';
import { resolveDns } from '../dns/dns-stage';
import { resolveIngresses } from '../ingress/ingresses';
import { resolveGatewayApi } from '../ingress/gateway/gateway-stage';
import { resolveNetworkPolicies } from '../netpol/network-policies';
import { crossChecks } from './cross-checks';
import { checkStatefulSetServices } from '../services/statefulset-service-check';

/**
 * A stage fills its part of the context. A long one returns an iterator that yields between its own phases and
 * every `ctx.unitsPerStep` units of work inside them (pods, Services, policies: `stepCounter` in
 * build/build-context.ts), so that buildModelSteps' caller gets a turn in between too. Where it yields changes
 * nothing it computes; a caller may stop at any yield (`return()`) and the build memo stays valid for the next
 * build (test/unit/dropped-builds.test.ts).
 */
export type Stage = (ctx: BuildContext) => void | Iterable<void>;

/** Runs a stage to its end, for callers that do not step. */
export function runStage(stage: Stage, ctx: BuildContext): void {
  const phases = stage(ctx);
  if (phases) for (const _ of phases);
}

/** Each stage reads what the earlier ones put into the context. Exported for bench/stages.ts (per-stage timing). */
export const STAGES: readonly Stage[] = [
  resolveNodes, // CL-2, CL-3
  resolveNamespaces, // CL-4
  resolvePods, // WL-*, IP-1..3, IP-6
  resolveServices, // SVC-*, IP-4, IP-5
  resolveEndpoints, // EP-*
  checkStatefulSetServices, // WL-1: serviceName names a headless Service
  resolveDns, // DNS-*
  resolveIngresses, // ING-*
  resolveGatewayApi, // GW-*: Gateway API, after Ingress (reads Services, endpoints, namespaces)
  resolveNetworkPolicies, // NP-*
  crossChecks, // diagnostics that need everything (§10)
];

/**
 * Builds the model. Files are ordered by path so that "the first wins" (IN-5) does not depend on
 * the order the editor happened to open them in. `profileDiagnostics` come from `parseProfile`.
 */
export function buildModel(
  files: readonly ParsedFile[],
  profile: ClusterProfile,
  profileDiagnostics: readonly ModelDiagnostic[] = [],
  memo?: BuildMemo,
): Model {
  return runToEnd(buildModelSteps(files, profile, profileDiagnostics, memo));
}

export { runToEnd };

/**
 * The same build, a few units of work at a time: it yields between stages and inside the long ones (see Stage),
 * so that a caller can do other work in between or drop a build that has gone stale (the language server does
 * both: hovers are answered between steps, and an edit abandons the build it makes out of date). The model is
 * the same. `unitsPerStep` (default UNITS_PER_STEP): how many pods, Services… a stage handles per step.
 */
export function* buildModelSteps(
  files: readonly ParsedFile[],
  profile: ClusterProfile,
  profileDiagnostics: readonly ModelDiagnostic[] = [],
  memo?: BuildMemo,
  unitsPerStep?: number,
): Generator<void, Model, void> {
  if (memo) {
    // Every stage reads the profile: kept results are only valid under the one they were made with.
    const key = JSON.stringify(profile);
    if (memo.profileKey !== key) {
      memo.slots.clear();
      memo.profileKey = key;
    }
  }
  const { ctx, sorted } = yield* contextSteps(files, profile, profileDiagnostics, unitsPerStep ?? UNITS_PER_STEP, memo);
  if (unitsPerStep !== undefined) ctx.unitsPerStep = unitsPerStep;
  if (memo) ctx.memo = memo;
  for (const stage of STAGES) {
    yield;
    const phases = stage(ctx);
    if (phases) yield* phases;
  }
  return modelOf(ctx, sorted);
}

/** The context before the first stage: resources sorted, de-duplicated (IN-5) and indexed. */
export function createContext(
  files: readonly ParsedFile[],
  profile: ClusterProfile,
  profileDiagnostics: readonly ModelDiagnostic[] = [],
): { ctx: BuildContext; sorted: ParsedFile[] } {
  return runToEnd(contextSteps(files, profile, profileDiagnostics, UNITS_PER_STEP));
}

/** createContext a step at a time: it yields after sorting, after the charts, and every few files and resources. */
function* contextSteps(
  files: readonly ParsedFile[],
  profile: ClusterProfile,
  profileDiagnostics: readonly ModelDiagnostic[],
  unitsPerStep: number,
  memo?: BuildMemo,
): Generator<void, { ctx: BuildContext; sorted: ParsedFile[] }, void> {
  const all = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  yield;
  const diagnostics: ModelDiagnostic[] = [...profileDiagnostics];
  // IN-4: a chart's templates count as one skipped chart, said once on its Chart.yaml.
  const { sorted, charts } = withoutChartTemplates(all);
  for (const f of sorted) diagnostics.push(...f.diagnostics);
  diagnostics.push(...charts);
  yield;
  // dedupe's map of first occurrences, in resource order, is exactly resourceById: kept, not rebuilt.
  const { resources, byId, shadowed, duplicates, byKind, byFile } = yield* dedupeSteps(sorted, memo && slotOf(memo, DEDUPE_MEMO), unitsPerStep);
  diagnostics.push(...duplicates);
  const ctx: BuildContext = {
    profile,
    resources,
    shadowed,
    byKind,
    diagnostics,
    nodes: [],
    namespaces: [],
    pods: [],
    services: [],
    ingresses: [],
    gatewayApi: { classes: [], gateways: [], routes: [], referenceGrants: [] },
    networkPolicies: [],
    dns: [],
    index: {
      resourceById: byId,
      podById: new Map(),
      podsByOwner: new Map(),
      podByIp: new Map(),
      serviceById: new Map(),
      nodeByName: new Map(),
      namespaceByName: new Map(),
      policiesByNamespace: new Map(),
      resourcesByFile: byFile,
    },
  };
  return { ctx, sorted: all };
}

/** The snapshot the stages filled in. */
export function modelOf(ctx: BuildContext, sorted: ParsedFile[]): Model {
  const model: Model = {
    profile: ctx.profile,
    files: sorted,
    resources: ctx.resources,
    nodes: ctx.nodes,
    namespaces: ctx.namespaces,
    pods: ctx.pods,
    services: ctx.services,
    ingresses: ctx.ingresses,
    gatewayApi: ctx.gatewayApi,
    networkPolicies: ctx.networkPolicies,
    dns: ctx.dns,
    // IN-1: a rendered field a patch or a kustomization line wrote is reported where it was written.
    diagnostics: relocateDiagnostics(ctx.diagnostics),
    index: ctx.index,
  };
  // The DNS stage leaves the zone to be computed on first read; the model passes that on.
  if (ctx.dnsZone) lazyProperty(model, 'dns', ctx.dnsZone);
  return model;
}
