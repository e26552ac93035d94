// Server layer: hovers — concise markdown answers read from the model snapshot, each with the rule behind it.
// May import the model and LSP types; must not import vscode. Computes nothing the model does not already know:
// it picks the facts for what is under the cursor and formats them.
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import {
  describeSelector,
  matches,
  policiesSelecting,
  RUN_TO_COMPLETION,
  servicesSelecting,
  type IngressInfo,
  type JsonMap,
  type Model,
  type NetworkPolicyInfo,
  type PodInfo,
  type ServiceInfo,
  type LabelSelector,
  type Span,
  isWorkloadKind,
  podsOfPeer,
  ingressClassFacts,
  labelsOf,
  metadata,
} from '../model/index';
import type { Snapshot } from '../workspace';
import { canonicalUri } from '../workspace';
import { toOffset, toRange } from './convert';
import { capHover, clip, code, escapeMarkdown, plural } from './markdown';
import { locate, nsName, pathPattern, type Located } from './locate';
import { linkRuleIds } from './ruleLinks';
import { gatewayApiHover } from './hover-gateway';
import { ingressById } from './by-id';
import { environmentsHover, patchHover } from './environments';
import {
  endpointAddressHover,
  endpointObjectHover,
  externalIpHover,
  ingressClassHover,
  ipBlockLine,
  loadBalancerIpHover,
  onKindLine,
  policySummary,
  serviceOfSlice,
} from './hover-objects';

export { code };

export function hover(snap: Snapshot, p: HoverParams): Hover | null {
  const uri = canonicalUri(p.textDocument.uri);
  const offset = toOffset(snap, uri, p.position);
  const loc = locate(snap, uri, offset);
  if (!loc) {
    // IN-1: in a kustomize patch file, the field the line sets as each root renders it.
    const patched = patchHover(snap, uri, offset);
    return patched
      ? { contents: { kind: MarkupKind.Markdown, value: capHover(linkRuleIds(patched.markdown)) }, range: toRange(snap, uri, patched.span) }
      : null;
  }
  // IN-1: in a base file, the same object as every root renders it.
  const parts = [answer(snap.model, loc), environmentsHover(snap, loc)].filter((x): x is string => !!x);
  if (parts.length === 0) return null;
  const text = parts.join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value: capHover(linkRuleIds(text)) }, range: toRange(snap, uri, loc.span) };
}

