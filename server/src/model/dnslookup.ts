// Model layer (pure): a DNS lookup as a pod's resolver would do it: search list, ndots, CNAME (DNS-4). Must not import vscode, LSP, node:* or fs.
import type { DnsRecord, DnsType, JsonMap, Model, PodInfo } from './types';
import { isMap } from './read';
import { isIp } from './ip';
import { reverseName } from './dnsrecords';

export interface DnsAnswer {
  query: string;
  type: DnsType;
  /** `pod:NS/NAME`, or the namespace asked from; null when not given (then: a pod in `default`). */
  from: string | null;
  /** The absolute name that answered (without trailing dot), or null. */
  resolvedAs: string | null;
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: { name: string; type: DnsType; data: string }[];
  /** Every absolute name tried, in order. */
  tried: string[];
  /** Why an answer may differ on a real cluster (names outside the cluster zone, node resolver). */
  note?: string;
}

export type DnsFrom = string | { namespace: string; pod?: string };

const TYPES: readonly DnsType[] = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME'];

export function indexRecords(records: readonly DnsRecord[]): Map<string, DnsRecord[]> {
  const m = new Map<string, DnsRecord[]>();
  for (const r of records) {
    const k = r.name.toLowerCase();
    const l = m.get(k);
    if (l) l.push(r);
    else m.set(k, [r]);
  }
  return m;
}

interface Origin {
  label: string | null;
  namespace: string;
  search: string[];
  ndots: number;
  /** False when the pod uses the node's resolv.conf (dnsPolicy Default, or hostNetwork without ClusterFirstWithHostNet). */
  clusterDns: boolean;
  note?: string;
}

/** `pod:NS/NAME`, `deploy:`/`sts:`/`ds:NS/NAME` (first pod), `NS/NAME`, `ns:NS` or a bare namespace. */
function findPod(model: Model, ref: string): PodInfo | undefined {
  const m = /^(pod|deploy|sts|ds|deployment|statefulset|daemonset):(.+)$/.exec(ref);
  const kind = m?.[1] ?? 'pod';
  const id = m?.[2] ?? ref;
  if (kind === 'pod') return model.index.podById.get(id);
  const owner = { deploy: 'Deployment', deployment: 'Deployment', sts: 'StatefulSet', statefulset: 'StatefulSet', ds: 'DaemonSet', daemonset: 'DaemonSet' }[kind];
  const [ns, name] = id.split('/');
  return model.index.podsByOwner.get(`${owner}/${ns}/${name}`)?.[0];
}

function originOf(model: Model, from: DnsFrom | undefined): Origin {
  const domain = model.profile.clusterDomain;
  let ns = 'default';
  let label: string | null = null;
  let pod: PodInfo | undefined;
  if (typeof from === 'string' && from !== '') {
    if (from.includes('/')) {
      pod = findPod(model, from);
      ns = pod?.namespace ?? from.replace(/^[a-z]+:/, '').split('/')[0]!;
      label = pod ? `pod:${pod.id}` : from;
    } else {
      ns = from.replace(/^(ns|namespace):/, '');
      label = ns;
    }
  } else if (typeof from === 'object') {
    ns = from.namespace;
    pod = from.pod ? model.index.podById.get(`${ns}/${from.pod}`) : undefined;
    label = pod ? `pod:${pod.id}` : ns;
  }
  const o: Origin = { label, namespace: ns, search: [`${ns}.svc.${domain}`, `svc.${domain}`, domain], ndots: model.profile.dns.ndots, clusterDns: true };
  if (pod) podDnsConfig(pod, o);
  return o;
}

/** A pod's own dnsPolicy and dnsConfig (searches, ndots) change its resolv.conf. */
function podDnsConfig(pod: PodInfo, o: Origin): void {
  const spec = pod.spec;
  const policy = typeof spec.dnsPolicy === 'string' ? spec.dnsPolicy : 'ClusterFirst';
  if (policy === 'Default' || (pod.hostNetwork && policy === 'ClusterFirst')) {
    o.clusterDns = false;
    o.search = [];
    o.note = `${pod.id} uses its node's resolv.conf (dnsPolicy ${policy}${pod.hostNetwork ? ' with hostNetwork' : ''}; ClusterFirstWithHostNet would use the cluster DNS), so cluster names do not resolve.`;
  }
  if (policy === 'None') o.search = [];
  const cfg = isMap(spec.dnsConfig) ? spec.dnsConfig : undefined;
  if (cfg && Array.isArray(cfg.searches)) for (const s of cfg.searches) if (typeof s === 'string') o.search.push(s.replace(/\.$/, '').toLowerCase());
  if (cfg && Array.isArray(cfg.options)) {
    for (const opt of cfg.options) {
      if (!isMap(opt) || (opt as JsonMap).name !== 'ndots') continue;
      const n = Number((opt as JsonMap).value);
      if (Number.isInteger(n) && n >= 0) o.ndots = n;
    }
  }
}

