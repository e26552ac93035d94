// Model layer (pure): the random-looking parts of names the API server and controllers generate
// (`generateName`, ReplicaSet pods, EndpointSlices), derived from a seed instead of randomness so the
// same files give the same names (WL-2, IP-2). Must not import vscode, LSP, node:* or fs.
import { hash32 } from './hash';

/** Kubernetes' `rand.SafeEncodeString` alphabet: no vowels, no 0/1/3 (no words, no look-alikes). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5 random characters controllers append (`utilrand.String(5)`), here a function of `seed`. */
export function nameSuffix(seed: string, length = 5): string {
  return suffixOfHash(hash32(seed), length);
}

/** The suffix for an already computed hash (callers that hash a shared prefix once). */
export function suffixOfHash(hash: number, length = 5): string {
  let h = hash;
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET[h % SAFE_ALPHABET.length];
    h = Math.floor(h / SAFE_ALPHABET.length);
  }
  return out;
}
