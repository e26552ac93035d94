// Model layer (pure): list identity, for what is kept from one build to the next (build/incremental.ts, the
// kustomize cache). Must not import vscode, LSP, node:* or fs.

/** Whether two lists hold the same items (by identity) in the same order. */
export function sameItems(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
