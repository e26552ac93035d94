// Model layer (pure): a Gateway's listeners, what Routes they admit, and conflicts between them (GW-2).
// Must not import vscode, LSP, node:* or fs.
import { namespaceLabels } from '../../cluster/namespaces';
import type { GatewayListenerInfo, NamespaceInfo, Resource } from '../../types';
import { Fields, valueSpan } from '../../core/typed-fields';
import { readLabelSelector, matches } from '../../core/label-selectors';
import { validHostname } from './hostnames';

const FROM = ['Same', 'All', 'Selector'] as const;

/**
 * GW-2: with `allowedRoutes.kinds` unset or empty, the kinds come from the protocol. HTTP and HTTPS admit
 * HTTPRoute and, with the implementations that support it (GEP-1016), GRPCRoute; TLS admits TLSRoute,
 * TCP TCPRoute, UDP UDPRoute.
 */
export function defaultKinds(protocol: string): string[] {
  switch (protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS':
      return ['TLSRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'UDP':
      return ['UDPRoute'];
    default:
      return [];
  }
}

/** Reads `spec.listeners`, reporting what the API server rejects and marking conflicted listeners (GW-2). */
export function readListeners(res: Resource, f: Fields): GatewayListenerInfo[] {
  const spec = f.map(res.body, 'spec');
  const out: GatewayListenerInfo[] = [];
  for (const l of f.maps(spec, 'listeners')) {
    const name = f.str(l, 'name');
    const port = f.int(l, 'port', { min: 1, max: 65535 });
    const protocol = f.str(l, 'protocol');
    if (name === undefined || port === undefined || protocol === undefined) continue;
    let hostname: string | null = f.str(l, 'hostname')?.toLowerCase() ?? null;
    if (hostname === '') hostname = null;
    if (hostname !== null && !validHostname(hostname)) {
      f.report(
        'invalid-field',
        'error',
        `hostname "${hostname}" must be a DNS name, optionally starting with "*."; IP addresses are not allowed. The API server rejects this Gateway.`,
        valueSpan(res, l, 'hostname'),
        'GW-2',
      );
      hostname = null;
    }
    const allowed = f.map(l, 'allowedRoutes');
    const ns = f.map(allowed, 'namespaces');
    const allowedFrom = f.oneOf(ns, 'from', FROM) ?? 'Same';
    const allowedSelector = allowedFrom === 'Selector' ? (readLabelSelector(f, ns, 'selector') ?? null) : null;
    const written = f
      .maps(allowed, 'kinds')
      .map((k) => f.str(k, 'kind'))
      .filter((k): k is string => k !== undefined);
    const kinds = written.length ? written : defaultKinds(protocol);
    out.push({ name, port, protocol, hostname, allowedFrom, allowedSelector, kinds, source: l });
  }
  markConflicts(res, f, out);
  return out;
}

/**
 * GW-2: listener names are unique and port+protocol+hostname combinations are unique (the API server
 * rejects the Gateway otherwise); a TCP listener sharing its port with an HTTP, HTTPS or TLS one makes
 * all of them indistinct, so they are Conflicted (ProtocolConflict) and not accepted.
 */
function markConflicts(res: Resource, f: Fields, listeners: GatewayListenerInfo[]): void {
  const seen = new Map<string, GatewayListenerInfo>();
  const combos = new Map<string, GatewayListenerInfo>();
  for (const l of listeners) {
    const dupe = seen.get(l.name);
    if (dupe)
      f.report(
        'invalid-field',
        'error',
        `listener name "${l.name}" is used twice; names must be unique within a Gateway, so the API server rejects it.`,
        valueSpan(res, l.source, 'name'),
        'GW-2',
      );
    seen.set(l.name, l);
    const combo = `${l.port}/${l.protocol}/${l.hostname ?? ''}`;
    const other = combos.get(combo);
    if (other && other !== dupe)
      f.report(
        'invalid-field',
        'error',
        `listeners "${other.name}" and "${l.name}" have the same port, protocol and hostname; the API server rejects this Gateway.`,
        valueSpan(res, l.source, 'port'),
        'GW-2',
      );
    combos.set(combo, l);
  }
  const byPort = new Map<number, GatewayListenerInfo[]>();
  for (const l of listeners) byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]);
  for (const [port, list] of byPort) {
    const tcp = list.some((l) => l.protocol === 'TCP');
    const layered = list.filter((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS' || l.protocol === 'TLS');
    if (!tcp || layered.length === 0) continue;
    const names = list.filter((l) => l.protocol !== 'UDP').map((l) => l.name);
    for (const l of list) {
      if (l.protocol === 'UDP') continue;
      l.conflicted = `ProtocolConflict: port ${port} is shared by a TCP listener and HTTP/HTTPS/TLS ones (${names.join(', ')}), which are then not distinct`;
      f.report(
        'gateway-listener-conflicted',
        'warning',
        `Listener "${l.name}" is Conflicted=True (ProtocolConflict): ${l.conflicted}; the controller accepts none of them.`,
        valueSpan(res, l.source, 'port'),
        'GW-2',
      );
    }
  }
}

/** GW-2: whether a listener admits Routes from `namespace` (Same, All, or Selector on the namespace's labels). */
export function admitsNamespace(l: GatewayListenerInfo, gatewayNamespace: string, namespace: string, namespaces: ReadonlyMap<string, NamespaceInfo>): boolean {
  if (l.allowedFrom === 'All') return true;
  if (l.allowedFrom === 'Same') return namespace === gatewayNamespace;
  if (!l.allowedSelector) return false;
  return matches(namespaceLabels(namespaces, namespace), l.allowedSelector);
}
