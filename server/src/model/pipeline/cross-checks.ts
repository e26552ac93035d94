// Model layer (pure): §10 diagnostics that need the whole model: a Service that NetworkPolicy makes
// unreachable from everywhere (NP-5, NP-6). Must not import vscode, LSP, node:* or fs.
import { MemoSlot, memoOf, stepCounter, type BuildContext } from '../build/build-context';
import {
  KeyedResults,
  ListInterner,
  POD_CORES,
  coreOf,
  collecting,
  narrowedPods,
  podIndexOf,
  podsByNamespace,
  type WithDiagnostics,
} from '../build/incremental';
import type { Model, ModelDiagnostic, NetworkPolicyInfo, PodInfo, PolicyRule, ServiceInfo } from '../types';
import { nameSpan } from '../core/typed-fields';
import { portsAdmit } from '../netpol/policy-evaluator';
import { RuleAnswers, someSourceNow, type AnswerWorld } from './rule-answers';

/** Yields every few Services it checks (4 units each: it asks about their pods), see Stage in pipeline/build-model.ts. */
export function* crossChecks(ctx: BuildContext): Generator<void, void, void> {
  if (ctx.networkPolicies.length === 0) return;
  const tick = stepCounter(ctx, 4);
  const memo = memoOf(ctx, CROSS_CHECKS_MEMO);
  const cores = memoOf(ctx, POD_CORES);
  // The stages' context has every field the query functions read; only files are not needed.
  const model: Model = { ...ctx, files: [] };
  const lists = podsByNamespace(ctx);
  const q = new Reachability(
    model,
    memo &&
      lists && {
        answers: memo.answers,
        world: {
          model,
          lists,
          current: (pod) => {
            const now = ctx.index.podById.get(pod.id);
            return now && coreOf(cores, now);
          },
          index: podIndexOf(ctx),
        },
        byNamespace: memo.ingressByNamespace,
      },
  );
  const reachability = () => q;
  const guardOf = memo && lists && namespaceGuards(ctx, memo.namespaceGuards, q);
  for (let si = 0; si < ctx.services.length; si++) {
    const svc = ctx.services[si]!;
    if (tick()) yield;
    if (!svc.source) continue;
    if (!memo) {
      checkService(ctx, svc, reachability, ctx.diagnostics);
      continue;
    }
    // Per Service, kept while what it reads is the same (checkInputs), or while the cheaper guard says it is.
    const r = memo.services.get(
      svc.id,
      () => checkInputs(ctx, svc, q),
      () =>
        collecting((out) => {
          checkService(ctx, svc, reachability, out);
          return podNamespaces(svc);
        }),
      guardOf && ((kept) => [svc, ...kept.value.flatMap((ns) => guardOf(ns, svc))]),
    );
    ctx.diagnostics.push(...r.diagnostics);
  }
  memo?.services.settle();
  memo?.answers.settle();
  memo?.ingressByNamespace.settle();
  memo?.namespaceGuards.settle();
}

interface CrossChecksMemo {
  /** Per Service: its diagnostics, and the namespaces its endpoints' pods can be in (podNamespaces). */
  readonly services: KeyedResults<WithDiagnostics<readonly string[]>>;
  /** Whether a policy rule admits some source at all, by policy id and rule. */
  readonly answers: RuleAnswers;
  readonly ingressByNamespace: KeyedResults<Map<string, NetworkPolicyInfo[]>>;
  /** Per namespace, what a Service's guard reads of its policies (namespaceGuards). */
  readonly namespaceGuards: ListInterner<unknown>;
}

const CROSS_CHECKS_MEMO = new MemoSlot<CrossChecksMemo>('cross-checks', () => ({
  services: new KeyedResults(),
  answers: new RuleAnswers(),
  ingressByNamespace: new KeyedResults(),
  namespaceGuards: new ListInterner(),
}));

/**
 * The namespaces a pod of each ready endpoint of `svc` can be in: a pod's id is `namespace/name`, so every prefix of
 * the id before a '/' (one, unless a name holds a '/'). Whether such a pod exists, and which it is, is decided by
 * these namespaces' pods.
 */
