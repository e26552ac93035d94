// Model layer (pure): the Endpoints stage: who backs each Service, as kube-proxy and the API see it (EP-1..4). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from '../build/build-context';
import { customResourcesIn, MemoSlot, memoOf, ofKind, stepCounter } from '../build/build-context';
import {
  KeyedResults,
  allPods,
  collecting,
  copyOf,
  coreOf,
  POD_CORES,
  namespacePods,
  narrowedPods,
  podCoresOf,
  podIndexSteps,
  shadowedInputs,
  type WithDiagnostics,
} from '../build/incremental';
import { shadowedPodSources } from '../build/shadowed-duplicates';
import { carriesAll, fromMatchLabels } from '../core/label-selectors';
import type { EndpointPort, EndpointsObjectInfo, ModelDiagnostic, PodInfo, ServiceInfo } from '../types';
import { Fields, nameSpan } from '../core/typed-fields';
import type { PodIndex } from '../build/pod-index';
import {
  type PendingEndpoint,
  type SliceOrigin,
  MAX_ENDPOINTS_ADDRESSES,
  OVER_CAPACITY,
  SERVICE_NAME_LABEL,
  addressTypeOf,
  kubeProxyEndpoints,
  packSlices,
  readManualSlice,
  sliceGroupKey,
  resolveTargetPort,
} from './endpoint-slices';
import { type ManualEndpoints, mirror, readManualEndpoints } from './manual-endpoints';
import { reportPortMismatch, reportSelectsNothing, reportUnresolvedTargetPort } from './endpoint-checks';
import { APISERVER_PORT, KUBERNETES_SERVICE, SERVICES_MEMO, copiedService } from '../services/services';

/**
 * Yields every few EndpointSlices and Endpoints it reads and Services it fills (a Service counts 4 units: it reads
 * its pods), see Stage in pipeline/build-model.ts.
 */
export function* resolveEndpoints(ctx: BuildContext): Generator<void, void, void> {
  const tick = stepCounter(ctx);
  // Grouping and indexing pods is cheap per pod: a step is 16 times as many pods.
  const index = yield* podIndexSteps(ctx, stepCounter(ctx, 1 / 16));
  yield;
  const slicesBySvc = new Map<string, SliceOrigin[]>();
  for (const res of ofKind(ctx, 'EndpointSlice')) {
    if (tick()) yield;
    const f = new Fields(res, ctx.diagnostics);
    const { service, origin } = readManualSlice(res, f);
    const target = service === null ? undefined : ctx.index.serviceById.get(`${res.namespace}/${service}`);
    if (!target) {
      f.report(
        'endpointslice-no-service',
        'warning',
        service === null
          ? `This EndpointSlice has no \`${SERVICE_NAME_LABEL}\` label, so it belongs to no Service and kube-proxy never uses it.`
          : `This EndpointSlice is labelled for Service ${res.namespace}/${service}, which does not exist: nothing routes to these endpoints.`,
        nameSpan(res),
        'EP-2',
      );
      continue;
    }
    push(slicesBySvc, target.id, origin);
  }
  const manualBySvc = new Map<string, ManualEndpoints>();
  for (const res of ofKind(ctx, 'Endpoints')) {
    if (tick()) yield;
    const f = new Fields(res, ctx.diagnostics);
    const m = readManualEndpoints(res, f);
    const target = ctx.index.serviceById.get(`${res.namespace}/${res.name}`);
    if (!target || target.source === undefined) {
      if (!target)
        f.report(
          'endpoints-no-service',
          'warning',
          `No Service ${res.namespace}/${res.name} exists, so nothing uses these Endpoints: an Endpoints object only serves the Service of the same name.`,
          nameSpan(res),
          'EP-2',
        );
      continue;
    }
    if (target.selector) {
      f.report(
        'endpoints-overwritten',
        'warning',
        `Service ${target.id} has a selector, so the endpoints controller owns this Endpoints object and rewrites it from the selected pods: these addresses are discarded.`,
        nameSpan(res),
        'EP-2',
      );
      continue;
    }
    manualBySvc.set(target.id, m);
  }
  const memo = memoOf(ctx, ENDPOINTS_MEMO);
  const perService = stepCounter(ctx, 4);
  if (!memo) {
    for (const svc of ctx.services) {
      if (perService()) yield;
      fillEndpoints(ctx, svc, index, slicesBySvc.get(svc.id) ?? [], manualBySvc.get(svc.id), ctx.diagnostics);
    }
    return;
  }
  // Per Service, kept while what it read is the same (build/incremental.ts); a kept Service is copied, not changed.
  const kept = memoOf(ctx, SERVICES_MEMO)!.byId;
  let services = ctx.services;
  for (let i = 0; i < ctx.services.length; i++) {
    if (perService()) yield;
    const svc = ctx.services[i]!;
    if (svc.type === 'ExternalName') continue; // nothing to fill (SVC-5)
    const labelled = slicesBySvc.get(svc.id) ?? [];
    const manual = manualBySvc.get(svc.id);
    const r = memo.results.get(
      svc.id,
      (r) => endpointInputs(ctx, svc, index, labelled, manual, r.value.matchedNothing),
      () =>
        collecting((out) => {
          const own = memo.finished.has(svc) ? copyOf(svc) : svc;
          if (own !== svc) copiedService(ctx, own, svc);
          const cores = fillEndpoints(ctx, own, index, labelled, manual, out, memo.results.previous(svc.id)?.value);
          memo.finished.add(own);
          return { svc: own, matchedNothing: own.selector !== null && index.select(own.namespace, own.selector).length === 0, cores };
        }),
      (r) => endpointInputs(ctx, svc, null, labelled, manual, r.value.matchedNothing),
    );
    ctx.diagnostics.push(...r.diagnostics);
    const final = r.value.svc;
    if (final === svc) continue;
    if (services === ctx.services) services = [...services];
    services[i] = final;
    ctx.index.serviceById.set(final.id, final);
    if (kept.get(final.id) === svc) kept.set(final.id, final);
  }
  memo.results.settle();
  ctx.services = services;
  const stage = memoOf(ctx, SERVICES_MEMO)!.stage;
  if (stage) stage.services = services;
}

