// Model layer (pure): splitting the cluster pod CIDR into per-node blocks (CL-1, CL-2, CL-3).
// Must not import vscode, LSP, node:* or fs.
import { addressAt, parseCidr, type Cidr } from '../core/ip';

/**
 * Prefix length of a node's block, like kube-controller-manager's `--node-cidr-mask-size`
 * (24 for IPv4, 64 for IPv6), made longer only when the cluster CIDR is too small to hold one
 * block per node (a /24 cluster CIDR with two nodes gives two /25s).
 */
export function nodeMaskSize(cluster: Cidr, nodeCount: number): number {
  const bits = cluster.family === 4 ? 32 : 128;
  const wanted = cluster.family === 4 ? 24 : 64;
  const need = Math.ceil(Math.log2(Math.max(1, nodeCount)));
  return Math.min(bits - 2, Math.max(wanted, cluster.prefix + need));
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.base < b.base + b.size && b.base < a.base + a.size;
}

/**
 * The next `n` blocks of `mask` bits inside `cluster`, in address order, that overlap none of
 * `taken`: nodes without an explicit podCIDR get the lowest free blocks "in node order" (§1).
 * Returns fewer when the cluster CIDR is full.
 */
export function freeBlocks(cluster: Cidr, mask: number, taken: readonly Cidr[], n: number): Cidr[] {
  const out: Cidr[] = [];
  const bits = cluster.family === 4 ? 32 : 128;
  if (mask < cluster.prefix || mask > bits) return out;
  const blockSize = 1n << BigInt(bits - mask);
  const count = cluster.size / blockSize;
  const used = [...taken];
  for (let k = 0n; k < count && out.length < n; k++) {
    const block = parseCidr(`${addressAt(cluster, k * blockSize)}/${mask}`);
    if (!block || used.some((t) => overlaps(t, block))) continue;
    out.push(block);
    used.push(block);
  }
  return out;
}

/** CL-3: the network address (flannel.1) and the next one (cni0 bridge) of a node's block. */
export function overlayAndBridge(block: Cidr): { overlayIP: string; bridgeIP: string } {
  return { overlayIP: addressAt(block, 0), bridgeIP: addressAt(block, 1) };
}

/** Pairs of blocks that overlap, found by sorting (nodes can be many; no n² scan). */
export function overlappingPairs<T>(items: readonly T[], cidrOf: (t: T) => Cidr | null): [T, T][] {
  const withCidr = items.map((t) => ({ t, c: cidrOf(t) })).filter((x): x is { t: T; c: Cidr } => x.c !== null);
  withCidr.sort((a, b) => a.c.family - b.c.family || (a.c.base < b.c.base ? -1 : a.c.base > b.c.base ? 1 : 0));
  const out: [T, T][] = [];
  let reach: { t: T; c: Cidr } | undefined;
  for (const x of withCidr) {
    if (reach && overlaps(reach.c, x.c)) out.push([reach.t, x.t]);
    if (!reach || reach.c.family !== x.c.family || x.c.base + x.c.size > reach.c.base + reach.c.size) reach = x;
  }
  return out;
}
