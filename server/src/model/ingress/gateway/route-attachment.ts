// Model layer (pure): which listeners a Route's parentRefs attach to, and the predicted Accepted
// condition of each parentRef (GW-3, GW-4). Must not import vscode, LSP, node:* or fs.
import type { GatewayCondition, GatewayInfo, GatewayListenerInfo, NamespaceInfo, RouteInfo, RouteParentInfo } from '../../types';
import { admitsNamespace } from './listeners';
import { intersectHostnames } from './hostnames';

const accepted = (status: boolean, reason: string, message: string): GatewayCondition => ({ type: 'Accepted', status, reason, message });

/** Whether a Gateway is served by a controller (GW-1); a Gateway nobody serves writes no Route status. */
export type ServedCheck = (gw: GatewayInfo) => boolean;

/**
 * GW-4: attaches one parentRef. `sectionName` and `port`, when set, must both match a listener
 * (NoMatchingParent otherwise); a listener admits the Route by kind and namespace
 * (NotAllowedByListeners otherwise) and keeps the Route's hostnames that intersect its own
 * (NoMatchingListenerHostname when none do). Attaching to one listener is enough for Accepted=True.
 */
export function attachParent(
  route: RouteInfo,
  parent: RouteParentInfo,
  gateways: ReadonlyMap<string, GatewayInfo>,
  namespaces: ReadonlyMap<string, NamespaceInfo>,
  served: ServedCheck,
): void {
  const gw = gateways.get(parent.gateway);
  if (!gw) {
    parent.accepted = accepted(
      false,
      'NoStatus',
      `Gateway ${parent.gateway} is not in the files: nothing can be predicted, and if it does not exist no controller writes a status for this parentRef.`,
    );
    return;
  }
  if (!served(gw)) {
    parent.accepted = accepted(
      false,
      'NoStatus',
      `Gateway ${gw.id} has class ${gw.className}, which no controller known from the files serves: no controller writes a status for this parentRef.`,
    );
    return;
  }
  const named = gw.listeners.filter((l) => (parent.sectionName === null || l.name === parent.sectionName) && (parent.port === null || l.port === parent.port));
  if (named.length === 0) {
    const which = [parent.sectionName !== null ? `named "${parent.sectionName}"` : '', parent.port !== null ? `on port ${parent.port}` : '']
      .filter(Boolean)
      .join(' and ');
    parent.accepted = accepted(false, 'NoMatchingParent', `Gateway ${gw.id} has no listener ${which} (listeners: ${listenerList(gw.listeners)}).`);
    return;
  }
  const live = named.filter((l) => l.conflicted === undefined);
  const admitting = live.filter((l) => l.kinds.includes(route.kind) && admitsNamespace(l, gw.namespace, route.namespace, namespaces));
  if (admitting.length === 0) {
    parent.accepted = accepted(
      false,
      'NotAllowedByListeners',
      live.length ? refusals(route, gw, live, namespaces) : `every listener it names is Conflicted (${named.map((l) => l.conflicted).join('; ')}).`,
    );
    return;
  }
  for (const l of admitting) {
    const hostnames = intersectHostnames(l.hostname, route.hostnames);
    if (hostnames.length) parent.attached.push({ listener: l.name, hostnames });
  }
  if (parent.attached.length === 0) {
    parent.accepted = accepted(
      false,
      'NoMatchingListenerHostname',
      `none of the Route's hostnames (${route.hostnames.join(', ')}) intersects the hostname of listener ${admitting.map((l) => `${l.name} (${l.hostname ?? 'any'})`).join(', ')}.`,
    );
    return;
  }
  parent.accepted = accepted(true, 'Accepted', `attached to ${gw.id} listener ${parent.attached.map((a) => a.listener).join(', ')}.`);
}

function listenerList(ls: readonly GatewayListenerInfo[]): string {
  return ls.map((l) => `${l.name} ${l.protocol}/${l.port}`).join(', ') || 'none';
}

/** Why each listener refuses the Route: its kind, or its namespace. */
function refusals(route: RouteInfo, gw: GatewayInfo, ls: readonly GatewayListenerInfo[], namespaces: ReadonlyMap<string, NamespaceInfo>): string {
  return ls
    .map((l) => {
      if (!l.kinds.includes(route.kind)) return `listener ${l.name} admits ${l.kinds.join(', ') || 'no Route kind'}, not ${route.kind}`;
      const from =
        l.allowedFrom === 'Same'
          ? `only Routes of namespace ${gw.namespace} (allowedRoutes.namespaces.from: Same, the default)`
          : 'Routes of namespaces matching its selector';
      return `listener ${l.name} admits ${from}, and ${route.namespace} is not one${namespaces.has(route.namespace) || l.allowedFrom === 'Same' ? '' : ' (its labels are not in the files)'}`;
    })
    .join('; ');
}
