// CLI layer: entry point of `netpath` (bundled to dist/cli.js). Must not import vscode or LSP; the model only through model/index.ts.
// A thin face of the model: parse argv, load files, ask the model, format the answer, set the exit code.
import { parseArgs, splitQuery, USAGE, type Args } from './args';
import { UsageError } from './errors';
import { RefError } from './model-api';
import { loadWorkspace, type Loaded } from './load';
import { terminalSafe, write } from './output';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck } from './commands/check';
import { runResolve } from './commands/resolve';
import { runDns } from './commands/dns';
import { runIngress } from './commands/ingress';
import { runRoute } from './commands/route';
import { runReach } from './commands/reach';
import { runTrace } from './commands/trace';
import { runConnectivity } from './commands/connectivity';

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

/** The package version: dist/cli.js sits one folder below package.json. */
function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function dispatch(args: Args): number {
  const { query, paths } = splitQuery(args);
  const loaded: Loaded = loadWorkspace(paths, args.cluster, args.maxFileMb === undefined ? undefined : Math.floor(args.maxFileMb * 1024 * 1024));
  switch (args.command) {
    case 'check':
      return runCheck(args, loaded);
    case 'resolve':
      return runResolve(args, loaded);
    case 'dns':
      return runDns(args, loaded, query ?? '');
    case 'ingress':
      return runIngress(args, loaded, query ?? '');
    case 'route':
      return runRoute(args, loaded, query ?? '');
    case 'reach':
      return runReach(args, loaded);
    case 'trace':
      return runTrace(args, loaded);
    case 'connectivity':
      return runConnectivity(args, loaded);
  }
}

/** Runs one command line and returns the exit code; never throws. */
export function run(argv: readonly string[]): number {
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      write(USAGE);
      return 0;
    }
    if (parsed.kind === 'version') {
      write(`netpath ${version()}`);
      return 0;
    }
    try {
      return dispatch(parsed.args);
    } catch (err) {
      // Name the command in reference errors (`netpath reach: no pod nowhere/x; candidates: …`).
      if (err instanceof RefError) throw new UsageError(`${parsed.args.command}: ${err.message}`);
      throw err;
    }
  } catch (err) {
    // User mistakes: one line, exit 2 (docs/cli.md). Anything else is our bug: still one line and
    // exit 2 rather than a stack trace, with the stack available for whoever debugs it.
    if (err instanceof UsageError) process.stderr.write(`netpath: ${terminalSafe(oneLine(err.message))}\n`);
    else {
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`netpath: internal error: ${terminalSafe(msg.split('\n')[0] ?? '')} (set NETPATH_DEBUG=1 for details)\n`);
      if (process.env.NETPATH_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    }
    return 2;
  }
}

// Exit code only: the process ends when stdout has drained (see output.ts).
process.exitCode = run(process.argv.slice(2));
