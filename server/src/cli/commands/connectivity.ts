// CLI layer: `netpath connectivity` — every allowed connection, `src => dst : ports`. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { lookup, type Connection } from '../model-api';
import { connectionPorts, connectivityText } from '../format-answers';
import { write, writeJson } from '../output';

export function runConnectivity(args: Args, loaded: Loaded): number {
  const connectivity = lookup('connectivity', 'connectivity');
  const result = connectivity(loaded.model);
  const connections: Connection[] = Array.isArray(result) ? result : result.connections;
  if (args.json) writeJson({ connections: connections.map((c) => ({ src: c.src, dst: c.dst, ports: connectionPorts(c) })) });
  else write(connectivityText(connections).join('\n'));
  return 0;
}
