// Model layer (pure): namespaces, implicit and declared (CL-4). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from '../build/build-context';
import { MemoSlot, memoOf, ofKind } from '../build/build-context';
import { KeyedResults, ListInterner } from '../build/incremental';
import type { NamespaceInfo } from '../types';
import { Fields, metadata } from '../core/typed-fields';

/** Created by the API server in every cluster (CL-4). */
export const IMPLICIT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Set by the API server on every namespace and not removable; NetworkPolicies select on it (NP-3). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function resolveNamespaces(ctx: BuildContext): void {
  const byName = new Map<string, NamespaceInfo>();
  const ensure = (name: string): NamespaceInfo => {
    let ns = byName.get(name);
    if (!ns) byName.set(name, (ns = { name, labels: { [NAMESPACE_NAME_LABEL]: name } }));
    return ns;
  };
  for (const name of IMPLICIT_NAMESPACES) ensure(name);
  for (const res of ofKind(ctx, 'Namespace')) {
    const ns = ensure(res.name);
    ns.source = res;
    const labels = new Fields(res, ctx.diagnostics).stringMap(metadata(res), 'labels') ?? {};
    // The API server overwrites the name label with the real name, whatever the manifest says.
    ns.labels = { ...labels, [NAMESPACE_NAME_LABEL]: res.name };
  }
  for (const res of ctx.resources) if (res.namespace !== '') ensure(res.namespace);
  // Name order: the same set of namespaces always lists the same way, whatever the file order.
  ctx.namespaces = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const memo = memoOf(ctx, NAMESPACES_MEMO);
  if (memo) {
    // A namespace equal to the previous build's is that object, and so is the list when all are (build/incremental.ts).
    ctx.namespaces = memo.list.intern(
      '',
      ctx.namespaces.map((ns) => memo.results.get(ns.name, [ns.source, JSON.stringify(ns.labels)], () => ns)),
    ) as NamespaceInfo[];
    memo.results.settle();
    memo.list.settle();
  }
  for (const ns of ctx.namespaces) ctx.index.namespaceByName.set(ns.name, ns);
}

/** Namespace labels, always with the implicit `kubernetes.io/metadata.name` (NP-3, CL-4). */
const NAMESPACES_MEMO = new MemoSlot('namespaces', () => ({ results: new KeyedResults<NamespaceInfo>(), list: new ListInterner<NamespaceInfo>() }));

export function namespaceLabels(nsByName: ReadonlyMap<string, NamespaceInfo>, ns: string): Record<string, string> {
  const info = nsByName.get(ns);
  // CL-4 already puts the name label on every known namespace: no copy per peer check.
  if (info && info.labels['kubernetes.io/metadata.name'] === ns) return info.labels;
  return { ...(info?.labels ?? {}), 'kubernetes.io/metadata.name': ns };
}
