// Model layer (pure): judges one connection against the NetworkPolicies (NP-1..6).
// Must not import vscode, LSP, node:* or fs.
import type { Model, NetworkPolicyInfo, PodInfo, PolicyPeer, PolicyPort, PolicyRule, Protocol } from '../types';
import { matches } from '../core/label-selectors';
import { cidrContains, parseCidr } from '../core/ip';
import { selectsPod } from './network-policies';
import { namespaceLabels } from '../cluster/namespaces';

/**
 * One side of a connection as policies see it: a pod (subject to policies, matched by labels) or
 * a bare address. A hostNetwork pod is the node's address and is never a pod to policies.
 */
export interface PolicySubject {
  ip: string;
  pod: PodInfo | null;
}

export interface DirectionVerdict {
  allowed: boolean;
  /** True when some policy of this direction selects the pod (NP-1). */
  isolated: boolean;
  /** Allowed: the policies with a rule that admits it. Denied: every policy that isolates the pod. */
  policies: string[];
}

export interface PolicyVerdict {
  allowed: boolean;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
}

/** A pod or an address, as the subject policies judge (hostNetwork pods count as their node's IP). */
export function subjectOf(model: Model, x: PodInfo | string): PolicySubject {
  if (typeof x === 'string') {
    const pod = model.index.podByIp.get(x);
    return { ip: x, pod: pod && !pod.hostNetwork ? pod : null };
  }
  if (x.hostNetwork) {
    const node = x.node ? model.index.nodeByName.get(x.node) : undefined;
    return { ip: node?.internalIP ?? x.ip ?? '', pod: null };
  }
  return { ip: x.ip ?? '', pod: x };
}

/**
 * NP-5: allowed when egress at the source AND ingress at the destination allow it. `port`
 * undefined means "some port not known": only rules without a `ports` list admit it. Judge
 * Service traffic with the endpoint (after DNAT, NP-6).
 */
