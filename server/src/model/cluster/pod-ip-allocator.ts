// Model layer (pure): pod IPs from a node's pod CIDR, deterministic and stable (IP-1, IP-2).
// Must not import vscode, LSP, node:* or fs.
import { hash32 } from '../core/hash';
import { addressAt, type Cidr } from '../core/ip';

export interface NodeAllocation {
  /** Pod id -> address. */
  ips: Map<string, string>;
  /** Pods that found no address, in the order they were given. */
  overflow: string[];
  /** Addresses pods may use: the block minus network (flannel.1), bridge (cni0) and broadcast. */
  capacity: bigint;
}

/**
 * Offsets 0 (network address, flannel.1, CL-3), 1 (cni0 bridge, the pods' gateway) and the last
 * (broadcast; kept free for IPv6 too, as host-local IPAM does) are never handed out (IP-1).
 */
const FIRST_USABLE = 2n;

export function usableAddresses(block: Cidr): bigint {
  return block.size > 3n ? block.size - 3n : 0n;
}

/**
 * Addresses for the pods of one node. `podIds` come in scheduling order: when the block is too
 * small, the pods at the end overflow (IP-1).
 *
 * Stability (IP-2): each pod hashes its own identity to a preferred offset and takes the first free
 * one from there (linear probing). Pods are placed in order of (preferred offset, identity), not
 * in the order they were written, so a pod's address depends only on the pods whose preferred
 * offsets fall in the same run of occupied addresses before it: adding, removing or editing any
 * other resource leaves it alone unless that resource's pods land in that very run. And blocks
 * are per node, so nothing on another node ever matters.
 */
export function allocateNode(block: Cidr, podIds: readonly string[]): NodeAllocation {
  const capacity = usableAddresses(block);
  const ips = new Map<string, string>();
  const admittedCount = BigInt(podIds.length) > capacity ? Number(capacity) : podIds.length;
  const admitted = podIds.slice(0, admittedCount);
  const overflow = podIds.slice(admittedCount);
  if (capacity === 0n) return { ips, overflow, capacity };

  const wanted = admitted.map((id) => ({ id, slot: BigInt(hash32(id)) % capacity }));
  wanted.sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const used = new Set<bigint>();
  for (const w of wanted) {
    let slot = w.slot;
    // Never loops forever: there are at most `capacity` pods here.
    while (used.has(slot)) slot = slot + 1n === capacity ? 0n : slot + 1n;
    used.add(slot);
    ips.set(w.id, addressAt(block, FIRST_USABLE + slot));
  }
  return { ips, overflow, capacity };
}
