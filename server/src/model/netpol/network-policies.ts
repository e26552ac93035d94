// Model layer (pure): reads NetworkPolicies and works out which pods they select (NP-1..4).
// Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from '../build/build-context';
import { mayCreatePods } from '../input/operated-kinds';
import { customResourcesIn, MemoSlot, memoOf, ofKind, stepCounter } from '../build/build-context';
import { KeyedResults, ListInterner, collectingSteps, samePlain, narrowedPods, podIndexOf, shadowedInputs, type WithDiagnostics } from '../build/incremental';
import { shadowedPodSources, shadowedSentence } from '../build/shadowed-duplicates';
import type { JsonMap, ModelDiagnostic, NetworkPolicyInfo, PodInfo, PolicyPeer, PolicyPort, PolicyRule, Protocol, Resource } from '../types';
import { Fields, metadata, nameSpan, valueSpan } from '../core/typed-fields';
import { carriesAll, describeSelector, everything, matches, readLabelSelector } from '../core/label-selectors';
import { parseCidr, cidrWithin } from '../core/ip';
import { sameItemsBy } from '../core/same-items';
import type { PodIndex } from '../build/pod-index';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const TYPES = ['Ingress', 'Egress'] as const;

/**
 * Fills `ctx.networkPolicies`; a policy selecting no pod is a warning (it does nothing). Yields every few
 * policies (see Stage in pipeline/build-model.ts).
 */
export function* resolveNetworkPolicies(ctx: BuildContext): Generator<void, void, void> {
  const memo = memoOf(ctx, POLICIES_MEMO);
  const tick = stepCounter(ctx);
  // A policy of a namespace of 20,000 pods tests each: a step every few of them, as the pods stage's walks do.
  const podTick = stepCounter(ctx, 1 / 16);
  for (const res of ofKind(ctx, 'NetworkPolicy')) {
    if (tick()) yield;
    let np: NetworkPolicyInfo;
    if (memo) {
      // Per policy, kept while its manifest, the pods carrying its podSelector's matchLabels in its namespace (the only
      // pods it reads), custom resources and the set-aside duplicates (IN-5) are the same (build/incremental.ts);
      // guarded by its namespace's pods narrowed to those carrying the matchLabels (NarrowedList), which decide those: an
      // edit elsewhere costs a comparison, one in the namespace a test of each changed pod (issue 13: every policy of a
      // namespace of 20,000 pods was read again).
      const ns = policyNamespace(res);
      const custom = customResourcesIn(ctx, ns);
      const others = [...shadowedInputs(ctx), ...custom];
      const r = yield* memo.results.getSteps(
        res.id,
        ({ value }) => [res, candidatesOf(ctx, memo, value.namespace, value.podSelector.matchLabels), ...others],
        function* () {
          return keptIfSame(memo.results.previous(res.id), yield* collectingSteps((out) => resolvePolicySteps(ctx, res, out, podTick)));
        },
        ({ value }) => [res, narrowedPods(ctx, ns, (pod) => carriesAll(pod.labels, value.podSelector.matchLabels)), ...others],
      );
      ctx.diagnostics.push(...r.diagnostics);
      np = r.value;
    } else np = yield* resolvePolicySteps(ctx, res, ctx.diagnostics, podTick);
    ctx.networkPolicies.push(np);
    const sameNamespace = ctx.index.policiesByNamespace.get(np.namespace);
    if (sameNamespace) sameNamespace.push(np);
    else ctx.index.policiesByNamespace.set(np.namespace, [np]);
  }
  if (memo) {
    // Lists of selectors no policy has any more go; those of policies kept by their guard stay for the next edit.
    if (memo.candidates.size > 2 * ofKind(ctx, 'NetworkPolicy').length) {
      memo.candidates.clear();
      memo.checked.clear();
    }
    memo.results.settle();
    ctx.networkPolicies = memo.list.intern('', ctx.networkPolicies) as NetworkPolicyInfo[];
    memo.list.settle();
  }
}

