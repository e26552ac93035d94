// Shared contract layer: how the language server process is started, so that the extension and the
// benchmark run the same process. Must not import vscode, the LSP libraries or the model.

/**
 * Node flags for the server. Each re-analysis builds a new model snapshot (tens of MB of short-lived
 * objects); with V8's default 16 MB young generation much of it is promoted and then collected by
 * full mark-compacts of a large heap. A 64 MB young generation lets it die young: re-analysis on a
 * 2000-Service workspace went from ~450 ms to ~230 ms, for ~120 MB more peak memory (bench/lsp.ts).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=64'];