function answer(m: Model, loc: Located): string | undefined {
  const { resource: r } = loc;
  const pat = pathPattern(loc.path);
  const id = nsName(r);
  if (r.kind === 'Service') {
    const svc = m.index.serviceById.get(id);
    if (!svc) return undefined;
    if (pat === 'metadata.name' || pat === 'metadata' || pat === 'kind') return serviceHover(m, svc);
    if (pat.startsWith('spec.selector'))
      return selectorHover(m, r.namespace, { matchLabels: svc.selector ?? {}, matchExpressions: [] }, 'This Service selects', 'SVC-1');
    if (/^spec\.ports\.\*\.targetPort$/.test(pat) || /^spec\.ports\.\*\.port$/.test(pat) || /^spec\.ports\.\*\.name$/.test(pat)) {
      const port = svc.ports[Number(loc.path[2])];
      return port ? servicePortHover(svc, port.name, port.port, port.targetPort, port.protocol) : undefined;
    }
    if (/^spec\.ports\.\*\.nodePort$/.test(pat)) {
      const port = svc.ports[Number(loc.path[2])];
      const problems = problemsAt(m, r.file, loc.span, /^nodeport-/);
      if (!port?.nodePort) return problems.length ? problems.join('\n\n') : undefined;
      return [nodePortHover(m, svc, port.nodePort, port.port), ...problems].join('\n\n');
    }
    if (pat === 'spec.clusterIP' || pat.startsWith('spec.clusterIPs'))
      return [clusterIpHover(m, svc), ...problemsAt(m, r.file, loc.span, /^clusterip-/)].join('\n\n');
    if (pat === 'spec.externalName') return externalNameHover(svc);
    if (pat === 'spec.loadBalancerIP') return [loadBalancerIpHover(svc), ...problemsAt(m, r.file, loc.span, /./)].join('\n\n');
    if (/^spec\.externalIPs\.\*$/.test(pat) && typeof loc.value === 'string')
      return [externalIpHover(m, svc, loc.value), ...problemsAt(m, r.file, loc.span, /./)].join('\n\n');
    return undefined;
  }
  if (r.kind === 'EndpointSlice' || r.kind === 'Endpoints') return endpointObjectAnswer(m, loc);
  if (r.apiVersion.startsWith('gateway.networking.k8s.io/')) return gatewayApiHover(m, loc); // GW-*
  if (r.kind === 'IngressClass' && (onKindLine(loc) || pat === 'metadata.name' || pat === 'spec.controller')) {
    const { controller, isDefault } = ingressClassFacts(r);
    return ingressClassHover(m, r.name, controller, isDefault);
  }
  if (isWorkloadKind(r.kind)) {
    const pods = m.index.podsByOwner.get(r.id) ?? [];
    if (pat === 'metadata.name' || onKindLine(loc)) return workloadHover(m, r.id, r.kind, pods);
    if (/(^|\.)labels(\.|$)|matchLabels/.test(pat) && !pat.includes('Affinity')) return labelsHover(m, pods);
    if (/containers\.\*\.ports\.\*\.(name|containerPort)$/.test(pat)) return containerPortHover(m, pods, loc);
    if (/ports\.\*\.hostPort$/.test(pat)) return hostPortHover(pods, loc.value);
    return undefined;
  }
  if (r.kind === 'Ingress') {
    const ing = ingressById(m, id);
    if (!ing) return undefined;
    return ingressHover(m, ing, loc);
  }
  if (r.kind === 'NetworkPolicy') {
    const np = m.networkPolicies.find((n) => n.id === id);
    if (!np) return undefined;
    return policyHover(m, np, loc);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

function podLine(p: PodInfo): string {
  return `${code(p.id)} ${p.ip ? code(p.ip) : '*no IP*'} @${p.node ? code(p.node) : '*unscheduled*'}${p.ready ? '' : ' *(not ready)*'}`;
}

function list(items: string[], max = 8): string {
  const shown = items.slice(0, max).map((i) => `- ${i}`);
  if (items.length > max) shown.push(`- … ${items.length - max} more`);
  return shown.join('\n');
}

export function serviceHover(m: Model, svc: ServiceInfo): string {
  const lines: string[] = [];
  // Each fact its own paragraph: markdown would run consecutive lines together.
  const ip =
    svc.type === 'ExternalName'
      ? `CNAME → ${code(svc.externalName ?? '?')} — no ClusterIP, no proxying (SVC-5)`
      : `ClusterIP ${svc.clusterIP ? code(svc.clusterIP) : '*none* — headless: DNS returns the pod IPs'} (IP-4)`;
  lines.push(`**Service ${code(svc.id)}** · type ${escapeMarkdown(svc.type)}${svc.headless ? ' (headless)' : ''}`, '', ip);
  const dom = m.profile.clusterDomain;
  const fqdn = svc.dns[0] ?? `${svc.name}.${svc.namespace}.svc.${dom}`;
  lines.push('', `**DNS** ${code(fqdn)} (DNS-1)`);
  lines.push(`- ${code(svc.name)} — from pods in namespace ${code(svc.namespace)} (search path)`);
  lines.push(`- ${code(`${svc.name}.${svc.namespace}`)}, ${code(`${svc.name}.${svc.namespace}.svc`)} — from any namespace`);
  if (svc.ports.length) {
    lines.push('', '**Ports** (SVC-2)');
    for (const p of svc.ports) {
      const eps = svc.endpoints.map((e) => {
        const ep = e.ports.find((x) => x.name === p.name && x.protocol === p.protocol) ?? e.ports[0];
        return `${code(`${e.ip}:${ep?.port ?? '?'}`)}${e.pod ? ` ${code(e.pod)}` : ''} @${e.node ? code(e.node) : '—'}${e.ready ? '' : ' *(not ready)*'}`;
      });
      const head = `${code(`${p.port}/${p.protocol}`)}${p.name ? ` (${code(p.name)})` : ''} → targetPort ${code(p.targetPort)}${p.nodePort ? ` · nodePort ${code(p.nodePort)}` : ''}`;
      lines.push(`- ${head}${eps.length ? '' : ' → *no endpoints*'}`);
      for (const e of eps.slice(0, 6)) lines.push(`  - → ${e}`);
      if (eps.length > 6) lines.push(`  - … ${eps.length - 6} more`);
    }
  }
  const nodePorts = svc.ports.filter((p) => p.nodePort);
  if (nodePorts.length) {
    lines.push('', `**NodePort** on every node (SVC-3): ${m.nodes.map((n) => code(`${n.internalIP}:${nodePorts[0]?.nodePort}`)).join(', ')}`);
  }
  if (svc.type === 'LoadBalancer')
    lines.push(
      '',
      `**LoadBalancer** IP ${svc.loadBalancerIP ? code(svc.loadBalancerIP) : `*<pending>*${svc.requestedLoadBalancerIP ? ` (asks for ${code(svc.requestedLoadBalancerIP)})` : ''}: no LB implementation in the cluster profile (SVC-4)`}`,
    );
  if (svc.externalIPs.length) lines.push('', `**externalIPs** ${svc.externalIPs.map(code).join(', ')} — answered by kube-proxy on every node`);
  if (svc.externalTrafficPolicy === 'Local' && svc.type !== 'ClusterIP')
    lines.push('', '`externalTrafficPolicy: Local` — client IP kept; nodes without a local endpoint drop (TR-5)');
  if (svc.internalTrafficPolicy === 'Local') lines.push('', '`internalTrafficPolicy: Local` — pods only reach endpoints on their own node');
  const env = Object.entries(svc.env);
  if (env.length) {
    lines.push(
      '',
      `**Env** in pods of ${code(svc.namespace)} started after it (DNS-5): ${env
        .slice(0, 3)
        .map(([k, v]) => code(`${k}=${v}`))
        .join(', ')}${env.length > 3 ? ', …' : ''}`,
    );
  }
  return lines.join('\n');
}

function servicePortHover(svc: ServiceInfo, name: string, port: number, targetPort: number | string, protocol: string): string {
  const lines = [
    `**${code(`${svc.name}:${port}/${protocol}`)}** → targetPort ${code(targetPort)}${typeof targetPort === 'string' ? ' (a container port *name*, resolved per pod)' : ''} (SVC-2)`,
  ];
  const eps = svc.endpoints.map((e) => {
    const ep = e.ports.find((x) => x.name === name && x.protocol === protocol) ?? e.ports[0];
    return `${code(`${e.ip}:${ep?.port ?? '?'}`)}${e.pod ? ` ${code(e.pod)}` : ''} @${e.node ? code(e.node) : '—'}`;
  });
  lines.push(eps.length ? list(eps) : '*No endpoint*: no ready pod matches the selector, or none has this port.');
  return lines.join('\n\n');
}

/**
 * The model's allocation problems on the value under the cursor. VS Code shows the diagnostic in the
 * same widget, but the hover is what says which address or port the cluster really uses, so it
 * repeats why the written one is refused.
 */
function problemsAt(m: Model, file: string, span: Span, codes: RegExp): string[] {
  return m.diagnostics
    .filter((d) => d.file === file && codes.test(d.code) && d.span.start <= span.end && d.span.end >= span.start)
    .map(
      (d) =>
        `**${d.severity === 'error' ? 'Refused by the API server' : 'Warning'}** (${code(d.code)}${d.rule ? `, ${d.rule}` : ''}): ${escapeMarkdown(clip(d.message, 2000))}`,
    );
}

function nodePortHover(m: Model, svc: ServiceInfo, nodePort: number, port: number): string {
  return [
    `**nodePort ${code(nodePort)}** → ${code(`${svc.name}:${port}`)} (SVC-3)`,
    `Open on every node: ${m.nodes
      .slice(0, 8)
      .map((n) => code(`${n.internalIP}:${nodePort}`))
      .join(', ')}${m.nodes.length > 8 ? `, … ${m.nodes.length - 8} more` : ''}`,
    `Range ${m.profile.nodePortRange.min}-${m.profile.nodePortRange.max}`,
    ...(m.nodes.some((n) => n.assumed) ? [ASSUMED_NODES] : []),
  ].join('\n\n');
}

/** CL-5: what a hover says when the nodes it names were assumed, and how to declare the real ones. */
const ASSUMED_NODES =
  "*Nodes assumed* (CL-5): the workspace declares none, so the model assumes the seed's node1/node2, more as the pods need, and nodes the pods ask for by name or label; capacity is not checked against them. Declare the real nodes under `nodes:` in `netpath.cluster.yaml` (or with `kind: Node`) to see where pods really run.";

function assumedNodesNote(m: Model, pods: PodInfo[]): string | undefined {
  const on = pods.some((p) => p.node && m.index.nodeByName.get(p.node)?.assumed) || (pods.some((p) => !p.node) && m.nodes.some((n) => n.assumed));
  return on ? ASSUMED_NODES : undefined;
}

function clusterIpHover(m: Model, svc: ServiceInfo): string {
  return [
    `**clusterIP ${svc.clusterIP ? code(svc.clusterIP) : '*None*'}** of ${code(svc.id)}`,
    `From serviceCIDR ${code(m.profile.serviceCIDR)} (IP-4); only kube-proxy answers it — not pingable, no interface holds it.`,
  ].join('\n\n');
}

function externalNameHover(svc: ServiceInfo): string {
  return `**ExternalName** — DNS answers ${code(`${svc.dns[0] ?? svc.name}`)} with a CNAME to ${code(svc.externalName ?? '?')}; no proxying, no port mapping (SVC-5).`;
}

function workloadHover(m: Model, ownerId: string, kind: string, pods: PodInfo[]): string {
  const lines = [`**${kind} ${code(ownerId.split('/').slice(1).join('/'))}** · ${pods.length} pod${pods.length === 1 ? '' : 's'} (WL-1)`];
  if (RUN_TO_COMPLETION.has(kind))
    lines.push(
      `*Runs to completion* (WL-1): ${kind === 'CronJob' ? "each scheduled Job's" : 'its'} pods exist only while they run, then exit; they are clients, not servers to rely on.`,
    );
  if (pods.length) lines.push(list(pods.map(podLine)));
  const assumed = assumedNodesNote(m, pods);
  if (assumed) lines.push(assumed);
  const svcs = servicesSelecting(m, pods);
  const pols = policiesSelecting(m, pods);
  lines.push(`Selected by Services: ${svcs.length ? svcs.map((s) => code(s.id)).join(', ') : '*none*'}`);
  lines.push(
    `NetworkPolicies: ${pols.length ? pols.map((n) => `${code(n.id)} (${n.policyTypes.join('+')})`).join(', ') : '*none — all traffic allowed* (NP-1)'}`,
  );
  return lines.join('\n\n');
}

function labelsHover(m: Model, pods: PodInfo[]): string | undefined {
  if (pods.length === 0) return undefined;
  const svcs = servicesSelecting(m, pods);
  const pols = policiesSelecting(m, pods);
  return [
    `**Labels** of ${pods.length} pod${pods.length === 1 ? '' : 's'}`,
    `Services selecting them: ${svcs.length ? svcs.map((s) => code(s.id)).join(', ') : '*none*'}`,
    `NetworkPolicies selecting them: ${pols.length ? pols.map((n) => code(n.id)).join(', ') : '*none*'}`,
  ].join('\n\n');
}

function selectorHover(m: Model, namespace: string, sel: LabelSelector, what: string, rule: string, allNamespaces = false): string {
  const pods = m.pods.filter((p) => (allNamespaces || p.namespace === namespace) && matches(p.labels, sel));
  const head = `**${what}** ${code(describeSelector(sel) || '{}')} in ${allNamespaces ? 'every namespace' : code(namespace)} → ${pods.length} pod${pods.length === 1 ? '' : 's'} (${rule})`;
  if (pods.length) return `${head}\n\n${list(pods.map(podLine))}`;
  // Why none: the nearest miss, so the user sees which label differs.
  const inNs = m.pods.filter((p) => allNamespaces || p.namespace === namespace);
  const near = inNs
    .map((p) => ({ p, miss: Object.entries(sel.matchLabels).filter(([k, v]) => p.labels[k] !== v) }))
    .sort((a, b) => a.miss.length - b.miss.length)[0];
  const why = near
    ? `Nearest: ${code(near.p.id)} has ${near.miss.map(([k]) => code(`${k}=${near.p.labels[k] ?? '(unset)'}`)).join(', ')}`
    : `No pod in ${code(namespace)} at all.`;
  return `${head}\n\n${why}`;
}

function containerPortHover(m: Model, pods: PodInfo[], loc: Located): string | undefined {
  const portMap = loc.containers[loc.containers.length - 1] as JsonMap | undefined;
  const name = typeof portMap?.name === 'string' ? portMap.name : undefined;
  const num = typeof portMap?.containerPort === 'number' ? portMap.containerPort : undefined;
  const pod = pods[0];
  if (!pod) return undefined;
  const users = m.services.filter(
    (s) =>
      s.selector &&
      s.namespace === pod.namespace &&
      matches(pod.labels, { matchLabels: s.selector, matchExpressions: [] }) &&
      s.ports.some((p) => p.targetPort === name || p.targetPort === num),
  );
  const lines = [`**Container port** ${name ? code(name) : ''} ${num !== undefined ? code(num) : ''}`.trim()];
  lines.push(users.length ? `Target of ${users.map((s) => code(s.id)).join(', ')} (SVC-2)` : '*No Service targets this port.*');
  const ips = pods.filter((p) => p.ip).map((p) => code(`${p.ip}:${num ?? '?'}`));
  if (ips.length) lines.push(`Listening at ${ips.slice(0, 6).join(', ')}${ips.length > 6 ? ', …' : ''}`);
  return lines.join('\n\n');
}

function hostPortHover(pods: PodInfo[], value: unknown): string {
  const nodes = pods.filter((p) => p.node);
  return `**hostPort ${code(String(value))}** — bound on the node's IP (TR-7): ${nodes.map((p) => code(`${p.node}:${String(value)}`)).join(', ') || '*no scheduled pod*'}`;
}

function ingressHover(m: Model, ing: IngressInfo, loc: Located): string | undefined {
  if (onKindLine(loc) || pathPattern(loc.path) === 'metadata.name') {
    const hosts = [...new Set(ing.rules.map((r) => r.host || '*'))];
    return `**Ingress ${code(ing.id)}**${ing.className ? ` · class ${code(ing.className)}` : ''} · ${ing.rules.length} path rule${ing.rules.length === 1 ? '' : 's'} for ${hosts.slice(0, 6).map(code).join(', ')}${hosts.length > 6 ? ', …' : ''} (ING-1)`;
  }
  const ruleIdx = loc.path[0] === 'spec' && loc.path[1] === 'rules' ? Number(loc.path[2]) : undefined;
  const pathIdx = loc.path[3] === 'http' && loc.path[4] === 'paths' ? Number(loc.path[5]) : undefined;
  const rules = ing.rules.filter((r) => (ruleIdx === undefined || r.ruleIndex === ruleIdx) && (pathIdx === undefined || r.pathIndex === pathIdx));
  if (!rules.length) return undefined;
  const lines = [`**Ingress ${code(ing.id)}**${ing.className ? ` · class ${code(ing.className)}` : ''} (ING-1..3)`];
  for (const r of rules.slice(0, 8)) {
    const url = `http://${r.host || '*'}${r.path || '/'}`;
    const svc = r.backend.service ? m.index.serviceById.get(r.backend.service) : undefined;
    lines.push(
      `- ${code(url)} (${escapeMarkdown(String(r.pathType))}) → ${code(r.backend.display)}${svc ? ` — ClusterIP ${code(svc.clusterIP ?? 'None')}, ${svc.endpoints.length} endpoint(s)` : r.backend.service ? ' — *Service not found*' : ''}`,
    );
    const longer = ing.rules.filter((o) => o !== r && o.host === r.host && o.path.startsWith(r.path) && o.path.length > r.path.length);
    if (longer.length) lines.push(`  - shadowed for ${longer.map((o) => code(o.path)).join(', ')} (longest path wins, ING-2)`);
  }
  return lines.join('\n');
}

function policyHover(m: Model, np: NetworkPolicyInfo, loc: Located): string | undefined {
  const pat = pathPattern(loc.path);
  const selected = () => np.selects.map((id) => m.index.podById.get(id)).filter((p): p is PodInfo => !!p);
  if (pat === 'metadata.name' || onKindLine(loc)) {
    const pods = selected();
    return [...policySummary(np, pods), pods.length ? list(pods.map(podLine)) : ''].filter(Boolean).join('\n\n');
  }
  if (pat.startsWith('spec.podSelector')) {
    const pods = selected();
    return [
      `**NetworkPolicy ${code(np.id)}** · ${np.policyTypes.join(' + ')} (NP-2)`,
      `Selects ${plural(pods.length, 'pod')}${pods.length ? ':' : ' — it has no effect'}`,
      pods.length ? list(pods.map(podLine)) : '',
    ]
      .filter(Boolean)
      .join('\n\n');
  }
  const dir = loc.path[1] === 'ingress' ? 'ingress' : loc.path[1] === 'egress' ? 'egress' : undefined;
  if (!dir) return undefined;
  const rule = np[dir][Number(loc.path[2])];
  if (!rule) return undefined;
  const peerIdx = loc.path[3] === 'from' || loc.path[3] === 'to' ? Number(loc.path[4]) : undefined;
  const peers = rule.peers === null ? null : peerIdx !== undefined ? rule.peers.slice(peerIdx, peerIdx + 1) : rule.peers;
  if (peers === null) return `**${dir} rule**: any peer (NP-2)`;
  const lines = [`**${dir === 'ingress' ? 'Allowed from' : 'Allowed to'}** (NP-3)`];
  for (const peer of peers) {
    if (peer.ipBlock) {
      lines.push(ipBlockLine(m, peer.ipBlock));
      continue;
    }
    const pods = podsOfPeer(m, np, peer);
    const desc = [
      peer.namespaceSelector ? `namespaces ${code(describeSelector(peer.namespaceSelector) || 'all')}` : '',
      peer.podSelector ? `pods ${code(describeSelector(peer.podSelector) || 'all')}` : '',
    ]
      .filter(Boolean)
      .join(' × ');
    lines.push(
      `- ${desc || 'pods'} → ${pods.length} pod(s)${
        pods.length
          ? ': ' +
            pods
              .slice(0, 5)
              .map((p) => code(p.id))
              .join(', ') +
            (pods.length > 5 ? ', …' : '')
          : ''
      }`,
    );
  }
  return lines.join('\n');
}

/** EndpointSlice and Endpoints written by hand: the Service each feeds, and each address's pod or node (EP-2). */
function endpointObjectAnswer(m: Model, loc: Located): string | undefined {
  const r = loc.resource;
  const pat = pathPattern(loc.path);
  const svc = r.kind === 'EndpointSlice' ? serviceOfSlice(m, r.namespace, labelsOf(metadata(r).labels)) : m.index.serviceById.get(nsName(r));
  if (onKindLine(loc) || pat === 'metadata.name') return endpointObjectHover(svc, r.kind, nsName(r));
  if (typeof loc.value !== 'string') return undefined;
  if (r.kind === 'EndpointSlice' && /^endpoints\.\*\.addresses\.\*$/.test(pat)) return endpointAddressHover(m, svc, loc.value, 'Endpoint address');
  if (r.kind === 'Endpoints' && /^subsets\.\*\.(addresses|notReadyAddresses)\.\*\.ip$/.test(pat)) {
    return endpointAddressHover(m, svc, loc.value, loc.path[2] === 'notReadyAddresses' ? 'Not-ready address' : 'Address');
  }
  return undefined;
}
