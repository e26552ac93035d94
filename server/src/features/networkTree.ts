// Server layer: the Network view's tree — namespaces → Services, Ingresses, NetworkPolicies and workloads — with
// the facts the model computed for each, where each is written and what its Trace action traces. May import the
// model and LSP types; must not import vscode. Formats what the model knows; computes nothing new.
import { nameSpan } from '../model/index';
import type { NetworkItem, NetworkTreeResult } from '../../../shared/protocol';
import type { PodInfo, Resource } from '../model/index';
import type { Snapshot } from '../workspace';
import { toRange } from './convert';
import { clip } from './markdown';

/** Per group: a tree of ten thousand workloads stays a tree a user can open; the rest is one "more" row. */
const MAX_CHILDREN = 200;
const MAX_PODS = 20;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function networkTree(snap: Snapshot): NetworkTreeResult {
  const m = snap.model;
  const at = (r: Resource | undefined): NetworkItem['location'] => (r && r.file ? { uri: r.file, range: toRange(snap, r.file, nameSpan(r)) } : undefined);
  const byNs = new Map<string, { services: NetworkItem[]; ingresses: NetworkItem[]; policies: NetworkItem[]; workloads: NetworkItem[] }>();
  const ns = (name: string) => {
    let g = byNs.get(name);
    if (!g) byNs.set(name, (g = { services: [], ingresses: [], policies: [], workloads: [] }));
    return g;
  };

  for (const svc of m.services) {
    if (!svc.source) continue; // default/kubernetes: the API server's, not the workspace's
    const ready = svc.endpoints.filter((e) => e.ready).length;
    const addr = svc.type === 'ExternalName' ? `CNAME ${svc.externalName ?? '?'}` : svc.headless ? 'headless' : (svc.clusterIP ?? 'no IP');
    ns(svc.namespace).services.push(
      withLocation(
        {
          label: svc.name,
          description: `${svc.type} ${addr} · ${plural(ready, 'endpoint')}`,
          tooltip: `${svc.id}: ${svc.ports.map((p) => `${p.port}/${p.protocol}→${p.targetPort}`).join(', ') || 'no ports'}`,
          kind: 'service',
          traceTo: `svc:${svc.id}`,
        },
        at(svc.source),
      ),
    );
  }
  for (const ing of m.ingresses) {
    const rules = ing.rules.map((r): NetworkItem => {
      const url = `http://${r.host || 'localhost'}${r.path || '/'}`;
      return withLocation(
        { label: clip(`${r.host || '*'}${r.path || '/'}`, 200), description: `→ ${r.backend.display}`, kind: 'ingressRule', traceTo: `url:${url}` },
        at(ing.source),
      );
    });
    ns(ing.namespace).ingresses.push(
      withLocation(
        {
          label: ing.name,
          description: `${ing.className ? `class ${ing.className} · ` : ''}${plural(ing.rules.length, 'rule')}`,
          kind: 'ingress',
          children: capped(rules),
        },
        at(ing.source),
      ),
    );
  }
  for (const np of m.networkPolicies) {
    ns(np.namespace).policies.push(
      withLocation(
        {
          label: np.name,
          description: `${np.policyTypes.join('+')} · isolates ${plural(np.selects.length, 'pod')}`,
          kind: 'policy',
        },
        at(np.source),
      ),
    );
  }
  for (const [, pods] of m.index.podsByOwner) {
    const owner = pods[0]?.owner;
    if (!owner) continue;
    const nodes = new Set(pods.map((p) => p.node).filter((n): n is string => !!n));
    ns(owner.namespace).workloads.push(
      withLocation(
        {
          label: owner.name,
          description: `${owner.kind} · ${plural(pods.length, 'pod')}${nodes.size ? ` on ${[...nodes].slice(0, 3).join(', ')}${nodes.size > 3 ? ', …' : ''}` : ''}`,
          kind: 'workload',
          children: capped(pods.map(podItem), MAX_PODS),
        },
        at(owner),
      ),
    );
  }

  const namespaces = [...byNs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, g]): NetworkItem => {
      const groups: NetworkItem[] = [];
      const group = (label: string, items: NetworkItem[]) => {
        if (items.length) groups.push({ label, description: String(items.length), kind: 'group', children: capped(items.sort(byLabel)) });
      };
      group('Services', g.services);
      group('Ingresses', g.ingresses);
      group('NetworkPolicies', g.policies);
      group('Workloads', g.workloads);
      return withLocation({ label: name, kind: 'namespace', description: summary(g), children: groups }, at(m.index.namespaceByName.get(name)?.source));
    });
  return { namespaces };
}

function podItem(p: PodInfo): NetworkItem {
  return { label: p.name, description: `${p.ip ?? 'no IP'} @${p.node ?? 'unscheduled'}${p.ready ? '' : ' · not ready'}`, kind: 'pod' };
}

function summary(g: { services: unknown[]; policies: unknown[]; workloads: unknown[] }): string {
  return [
    plural(g.services.length, 'Service'),
    plural(g.workloads.length, 'workload'),
    g.policies.length ? plural(g.policies.length, 'policy', 'policies') : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function capped(items: NetworkItem[], max = MAX_CHILDREN): NetworkItem[] {
  if (items.length <= max) return items;
  return [...items.slice(0, max), { label: `… ${items.length - max} more`, kind: 'more' }];
}

function byLabel(a: NetworkItem, b: NetworkItem): number {
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

function withLocation(item: NetworkItem, location: NetworkItem['location']): NetworkItem {
  return location ? { ...item, location } : item;
}
