// Model layer (pure): NodePort allocation from nodePortRange (SVC-3, IP-2). Must not import vscode, LSP, node:* or fs.
import { hash32 } from '../core/hash';

/**
 * ServiceNodePortStaticSubrange (k8s portallocator `calculateRangeOffset`): min(max(16, size/32), 128),
 * or 0 for ranges of 16 ports or fewer. For 30000-32767 (2768 ports) that is 86: automatic nodePorts
 * come from 30086-32767 first, leaving 30000-30085 to explicit claims.
 */
export function nodePortStaticBand(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

export type NodePortClaim = { ok: true } | { ok: false; reason: 'outside' } | { ok: false; reason: 'taken'; holder: string };

/** NodePorts are unique by number across Services, whatever the protocol (SVC-3). */
export class NodePortAllocator {
  readonly size: number;
  readonly offset: number;
  private readonly taken = new Map<number, string>();

  constructor(readonly range: { min: number; max: number }) {
    this.size = Math.max(0, range.max - range.min + 1);
    this.offset = nodePortStaticBand(this.size);
  }

  holder(port: number): string | undefined {
    return this.taken.get(port);
  }

  claim(port: number, holder: string): NodePortClaim {
    if (port < this.range.min || port > this.range.max) return { ok: false, reason: 'outside' };
    const other = this.taken.get(port);
    if (other !== undefined && other !== holder) return { ok: false, reason: 'taken', holder: other };
    this.taken.set(port, holder);
    return { ok: true };
  }

  /**
   * Deterministic and stable: `key` (Service identity and port) hashes to a preferred port in the
   * upper band, then probes upward, wrapping, then the static band (IP-2).
   */
  allocate(key: string, holder: string): number | null {
    const band = this.size - this.offset;
    if (band > 0) {
      const start = hash32(key) % band;
      for (let i = 0; i < band; i++) {
        const port = this.range.min + this.offset + ((start + i) % band);
        if (!this.taken.has(port)) return this.take(port, holder);
      }
    }
    for (let i = 0; i < this.offset; i++) {
      const port = this.range.min + i;
      if (!this.taken.has(port)) return this.take(port, holder);
    }
    return null;
  }

  private take(port: number, holder: string): number {
    this.taken.set(port, holder);
    return port;
  }
}
