// Model layer (pure): the one hash the model derives every stable choice from. Must not import vscode, LSP, node:* or fs.

/**
 * Deterministic 32-bit FNV-1a hash of a string: stable slots for IP-2, pod name suffixes for WL-2.
 * FNV-1a is sequential, so `hash32(b, hash32(a)) === hash32(a + b)`: callers hashing many strings
 * with a common prefix hash the prefix once.
 */
export function hash32(s: string, from = 0x811c9dc5): number {
  let h = from;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
