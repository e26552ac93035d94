// Model layer (pure): TR-8, a URL through the Ingress controller: client → node:80/443 → controller pod,
// which matches host and path (ING-1..3) and opens a new connection straight to a backend endpoint, or to
// the Service's ClusterIP with ingress-nginx's service-upstream (ING-5, TR-2, TR-3).
// Must not import vscode, LSP, node:* or fs.
import type { NodeInfo, PodInfo, ServiceInfo } from '../types';
import { addr, EPHEMERAL_PORT, type TraceHop, type TracePath } from './trace-types';
import { nodeOf, type Topo } from './topology';
import type { Origin } from './packet-walk';
import { matchIngress, type ParsedUrl } from '../ingress/ingress-rule-match';
import { sendTo, serviceTarget } from './send';
import { routeRequest } from '../ingress/gateway/route-query';
import { traceGatewayUrl } from './gateway-entry';
import { CTRL, makeHop } from './hops';

/** The controller's pods: pods of the profile's controller namespace, those publishing the URL's port first. */
function controllerPods(t: Topo, port: number): PodInfo[] {
  const ns = t.model.profile.ingressController.namespace;
  const pods = t.model.pods.filter((p) => p.namespace === ns && p.ready && p.ip && p.node);
  const publishes = (p: PodInfo) => p.containers.some((c) => c.ports.some((cp) => cp.hostPort === port || cp.containerPort === port));
  return [...pods.filter(publishes), ...pods.filter((p) => !publishes(p))];
}

type Exposure = 'hostPort' | 'nodePort' | 'loadBalancer';

/**
 * ING-5: how the controller's manifests expose `port`: a hostPort (or hostNetwork) on its pods, a
 * LoadBalancer Service with an address, a NodePort (LoadBalancers have nodePorts too) — each only with a
 * Service whose endpoints are controller pods. Empty when the files say nothing.
 */
function exposuresInFiles(t: Topo, pods: PodInfo[], port: number): { kinds: Exposure[]; svc?: ServiceInfo } {
  const kinds: Exposure[] = [];
  const onNode = (p: PodInfo) => p.containers.some((c) => c.ports.some((cp) => cp.hostPort === port || (p.hostNetwork && cp.containerPort === port)));
  if (pods.some(onNode)) kinds.push('hostPort');
  const ids = new Set(pods.map((p) => p.id));
  const svc = t.model.services.find(
    (s) =>
      (s.type === 'NodePort' || s.type === 'LoadBalancer') && s.ports.some((p) => p.port === port) && s.endpoints.some((e) => e.pod !== null && ids.has(e.pod)),
  );
  if (svc?.type === 'LoadBalancer' && svc.loadBalancerIP) kinds.push('loadBalancer');
  if (svc && svc.ports.some((p) => p.port === port && p.nodePort !== null)) kinds.push('nodePort');
  return svc ? { kinds, svc } : { kinds };
}

/**
 * Where the client connects (ING-5): as the controller's manifests expose it; where they offer several
 * ways, the one the profile's `ingressController.exposure` names (else hostPort, then a load balancer,
 * then a nodePort); where they say nothing, the profile's exposure, as an assumption.
 */