export function evaluate(model: Model, src: PodInfo | string, dst: PodInfo | string, proto: Protocol, port?: number): PolicyVerdict {
  const s = subjectOf(model, src);
  const d = subjectOf(model, dst);
  // NP-1, NP-7: a pod reaching itself, or a pod and its own node: no policy is in the way.
  if (nodeLocal(model, s, d)) {
    const open: DirectionVerdict = { allowed: true, isolated: false, policies: [] };
    return { allowed: true, egress: open, ingress: { ...open } };
  }
  const egress = directionVerdict(model, s.pod, 'Egress', d, d.pod, proto, port);
  const ingress = directionVerdict(model, d.pod, 'Ingress', s, d.pod, proto, port);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/**
 * NP-7 (k8s): traffic between a pod and the node it runs on is always allowed, whatever the policies
 * say (kubelet probes depend on it), and a pod cannot block access to itself. The node is any of its
 * own addresses (eth0, flannel.1, cni0), which is also how a hostNetwork pod on it appears.
 */
export function nodeLocal(model: Model, a: PolicySubject, b: PolicySubject): boolean {
  if (a.pod && b.pod) return a.pod.id === b.pod.id;
  const pod = a.pod ?? b.pod;
  const other = a.pod ? b : a;
  if (!pod?.node || other.ip === '') return false;
  const node = model.index.nodeByName.get(pod.node);
  return !!node && (node.internalIP === other.ip || node.overlayIP === other.ip || node.bridgeIP === other.ip);
}

export function directionVerdict(
  model: Model,
  subject: PodInfo | null,
  type: 'Ingress' | 'Egress',
  peer: PolicySubject,
  dstPod: PodInfo | null,
  proto: Protocol,
  port: number | undefined,
): DirectionVerdict {
  if (!subject) return { allowed: true, isolated: false, policies: [] };
  const isolating = policiesFor(model, subject, type);
  if (isolating.length === 0) return { allowed: true, isolated: false, policies: [] };
  const allowing = isolating.filter((np) => (type === 'Ingress' ? np.ingress : np.egress).some((r) => ruleAdmits(model, np, r, peer, dstPod, proto, port)));
  return allowing.length
    ? { allowed: true, isolated: true, policies: allowing.map((p) => p.id) }
    : { allowed: false, isolated: true, policies: isolating.map((p) => p.id) };
}

/** The policies of this direction that select the pod (NP-1, NP-2). */
export function policiesFor(model: Model, pod: PodInfo, type: 'Ingress' | 'Egress'): NetworkPolicyInfo[] {
  // A policy selects pods of its own namespace only.
  return (model.index.policiesByNamespace.get(pod.namespace) ?? []).filter((np) => np.policyTypes.includes(type) && selectsPod(np, pod));
}

/** NP-5: one rule's peers AND that same rule's ports. */
export function ruleAdmits(
  model: Model,
  np: NetworkPolicyInfo,
  rule: PolicyRule,
  peer: PolicySubject,
  dstPod: PodInfo | null,
  proto: Protocol,
  port: number | undefined,
): boolean {
  if (!portsAdmit(rule.ports, dstPod, proto, port)) return false;
  return rule.peers === null || rule.peers.some((p) => peerMatches(model, np, p, peer));
}

/** NP-3: peers are OR-ed by the caller; inside one peer namespaceSelector AND podSelector. */
export function peerMatches(model: Model, np: NetworkPolicyInfo, peer: PolicyPeer, who: PolicySubject): boolean {
  if (peer.ipBlock) return ipBlockContains(peer.ipBlock, who.ip);
  // Label peers select pods only; an address outside every pod (or a hostNetwork pod) never matches.
  const pod = who.pod;
  if (!pod) return false;
  return peerAdmitsNamespace(model, np, peer, pod.namespace) && peerAdmitsLabels(peer, pod);
}

/** NP-3, the namespace half of a label peer: its namespaceSelector, or else the policy's own namespace. */
export function peerAdmitsNamespace(model: Model, np: NetworkPolicyInfo, peer: PolicyPeer, ns: string): boolean {
  return peer.namespaceSelector ? matches(namespaceLabels(model.index.namespaceByName, ns), peer.namespaceSelector) : ns === np.namespace;
}

/** NP-3: the pods a label peer admits (none for an ipBlock peer: it admits addresses, see ipBlockContains). */
export function podsOfPeer(model: Model, np: NetworkPolicyInfo, peer: PolicyPeer): PodInfo[] {
  if (peer.ipBlock) return [];
  return model.pods.filter((p) => peerAdmitsNamespace(model, np, peer, p.namespace) && peerAdmitsLabels(peer, p));
}

/** NP-3, the pod half of a label peer: its podSelector (absent: every pod of the admitted namespaces). */
export function peerAdmitsLabels(peer: PolicyPeer, pod: PodInfo): boolean {
  return !peer.podSelector || matches(pod.labels, peer.podSelector);
}

type IpBlock = { cidr: string; except: string[] };

/** Compiled tests by block object: a block is asked about every pod (per pod pair in connectivity and the bench). */
const compiledBlocks = new WeakMap<IpBlock, (ip: string) => boolean>();

/** NP-3: an ipBlock peer admits an address inside `cidr` and outside every `except`. */
export function ipBlockContains(block: IpBlock, ip: string): boolean {
  let test = compiledBlocks.get(block);
  if (!test) {
    test = compileIpBlock(block);
    compiledBlocks.set(block, test);
  }
  return test(ip);
}

/** An IPv4 block becomes number ranges once; anything else is matched the exact way (ip.ts). */
function compileIpBlock(block: IpBlock): (ip: string) => boolean {
  const range = (cidr: string): [number, number] | null => {
    const c = parseCidr(cidr);
    return c && c.family === 4 ? [Number(c.base), Number(c.base + c.size - 1n)] : null;
  };
  const exact = (ip: string): boolean => {
    const inside = (cidr: string) => {
      const c = parseCidr(cidr);
      return !!c && cidrContains(c, ip);
    };
    return inside(block.cidr) && !block.except.some(inside);
  };
  const r = range(block.cidr);
  const except = block.except.map(range);
  if (!r || except.some((e) => e === null)) return exact;
  const ex = except as [number, number][];
  return (ip) => {
    const n = v4(ip);
    if (n < 0) return exact(ip);
    return n >= r[0] && n <= r[1] && !ex.some((e) => n >= e[0] && n <= e[1]);
  };
}

/** A dotted quad as an unsigned 32-bit number, or -1 (IPv6 and odd forms go the slow, exact way). */
function v4(s: string): number {
  const parts = s.split('.');
  if (parts.length !== 4) return -1;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return -1;
    n = n * 256 + Number(p);
  }
  return n;
}

/** NP-4: protocol defaults to TCP (done when reading); named ports resolve on the destination pod. */
export function portsAdmit(ports: PolicyPort[] | null, dstPod: PodInfo | null, proto: Protocol, port: number | undefined): boolean {
  if (ports === null) return true;
  return ports.some((p) => {
    if (p.protocol !== proto) return false;
    if (p.port === undefined) return true;
    if (port === undefined) return false;
    if (typeof p.port === 'number') return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    return namedPort(dstPod, p.port, proto) === port;
  });
}

/** The container port a name stands for on one pod, for one protocol (NP-4). */
export function namedPort(pod: PodInfo | null, name: string, proto: Protocol): number | undefined {
  if (!pod) return undefined;
  for (const c of pod.containers) for (const cp of c.ports) if (cp.name === name && cp.protocol === proto) return cp.containerPort;
  return undefined;
}
