// CLI layer: writing answers to stdout. Must not import vscode, LSP or the model.

/**
 * Writes all of `text` to stdout. The process then ends on its own (main sets `process.exitCode`,
 * never `process.exit()`), so Node drains a pipe completely: a `process.exit()` right after a
 * large write to a pipe loses everything past the first 64 KiB (docs/cli.md).
 */
// A reader that goes away early (`netpath resolve --json | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

export function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function writeJson(value: unknown): void {
  write(JSON.stringify(value, null, 2));
}
