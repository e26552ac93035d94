// CLI layer: argv -> a parsed command line. Must not import vscode, LSP or the model (pure string handling).
import { UsageError } from './errors';

export const COMMANDS = ['check', 'resolve', 'dns', 'ingress', 'route', 'reach', 'trace', 'connectivity'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Args {
  command: Command;
  /** Positionals after the command, in order (a query argument first where the command has one). */
  positionals: string[];
  json: boolean;
  cluster?: string;
  from?: string;
  to?: string;
  port?: string;
  type?: string;
  /** `route`: the request's method (`--method`), headers (`--header 'Name: value'`, repeatable) and Gateway (`--gateway NS/NAME`). */
  method?: string;
  headers?: string[];
  gateway?: string;
  /** `--max-file-mb`: manifests larger than this many MiB are not read (IN-1); the editor's limit by default. */
  maxFileMb?: number;
}

/** Options that take a value, and the commands that accept them: an option elsewhere is a usage error. */
const VALUE_OPTIONS: Record<string, readonly Command[]> = {
  cluster: COMMANDS,
  from: ['dns', 'reach', 'trace'],
  to: ['reach', 'trace'],
  port: ['reach', 'trace'],
  type: ['dns'],
  method: ['route'],
  header: ['route'],
  gateway: ['route'],
  'max-file-mb': COMMANDS,
};

export const USAGE = [
  'usage: netpath <command> [options] [PATH...]',
  '',
  'commands:',
  '  check PATH...                          every diagnostic; exit 1 if any error',
  '  resolve PATH... --json                 the whole resolved model',
  '  dns NAME [--type T] [--from NS|pod:NS/NAME] PATH...',
  '                                         a DNS lookup as a pod would do it',
  '  ingress URL PATH...                    the Ingress rule and backend for a URL',
  "  route URL [--method M] [--header 'Name: value']... [--gateway NS/NAME] PATH...",
  '                                         the Gateway listener, Route rule and weighted backends for a',
  '                                         request (http(s):// or grpc://HOST/SERVICE/METHOD)',
  '  reach --from REF --to REF [--port PROTO/PORT] PATH...',
  '                                         allowed or denied by NetworkPolicy',
  '  trace --from REF --to REF [--port PROTO/PORT] PATH...',
  '                                         the packet path, hop by hop',
  '  connectivity PATH...                   every allowed workload-to-workload connection',
  '',
  'options:',
  '  --json           machine output (one JSON document on stdout)',
  '  --cluster FILE   cluster profile (default: netpath.cluster.yaml in the first folder given)',
  '  --max-file-mb N  read manifests up to N MiB (default 4, as the editor); larger ones get a file-too-large note',
  '',
  'PATH: files or folders of .yaml/.yml manifests (recursive; default: .)',
  'exit codes: 0 ok, 1 negative answer, 2 bad usage or unreadable input',
  'positions: check prints file:line:col 1-based (as compilers do, so terminals link them);',
  '           every --json range is zero-based, as in LSP',
].join('\n');

/** Commands that take one query argument before the paths. */
const QUERY_ARG: Partial<Record<Command, string>> = { dns: 'NAME', ingress: 'URL', route: 'URL' };

export type Parsed = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; args: Args };

export function parseArgs(argv: readonly string[]): Parsed {
  if (argv.length === 0) throw new UsageError('missing command; try `netpath --help`');
  const first = argv[0] ?? '';
  if (first === '--help' || first === '-h' || first === 'help') return { kind: 'help' };
  if (first === '--version' || first === '-V') return { kind: 'version' };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(`unknown command '${first}'; expected one of: ${COMMANDS.join(', ')}`);
  }
  const command = first as Command;
  const args: Args = { command, positionals: [], json: false };
  let onlyPositionals = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (onlyPositionals || !a.startsWith('-') || a === '-') {
      args.positionals.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    if (a === '--help' || a === '-h') return { kind: 'help' };
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? a.slice(2, eq === -1 ? undefined : eq) : '';
    if (name === 'json') {
      if (eq !== -1) throw new UsageError('--json takes no value');
      args.json = true;
      continue;
    }
    const allowed = VALUE_OPTIONS[name];
    if (!allowed) throw new UsageError(`unknown option '${a}'`);
    if (!allowed.includes(command)) throw new UsageError(`option --${name} does not apply to '${command}'`);
    let value: string | undefined;
    if (eq !== -1) value = a.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    }
    if (value === '') throw new UsageError(`option --${name} needs a non-empty value`);
    if (name === 'max-file-mb') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0 || n > 4096) throw new UsageError(`option --max-file-mb needs a number of MiB from 0 to 4096, not '${value}'`);
      if (args.maxFileMb !== undefined) throw new UsageError('option --max-file-mb given twice');
      args.maxFileMb = n;
      continue;
    }
    if (name === 'header') {
      // Repeatable: each one a request header of the `route` query.
      (args.headers ??= []).push(value);
      continue;
    }
    if (name === 'cluster' || name === 'from' || name === 'to' || name === 'port' || name === 'type' || name === 'method' || name === 'gateway') {
      if (args[name] !== undefined) throw new UsageError(`option --${name} given twice`);
      args[name] = value;
    }
  }
  const q = QUERY_ARG[command];
  if (q && args.positionals.length === 0) throw new UsageError(`${command}: missing ${q}; usage: netpath ${command} ${q} [PATH...]`);
  if ((command === 'reach' || command === 'trace') && (!args.from || !args.to)) {
    throw new UsageError(`${command}: --from REF and --to REF are required`);
  }
  return { kind: 'run', args };
}

/** The query argument (NAME, URL) of commands that have one, and the paths after it. */
export function splitQuery(args: Args): { query: string | undefined; paths: string[] } {
  if (QUERY_ARG[args.command]) {
    const [query, ...rest] = args.positionals;
    return { query, paths: rest.length ? rest : ['.'] };
  }
  return { query: undefined, paths: args.positionals.length ? args.positionals : ['.'] };
}
