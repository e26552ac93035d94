// Model layer (pure): the DNS stage: the cluster zone, per-Service names and service-link env (DNS-1..5). Must not import vscode, LSP, node:* or fs.
import { OverlayMap } from '../core/overlay-map';
import type { BuildContext } from '../build/build-context';
import { lazyProperty, MemoSlot, memoOf, stepCounter } from '../build/build-context';
import { POD_CORES, coreOf, copyOf } from '../build/incremental';
import type { ContainerInfo, DnsRecord, PodInfo, ServiceInfo } from '../types';
import { buildZone, serviceDnsNames } from './dns-records';
import { indexRecords } from './dns-lookup';
import { ServiceLinks, linkPod, serviceLinkVars } from './service-link-env';
import { PODS_MEMO, type PodsMemo } from '../workloads/pods';

/** What the DNS stage finished in earlier builds: a kept object is not finished again (build/incremental.ts). */
interface DnsMemo {
  /** Services whose `dns` and `env` are set (a Service object is only kept while its endpoints are the same). */
  readonly named: WeakSet<ServiceInfo>;
  /** Pods whose containers' env is linked, with the key of the links (ServiceLinks.keyFor). */
  readonly linkedWith: WeakMap<PodInfo, string>;
  /** The link keys of the last build, by content (ServiceLinks `keptKeys`). */
  keys: Map<string, string>;
}

const DNS_MEMO = new MemoSlot<DnsMemo>('dns', () => ({ named: new WeakSet(), linkedWith: new WeakMap(), keys: new Map() }));

/**
 * Names per Service are set now (hovers and reach read them). The zone, its index and the link
 * variables are only read by lookups, the CLI and hovers, so they are computed on first read: on
 * thousands of pods and Services they were a large share of every rebuild (see lazyProperty).
 */
export function* resolveDns(ctx: BuildContext): Generator<void, void, void> {
  const domain = ctx.profile.clusterDomain.toLowerCase();
  const memo = memoOf(ctx, DNS_MEMO);
  const services = ctx.services;
  const tick = stepCounter(ctx);
  for (let si = 0; si < services.length; si++) {
    const svc = services[si]!;
    if (tick()) yield;
    if (memo?.named.has(svc)) continue;
    svc.dns = serviceDnsNames(svc, domain);
    lazyProperty(svc, 'env', () => serviceLinkVars(svc));
    memo?.named.add(svc);
  }
  const links = new ServiceLinks(services, memo?.keys);
  let pods = ctx.pods;
  if (memo) pods = yield* linkKeptPods(ctx, links, memo, memoOf(ctx, PODS_MEMO)!, tick);
  else {
    for (const pod of pods) {
      if (tick()) yield;
      linkPod(pod, links);
    }
  }
  let zone: DnsRecord[] | undefined;
  const records = (): DnsRecord[] => (zone ??= buildZone(services, pods, domain));
  ctx.dnsZone = records;
  lazyProperty(ctx.index, 'dnsByName', () => indexRecords(records()));
}

/**
 * DNS-5 with a memo: a pod already linked to the same Services' links (same key) stays as it is; one linked
 * to others is copied (the previous model keeps its own), and the copy linked. The pods the build ends with
 * are recorded for the next build's pods stage.
 */
function* linkKeptPods(ctx: BuildContext, links: ServiceLinks, memo: DnsMemo, podsMemo: PodsMemo, tick: () => boolean): Generator<void, PodInfo[], void> {
  const cores = memoOf(ctx, POD_CORES)!;
  let pods = ctx.pods;
  const copies = new Map<PodInfo, PodInfo>();
  for (let i = 0; i < pods.length; i++) {
    if (tick()) yield;
    let pod = pods[i]!;
    const key = links.keyFor(pod);
    const bound = memo.linkedWith.get(pod);
    if (bound === key) continue;
    if (bound !== undefined) {
      if (pods === ctx.pods) pods = [...pods];
      const copy = copyOf(pod);
      copy.containers = pod.containers.map((c): ContainerInfo => ({ name: c.name, ports: c.ports, env: podsMemo.declared.get(c) ?? {} }));
      cores.copiedFrom.set(copy, coreOf(cores, pod));
      copies.set(pod, copy);
      pods[i] = pod = copy;
    }
    linkPod(pod, links, podsMemo.declared);
    memo.linkedWith.set(pod, key);
  }
  if (copies.size) {
    ctx.pods = pods;
    yield* replaceInIndex(ctx.index, copies, tick);
    // The pod index holds the objects it was made of; later stages make it again from these.
    ctx.podIndex = undefined;
  }
  memo.keys = links.usedKeys();
  const kept = podsMemo.kept;
  if (kept) Object.assign(kept, { pods, podById: ctx.index.podById, podsByOwner: ctx.index.podsByOwner, podByIp: ctx.index.podByIp });
  return pods;
}

/** The pod lookups with copies in place of their originals: new maps over the old ones (the previous model keeps its own). */
function* replaceInIndex(ix: BuildContext['index'], copies: Map<PodInfo, PodInfo>, tick: () => boolean): Generator<void, void, void> {
  ix.podById = yield* OverlayMap.overSteps(ix.podById, copies.size, tick);
  ix.podByIp = yield* OverlayMap.overSteps(ix.podByIp, copies.size, tick);
  ix.podsByOwner = yield* OverlayMap.overSteps(ix.podsByOwner, copies.size, tick);
  const owners = new Set<string>();
  for (const [old, copy] of copies) {
    ix.podById.set(copy.id, copy);
    if (copy.ip && ix.podByIp.get(copy.ip) === old) ix.podByIp.set(copy.ip, copy);
    owners.add(copy.owner.id);
  }
  for (const owner of owners)
    ix.podsByOwner.set(
      owner,
      ix.podsByOwner.get(owner)!.map((p) => copies.get(p) ?? p),
    );
}
