// Model layer (pure): a DNS lookup as a pod's resolver would do it: search list, ndots, CNAME (DNS-4). Must not import vscode, LSP, node:* or fs.
import type { DnsRecord, DnsType, JsonMap, Model, PodInfo } from '../types';
import { isMap } from '../core/typed-fields';
import { isIp } from '../core/ip';
import { reverseName } from './dns-records';
import { dnsReach, type DnsReach } from './dns-reachability';

export interface DnsAnswer {
  query: string;
  type: DnsType;
  /** `pod:NS/NAME`, or the namespace asked from; null when not given (then: a pod in `default`). */
  from: string | null;
  /** The absolute name that answered (without trailing dot), or null. */
  resolvedAs: string | null;
  /**
   * FORWARDED (DNS-4): the name left the cluster zone and went to the upstream resolver, whose answer
   * the model does not know. TIMEOUT (DNS-6): the pod's queries never reach the DNS pods.
   */
  rcode: 'NOERROR' | 'NXDOMAIN' | 'FORWARDED' | 'TIMEOUT';
  /** `"source": "hosts"` for an answer from the pod's /etc/hosts (hostAliases, its own hostname). */
  answers: { name: string; type: DnsType; data: string; source?: 'hosts' }[];
  /** TIMEOUT: the NetworkPolicies that keep the queries from the DNS pods (DNS-6). */
  blockedBy?: string[];
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
  pod?: PodInfo;
}

/** `pod:NS/NAME`, `deploy:`/`sts:`/`ds:NS/NAME` (first pod), `NS/NAME`, `ns:NS` or a bare namespace. */
function findPod(model: Model, ref: string): PodInfo | undefined {
  const m = /^(pod|deploy|sts|ds|deployment|statefulset|daemonset):(.+)$/.exec(ref);
  const kind = m?.[1] ?? 'pod';
  const id = m?.[2] ?? ref;
  if (kind === 'pod') return model.index.podById.get(id);
  const owner = { deploy: 'Deployment', deployment: 'Deployment', sts: 'StatefulSet', statefulset: 'StatefulSet', ds: 'DaemonSet', daemonset: 'DaemonSet' }[
    kind
  ];
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
  if (pod) {
    o.pod = pod;
    podDnsConfig(model, pod, o);
  }
  return o;
}

/**
 * DNS-4: a pod's own dnsPolicy and dnsConfig change its resolv.conf as kubelet writes it: ClusterFirst
 * (the default; for a hostNetwork pod it means Default), ClusterFirstWithHostNet (the cluster DNS even
 * with hostNetwork), Default (the node's resolv.conf, unknown here), None (only dnsConfig: its
 * nameservers, searches and options). dnsConfig's searches are appended and its ndots wins.
 */
