// Server layer: hovers on the fields users look at and found nothing on — load-balancer and external IPs,
// hand-written EndpointSlices and Endpoints, the `kind:` line, ipBlock peers and a NetworkPolicy's name.
// May import the model and LSP types; must not import vscode. Formats what the model already knows.
import {
  describeSelector,
  ipBlockContains,
  type Model,
  type NetworkPolicyInfo,
  type PodInfo,
  type PolicyPeer,
  type PolicyRule,
  type ServiceInfo,
} from '../model/index';
import { code, escapeMarkdown, plural } from './markdown';
import type { Located } from './locate';

function shortList(items: string[], max = 6): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, … ${items.length - max} more`;
}

/** `spec.loadBalancerIP`: asked for, and whether anything in the cluster can give it (SVC-4). */
export function loadBalancerIpHover(svc: ServiceInfo): string {
  const asked = svc.requestedLoadBalancerIP;
  const head = `**loadBalancerIP ${asked ? code(asked) : '*(empty)*'}** of ${code(svc.id)}`;
  if (svc.type !== 'LoadBalancer') return `${head}\n\nIgnored: only a Service of type LoadBalancer gets a load-balancer address (SVC-4).`;
  if (svc.loadBalancerIP) {
    const ports = svc.ports.map((p) => code(`${svc.loadBalancerIP}:${p.port}/${p.protocol}`));
    return `${head}\n\nAssigned by the profile's load-balancer implementation: ${shortList(ports)} → the Service's endpoints (SVC-4).`;
  }
  return `${head}\n\n*<pending>*: no load-balancer implementation in the cluster profile gives it out, so \`kubectl get svc\` shows EXTERNAL-IP \`<pending>\` (SVC-4). Declare one under \`loadBalancer:\` in \`netpath.cluster.yaml\`.`;
}

/** `spec.externalIPs[i]`: kube-proxy answers it on every node; the network must bring packets there (SVC-6). */
export function externalIpHover(m: Model, svc: ServiceInfo, ip: string): string {
  const ports = svc.ports.map((p) => code(`${ip}:${p.port}/${p.protocol}`));
  const node = m.nodes.find((n) => n.internalIP === ip);
  return [
    `**externalIP ${code(ip)}** of ${code(svc.id)}`,
    `kube-proxy on every node (${plural(m.nodes.length, 'node')}) forwards ${ports.length ? shortList(ports) : '*no port*'} to the Service's ${plural(svc.endpoints.length, 'endpoint')} (SVC-6).`,
    node
      ? `It is ${code(node.name)}'s own address.`
      : 'The cluster does not own this address: packets reach a node only through a route or ARP that your network provides (SVC-6).',
  ].join('\n\n');
}

/** The Service a hand-written EndpointSlice feeds: the one named by its `kubernetes.io/service-name` label (EP-2). */
export function serviceOfSlice(m: Model, namespace: string, labels: Record<string, string>): ServiceInfo | undefined {
  const name = labels['kubernetes.io/service-name'];
  return name === undefined ? undefined : m.index.serviceById.get(`${namespace}/${name}`);
}

/** An address in a hand-written EndpointSlice or Endpoints: which pod or node holds it, and what uses it (EP-2, EP-4). */
export function endpointAddressHover(m: Model, svc: ServiceInfo | undefined, ip: string, what: string): string {
  const lines = [`**${what} ${code(ip)}**`];
  const pod = m.index.podByIp.get(ip);
  const node = m.nodes.find((n) => n.internalIP === ip);
  if (pod) lines.push(`Pod ${code(pod.id)} @${pod.node ? code(pod.node) : '*unscheduled*'} has this IP.`);
  else if (node) lines.push(`The address of node ${code(node.name)}.`);
  else lines.push('No pod or node of the manifests has this address: traffic leaves for it as the address says (EP-2).');
  if (!svc)
    lines.push(
      "*No Service of this namespace uses it*: an EndpointSlice joins a Service through its `kubernetes.io/service-name` label, Endpoints through having the Service's name (EP-2).",
    );
  else {
    // svc.endpoints is kube-proxy's view, ready endpoints only; a not-ready one is only in the slices.
    const ep = svc.endpoints.find((e) => e.ip === ip);
    const notReady = !ep && svc.endpointSlices.some((sl) => sl.endpoints.some((e) => !e.ready && e.addresses.includes(ip)));
    lines.push(
      ep
        ? `An endpoint of ${code(svc.id)}: ${shortList(ep.ports.map((p) => code(`${ip}:${p.port}/${p.protocol}`)))} (EP-4).`
        : notReady
          ? `An endpoint of ${code(svc.id)} — *not ready*: it gets no traffic and no DNS answer (EP-1).`
          : `Not an endpoint of ${code(svc.id)} in the model: see the diagnostics on this object (EP-2, EP-4).`,
    );
  }
  return lines.join('\n\n');
}

