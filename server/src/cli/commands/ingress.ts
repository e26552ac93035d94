// CLI layer: `netpath ingress URL` — which Ingress rule and backend take a URL. Must not import vscode or LSP.
import { UsageError } from '../errors';
import type { Args } from '../args';
import type { Loaded } from '../load';
import { matchIngress } from '../model-api';
import { ingressText } from '../format-answers';
import { write, writeJson } from '../output';

export function runIngress(args: Args, loaded: Loaded, url: string): number {
  // A bare host (`test.com/x`) is taken as http://, as curl does.
  const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  if (!URL.canParse(full) || !/^https?:$/.test(new URL(full).protocol)) throw new UsageError(`ingress: '${url}' is not an http(s) URL`);
  const m = matchIngress(loaded.model, full);
  if (args.json) writeJson(m);
  else write(ingressText(m).join('\n'));
  return m.backend === null ? 1 : 0;
}