function podDnsConfig(model: Model, pod: PodInfo, o: Origin): void {
  const spec = pod.spec;
  const policy = typeof spec.dnsPolicy === 'string' ? spec.dnsPolicy : 'ClusterFirst';
  const cfg = isMap(spec.dnsConfig) ? spec.dnsConfig : undefined;
  if (policy === 'Default' || (pod.hostNetwork && policy === 'ClusterFirst')) {
    o.clusterDns = false;
    o.search = [];
    o.note = `${pod.id} uses its node's resolv.conf (dnsPolicy ${policy}${pod.hostNetwork ? ' with hostNetwork' : ''}${pod.hostNetwork ? '; ClusterFirstWithHostNet would use the cluster DNS' : ''}): its lookups go to the node's resolver, which the model does not know, and cluster names do not resolve there.`;
  }
  if (policy === 'None') {
    o.search = [];
    const servers = cfg && Array.isArray(cfg.nameservers) ? cfg.nameservers.filter((x): x is string => typeof x === 'string') : [];
    if (!servers.includes(model.profile.dnsServiceIP)) {
      o.clusterDns = false;
      o.note = `${pod.id} has dnsPolicy None with nameservers ${servers.join(', ') || '(none)'}, not the cluster DNS ${model.profile.dnsServiceIP}: the model does not know what they answer.`;
    }
  }
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
/** `reach`: the asking pod's DNS-6 verdict when the caller has already judged it (the tracer), so it is judged once. */
export interface LookupOptions {
  type?: string;
  from?: DnsFrom;
  reach?: DnsReach;
}

export function lookupDns(model: Model, name: string, typeOrOptions?: string | LookupOptions, from?: DnsFrom): DnsAnswer {
  let typeText: string | undefined;
  let fromSpec: DnsFrom | undefined = from;
  let knownReach: DnsReach | undefined;
  if (typeof typeOrOptions === 'string') typeText = typeOrOptions;
  else if (typeOrOptions) {
    typeText = typeOrOptions.type;
    if (fromSpec === undefined) fromSpec = typeOrOptions.from;
    knownReach = typeOrOptions.reach;
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

  const inZone = (n: string): boolean =>
    origin.clusterDns && (n === domain || n.endsWith(`.${domain}`) || n.endsWith('.in-addr.arpa') || n.endsWith('.ip6.arpa'));
  // DNS-4: /etc/hosts first (the pod's hostAliases and its own hostname, as kubelet writes the file).
  if (origin.pod && (type === 'A' || type === 'AAAA')) {
    const hosts = etcHosts(origin.pod, base, type);
    if (hosts.length) {
      result.rcode = 'NOERROR';
      result.resolvedAs = base;
      result.answers = hosts.map((data) => ({ name: base, type, data, source: 'hosts' as const }));
      return result;
    }
  }
  if (!origin.clusterDns) {
    // The node's resolver (or dnsPolicy None's own nameservers): its answer is not in the files.
    result.rcode = 'FORWARDED';
    result.resolvedAs = base;
    result.tried.push(...candidates);
    return result;
  }
  // DNS-6: the query itself must get through the pod's egress and the DNS pods' ingress.
  if (origin.pod) {
    const reach = knownReach ?? dnsReach(model, origin.pod);
    if (reach.blocked) {
      result.rcode = 'TIMEOUT';
      result.blockedBy = reach.blockedBy;
      result.note = `;; connection timed out; no servers could be reached: NetworkPolicy ${reach.blockedBy.join(', ')} ${reach.direction === 'egress' ? `keeps ${origin.pod.id}'s UDP/53 queries from` : reach.direction === 'both' ? `keeps ${origin.pod.id}'s UDP/53 queries from some and refuses them at the other` : 'refuses the queries at'} the DNS pods of ${reach.service}${reach.implicit ? ' (kube-system, k8s-app=kube-dns: the cluster DNS the files do not declare, CL-4)' : ''}.`;
      return result;
    }
  }
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
  } else if (!inZone(base) && mayBePublic(base)) {
    // DNS-4: CoreDNS forwards names outside its zones upstream; what they answer is not in the files.
    result.rcode = 'FORWARDED';
    result.resolvedAs = base;
    result.note = `${base} is outside ${domain}: CoreDNS forwards it to the upstream resolver, whose answer the model does not know (unknown here, not NXDOMAIN).`;
  } else if (!result.note && candidates.some((c) => !inZone(c))) {
    result.note = `No cluster record matches; the bare name also goes to the upstream resolver, where ${base.includes('.') ? `a name under .${base.slice(base.lastIndexOf('.') + 1)}` : 'a single label'} is not a public name.`;
  }
  return result;
}

/**
 * Top-level names no upstream resolver answers: reserved ones (RFC 2606, RFC 6761) and `svc`, the
 * cluster-only suffix. Private suffixes (`.internal`, `.corp`, `.local`) stay unknown: a company's
 * resolver may well answer them.
 */
const UNANSWERED_TLDS = new Set(['localhost', 'invalid', 'test', 'example', 'svc']);

/** A name the public DNS may know: at least two labels, and not under a reserved or private top-level name. */
function mayBePublic(name: string): boolean {
  const labels = name.split('.');
  return labels.length >= 2 && !UNANSWERED_TLDS.has(labels[labels.length - 1]!);
}

/** /etc/hosts as kubelet writes it: the pod's own hostname (and FQDN with a subdomain), then hostAliases. */
function etcHosts(pod: PodInfo, name: string, type: 'A' | 'AAAA'): string[] {
  const out: string[] = [];
  const family = (ip: string) => (ip.includes(':') ? 'AAAA' : 'A');
  if (pod.ip && !pod.hostNetwork && name === pod.hostname.toLowerCase() && family(pod.ip) === type) out.push(pod.ip);
  const aliases = Array.isArray(pod.spec.hostAliases) ? pod.spec.hostAliases : [];
  for (const a of aliases) {
    if (!isMap(a) || typeof a.ip !== 'string' || !Array.isArray(a.hostnames)) continue;
    if (family(a.ip) !== type) continue;
    if (a.hostnames.some((h) => typeof h === 'string' && h.toLowerCase().replace(/\.$/, '') === name)) out.push(a.ip);
  }
  return out;
}

/** The records answering one absolute name, following an in-cluster CNAME; undefined when the name does not exist. */
function answer(
  index: Map<string, DnsRecord[]>,
  name: string,
  type: DnsType,
  domain: string,
  depth: number,
): { rcode: 'NOERROR' | 'NXDOMAIN' | 'FORWARDED'; answers: DnsAnswer['answers']; note?: string } | undefined {
  const recs = index.get(name);
  if (!recs) return undefined;
  const flat = (r: DnsRecord): DnsAnswer['answers'] => r.data.map((data) => ({ name: r.name, type: r.type, data }));
  const cname = recs.find((r) => r.type === 'CNAME');
  if (cname && type !== 'CNAME') {
    const out = flat(cname);
    const target = (cname.data[0] ?? '').toLowerCase();
    if (!(target === domain || target.endsWith(`.${domain}`))) {
      // DNS-4: the CNAME is the cluster's answer; the target's addresses come from upstream, unknown here.
      const rcode = mayBePublic(target.replace(/\.$/, '')) ? 'FORWARDED' : 'NXDOMAIN';
      return {
        rcode,
        answers: out,
        note: `${target} is outside the cluster domain: CoreDNS forwards it to the upstream resolver, whose answer the model does not know${rcode === 'NXDOMAIN' ? '; no public resolver answers that name ("bad address")' : ''}.`,
      };
    }
    const next = depth < 8 ? answer(index, target, type, domain, depth + 1) : undefined;
    if (!next) return { rcode: 'NXDOMAIN', answers: out };
    return { rcode: next.rcode, answers: [...out, ...next.answers], ...(next.note ? { note: next.note } : {}) };
  }
  return { rcode: 'NOERROR', answers: recs.filter((r) => r.type === type).flatMap(flat) };
}
