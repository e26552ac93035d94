// Model layer (pure): which Gateway listener, Route, rule and backends take a request, and with what
// status (GW-3, GW-5..8). The answer is the contract's `route --json` object (docs/cli.md).
// Must not import vscode, LSP, node:* or fs.
import type { GatewayInfo, GatewayListenerInfo, Model, RouteInfo, RouteRuleInfo } from '../../types';
import { keptHostnameTakes, listenerHostRank } from './hostnames';
import { compareRank, describeMatch, matchRank, parseRequestUrl, type GatewayRequest } from './httproute-match';
import { weightedBackends, type RouteBackendShare } from './backend-shares';

export interface RouteAnswer {
  url: string;
  method: string;
  gateway: string | null;
  listener: string | null;
  route: string | null;
  kind: RouteInfo['kind'] | null;
  rule: number | null;
  /** Index of the match inside the rule, and the match in words. */
  match: number | null;
  matchText: string | null;
  /** The Route hostname (kept on the listener) that took the host; `*` for any. */
  hostname: string | null;
  /** 200 when a backend serves (part of) the traffic, a redirect's code, 404 / 500 / 503; null when no Gateway listener takes the URL. */
  status: number | null;
  backends: RouteBackendShare[];
  filters: { type: string; summary: string }[];
  /** GW-5: Routes whose matches tie with the answer's: only their creation order (not in the files) decides. */
  tie: string[] | null;
  /** What the answer rests on, in a sentence or two. */
  note: string;
}

export interface RouteOptions {
  method?: string;
  headers?: Record<string, string>;
  /** `NS/NAME`: only this Gateway. */
  gateway?: string;
}

interface Candidate {
  route: RouteInfo;
  rule: RouteRuleInfo;
  match: number;
  hostname: string;
  rank: number[];
}

/** GW-3, GW-5: the answer for one request. Never throws on bad input (an unreadable URL answers null everywhere). */
export function routeRequest(model: Model, url: string, opts: RouteOptions = {}): RouteAnswer {
  const req = parseRequestUrl(url, opts.method ?? (url.startsWith('grpc') ? 'POST' : 'GET'), opts.headers ?? {});
  const answer: RouteAnswer = {
    url,
    method: req?.method ?? opts.method ?? 'GET',
    gateway: null,
    listener: null,
    route: null,
    kind: null,
    rule: null,
    match: null,
    matchText: null,
    hostname: null,
    status: null,
    backends: [],
    filters: [],
    tie: null,
    note: '',
  };
  if (!req) return { ...answer, note: 'not an http://, https:// or grpc:// URL' };
  const found = pickListener(model.gatewayApi.gateways, req, opts.gateway);
  if (!found)
    return {
      ...answer,
      note: `no Gateway${opts.gateway ? ` ${opts.gateway}` : ''} has an accepted ${req.scheme === 'https' ? 'HTTPS' : 'HTTP'} listener on port ${req.port} for host ${req.host}`,
    };
  const { gw, listener } = found;
  answer.gateway = gw.id;
  answer.listener = listener.name;
  const kind = req.scheme === 'grpc' ? 'GRPCRoute' : 'HTTPRoute';
  const candidates: Candidate[] = [];
  for (const route of model.gatewayApi.routes) {
    if (route.kind !== kind) continue;
    const kept = route.parents
      .filter((p) => p.gateway === gw.id)
      .flatMap((p) => p.attached.filter((a) => a.listener === listener.name).flatMap((a) => a.hostnames));
    const hostname = bestHostname(kept, req.host);
    if (hostname === null) continue;
    for (const rule of route.rules) {
      rule.matches.forEach((m, i) => {
        const rank = matchRank(m, req);
        if (rank) candidates.push({ route, rule, match: i, hostname, rank: [...hostRank(hostname), ...rank] });
      });
    }
  }
  if (candidates.length === 0)
    return { ...answer, status: 404, note: `no rule of a Route attached to listener ${listener.name} takes this request: the Gateway answers 404 (GW-5)` };
  candidates.sort(
    (a, b) =>
      -compareRank(a.rank, b.rank) ||
      byAge(a.route, b.route) ||
      (a.route.id < b.route.id ? -1 : a.route.id > b.route.id ? 1 : 0) ||
      a.rule.index - b.rule.index ||
      a.match - b.match,
  );
  const best = candidates[0]!;
  const tied = candidates.filter(
    (c) =>
      c.route !== best.route &&
      compareRank(c.rank, best.rank) === 0 &&
      byAge(c.route, best.route) === 0 &&
      !(c.route.creationTimestamp && best.route.creationTimestamp),
  );
  const m = best.rule.matches[best.match]!;
  const shares = weightedBackends(best.rule);
  const redirect = best.rule.filters.find((f) => f.type === 'RequestRedirect');
  return {
    ...answer,
    route: best.route.id,
    kind,
    rule: best.rule.index,
    match: best.match,
    matchText: describeMatch(m),
    hostname: best.hostname,
    status: redirect ? Number(/^\d+/.exec(redirect.summary)?.[0] ?? 302) : shares.status,
    backends: redirect ? [] : shares.backends,
    filters: best.rule.filters.map((f) => ({ type: f.type, summary: f.summary })),
    tie: tied.length ? [best.route.id, ...new Set(tied.map((c) => c.route.id))] : null,
    note: tied.length
      ? `Routes ${[best.route.id, ...new Set(tied.map((c) => c.route.id))].join(', ')} match with equal precedence: the oldest Route wins, and the files carry no creationTimestamp to tell (GW-5); ${best.route.id} is shown by name order.`
      : redirect
        ? `redirected by the rule's RequestRedirect filter (GW-8)`
        : shares.note,
  };
}

