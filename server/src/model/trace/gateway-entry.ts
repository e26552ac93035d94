// Model layer (pure): a URL through a Gateway (GW-3..7, TR-8): client → the gateway's proxy pod, which picks
// the listener, Route rule and weighted backend, and opens a new connection straight to a backend endpoint
// (pod IP and target port, no kube-proxy: what Envoy-based implementations do), judged by NetworkPolicy
// from the gateway pod. Must not import vscode, LSP, node:* or fs.
import type { GatewayInfo, PodInfo, ServiceInfo } from '../types';
import { addr, EPHEMERAL_PORT, type TraceHop, type TracePath } from './trace-types';
import { H, makeHop, P, type Place } from './hops';
import { nodeOf, type Topo } from './topology';
import type { Origin } from './packet-walk';
import { sendTo, serviceTarget, srcIp } from './send';
import type { RouteAnswer } from '../ingress/gateway/route-query';

/** The label implementations put on the pods they run for a Gateway (GEP-1762; Istio, NGINX Gateway Fabric, Envoy Gateway). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** The Gateway's proxy pods written in the files (rare: controllers create them), ready and placed. */
function gatewayPods(t: Topo, gw: GatewayInfo): PodInfo[] {
  return t.model.pods.filter((p) => p.labels[GATEWAY_NAME_LABEL] === gw.name && p.ready && p.ip && p.node);
}

function routeNote(a: RouteAnswer): string {
  const shares = a.backends.map((b) => `${b.percent}% ${b.backend}${b.status === 200 ? '' : ` (${b.status})`}`).join(', ');
  const filters = a.filters.length ? `; filters ${a.filters.map((f) => f.type).join(', ')}` : '';
  return `Gateway ${a.gateway} listener ${a.listener}: ${a.kind} ${a.route} rule ${a.rule} (${a.matchText})${filters} → ${shares || `answers ${a.status}`} (GW-3..7)`;
}

/** GW-6: the ready endpoints of a backend Service with the target port that pairs with `port`. */
function endpointsOf(svc: ServiceInfo, port: number): { ip: string; port: number; pod: string | null }[] {
  const sp = svc.ports.find((p) => p.port === port);
  if (!sp) return [];
  return svc.endpoints
    .filter((e) => e.ready)
    .flatMap((e) => {
      const ep = e.ports.find((x) => x.name === sp.name && x.protocol === sp.protocol) ?? e.ports[0];
      return ep ? [{ ip: e.ip, port: ep.port, pod: e.pod }] : [];
    });
}

