// Model layer (pure): §10 diagnostics that need the whole model: a Service that NetworkPolicy makes
// unreachable from everywhere (NP-5, NP-6). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';
import type { Model, NetworkPolicyInfo, PodInfo, PolicyRule } from './types';
import { nameSpan } from './read';
import { peerMatches, portsAdmit, subjectOf } from './netpol-eval';
import { selectsPod } from './netpol';

export function crossChecks(ctx: BuildContext): void {
  if (ctx.networkPolicies.length === 0) return;
  // The stages' context has every field the query functions read; only files are not needed.
  const model: Model = { ...ctx, files: [] };
  for (const svc of ctx.services) {
    if (!svc.source) continue;
    const eps = svc.endpoints.filter((e) => e.ready && e.pod);
    if (eps.length === 0) continue;
    const blocked = eps.every((e) => {
      const pod = ctx.index.podById.get(e.pod!);
      if (!pod) return false;
      return e.ports.every((p) => !reachableAt(model, pod, p.protocol, p.port));
    });
    if (!blocked) continue;
    const who = [...new Set(eps.flatMap((e) => {
      const pod = ctx.index.podById.get(e.pod!);
      return pod ? isolatingIngress(model, pod).map((np) => np.id) : [];
    }))].join(', ');
    ctx.diagnostics.push({
      code: 'service-unreachable-by-policy',
      severity: 'warning',
      rule: 'NP-6',
      message: `Every endpoint of ${svc.id} is isolated for ingress by ${who} and no rule admits its target ports from any source: connections to this Service are dropped.`,
      file: svc.source.file,
      span: nameSpan(svc.source),
      subject: svc.source.id,
    });
  }
}

function isolatingIngress(model: Model, pod: PodInfo): NetworkPolicyInfo[] {
  return model.networkPolicies.filter((np) => np.policyTypes.includes('Ingress') && selectsPod(np, pod));
}

/** Whether any source at all (a pod of the workspace, or an address of an ipBlock) may reach pod:port. */
function reachableAt(model: Model, pod: PodInfo, proto: PodInfo['containers'][number]['ports'][number]['protocol'], port: number): boolean {
  const policies = isolatingIngress(model, pod);
  if (policies.length === 0) return true;
  return policies.some((np) => np.ingress.some((r) => portsAdmit(r.ports, pod, proto, port) && someSource(model, np, r)));
}

function someSource(model: Model, np: NetworkPolicyInfo, r: PolicyRule): boolean {
  if (r.peers === null) return true;
  return r.peers.some((pe) => !!pe.ipBlock || model.pods.some((p) => p.ip !== null && peerMatches(model, np, pe, subjectOf(model, p))));
}
