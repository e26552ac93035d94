// Model layer (pure): the cluster's nodes from the profile and `kind: Node` manifests (CL-2, CL-3).
// Must not import vscode, LSP, node:* or fs.
import { isWorkloadKind, REPLICATED_KINDS, RUN_TO_COMPLETION, templateHolderPath } from '../input/workload-kinds';
import type { BuildContext } from '../build/build-context';
import { MemoSlot, memoOf, ofKind } from '../build/build-context';
import { sameItems, samePlain } from '../build/incremental';
import type { Json, ModelDiagnostic, NodeInfo, Resource } from '../types';
import { Fields, isMap, metadata, valueSpan } from '../core/typed-fields';
import { formatIp, parseCidr, parseIp, type Cidr } from '../core/ip';
import { freeBlocks, nodeMaskSize, overlappingPairs, overlayAndBridge } from './node-pod-cidrs';

/**
 * CL-2: the labels every kubelet sets on its own Node. `kubernetes.io/hostname` is the contract's (§1);
 * os and arch, and their deprecated `beta.kubernetes.io/` twins that kubelet still sets, are there
 * because real manifests select on them (`beta.kubernetes.io/os: linux` in many older charts), which
 * would otherwise never schedule. Labels the profile or a Node manifest gives win over these.
 */
export function implicitNodeLabels(name: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  };
}

/** A workload's ask for a node (CL-5), read raw. */
interface NodeAsk {
  name?: string;
  labels: Record<string, string>;
  by: string;
}

/** What the nodes stage keeps for the next build: its inputs besides the profile, its nodes and diagnostics. */
interface NodesMemo {
  /** Each workload manifest's ask (null: none), read once per manifest object. */
  readonly asks: WeakMap<Resource, NodeAsk | null>;
  kept?: { manifests: readonly Resource[]; want: number; asked: readonly NodeAsk[]; nodes: NodeInfo[]; diagnostics: readonly ModelDiagnostic[] };
}

const NODES_MEMO = new MemoSlot<NodesMemo>('nodes', () => ({ asks: new WeakMap() }));

/**
 * CL-2..5: the nodes. They depend (besides the profile, whose change empties the memo) on the Node manifests, and
 * with assumed nodes on how many the workloads need and which nodes they ask for: while those are the same, the
 * previous build's nodes (the same objects) and diagnostics are kept (issue 13: an edit of a Deployment's replicas
 * no longer reads every workload's pod spec and allocates every node's addresses again).
 */
export function resolveNodes(ctx: BuildContext): void {
  const memo = memoOf(ctx, NODES_MEMO);
  const manifests = ofKind(ctx, 'Node');
  // CL-5: nobody declared nodes: the seed's two are assumed, with as many more as the pods need.
  const assumed = ctx.profile.nodesAssumed === true && manifests.length === 0;
  const want = assumed ? assumedNodeCount(estimatePods(ctx), ctx.profile.kubeletMaxPods) : 0;
  const asked = assumed ? askedNodes(ctx, memo?.asks) : [];
  const kept = memo?.kept;
  if (kept && kept.want === want && sameItems(kept.manifests, manifests) && samePlain(kept.asked, asked)) {
    ctx.diagnostics.push(...kept.diagnostics);
    ctx.nodes = kept.nodes;
  } else {
    const first = ctx.diagnostics.length;
    ctx.nodes = makeNodes(ctx, manifests, assumed, want, asked);
    if (memo) memo.kept = { manifests, want, asked, nodes: ctx.nodes, diagnostics: ctx.diagnostics.slice(first) };
  }
  for (const n of ctx.nodes) ctx.index.nodeByName.set(n.name, n);
}