function entry(t: Topo, u: ParsedUrl, pods: PodInfo[]): { ip: string; port: number; note: string } | null {
  const profiled = t.model.profile.ingressController.exposure;
  const ns = t.model.profile.ingressController.namespace;
  const found = exposuresInFiles(t, pods, u.port);
  const exposure = found.kinds.length === 0 ? profiled : found.kinds.includes(profiled) ? profiled : found.kinds[0]!;
  const why = found.kinds.length
    ? 'as its manifests expose it'
    : `as the profile's ingressController.exposure says (${profiled}; the controller's manifests do not say)`;
  const named = t.nodeByIp.get(u.host)?.node;
  if (exposure === 'hostPort') {
    const node: NodeInfo | undefined = named ?? (pods[0] ? nodeOf(t, pods[0]) : t.model.nodes[0]);
    return node
      ? { ip: node.internalIP, port: u.port, note: `the client connects to ${node.name}:${u.port}, where the controller publishes a hostPort, ${why}` }
      : null;
  }
  const svc =
    found.svc ??
    t.model.services.find(
      (s): s is ServiceInfo => s.namespace === ns && (s.type === 'NodePort' || s.type === 'LoadBalancer') && s.ports.some((p) => p.port === u.port),
    );
  const sp = svc?.ports.find((p) => p.port === u.port);
  if (!svc || !sp) return null;
  if (exposure === 'loadBalancer' && svc.loadBalancerIP)
    return { ip: svc.loadBalancerIP, port: sp.port, note: `the client connects to the controller's LoadBalancer ${svc.loadBalancerIP}, ${why}` };
  const node = named ?? t.model.nodes[0];
  return node && sp.nodePort !== null
    ? { ip: node.internalIP, port: sp.nodePort, note: `the client connects to ${node.name}'s nodePort ${sp.nodePort} of ${svc.id}, ${why}` }
    : null;
}

/** ING-5: ingress-nginx's `service-upstream` annotation sends to the Service's ClusterIP instead of its endpoints. */
const SERVICE_UPSTREAM = 'nginx.ingress.kubernetes.io/service-upstream';

