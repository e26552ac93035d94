// Server layer: `netpath/traceTargets` — what "Trace traffic" can pick from, and the target under the cursor.
// May import the model, LSP glue and shared/; must not import vscode. Refs use the CLI's syntax (docs/cli.md).
import { isWorkloadKind } from '../model/index';
import type { TraceEndpoint, TraceTargetsParams, TraceTargetsResult } from '../../../shared/protocol';
import type { Model, ServiceInfo } from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { toOffset } from './convert';
import { locate, nsName, workloadRef } from './locate';

function serviceTarget(svc: ServiceInfo, port?: number): TraceEndpoint {
  const ports = svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ');
  return {
    ref: `svc:${svc.id}${port !== undefined ? `:${port}` : ''}`,
    label: `${svc.id}${port !== undefined ? `:${port}` : ''}`,
    description: `Service ${svc.clusterIP ?? svc.type}${ports ? ` · ${ports}` : ''}`,
    kind: 'service',
  };
}

function ingressTargets(m: Model): TraceEndpoint[] {
  return m.ingresses.flatMap((ing) =>
    ing.rules.map((r) => {
      const url = `http://${r.host || 'localhost'}${r.path || '/'}`;
      return { ref: `url:${url}`, label: url, description: `Ingress ${ing.id} → ${r.backend.display}`, kind: 'ingress' as const };
    }),
  );
}

export function traceTargets(snap: Snapshot, p: TraceTargetsParams): TraceTargetsResult {
  const m = snap.model;
  const services = m.services.filter((s) => s.source); // not the implicit default/kubernetes
  const targets: TraceEndpoint[] = [...services.map((s) => serviceTarget(s)), ...ingressTargets(m)];
  const workloads = m.resources.filter((r) => isWorkloadKind(r.kind) && workloadRef(r));
  const workloadEndpoints: TraceEndpoint[] = workloads.map((r) => {
    const pods = m.index.podsByOwner.get(r.id) ?? [];
    const first = pods[0];
    return {
      ref: workloadRef(r) as string,
      label: `${r.kind} ${nsName(r)}`,
      description: first ? `${first.ip ?? 'no IP'} @${first.node ?? '—'}` : 'no pods',
      kind: r.kind === 'Pod' ? ('pod' as const) : ('workload' as const),
    };
  });
  targets.push(...workloadEndpoints);
  const nodes: TraceEndpoint[] = m.nodes.map((n) => ({ ref: `node:${n.name}`, label: `node ${n.name}`, description: n.internalIP, kind: 'node' }));
  const hosts: TraceEndpoint[] = m.profile.externalHosts.map((h) => ({
    ref: `host:${h.ip}`,
    label: `host ${h.name}`,
    description: `${h.ip} (outside the cluster)`,
    kind: 'host',
  }));
  const sources = [...workloadEndpoints, ...nodes, ...hosts];

  let target: TraceEndpoint | undefined;
  let avoid = new Set<string>();
  if (p.uri && p.position) {
    const uri = canonicalUri(p.uri);
    const loc = locate(snap, uri, toOffset(snap, uri, p.position));
    const r = loc?.resource;
    if (r?.kind === 'Service') {
      const svc = m.index.serviceById.get(nsName(r));
      if (svc) {
        const portIdx = loc?.path[1] === 'ports' && typeof loc.path[2] === 'number' ? loc.path[2] : undefined;
        target = serviceTarget(svc, portIdx !== undefined ? svc.ports[portIdx]?.port : undefined);
        avoid = new Set(svc.endpoints.map((e) => e.pod ?? ''));
      }
    } else if (r?.kind === 'Ingress') {
      const ing = m.ingresses.find((i) => i.id === nsName(r));
      const ruleIdx = loc?.path[2];
      const pathIdx = loc?.path[5];
      const rule = ing?.rules.find((x) => x.ruleIndex === ruleIdx && x.pathIndex === pathIdx) ?? ing?.rules[0];
      if (rule) {
        const url = `http://${rule.host || 'localhost'}${rule.path || '/'}`;
        target = { ref: `url:${url}`, label: url, description: `Ingress ${ing?.id ?? ''}`, kind: 'ingress' };
      }
    } else if (r && isWorkloadKind(r.kind)) {
      target = workloadEndpoints.find((w) => w.ref === workloadRef(r));
      avoid = new Set((m.index.podsByOwner.get(r.id) ?? []).map((x) => x.id));
    }
  }
  // A sensible source: for an Ingress URL, a host outside; else a pod of another workload; else a node.
  let defaultSource: TraceEndpoint | undefined;
  if (target?.kind === 'ingress') defaultSource = hosts[0] ?? nodes[0];
  else {
    defaultSource =
      workloadEndpoints.find((w) => {
        const r = workloads.find((x) => workloadRef(x) === w.ref);
        const pods = r ? (m.index.podsByOwner.get(r.id) ?? []) : [];
        return pods.length > 0 && pods.every((x) => !avoid.has(x.id)) && w.ref !== target?.ref;
      }) ?? nodes[0];
  }
  return { ...(target ? { target } : {}), targets, sources, ...(defaultSource ? { defaultSource } : {}) };
}