/** The endpoints of one Service, with what it read: kept per Service id. */
interface ServiceEndpoints {
  svc: ServiceInfo;
  /** A selector that matched no pod: the near-miss message read every namespace's pods. */
  matchedNothing: boolean;
  /** The pod (as the pods stage made it) behind each endpoint of the slices the selector made, in order. */
  cores?: readonly PodInfo[];
}

interface EndpointsMemo {
  readonly results: KeyedResults<WithDiagnostics<ServiceEndpoints>>;
  /** Services this stage filled: kept by the memo, so never changed again (copied instead). */
  readonly finished: WeakSet<ServiceInfo>;
}

const ENDPOINTS_MEMO = new MemoSlot<EndpointsMemo>('endpoints', () => ({ results: new KeyedResults(), finished: new WeakSet() }));

/**
 * What a Service's endpoints depend on: the Service (the same object while this stage's input is the same), the pods
 * its selector selects (an edit of a pod elsewhere in the namespace leaves it be), the slices labelled for it and the
 * Endpoints of its name, the custom resources of its namespace (IN-6, in the no-match message), the first node (CL-4,
 * default/kubernetes), and its namespace's pods, every pod and the set-aside duplicates (IN-5) when it matched none
 * (the near-miss message reads them).
 * Without an index: the guard of those inputs (KeyedResults.get), with its namespace's pods in place of the ones the
 * selector picks, narrowed to those it picks (NarrowedList): those decide these, and listing them costs no selection
 * (issue 13: an edit elsewhere costs each Service a few comparisons, and one that changes a few pods of its namespace
 * a test of each of those pods).
 */
function endpointInputs(
  ctx: BuildContext,
  svc: ServiceInfo,
  index: PodIndex | null,
  labelled: SliceOrigin[],
  manual: ManualEndpoints | undefined,
  matchedNothing: boolean,
): unknown[] {
  const custom = customResourcesIn(ctx, svc.namespace);
  const node = ctx.nodes[0] ?? ctx.profile.nodes[0];
  const selector = svc.selector;
  const selected = !selector
    ? []
    : index
      ? podCoresOf(ctx, index.select(svc.namespace, selector))
      : [matchedNothing ? namespacePods(ctx, svc.namespace) : narrowedPods(ctx, svc.namespace, (pod) => carriesAll(pod.labels, selector))];
  return [
    svc,
    manual?.res,
    node?.internalIP,
    ...(matchedNothing ? [namespacePods(ctx, svc.namespace), allPods(ctx), ...shadowedInputs(ctx)] : [null]),
    labelled.length,
    ...labelled.map((o) => o.res),
    custom.length,
    ...custom,
    selected.length,
    ...selected,
  ];
}

/**
 * Fills one Service's endpoints (EP-1..4); diagnostics to `out`. Returns the pods behind the endpoints a selector
 * made (ServiceEndpoints.cores); `previous`: what the last build filled the Service with, for the endpoints of pods
 * that are the same.
 */
