// Model layer (pure): every allowed workload-to-workload (and ipBlock) connection, like netpol-analyzer's
// list (NP-1..5). Must not import vscode, LSP, node:* or fs.
import { RUN_TO_COMPLETION } from '../input/workload-kinds';
import type { Model, NetworkPolicyInfo, PodInfo, PolicyRule, Protocol } from '../types';
import { ipBlockContains, peerAdmitsLabels, peerAdmitsNamespace, peerMatches, policiesFor, subjectOf } from '../netpol/policy-evaluator';

export interface Connection {
  src: string;
  dst: string;
  /** "All", or a list like ["TCP 6379", "UDP 53", "TCP 8000-8080"]. */
  ports: string | string[];
  /** WL-1: which ends are Job/CronJob pods, which run to completion (they exist only while they run). */
  runsToCompletion?: ('src' | 'dst')[];
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
    for (const x of a[p])
      for (const y of b[p]) {
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
      for (const c of dst.containers)
        for (const cp of c.ports) if (cp.name === pp.port && cp.protocol === pp.protocol) into[pp.protocol].push([cp.containerPort, cp.containerPort]);
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
      const ok =
        rule.peers === null ||
        rule.peers.some((pe) => {
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
 *
 * Which entities each rule's peers match is worked out once per rule (namespace by namespace, like
 * Reachability in pipeline/cross-checks.ts), not once per pair: pairing every entity with every other through
 * the rules was O(entities² × rules), 2.6 s once every pod of a 2000-Service workspace had a node (CL-5).
 */
export function connectivity(model: Model): Connection[] {
  const blocks = new Map<string, { cidr: string; except: string[] }>();
  for (const np of model.networkPolicies)
    for (const r of [...np.ingress, ...np.egress])
      for (const pe of r.peers ?? [])
        if (pe.ipBlock) blocks.set(`${pe.ipBlock.cidr}${pe.ipBlock.except.length ? ` except ${pe.ipBlock.except.join(',')}` : ''}`, pe.ipBlock);
  // A workload's pods differ, for policies, only in which ipBlocks hold their address: one representative
  // per workload and such set. (One per node made a 48-node cluster's 9,500 pods 30 s of pairs.)
  const inBlocks = blockMembership([...blocks.values()]);
  const byOwner = new Map<string, PodInfo>();
  for (const p of model.pods) {
    if (!p.ip || p.hostNetwork) continue;
    const key = `${p.owner.id}\u0000${inBlocks(p.ip)}`;
    if (!byOwner.has(key)) byOwner.set(key, p);
  }
  const isolating = (pod: PodInfo, type: 'Ingress' | 'Egress') => policiesFor(model, pod, type);
  const entities: Entity[] = [...byOwner.values()].map((pod) => ({
    label: `${pod.owner.namespace || pod.namespace}/${pod.owner.name}[${pod.owner.kind}]`,
    pod,
    ingress: isolating(pod, 'Ingress'),
    egress: isolating(pod, 'Egress'),
  }));
  const blockEntities: Entity[] = [...blocks].map(([label, block]) => ({ label, pod: null, block, ingress: [], egress: [] }));
  const matched = new RuleMatches(model, entities);

  // Pairs of labels (entities of one workload share a label), ports united over its representatives.
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  for (const e of [...entities, ...blockEntities]) {
    if (!labelIndex.has(e.label)) {
      labelIndex.set(e.label, labels.length);
      labels.push(e.label);
    }
  }
  const labelOf = (label: string): number => labelIndex.get(label)!;
  const entityLabel = entities.map((e) => labelOf(e.label));
  const width = labels.length;
  const pairs = new Map<number, { src: number; dst: number; ports: PortSet }>();
  // `ports` may be shared (ALL, a rule's ports): never written to, a union makes a new set.
  const add = (src: number, dst: number, ports: PortSet) => {
    const key = src * width + dst;
    const have = pairs.get(key);
    if (!have) pairs.set(key, { src, dst, ports });
    else have.ports = union([have.ports, ports]);
  };
  const ALL = all();
  const everyone = entities.map((_, i) => i);

  for (let j = 0; j < entities.length; j++) {
    const b = entities[j]!;
    // The ports a rule admits toward b (named ports resolve on b, NP-4), made once per rule for this b.
    const portsToB = new Map<PolicyRule, PortSet>();
    const rulePortsToB = (rule: PolicyRule): PortSet => {
      let ports = portsToB.get(rule);
      if (!ports) {
        ports = none();
        rulePorts(rule, b.pod, ports);
        for (const p of PROTOS) ports[p] = normalise(ports[p]);
        portsToB.set(rule, ports);
      }
      return ports;
    };
    // Ingress at b (NP-1 when no policy isolates it): which sources, with which ports.
    const inRules: { ports: PortSet; who: Set<number> | null }[] = [];
    for (const np of b.ingress)
      for (const rule of np.ingress) inRules.push({ ports: rulePortsToB(rule), who: rule.peers === null ? null : matched.of(np, rule) });
    let sources: Iterable<number> = everyone;
    if (b.ingress.length > 0 && inRules.every((r) => r.who !== null)) {
      const some = new Set<number>();
      for (const r of inRules) for (const i of r.who!) some.add(i);
      sources = [...some].sort((x, y) => x - y);
    }
    for (const i of sources) {
      const a = entities[i]!;
      if (entityLabel[i] === entityLabel[j]) continue;
      let ports: PortSet = ALL;
      if (b.ingress.length > 0) {
        const admitting = inRules.filter((r) => r.who === null || r.who.has(i)).map((r) => r.ports);
        ports = union(admitting);
        if (isEmpty(ports)) continue;
      }
      if (a.egress.length > 0) {
        const admitting: PortSet[] = [];
        for (const np of a.egress) {
          for (const rule of np.egress) if (rule.peers === null || matched.of(np, rule).has(j)) admitting.push(rulePortsToB(rule));
        }
        const e = union(admitting);
        if (isEmpty(e)) continue;
        ports = ports === ALL ? e : intersect(e, ports);
        if (isEmpty(ports)) continue;
      }
      add(entityLabel[i]!, entityLabel[j]!, ports);
    }
  }
  for (const a of entities) {
    // ipBlock peers: only where a policy names the block (unisolated pods reach every address anyway).
    for (const blk of blockEntities) {
      if (a.egress.length) {
        const e = admitted(model, a.egress, 'Egress', blk, null);
        if (!isEmpty(e)) add(labelOf(a.label), labelOf(blk.label), e);
      }
      if (a.ingress.length) {
        const i = admitted(model, a.ingress, 'Ingress', blk, a.pod);
        if (!isEmpty(i)) add(labelOf(blk.label), labelOf(a.label), i);
      }
    }
  }
  const finite = new Set(entities.filter((e) => e.pod && RUN_TO_COMPLETION.has(e.pod.owner.kind)).map((e) => e.label));
  return [...pairs.values()].map((c) => {
    const out: Connection = { src: labels[c.src]!, dst: labels[c.dst]!, ports: format(c.ports) };
    const ends = (['src', 'dst'] as const).filter((k) => finite.has(out[k]));
    if (ends.length) out.runsToCompletion = ends;
    return out;
  });
}

type IpBlock = { cidr: string; except: string[] };

/** Which of `blocks` hold an address, as a string of 0s and 1s. */
function blockMembership(blocks: readonly IpBlock[]): (ip: string) => string {
  if (blocks.length === 0) return () => '';
  return (ip) => {
    let out = '';
    for (const b of blocks) out += ipBlockContains(b, ip) ? '1' : '0';
    return out;
  };
}

/** Ports in any of the sets (a new set; one set is returned as it is). */
function union(sets: readonly PortSet[]): PortSet {
  if (sets.length === 1) return sets[0]!;
  const out = none();
  for (const s of sets) for (const p of PROTOS) out[p].push(...s[p]);
  for (const p of PROTOS) out[p] = normalise(out[p]);
  return out;
}

/** For each rule with peers, the pod entities its peers match (NP-3), worked out on first use. */
class RuleMatches {
  private readonly cache = new Map<PolicyRule, Set<number>>();
  private readonly byNamespace = new Map<string, number[]>();

  constructor(
    private readonly model: Model,
    private readonly entities: readonly Entity[],
  ) {
    entities.forEach((e, i) => {
      const ns = e.pod!.namespace;
      const list = this.byNamespace.get(ns);
      if (list) list.push(i);
      else this.byNamespace.set(ns, [i]);
    });
  }

  of(np: NetworkPolicyInfo, rule: PolicyRule): Set<number> {
    let set = this.cache.get(rule);
    if (set) return set;
    set = new Set();
    for (const pe of rule.peers ?? []) {
      if (pe.ipBlock) {
        const block = pe.ipBlock;
        this.entities.forEach((e, i) => {
          if (ipBlockContains(block, e.pod!.ip!)) set!.add(i);
        });
        continue;
      }
      for (const [ns, list] of this.byNamespace) {
        if (!peerAdmitsNamespace(this.model, np, pe, ns)) continue;
        for (const i of list) if (peerAdmitsLabels(pe, this.entities[i]!.pod!)) set.add(i);
      }
    }
    this.cache.set(rule, set);
    return set;
  }
}
