// Model layer (pure): service-link environment variables, as the kubelet injects them (DNS-5). Must not import vscode, LSP, node:* or fs.
import type { ContainerInfo, PodInfo, ServiceInfo } from '../types';
import { environmentAtStart } from '../workloads/container-env';
import { KUBERNETES_SERVICE } from '../services/services';

/** `my-svc` -> `MY_SVC` (k8s `makeEnvVariableName`). */
export function envName(s: string): string {
  return s.replace(/-/g, '_').toUpperCase();
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * The variables one Service contributes (k8s `envvars.FromServices`): none without a ClusterIP
 * (headless, ExternalName). `_SERVICE_PORT` and `_PORT` (Docker links) describe the first port.
 */
export function serviceLinkVars(svc: ServiceInfo): Record<string, string> {
  const env: Record<string, string> = {};
  const ip = svc.clusterIP;
  const first = svc.ports[0];
  if (ip === null || !first) return env;
  const prefix = envName(svc.name);
  env[`${prefix}_SERVICE_HOST`] = ip;
  env[`${prefix}_SERVICE_PORT`] = String(first.port);
  for (const p of svc.ports) if (p.name) env[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
  svc.ports.forEach((p, i) => {
    const proto = p.protocol.toLowerCase();
    const url = `${proto}://${hostPort(ip, p.port)}`;
    if (i === 0) env[`${prefix}_PORT`] = url;
    const pp = `${prefix}_PORT_${p.port}_${p.protocol}`;
    env[pp] = url;
    env[`${pp}_PROTO`] = proto;
    env[`${pp}_PORT`] = String(p.port);
    env[`${pp}_ADDR`] = ip;
  });
  return env;
}

const linkKeys = new WeakMap<ServiceInfo, string>();

/** What serviceLinkVars reads of a Service, as a string (kept per Service object: a Service never changes once built). */
function linkKey(s: ServiceInfo): string {
  let k = linkKeys.get(s);
  if (k === undefined) {
    k = `${s.name}\u0001${s.clusterIP}\u0001${s.ports.map((p) => `${p.name}/${p.port}/${p.protocol}`).join()}`;
    linkKeys.set(s, k);
  }
  return k;
}

/**
 * DNS-5: a pod sees the links of every Service of its namespace (unless enableServiceLinks: false)
 * and always those of default/kubernetes, unless its own namespace has a Service named kubernetes
 * (the kubelet's `getServiceEnvVarMap`).
 */
export class ServiceLinks {
  private readonly byNs = new Map<string, ServiceInfo[]>();
  private readonly cache = new Map<string, Record<string, string>>();
  private readonly keysWithOwn = new Map<string, string>();
  private readonly keysWithout = new Map<string, string>();
  private readonly kube: ServiceInfo | undefined;

  /**
   * `keptKeys`: the keys of the previous build, by content: an equal key is that string, so that comparing a
   * pod's key with the one it was linked with compares two pointers, not two long strings.
   */
  constructor(
    services: readonly ServiceInfo[],
    private readonly keptKeys?: ReadonlyMap<string, string>,
  ) {
    for (const s of services) {
      const l = this.byNs.get(s.namespace);
      if (l) l.push(s);
      else this.byNs.set(s.namespace, [s]);
    }
    this.kube = services.find((s) => s.id === KUBERNETES_SERVICE);
  }

  /**
   * What `forPod` depends on, as a string: the name, ClusterIP and ports of each Service whose links the pod
   * sees (serviceLinkVars reads nothing else). Equal keys give equal environments.
   */
  keyFor(pod: PodInfo): string {
    const keys = pod.enableServiceLinks ? this.keysWithOwn : this.keysWithout;
    let k = keys.get(pod.namespace);
    if (k === undefined) {
      const own = pod.enableServiceLinks ? (this.byNs.get(pod.namespace) ?? []) : [];
      const kube = this.kube && !own.some((s) => s.name === 'kubernetes') ? linkKey(this.kube) : '';
      k = [kube, ...own.map(linkKey)].join('\u0002');
      k = this.keptKeys?.get(k) ?? k;
      keys.set(pod.namespace, k);
    }
    return k;
  }

  /** Every key made so far, by content (the next build's `keptKeys`). */
  usedKeys(): Map<string, string> {
    const out = new Map<string, string>();
    for (const k of this.keysWithOwn.values()) out.set(k, k);
    for (const k of this.keysWithout.values()) out.set(k, k);
    return out;
  }

  forPod(pod: PodInfo): Record<string, string> {
    const key = `${pod.namespace}|${pod.enableServiceLinks}`;
    let env = this.cache.get(key);
    if (!env) {
      env = {};
      const own = pod.enableServiceLinks ? (this.byNs.get(pod.namespace) ?? []) : [];
      if (this.kube && !own.some((s) => s.name === 'kubernetes')) Object.assign(env, this.kube.env);
      for (const s of own) Object.assign(env, s.env);
      Object.freeze(env); // shared by every container of the namespace that declares no env of its own
      this.cache.set(key, env);
    }
    return env;
  }
}

/**
 * A container whose environment is worked out on first read (links, then declared env expanded). A class with
 * the getter on its prototype: an accessor per container, with two closures, cost ~440 bytes a container, ~70 MB
 * of the 10,000-Service bench workspace's 156,604 pods (issue 13). `env` reads, writes and serializes as the
 * plain field it stands for.
 */
class LinkedContainer implements ContainerInfo {
  // Private (#) fields: not own enumerable properties, so the container compares and copies as its name, ports, env.
  readonly #declared: Record<string, string>;
  readonly #pod: PodInfo;
  readonly #links: ServiceLinks;
  #computed: Record<string, string> | undefined;
  constructor(
    readonly name: string,
    readonly ports: ContainerInfo['ports'],
    declared: Record<string, string>,
    pod: PodInfo,
    links: ServiceLinks,
  ) {
    this.#declared = declared;
    this.#pod = pod;
    this.#links = links;
  }
  get env(): Record<string, string> {
    return (this.#computed ??= environmentAtStart(this.#declared, this.#links.forPod(this.#pod)));
  }
  set env(value: Record<string, string>) {
    this.#computed = value;
  }
  toJSON(): ContainerInfo {
    return { name: this.name, ports: this.ports, env: this.env };
  }
}

/**
 * Makes each of the pod's containers start with its Service-link environment: links, then declared env expanded
 * (`$(VAR)`, `$$`), declared names winning, worked out on first read (thousands of pods times hundreds of Services
 * would otherwise be millions of strings nobody looks at). `declaredOut` keeps each linked container's declared
 * env (the pods stage compares the next build's pods by it).
 */
export function linkPod(pod: PodInfo, links: ServiceLinks, declaredOut?: WeakMap<ContainerInfo, Record<string, string>>): void {
  pod.containers = pod.containers.map((c) => {
    const linked = new LinkedContainer(c.name, c.ports, c.env, pod, links);
    declaredOut?.set(linked, c.env);
    return linked;
  });
}
