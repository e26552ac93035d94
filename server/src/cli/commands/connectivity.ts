// CLI layer: `netpath connectivity` — every allowed connection, `src => dst : ports`. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { connectivity } from '../model-api';
import { connectionPorts, connectivityText } from '../format-answers';
import { write, writeJson } from '../output';

export function runConnectivity(args: Args, loaded: Loaded): number {
  const connections = connectivity(loaded.model);
  if (args.json)
    writeJson({
      connections: connections.map((c) => ({
        src: c.src,
        dst: c.dst,
        ports: connectionPorts(c),
        ...(c.runsToCompletion ? { runsToCompletion: c.runsToCompletion } : {}),
      })),
    });
  else write(connectivityText(connections).join('\n'));
  return 0;
}
