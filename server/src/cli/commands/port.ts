// CLI layer: the `--port PROTO/PORT` option's syntax. Must not import vscode, LSP or the model.
import { UsageError } from '../errors';

/** `TCP/80`, `udp/53`, `80` (TCP) or a port name; returned normalised, or undefined when not given. */
export function checkPort(port: string | undefined): string | undefined {
  if (port === undefined) return undefined;
  const m = /^(?:(tcp|udp|sctp)\/)?([0-9]+|[a-z0-9]([a-z0-9-]*[a-z0-9])?)$/i.exec(port);
  if (!m) throw new UsageError(`--port '${port}': expected PROTO/PORT, e.g. TCP/80`);
  const value = m[2] ?? '';
  if (/^[0-9]+$/.test(value) && (Number(value) < 1 || Number(value) > 65535)) throw new UsageError(`--port '${port}': port out of range 1-65535`);
  return `${(m[1] ?? 'TCP').toUpperCase()}/${value}`;
}
