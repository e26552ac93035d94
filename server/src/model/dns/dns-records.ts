// Model layer (pure): the cluster DNS zone as CoreDNS's kubernetes plugin serves it (DNS-1..3, SVC-5). Must not import vscode, LSP, node:* or fs.
import type { DnsRecord, DnsType, EndpointSliceInfo, PodInfo, ServiceInfo } from '../types';
import { parseIp } from '../core/ip';

/** `10.43.0.1` -> `1.0.43.10.in-addr.arpa`; IPv6 in nibble form under ip6.arpa. */
export function reverseName(ip: string): string | null {
  const p = parseIp(ip);
  if (!p) return null;
  if (p.family === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${p.value.toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa`;
}

/** `10.42.0.5` -> `10-42-0-5`, the label CoreDNS uses for pod and unnamed endpoint records. */
export function dashed(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

function addressType(ip: string): 'A' | 'AAAA' {
  return ip.includes(':') ? 'AAAA' : 'A';
}

/** Records keyed by name and type, data de-duplicated, in insertion order (deterministic). */
class Zone {
  readonly records: DnsRecord[] = [];
  private readonly byKey = new Map<string, DnsRecord>();
  /** SRV entries before weights are known: [priority, port, target]. */
  private readonly srv = new Map<string, [number, number, string][]>();

  add(name: string, type: DnsType, data: string): void {
    const key = `${type} ${name}`;
    let r = this.byKey.get(key);
    if (!r) {
      r = { name, type, data: [] };
      this.byKey.set(key, r);
      this.records.push(r);
    }
    if (!r.data.includes(data)) r.data.push(data);
  }

  addSrv(name: string, port: number, target: string): void {
    const l = this.srv.get(name);
    if (l) {
      if (!l.some(([, p, t]) => p === port && t === target)) l.push([0, port, target]);
    } else this.srv.set(name, [[0, port, target]]);
  }

  /**
   * DNS-3: SRV data is "priority weight port target"; CoreDNS gives the n records of one name weight
   * floor(100 / n) each (100 for a single one).
   */
  finish(): DnsRecord[] {
    for (const [name, entries] of this.srv) {
      const weight = Math.floor(100 / entries.length);
      for (const [prio, port, target] of entries) this.add(name, 'SRV', `${prio} ${weight} ${port} ${target}`);
    }
    return this.records;
  }
}

/**
 * DNS-1, DNS-2, SVC-5: the names that answer for a Service (`svc.dns`), the same the zone holds:
 * its FQDN when it has a ClusterIP or an ExternalName, or when headless with a Ready address; then a
 * headless Service's named endpoints (`<hostname>.<fqdn>`).
 */
export function serviceDnsNames(svc: ServiceInfo, domain: string): string[] {
  const fqdn = `${svc.name}.${svc.namespace}.svc.${domain}`;
  if (svc.type === 'ExternalName') return svc.externalName ? [fqdn] : [];
  if (!svc.headless) return svc.clusterIP !== null ? [fqdn] : [];
  let any = false;
  const named: string[] = [];
  for (const { ip, hostname } of readyAddresses(svc)) {
    any = true;
    const host = `${hostname ?? dashed(ip)}.${fqdn}`;
    if (hostname && !named.includes(host)) named.push(host);
  }
  return any ? [fqdn, ...named] : named;
}

/** Every record of the zone (`serviceDnsNames` gives each Service's names). */
export function buildZone(services: readonly ServiceInfo[], pods: readonly PodInfo[], domain: string): DnsRecord[] {
  const zone = new Zone();
  for (const svc of services) {
    const fqdn = `${svc.name}.${svc.namespace}.svc.${domain}`;
    if (svc.type === 'ExternalName') {
      // SVC-5: a CNAME only; the target is taken as absolute (DNS-4).
      if (svc.externalName) zone.add(fqdn, 'CNAME', svc.externalName);
    } else if (svc.headless) headlessRecords(zone, svc, fqdn);
    else if (svc.clusterIP !== null) {
      // DNS-1: the ClusterIP answers whatever the endpoints; DNS-3: PTR and SRV for named ports.
      for (const ip of svc.clusterIPs) {
        zone.add(fqdn, addressType(ip), ip);
        const rev = reverseName(ip);
        if (rev) zone.add(rev, 'PTR', fqdn);
      }
      for (const p of svc.ports) if (p.name) zone.addSrv(`_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`, p.port, fqdn);
    }
  }
  // DNS-3: every pod with an IP answers at a-b-c-d.<ns>.pod.<domain>.
  for (const pod of pods) if (pod.ip !== null) zone.add(`${dashed(pod.ip)}.${pod.namespace}.pod.${domain}`, addressType(pod.ip), pod.ip);
  return zone.finish();
}

/**
 * DNS-2: a headless name answers its Ready endpoints' addresses (none: no record, so NXDOMAIN). Each
 * endpoint also gets `<hostname>.<svc>...` (the pod's hostname when its subdomain names this Service,
 * else its dashed IP, as CoreDNS does), with a PTR back, and SRV records point at those names.
 */
function headlessRecords(zone: Zone, svc: ServiceInfo, fqdn: string): void {
  for (const { ip, hostname, ports } of readyAddresses(svc)) {
    zone.add(fqdn, addressType(ip), ip);
    const host = `${hostname ?? dashed(ip)}.${fqdn}`;
    zone.add(host, addressType(ip), ip);
    const rev = reverseName(ip);
    if (rev) zone.add(rev, 'PTR', host);
    for (const p of ports) if (p.name) zone.addSrv(`_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`, p.port, host);
  }
}

/** DNS-2: the IP addresses of a Service's Ready endpoints, slice by slice, as DNS publishes them. */
function* readyAddresses(svc: ServiceInfo): Generator<{ ip: string; hostname: string | undefined; ports: EndpointSliceInfo['ports'] }> {
  for (const slice of svc.endpointSlices) {
    if (slice.addressType === 'FQDN') continue;
    for (const e of slice.endpoints) {
      if (!e.ready) continue;
      for (const ip of e.addresses) if (parseIp(ip)) yield { ip, hostname: e.hostname, ports: slice.ports };
    }
  }
}
