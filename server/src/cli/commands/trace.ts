// CLI layer: `netpath trace --from --to` — the packet path as a hop table. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { trace } from '../model-api';
import { traceText } from '../format-answers';
import { write, writeJson } from '../output';
import { checkPort } from './port';

export function runTrace(args: Args, loaded: Loaded): number {
  const port = checkPort(args.port);
  const t = trace(loaded.model, args.from ?? '', args.to ?? '', port);
  if (args.json) writeJson(t);
  else write(traceText(t).join('\n'));
  return t.verdict === 'delivered' ? 0 : 1;
}
