// CLI layer: human text for the `route` answer (GW-3..8). Must not import vscode, LSP or node:*.
// Pure formatting: in -> lines, no I/O, no model calls.
import type { RouteAnswer } from './model-api';
import { table, wrap } from './format-text';

export function routeText(a: RouteAnswer): string[] {
  const head = `${a.method} ${a.url}`;
  if (a.gateway === null) return [head, ...wrap(`no Gateway answers: ${a.note}`, '  ')];
  const out = [head, `  gateway   ${a.gateway}, listener ${a.listener ?? '?'}`];
  if (a.route === null) return [...out, `  status    ${a.status ?? '-'}`, ...wrap(a.note, '  ')];
  out.push(`  route     ${a.kind ?? ''} ${a.route}, rule ${a.rule ?? '?'}, match ${a.match ?? '?'}: ${a.matchText ?? ''}`);
  out.push(`  hostname  ${a.hostname === '*' ? '* (any)' : (a.hostname ?? '')}`);
  for (const f of a.filters) out.push(`  filter    ${f.type}: ${f.summary}`);
  if (a.backends.length) {
    out.push('  backends');
    const rows = a.backends.map((b) => [
      b.backend,
      `${b.percent}%`,
      `weight ${b.weight}`,
      String(b.status),
      b.reason ?? (b.readyEndpoints === null ? '' : `${b.readyEndpoints} ready`),
      b.grant ? `via ReferenceGrant ${b.grant}` : '',
    ]);
    out.push(...table(rows).map((l) => `    ${l.trimEnd()}`));
  }
  out.push(`  status    ${a.status ?? '-'}`);
  if (a.tie) out.push(...wrap(`TIE: ${a.note}`, '  '));
  else if (a.note) out.push(...wrap(a.note, '  '));
  return out;
}