/** GW-3: the served Gateway with an accepted listener for the scheme and port whose hostname is the most specific match. */
function pickListener(gateways: readonly GatewayInfo[], req: GatewayRequest, only?: string): { gw: GatewayInfo; listener: GatewayListenerInfo } | null {
  const protocols = req.scheme === 'https' ? ['HTTPS'] : req.scheme === 'http' ? ['HTTP'] : ['HTTP', 'HTTPS'];
  const sorted = [...gateways].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const gw of sorted) {
    if (!gw.served || (only !== undefined && gw.id !== only)) continue;
    let best: { listener: GatewayListenerInfo; rank: number } | null = null;
    for (const l of gw.listeners) {
      if (l.conflicted !== undefined || l.port !== req.port || !protocols.includes(l.protocol)) continue;
      const rank = listenerHostRank(l.hostname, req.host);
      if (rank >= 0 && (!best || rank > best.rank)) best = { listener: l, rank };
    }
    if (best) return { gw, listener: best.listener };
  }
  return null;
}

/** The kept hostname that takes the host, preferring exact names, then longer ones; null when none does. */
function bestHostname(kept: readonly string[], host: string): string | null {
  let best: string | null = null;
  for (const h of kept) {
    if (!keptHostnameTakes(h, host)) continue;
    if (best === null || compareRank(hostRank(h), hostRank(best)) > 0) best = h;
  }
  return best;
}

/** GW-5: characters in a matching non-wildcard hostname, then in a matching hostname. */
function hostRank(h: string): number[] {
  const wild = h === '*' || h.startsWith('*.');
  return [wild ? 0 : h.length, h === '*' ? 0 : h.length];
}

/** Older first when both creation timestamps are known (RFC 3339 strings sort by time); else 0. */
function byAge(a: RouteInfo, b: RouteInfo): number {
  if (!a.creationTimestamp || !b.creationTimestamp || a.creationTimestamp === b.creationTimestamp) return 0;
  return a.creationTimestamp < b.creationTimestamp ? -1 : 1;
}
