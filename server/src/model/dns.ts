// Model layer (pure): the DNS stage: the cluster zone, per-Service names and service-link env (DNS-1..5). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from './context';
import { buildZone } from './dnsrecords';
import { indexRecords } from './dnslookup';
import { ServiceLinks, applyServiceLinks, serviceLinkVars } from './servicelinks';

export function resolveDns(ctx: BuildContext): void {
  ctx.dns = buildZone(ctx.services, ctx.pods, ctx.profile.clusterDomain.toLowerCase());
  ctx.index.dnsByName = indexRecords(ctx.dns);
  for (const svc of ctx.services) svc.env = serviceLinkVars(svc);
  applyServiceLinks(ctx.pods, new ServiceLinks(ctx.services));
}
