// Model layer (pure): reads HTTPRoutes and GRPCRoutes: parentRefs, hostnames, rules, matches, filters,
// backendRefs, with the API's defaults (GW-3..8). Attachment and refs are judged elsewhere.
// Must not import vscode, LSP, node:* or fs.
import type { GatewayCondition, JsonMap, Resource, RouteBackendInfo, RouteInfo, RouteMatchInfo, RouteParentInfo, RouteRuleInfo } from '../../types';
import { Fields, metadata, valueSpan } from '../../core/typed-fields';
import { checkFilterCombination, readFilter } from './route-filters';
import { validHostname } from './hostnames';
import { GATEWAY_GROUP } from './reference-grants';

const PATH_TYPES = ['Exact', 'PathPrefix', 'RegularExpression'] as const;
const VALUE_TYPES = ['Exact', 'RegularExpression'] as const;

const pending = (type: GatewayCondition['type']): GatewayCondition => ({ type, status: true, reason: type, message: '' });

/** Reads one HTTPRoute or GRPCRoute (its kind decides the match shape). */
export function readRoute(res: Resource, f: Fields): RouteInfo {
  const kind = res.kind === 'GRPCRoute' ? 'GRPCRoute' : 'HTTPRoute';
  const spec = f.map(res.body, 'spec');
  const hostnames: string[] = [];
  const written = f.list(spec, 'hostnames') ?? [];
  written.forEach((h, i) => {
    const lower = typeof h === 'string' ? h.toLowerCase() : '';
    if (validHostname(lower)) hostnames.push(lower);
    else
      f.report(
        'invalid-field',
        'error',
        `hostname ${JSON.stringify(h)} must be a DNS name, optionally starting with "*."; IP addresses are not allowed. The API server rejects this Route.`,
        valueSpan(res, written, i),
        'GW-3',
      );
  });
  const ts = metadata(res).creationTimestamp;
  const route: RouteInfo = {
    id: `${res.namespace}/${res.name}`,
    kind,
    name: res.name,
    namespace: res.namespace,
    source: res,
    hostnames,
    creationTimestamp: typeof ts === 'string' ? ts : null,
    parents: f.maps(spec, 'parentRefs').flatMap((p, index) => readParent(f, res, p, index)),
    rules: [],
    resolvedRefs: pending('ResolvedRefs'),
  };
  const rules = f.maps(spec, 'rules');
  // GW-5: a Route without rules gets one rule matching every request (the API's default), with no backend.
  if (rules.length === 0 && spec?.rules === undefined)
    route.rules.push({ index: 0, matches: [defaultMatch(kind)], filters: [], backends: [], source: spec ?? res.body });
  rules.forEach((rule, index) => route.rules.push(readRule(f, res, kind, rule, index)));
  return route;
}

/** GW-3: a parentRef; only `kind: Gateway` of the Gateway API group is a Gateway (others are not this model's). */
function readParent(f: Fields, res: Resource, p: JsonMap, index: number): RouteParentInfo[] {
  const group = f.str(p, 'group') ?? GATEWAY_GROUP;
  const kind = f.str(p, 'kind') ?? 'Gateway';
  const name = f.str(p, 'name');
  if (name === undefined || group !== GATEWAY_GROUP || kind !== 'Gateway') return [];
  const namespace = f.str(p, 'namespace') ?? res.namespace;
  return [
    {
      index,
      gateway: `${namespace}/${name}`,
      sectionName: f.str(p, 'sectionName') ?? null,
      port: f.int(p, 'port', { min: 1, max: 65535 }) ?? null,
      attached: [],
      accepted: pending('Accepted'),
      source: p,
    },
  ];
}

function defaultMatch(kind: RouteInfo['kind']): RouteMatchInfo {
  return kind === 'GRPCRoute'
    ? { path: null, method: null, headers: [], queryParams: [], grpc: null, source: null }
    : { path: { type: 'PathPrefix', value: '/' }, method: null, headers: [], queryParams: [], grpc: null, source: null };
}

function readRule(f: Fields, res: Resource, kind: RouteInfo['kind'], rule: JsonMap, index: number): RouteRuleInfo {
  const written = f.maps(rule, 'matches').map((m) => readMatch(f, kind, m));
  const filters = f
    .maps(rule, 'filters')
    .map((x) => readFilter(f, x))
    .filter((x) => x !== null);
  const backends = f.maps(rule, 'backendRefs').map((b, i) => readBackend(f, res, b, i));
  checkFilterCombination(f, rule, filters, backends.length > 0);
  return { index, matches: written.length ? written : [defaultMatch(kind)], filters, backends, source: rule };
}

/** GW-5: one match; header names compare case-insensitively, and only the first of equivalent names counts. */
function readMatch(f: Fields, kind: RouteInfo['kind'], m: JsonMap): RouteMatchInfo {
  const pairs = (key: string, fold: boolean) => {
    const seen = new Set<string>();
    const out: RouteMatchInfo['headers'] = [];
    for (const h of f.maps(m, key)) {
      const name = f.str(h, 'name');
      const value = f.str(h, 'value');
      if (name === undefined || value === undefined) continue;
      const k = fold ? name.toLowerCase() : name;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ name: k, value, type: f.oneOf(h, 'type', VALUE_TYPES) ?? 'Exact' });
    }
    return out;
  };
  if (kind === 'GRPCRoute') {
    const mm = f.map(m, 'method');
    const grpc = mm ? { service: f.str(mm, 'service') ?? null, method: f.str(mm, 'method') ?? null, type: f.oneOf(mm, 'type', VALUE_TYPES) ?? 'Exact' } : null;
    return { path: null, method: null, headers: pairs('headers', true), queryParams: [], grpc, source: m };
  }
  const p = f.map(m, 'path');
  const type = f.oneOf(p, 'type', PATH_TYPES) ?? 'PathPrefix';
  const value = f.str(p, 'value') ?? '/';
  if (type !== 'RegularExpression' && !value.startsWith('/')) {
    f.report(
      'invalid-field',
      'error',
      `path "${value}" must start with "/" for type ${type}; the API server rejects this Route.`,
      valueSpan(f.res, p!, 'value'),
      'GW-5',
    );
  }
  return {
    path: { type, value },
    method: f.str(m, 'method') ?? null,
    headers: pairs('headers', true),
    queryParams: pairs('queryParams', false),
    grpc: null,
    source: m,
  };
}

/** GW-6: group '' and kind Service by default, namespace the Route's, weight 1. */
function readBackend(f: Fields, res: Resource, b: JsonMap, index: number): RouteBackendInfo {
  const group = f.str(b, 'group') ?? '';
  const kind = f.str(b, 'kind') ?? 'Service';
  const name = f.str(b, 'name') ?? '';
  const namespace = f.str(b, 'namespace') ?? res.namespace;
  const port = f.int(b, 'port', { min: 1, max: 65535 }) ?? null;
  const weight = f.int(b, 'weight', { min: 0, max: 1_000_000 }) ?? 1;
  const isService = group === '' && kind === 'Service';
  if (isService && port === null && b.port === undefined) {
    f.report('invalid-field', 'error', 'A backendRef to a Service must have a port; the API server rejects this Route.', valueSpan(res, b, 'name'), 'GW-6');
  }
  return {
    index,
    group,
    kind,
    name,
    namespace,
    service: isService ? `${namespace}/${name}` : null,
    port,
    weight,
    invalid: null,
    grant: null,
    readyEndpoints: null,
    source: b,
  };
}
