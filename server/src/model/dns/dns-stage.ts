// Model layer (pure): the DNS stage: the cluster zone, per-Service names and service-link env (DNS-1..5). Must not import vscode, LSP, node:* or fs.
import type { BuildContext } from '../build/build-context';
import { lazyProperty } from '../build/build-context';
import type { DnsRecord } from '../types';
import { buildZone, serviceDnsNames } from './dns-records';
import { indexRecords } from './dns-lookup';
import { ServiceLinks, applyServiceLinks, serviceLinkVars } from './service-link-env';

/**
 * Names per Service are set now (hovers and reach read them). The zone, its index and the link
 * variables are only read by lookups, the CLI and hovers, so they are computed on first read: on
 * thousands of pods and Services they were a large share of every rebuild (see lazyProperty).
 */
export function resolveDns(ctx: BuildContext): void {
  const domain = ctx.profile.clusterDomain.toLowerCase();
  for (const svc of ctx.services) svc.dns = serviceDnsNames(svc, domain);
  const services = ctx.services;
  const pods = ctx.pods;
  let zone: DnsRecord[] | undefined;
  const records = (): DnsRecord[] => (zone ??= buildZone(services, pods, domain));
  ctx.dnsZone = records;
  lazyProperty(ctx.index, 'dnsByName', () => indexRecords(records()));
  for (const svc of services) lazyProperty(svc, 'env', () => serviceLinkVars(svc));
  applyServiceLinks(pods, new ServiceLinks(services));
}
