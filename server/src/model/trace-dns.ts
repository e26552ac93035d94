// Model layer (pure): what a name resolves to for the tracer (`dns:` targets, ExternalName CNAMEs), with
// the pod's search list (DNS-1, DNS-2, DNS-4, SVC-5). Must not import vscode, LSP, node:* or fs.
import type { ServiceInfo } from './types';
import type { Topo } from './trace-topo';
import type { Origin } from './trace-walk';
import { isIp } from './ip';

export type NameAnswer =
  | { kind: 'service'; service: ServiceInfo; name: string }
  | { kind: 'host'; ip: string }
  | { kind: 'ips'; ips: string[] }
  | { kind: 'nxdomain'; note: string };

/** DNS-4: the names a pod's resolver tries for `name`, in order (ndots from the profile). */
export function candidates(t: Topo, origin: Origin, name: string): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  if (origin.kind !== 'pod') return [name]; // a node's resolver knows no cluster search list
  const d = t.model.profile.clusterDomain;
  const search = [`${origin.pod.namespace}.svc.${d}`, `svc.${d}`, d].map((s) => `${name}.${s}`);
  const dots = name.split('.').length - 1;
  return dots >= t.model.profile.dns.ndots ? [name, ...search] : [...search, name];
}

export function resolveName(t: Topo, origin: Origin, name: string): NameAnswer {
  const bare = name.replace(/\.$/, '');
  if (isIp(bare)) return { kind: 'host', ip: bare };
  const tried = candidates(t, origin, name).map((n) => n.toLowerCase());
  const d = t.model.profile.clusterDomain;
  for (const n of tried) {
    const svc = t.model.services.find((s) => s.dns.includes(n) || `${s.name}.${s.namespace}.svc.${d}` === n);
    if (svc) {
      if (svc.type !== 'ExternalName' && (svc.headless || !svc.clusterIP)) {
        const ips = svc.endpoints.filter((e) => e.ready).map((e) => e.ip);
        if (ips.length === 0) return { kind: 'nxdomain', note: `headless ${svc.id} has no Ready endpoint (DNS-2)` };
        return { kind: 'ips', ips };
      }
      return { kind: 'service', service: svc, name: n };
    }
    const rec = t.model.dns.find((r) => r.name === n && (r.type === 'A' || r.type === 'AAAA'));
    if (rec && rec.data.length) return { kind: 'ips', ips: rec.data };
  }
  const host = t.model.profile.externalHosts.find((h) => h.name === bare);
  if (host) return { kind: 'host', ip: host.ip };
  return { kind: 'nxdomain', note: `tried ${tried.join(', ')}` };
}
