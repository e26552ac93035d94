// Model layer (pure): list identity, for what is kept from one build to the next (build/incremental.ts, the
// kustomize cache). Must not import vscode, LSP, node:* or fs.

/** Whether two lists hold the same items (by identity) in the same order. */
export function sameItems(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Whether two lists are alike item by item: each pair the same object, or alike as `alike` says. */
export function sameItemsBy<T>(a: readonly T[], b: readonly T[], alike: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && !alike(x, y)) return false;
  }
  return true;
}