function makeNodes(ctx: BuildContext, manifests: readonly Resource[], assumed: boolean, want: number, asked: readonly NodeAsk[]): NodeInfo[] {
  const nodes: NodeInfo[] = ctx.profile.nodes.map((n) => ({
    ...n,
    labels: { ...implicitNodeLabels(n.name), ...n.labels },
  }));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const needCidr: NodeInfo[] = [];
  const needIp: NodeInfo[] = [];

  for (const res of manifests) {
    const read = readNodeManifest(res, ctx);
    let node = byName.get(res.name);
    if (!node) {
      node = { name: res.name, internalIP: '', podCIDR: '', overlayIP: '', bridgeIP: '', labels: implicitNodeLabels(res.name) };
      nodes.push(node);
      byName.set(node.name, node);
      if (!read.cidr) needCidr.push(node);
      if (!read.internalIP) needIp.push(node);
    }
    node.source = res;
    // CL-2: the manifest overrides what it states; the implicit hostname label cannot be changed away.
    node.labels = { ...node.labels, ...read.labels, 'kubernetes.io/hostname': node.name };
    if (read.internalIP) node.internalIP = read.internalIP;
    if (read.cidr) {
      node.podCIDR = read.cidr.text;
      Object.assign(node, overlayAndBridge(read.cidr)); // CL-3 follows the block
    }
  }

  if (assumed) {
    for (const n of nodes) n.assumed = true;
    const taken = new Set([...nodes.map((n) => n.name), ...ctx.profile.externalHosts.map((h) => h.name)]);
    for (let i = nodes.length + 1; nodes.length < want; i++) {
      const name = `node${i}`;
      if (taken.has(name)) continue;
      const node: NodeInfo = { name, internalIP: '', podCIDR: '', overlayIP: '', bridgeIP: '', labels: implicitNodeLabels(name), assumed: true };
      nodes.push(node);
      needCidr.push(node);
      needIp.push(node);
    }
    // Pods that name their node, or select labels no assumed node has, were written for a real cluster that
    // has such a node: assume it too, rather than call the pods Pending.
    for (const ask of asked) {
      if (nodes.some((n) => (ask.name === undefined || n.name === ask.name) && Object.entries(ask.labels).every(([k, v]) => n.labels[k] === v))) continue;
      const wanted = ask.name ?? ask.labels['kubernetes.io/hostname'];
      // A name already taken (a node with other labels, an external host) stays as it is: the pods stay Pending.
      if (wanted !== undefined && taken.has(wanted)) continue;
      let name = wanted;
      for (let i = nodes.length + 1; name === undefined || taken.has(name); i++) name = `node${i}`;
      taken.add(name);
      const node: NodeInfo = {
        name,
        internalIP: '',
        podCIDR: '',
        overlayIP: '',
        bridgeIP: '',
        labels: { ...implicitNodeLabels(name), ...ask.labels, 'kubernetes.io/hostname': name },
        assumed: true,
        assumedFor: ask.by,
      };
      nodes.push(node);
      needCidr.push(node);
      needIp.push(node);
    }
  }
  allocateMissing(ctx, nodes, needCidr, needIp);
  reportOverlaps(ctx, nodes);
  return nodes;
}

/** The pod spec of a workload manifest (CronJob: its job template's), read raw. */
function podSpecOf(res: Resource): Json | undefined {
  const b = res.body;
  if (res.kind === 'Pod') return b.spec;
  let spec: Json | undefined = b.spec;
  for (const key of templateHolderPath(res.kind)) spec = isMap(spec) ? spec[key] : undefined;
  return isMap(spec) && isMap(spec.template) ? spec.template.spec : undefined;
}

/** CL-5: nodes that workloads ask for by `nodeName` or `nodeSelector` (read raw; the pods stage reports bad values). */
function askedNodes(ctx: BuildContext, cache: WeakMap<Resource, NodeAsk | null> | undefined): NodeAsk[] {
  const out: NodeAsk[] = [];
  for (const res of ctx.resources) {
    if (!isWorkloadKind(res.kind)) continue;
    let ask = cache?.get(res);
    if (ask === undefined) {
      ask = askOf(res);
      cache?.set(res, ask);
    }
    if (ask) out.push(ask);
  }
  return out;
}

function askOf(res: Resource): NodeAsk | null {
  const spec = podSpecOf(res);
  if (!isMap(spec)) return null;
  const labels: Record<string, string> = {};
  if (isMap(spec.nodeSelector)) for (const [k, v] of Object.entries(spec.nodeSelector)) if (typeof v === 'string') labels[k] = v;
  const name = typeof spec.nodeName === 'string' && spec.nodeName !== '' ? spec.nodeName : undefined;
  return name !== undefined || Object.keys(labels).length > 0 ? { ...(name !== undefined ? { name } : {}), labels, by: res.id } : null;
}

/** Pods the workloads ask for, DaemonSets aside (they follow the nodes): read raw, reported by the pods stage. */
function estimatePods(ctx: BuildContext): number {
  let total = 0;
  const count = (v: Json | undefined): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? Math.min(v, 5000) : 1);
  for (const [kind, list] of ctx.byKind) {
    if (kind === 'Pod') total += list.length;
    else if (REPLICATED_KINDS.has(kind)) for (const r of list) total += count(isMap(r.body.spec) ? r.body.spec.replicas : undefined);
    else if (RUN_TO_COMPLETION.has(kind)) total += list.length;
  }
  return total;
}

/** Most pods an assumed node is planned for: three quarters of kubeletMaxPods, room for uneven spreading. */
const ASSUMED_FILL = 0.75;
/** A bound on assumed nodes (a /16 pod CIDR holds 256 node blocks). */
const MAX_ASSUMED_NODES = 256;

/**
 * CL-5: how many nodes to assume for `pods` pods: the seed's two, doubled until the pods fit. Powers of
 * two, so that the count (and with it where pods run, IP-2) only changes when the workspace doubles,
 * not with every added Deployment.
 */
