// Model layer (pure): ClusterIP ranges and allocation from serviceCIDR (IP-2, IP-4, IP-5). Must not import vscode, LSP, node:* or fs.
import { hash32 } from '../core/hash';
import { type Cidr, addressAt, parseCidr, parseIp } from '../core/ip';

export type IpFamilyName = 'IPv4' | 'IPv6';

/** Why an explicit ClusterIP cannot be had; `taken` carries the holder's `NS/NAME`. */
export type ClaimResult =
  { ok: true } | { ok: false; reason: 'malformed' | 'family' | 'outside' | 'network' | 'broadcast' } | { ok: false; reason: 'taken'; holder: string };

/**
 * ServiceIPStaticSubrange (k8s ipallocator `calculateRangeOffset`): min(max(16, size/16), 256), or 0
 * for ranges of 16 addresses or fewer. Indices below it are kept for explicit claims.
 */
export function staticBandSize(cidrSize: bigint): bigint {
  if (cidrSize <= 16n) return 0n;
  const o = cidrSize / 16n;
  return o < 16n ? 16n : o > 256n ? 256n : o;
}

/**
 * One family's service range. Like the API server's allocator, index i is the address
 * network + 1 + i: the network address is never handed out, nor (IPv4) the broadcast address.
 * So for 10.43.0.0/16 the static band is 10.43.0.1–10.43.1.0 and automatic IPs start at 10.43.1.1.
 */
export class ServiceIpRange {
  readonly family: IpFamilyName;
  /** Number of usable indices. */
  readonly max: bigint;
  /** First index of the dynamic (upper) band. */
  readonly offset: bigint;
  private readonly taken = new Map<bigint, string>();

  constructor(readonly cidr: Cidr) {
    this.family = cidr.family === 4 ? 'IPv4' : 'IPv6';
    // IPv6 has no broadcast address; only the network (subnet-router anycast) address is skipped.
    this.max = cidr.family === 4 ? (cidr.size > 2n ? cidr.size - 2n : 0n) : cidr.size - 1n;
    this.offset = staticBandSize(cidr.size);
    if (this.offset > this.max) this.offset = 0n;
  }

  addressOf(index: bigint): string {
    return addressAt(this.cidr, index + 1n);
  }

  /** Who holds an address (`NS/NAME`), if anyone. */
  holder(ip: string): string | undefined {
    const p = parseIp(ip);
    if (!p || p.family !== this.cidr.family) return undefined;
    return this.taken.get(p.value - this.cidr.base - 1n);
  }

  /** An explicit `spec.clusterIP`: honoured when valid and free (IP-4). */
  claim(ip: string, holder: string): ClaimResult {
    const p = parseIp(ip);
    if (!p) return { ok: false, reason: 'malformed' };
    if (p.family !== this.cidr.family) return { ok: false, reason: 'family' };
    const rel = p.value - this.cidr.base;
    if (rel < 0n || rel >= this.cidr.size) return { ok: false, reason: 'outside' };
    if (rel === 0n) return { ok: false, reason: 'network' };
    const index = rel - 1n;
    if (index >= this.max) return { ok: false, reason: 'broadcast' };
    const other = this.taken.get(index);
    if (other !== undefined) return { ok: false, reason: 'taken', holder: other };
    this.taken.set(index, holder);
    return { ok: true };
  }

  /**
   * Automatic allocation, deterministic and stable (IP-2): the identity hashes to a preferred slot
   * in the upper band, then probes upward, wrapping within the upper band and only then falling
   * back to the static band, as the API server does when the upper band is full. Unrelated Services
   * therefore keep their addresses unless two identities hash to the same slot.
   */
  allocate(holder: string): string | null {
    const band = this.max - this.offset;
    if (band > 0n) {
      const start = BigInt(hash32(`${this.family}/${holder}`)) % band;
      const limit = band < 1_000_000n ? band : 1_000_000n; // a huge IPv6 band never needs a full scan
      for (let i = 0n; i < limit; i++) {
        const index = this.offset + ((start + i) % band);
        if (!this.taken.has(index)) return this.take(index, holder);
      }
    }
    for (let index = 0n; index < this.offset; index++) if (!this.taken.has(index)) return this.take(index, holder);
    return null;
  }

  private take(index: bigint, holder: string): string {
    this.taken.set(index, holder);
    return this.addressOf(index);
  }
}

/** The cluster's service ranges: `serviceCIDR` may list one CIDR per family, comma-separated (dual-stack). */
export class ServiceIpRanges {
  readonly ranges: ServiceIpRange[] = [];

  constructor(serviceCIDR: string) {
    for (const part of serviceCIDR.split(',')) {
      const c = parseCidr(part.trim());
      if (c && !this.ranges.some((r) => r.cidr.family === c.family)) this.ranges.push(new ServiceIpRange(c));
    }
    // The profile stage reports a bad serviceCIDR; fall back to its default so Services still get IPs.
    if (this.ranges.length === 0) this.ranges.push(new ServiceIpRange(parseCidr('10.43.0.0/16')!));
  }

  get primary(): ServiceIpRange {
    return this.ranges[0]!;
  }

  get dualStack(): boolean {
    return this.ranges.length > 1;
  }

  of(family: IpFamilyName): ServiceIpRange | undefined {
    return this.ranges.find((r) => r.family === family);
  }

  describe(): string {
    return this.ranges.map((r) => r.cidr.text).join(',');
  }
}

export function familyOfIp(ip: string): IpFamilyName | null {
  const p = parseIp(ip);
  return p ? (p.family === 4 ? 'IPv4' : 'IPv6') : null;
}
