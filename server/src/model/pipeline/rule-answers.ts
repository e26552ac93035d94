// Model layer (pure): whether a NetworkPolicy rule's peers match any source at all (NP-3), kept from build to build
// for the NP-6 check (cross-checks.ts). Must not import vscode, LSP, node:* or fs.
import type { Model, NetworkPolicyInfo, PodInfo, PolicyPeer, PolicyRule } from '../types';
import type { PodIndex } from '../build/pod-index';
import { peerAdmitsLabels, peerAdmitsNamespace } from '../netpol/policy-evaluator';

/** What one build offers the answers: its pods by namespace (as the pods stage made them) and the pod of an id now. */
export interface AnswerWorld {
  model: Model;
  /** Each namespace's pods (the same list object while they are the same pods). */
  lists: ReadonlyMap<string, readonly PodInfo[]>;
  /** The pods stage's object for the pod that has `pod`'s id now, if any. */
  current(pod: PodInfo): PodInfo | undefined;
  /** The pods of `lists` indexed by label, if made. */
  index?: PodIndex;
}

interface Answer {
  /** The policy's namespace and the rule's peers, as text: all of them the answer reads (a policy made again is often the same). */
  peers: string;
  /** The rule the text was made from, and its policy's namespace: the same rule object has the same text. */
  rule: PolicyRule;
  namespace: string;
  namespaces: Model['namespaces'];
  some: boolean;
  /** The pod that matched ("yes" by a pod). */
  witness?: PodInfo;
  /** For a "no": the pods of each namespace the peers admit, as they were when none matched. */
  lists?: ReadonlyMap<string, readonly PodInfo[]>;
}

/**
 * Answers by policy and rule. A "yes" is kept while the pod that matched is the same object; a "no" while the pods of
 * every namespace the peers admit are, and otherwise only the namespaces whose pods changed are looked at again.
 * The rule's peers and policy namespace must be the same, and the namespaces (their labels decide which a peer
 * admits) the same objects.
 */
export class RuleAnswers {
  private prev = new Map<string, Answer>();
  private next = new Map<string, Answer>();

  someSource(key: string, np: NetworkPolicyInfo, rule: PolicyRule, world: AnswerWorld): boolean {
    const kept = this.prev.get(key);
    // A policy kept or read again with the same rules keeps its rule objects (network-policies.ts): no text to make.
    const sameRule = kept?.rule === rule && kept.namespace === np.namespace;
    const peers = sameRule ? kept.peers : `${np.namespace}\u0000${JSON.stringify(rule.peers)}`;
    let answer: Answer | undefined;
    if (kept && kept.peers === peers && kept.namespaces === world.model.namespaces) {
      if (kept.some) answer = stillSome(kept, np, rule, world);
      else answer = stillNone(kept, np, rule, world);
      if (answer && !sameRule) answer = { ...answer, rule, namespace: np.namespace };
    }
    answer ??= fresh(peers, np, rule, world);
    this.next.set(key, answer);
    return answer.some;
  }

  settle(): void {
    this.prev = this.next;
    this.next = new Map();
  }
}

/** The answer without a memo (one build, as the CLI's): every admitted namespace's pods looked at. */
export function someSourceNow(np: NetworkPolicyInfo, rule: PolicyRule, world: AnswerWorld): boolean {
  return fresh('', np, rule, world).some;
}

function admits(np: NetworkPolicyInfo, rule: PolicyRule, world: AnswerWorld, ns: string): boolean {
  return rule.peers!.some((pe) => peerAdmitsNamespace(world.model, np, pe, ns));
}

/** NP-3: a label peer (its namespace admitted) matches a pod with an IP, not on hostNetwork, that carries its labels. */
function isSource(pe: PolicyPeer, p: PodInfo): boolean {
  return p.ip !== null && !p.hostNetwork && peerAdmitsLabels(pe, p);
}

/** A pod of `list` some peer of the rule admits (isSource). */
function matching(np: NetworkPolicyInfo, rule: PolicyRule, world: AnswerWorld, ns: string, list: readonly PodInfo[]): PodInfo | undefined {
  const peers = rule.peers!.filter((pe) => peerAdmitsNamespace(world.model, np, pe, ns));
  if (peers.length === 0) return undefined;
  const index = world.index;
  if (!index) return list.find((p) => peers.some((pe) => isSource(pe, p)));
  const admitted = (pe: PolicyPeer) => (p: PodInfo) => isSource(pe, p);
  // Through the index, only the pods carrying a peer's matchLabels are looked at, not the namespace's every pod (issue
  // 13: a namespace of 20,000 pods scanned per rule that admits it cost 100 ms an edit). Any witness will do.
  for (const pe of peers) {
    const witness = pe.podSelector ? index.find(ns, pe.podSelector.matchLabels, admitted(pe)) : list.find(admitted(pe));
    if (witness) return witness;
  }
  return undefined;
}

function fresh(peers: string, np: NetworkPolicyInfo, rule: PolicyRule, world: AnswerWorld): Answer {
  const base = { peers, rule, namespace: np.namespace, namespaces: world.model.namespaces };
  if (rule.peers === null || rule.peers.some((pe) => !!pe.ipBlock)) return { ...base, some: true };
  const lists = new Map<string, readonly PodInfo[]>();
  for (const [ns, list] of world.lists) {
    if (!admits(np, rule, world, ns)) continue;
    const witness = matching(np, rule, world, ns, list);
    if (witness) return { ...base, some: true, witness };
    lists.set(ns, list);
  }
  return { ...base, some: false, lists };
}

/**
 * A "yes" while its witness is the same object, or the pod of its id now is still a source (isSource): a pod
 * re-addressed on a full node is made again, and the rules it witnessed stay true.
 */
function stillSome(kept: Answer, np: NetworkPolicyInfo, rule: PolicyRule, world: AnswerWorld): Answer | undefined {
  const witness = kept.witness;
  if (!witness) return kept;
  const now = world.current(witness);
  if (now === witness) return kept;
  if (!now) return undefined;
  const admitted = rule.peers!.some((pe) => peerAdmitsNamespace(world.model, np, pe, now.namespace) && isSource(pe, now));
  return admitted ? { ...kept, witness: now } : undefined;
}

function stillNone(kept: Answer, np: NetworkPolicyInfo, rule: PolicyRule, world: AnswerWorld): Answer {
  const lists = new Map<string, readonly PodInfo[]>();
  for (const [ns, list] of world.lists) {
    if (!admits(np, rule, world, ns)) continue;
    if (kept.lists?.get(ns) !== list) {
      const witness = matching(np, rule, world, ns, list);
      if (witness) return { peers: kept.peers, rule, namespace: np.namespace, namespaces: kept.namespaces, some: true, witness };
    }
    lists.set(ns, list);
  }
  return { ...kept, lists };
}