interface PoliciesMemo {
  readonly results: KeyedResults<WithDiagnostics<NetworkPolicyInfo>>;
  /** The list of policies, the same object while its policies are (an input of the cross-checks). */
  readonly list: ListInterner<NetworkPolicyInfo>;
  /** The pods carrying a namespace's matchLabels (see candidatesOf), by namespace and selector. */
  readonly candidates: Map<string, readonly PodInfo[]>;
  /** The index the lists in `checked` were last checked against. */
  checkedWith?: PodIndex;
  readonly checked: Set<string>;
}

/**
 * The pods of `ns` carrying every label of `matchLabels` (those resolvePolicySteps reads): the same list object as the last
 * build's while they are the same pods, so that a policy's deps compare one object, not thousands of pods (a
 * namespace's deny-all selects all its pods), and policies with the same selector share it. The index holds the pods
 * stage's objects (cores) with a memo, as a build's deps must.
 */
function candidatesOf(ctx: BuildContext, memo: PoliciesMemo, ns: string, matchLabels: Record<string, string>): readonly PodInfo[] {
  const key = `${ns}\u0000${JSON.stringify(matchLabels)}`;
  const kept = memo.candidates.get(key);
  // The same index is the same pods: a list checked against it holds (policies sharing a selector, later builds).
  const index = podIndexOf(ctx);
  if (memo.checkedWith !== index) {
    memo.checkedWith = index;
    memo.checked.clear();
  }
  if (kept && memo.checked.has(key)) return kept;
  const now = index.select(ns, matchLabels);
  const list = kept && sameAsSelected(kept, now) ? kept : now;
  memo.candidates.set(key, list);
  memo.checked.add(key);
  return list;
}

/**
 * Whether two lists of pods are the same to a policy: it reads a pod's id (with its namespace), whether it is on the
 * host's network and its labels (selectsPod), and nothing else. Labels compare as objects: a pod made again from the
 * same workload has its labels (see expandWorkloads). Issue 13: an edit that re-addresses a DaemonSet's pod on a
 * full node gave each policy selecting one a new list, and the policy was read again.
 */
function sameAsSelected(a: readonly PodInfo[], b: readonly PodInfo[]): boolean {
  return sameItemsBy(a, b, (p, q) => p.id === q.id && p.hostNetwork === q.hostNetwork && p.labels === q.labels);
}

const POLICIES_MEMO = new MemoSlot<PoliciesMemo>('network policies', () => ({
  results: new KeyedResults(),
  list: new ListInterner(),
  candidates: new Map(),
  checked: new Set(),
}));

/**
 * A policy read again (its namespace's pods changed) that selects the same pods and says the same is the object the
 * last build ended with: what reads policies (the NP-6 check of every Service they isolate) keeps its results. An edit
 * of one workload changed every policy of its namespace, and so 3,000 to 4,000 Services' checks, at 10,000 Services.
 */
function keptIfSame(kept: WithDiagnostics<NetworkPolicyInfo> | undefined, made: WithDiagnostics<NetworkPolicyInfo>): WithDiagnostics<NetworkPolicyInfo> {
  if (!kept) return made;
  if (samePlain(made, kept)) return kept;
  // Most often only the pods it selects changed: its rules stay the same objects, for what reads only them.
  if (samePlain(made.value.ingress, kept.value.ingress)) made.value.ingress = kept.value.ingress;
  if (samePlain(made.value.egress, kept.value.egress)) made.value.egress = kept.value.egress;
  return made;
}

