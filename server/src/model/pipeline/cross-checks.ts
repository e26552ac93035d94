// Model layer (pure): §10 diagnostics that need the whole model: a Service that NetworkPolicy makes
// unreachable from everywhere (NP-5, NP-6). Must not import vscode, LSP, node:* or fs.
import { MemoSlot, memoOf, stepCounter, type BuildContext } from '../build/build-context';
import { KeyedResults, allPods, collecting, type WithDiagnostics } from '../build/incremental';
import type { Model, ModelDiagnostic, NetworkPolicyInfo, PodInfo, PolicyPeer, PolicyRule, ServiceInfo } from '../types';
import { nameSpan } from '../core/typed-fields';
import { peerAdmitsLabels, peerAdmitsNamespace, portsAdmit } from '../netpol/policy-evaluator';

/** Yields every few Services it checks (4 units each: it asks about their pods), see Stage in pipeline/build-model.ts. */
export function* crossChecks(ctx: BuildContext): Generator<void, void, void> {
  if (ctx.networkPolicies.length === 0) return;
  const tick = stepCounter(ctx, 4);
  let q: Reachability | undefined;
  // The stages' context has every field the query functions read; only files are not needed.
  const reachability = () => (q ??= new Reachability({ ...ctx, files: [] }));
  const memo = memoOf(ctx, CROSS_CHECKS_MEMO);
  for (const svc of ctx.services) {
    if (tick()) yield;
    if (!svc.source) continue;
    if (!memo) {
      checkService(ctx, svc, reachability, ctx.diagnostics);
      continue;
    }
    // Per Service, kept while the Service, the policies, the pods and the namespaces are the same objects.
    const r = memo.get(svc.id, [svc, ctx.networkPolicies, allPods(ctx), ctx.namespaces], () => collecting((out) => checkService(ctx, svc, reachability, out)));
    ctx.diagnostics.push(...r.diagnostics);
  }
  memo?.settle();
}

const CROSS_CHECKS_MEMO = new MemoSlot<KeyedResults<WithDiagnostics<null>>>('cross-checks', () => new KeyedResults());

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
  private readonly ingressPolicies = new Map<string, NetworkPolicyInfo[]>();
  private readonly anySource = new Map<PolicyRule, boolean>();
  /** Pods a label peer can match (they have an IP and are not hostNetwork, NP-3), by namespace. */
  private readonly peerPods = new Map<string, PodInfo[]>();

  constructor(private readonly model: Model) {
    for (const p of model.pods) {
      if (p.ip === null || p.hostNetwork) continue;
      const list = this.peerPods.get(p.namespace);
      if (list) list.push(p);
      else this.peerPods.set(p.namespace, [p]);
    }
    for (const np of model.networkPolicies) {
      if (!np.policyTypes.includes('Ingress')) continue;
      for (const id of np.selects) {
        const list = this.ingressPolicies.get(id);
        if (list) list.push(np);
        else this.ingressPolicies.set(id, [np]);
      }
    }
  }

  isolatingIngress(pod: PodInfo): NetworkPolicyInfo[] {
    return this.ingressPolicies.get(pod.id) ?? [];
  }

  /** Whether any source at all (a pod of the workspace, or an address of an ipBlock) may reach pod:port. */
  reachableAt(pod: PodInfo, proto: Proto, port: number): boolean {
    const policies = this.isolatingIngress(pod);
    if (policies.length === 0) return true;
    return policies.some((np) => np.ingress.some((r) => portsAdmit(r.ports, pod, proto, port) && this.someSource(np, r)));
  }

  private someSource(np: NetworkPolicyInfo, r: PolicyRule): boolean {
    if (r.peers === null) return true;
    let known = this.anySource.get(r);
    if (known === undefined) {
      known = r.peers.some((pe) => !!pe.ipBlock || this.somePodMatches(np, pe));
      this.anySource.set(r, known);
    }
    return known;
  }

  /**
   * Whether a label peer (NP-3) matches any pod: namespace by namespace (the same two halves as
   * peerMatches), so that the namespace half is judged once per namespace, not once per pod.
   * Scanning every pod per rule was a quarter of a rebuild on a 2000-Service workspace.
   */
  private somePodMatches(np: NetworkPolicyInfo, pe: PolicyPeer): boolean {
    for (const [ns, pods] of this.peerPods) {
      if (peerAdmitsNamespace(this.model, np, pe, ns) && pods.some((p) => peerAdmitsLabels(pe, p))) return true;
    }
    return false;
  }
}
