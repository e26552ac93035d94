// Model layer (pure): which Ingress rule takes a URL, the way ingress-nginx merges them (ING-1..3).
// Must not import vscode, LSP, node:* or fs.
import type { IngressBackendInfo, IngressInfo, IngressPathInfo, Model } from '../types';

/** The contract's `ingress --json` object (docs/cli.md). */
export interface IngressMatch {
  url: string;
  ingress: string | null;
  rule: number | null;
  host: string | null;
  path: string | null;
  pathType: string | null;
  via: 'rule' | 'defaultBackend' | null;
  backend: string | null;
  servicePort: number | null;
  backendResolvable: boolean;
  /** Extra: the path index inside the rule, and the backend Service id. */
  pathIndex?: number;
  service?: string | null;
}

export interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
}

/** `http(s)://HOST[:PORT]/PATH`; query and fragment are dropped (they never take part in matching). */
export function parseUrl(url: string): ParsedUrl | null {
  const m = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[^/:?#]+)(?::(\d{1,5}))?([^?#]*)/.exec(url.trim());
  if (!m) return null;
  const scheme = m[1] as 'http' | 'https';
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return null;
  return { scheme, host: m[2]!.replace(/^\[|\]$/g, '').toLowerCase(), port, path: m[4] || '/' };
}

/** ING-1: exact host, or `*.` standing for exactly one DNS label. */
export function hostMatches(ruleHost: string, host: string): boolean {
  if (ruleHost === '') return true;
  if (!ruleHost.startsWith('*.')) return ruleHost === host;
  const suffix = ruleHost.slice(1); // ".test.com"
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

/**
 * ING-2: how long a match a rule path makes with a request path, or -1 when it does not match.
 * Exact: case-sensitive equality. Prefix: element-wise, trailing `/` ignored, `/` matches all.
 * ImplementationSpecific on nginx: a plain string prefix, or a case-insensitive regex with use-regex.
 */
export function pathMatchLength(p: Pick<IngressPathInfo, 'path' | 'pathType'>, requestPath: string, useRegex: boolean): number {
  if (useRegex && p.pathType !== 'Exact') {
    try {
      return new RegExp(`^(?:${p.path})`, 'i').test(requestPath) ? p.path.length : -1;
    } catch {
      return -1; // nginx would refuse to load the config; the rule never matches.
    }
  }
  switch (p.pathType) {
    case 'Exact':
      return requestPath === p.path ? p.path.length : -1;
    case 'Prefix': {
      // ING-2: matched element-wise with the trailing `/` ignored, but ranked by the rule's own path
      // string, so that Prefix `/foo/` takes `/foo` from Prefix `/foo` (the API reference's table).
      const base = p.path.replace(/\/+$/, '');
      if (base === '') return p.path.length; // `/`
      return requestPath === base || requestPath.startsWith(`${base}/`) ? p.path.length : -1;
    }
    default:
      return requestPath.startsWith(p.path) ? p.path.length : -1;
  }
}

/** The Ingresses a controller serves: with IngressClasses declared, only those whose class exists. */
export function servedIngresses(model: Model): IngressInfo[] {
  const classes = model.resources.filter((r) => r.kind === 'IngressClass').map((r) => r.name);
  const watched = model.ingresses.filter((i) => i.ignoredBecause === undefined); // ING-7
  const served = classes.length === 0 ? watched : watched.filter((i) => i.className === null || classes.includes(i.className));
  return [...served].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

interface Candidate {
  ing: IngressInfo;
  rule: IngressPathInfo;
  length: number;
}

/**
 * ING-1..3 across every served Ingress (nginx merges them into one server per host): the request
 * host picks the server (exact host beats a wildcard, which beats hostless rules), then the longest
 * path wins, Exact before Prefix at equal length; else a defaultBackend; else the controller's 404.
 */
export function matchIngress(model: Model, url: string): IngressMatch {
  const none: IngressMatch = {
    url,
    ingress: null,
    rule: null,
    host: null,
    path: null,
    pathType: null,
    via: null,
    backend: null,
    servicePort: null,
    backendResolvable: false,
  };
  const u = parseUrl(url);
  if (!u) return none;
  const ingresses = servedIngresses(model);
  const all = ingresses.flatMap((ing) => ing.rules.map((rule) => ({ ing, rule })));
  const exact = all.filter((c) => c.rule.host !== '' && !c.rule.host.startsWith('*.') && c.rule.host === u.host);
  const wild = all.filter((c) => c.rule.host.startsWith('*.') && hostMatches(c.rule.host, u.host));
  const hostless = all.filter((c) => c.rule.host === '');
  const server = exact.length ? exact : wild.length ? wild : hostless;
  // nginx applies use-regex to every path of a host once any Ingress of that host sets it.
  const regex = server.some((c) => c.ing.annotations['nginx.ingress.kubernetes.io/use-regex'] === 'true');
  let best: Candidate | null = null;
  for (const c of server) {
    const length = pathMatchLength(c.rule, u.path, regex);
    if (length < 0) continue;
    if (!best || length > best.length || (length === best.length && c.rule.pathType === 'Exact' && best.rule.pathType !== 'Exact')) best = { ...c, length };
  }
  if (best)
    return describe(
      model,
      url,
      best.ing,
      best.rule.ruleIndex,
      best.rule.host,
      best.rule.path,
      best.rule.pathType,
      'rule',
      best.rule.backend,
      best.rule.pathIndex,
    );
  // ING-3: the defaultBackend of an Ingress owning the matched host, else of any Ingress.
  const owners = new Set(server.map((c) => c.ing));
  const fallback = ingresses.find((i) => owners.has(i) && i.defaultBackend) ?? ingresses.find((i) => i.defaultBackend);
  if (fallback?.defaultBackend) return describe(model, url, fallback, null, null, null, null, 'defaultBackend', fallback.defaultBackend);
  return none;
}

function describe(
  model: Model,
  url: string,
  ing: IngressInfo,
  rule: number | null,
  host: string | null,
  path: string | null,
  pathType: string | null,
  via: 'rule' | 'defaultBackend',
  b: IngressBackendInfo,
  pathIndex?: number,
): IngressMatch {
  const svc = b.service ? (model.index.serviceById.get(b.service) ?? model.services.find((s) => s.id === b.service)) : undefined;
  let servicePort: number | null = typeof b.port === 'number' ? b.port : null;
  let resolvable = false;
  if (svc) {
    if (svc.type === 'ExternalName') resolvable = true;
    const sp = svc.ports.find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
    if (sp) {
      servicePort = sp.port;
      resolvable = true;
    }
  }
  const out: IngressMatch = {
    url,
    ingress: ing.id,
    rule,
    host,
    path,
    pathType,
    via,
    backend: b.service ? b.display : null,
    servicePort,
    backendResolvable: resolvable,
    service: b.service,
  };
  if (pathIndex !== undefined) out.pathIndex = pathIndex;
  return out;
}
