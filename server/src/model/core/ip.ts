// Model layer (pure): IPv4/IPv6 address arithmetic over CIDRs. Must not import vscode, LSP, node:* or fs.
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** The network address as an integer. */
  base: bigint;
  prefix: number;
  /** Number of addresses in the block. */
  size: bigint;
  /** The CIDR as written, normalised (`10.42.0.0/16`). */
  text: string;
}

export interface Ip {
  family: Family;
  value: bigint;
}

/**
 * A canonical dotted quad (`10.42.0.5`: four decimal octets <= 255, no leading zeros) as a number,
 * else undefined. The fast path for parseIp: pods and Services parse and format many addresses per
 * build, and ipaddr plus bigint shifts were a visible share of it. Anything else (leading zeros,
 * which ipaddr reads as octal; IPv6; garbage) takes the general path, so results are unchanged.
 */
function canonicalIpv4(s: string): number | undefined {
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined; // leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

function formatIpv4(v: number): string {
  return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

export function parseIp(s: string): Ip | null {
  if (typeof s !== 'string') return null;
  const v4 = canonicalIpv4(s);
  if (v4 !== undefined) return { family: 4, value: BigInt(v4) };
  if (!ipaddr.isValid(s)) return null;
  // ipaddr accepts odd IPv4 forms ("10.1", octal); Kubernetes wants dotted quads only.
  if (!s.includes(':') && !/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return null;
  const a = ipaddr.parse(s);
  const bytes = a.toByteArray();
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return { family: a.kind() === 'ipv4' ? 4 : 6, value: v };
}

export function isIp(s: string): boolean {
  return parseIp(s) !== null;
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4 && ip.value >= 0n && ip.value <= 0xffffffffn) return formatIpv4(Number(ip.value));
  const n = ip.family === 4 ? 4 : 16;
  const bytes: number[] = [];
  let v = ip.value;
  for (let i = 0; i < n; i++) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

export function parseCidr(s: string): Cidr | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return null;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const base = (ip.value >> hostBits) << hostBits;
  const cidr = { family: ip.family, base, prefix, size: 1n << hostBits, text: '' };
  cidr.text = `${formatIp({ family: ip.family, value: base })}/${prefix}`;
  return cidr;
}

export function cidrContains(cidr: Cidr, ip: Ip | string): boolean {
  const a = typeof ip === 'string' ? parseIp(ip) : ip;
  return !!a && a.family === cidr.family && a.value >= cidr.base && a.value < cidr.base + cidr.size;
}

/** The n-th address of the block (0 = network address). */
export function addressAt(cidr: Cidr, n: bigint | number): string {
  return formatIp({ family: cidr.family, value: cidr.base + BigInt(n) });
}

/** Whether one block lies wholly inside another. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}
