// CLI layer: the errors the CLI reports as one line and exit 2. Must not import vscode or LSP; the model only through index.ts.

/**
 * A user mistake (bad usage, missing path, unreadable or binary file, unknown reference). The CLI
 * prints its message as one line on stderr and exits 2, never with a stack trace (docs/cli.md).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