/** One policy read, with the pods it selects (NP-1); diagnostics to `out`. Yields every few pods it tests (`tick`). */
function* resolvePolicySteps(ctx: BuildContext, res: Resource, out: ModelDiagnostic[], tick: () => boolean): Generator<void, NetworkPolicyInfo, void> {
  // A policy only ever selects pods of its own namespace: the index narrows them by matchLabels first.
  const np = readPolicy(res, new Fields(res, out));
  const candidates = podIndexOf(ctx).select(np.namespace, np.podSelector.matchLabels);
  np.selects = [];
  for (let pi = 0; pi < candidates.length; pi++) {
    const p = candidates[pi]!;
    if (tick()) yield;
    if (selectsPod(np, p)) np.selects.push(p.id);
  }
  if (np.selects.length === 0) {
    const spec = res.body.spec;
    const span =
      spec && typeof spec === 'object' && !Array.isArray(spec) && 'podSelector' in spec ? valueSpan(res, spec as JsonMap, 'podSelector') : nameSpan(res);
    // NP-7: the selector does match pods, but only hostNetwork ones, which share their node's network
    // namespace; most plugins (Calico, Cilium, kube-router) do not isolate them. "Matches no pod" would be false.
    const hostNet = candidates.filter((p) => p.hostNetwork && p.namespace === np.namespace && matches(p.labels, np.podSelector));
    if (hostNet.length > 0) {
      out.push({
        code: 'networkpolicy-selects-hostnetwork-only',
        severity: 'warning',
        rule: 'NP-7',
        message: `podSelector ${describeSelector(np.podSelector)} selects only hostNetwork pods (${hostNet
          .slice(0, 3)
          .map((p) => p.id)
          .join(
            ', ',
          )}${hostNet.length > 3 ? ', …' : ''}), which most plugins do not isolate: they use their node's network, so this policy likely has no effect on them.`,
        file: res.file,
        span,
        subject: res.id,
      });
      return np;
    }
    const shadowedPods = shadowedPodSources(ctx.shadowed, np.namespace, np.podSelector);
    if (shadowedPods.length > 0) {
      out.push({
        code: 'networkpolicy-selects-nothing',
        severity: 'info',
        rule: 'IN-5',
        message: `podSelector ${describeSelector(np.podSelector)} matches no pod the model holds in namespace ${np.namespace}. ${shadowedSentence(shadowedPods, ctx.index.resourceById)}`,
        file: res.file,
        span,
        subject: res.id,
      });
      return np;
    }
    out.push({
      code: 'networkpolicy-selects-nothing',
      // IN-6: with custom resources in the namespace, an operator may make the pods this policy is for.
      ...(customResourcesIn(ctx, np.namespace).length
        ? {
            severity: 'info' as const,
            rule: 'IN-6',
            message: `podSelector ${describeSelector(np.podSelector)} matches no pod written in namespace ${np.namespace}. ${mayCreatePods(customResourcesIn(ctx, np.namespace))}`,
          }
        : {
            severity: 'warning' as const,
            rule: 'NP-1',
            message: `podSelector ${describeSelector(np.podSelector)} matches no pod in namespace ${np.namespace}; this policy isolates nothing and allows nothing.`,
          }),
      file: res.file,
      span,
      subject: res.id,
    });
  }
  return np;
}

/** The namespace a policy is in (its metadata's, `default` when absent). */
function policyNamespace(res: Resource): string {
  const md = metadata(res);
  return res.namespace || (typeof md.namespace === 'string' ? md.namespace : 'default');
}

/** A policy applies to pods of its own namespace matching its podSelector; hostNetwork pods are never subject to it. */
export function selectsPod(np: NetworkPolicyInfo, pod: PodInfo): boolean {
  return pod.namespace === np.namespace && !pod.hostNetwork && matches(pod.labels, np.podSelector);
}

