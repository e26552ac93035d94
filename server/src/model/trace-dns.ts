// Model layer (pure): what a name resolves to for the tracer (`dns:` targets, ExternalName CNAMEs), with
// the pod's search list (DNS-1, DNS-2, DNS-4, SVC-5). Must not import vscode, LSP, node:* or fs.
import type { ServiceInfo } from './types';
import type { Topo } from './trace-topo';
import type { Origin } from './trace-walk';
import { isIp } from './ip';
import { lookupDns } from './dnslookup';

export type NameAnswer =
  | { kind: 'service'; service: ServiceInfo; name: string }
  | { kind: 'host'; ip: string }
  | { kind: 'ips'; ips: string[] }
  | { kind: 'nxdomain'; note: string };

/**
 * DNS-4 through the model's resolver (lookupDns: search list, ndots, in-cluster CNAMEs). A node or
 * an outside host has no cluster search list: its name is taken as absolute. A name that is a
 * Service's own (not headless) stays a Service so that named ports still resolve.
 */
export function resolveName(t: Topo, origin: Origin, name: string): NameAnswer {
  const bare = name.replace(/\.$/, '');
  if (isIp(bare)) return { kind: 'host', ip: bare };
  const q = origin.kind === 'pod' ? name : `${bare}.`;
  const a = lookupDns(t.model, q, { type: 'A', ...(origin.kind === 'pod' ? { from: `pod:${origin.pod.id}` } : {}) });
  const ips = a.answers.filter((x) => x.type === 'A' || x.type === 'AAAA').map((x) => x.data);
  if (a.rcode === 'NOERROR' && ips.length) {
    const final = a.answers.filter((x) => x.type === 'A' || x.type === 'AAAA')[0]!.name;
    const d = t.model.profile.clusterDomain;
    const svc = t.model.services.find((s) => `${s.name}.${s.namespace}.svc.${d}` === final && !s.headless && s.clusterIP && s.type !== 'ExternalName');
    return svc ? { kind: 'service', service: svc, name: final } : { kind: 'ips', ips };
  }
  // Outside the cluster zone the model knows only the profile's external hosts by name.
  const cname = a.answers.find((x) => x.type === 'CNAME')?.data.replace(/\.$/, '');
  const host = t.model.profile.externalHosts.find((h) => h.name === (cname ?? bare));
  if (host) return { kind: 'host', ip: host.ip };
  return { kind: 'nxdomain', note: a.note ?? `tried ${a.tried.join(', ')}` };
}