export function assumedNodeCount(pods: number, maxPods: number): number {
  const perNode = Math.max(1, Math.floor(maxPods * ASSUMED_FILL));
  let k = 2;
  while (k * perNode < pods && k < MAX_ASSUMED_NODES) k *= 2;
  return k;
}

interface NodeManifest {
  labels: Record<string, string>;
  cidr: Cidr | null;
  internalIP: string | null;
}

function readNodeManifest(res: Resource, ctx: BuildContext): NodeManifest {
  const f = new Fields(res, ctx.diagnostics);
  const labels = f.stringMap(metadata(res), 'labels') ?? {};
  const spec = f.map(res.body, 'spec');
  let cidr: Cidr | null = null;
  const podCIDR = f.str(spec, 'podCIDR');
  const podCIDRs = f.strings(spec, 'podCIDRs');
  // spec.podCIDR is the first of spec.podCIDRs on a dual-stack node.
  const cidrText = podCIDR ?? podCIDRs?.[0];
  if (cidrText !== undefined) {
    cidr = parseCidr(cidrText);
    if (!cidr || cidr.family !== parseCidr(ctx.profile.podCIDR)?.family) {
      const at = podCIDR !== undefined ? valueSpan(res, spec!, 'podCIDR') : valueSpan(res, spec!, 'podCIDRs');
      f.report(
        'invalid-field',
        'error',
        `\`${cidrText}\` is not a ${cidr ? "CIDR of the cluster podCIDR's family" : 'CIDR'}; the node keeps ${ctx.profile.nodes.some((n) => n.name === res.name) ? "the profile's block" : 'a block allocated from podCIDR'}.`,
        at,
        'CL-2',
      );
      cidr = null;
    }
  }
  let internalIP: string | null = null;
  for (const a of f.maps(f.map(res.body, 'status'), 'addresses')) {
    if (f.str(a, 'type') !== 'InternalIP') continue;
    const ip = f.str(a, 'address');
    if (ip !== undefined && parseIp(ip)) {
      internalIP ??= ip;
    } else if (ip !== undefined) {
      f.report('invalid-field', 'error', `\`${ip}\` is not an IP address; the node's InternalIP is not taken from it.`, valueSpan(res, a, 'address'), 'CL-2');
    }
  }
  return { labels, cidr, internalIP };
}

/** Nodes only written as manifests and lacking podCIDR or InternalIP get the next free ones. */
function allocateMissing(ctx: BuildContext, nodes: NodeInfo[], needCidr: NodeInfo[], needIp: NodeInfo[]): void {
  const cluster = parseCidr(ctx.profile.podCIDR);
  if (cluster && needCidr.length) {
    const taken = nodes.flatMap((n) => (n.podCIDR ? [parseCidr(n.podCIDR)!] : []));
    const blocks = freeBlocks(cluster, nodeMaskSize(cluster, nodes.length), taken, needCidr.length);
    needCidr.forEach((n, i) => {
      const b = blocks[i];
      if (b) Object.assign(n, { podCIDR: b.text }, overlayAndBridge(b));
      else if (n.source)
        new Fields(n.source, ctx.diagnostics).report(
          'node-pod-cidr-exhausted',
          'error',
          `The cluster podCIDR ${cluster.text} has no free block left for node ${n.name}; its pods get no address.`,
          valueSpan(n.source, metadata(n.source), 'name'),
          'CL-2',
        );
    });
  }
  if (needIp.length) {
    // After the highest IPv4 node address on the LAN, skipping hosts the profile names.
    const used = new Set([...nodes.map((n) => n.internalIP), ...ctx.profile.externalHosts.map((h) => h.ip)]);
    let top = 0n;
    for (const n of nodes) {
      const ip = parseIp(n.internalIP);
      if (ip?.family === 4 && ip.value > top) top = ip.value;
    }
    if (top === 0n) top = parseIp('10.0.0.0')!.value;
    for (const n of needIp) {
      let next = top + 1n;
      while (used.has(formatIp({ family: 4, value: next }))) next++;
      n.internalIP = formatIp({ family: 4, value: next });
      used.add(n.internalIP);
      top = next;
    }
  }
}

function reportOverlaps(ctx: BuildContext, nodes: NodeInfo[]): void {
  for (const [a, b] of overlappingPairs(nodes, (n) => (n.podCIDR ? parseCidr(n.podCIDR) : null))) {
    const res = b.source ?? a.source;
    if (!res) continue; // profile-only overlaps are reported by the profile reader (CL-1)
    const spec = res.body.spec;
    const span = spec && typeof spec === 'object' && !Array.isArray(spec) ? valueSpan(res, spec, 'podCIDR') : valueSpan(res, metadata(res), 'name');
    new Fields(res, ctx.diagnostics).report(
      'invalid-field',
      'error',
      `Node ${b.name}'s podCIDR ${b.podCIDR} overlaps node ${a.name}'s ${a.podCIDR}; pod addresses would be routed to the wrong node.`,
      span,
      'CL-2',
    );
  }
}
