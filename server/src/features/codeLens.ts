// Server layer: code lenses above Services, Ingress rule paths, Gateway API Routes, workloads and kustomizations. May import the model and LSP types;
// must not import vscode. The trace lenses run the client's `netpath.traceTraffic` command with a target ref.
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import { policiesSelecting, servicesSelecting, isWorkloadKind } from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { toRange } from './convert';
import { clip } from './markdown';
import { localSpan, nsName } from './locate';
import { ROUTE_KINDS, routeLensTitle, routeTraceUrl } from './hover-gateway';
import { kustomizationLenses } from './kustomizationLens';
import { ingressById, routeById } from './by-id';

export const TRACE_COMMAND = 'netpath.traceTraffic';

export function codeLenses(snap: Snapshot, p: CodeLensParams): CodeLens[] {
  const uri = canonicalUri(p.textDocument.uri);
  const m = snap.model;
  // IN-1: above a kustomization, what it renders and which roots use it.
  const out: CodeLens[] = kustomizationLenses(snap, uri);
  const at = (offset: number) => toRange(snap, uri, { start: offset, end: offset });
  for (const r of snap.files.get(uri)?.resources ?? []) {
    // Above the object's first key, not its document's leading comment or `---`.
    const firstKey = Object.keys(r.body)[0];
    const range = at((firstKey !== undefined ? localSpan(r.spans.entry(r.body, firstKey)?.key)?.start : undefined) ?? r.span.start);
    if (r.kind === 'Service') {
      const svc = m.index.serviceById.get(nsName(r));
      if (!svc) continue;
      const ip = svc.type === 'ExternalName' ? `CNAME ${svc.externalName ?? '?'}` : (svc.clusterIP ?? 'headless');
      const ready = svc.endpoints.filter((e) => e.ready).length;
      out.push({ range, command: { title: `${ip} · ${ready} endpoint${ready === 1 ? '' : 's'}`, command: '' } });
      out.push({ range, command: { title: 'Trace traffic', command: TRACE_COMMAND, arguments: [{ to: `svc:${svc.id}` }] } });
    } else if (r.kind === 'Ingress') {
      const ing = ingressById(m, nsName(r));
      for (const rule of ing?.rules ?? []) {
        const span = rule.source ? localSpan(r.spans.whole(rule.source)) : undefined;
        const url = `http://${rule.host || 'localhost'}${rule.path || '/'}`;
        out.push({
          range: at(span?.start ?? r.span.start),
          command: { title: `Trace ${clip(url, 120)}`, command: TRACE_COMMAND, arguments: [{ to: `url:${url}` }] },
        });
      }
    } else if (ROUTE_KINDS.has(r.kind)) {
      // GW-4..6: where the Route attaches, how many rules, the first weighted split.
      const route = routeById(m, r.kind, nsName(r));
      if (route) out.push({ range, command: { title: clip(routeLensTitle(route), 200), command: '' } });
      const url = route ? routeTraceUrl(m, route) : undefined;
      if (url) out.push({ range, command: { title: `Trace ${clip(url, 120)}`, command: TRACE_COMMAND, arguments: [{ to: `url:${url}` }] } });
    } else if (isWorkloadKind(r.kind)) {
      const pods = m.index.podsByOwner.get(r.id) ?? [];
      const svcs = servicesSelecting(m, pods).length;
      const pols = policiesSelecting(m, pods).length;
      out.push({
        range,
        command: {
          title: `${pods.length} pod${pods.length === 1 ? '' : 's'} · selected by ${svcs} Service${svcs === 1 ? '' : 's'} · ${pols} polic${pols === 1 ? 'y' : 'ies'}`,
          command: '',
        },
      });
    }
  }
  return out;
}