function readPolicy(res: Resource, f: Fields): NetworkPolicyInfo {
  const spec = f.map(res.body, 'spec') ?? {};
  const podSelector = readLabelSelector(f, spec, 'podSelector') ?? everything();
  const ingress = f.maps(spec, 'ingress').map((r) => readRule(f, r, 'from'));
  const egressList = f.list(spec, 'egress');
  const egress = f.maps(spec, 'egress').map((r) => readRule(f, r, 'to'));
  const written = f.strings(spec, 'policyTypes');
  let policyTypes: ('Ingress' | 'Egress')[];
  if (written && written.length > 0) {
    policyTypes = [];
    const list = f.list(spec, 'policyTypes') ?? [];
    written.forEach((t) => {
      if ((TYPES as readonly string[]).includes(t)) {
        if (!policyTypes.includes(t as 'Ingress')) policyTypes.push(t as 'Ingress' | 'Egress');
      } else {
        f.report(
          'invalid-field',
          'error',
          `policyTypes entry "${t}" must be Ingress or Egress; the API server rejects this policy.`,
          valueSpan(res, list, list.indexOf(t)),
          'NP-2',
        );
      }
    });
  } else {
    // NP-2: Ingress always; Egress only when an egress section is written.
    policyTypes = egressList !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  return {
    id: `${res.namespace}/${res.name}`,
    name: res.name,
    namespace: policyNamespace(res),
    source: res,
    podSelector,
    policyTypes,
    ingress,
    egress,
    selects: [],
  };
}

function readRule(f: Fields, rule: JsonMap, peersKey: 'from' | 'to'): PolicyRule {
  const peerMaps = f.maps(rule, peersKey);
  const peers: PolicyPeer[] = [];
  for (const pm of peerMaps) {
    const peer: PolicyPeer = {};
    const ps = readLabelSelector(f, pm, 'podSelector');
    const ns = readLabelSelector(f, pm, 'namespaceSelector');
    const ib = f.map(pm, 'ipBlock');
    if (ps) peer.podSelector = ps;
    if (ns) peer.namespaceSelector = ns;
    if (ib) {
      const cidr = f.str(ib, 'cidr');
      const parsed = cidr !== undefined ? parseCidr(cidr) : null;
      if (!parsed) {
        f.report(
          'invalid-field',
          'error',
          `ipBlock.cidr ${cidr === undefined ? 'is missing' : `"${cidr}" is not a CIDR`}; the API server rejects this policy.`,
          valueSpan(f.res, cidr === undefined ? pm : ib, cidr === undefined ? 'ipBlock' : 'cidr'),
          'NP-3',
        );
        continue;
      }
      const except: string[] = [];
      const exceptList = f.list(ib, 'except') ?? [];
      (f.strings(ib, 'except') ?? []).forEach((e) => {
        const ec = parseCidr(e);
        if (ec && cidrWithin(ec, parsed)) except.push(e);
        else
          f.report(
            'invalid-field',
            'error',
            `ipBlock.except "${e}" must be a CIDR inside ${cidr}; the API server rejects this policy.`,
            valueSpan(f.res, exceptList, exceptList.indexOf(e)),
            'NP-3',
          );
      });
      peer.ipBlock = { cidr: cidr!, except };
      if (ps || ns)
        f.report(
          'invalid-field',
          'error',
          'ipBlock cannot be combined with podSelector or namespaceSelector in one peer; the API server rejects this policy.',
          valueSpan(f.res, pm, 'ipBlock'),
          'NP-3',
        );
    }
    if (ps || ns || peer.ipBlock) peers.push(peer);
  }
  const ports: PolicyPort[] = [];
  for (const pm of f.maps(rule, 'ports')) {
    const protocol: Protocol = f.oneOf(pm, 'protocol', PROTOCOLS) ?? 'TCP';
    const port = f.intOrString(pm, 'port');
    const endPort = f.int(pm, 'endPort', { min: 1, max: 65535 });
    const p: PolicyPort = { protocol };
    if (port !== undefined) p.port = port;
    if (endPort !== undefined) {
      if (typeof port !== 'number' || endPort < port) {
        f.report(
          'invalid-field',
          'error',
          'endPort needs a numeric `port` not greater than it; the API server rejects this policy.',
          valueSpan(f.res, pm, 'endPort'),
          'NP-4',
        );
      } else p.endPort = endPort;
    }
    ports.push(p);
  }
  // NP-2: an absent or empty `from`/`to` means any peer; absent or empty `ports` every port.
  return { peers: peerMaps.length ? peers : null, ports: ports.length ? ports : null, source: rule };
}
