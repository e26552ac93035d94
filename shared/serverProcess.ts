// Shared contract layer: how the language server process is started, so that the extension and the
// benchmark run the same process. Must not import vscode, the LSP libraries or the model.

/**
 * Node flags for the server. Each re-analysis builds a new model snapshot (tens of MB of short-lived
 * objects). The snapshot lives until the next edit, so it is promoted to the old generation whatever
 * the young generation's size; V8 then lets the old generation grow up to 4x its live size before a
 * full GC, and on a 2000-Service workspace (~130 MB live) a burst of edits took the server to ~680 MB.
 * - `--heap-growing-percent=50` caps that growth at 1.5x: peak RSS ~680 -> ~355 MB, and re-analysis
 *   got faster too (~205 -> ~170 ms: a smaller heap is cheaper to mark and to allocate in).
 * - `--max-semi-space-size=32` (was 64): 64 cost ~50 MB more at cold index with no measurable gain
 *   once the old generation stays small; 16 saved another ~45 MB but re-analysis was ~10 ms slower.
 * Measured with bench/lsp.ts, back to back on a shared 2-core machine.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=50'];