function fillEndpoints(
  ctx: BuildContext,
  svc: ServiceInfo,
  index: PodIndex,
  labelled: SliceOrigin[],
  manual: ManualEndpoints | undefined,
  out: ModelDiagnostic[],
  previous?: ServiceEndpoints,
): readonly PodInfo[] | undefined {
  if (svc.type === 'ExternalName') return undefined; // a CNAME only: no endpoints, no proxying (SVC-5)
  let cores: readonly PodInfo[] | undefined;
  // Reports about slices go with the Service they are read for.
  const own = (o: SliceOrigin): SliceOrigin => ({ ...o, f: new Fields(o.res, out) });
  let origins: SliceOrigin[] = labelled.map(own);
  if (svc.id === KUBERNETES_SERVICE && svc.source === undefined) apiServerEndpoints(ctx, svc);
  else if (svc.selector) {
    cores = selectorEndpoints(ctx, svc, index, out, previous);
    svc.endpointSlices.push(...labelled.map((o) => o.slice)); // kube-proxy reads every slice labelled for the Service
  } else origins = manualEndpoints(svc, manual, labelled, out).map(own);
  const reported = new Set<string>();
  for (const o of origins) reportPortMismatch(svc, o, reported);
  svc.endpoints = kubeProxyEndpoints(svc, svc.endpointSlices);
  return cores;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** The ports one pod serves for a Service (SVC-2: named targetPorts resolve per pod; missing ones are skipped). */
function podPorts(svc: ServiceInfo, pod: PodInfo): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.ports) {
    const port = resolveTargetPort(pod, sp);
    if (port !== null) out.push({ name: sp.name, port, protocol: sp.protocol });
  }
  return out;
}

/**
 * EP-1: pods of the Service's namespace matching every selector label, with an IP; Ready ones, plus
 * not-ready ones marked ready when publishNotReadyAddresses. The legacy Endpoints object keeps the
 * same pods (not-ready ones under notReadyAddresses), at most 1000 then annotated truncated (EP-3).
 */
function selectorEndpoints(ctx: BuildContext, svc: ServiceInfo, index: PodIndex, out: ModelDiagnostic[], previous?: ServiceEndpoints): PodInfo[] {
  const res = svc.source!;
  const f = new Fields(res, out);
  const matched = index.select(svc.namespace, svc.selector!);
  if (matched.length === 0)
    reportSelectsNothing(svc, index, f, customResourcesIn(ctx, svc.namespace), {
      sources: shadowedPodSources(ctx.shadowed, svc.namespace, fromMatchLabels(svc.selector!)),
      kept: ctx.index.resourceById,
    });
  const pending: PendingEndpoint[] = [];
  const ready: string[] = [];
  const notReady: string[] = [];
  const podCores = memoOf(ctx, POD_CORES);
  const cores: PodInfo[] = [];
  const kept = previous && sameEndpointFields(previous.svc, svc) ? keptEndpoints(previous) : undefined;
  for (const pod of matched) {
    if (pod.ip === null) continue; // Pending pods have no address to publish
    const core = coreOf(podCores, pod);
    let p = kept?.get(core);
    if (!p) {
      const addressType = addressTypeOf(pod.ip);
      if (svc.ipFamilies.length && !svc.ipFamilies.includes(addressType)) continue;
      const endpoint: PendingEndpoint['endpoint'] = { addresses: [pod.ip], ready: pod.ready || svc.publishNotReadyAddresses, pod: pod.id };
      if (pod.node !== null) endpoint.nodeName = pod.node;
      // DNS-2: the endpoints controller names an endpoint only for a pod whose spec sets hostname and subdomain.
      if (pod.subdomain === svc.name && pod.hostnameInSpec && pod.hostname) endpoint.hostname = pod.hostname;
      const ports = podPorts(svc, pod);
      p = { endpoint, ports, addressType, group: sliceGroupKey(addressType, ports) };
    }
    pending.push(p);
    cores.push(core);
    if (p.ports.length > 0 || svc.ports.length === 0) (p.endpoint.ready ? ready : notReady).push(pod.ip);
  }
  svc.endpointSlices = packSlices(svc.name, svc.id, pending, true);
  svc.endpointsObject = legacyEndpoints(ready, notReady);
  if (matched.length > 0) {
    for (const sp of svc.ports) {
      if (typeof sp.targetPort === 'string' && !matched.some((p) => resolveTargetPort(p, sp) !== null)) reportUnresolvedTargetPort(svc, sp, matched, f);
    }
  }
  return inSliceOrder(pending, cores);
}

/**
 * `cores` (parallel to `pending`) in the order packSlices lays out their endpoints: by slice group, the groups in the
 * order of their first endpoint.
 */