/** A hand-written EndpointSlice's or Endpoints' `kind:`/name line: the Service it feeds, and what it adds. */
export function endpointObjectHover(svc: ServiceInfo | undefined, kind: string, id: string): string {
  const head = `**${kind} ${code(id)}**`;
  if (!svc) return `${head}\n\n*Feeds no Service*: no Service of this name in the namespace (EP-2).`;
  const selectorNote = svc.selector
    ? ' The Service has a selector, so its own controller-made slices list its pods; a hand-written one adds to them (EP-2).'
    : '';
  return `${head} → Service ${code(svc.id)} · ${plural(svc.endpoints.length, 'endpoint')} in all (EP-2).${selectorNote}`;
}

/** `CIDR 10.0.0.0/8 except 10.1.0.0/16`, as both the ipBlock line and the policy summary say it. */
function cidrText(block: { cidr: string; except: string[] }): string {
  return `CIDR ${code(block.cidr)}${block.except.length ? ` except ${block.except.map(code).join(', ')}` : ''}`;
}

/** ipBlock peers: which pods and nodes of the model fall inside, after `except` (NP-3, NP-6). */
export function ipBlockLine(m: Model, block: { cidr: string; except: string[] }): string {
  const pods = m.pods.filter((p) => p.ip !== null && !p.hostNetwork && ipBlockContains(block, p.ip));
  const nodes = m.nodes.filter((n) => ipBlockContains(block, n.internalIP));
  const inside = [
    pods.length
      ? `${plural(pods.length, 'pod')} (${shortList(
          pods.map((p) => code(p.id)),
          4,
        )})`
      : '',
    nodes.length
      ? `${plural(nodes.length, 'node')} (${shortList(
          nodes.map((n) => code(`${n.name} ${n.internalIP}`)),
          4,
        )})`
      : '',
  ].filter(Boolean);
  return `- ${cidrText(block)} → ${inside.length ? `holds ${inside.join(' and ')}` : 'no pod or node of the manifests; addresses outside the cluster'} (NP-3)`;
}

/** A NetworkPolicy's name: what it isolates, then what its rules let in and out (NP-1..4). */
export function policySummary(np: NetworkPolicyInfo, pods: PodInfo[]): string[] {
  const lines = [`**NetworkPolicy ${code(np.id)}** · ${np.policyTypes.join(' + ')} (NP-2)`];
  lines.push(`Selects ${plural(pods.length, 'pod')}${pods.length ? '' : ' — it has no effect'}.`);
  for (const type of np.policyTypes) {
    const rules = type === 'Ingress' ? np.ingress : np.egress;
    const dir = type === 'Ingress' ? 'Ingress' : 'Egress';
    if (rules.length === 0) {
      lines.push(
        `**${dir}**: denies all — no rule admits anything ${type === 'Ingress' ? 'into' : 'out of'} the selected pods, unless another policy does (NP-1).`,
      );
      continue;
    }
    lines.push(`**${dir}** allows ${rules.map((r) => ruleSummary(r)).join('; ')}; denies the rest unless another policy admits it (NP-1).`);
  }
  return lines;
}

function ruleSummary(rule: PolicyRule): string {
  const who = rule.peers === null ? 'any peer' : rule.peers.map((p) => peerSummary(p)).join(' or ');
  const ports =
    rule.ports === null
      ? 'every port'
      : rule.ports.map((p) => `${p.port === undefined ? 'all' : escapeMarkdown(String(p.port))}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol}`).join(', ');
  return `${who} on ${ports}`;
}

function peerSummary(p: PolicyPeer): string {
  if (p.ipBlock) return cidrText(p.ipBlock);
  const ns = p.namespaceSelector ? `namespaces ${code(describeSelector(p.namespaceSelector) || 'all')}` : 'this namespace';
  const pods = p.podSelector ? `pods ${code(describeSelector(p.podSelector) || 'all')}` : 'all pods';
  return `${pods} of ${ns}`;
}

/** Whether the cursor is on the `kind:` line of the object (key or value). */
export function onKindLine(loc: Located): boolean {
  return loc.path.length === 1 && loc.path[0] === 'kind';
}

/** An IngressClass: its controller, whether it is the default, and the Ingresses that end up in it (ING-7). */
export function ingressClassHover(m: Model, name: string, controller: string | undefined, isDefault: boolean): string {
  const users = m.ingresses.filter((i) => i.className === name);
  return [
    `**IngressClass ${code(name)}** · controller ${controller ? code(controller) : '*not set*'} (ING-7)`,
    isDefault
      ? 'The default class (`ingressclass.kubernetes.io/is-default-class: "true"`): Ingresses without `ingressClassName` or the `kubernetes.io/ingress.class` annotation get it.'
      : 'Not the default: only Ingresses that name it (`ingressClassName`, or the `kubernetes.io/ingress.class` annotation) use it.',
    users.length
      ? `Used by ${plural(users.length, 'Ingress', 'Ingresses')}: ${shortList(users.map((i) => code(i.id)))}`
      : '*No Ingress of the manifests uses it.*',
  ].join('\n\n');
}
