// Model layer (pure): pod names the way controllers make them, derived from identities instead of
// randomness (WL-2). Must not import vscode, LSP, node:* or fs.
import { hash32 } from '../core/hash';
import { nameSuffix, SAFE_ALPHABET, suffixOfHash } from '../core/generated-names';

/**
 * The Deployment's `pod-template-hash` (10 chars). Kubernetes safe-encodes the decimal digits of a
 * 32-bit hash, so real hashes only use `456789bcdf` (`nginx-66b6c48dd5-…`); we do the same with the
 * hash of the Deployment's identity (not its template, so editing the template does not rename its
 * pods on every keystroke, IP-2), zero-padded to the contract's 10 characters.
 */
export function podTemplateHash(identity: string): string {
  const digits = String(hash32(identity)).padStart(10, '0');
  let out = '';
  for (let i = 0; i < digits.length; i++) out += SAFE_ALPHABET[digits.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** CronJob's Job name suffix: real controllers use the scheduled time in minutes (8 digits today). */
export function cronJobSuffix(identity: string): string {
  return String(hash32(`${identity}#schedule`) % 100_000_000).padStart(8, '0');
}

/**
 * Picks `base-suffix` names that are unique among `taken` (pod ids `NS/NAME`). A clash, astronomically
 * rare, is resolved by re-seeding; what was taken before keeps its name.
 */
export function uniqueName(namespace: string, prefix: string, seed: string, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const name = `${prefix}-${nameSuffix(attempt === 0 ? seed : `${seed}#${attempt}`)}`;
    if (!taken.has(`${namespace}/${name}`)) {
      taken.add(`${namespace}/${name}`);
      return name;
    }
  }
}

/**
 * `uniqueName(namespace, prefix, seedBase + seedTail, taken)`, returning the pod id (`NS/NAME`)
 * instead of the name. For workloads that name thousands of pods: `seedBaseHash` is
 * `hash32(seedBase)`, hashed once per workload, and the id returned is the very string stored in
 * `taken` (already flat and hashed, so later maps keyed by pod id do not redo that work).
 */
export function uniquePodId(
  namespace: string,
  prefix: string,
  seedBase: string,
  seedBaseHash: number,
  seedTail: string,
  taken: Set<string>,
  clashes?: { count: number },
): string {
  const id = `${namespace}/${prefix}-${suffixOfHash(hash32(seedTail, seedBaseHash))}`;
  if (!taken.has(id)) {
    taken.add(id);
    return id;
  }
  if (clashes) clashes.count++;
  const name = uniqueName(namespace, prefix, seedBase + seedTail, taken);
  return `${namespace}/${name}`;
}
