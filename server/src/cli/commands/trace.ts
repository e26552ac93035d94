// CLI layer: `netpath trace --from --to` — the packet path as a hop table. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { lookup, type TraceHop } from '../model-api';
import { wrap } from '../format-text';
import { write, writeJson } from '../output';
import { checkPort } from './port';

/**
 * Each hop takes two lines so that an 80-column terminal never wraps mid-column:
 *    3  DNAT      10.42.0.5:40000 -> 10.42.1.7:6379                       TR-3
 *                 at node:node1 (iptables)  Service redis -> endpoint …
 */
function hopLines(hops: readonly TraceHop[]): string[] {
  const out: string[] = [];
  hops.forEach((h, i) => {
    const packet = `${h.src} -> ${h.dst}`;
    const left = `${String(i + 1).padStart(4)}  ${h.action.padEnd(8)}  ${packet}`;
    out.push(h.rule ? `${left.padEnd(78 - h.rule.length)}  ${h.rule}` : left);
    out.push(...wrap(`at ${h.at}${h.iface ? ` (${h.iface})` : ''}${h.note ? `  ${h.note}` : ''}`, ' '.repeat(16)));
  });
  return out;
}

export function runTrace(args: Args, loaded: Loaded): number {
  const port = checkPort(args.port);
  const trace = lookup('trace', 'trace');
  const t = trace(loaded.model, args.from ?? '', args.to ?? '', port);
  if (args.json) writeJson(t);
  else {
    const out = [`${t.from} -> ${t.to}: ${t.verdict}${t.reason ? ` (${t.reason})` : ''}`];
    t.paths.forEach((p, i) => {
      out.push('', `path ${i + 1}/${t.paths.length} to ${p.endpoint}: ${p.verdict}${p.reason ? ` (${p.reason})` : ''}`);
      out.push(`${'#'.padStart(4)}  ${'action'.padEnd(8)}  src -> dst`);
      out.push(...hopLines(p.hops));
      if (p.reply?.length) {
        out.push('  reply');
        out.push(...hopLines(p.reply));
      }
    });
    write(out.join('\n'));
  }
  return t.verdict === 'delivered' ? 0 : 1;
}
