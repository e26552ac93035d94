// Server layer: the code lens above a kustomization file (IN-1) — what a root renders (`renders 24 objects ·
// 5 Services · 2 policies`), and for a base or a component which roots render through it. May import the model
// and LSP types; must not import vscode. Read-only over the snapshot.
import type { CodeLens } from 'vscode-languageserver';
import type { Snapshot } from '../workspace';
import { toRange } from './convert';
import { clip } from './markdown';
import { environmentName, rootsOf } from './environments';
import { PICK_ENVIRONMENT_COMMAND } from '../../../shared/protocol';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `renders 3 objects · 1 Service · 0 policies` from a count per kind. */
export function rendersTitle(kinds: Readonly<Record<string, number>>): string {
  const total = Object.values(kinds).reduce((a, b) => a + b, 0);
  return `renders ${plural(total, 'object', 'objects')} · ${plural(kinds.Service ?? 0, 'Service', 'Services')} · ${plural(kinds.NetworkPolicy ?? 0, 'policy', 'policies')}`;
}

/** Lenses on the first line of a kustomization file; none for other files. */
export function kustomizationLenses(snap: Snapshot, uri: string): CodeLens[] {
  const facts = snap.kustomizations.get(uri);
  if (!facts) return [];
  const range = toRange(snap, uri, { start: 0, end: 0 });
  const out: CodeLens[] = [];
  const note = !facts.root ? ' (on its own)' : facts.modelled ? '' : ' · not in the model (netpath.kustomize.roots)';
  if (facts.kinds) out.push({ range, command: { title: `${rendersTitle(facts.kinds)}${note}`, command: facts.modelled ? '' : PICK_ENVIRONMENT_COMMAND } });
  if (!facts.root) {
    const roots = rootsOf(snap);
    const names = facts.usedBy.map((r) => environmentName(r, roots));
    const title = names.length
      ? `used by ${plural(names.length, 'root', 'roots')}: ${names.slice(0, 6).join(', ')}${names.length > 6 ? `, … ${names.length - 6} more` : ''}`
      : 'used by no root';
    out.push({ range, command: { title: clip(title, 160), command: '' } });
  }
  return out;
}
