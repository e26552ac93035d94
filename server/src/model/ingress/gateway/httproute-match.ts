// Model layer (pure): whether one HTTPRoute or GRPCRoute match takes a request, and how strongly,
// in the order of the specification's precedence (GW-5). Must not import vscode, LSP, node:* or fs.
import type { RouteMatchInfo } from '../../types';

/** A request as the Gateway sees it. Header names lower case; query parameters as written. */
export interface GatewayRequest {
  scheme: 'http' | 'https' | 'grpc';
  host: string;
  port: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
}

/**
 * `http(s)://HOST[:PORT]/PATH[?QUERY]` or `grpc://HOST[:PORT]/SERVICE/METHOD`; null when unreadable.
 * Only the first value of a repeated query parameter counts (what the specification recommends).
 */
export function parseRequestUrl(url: string, method = 'GET', headers: Record<string, string> = {}): GatewayRequest | null {
  const m = /^(https?|grpc):\/\/(\[[0-9a-fA-F:.]+\]|[^/:?#]+)(?::(\d{1,5}))?([^?#]*)(?:\?([^#]*))?/i.exec(url.trim());
  if (!m) return null;
  const scheme = m[1]!.toLowerCase() as GatewayRequest['scheme'];
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return null;
  const query: Record<string, string> = {};
  for (const pair of (m[5] ?? '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    if (!(name in query)) query[name] = safeDecode(eq < 0 ? '' : pair.slice(eq + 1));
  }
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return { scheme, host: m[2]!.replace(/^\[|\]$/g, '').toLowerCase(), port, path: m[4] || '/', method: method.toUpperCase(), headers: lower, query };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** GW-5: PathPrefix compares `/`-separated elements; a trailing `/` in the match is ignored; `/` takes every path. */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const base = prefix.replace(/\/+$/, '');
  return base === '' || path === base || path.startsWith(`${base}/`);
}

function valueMatches(type: 'Exact' | 'RegularExpression', want: string, got: string | undefined): boolean {
  if (got === undefined) return false;
  if (type === 'Exact') return want === got;
  try {
    return new RegExp(`^(?:${want})$`).test(got);
  } catch {
    return false; // an implementation would reject the pattern; it never matches.
  }
}

/**
 * GW-5: the precedence of a match that takes the request, highest first (null when it does not take it).
 * HTTPRoute: Exact path, longer PathPrefix, a method, more headers, more query parameters.
 * GRPCRoute: longer service, longer method, more headers. RegularExpression paths rank below every
 * Exact and PathPrefix match (their precedence is implementation-specific).
 */
export function matchRank(m: RouteMatchInfo, req: GatewayRequest): number[] | null {
  if (!m.headers.every((h) => valueMatches(h.type, h.value, req.headers[h.name]))) return null;
  if (req.scheme === 'grpc') {
    const [, service = '', method = ''] = /^\/([^/]*)\/?([^/]*)/.exec(req.path) ?? [];
    const g = m.grpc;
    if (g && g.service !== null && !valueMatches(g.type, g.service, service)) return null;
    if (g && g.method !== null && !valueMatches(g.type, g.method, method)) return null;
    return [g?.service?.length ?? 0, g?.method?.length ?? 0, m.headers.length];
  }
  if (m.method !== null && m.method !== req.method) return null;
  if (!m.queryParams.every((q) => valueMatches(q.type, q.value, req.query[q.name]))) return null;
  const p = m.path ?? { type: 'PathPrefix', value: '/' };
  let exact = 0;
  let prefix = 0;
  if (p.type === 'Exact') {
    if (p.value !== req.path) return null;
    exact = 1;
  } else if (p.type === 'PathPrefix') {
    if (!pathPrefixMatches(p.value, req.path)) return null;
    prefix = p.value.length;
  } else if (!valueMatches('RegularExpression', p.value, req.path)) return null;
  return [exact, prefix, m.method !== null ? 1 : 0, m.headers.length, m.queryParams.length];
}

/** Compares two ranks (same length): positive when `a` takes precedence. */
export function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** A match in words, for answers and hovers: `PathPrefix /api, GET, header x-env=canary`. */
export function describeMatch(m: RouteMatchInfo): string {
  const parts: string[] = [];
  if (m.path) parts.push(`${m.path.type} ${m.path.value}`);
  if (m.grpc) parts.push(`${m.grpc.service ?? '*'}/${m.grpc.method ?? '*'}${m.grpc.type === 'RegularExpression' ? ' (regex)' : ''}`);
  if (m.method) parts.push(m.method);
  for (const h of m.headers) parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of m.queryParams) parts.push(`query ${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return parts.join(', ') || 'every request';
}