function podNamespaces(svc: ServiceInfo): string[] {
  const out: string[] = [];
  for (const e of svc.endpoints) {
    if (!e.ready || !e.pod) continue;
    for (let at = e.pod.indexOf('/'); at >= 0; at = e.pod.indexOf('/', at + 1)) {
      const ns = e.pod.slice(0, at);
      if (!out.includes(ns)) out.push(ns);
    }
  }
  return out;
}

/**
 * The guard of a Service's check (KeyedResults.get), per namespace its endpoints' pods can be in: the namespace's pods,
 * narrowed to the Service's endpoints' pods (NarrowedList: an edit of other pods of the namespace leaves it be), and one
 * interned list of everything checkService reads of the namespace's policies: each one's manifest and rules, and whether
 * each rule of its ingress policies admits some source. Those decide checkInputs' pods, isolating policies and answers, at a
 * few comparisons per Service instead of a walk of its endpoints (issue 13: at 10,000 Services the walk cost 160 ms an
 * edit). The policies' part is made once per namespace per build.
 */
function namespaceGuards(ctx: BuildContext, interner: ListInterner<unknown>, q: Reachability): (ns: string, svc: ServiceInfo) => unknown[] {
  const made = new Map<string, unknown>();
  return (ns, svc) => {
    let policiesRead = made.get(ns);
    if (!policiesRead) {
      const policies = ctx.index.policiesByNamespace.get(ns) ?? [];
      // Of each policy, its manifest (which decides its podSelector and policyTypes, so whether it isolates a pod the
      // narrowed pods say are the same) and its ingress rules, not the policy object: that is made again whenever the
      // pods it selects change (a deny-all's, on every edit of a workload of its namespace), and its rules are kept
      // when they read the same (network-policies.ts, keptIfSame).
      const read: unknown[] = [policies.length];
      for (const np of policies) read.push(np.id, np.source, np.ingress);
      for (const np of policies) if (np.policyTypes.includes('Ingress')) for (const r of np.ingress) read.push(q.someSource(np, r));
      policiesRead = interner.intern(ns, read);
      made.set(ns, policiesRead);
    }
    let ids: Set<string> | undefined;
    // Only a pod a ready endpoint names is read (checkInputs); the set is made only when the namespace's pods changed.
    return [narrowedPods(ctx, ns, (pod) => (ids ??= endpointPods(svc)).has(pod.id)), policiesRead];
  };
}

/** The pods the ready endpoints of `svc` name (those checkService and checkInputs read). */
function endpointPods(svc: ServiceInfo): Set<string> {
  const ids = new Set<string>();
  for (const e of svc.endpoints) if (e.ready && e.pod) ids.add(e.pod);
  return ids;
}

/**
 * What checkService reads: the Service's manifest and id, its ready endpoints' pods and port numbers, each such pod's
 * named ports (its containers' port lists, shared by the pods of a workload), the policies isolating that pod for
 * ingress (their names and rules), and whether each of their rules admits some source at all. Not the endpoints'
 * addresses, nor the pods': an edit that re-addresses pods (a DaemonSet's on a full node) leaves their Services' answer
 * be, as does an edit elsewhere (another namespace's pods, a policy selecting other pods).
 */
function checkInputs(ctx: BuildContext, svc: ServiceInfo, q: Reachability): unknown[] {
  const inputs: unknown[] = [svc.source, svc.id];
  for (const e of svc.endpoints) {
    if (!e.ready || !e.pod) continue;
    inputs.push(e.pod, e.ports.length);
    for (const p of e.ports) inputs.push(p.protocol, p.port);
    const pod = ctx.index.podById.get(e.pod);
    if (!pod) {
      inputs.push(null);
      continue;
    }
    const policies = q.isolatingIngress(pod);
    inputs.push(pod.containers.length);
    for (const c of pod.containers) inputs.push(c.ports);
    inputs.push(policies.length);
    for (const np of policies) {
      // Of a policy isolating the pod, checkService reads its name and rules (a policy often changes only in the other
      // pods it selects, and keeps its rules: network-policies.ts).
      inputs.push(np.id, np.ingress);
      for (const r of np.ingress) inputs.push(q.someSource(np, r));
    }
  }
  return inputs;
}

