// Server layer: hovers on Gateway API objects (GW-1..8) — a Route's parentRefs (attached to which listeners,
// or the predicted Accepted condition), hostnames (the intersection kept per listener), matches and
// backendRefs (share of the rule's traffic, endpoints, the ReferenceGrant that allows it); a Gateway's
// class and listeners. May import the model and LSP types; must not import vscode. Formats model facts only.
import { describeMatch, type GatewayCondition, type GatewayInfo, type Model, type RouteBackendInfo, type RouteInfo } from '../model/index';
import { code, escapeMarkdown } from './markdown';
import { onKindLine } from './hover-objects';
import { nsName, pathPattern, type Located } from './locate';
import { routeById } from './by-id';

export const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

/** The hover for a Gateway API object under the cursor, or undefined when there is nothing to say. */
export function gatewayApiHover(m: Model, loc: Located): string | undefined {
  const r = loc.resource;
  if (!r.apiVersion.startsWith('gateway.networking.k8s.io/')) return undefined;
  const pat = pathPattern(loc.path);
  if (r.kind === 'Gateway') {
    const gw = m.gatewayApi.gateways.find((g) => g.id === nsName(r));
    return gw && (onKindLine(loc) || pat === 'metadata.name' || pat.startsWith('spec.gatewayClassName') || pat.startsWith('spec.listeners'))
      ? gatewayHover(m, gw)
      : undefined;
  }
  if (!ROUTE_KINDS.has(r.kind)) return undefined;
  const route = routeById(m, r.kind, nsName(r));
  if (!route) return undefined;
  if (loc.path[0] === 'spec' && loc.path[1] === 'parentRefs' && typeof loc.path[2] === 'number') {
    const p = route.parents.find((x) => x.index === loc.path[2]);
    return p ? parentHover(m, p.gateway, p.attached, p.accepted) : undefined;
  }
  if (pat === 'spec.hostnames.*' && typeof loc.value === 'string') return hostnameHover(route, loc.value.toLowerCase());
  if (loc.path[1] === 'rules' && typeof loc.path[2] === 'number') {
    const rule = route.rules.find((x) => x.index === loc.path[2]);
    if (!rule) return undefined;
    if (loc.path[3] === 'backendRefs' && typeof loc.path[4] === 'number') {
      const b = rule.backends.find((x) => x.index === loc.path[4]);
      const total = rule.backends.reduce((s, x) => s + x.weight, 0);
      return b ? backendHover(m, b, total) : undefined;
    }
    if (loc.path[3] === 'matches' && typeof loc.path[4] === 'number') {
      const match = rule.matches[loc.path[4]];
      if (!match) return undefined;
      const shadow = match.shadowedBy ? `\n\n**Never takes a request alone:** the same match in ${escapeMarkdown(match.shadowedBy)} comes first (GW-5).` : '';
      return `**Match** ${code(describeMatch(match))} (GW-5)\n\nAll of it must hold; the rule takes a request when any of its matches does. Across every Route on the listener the most specific hostname, then an Exact path, the longest prefix, a method, more headers, more query parameters win.${shadow}`;
    }
  }
  if (onKindLine(loc) || pat === 'metadata.name') return routeSummary(route);
  return undefined;
}

const condition = (c: GatewayCondition) => `${code(`${c.type}=${c.status ? 'True' : 'False'}`)} ${code(c.reason)}`;

function gatewayHover(m: Model, gw: GatewayInfo): string {
  const lines = [
    `**Gateway ${code(gw.id)}** · class ${code(gw.className)}${gw.controller ? ` → controller ${code(gw.controller)}` : ''} (GW-1)`,
    escapeMarkdown(gw.controllerNote),
  ];
  for (const l of gw.listeners) {
    const routes = m.gatewayApi.routes.filter((r) => r.parents.some((p) => p.gateway === gw.id && p.attached.some((a) => a.listener === l.name)));
    lines.push(
      `- listener ${code(l.name)} ${code(`${l.protocol}/${l.port}`)} hostname ${code(l.hostname ?? '*')} · Routes from ${escapeMarkdown(l.allowedFrom)} · kinds ${l.kinds.map(code).join(', ') || '*none*'} · ${routes.length} attached${l.conflicted ? ` · **Conflicted** ${escapeMarkdown(l.conflicted)}` : ''} (GW-2)`,
    );
  }
  return lines.join('\n\n');
}

function parentHover(m: Model, gateway: string, attached: RouteInfo['parents'][number]['attached'], accepted: GatewayCondition): string {
  const gw = m.gatewayApi.gateways.find((g) => g.id === gateway);
  const lines = [`**parentRef → Gateway ${code(gateway)}** · ${condition(accepted)} (GW-4)`];
  if (attached.length) {
    for (const a of attached) {
      const l = gw?.listeners.find((x) => x.name === a.listener);
      lines.push(
        `- listener ${code(a.listener)}${l ? ` ${code(`${l.protocol}/${l.port}`)}` : ''} keeps hostnames ${a.hostnames.map((h) => code(h === '*' ? '* (any)' : h)).join(', ')} (GW-3)`,
      );
    }
  } else lines.push(escapeMarkdown(accepted.message));
  if (gw) lines.push(escapeMarkdown(gw.controllerNote));
  return lines.join('\n\n');
}

