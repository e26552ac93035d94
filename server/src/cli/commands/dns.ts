// CLI layer: `netpath dns NAME` — a lookup as a pod (or namespace) would do it. Must not import vscode or LSP.
import { UsageError } from '../errors';
import type { Args } from '../args';
import type { Loaded } from '../load';
import { lookupDns, parseRef } from '../model-api';
import { dnsText } from '../format-answers';
import { write, writeJson } from '../output';

const TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME'];

export function runDns(args: Args, loaded: Loaded, name: string): number {
  const type = args.type?.toUpperCase();
  if (type !== undefined && !TYPES.includes(type)) throw new UsageError(`dns: unknown --type '${args.type}'; expected one of ${TYPES.join(', ')}`);
  // `--from NS` is a namespace; anything with a `/` names a pod, which must exist (exit 2 with candidates).
  if (args.from?.includes('/')) {
    const ref = parseRef(loaded.model, args.from);
    if (!ref.ok) throw new UsageError(`dns --from ${args.from}: ${ref.error}`);
  }
  const answer = lookupDns(loaded.model, name, { ...(type ? { type } : {}), ...(args.from ? { from: args.from } : {}) });
  if (args.json) writeJson(answer);
  else write(dnsText(answer).join('\n'));
  // FORWARDED is an answer the model cannot see, not a failure (DNS-4); TIMEOUT and NXDOMAIN are (DNS-6).
  return answer.rcode === 'NOERROR' || answer.rcode === 'FORWARDED' ? 0 : 1;
}