/** NP-6: a Service whose every ready endpoint is isolated for ingress with no rule admitting its ports. */
function checkService(ctx: BuildContext, svc: ServiceInfo, reachability: () => Reachability, out: ModelDiagnostic[]): null {
  const eps = svc.endpoints.filter((e) => e.ready && e.pod);
  if (eps.length === 0) return null;
  const q = reachability();
  const blocked = eps.every((e) => {
    const pod = ctx.index.podById.get(e.pod!);
    if (!pod) return false;
    return e.ports.every((p) => !q.reachableAt(pod, p.protocol, p.port));
  });
  if (!blocked) return null;
  const who = [
    ...new Set(
      eps.flatMap((e) => {
        const pod = ctx.index.podById.get(e.pod!);
        return pod ? q.isolatingIngress(pod).map((np) => np.id) : [];
      }),
    ),
  ].join(', ');
  out.push({
    code: 'service-unreachable-by-policy',
    severity: 'warning',
    rule: 'NP-6',
    message: `Every endpoint of ${svc.id} is isolated for ingress by ${who} and no rule admits its target ports from any source: connections to this Service are dropped.`,
    file: svc.source!.file,
    span: nameSpan(svc.source!),
    subject: svc.source!.id,
  });
  return null;
}

type Proto = PodInfo['containers'][number]['ports'][number]['protocol'];

/**
 * Answers for one build, remembered: every Service endpoint asks about the same few policies, and
 * whether a rule admits any source at all does not depend on the pod asking.
 */
class Reachability {
  /** Ingress policies by namespace, then by the pod ids they select. */
  private readonly ingressPolicies = new Map<string, Map<string, NetworkPolicyInfo[]>>();
  private readonly anySource = new Map<PolicyRule, boolean>();
  private world: AnswerWorld | undefined;

  /** With `kept`, answers of someSource are kept from build to build while `inputs` (and the rule) stay the same. */
  constructor(
    private readonly model: Model,
    private readonly kept?: {
      answers: RuleAnswers;
      world: AnswerWorld;
      /** Each namespace's ingress policies by pod, kept while the namespace's policies are the same objects. */
      byNamespace: KeyedResults<Map<string, NetworkPolicyInfo[]>>;
    },
  ) {}

  isolatingIngress(pod: PodInfo): NetworkPolicyInfo[] {
    let byPod = this.ingressPolicies.get(pod.namespace);
    if (!byPod) {
      // A policy selects pods of its own namespace only (NP-1): one namespace's policies say everything of its pods.
      const policies = this.model.index.policiesByNamespace.get(pod.namespace) ?? [];
      const make = (): Map<string, NetworkPolicyInfo[]> => {
        const made = new Map<string, NetworkPolicyInfo[]>();
        for (const np of policies) {
          if (!np.policyTypes.includes('Ingress')) continue;
          for (const id of np.selects) {
            const list = made.get(id);
            if (list) list.push(np);
            else made.set(id, [np]);
          }
        }
        return made;
      };
      byPod = this.kept ? this.kept.byNamespace.get(pod.namespace, policies, make) : make();
      this.ingressPolicies.set(pod.namespace, byPod);
    }
    return byPod.get(pod.id) ?? [];
  }

  /** Whether any source at all (a pod of the workspace, or an address of an ipBlock) may reach pod:port. */
  reachableAt(pod: PodInfo, proto: Proto, port: number): boolean {
    const policies = this.isolatingIngress(pod);
    if (policies.length === 0) return true;
    return policies.some((np) => np.ingress.some((r) => portsAdmit(r.ports, pod, proto, port) && this.someSource(np, r)));
  }

  /** Whether any source at all may match the rule's peers (NP-3); not its ports. */
  someSource(np: NetworkPolicyInfo, r: PolicyRule): boolean {
    if (r.peers === null) return true;
    let known = this.anySource.get(r);
    if (known === undefined) {
      const kept = this.kept;
      known = kept ? kept.answers.someSource(`${np.id}#${np.ingress.indexOf(r)}`, np, r, kept.world) : someSourceNow(np, r, this.worldNow());
      this.anySource.set(r, known);
    }
    return known;
  }

  /** Every pod by namespace, in pod order, for answers without a memo (made on first use). */
  private worldNow(): AnswerWorld {
    if (!this.world) {
      const lists = new Map<string, PodInfo[]>();
      for (const p of this.model.pods) {
        const list = lists.get(p.namespace);
        if (list) list.push(p);
        else lists.set(p.namespace, [p]);
      }
      this.world = { model: this.model, lists, current: (p) => p };
    }
    return this.world;
  }
}
