// CLI layer: the `--port PROTO/PORT` option (the grammar is the model's: core/names.ts). Must not import vscode or LSP.
import { UsageError } from '../errors';
import { readPortArg } from '../model-api';

/** `TCP/80`, `udp/53`, `80` (TCP) or a port name; returned normalised, or undefined when not given. */
export function checkPort(port: string | undefined): string | undefined {
  if (port === undefined) return undefined;
  const p = readPortArg(port);
  if ('problem' in p) throw new UsageError(`--port '${port}': ${p.problem}`);
  return `${p.protocol}/${p.port}`;
}
