// Model layer (pure): the duplicates the model set aside (IN-5), asked by selector diagnostics. Must not import
// vscode, LSP, node:* or fs.
//
// Repositories ship alternative layouts side by side (one folder per recipe, each with its own `web` Pod).
// The model keeps the first definition of an identity; a policy or Service written next to a later one may
// then select nothing in the model while it selects that later definition when its own folder is applied.
// Saying "matches no pod" there would be false of the cluster the user means; the selector diagnostics name
// the set-aside definition instead.
import type { JsonMap, LabelSelector, Resource } from '../types';
import { matches } from '../core/label-selectors';
import { isWorkloadKind, templateHolderPath } from '../input/workload-kinds';

function mapAt(value: unknown, path: readonly string[]): JsonMap | undefined {
  let at: unknown = value;
  for (const key of path) {
    if (!at || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as JsonMap)[key];
  }
  return at && typeof at === 'object' && !Array.isArray(at) ? (at as JsonMap) : undefined;
}

/** The labels the pods of a Pod or workload document would carry (only string values: as the API server requires). */
function podLabelsOf(r: Resource): Record<string, string> | undefined {
  const labels =
    r.kind === 'Pod' ? mapAt(r.body, ['metadata', 'labels']) : mapAt(r.body, ['spec', ...templateHolderPath(r.kind), 'template', 'metadata', 'labels']);
  if (!labels) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The set-aside Pod and workload definitions of `namespace` whose pods `selector` would select. */
export function shadowedPodSources(shadowed: readonly Resource[], namespace: string, selector: LabelSelector): Resource[] {
  return shadowed.filter((r) => {
    if (r.namespace !== namespace || !isWorkloadKind(r.kind)) return false;
    const labels = podLabelsOf(r);
    return labels !== undefined && matches(labels, selector);
  });
}

/** The sentence the selector diagnostics use: which set-aside definitions would match, and where the kept ones are. */
export function shadowedSentence(sources: readonly Resource[], kept: ReadonlyMap<string, Resource>): string {
  const shown = sources
    .slice(0, 2)
    .map((r) => `${r.id} as written in ${r.file}${kept.get(r.id) ? ` (the model keeps the definition in ${kept.get(r.id)!.file}, IN-5)` : ''}`)
    .join('; ');
  const more = sources.length > 2 ? `, and ${sources.length - 2} more` : '';
  return `It selects ${shown}${more}: where that definition is the one applied, the selector has its pods.`;
}
