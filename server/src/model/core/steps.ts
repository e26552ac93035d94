// Model layer (pure): stepwise computations (issue 13). Must not import vscode, LSP, node:* or fs.

/** Runs a stepwise computation (buildModelSteps, applyKustomizeSteps, Workspace.analysisSteps) to its result at once. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
