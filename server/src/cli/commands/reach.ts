// CLI layer: `netpath reach --from --to` — NetworkPolicy verdict. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { lookup } from '../model-api';
import { list, table } from '../format-text';
import { write, writeJson } from '../output';
import { checkPort } from './port';

export function runReach(args: Args, loaded: Loaded): number {
  const port = checkPort(args.port);
  const reach = lookup('reach', 'reach');
  const r = reach(loaded.model, args.from ?? '', args.to ?? '', port);
  if (args.json) writeJson(r);
  else {
    const verdict = (ok: boolean) => (ok ? 'allowed' : 'DENIED');
    const out = [
      `${r.allowed ? 'ALLOWED' : 'DENIED'}  ${r.from} -> ${r.to}${r.port ? ` (${r.port})` : ''}`,
      `  egress   ${verdict(r.egress.allowed)}  ${r.egress.policies.length ? `by ${list(r.egress.policies)}` : 'no policy selects the source'}`,
      `  ingress  ${verdict(r.ingress.allowed)}  ${r.ingress.policies.length ? `by ${list(r.ingress.policies)}` : 'no policy selects the destination'}`,
    ];
    if (r.endpoints.length) {
      out.push('  endpoints');
      out.push(...table(r.endpoints.map((e) => [e.pod ?? '-', `${e.ip}:${e.port}`, verdict(e.allowed)])).map((l) => `    ${l}`));
    }
    write(out.join('\n'));
  }
  return r.allowed ? 0 : 1;
}