export function traceGatewayUrl(t: Topo, origin: Origin, a: RouteAnswer, host: string, port: number): { paths: TracePath[]; port?: number } {
  const gw = t.model.gatewayApi.gateways.find((g) => g.id === a.gateway);
  if (!gw) return { paths: [], port };
  const pods = gatewayPods(t, gw);
  const at = `gateway:${gw.id}`;
  /** GW-6: the gateway's proxy, on its pod's node when the files hold the pod. */
  const gwPlace = (pod: PodInfo | null): Place => ({ at, subject: { kind: 'gateway', id: gw.id, ...(pod?.node ? { node: pod.node } : {}) } });
  const note = routeNote(a);
  // Leg 1: client → a gateway pod, when the files hold one; else the data plane is the controller's and is not traced.
  const legs: { hops: TraceHop[]; pod: PodInfo | null; dropped?: TracePath }[] = [];
  if (pods.length) {
    // The Service in front of the gateway pods (LoadBalancer/NodePort as its controller exposes it), when written; else straight to a pod.
    const ids = new Set(pods.map((p) => p.id));
    const front = t.model.services.find((svc) => svc.ports.some((p) => p.port === port) && svc.endpoints.some((e) => e.pod !== null && ids.has(e.pod)));
    const first = front
      ? serviceTarget(t, origin, front, 'TCP', port).paths
      : pods.slice(0, 2).flatMap((pod) => sendTo(t, origin, 'TCP', pod.ip!, port, 'TR-8'));
    for (const leg of first) {
      const pod = pods.find((p) => p.id === leg.endpoint) ?? null;
      legs.push(
        leg.verdict === 'dropped' || !pod
          ? { hops: leg.hops, pod, dropped: { ...leg, verdict: 'dropped', reason: leg.reason ?? 'no-route' } }
          : { hops: leg.hops, pod },
      );
    }
  } else {
    const unknown = `the Gateway's proxy pods and Service are made by its controller and are not in the files (no pod labelled ${GATEWAY_NAME_LABEL}=${gw.name}): how the client reaches it, and NetworkPolicy from it, are not traced`;
    legs.push({
      hops: [makeHop(gwPlace(null), 'listener', 'proxy', addr(srcIp(origin), EPHEMERAL_PORT), addr(host, port), `${note}; ${unknown}`, 'TR-8')],
      pod: null,
    });
  }
  const paths: TracePath[] = [];
  for (const leg of legs) {
    if (leg.dropped) {
      paths.push(leg.dropped);
      continue;
    }
    const last = leg.hops[leg.hops.length - 1]!;
    const proxy: TraceHop = leg.pod
      ? makeHop(gwPlace(leg.pod), 'eth0', 'proxy', last.src, last.dst, `${note}; the client's connection ends in ${leg.pod.id}`, 'TR-8')
      : last;
    const head = leg.pod ? [...leg.hops, proxy] : leg.hops;
    if (a.status !== null && a.status >= 300 && a.status < 400) {
      paths.push({
        endpoint: at,
        verdict: 'delivered',
        reason: null,
        hops: [...head.slice(0, -1), { ...proxy, action: 'deliver', note: `${proxy.note}; the gateway answers ${a.status} itself (GW-8)` }],
      });
      continue;
    }
    const serving = a.backends.filter((b) => b.status === 200 && b.weight > 0);
    if (serving.length === 0) {
      paths.push({
        endpoint: at,
        verdict: 'dropped',
        reason: a.status === 503 ? 'no-endpoints' : 'no-route',
        hops: [...head.slice(0, -1), { ...proxy, action: 'drop', note: `${proxy.note}; the gateway answers ${a.status ?? 404}` }],
      });
      continue;
    }
    for (const b of serving) {
      const route = a.route ? t.model.gatewayApi.routes.find((r) => r.id === a.route && r.kind === a.kind) : undefined;
      const ref = route?.rules.find((r) => r.index === a.rule)?.backends.find((x) => `${x.service}:${x.port ?? '?'}` === b.backend);
      const svc = ref?.service ? t.model.index.serviceById.get(ref.service) : undefined;
      if (!svc || ref?.port == null) continue;
      for (const ep of endpointsOf(svc, ref.port)) {
        const pod = leg.pod;
        const node = pod ? nodeOf(t, pod) : undefined;
        // After the proxy the packet is the gateway's new connection: from its pod (when known) to the endpoint.
        const share: TraceHop = {
          ...proxy,
          ...(pod?.ip ? { src: addr(pod.ip, EPHEMERAL_PORT) } : {}),
          dst: addr(ep.ip, ep.port),
          note: `${proxy.note}; this path: ${b.percent}% of requests, a new connection to ${ep.pod ?? ep.ip} of ${svc.id}, straight to the endpoint (no kube-proxy, GW-6)`,
        };
        if (!pod || !node) {
          const dst = addr(ep.ip, ep.port);
          const epPod = ep.pod ? t.model.index.podById.get(ep.pod) : undefined;
          const target = epPod ? P(epPod) : H(ep.ip);
          paths.push({
            endpoint: ep.pod ?? ep.ip,
            verdict: 'delivered',
            reason: null,
            hops: [
              ...head.slice(0, -1),
              share,
              makeHop(gwPlace(null), 'eth0', 'send', '(gateway pod)', dst, `the gateway opens a connection to ${dst}`, 'GW-6'),
              makeHop(
                target,
                'eth0',
                'deliver',
                '(gateway pod)',
                dst,
                'assumed delivered: the gateway pod is not in the files, so the path to it and NetworkPolicy toward this pod are not judged',
                'GW-6',
              ),
            ],
          });
          continue;
        }
        for (const p of sendTo(t, { kind: 'pod', pod, node }, 'TCP', ep.ip, ep.port, 'GW-6'))
          paths.push({ ...p, hops: [...head.slice(0, -1), share, ...p.hops] });
      }
    }
  }
  return { paths, port };
}