function inSliceOrder(pending: readonly PendingEndpoint[], cores: PodInfo[]): PodInfo[] {
  const byGroup = new Map<string | undefined, PodInfo[]>();
  pending.forEach((p, i) => push(byGroup, p.group, cores[i]!));
  return byGroup.size <= 1 ? cores : [...byGroup.values()].flat();
}

/**
 * Whether a pod's endpoint for `b` is the one it had for `a`: the fields of a Service an endpoint reads are the same
 * objects (a Service the Services stage made again has new ones, see internService).
 */
function sameEndpointFields(a: ServiceInfo, b: ServiceInfo): boolean {
  return a.ports === b.ports && a.ipFamilies === b.ipFamilies && a.publishNotReadyAddresses === b.publishNotReadyAddresses && a.name === b.name;
}

/**
 * The endpoints a selector made in the last build, by the pod behind each: a pod that is the same object makes the
 * same endpoint (issue 13: a DaemonSet's Service has an endpoint per node, and an edit that re-addresses one of its
 * pods made every other one again). The slices a selector made come first, then those labelled for the Service.
 */
function keptEndpoints(previous: ServiceEndpoints): Map<PodInfo, PendingEndpoint> | undefined {
  const cores = previous.cores;
  if (!cores?.length) return undefined;
  const kept = new Map<PodInfo, PendingEndpoint>();
  let i = 0;
  for (const s of previous.svc.endpointSlices) {
    if (i >= cores.length) break;
    const group = sliceGroupKey(s.addressType, s.ports);
    for (const endpoint of s.endpoints) kept.set(cores[i++]!, { endpoint, ports: s.ports, addressType: s.addressType, group });
  }
  return kept;
}

function legacyEndpoints(ready: string[], notReady: string[]): EndpointsObjectInfo {
  const obj: EndpointsObjectInfo = { addresses: ready, notReadyAddresses: notReady, annotations: {} };
  if (ready.length + notReady.length > MAX_ENDPOINTS_ADDRESSES) {
    obj.addresses = ready.slice(0, MAX_ENDPOINTS_ADDRESSES);
    obj.notReadyAddresses = notReady.slice(0, Math.max(0, MAX_ENDPOINTS_ADDRESSES - obj.addresses.length));
    obj.annotations[OVER_CAPACITY] = 'truncated';
  }
  return obj;
}

/**
 * EP-2: without a selector nothing is automatic: manual Endpoints of the same name (mirrored into
 * slices unless skip-mirror) and EndpointSlices labelled for the Service supply the addresses.
 */
function manualEndpoints(svc: ServiceInfo, m: ManualEndpoints | undefined, slices: SliceOrigin[], out: ModelDiagnostic[]): SliceOrigin[] {
  const origins = [...(m ? mirror(m) : []), ...slices];
  svc.endpointSlices = origins.map((o) => o.slice);
  svc.endpointsObject = m ? m.object : null;
  if (m?.skipMirror && slices.length === 0) {
    new Fields(m.res, out).report(
      'endpoints-skip-mirror',
      'warning',
      `These Endpoints are labelled endpointslice.kubernetes.io/skip-mirror: "true", so they are not mirrored into EndpointSlices, and kube-proxy reads only slices: Service ${svc.id} gets no traffic to these addresses.`,
      nameSpan(m.res),
      'EP-3',
    );
  } else if (!m && slices.length === 0 && svc.source) {
    new Fields(svc.source, out).report(
      'service-no-endpoints',
      'warning',
      `Service ${svc.id} has no selector and no Endpoints or EndpointSlice supplies its addresses: ${svc.headless ? 'its name answers NXDOMAIN' : `connections to ${svc.clusterIP ?? 'it'} are refused (kube-proxy rejects traffic to a Service without endpoints)`}. Add a selector, or an EndpointSlice labelled ${SERVICE_NAME_LABEL}: ${svc.name}.`,
      nameSpan(svc.source),
      'EP-2',
    );
  }
  return origins;
}

/** CL-4: default/kubernetes forwards to the API server on the first node (k3s server), port 6443. */
function apiServerEndpoints(ctx: BuildContext, svc: ServiceInfo): void {
  const node = ctx.nodes[0] ?? ctx.profile.nodes[0];
  if (!node) return;
  const ports: EndpointPort[] = [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }];
  svc.endpointSlices = [
    { name: 'kubernetes', managed: true, addressType: addressTypeOf(node.internalIP), endpoints: [{ addresses: [node.internalIP], ready: true }], ports },
  ];
  svc.endpointsObject = { addresses: [node.internalIP], notReadyAddresses: [], annotations: {} };
}