function hostnameHover(route: RouteInfo, host: string): string {
  const lines = [`**Hostname ${code(host)}**${host.startsWith('*.') ? ' — a suffix match: any number of labels before the domain (GW-3)' : ' (GW-3)'}`];
  for (const p of route.parents) {
    if (!p.accepted.status) continue;
    for (const a of p.attached) {
      const kept = a.hostnames.filter(
        (h) => h === host || (host.startsWith('*.') && h.endsWith(host.slice(1))) || (h.startsWith('*.') && host.endsWith(h.slice(1))),
      );
      lines.push(
        `- on ${code(`${p.gateway}/${a.listener}`)}: ${kept.length ? `kept as ${kept.map(code).join(', ')}` : "*dropped* (outside the listener's hostname)"}`,
      );
    }
  }
  if (lines.length === 1) lines.push('*No listener takes this Route*, so no hostname is served.');
  return lines.join('\n\n');
}

function backendHover(m: Model, b: RouteBackendInfo, total: number): string {
  const pct = total > 0 ? Math.round((b.weight / total) * 1000) / 10 : 0;
  const what = b.service ? `Service ${code(`${b.service}:${b.port ?? '?'}`)}` : `${escapeMarkdown(b.kind)} ${code(`${b.namespace}/${b.name}`)}`;
  const lines = [`**backendRef → ${what}** · weight ${code(b.weight)} of ${code(total)} = **${pct}%** of the rule's traffic (GW-6)`];
  if (b.grant) lines.push(`Cross-namespace ref allowed by ReferenceGrant ${code(b.grant)} (GW-6)`);
  if (b.invalid) lines.push(`${code('ResolvedRefs=False')} ${code(b.invalid.reason)}: ${escapeMarkdown(b.invalid.message)} (GW-7)`);
  const svc = b.service ? m.index.serviceById.get(b.service) : undefined;
  if (svc && !b.invalid) {
    const ready = svc.endpoints.filter((e) => e.ready);
    lines.push(
      ready.length
        ? `The gateway connects straight to the endpoints:\n${ready
            .slice(0, 8)
            .map((e) => `- ${code(e.ip)}${e.pod ? ` ${code(e.pod)}` : ''}`)
            .join('\n')}${ready.length > 8 ? `\n- … ${ready.length - 8} more` : ''}`
        : svc.type === 'ExternalName'
          ? `ExternalName → ${code(svc.externalName ?? '?')}`
          : '*No ready endpoint*: this share gets 503 (GW-7)',
    );
  }
  return lines.join('\n\n');
}

function routeSummary(route: RouteInfo): string {
  const lines = [
    `**${route.kind} ${code(route.id)}** · ${route.rules.length} rule${route.rules.length === 1 ? '' : 's'} · ${condition(route.resolvedRefs)} (GW-7)`,
  ];
  for (const p of route.parents)
    lines.push(`- ${code(p.gateway)}: ${condition(p.accepted)}${p.attached.length ? ` on ${p.attached.map((a) => code(a.listener)).join(', ')}` : ''} (GW-4)`);
  return lines.join('\n');
}

/** The code lens title above a Route: `attached to infra/edge/https · 3 rules · 80/20 split`. */
export function routeLensTitle(route: RouteInfo): string {
  const on = route.parents.flatMap((p) => p.attached.map((a) => `${p.gateway}/${a.listener}`));
  const refused = route.parents.find((p) => !p.accepted.status);
  const head = on.length ? `attached to ${on.join(', ')}` : refused ? `not attached: Accepted=False ${refused.accepted.reason}` : 'no parentRef';
  const split = route.rules.find((r) => r.backends.filter((b) => b.weight > 0).length > 1);
  const total = split ? split.backends.reduce((s, b) => s + b.weight, 0) : 0;
  const parts = [head, `${route.rules.length} rule${route.rules.length === 1 ? '' : 's'}`];
  if (split && total > 0) parts.push(`${split.backends.map((b) => Math.round((b.weight / total) * 100)).join('/')} split`);
  return parts.join(' · ');
}

/**
 * A URL the Route takes, for the lens's Trace action (GW-3, GW-5): its first kept hostname on its first
 * listener (a wildcard gets the label `a`), the scheme of that listener, its first rule's first path.
 * Undefined for GRPCRoutes and unattached Routes.
 */
export function routeTraceUrl(m: Model, route: RouteInfo): string | undefined {
  if (route.kind !== 'HTTPRoute') return undefined;
  const parent = route.parents.find((p) => p.attached.length > 0);
  const a = parent?.attached[0];
  if (!parent || !a) return undefined;
  const l = m.gatewayApi.gateways.find((g) => g.id === parent.gateway)?.listeners.find((x) => x.name === a.listener);
  const host = (a.hostnames[0] ?? '*') === '*' ? undefined : a.hostnames[0]!.replace(/^\*\./, 'a.');
  if (!l || !host) return undefined;
  const path = route.rules[0]?.matches[0]?.path;
  const value = path && path.type !== 'RegularExpression' ? path.value : '/';
  const scheme = l.protocol === 'HTTPS' ? 'https' : 'http';
  const standard = (scheme === 'https' && l.port === 443) || (scheme === 'http' && l.port === 80);
  return `${scheme}://${host}${standard ? '' : `:${l.port}`}${value}`;
}
