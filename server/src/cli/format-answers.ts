// CLI layer: human text for the dns, ingress, reach, trace, connectivity answers. Must not import vscode, LSP or node:*.
// Pure formatting: in -> lines, no I/O, no model calls.
import type { Connection, DnsAnswer, IngressMatch, ReachDirection, ReachResult, TraceHop, TraceResult } from './model-api';
import { list, table, wrap, WIDTH } from './format-text';

export function dnsText(a: DnsAnswer): string[] {
  const out = [`${a.query} (${a.type}${a.from ? `, from ${a.from}` : ''}): ${a.rcode}`];
  if (a.resolvedAs) out.push(`  resolved as ${a.resolvedAs}`);
  if (a.rcode === 'FORWARDED') out.push(...wrap('forwarded to the upstream resolver: unknown here (DNS-4)', '  '));
  if (a.blockedBy?.length) out.push(...wrap(`blocked by ${list(a.blockedBy)} (DNS-6)`, '  '));
  if (a.rcode !== 'NOERROR' && a.tried.length) out.push(...wrap(`tried ${a.tried.join(', ')}`, '  '));
  const rows = table(a.answers.map((r) => [r.name, r.type, r.data, ...(r.source ? [`(from /etc/hosts)`] : [])])).map((l) => `  ${l}`);
  // Long SRV names do not fit one 80-column row: then the name on its own line, type and data below.
  if (rows.every((l) => l.length <= WIDTH)) out.push(...rows);
  else for (const r of a.answers) out.push(`  ${r.name}`, `    ${r.type}  ${r.data}${r.source ? '  (from /etc/hosts)' : ''}`);
  if (a.note) out.push(...wrap(`note: ${a.note}`, '  '));
  return out;
}

export function ingressText(m: IngressMatch): string[] {
  const how = m.via === 'defaultBackend' ? 'defaultBackend' : `rule ${m.rule ?? '?'}: host ${m.host || '*'}, path ${m.path ?? ''} (${m.pathType ?? ''})`;
  if (m.backend === null && m.ingress === null) return [`${m.url}: no Ingress matches (the controller answers 404)`];
  // ING-3: a `resource` backend matches (JSON names the Ingress and rule) but ingress-nginx serves no Service for it.
  if (m.backend === null)
    return [m.url, `  ingress  ${m.ingress}`, `  via      ${how}`, '  backend  (resource backend, not a Service: ingress-nginx does not serve it)'];
  const out = [m.url, `  ingress  ${m.ingress ?? ''}`, `  via      ${how}`, `  backend  ${m.backend}`];
  if (m.servicePort !== null) out.push(`  port     ${m.servicePort}`);
  if (!m.backendResolvable) out.push('  warning  the backend Service or port does not exist: the controller answers 503');
  return out;
}

export function reachText(r: ReachResult): string[] {
  const verdict = (ok: boolean) => (ok ? 'allowed' : 'DENIED');
  const total = r.endpoints.length;
  // TR-9: a direction that admits some endpoints of a Service and not others says how many.
  const partly = (d: ReachDirection) => d.endpointsAllowed !== undefined && d.endpointsAllowed > 0 && d.endpointsAllowed < total;
  const direction = (d: ReachDirection, nobody: string) =>
    partly(d)
      ? `allowed at ${d.endpointsAllowed} of ${total} endpoints  policies: ${list(d.policies)}`
      : `${verdict(d.allowed)}  ${d.policies.length ? `by ${list(d.policies)}` : nobody}`;
  const admitted = r.endpoints.filter((e) => e.allowed).length;
  const some = r.allowed && admitted < total ? `: ${admitted} of ${total} endpoints` : '';
  const out = [
    ...wrap(`${r.allowed ? 'ALLOWED' : 'DENIED'} ${r.from} -> ${r.to}${r.port ? ` (${r.port})` : ''}${some}`, ''),
    `  egress   ${direction(r.egress, 'no policy selects the source')}`,
    `  ingress  ${direction(r.ingress, 'no policy selects the destination')}`,
  ];
  if (r.endpoints.length) {
    out.push('  endpoints');
    out.push(...table(r.endpoints.map((e) => [e.pod ?? '-', `${e.ip}:${e.port}`, verdict(e.allowed)])).map((l) => `    ${l}`));
  }
  if (r.note) out.push(...wrap(r.note, '  '));
  return out;
}

const HOP_INDENT = ' '.repeat(16);

/**
 * Each hop takes two lines (or more when the note is long), so an 80-column terminal never wraps
 * mid-column:
 *    3  DNAT      10.42.0.5:40000 -> 10.42.1.7:6379                         TR-3
 *                 at node:node1 (iptables)  Service redis -> endpoint …
 */
export function hopLines(hops: readonly TraceHop[]): string[] {
  const out: string[] = [];
  hops.forEach((h, i) => {
    const left = `${String(i + 1).padStart(4)}  ${h.action.padEnd(8)}  ${h.src} -> ${h.dst}`;
    const room = WIDTH - 2 - h.rule.length;
    if (!h.rule) out.push(left);
    else if (left.length <= room) out.push(`${left.padEnd(room)}  ${h.rule}`);
    else out.push(left, h.rule.padStart(WIDTH)); // IPv6 addresses: the rule on its own line, right-aligned
    out.push(...wrap(`at ${h.at}${h.iface ? ` (${h.iface})` : ''}${h.note ? ` - ${h.note}` : ''}`, HOP_INDENT));
  });
  return out;
}

export function traceText(t: TraceResult): string[] {
  const out = wrap(`${t.from} -> ${t.to}: ${t.verdict}${t.reason ? ` (${t.reason})` : ''}${t.mixed ? ' on some paths (TR-9)' : ''}`, '');
  if (t.mixed) {
    out.push(...wrap(`delivered: ${list(t.mixed.delivered)}`, '  '));
    out.push(...wrap(`dropped (${t.mixed.reasons.join(', ')}): ${list(t.mixed.dropped)}`, '  '));
  }
  t.paths.forEach((p, i) => {
    out.push('', ...wrap(`path ${i + 1}/${t.paths.length} to ${p.endpoint}: ${p.verdict}${p.reason ? ` (${p.reason})` : ''}`, ''));
    out.push(`${'#'.padStart(4)}  ${'action'.padEnd(8)}  src -> dst`);
    out.push(...hopLines(p.hops));
    if (p.reply?.length) out.push('  reply', ...hopLines(p.reply));
  });
  if (t.untracedPaths) out.push('', ...wrap(untracedNote(t.untracedPaths), ''));
  return out;
}

/** What `untracedPaths` means, in the words the CLI and the panel both use. */
export function untracedNote(n: number): string {
  return `${n} more candidate path${n === 1 ? '' : 's'} not listed: kube-proxy picks one endpoint per connection, and the paths above include one per node, workload and outcome.`;
}

export function connectionPorts(c: Connection): string {
  return Array.isArray(c.ports) ? c.ports.join(',') : c.ports;
}

/** WL-1: Job/CronJob ends are marked, so that a run-to-completion pod never reads as a server. */
function end(c: Connection, which: 'src' | 'dst'): string {
  return c.runsToCompletion?.includes(which) ? `${c[which]} (runs to completion)` : c[which];
}

export function connectivityText(connections: readonly Connection[]): string[] {
  return connections.length ? connections.map((c) => `${end(c, 'src')} => ${end(c, 'dst')} : ${connectionPorts(c)}`) : ['(no allowed connection)'];
}
