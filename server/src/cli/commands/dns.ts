// CLI layer: `netpath dns NAME` — a lookup as a pod (or namespace) would do it. Must not import vscode or LSP.
import { UsageError } from '../errors';
import type { Args } from '../args';
import type { Loaded } from '../load';
import { lookup } from '../model-api';
import { table } from '../format-text';
import { write, writeJson } from '../output';

const TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME'];

export function runDns(args: Args, loaded: Loaded, name: string): number {
  const type = args.type?.toUpperCase();
  if (type !== undefined && !TYPES.includes(type)) throw new UsageError(`dns: unknown --type '${args.type}'; expected one of ${TYPES.join(', ')}`);
  const lookupDns = lookup('dns', 'lookupDns');
  const answer = lookupDns(loaded.model, name, { ...(type ? { type } : {}), ...(args.from ? { from: args.from } : {}) });
  const nx = answer.rcode !== 'NOERROR';
  if (args.json) writeJson(answer);
  else {
    const head = `${answer.query} (${answer.type}${answer.from ? `, from ${answer.from}` : ''}): ${answer.rcode}`;
    const out = [head];
    if (answer.resolvedAs) out.push(`  resolved as ${answer.resolvedAs}`);
    if (nx && answer.tried?.length) out.push(`  tried ${answer.tried.join(', ')}`);
    out.push(...table(answer.answers.map((a) => [a.name, a.type, a.data])).map((l) => `  ${l}`));
    write(out.join('\n'));
  }
  return nx ? 1 : 0;
}
