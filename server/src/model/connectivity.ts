// Model layer (pure): every allowed workload-to-workload (and ipBlock) connection, like netpol-analyzer's
// list (NP-1..5). Must not import vscode, LSP, node:* or fs.
import type { Model, NetworkPolicyInfo, PodInfo, PolicyRule, Protocol } from './types';
import { ipBlockContains, peerMatches, subjectOf } from './netpol-eval';
import { selectsPod } from './netpol';

export interface Connection {
  src: string;
  dst: string;
  /** "All", or a list like ["TCP 6379", "UDP 53", "TCP 8000-8080"]. */
  ports: string | string[];
}

const PROTOS: Protocol[] = ['TCP', 'UDP', 'SCTP'];
type Ranges = [number, number][];
/** Allowed ports per protocol, as sorted disjoint inclusive ranges. */
type PortSet = Record<Protocol, Ranges>;

const all = (): PortSet => ({ TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] });
const none = (): PortSet => ({ TCP: [], UDP: [], SCTP: [] });

function normalise(r: Ranges): Ranges {
  const s = [...r].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const x of s) {
    const last = out[out.length - 1];
    if (last && x[0] <= last[1] + 1) last[1] = Math.max(last[1], x[1]);
    else out.push([x[0], x[1]]);
  }
  return out;
}

function intersect(a: PortSet, b: PortSet): PortSet {
  const out = none();
  for (const p of PROTOS) {
    for (const x of a[p]) for (const y of b[p]) {
      const lo = Math.max(x[0], y[0]);
      const hi = Math.min(x[1], y[1]);
      if (lo <= hi) out[p].push([lo, hi]);
    }
    out[p] = normalise(out[p]);
  }
  return out;
}

function isEmpty(s: PortSet): boolean {
  return PROTOS.every((p) => s[p].length === 0);
}

function format(s: PortSet): string | string[] {
  if (PROTOS.every((p) => s[p].length === 1 && s[p][0]![0] === 1 && s[p][0]![1] === 65535)) return 'All';
  const out: string[] = [];
  for (const p of PROTOS) for (const [lo, hi] of s[p]) out.push(lo === 1 && hi === 65535 ? `${p} all` : lo === hi ? `${p} ${lo}` : `${p} ${lo}-${hi}`);
  return out;
}

/** NP-4, NP-5: the ports one rule admits toward `dst` (named ports resolved on it). */
function rulePorts(rule: PolicyRule, dst: PodInfo | null, into: PortSet): void {
  if (rule.ports === null) {
    for (const p of PROTOS) into[p].push([1, 65535]);
    return;
  }
  for (const pp of rule.ports) {
    if (pp.port === undefined) into[pp.protocol].push([1, 65535]);
    else if (typeof pp.port === 'number') into[pp.protocol].push([pp.port, pp.endPort ?? pp.port]);
    else if (dst) {
      for (const c of dst.containers) for (const cp of c.ports) if (cp.name === pp.port && cp.protocol === pp.protocol) into[pp.protocol].push([cp.containerPort, cp.containerPort]);
    }
  }
}

interface Entity {
  label: string;
  /**
   * Representative pod: the pods of a workload share labels, namespace and ports; only their
   * addresses differ, which matters for ipBlock peers, so there is one entity per workload and set
   * of ipBlocks its addresses fall in.
   */
  pod: PodInfo | null;
  /** For ipBlock entities: a peer text and an address inside the block, for matching. */
  block?: { cidr: string; except: string[] };
  ingress: NetworkPolicyInfo[];
  egress: NetworkPolicyInfo[];
}

