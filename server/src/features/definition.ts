// Server layer: go to definition — from a reference to the thing it names: a Service selector to the workloads it
// selects, an Ingress backend to its Service, an EndpointSlice to its Service, a policy selector/peer to its pods'
// workloads, a named targetPort to the container port, a Route's parentRef to its Gateway and backendRef to its
// Service and ReferenceGrant (GW-3, GW-6). May import the model and LSP types; must not import vscode.
import type { DefinitionParams, Location } from 'vscode-languageserver';
import { podsSelectedBy, type JsonMap, type PodInfo, type Resource, nameSpan, podsOfPeer } from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { toOffset, toRange } from './convert';
import { locate, nsName, pathPattern, type Located } from './locate';
import { renderingsOf, valueAt } from './environments';

export function locationOfResource(snap: Snapshot, r: Resource): Location {
  return { uri: r.file, range: toRange(snap, r.file, nameSpan(r)) };
}

/** The workloads (owners) of some pods, each once. */
export function ownersOf(pods: PodInfo[]): Resource[] {
  const seen = new Map<string, Resource>();
  for (const p of pods) seen.set(p.owner.id, p.owner);
  return [...seen.values()];
}

export function definition(snap: Snapshot, p: DefinitionParams): Location[] | null {
  const uri = canonicalUri(p.textDocument.uri);
  const loc = locate(snap, uri, toOffset(snap, uri, p.position));
  if (!loc) return null;
  const m = snap.model;
  const r = loc.resource;
  const pat = pathPattern(loc.path);
  const toLocs = (rs: Resource[]) => rs.map((x) => locationOfResource(snap, x));

  if (r.kind === 'Service') {
    const svc = m.index.serviceById.get(nsName(r));
    if (!svc) return null;
    if (pat === 'metadata.name' && r.rendered) {
      // IN-1: in a kustomize base, what made each environment's Service what it is: the kustomization lines
      // that renamed or moved it (`namePrefix: dev-`, `namespace: dev`) and the patches applied to it.
      const out: Location[] = [];
      for (const x of renderingsOf(snap, r)) {
        for (const s of [...(x.rendered?.setBy ?? []), ...(x.rendered?.patchedBy ?? [])]) out.push({ uri: s.file, range: toRange(snap, s.file, s.span) });
      }
      return out.length ? distinct(out) : null;
    }
    if (pat.startsWith('spec.selector') && svc.selector) {
      return toLocs(ownersOf(podsSelectedBy(m, svc)));
    }
    if (/^spec\.ports\.\*\.targetPort$/.test(pat) && typeof loc.value === 'string') {
      // A named targetPort: the container port entries carrying that name, in the selected pods' workloads.
      const pods = svc.endpoints.map((e) => (e.pod ? m.index.podById.get(e.pod) : undefined)).filter((x): x is PodInfo => !!x);
      const out: Location[] = [];
      for (const owner of ownersOf(pods)) {
        const span = findPortName(owner, loc.value);
        if (span) out.push({ uri: span.file ?? owner.file, range: toRange(snap, span.file ?? owner.file, span) });
      }
      return out;
    }
    return null;
  }
  if (r.kind === 'Ingress' && /backend\.service\.(name|port)/.test(pat)) {
    // IN-1: in a kustomize base, the backend as every root renders it (`backend` → `dev-backend`): the
    // Service's base document, then the patches that changed it in each root.
    const out: Location[] = [];
    for (const ing of r.rendered ? renderingsOf(snap, r) : [r]) {
      const service = valueAt(ing.body, loc.path.slice(0, loc.path.indexOf('service') + 1));
      const name = service && typeof service === 'object' && !Array.isArray(service) ? service.name : undefined;
      const svc = typeof name === 'string' ? m.index.serviceById.get(`${ing.namespace}/${name}`) : undefined;
      if (!svc?.source) continue;
      out.push(locationOfResource(snap, svc.source));
      for (const p of svc.source.rendered?.patchedBy ?? []) out.push({ uri: p.file, range: toRange(snap, p.file, p.span) });
    }
    return out.length ? distinct(out) : null;
  }
  if ((r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute') && r.apiVersion.startsWith('gateway.networking.k8s.io/')) return routeDefinition(snap, loc);
  if (r.kind === 'EndpointSlice') {
    const svcName = (r.body.metadata as JsonMap | undefined)?.labels as JsonMap | undefined;
    const name = svcName?.['kubernetes.io/service-name'];
    const svc = typeof name === 'string' ? m.index.serviceById.get(`${r.namespace}/${name}`) : undefined;
    return svc?.source ? [locationOfResource(snap, svc.source)] : null;
  }
  if (r.kind === 'NetworkPolicy') {
    const np = m.networkPolicies.find((n) => n.id === nsName(r));
    if (!np) return null;
    if (pat.startsWith('spec.podSelector')) return toLocs(ownersOf(np.selects.map((id) => m.index.podById.get(id)).filter((x): x is PodInfo => !!x)));
    const dir = loc.path[1] === 'ingress' || loc.path[1] === 'egress' ? loc.path[1] : undefined;
    const peerIdx = loc.path[3] === 'from' || loc.path[3] === 'to' ? Number(loc.path[4]) : undefined;
    const peer = dir && peerIdx !== undefined ? np[dir][Number(loc.path[2])]?.peers?.[peerIdx] : undefined;
    if (peer && !peer.ipBlock) {
      return toLocs(ownersOf(podsOfPeer(m, np, peer)));
    }
  }
  return null;
}

/** Locations without repeats (several roots render the same base document). */
function distinct(locs: Location[]): Location[] {
  const seen = new Set<string>();
  return locs.filter((l) => {
    const key = `${l.uri}|${l.range.start.line}:${l.range.start.character}|${l.range.end.line}:${l.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Span of `name: <portName>` in any container's ports of a workload's pod template. */
function findPortName(owner: Resource, portName: string): import('../model/index').Span | undefined {
  let found: import('../model/index').Span | undefined;
  const visit = (v: unknown): void => {
    if (found || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(visit);
    const map = v as JsonMap;
    if (Array.isArray(map.ports)) {
      for (const port of map.ports) {
        if (port && typeof port === 'object' && !Array.isArray(port) && port.name === portName) {
          found = owner.spans.entry(port, 'name')?.value;
          if (found) return;
        }
      }
    }
    Object.values(map).forEach(visit);
  };
  visit(owner.body.spec);
  return found;
}

/**
 * GW-3, GW-6: from a Route's parentRef to its Gateway (the listener entry when sectionName names one), from
 * a backendRef to its Service and, for a cross-namespace ref, to the ReferenceGrant that allows it.
 */
function routeDefinition(snap: Snapshot, loc: Located): Location[] | null {
  const m = snap.model;
  const route = m.gatewayApi.routes.find((x) => x.id === nsName(loc.resource) && x.kind === loc.resource.kind);
  if (!route || loc.path[0] !== 'spec') return null;
  if (loc.path[1] === 'parentRefs' && typeof loc.path[2] === 'number') {
    const p = route.parents.find((x) => x.index === loc.path[2]);
    const gw = p ? m.gatewayApi.gateways.find((g) => g.id === p.gateway) : undefined;
    if (!p || !gw) return null;
    const listener = p.sectionName !== null ? gw.listeners.find((l) => l.name === p.sectionName) : undefined;
    const span = listener ? gw.source.spans.whole(listener.source) : undefined;
    return [span ? { uri: gw.source.file, range: toRange(snap, gw.source.file, span) } : locationOfResource(snap, gw.source)];
  }
  if (loc.path[1] === 'rules' && loc.path[3] === 'backendRefs' && typeof loc.path[2] === 'number' && typeof loc.path[4] === 'number') {
    const b = route.rules.find((x) => x.index === loc.path[2])?.backends.find((x) => x.index === loc.path[4]);
    if (!b) return null;
    const out: Location[] = [];
    const svc = b.service ? m.index.serviceById.get(b.service) : undefined;
    if (svc?.source) out.push(locationOfResource(snap, svc.source));
    const grant = b.grant ? m.gatewayApi.referenceGrants.find((g) => g.id === b.grant) : undefined;
    if (grant) out.push(locationOfResource(snap, grant.source));
    return out.length ? out : null;
  }
  return null;
}
