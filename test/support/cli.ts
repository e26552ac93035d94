// Test support (Node): runs the bundled CLI (dist/cli.js) as a child process. Must not import vscode or LSP;
// may import node:*. Used by test/unit/cli*.test.ts and examples*.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: dist/test/unit/x.test.js -> three levels up; also works from the sources. */
export const ROOT = (() => {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir;
  }
  throw new Error(`repository root not found above ${__dirname}`);
})();

/** The bundled CLI; NETPATH_CLI points the tests at another build (e.g. to show a test fails on older code). */
export const CLI = process.env.NETPATH_CLI ?? join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` in the repository root (so `examples` is a relative PATH, as a user types it). */
export function netpath(args: readonly string[], cwd = ROOT): CliResult {
  // stdout is a pipe here, which is exactly the case where an early process.exit() would truncate.
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses stdout as the one JSON document of `--json`, with the output in the message when it fails. */
export function json<T = Record<string, unknown>>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`stdout is not JSON (exit ${r.code}): ${String(e)}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 500)}`);
  }
}