/** Ports `policies` (of one direction) admit between `self` and `peer`; all when not isolated (NP-1). */
function admitted(model: Model, policies: NetworkPolicyInfo[], type: 'Ingress' | 'Egress', peer: Entity, dst: PodInfo | null): PortSet {
  if (policies.length === 0) return all();
  const out = none();
  for (const np of policies) {
    for (const rule of type === 'Ingress' ? np.ingress : np.egress) {
      // A block entity is only linked where a rule names it; a rule open to everyone says nothing about it.
      if (peer.block && rule.peers === null) continue;
      const ok = rule.peers === null || rule.peers.some((pe) => {
        if (peer.block) return !!pe.ipBlock && pe.ipBlock.cidr === peer.block.cidr && pe.ipBlock.except.join(',') === peer.block.except.join(',');
        return peer.pod !== null && peerMatches(model, np, pe, subjectOf(model, peer.pod));
      });
      if (ok) rulePorts(rule, dst, out);
    }
  }
  for (const p of PROTOS) out[p] = normalise(out[p]);
  return out;
}

/**
 * Pods are grouped by owner workload (`NS/NAME[Kind]`), ipBlock peers become entities of their own.
 * Per pair: egress of the source AND ingress of the destination, each a union of rules (NP-5).
 */
export function connectivity(model: Model): Connection[] {
  const blocks = new Map<string, { cidr: string; except: string[] }>();
  for (const np of model.networkPolicies) for (const r of [...np.ingress, ...np.egress]) for (const pe of r.peers ?? []) if (pe.ipBlock) blocks.set(`${pe.ipBlock.cidr}${pe.ipBlock.except.length ? ` except ${pe.ipBlock.except.join(',')}` : ''}`, pe.ipBlock);
  // A workload's pods differ, for policies, only in which ipBlocks hold their address: one representative
  // per workload and such set. (One per node made a 48-node cluster's 9,500 pods 30 s of pairs.)
  const blockList = [...blocks.values()];
  const byOwner = new Map<string, PodInfo>();
  for (const p of model.pods) {
    if (!p.ip || p.hostNetwork) continue;
    const ip = p.ip;
    const key = `${p.owner.id}\u0000${blockList.map((b) => (ipBlockContains(b, ip) ? 1 : 0)).join('')}`;
    if (!byOwner.has(key)) byOwner.set(key, p);
  }
  const isolating = (pod: PodInfo, type: 'Ingress' | 'Egress') => model.networkPolicies.filter((np) => np.policyTypes.includes(type) && selectsPod(np, pod));
  const entities: Entity[] = [...byOwner.values()].map((pod) => ({ label: `${pod.owner.namespace || pod.namespace}/${pod.owner.name}[${pod.owner.kind}]`, pod, ingress: isolating(pod, 'Ingress'), egress: isolating(pod, 'Egress') }));
  const blockEntities: Entity[] = [...blocks].map(([label, block]) => ({ label, pod: null, block, ingress: [], egress: [] }));
  // Pairs of labels, ports united over each workload's representatives.
  const pairs = new Map<string, { src: string; dst: string; ports: PortSet }>();
  const add = (src: string, dst: string, ports: PortSet) => {
    const key = `${src}\u0000${dst}`;
    const have = pairs.get(key);
    if (!have) pairs.set(key, { src, dst, ports });
    else for (const p of PROTOS) have.ports[p] = normalise([...have.ports[p], ...ports[p]]);
  };
  for (const a of entities) {
    for (const b of entities) {
      if (a.label === b.label) continue;
      const e = admitted(model, a.egress, 'Egress', b, b.pod);
      if (isEmpty(e)) continue;
      const ports = intersect(e, admitted(model, b.ingress, 'Ingress', a, b.pod));
      if (!isEmpty(ports)) add(a.label, b.label, ports);
    }
    // ipBlock peers: only where a policy names the block (unisolated pods reach every address anyway).
    for (const blk of blockEntities) {
      if (a.egress.length) {
        const e = admitted(model, a.egress, 'Egress', blk, null);
        if (!isEmpty(e)) add(a.label, blk.label, e);
      }
      if (a.ingress.length) {
        const i = admitted(model, a.ingress, 'Ingress', blk, a.pod);
        if (!isEmpty(i)) add(blk.label, a.label, i);
      }
    }
  }
  return [...pairs.values()].map((c) => ({ src: c.src, dst: c.dst, ports: format(c.ports) }));
}
