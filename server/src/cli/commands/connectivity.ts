// CLI layer: `netpath connectivity` — every allowed connection, `src => dst : ports`. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { lookup, type Connection } from '../model-api';
import { write, writeJson } from '../output';

export function runConnectivity(args: Args, loaded: Loaded): number {
  const connectivity = lookup('connectivity', 'connectivity');
  const result = connectivity(loaded.model);
  const connections: Connection[] = Array.isArray(result) ? result : result.connections;
  const ports = (c: Connection) => (Array.isArray(c.ports) ? c.ports.join(',') : c.ports);
  if (args.json) writeJson({ connections: connections.map((c) => ({ src: c.src, dst: c.dst, ports: ports(c) })) });
  else write(connections.length ? connections.map((c) => `${c.src} => ${c.dst} : ${ports(c)}`).join('\n') : '(no allowed connection)');
  return 0;
}
