// Model layer (pure): the cluster's nodes from the profile and `kind: Node` manifests (CL-2, CL-3).
// Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';
import { ofKind } from './context';
import type { NodeInfo, Resource } from './types';
import { Fields, metadata, valueSpan } from './read';
import { formatIp, parseCidr, parseIp, type Cidr } from './ip';
import { freeBlocks, nodeMaskSize, overlappingPairs, overlayAndBridge } from './nodecidr';

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

export function resolveNodes(ctx: BuildContext): void {
  const nodes: NodeInfo[] = ctx.profile.nodes.map((n) => ({
    ...n,
    labels: { ...implicitNodeLabels(n.name), ...n.labels },
  }));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const needCidr: NodeInfo[] = [];
  const needIp: NodeInfo[] = [];

  for (const res of ofKind(ctx, 'Node')) {
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

  allocateMissing(ctx, nodes, needCidr, needIp);
  reportOverlaps(ctx, nodes);
  ctx.nodes = nodes;
  for (const n of nodes) ctx.index.nodeByName.set(n.name, n);
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
    if (!cidr || (cidr.family !== parseCidr(ctx.profile.podCIDR)?.family)) {
      const at = podCIDR !== undefined ? valueSpan(res, spec!, 'podCIDR') : valueSpan(res, spec!, 'podCIDRs');
      f.report('invalid-field', 'error', `\`${cidrText}\` is not a ${cidr ? 'CIDR of the cluster podCIDR\'s family' : 'CIDR'}; the node keeps ${ctx.profile.nodes.some((n) => n.name === res.name) ? 'the profile\'s block' : 'a block allocated from podCIDR'}.`, at, 'CL-2');
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
      else if (n.source) new Fields(n.source, ctx.diagnostics).report('node-pod-cidr-exhausted', 'error', `The cluster podCIDR ${cluster.text} has no free block left for node ${n.name}; its pods get no address.`, valueSpan(n.source, metadata(n.source), 'name'), 'CL-2');
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
    new Fields(res, ctx.diagnostics).report('invalid-field', 'error', `Node ${b.name}'s podCIDR ${b.podCIDR} overlaps node ${a.name}'s ${a.podCIDR}; pod addresses would be routed to the wrong node.`, span, 'CL-2');
  }
}