/**
 * DNS-4: looks `name` up as a resolver in the `from` pod or namespace would: a trailing dot means
 * absolute; a name with at least ndots dots is tried as absolute first, others go through the search
 * list `<ns>.svc.<domain> svc.<domain> <domain>` first. So `redis` resolves only from its own
 * namespace and `redis.default` from any. An ExternalName answers its CNAME, followed when the
 * target is inside the cluster domain. Accepts `(model, name, type, from)` or `(model, name, {type, from})`.
 */
export function lookupDns(model: Model, name: string, typeOrOptions?: string | { type?: string; from?: DnsFrom }, from?: DnsFrom): DnsAnswer {
  let typeText: string | undefined;
  let fromSpec: DnsFrom | undefined = from;
  if (typeof typeOrOptions === 'string') typeText = typeOrOptions;
  else if (typeOrOptions) {
    typeText = typeOrOptions.type;
    if (fromSpec === undefined) fromSpec = typeOrOptions.from;
  }
  const upper = (typeText ?? 'A').toUpperCase();
  const type: DnsType = (TYPES as readonly string[]).includes(upper) ? (upper as DnsType) : 'A';
  const index = model.index.dnsByName ?? indexRecords(model.dns);
  const domain = model.profile.clusterDomain.toLowerCase();
  const origin = originOf(model, fromSpec);
  const result: DnsAnswer = { query: name, type, from: origin.label, resolvedAs: null, rcode: 'NXDOMAIN', answers: [], tried: [] };
  if (origin.note) result.note = origin.note;

  let q = name.trim().toLowerCase();
  if (type === 'PTR' && isIp(q.replace(/\.$/, ''))) q = `${reverseName(q.replace(/\.$/, ''))!}.`;
  const absolute = q.endsWith('.');
  const base = absolute ? q.slice(0, -1) : q;
  if (base === '') return result;
  const searched = origin.search.map((s) => `${base}.${s}`);
  const dots = base.split('.').length - 1;
  const candidates = absolute ? [base] : dots >= origin.ndots ? [base, ...searched] : [...searched, base];

  const inZone = (n: string): boolean => origin.clusterDns && (n === domain || n.endsWith(`.${domain}`) || n.endsWith('.in-addr.arpa') || n.endsWith('.ip6.arpa'));
  let nodata: string | null = null;
  for (const c of candidates) {
    result.tried.push(c);
    if (!inZone(c)) continue;
    const a = answer(index, c, type, domain, 0);
    if (!a) continue;
    if (a.answers.length === 0 && a.rcode === 'NOERROR') {
      nodata ??= c; // glibc keeps searching after NODATA and reports it if nothing better turns up
      continue;
    }
    result.resolvedAs = c;
    result.rcode = a.rcode;
    result.answers = a.answers;
    if (a.note) result.note = a.note;
    return result;
  }
  if (nodata !== null) {
    result.resolvedAs = nodata;
    result.rcode = 'NOERROR';
  } else if (!result.note && candidates.some((c) => !inZone(c)) && origin.clusterDns) {
    result.note = `Names outside ${domain} are forwarded to the upstream resolver, which the model does not know.`;
  }
  return result;
}

/** The records answering one absolute name, following an in-cluster CNAME; undefined when the name does not exist. */
function answer(index: Map<string, DnsRecord[]>, name: string, type: DnsType, domain: string, depth: number): { rcode: 'NOERROR' | 'NXDOMAIN'; answers: DnsAnswer['answers']; note?: string } | undefined {
  const recs = index.get(name);
  if (!recs) return undefined;
  const flat = (r: DnsRecord): DnsAnswer['answers'] => r.data.map((data) => ({ name: r.name, type: r.type, data }));
  const cname = recs.find((r) => r.type === 'CNAME');
  if (cname && type !== 'CNAME') {
    const out = flat(cname);
    const target = (cname.data[0] ?? '').toLowerCase();
    if (!(target === domain || target.endsWith(`.${domain}`))) {
      return { rcode: 'NOERROR', answers: out, note: `${target} is outside the cluster domain: the pod's resolver asks the upstream DNS for it, which the model does not know; an unresolvable name fails at lookup ("bad address").` };
    }
    const next = depth < 8 ? answer(index, target, type, domain, depth + 1) : undefined;
    if (!next) return { rcode: 'NXDOMAIN', answers: out };
    return { rcode: next.rcode, answers: [...out, ...next.answers], ...(next.note ? { note: next.note } : {}) };
  }
  return { rcode: 'NOERROR', answers: recs.filter((r) => r.type === type).flatMap(flat) };
}
