// Model layer (pure): what a name resolves to for the tracer (`dns:` targets, ExternalName CNAMEs), with
// the pod's search list (DNS-1, DNS-2, DNS-4, SVC-5). Must not import vscode, LSP, node:* or fs.
import type { ServiceInfo } from '../types';
import { addr, EPHEMERAL_PORT, type TracePath } from './trace-types';
import { dnsReach, type DnsReach } from '../dns/dns-reachability';
import type { Topo } from './topology';
import type { Origin } from './packet-walk';
import { makeHop, N, P } from './hops';
import { isIp } from '../core/ip';
import { lookupDns } from '../dns/dns-lookup';

export type NameAnswer =
  | { kind: 'service'; service: ServiceInfo; name: string }
  | { kind: 'host'; ip: string }
  | { kind: 'ips'; ips: string[] }
  /** DNS-4: forwarded upstream; the address is unknown to the model (TR-6: an outside address). */
  | { kind: 'outside'; name: string; note: string }
  | { kind: 'nxdomain'; note: string }
  /** DNS-6: the pod may not ask at all; the trace of the lookup that times out. */
  | { kind: 'blocked'; path: TracePath };

/**
 * DNS-4 through the model's resolver (lookupDns: search list, ndots, in-cluster CNAMEs). A node or
 * an outside host has no cluster search list: its name is taken as absolute. A name that is a
 * Service's own (not headless) stays a Service so that named ports still resolve.
 */
export function resolveName(t: Topo, origin: Origin, name: string): NameAnswer {
  const reach = origin.kind === 'pod' ? dnsReach(t.model, origin.pod) : undefined;
  if (reach?.blocked && origin.kind === 'pod') return { kind: 'blocked', path: blockedLookup(t, origin, reach) };
  const bare = name.replace(/\.$/, '');
  if (isIp(bare)) return { kind: 'host', ip: bare };
  const q = origin.kind === 'pod' ? name : `${bare}.`;
  const a = lookupDns(t.model, q, { type: 'A', ...(origin.kind === 'pod' ? { from: `pod:${origin.pod.id}`, reach } : {}) });
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
  if (a.rcode === 'FORWARDED')
    return { kind: 'outside', name: cname ?? a.resolvedAs ?? bare, note: a.note ?? 'forwarded to the upstream resolver, unknown here' };
  return { kind: 'nxdomain', note: a.note ?? `tried ${a.tried.join(', ')}` };
}

/**
 * DNS-6: a name is useless if the pod may not ask. UDP/53 to the DNS Service's pods (declared, or the
 * implicit CoreDNS of CL-4) must pass the pod's egress and their ingress (NP-5, NP-6); else the lookup
 * times out and the trace stops there, naming the policy.
 */
function blockedLookup(t: Topo, origin: Extract<Origin, { kind: 'pod' }>, r: DnsReach): TracePath {
  const who = r.blockedBy.join(', ');
  const src = addr(origin.pod.ip!, EPHEMERAL_PORT);
  const dst = addr(t.model.profile.dnsServiceIP, 53);
  return {
    endpoint: r.service,
    verdict: 'dropped',
    reason: 'policy-denied',
    hops: [
      makeHop(
        P(origin.pod),
        'eth0',
        'send',
        src,
        dst,
        `DNS query (UDP/53) to ${r.service}, the nameserver in resolv.conf${r.implicit ? ' (the cluster DNS the files do not declare, CL-4)' : ''}`,
        'DNS-6',
      ),
      makeHop(
        N(origin.node),
        'veth',
        'policy',
        src,
        dst,
        `the DNS query is denied ${r.direction === 'ingress' ? "at the DNS pods' ingress" : r.direction === 'both' ? `by ${origin.pod.id}'s egress towards some DNS pods and at the others' ingress` : `by ${origin.pod.id}'s egress`}: no rule admits UDP/53 to any DNS pod`,
        who,
        r.blockedBy,
      ),
      makeHop(
        N(origin.node),
        'veth',
        'drop',
        src,
        dst,
        `the lookup times out ("no servers could be reached"): NetworkPolicy ${who} blocks DNS from ${origin.pod.id}; the connection is never attempted`,
        'DNS-6',
        r.blockedBy,
      ),
    ],
  };
}
