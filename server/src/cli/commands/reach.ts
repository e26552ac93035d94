// CLI layer: `netpath reach --from --to` — NetworkPolicy verdict. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { reach } from '../model-api';
import { reachText } from '../format-answers';
import { write, writeJson } from '../output';
import { checkPort } from './port';

export function runReach(args: Args, loaded: Loaded): number {
  const port = checkPort(args.port);
  const r = reach(loaded.model, args.from ?? '', args.to ?? '', port);
  if (args.json) writeJson(r);
  else write(reachText(r).join('\n'));
  return r.allowed ? 0 : 1;
}
