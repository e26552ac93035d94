// Shared contract layer: how the language server process is started, so that the extension and the
// benchmark run the same process. Must not import vscode, the LSP libraries or the model.

/**
 * Node flags for the server. Each re-analysis builds a new model snapshot (tens of MB of short-lived
 * objects). The snapshot lives until the next edit, so it is promoted to the old generation whatever
 * the young generation's size; V8 then lets the old generation grow up to 4x its live size before a
 * full GC, and on a 2000-Service workspace (~130 MB live) a burst of edits took the server to ~680 MB.
 * - `--heap-growing-percent=30` (was 50, which already brought 2,000 Services from ~680 to ~355 MB): at 10,000 Services
 *   the live heap grows to ~700 MB over a few edits (the last snapshot, the memo and the build under way), and the
 *   old generation's room above it was most of the peak.
 * - `--max-semi-space-size=16` (was 32, 64 before): each young-generation collection copies the survivors of an
 *   analysis, up to the semi-space's size, in one pause that a hover waits out (30-60 ms at 32 MB).
 * In-process at 10,000 Services, 11 replica edits (scratch measurement, same machine, back to back): peak RSS 1,256 MB
 * at 32/50, 1,204 MB at 16/50, 1,156 MB at 32/30, 1,141 MB at 16/30; the median edit moved within this machine's noise
 * (840, 928, 894, 762 ms).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=16', '--heap-growing-percent=30'];
