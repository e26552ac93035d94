// Model layer (pure): diagnostics about what a Service's endpoints will be (EP-1, EP-4, SVC-2). Must not import vscode, LSP, node:* or fs.
import type { EndpointPort, PodInfo, Resource, ServiceInfo, ServicePortInfo, TextEdit } from '../types';
import { mayCreatePods } from '../input/operated-kinds';
import { shadowedSentence } from '../build/shadowed-duplicates';
import { Fields, isMap, keySpan, nameSpan, valueSpan } from '../core/typed-fields';
import type { PodIndex } from '../build/pod-index';
import type { SliceOrigin } from './endpoint-slices';

/** What a client sees when a Service has no endpoints: kube-proxy installs a REJECT rule for it. */
function noEndpointsEffect(svc: ServiceInfo): string {
  if (svc.headless) return `the headless name ${svc.name}.${svc.namespace} answers NXDOMAIN`;
  const port = svc.ports[0];
  return `connections to ${svc.clusterIP ?? 'the ClusterIP'}${port ? `:${port.port}` : ''} are refused (kube-proxy rejects traffic to a Service without endpoints) while its DNS name still resolves`;
}

/** EP-1: a selector that matches no pod, with the pods that nearly match. */
export function reportSelectsNothing(
  svc: ServiceInfo,
  index: PodIndex,
  out: Fields,
  custom: readonly Resource[] = [],
  shadowed: { sources: readonly Resource[]; kept: ReadonlyMap<string, Resource> } = { sources: [], kept: new Map() },
): void {
  const res = svc.source!;
  const spec = isMap(res.body.spec) ? res.body.spec : undefined;
  const selector = svc.selector!;
  const shown = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const near = index.nearMisses(svc.namespace, selector);
  const hint = near.length ? ` Near misses: ${near.map((n) => `pod ${n.pod.id} ${n.why}`).join('; ')}.` : '';
  const at = spec ? valueSpan(res, spec, 'selector') : nameSpan(res);
  if (shadowed.sources.length) {
    // IN-5: a set-aside duplicate (an alternative layout in another folder) carries the pods it is written for.
    out.report(
      'service-selects-no-pods',
      'info',
      `Selector ${shown} matches no pod the model holds in namespace ${svc.namespace}. ${shadowedSentence(shadowed.sources, shadowed.kept)}`,
      at,
      'IN-5',
    );
    return;
  }
  if (custom.length) {
    // IN-6: an operator may make the pods from those objects; say what is known, not that the Service is dead.
    out.report(
      'service-selects-no-pods',
      'info',
      `Selector ${shown} matches no pod written in namespace ${svc.namespace}. ${mayCreatePods(custom)} Without such pods: ${noEndpointsEffect(svc)}.`,
      at,
      'IN-6',
    );
    return;
  }
  out.report(
    'service-selects-no-pods',
    'warning',
    `Selector ${shown} matches no pod in namespace ${svc.namespace}, so the Service has no endpoints: ${noEndpointsEffect(svc)}.${hint}`,
    at,
    'EP-1',
  );
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/**
 * SVC-2: a named targetPort that no selected pod has (with the port's protocol). The quick fix offers
 * an existing name when one is obviously meant: close in spelling, or the only name on the same number.
 */
export function reportUnresolvedTargetPort(svc: ServiceInfo, sp: ServicePortInfo, pods: readonly PodInfo[], out: Fields): void {
  const res = svc.source!;
  const name = sp.targetPort as string;
  const same: { name: string; port: number }[] = [];
  const otherProto: string[] = [];
  for (const p of pods)
    for (const c of p.containers)
      for (const cp of c.ports) {
        if (!cp.name) continue;
        if (cp.protocol === sp.protocol) {
          if (!same.some((s) => s.name === cp.name)) same.push({ name: cp.name, port: cp.containerPort });
        } else if (cp.name === name) otherProto.push(cp.protocol);
      }
  const close = same.filter((s) => editDistance(s.name, name) <= 2 || s.name.toLowerCase() === name.toLowerCase());
  const byNumber = same.filter((s) => s.port === sp.port);
  const pick = close.length === 1 ? close[0] : byNumber.length === 1 ? byNumber[0] : undefined;
  const span = sp.source ? valueSpan(res, sp.source, 'targetPort') : nameSpan(res);
  const fixes = pick
    ? [{ title: `Use container port "${pick.name}" (${pick.port})`, edits: [{ file: res.file, span, newText: pick.name } satisfies TextEdit] }]
    : undefined;
  const proto = otherProto.length ? ` (some pods name a ${otherProto[0]} port "${name}", but the Service port is ${sp.protocol})` : '';
  const known = same.length ? ` Named ${sp.protocol} ports on the selected pods: ${same.map((s) => `${s.name} (${s.port})`).join(', ')}.` : '';
  out.report(
    'service-targetport-unresolved',
    'warning',
    `No selected pod has a container port named "${name}" with protocol ${sp.protocol}${proto}, so port ${sp.port} has no endpoint: connections to ${svc.clusterIP ?? svc.name}:${sp.port} are refused.${known}`,
    span,
    'SVC-2',
    fixes,
  );
}

/**
 * EP-4: kube-proxy pairs a Service port with a slice port by name *and* protocol (no protocol = TCP);
 * one that finds no partner carries no traffic to this slice's endpoints.
 */
export function reportPortMismatch(svc: ServiceInfo, o: SliceOrigin, reported: Set<string>): void {
  if (svc.ports.length === 0) return;
  const kind = o.res.kind === 'Endpoints' ? 'Endpoints subset (mirrored into an EndpointSlice)' : 'EndpointSlice';
  for (const sp of svc.ports) {
    if (o.slice.ports.some((p) => p.name === sp.name && p.protocol === sp.protocol)) continue;
    const key = `${o.res.id}|${sp.name}/${sp.protocol}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const label = sp.name ? `"${sp.name}" ` : '';
    const effect = `kube-proxy pairs ports by name and protocol, so no traffic for ${svc.name}:${sp.port}/${sp.protocol} reaches these endpoints.`;
    if (o.slice.ports.length === 0) {
      o.f.report(
        'endpointslice-port-mismatch',
        'warning',
        `This ${kind} lists no ports, so Service ${svc.id} port ${label}(${sp.port}/${sp.protocol}) has no partner here: ${effect}`,
        keySpan(o.res, o.portsOwner, 'ports'),
        'EP-4',
      );
      continue;
    }
    // The port most likely meant: same name (protocol differs), else same number, else the only one.
    const i = pickPartner(o.slice.ports, sp);
    const p = o.slice.ports[i]!;
    const map = o.portMaps[i]!;
    const has = `${p.name ? `"${p.name}" ` : 'an unnamed port '}${p.port}/${p.protocol}${map.protocol === undefined ? ' (no protocol means TCP)' : ''}`;
    let fixes;
    if (p.protocol === sp.protocol && p.name !== sp.name && map.name !== undefined && sp.name !== '') {
      fixes = [{ title: `Rename the port to "${sp.name}"`, edits: [{ file: o.res.file, span: valueSpan(o.res, map, 'name'), newText: sp.name }] }];
    }
    const span =
      map.name !== undefined && p.name !== sp.name
        ? valueSpan(o.res, map, 'name')
        : map.protocol !== undefined
          ? valueSpan(o.res, map, 'protocol')
          : (o.res.spans.whole(map) ?? keySpan(o.res, o.portsOwner, 'ports'));
    o.f.report(
      'endpointslice-port-mismatch',
      'warning',
      `Service ${svc.id} port ${label}(${sp.port}/${sp.protocol}) has no port with the same name and protocol in this ${kind}, which has ${has}: ${effect}`,
      span,
      'EP-4',
      fixes,
    );
  }
}

function pickPartner(ports: readonly EndpointPort[], sp: ServicePortInfo): number {
  const byName = ports.findIndex((p) => p.name === sp.name);
  if (byName >= 0) return byName;
  const byNumber = ports.findIndex((p) => p.port === (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port) || p.port === sp.port);
  return byNumber >= 0 ? byNumber : 0;
}
