// Model layer (pure): one pod's fields from its draft, its node and its address (WL-4, WL-5, DNS-5's declared env).
// The full pods stage and its replacement of a few workloads (pods-replace.ts) make pods with these alone, so
// both make the same pod. Must not import vscode, LSP, node:* or fs.
import type { ContainerInfo, NodeInfo, PodInfo, Resource } from '../types';
import { isMap } from '../core/typed-fields';
import type { EnvSource } from './pod-template';
import type { PodDraft, Workload } from './workloads';

/** A pod as scheduling leaves it: on `node` (null: Pending), no address yet, not Ready, containers not filled. */
export function scheduledPod(w: Workload, d: PodDraft, node: string | null): PodInfo {
  const pod: PodInfo = {
    id: d.id,
    name: d.name,
    namespace: w.owner.namespace,
    owner: w.owner,
    ordinal: d.ordinal,
    node,
    ip: null,
    hostNetwork: d.template.hostNetwork,
    ready: false,
    labels: d.labels,
    hostname: d.hostname,
    hostnameInSpec: d.hostnameInSpec,
    enableServiceLinks: d.template.enableServiceLinks,
    containers: [],
    spec: d.template.spec,
  };
  if (d.subdomain) pod.subdomain = d.subdomain;
  return pod;
}

/** WL-4 readiness and WL-5 containers, once the pod has its address (or has none: `failed`). */
export function finishPod(pod: PodInfo, d: PodDraft, failed: boolean, node: NodeInfo | undefined, configMaps: ConfigMaps): void {
  // WL-4: Ready only when running with an address and the manifest does not say otherwise.
  pod.ready = d.declaredReady && pod.ip !== null && !failed;
  // WL-5: every container shares the pod's IP; only ports and environment differ.
  pod.containers = d.template.containers.map((c): ContainerInfo => ({ name: c.name, ports: c.ports, env: declaredEnv(c.env, pod, node, configMaps) }));
}

/** Declared `env` (and `envFrom`) with the values the manifests can tell; `$(VAR)` left for DNS-5. */
function declaredEnv(sources: readonly EnvSource[], pod: PodInfo, node: NodeInfo | undefined, cms: ConfigMaps): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of sources) {
    if ('value' in s) env[s.name] = s.value;
    else if ('fieldPath' in s) env[s.name] = fieldValue(s.fieldPath, pod, node);
    else if ('configMap' in s) {
      const v = cms.get(pod.namespace, s.configMap.name)?.[s.configMap.key];
      if (v !== undefined) env[s.name] = v;
    } else {
      for (const [k, v] of Object.entries(cms.get(pod.namespace, s.configMapAll.name) ?? {})) env[s.configMapAll.prefix + k] = v;
    }
  }
  return env;
}

function fieldValue(path: string, pod: PodInfo, node: NodeInfo | undefined): string {
  switch (path) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'spec.nodeName':
      return pod.node ?? '';
    case 'spec.serviceAccountName':
      return typeof pod.spec.serviceAccountName === 'string' ? pod.spec.serviceAccountName : 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return pod.ip ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return pod.node ? (node?.internalIP ?? '') : '';
    default: {
      const label = /^metadata\.labels\['(.+)'\]$/.exec(path)?.[1];
      return label !== undefined ? (pod.labels[label] ?? '') : '';
    }
  }
}

/** ConfigMap data by `NS/NAME`, read on demand (their fields belong to no stage; wrong values are skipped). */
export class ConfigMaps {
  private readonly byId = new Map<string, Resource>();
  private readonly cache = new Map<string, Record<string, string>>();
  constructor(list: readonly Resource[]) {
    for (const r of list) this.byId.set(`${r.namespace}/${r.name}`, r);
  }
  get(ns: string, name: string): Record<string, string> | undefined {
    const key = `${ns}/${name}`;
    let data = this.cache.get(key);
    if (!data) {
      const res = this.byId.get(key);
      if (!res) return undefined;
      data = {};
      if (isMap(res.body.data)) for (const [k, v] of Object.entries(res.body.data)) if (typeof v === 'string') data[k] = v;
      this.cache.set(key, data);
    }
    return data;
  }
}
