// Model layer (pure): what a name resolves to for the tracer (`dns:` targets, ExternalName CNAMEs), with
// the pod's search list (DNS-1, DNS-2, DNS-4, SVC-5). Must not import vscode, LSP, node:* or fs.
import type { ServiceInfo } from './types';
import { addr, EPHEMERAL_PORT, type TracePath } from './trace-types';
import { evaluate } from './netpol-eval';
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

/**
 * NP-5, NP-6: a name is useless if the pod may not ask. When the workspace declares the cluster DNS
 * Service (profile.dnsServiceIP) and every one of its endpoints is denied to the pod on UDP/53 (egress
 * at the pod, or ingress at CoreDNS), the lookup itself is dropped.
 */
export function dnsBlocked(t: Topo, origin: Origin): TracePath | null {
  if (origin.kind !== 'pod') return null;
  const ip = t.model.profile.dnsServiceIP;
  const svc = t.vip.get(ip)?.[0];
  const sp = svc?.ports.find((p) => p.port === 53 && p.protocol === 'UDP');
  if (!svc || !sp) return null;
  const eps = svc.endpoints.filter((e) => e.ready);
  if (eps.length === 0) return null;
  const verdicts = eps.map((e) => {
    const port = e.ports.find((p) => p.name === sp.name && p.protocol === 'UDP')?.port ?? 53;
    const dst = e.pod ? t.model.index.podById.get(e.pod) ?? e.ip : e.ip;
    return evaluate(t.model, origin.pod, dst, 'UDP', port);
  });
  if (verdicts.some((v) => v.allowed)) return null;
  const v = verdicts[0]!;
  const who = (v.egress.allowed ? v.ingress.policies : v.egress.policies).join(', ');
  const at = `pod:${origin.pod.id}`;
  const src = addr(origin.pod.ip!, EPHEMERAL_PORT);
  const dst = addr(ip, 53);
  return {
    endpoint: svc.id,
    verdict: 'dropped',
    reason: 'policy-denied',
    hops: [
      { at, iface: 'eth0', action: 'send', src, dst, note: `DNS query to ${svc.id} (the nameserver in resolv.conf)`, rule: 'DNS-4' },
      { at: `node:${origin.node.name}`, iface: 'veth', action: 'policy', src, dst, note: `the DNS query is denied ${v.egress.allowed ? 'at CoreDNS\'s ingress' : `by ${origin.pod.id}'s egress`}: no rule admits UDP/53`, rule: who },
      { at: `node:${origin.node.name}`, iface: 'veth', action: 'drop', src, dst, note: `the name cannot be resolved from ${origin.pod.id}: NetworkPolicy ${who} blocks DNS`, rule: 'NP-5' },
    ],
  };
}