export function traceUrl(t: Topo, origin: Origin, url: string, u: ParsedUrl): { paths: TracePath[]; port?: number } {
  const m = matchIngress(t.model, url);
  // GW-3: a URL that no Ingress rule takes but a Gateway listener serves goes through the Gateway.
  if (m.ingress === null && t.model.gatewayApi.gateways.length) {
    const a = routeRequest(t.model, url);
    if (a.gateway !== null) return traceGatewayUrl(t, origin, a, u.host, u.port);
  }
  const pods = controllerPods(t, u.port);
  const e = entry(t, u, pods);
  const match = m.backend
    ? `Host ${u.host} path ${u.path} → ${m.via === 'rule' ? `rule ${m.rule} (${m.pathType} ${m.path}) of` : 'the defaultBackend of'} ${m.ingress} → ${m.backend}`
    : `Host ${u.host} path ${u.path} matches no rule and no defaultBackend: the controller answers 404`;
  // Leg 1: client → controller pod (TR-5/TR-7 rules apply to reaching it).
  let legs: TracePath[];
  if (e)
    legs = sendTo(t, origin, 'TCP', e.ip, e.port, 'TR-8').map((p) => ({
      ...p,
      hops: p.hops.map((h, i) => (i === 0 ? { ...h, note: `${h.note}; ${e.note}` } : h)),
    }));
  else legs = [];
  if (!e || legs.length === 0) {
    const hop: TraceHop = makeHop(
      CTRL(undefined),
      'eth0',
      'drop',
      '',
      addr(u.host, u.port),
      pods.length
        ? `no ingress controller reachable on port ${u.port} (namespace ${t.model.profile.ingressController.namespace}, exposure ${t.model.profile.ingressController.exposure})`
        : `no ingress controller is deployed in the files: the profile assumes ingress-nginx in namespace ${t.model.profile.ingressController.namespace}, exposed by ${t.model.profile.ingressController.exposure}, but no pod runs there; add the controller's manifests or set ingressController in netpath.cluster.yaml (ING-5)`,
      'TR-8',
    );
    return { paths: [{ endpoint: 'ingress-controller', verdict: 'dropped', reason: 'no-route', hops: [hop] }], port: u.port };
  }
  const paths: TracePath[] = [];
  for (const leg of legs) {
    if (leg.verdict === 'dropped') {
      paths.push(leg);
      continue;
    }
    const ctrl = t.model.index.podById.get(leg.endpoint) ?? pods.find((p) => p.id === leg.endpoint);
    const ctrlNode = ctrl ? nodeOf(t, ctrl) : undefined;
    const last = leg.hops[leg.hops.length - 1]!;
    const proxy: TraceHop = makeHop(
      CTRL(ctrl),
      'eth0',
      'proxy',
      last.src,
      last.dst,
      `nginx${ctrl ? ` in ${ctrl.id}` : ''}: ${match} (ING-1..3); the client's connection ends here`,
      'TR-8',
    );
    if (!m.backend || !m.service) {
      paths.push({ endpoint: 'ingress-controller', verdict: 'dropped', reason: 'no-route', hops: [...leg.hops, { ...proxy, action: 'drop' }] });
      continue;
    }
    const svc = t.model.index.serviceById.get(m.service) ?? t.model.services.find((s) => s.id === m.service);
    if (!svc || !m.backendResolvable) {
      paths.push({
        endpoint: m.backend,
        verdict: 'dropped',
        reason: svc ? 'port-not-found' : 'no-endpoints',
        hops: [
          ...leg.hops,
          {
            ...proxy,
            action: 'drop',
            note: `${proxy.note}; backend ${m.backend} ${svc ? 'has no such port' : 'does not exist'}: the controller answers 503 (ING-4)`,
          },
        ],
      });
      continue;
    }
    if (!ctrl || !ctrlNode) {
      paths.push({
        endpoint: m.backend,
        verdict: 'dropped',
        reason: 'no-route',
        hops: [...leg.hops, { ...proxy, action: 'drop', note: `${proxy.note}; no controller pod to proxy from` }],
      });
      continue;
    }
    // Leg 2 (ING-5): a new connection from the controller pod's own IP: straight to an endpoint
    // (pod_ip:targetPort, no kube-proxy), or to the ClusterIP with service-upstream (TR-3). An
    // ExternalName backend is a name the controller resolves, so it goes the Service's way.
    const ctrlOrigin: Origin = { kind: 'pod', pod: ctrl, node: ctrlNode };
    const ing = t.model.ingresses.find((i) => i.id === m.ingress);
    const upstream = ing?.annotations[SERVICE_UPSTREAM] === 'true';
    if (upstream || svc.type === 'ExternalName') {
      const back = serviceTarget(t, ctrlOrigin, svc, 'TCP', m.servicePort ?? undefined);
      const why = upstream ? `${SERVICE_UPSTREAM}: "true": to the Service's ClusterIP, kube-proxy picks the endpoint (TR-3)` : "to the ExternalName's target";
      const proxied = {
        ...proxy,
        dst: `${svc.clusterIP ? addr(svc.clusterIP, m.servicePort ?? undefined) : svc.id}`,
        src: addr(ctrl.ip!, EPHEMERAL_PORT),
        note: `${proxy.note}; a new connection leaves ${ctrl.id}, ${why} (ING-5)`,
      };
      for (const p of back.paths) paths.push({ ...p, hops: [...leg.hops, proxied, ...p.hops] });
      continue;
    }
    const sp = svc.ports.find((p) => p.port === m.servicePort && p.protocol === 'TCP');
    const endpoints = svc.endpoints.flatMap((e) => {
      const port = e.ports.find((x) => x.name === sp?.name && x.protocol === 'TCP')?.port;
      return e.ready && port !== undefined ? [{ ip: e.ip, port, pod: e.pod }] : [];
    });
    if (endpoints.length === 0) {
      paths.push({
        endpoint: m.backend,
        verdict: 'dropped',
        reason: 'no-endpoints',
        hops: [...leg.hops, { ...proxy, action: 'drop', note: `${proxy.note}; ${svc.id} has no ready endpoint: the controller answers 503 (ING-5, EP-1)` }],
      });
      continue;
    }
    for (const ep of endpoints) {
      const proxied = {
        ...proxy,
        dst: addr(ep.ip, ep.port),
        src: addr(ctrl.ip!, EPHEMERAL_PORT),
        note: `${proxy.note}; a new connection leaves ${ctrl.id} straight to the endpoint ${ep.pod ?? ep.ip} of ${svc.id}, no kube-proxy (ING-5)`,
      };
      for (const p of sendTo(t, ctrlOrigin, 'TCP', ep.ip, ep.port, 'TR-2')) paths.push({ ...p, hops: [...leg.hops, proxied, ...p.hops] });
    }
  }
  return { paths, port: u.port };
}
