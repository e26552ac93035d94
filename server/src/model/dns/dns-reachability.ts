// Model layer (pure): can a pod's resolver reach the cluster DNS at all (DNS-6, CL-4)? A lookup is
// itself traffic: UDP 53 from the pod to the DNS Service, DNAT-ed to its pods, judged by NetworkPolicy
// after DNAT (NP-6). Must not import vscode, LSP, node:* or fs.
import type { Model, PodInfo, Resource, ServiceInfo } from '../types';
import { evaluate, type PolicyVerdict } from '../netpol/policy-evaluator';
import { addressAt, parseCidr } from '../core/ip';

export interface DnsReach {
  /** The DNS Service's id, `kube-system/kube-dns` when the workspace does not declare it (CL-4). */
  service: string;
  /** True when every DNS pod refuses the pod's queries. */
  blocked: boolean;
  /** The policies that blocked it (egress of the pod, or ingress of the DNS pods). */
  blockedBy: string[];
  /** Where the queries die: the pod's egress, the DNS pods' ingress, or each for some of the DNS pods. */
  direction: 'egress' | 'ingress' | 'both' | null;
  /** True when the DNS pods are the implicit CoreDNS (not in the files). */
  implicit: boolean;
}

const NO_SPANS = { entry: () => undefined, whole: () => undefined };

/**
 * CL-4: the cluster DNS the files do not declare: kube-system pods labelled `k8s-app: kube-dns`
 * (CoreDNS keeps that label), ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP. Its address is
 * taken inside the cluster pod CIDR (so an ipBlock covering the pod network admits it), as on a cluster.
 */
function implicitDnsPod(model: Model): PodInfo {
  const owner: Resource = {
    id: 'Deployment/kube-system/coredns',
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    name: 'coredns',
    namespace: 'kube-system',
    file: '',
    docIndex: 0,
    body: {},
    span: { start: 0, end: 0 },
    spans: NO_SPANS,
  };
  const ip = freePodAddress(model);
  return {
    id: 'kube-system/coredns',
    name: 'coredns',
    namespace: 'kube-system',
    owner,
    ordinal: 0,
    node: null,
    ip,
    hostNetwork: false,
    ready: true,
    labels: { 'k8s-app': 'kube-dns' },
    hostname: 'coredns',
    hostnameInSpec: false,
    enableServiceLinks: false,
    spec: {},
    containers: [
      {
        name: 'coredns',
        env: {},
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
        ],
      },
    ],
  };
}

/**
 * A pod address for the implicit CoreDNS that no pod of the files holds and that is not a node's overlay or
 * bridge address: it stands in for a real pod, so an ipBlock `except` naming another pod's /32 must not catch it.
 */
function freePodAddress(model: Model): string {
  const cidr = parseCidr(model.profile.podCIDR);
  if (!cidr) return '';
  const taken = (ip: string) => model.index.podByIp.has(ip) || model.nodes.some((n) => n.overlayIP === ip || n.bridgeIP === ip);
  // Bounded: the pods of the files cannot fill more than this many of the first addresses.
  const tries = Math.min(Number(cidr.size), model.pods.length + model.nodes.length * 2 + 3);
  for (let n = 2; n < tries; n++) {
    const ip = addressAt(cidr, n);
    if (!taken(ip)) return ip;
  }
  return addressAt(cidr, 2);
}

/** The DNS Service: the one at dnsServiceIP, else kube-system/kube-dns. */
export function dnsService(model: Model): ServiceInfo | undefined {
  const ip = model.profile.dnsServiceIP;
  return model.services.find((s) => s.clusterIP === ip) ?? model.index.serviceById.get('kube-system/kube-dns');
}

/** DNS-6: judges UDP/53 from `pod` to every DNS pod (the declared Service's Ready endpoints, or the implicit CoreDNS). */
export function dnsReach(model: Model, pod: PodInfo): DnsReach {
  const svc = dnsService(model);
  const sp = svc?.ports.find((p) => p.port === 53 && p.protocol === 'UDP');
  const declared = svc && sp ? svc.endpoints.filter((e) => e.ready && e.pod) : [];
  const service = svc?.id ?? 'kube-system/kube-dns';
  let verdicts: PolicyVerdict[];
  let implicit = false;
  if (svc && sp && declared.length > 0) {
    verdicts = declared.map((e) => {
      const port = e.ports.find((p) => p.name === sp.name && p.protocol === 'UDP')?.port ?? (typeof sp.targetPort === 'number' ? sp.targetPort : 53);
      return evaluate(model, pod, model.index.podById.get(e.pod!) ?? e.ip, 'UDP', port);
    });
  } else if (svc && svc.selector === null && svc.endpoints.length > 0) {
    // Selector-less DNS Service (e.g. node-local addresses): judge by the addresses.
    verdicts = svc.endpoints.filter((e) => e.ready).map((e) => evaluate(model, pod, e.ip, 'UDP', 53));
  } else {
    implicit = !svc;
    verdicts = svc ? [] : [evaluate(model, pod, implicitDnsPod(model), 'UDP', 53)];
  }
  if (verdicts.length === 0 || verdicts.some((v) => v.allowed)) return { service, blocked: false, blockedBy: [], direction: null, implicit };
  // Each DNS pod refuses for its own reason: the pod's egress towards it, or its own ingress.
  const atIngress = verdicts.filter((x) => x.egress.allowed).length;
  const direction = atIngress === 0 ? 'egress' : atIngress === verdicts.length ? 'ingress' : 'both';
  const blockedBy = [...new Set(verdicts.flatMap((x) => (x.egress.allowed ? x.ingress.policies : x.egress.policies)))].sort();
  return { service, blocked: true, blockedBy, direction, implicit };
}
