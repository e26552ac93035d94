// Server layer: find references — who points at the thing under the cursor: a workload's Services and policies,
// a Service's Ingress backends and EndpointSlices. May import the model and LSP types; must not import vscode.
import type { Location, ReferenceParams } from 'vscode-languageserver';
import { isWorkloadKind, policiesSelecting, servicesSelecting, type Resource } from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { toOffset, toRange } from './convert';
import { locationOfResource } from './definition';
import { locate, nsName, pathPattern } from './locate';

export function references(snap: Snapshot, p: ReferenceParams): Location[] | null {
  const uri = canonicalUri(p.textDocument.uri);
  const loc = locate(snap, uri, toOffset(snap, uri, p.position));
  if (!loc || pathPattern(loc.path) !== 'metadata.name') return null;
  const m = snap.model;
  const r = loc.resource;
  const out: Location[] = [];
  const add = (x: Resource | undefined) => x && out.push(locationOfResource(snap, x));
  if (p.context.includeDeclaration) add(r);

  if (isWorkloadKind(r.kind)) {
    const pods = m.index.podsByOwner.get(r.id) ?? [];
    // By selector, not by endpoints: a Service whose port does not resolve still selects these pods.
    for (const s of servicesSelecting(m, pods)) add(s.source);
    for (const n of policiesSelecting(m, pods)) add(n.source);
  } else if (r.kind === 'Service') {
    const svc = m.index.serviceById.get(nsName(r));
    for (const ing of m.ingresses) {
      for (const rule of ing.rules) {
        if (rule.backend.service !== svc?.id) continue;
        const span = rule.source ? ing.source.spans.whole(rule.source) : undefined;
        // IN-1: a rule a kustomize patch wrote is in the patch's file.
        out.push(span ? { uri: span.file ?? ing.source.file, range: toRange(snap, span.file ?? ing.source.file, span) } : locationOfResource(snap, ing.source));
      }
    }
    for (const slice of svc?.endpointSlices ?? []) add(slice.source);
    add(svc?.endpointsObject?.source);
  }
  return out;
}
