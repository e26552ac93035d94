// Bench layer: what the generated cluster holds — teams' namespaces, their apps (workload + Service), workers
// without a Service, Ingresses and NetworkPolicies — decided from a seed before any YAML is written.
// Every app with a Service counts towards N; two more Services are the platform's (ingress-nginx, node-exporter).
import { Rng } from './rng';

export type AppType = 'web' | 'grpc' | 'nodeport' | 'public' | 'database' | 'agent' | 'external' | 'manual' | 'worker';
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
export type LabelStyle = 'recommended' | 'short';

export interface ContainerPort {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP';
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
  protocol: 'TCP' | 'UDP';
  nodePort?: number;
  /** A lone port with a numeric targetPort may go unnamed, as people write it. */
  named: boolean;
}

export interface ServicePlan {
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  headless: boolean;
  selector: boolean;
  ports: ServicePort[];
  clusterIP?: string;
  externalName?: string;
  loadBalancerIP?: string;
  externalTrafficPolicy?: 'Local';
  internalTrafficPolicy?: 'Local';
  publishNotReadyAddresses?: boolean;
  sessionAffinity?: boolean;
  annotations: [string, string][];
}

export interface ManualEndpoints {
  name: string;
  /** Old-style `kind: Endpoints` instead of an EndpointSlice. */
  legacy: boolean;
  addresses: { ip: string; ready: boolean; hostname?: string }[];
}

export interface App {
  name: string;
  ns: Namespace;
  type: AppType;
  r: Rng;
  version: string;
  kind?: WorkloadKind;
  replicas: number;
  ports: ContainerPort[];
  service?: ServicePlan;
  endpoints: ManualEndpoints[];
  configMap: boolean;
  hpa: boolean;
  pdb: boolean;
  /** Behind the namespace's Ingress. */
  exposed: boolean;
  sidecar: boolean;
  hostPorts: boolean;
  hostNetwork: boolean;
  /** Other apps it calls (by DNS name, in env and config). */
  calls: App[];
}

export interface IngressPath {
  path: string;
  type: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  app: App;
  byName: boolean;
}

export interface IngressPlan {
  name: string;
  rules: { host: string; paths: IngressPath[] }[];
  tlsSecret?: string;
  defaultBackend?: App;
  annotations: [string, string][];
}

export type PolicyPlan =
  | { kind: 'default-deny' | 'dns' | 'scrape' | 'same-namespace'; name: string }
  | { kind: 'from-ingress'; name: string; apps: App[] }
  | { kind: 'app'; name: string; app: App; peers: App[]; remote?: App; database?: App; cidr: boolean; portRange: boolean; internet: boolean };

export type Layout = 'rendered' | 'file-per-app' | 'file-per-kind' | 'folder-per-app';

export interface Namespace {
  name: string;
  team: string;
  env: 'production' | 'staging' | 'sandbox';
  labels: LabelStyle;
  layout: Layout;
  r: Rng;
  apps: App[];
  workers: App[];
  ingresses: IngressPlan[];
  policies: PolicyPlan[];
}

export interface Plan {
  seed: string;
  services: number;
  platform: boolean;
  namespaces: Namespace[];
  apps: App[];
}

const TEAMS = [
  'storefront',
  'payments',
  'identity',
  'search',
  'catalog',
  'media',
  'dataplatform',
  'messaging',
  'billing',
  'logistics',
  'insights',
  'helpdesk',
  'campaigns',
  'partners',
  'risk',
  'mobile',
  'webapp',
  'ml',
  'reports',
  'checkout',
  'warehouse',
  'pricing',
  'rewards',
  'cms',
  'alerts',
  'shipping',
  'accounts',
  'adtech',
  'geo',
  'community',
  'audit',
  'tooling',
  'growth',
  'finance',
  'video',
  'travel',
  'mapping',
  'safety',
  'platform',
  'edge',
];
const WORDS = [
  'basket',
  'order',
  'invoice',
  'user',
  'login',
  'token',
  'product',
  'query',
  'stock',
  'parcel',
  'review',
  'suggest',
  'mailer',
  'push',
  'journal',
  'receipt',
  'profile',
  'session',
  'image',
  'thumb',
  'upload',
  'export',
  'audit',
  'flag',
  'price',
  'quote',
  'tax',
  'fraud',
  'points',
  'voucher',
  'wishlist',
  'score',
  'place',
  'address',
  'fx',
  'campaign',
  'banner',
  'timeline',
  'chat',
  'case',
  'refund',
  'payout',
  'kyc',
  'consent',
  'importer',
  'hook',
  'planner',
  'plan',
  'account',
  'sku',
  'route',
  'label',
  'tracker',
  'partner',
  'ledger',
  'cart',
];
const ROLES: Record<Exclude<AppType, 'manual'>, readonly string[]> = {
  web: ['api', 'web', 'svc', 'backend', 'frontend', 'bff', 'gateway', 'service'],
  grpc: ['grpc', 'rpc', 'server', 'core'],
  nodeport: ['debug', 'admin', 'console', 'api'],
  public: ['public', 'edge', 'portal', 'ingress'],
  database: ['postgres', 'redis', 'kafka', 'zookeeper', 'mongo', 'rabbitmq', 'etcd', 'mysql'],
  agent: ['agent', 'collector', 'node-dns', 'log-forwarder'],
  external: ['legacy', 'vendor', 'saas', 'mainframe'],
  worker: ['worker', 'consumer', 'cron', 'indexer', 'sync'],
};
const DATABASE_PORTS: Record<string, [string, number][]> = {
  postgres: [
    ['postgres', 5432],
    ['metrics', 9187],
  ],
  redis: [
    ['redis', 6379],
    ['metrics', 9121],
  ],
  kafka: [
    ['broker', 9092],
    ['controller', 9093],
    ['metrics', 9308],
  ],
  zookeeper: [
    ['client', 2181],
    ['peer', 2888],
    ['election', 3888],
  ],
  mongo: [['mongodb', 27017]],
  rabbitmq: [
    ['amqp', 5672],
    ['management', 15672],
    ['epmd', 4369],
  ],
  etcd: [
    ['client', 2379],
    ['peer', 2380],
  ],
  mysql: [['mysql', 3306]],
};
const MANUAL: [string, [string, number][]][] = [
  ['legacy-db', [['postgres', 5432]]],
  [
    'ldap',
    [
      ['ldap', 389],
      ['ldaps', 636],
    ],
  ],
  ['sftp', [['sftp', 22]]],
  [
    'mq-bridge',
    [
      ['mq', 1414],
      ['https', 443],
    ],
  ],
  ['hsm', [['pkcs11', 1792]]],
  [
    'smtp',
    [
      ['smtp', 25],
      ['submission', 587],
    ],
  ],
];
const OUTSIDE_DOMAINS = ['corp.example.net', 'vendor.example.org', 'saas.example.com', 'old.example.net'];
const TYPE_WEIGHTS: [AppType, number][] = [
  ['web', 46],
  ['grpc', 8],
  ['nodeport', 8],
  ['public', 5],
  ['database', 10],
  ['agent', 5],
  ['external', 9],
  ['manual', 9],
];
/** The first apps take each type once, so that a small N still has every kind of Service (N = 8: six apps and the platform's LoadBalancer and headless Services). */
const FIRST_TYPES: AppType[] = ['web', 'database', 'nodeport', 'external', 'grpc', 'manual', 'public', 'agent'];

export function plan(services: number, seed: string): Plan {
  const r = new Rng(`netpath-bench:${seed}`);
  const platform = services >= FIRST_TYPES.length;
  const appCount = platform ? services - 2 : services;
  const namespaces = makeNamespaces(r, Math.max(1, Math.min(appCount, Math.ceil(Math.sqrt(appCount) * 0.8))));
  const names = new Map<Namespace, Set<string>>();
  const unique = (ns: Namespace, base: string) => {
    const used = names.get(ns) ?? new Set<string>();
    names.set(ns, used);
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
    used.add(name);
    return name;
  };
  // Team sizes fall off like a power law: a few big namespaces, a long tail of small ones.
  const sizeWeights = namespaces.map((ns, i) => [ns, 1 / (i + 1)] as const);
  const counters = { nodePort: 30100, clusterIP: 40 };
  const apps: App[] = [];
  for (let i = 0; i < appCount; i++) {
    const ns = i < namespaces.length ? (namespaces[i] as Namespace) : r.weighted(sizeWeights);
    const ar = r.fork(`app-${i}`);
    const type = i < FIRST_TYPES.length ? (FIRST_TYPES[i] as AppType) : r.weighted(TYPE_WEIGHTS);
    const app = makeApp(ns, type, ar, unique, counters);
    ns.apps.push(app);
    apps.push(app);
  }
  for (const ns of namespaces) {
    const wr = ns.r.fork('workers');
    for (let k = Math.round(ns.apps.length / 10); k > 0; k--) {
      const name = unique(ns, `${wr.pick(WORDS)}-${wr.pick(ROLES.worker)}`);
      const w = blankApp(ns, name, 'worker', wr.fork(name));
      w.kind = 'Deployment';
      w.replicas = w.r.pick([1, 2, 2, 4]);
      w.ports = [{ name: 'metrics', port: 9090, protocol: 'TCP' }];
      w.configMap = w.r.chance(0.4);
      ns.workers.push(w);
    }
  }
  const callable = apps.filter((a) => a.kind === 'Deployment');
  for (const a of [...apps, ...namespaces.flatMap((n) => n.workers)]) {
    if (!a.kind || callable.length < 2) continue;
    a.calls = a.r.sample(
      callable.filter((b) => b !== a),
      a.r.int(0, 3),
    );
  }
  // ExternalName targets, now that every app exists: some point back into the cluster by FQDN (SVC-5).
  for (const a of apps) {
    if (a.type !== 'external' || !a.service) continue;
    const inside = callable.length > 0 && a.r.chance(0.4) ? a.r.pick(callable) : undefined;
    a.service.externalName = inside ? `${inside.name}.${inside.ns.name}.svc.cluster.local` : `${a.name.split('-')[0]}.${a.r.pick(OUTSIDE_DOMAINS)}`;
  }
  for (const ns of namespaces) {
    ns.ingresses = makeIngresses(ns);
    ns.policies = makePolicies(ns, namespaces);
  }
  return { seed, services, platform, namespaces, apps };
}

function makeNamespaces(r: Rng, count: number): Namespace[] {
  const out: Namespace[] = [];
  for (let i = 0; i < count; i++) {
    const team = TEAMS[i % TEAMS.length] as string;
    const nr = r.fork(`ns-${i}`);
    out.push({
      name: i < TEAMS.length ? team : `${team}-${Math.floor(i / TEAMS.length) + 1}`,
      team,
      env: nr.weighted([
        ['production', 6],
        ['staging', 2],
        ['sandbox', 1],
      ] as const),
      labels: nr.chance(0.6) ? 'recommended' : 'short',
      // The biggest team ships one rendered bundle (the big files); the others vary. A folder per app is for
      // small teams (a big one would have hundreds of folders), which keeps the file count near one per Service.
      layout:
        i === 0
          ? 'rendered'
          : i < 4
            ? nr.weighted([
                ['rendered', 1],
                ['file-per-app', 1],
                ['file-per-kind', 1],
              ] as const)
            : nr.weighted([
                ['rendered', 25],
                ['file-per-app', 35],
                ['file-per-kind', 25],
                ['folder-per-app', 15],
              ] as const),
      r: nr,
      apps: [],
      workers: [],
      ingresses: [],
      policies: [],
    });
  }
  return out;
}

function blankApp(ns: Namespace, name: string, type: AppType, r: Rng): App {
  return {
    name,
    ns,
    type,
    r,
    version: `${r.int(0, 4)}.${r.int(0, 30)}.${r.int(0, 12)}`,
    replicas: 1,
    ports: [],
    endpoints: [],
    configMap: false,
    hpa: false,
    pdb: false,
    exposed: false,
    sidecar: false,
    hostPorts: false,
    hostNetwork: false,
    calls: [],
  };
}

function makeApp(
  ns: Namespace,
  type: AppType,
  r: Rng,
  unique: (ns: Namespace, base: string) => string,
  counters: { nodePort: number; clusterIP: number },
): App {
  const manual = type === 'manual' ? r.pick(MANUAL) : undefined;
  const role = manual ? manual[0] : r.pick(ROLES[type as Exclude<AppType, 'manual'>]);
  const app = blankApp(ns, unique(ns, manual ? role : `${r.pick(WORDS)}-${role}`), type, r);
  const tcp = (name: string, port: number): ContainerPort => ({ name, port, protocol: 'TCP' });
  switch (type) {
    case 'web':
    case 'grpc':
    case 'nodeport':
    case 'public': {
      app.kind = 'Deployment';
      app.replicas = r.weighted([
        [1, 2],
        [2, 4],
        [3, 4],
        [4, 1],
        [6, 1],
      ] as const);
      app.ports = [tcp('http', r.pick([8080, 8080, 8000, 3000, 5000, 8081]))];
      if (type === 'grpc') app.ports.push(tcp('grpc', 9000));
      if (type === 'grpc' || r.chance(0.45)) app.ports.push(tcp('metrics', 9090));
      if (type === 'grpc' && r.chance(0.5)) app.ports.push(tcp('admin', 8558));
      if (type === 'public' && r.chance(0.5)) app.ports.push(tcp('https', 8443));
      app.sidecar = r.chance(0.2);
      app.configMap = r.chance(0.5);
      app.hpa = r.chance(0.2);
      app.pdb = r.chance(0.15);
      app.exposed = type !== 'public' && r.chance(0.45);
      break;
    }
    case 'database':
      app.kind = 'StatefulSet';
      app.replicas = r.pick([1, 3, 3, 5]);
      app.ports = (DATABASE_PORTS[role] ?? []).map(([n, p]) => tcp(n, p));
      app.configMap = r.chance(0.6);
      app.pdb = r.chance(0.5);
      break;
    case 'agent':
      app.kind = 'DaemonSet';
      app.ports =
        role === 'node-dns'
          ? [{ name: 'dns', port: 53, protocol: 'UDP' }, tcp('dns-tcp', 53), tcp('metrics', 9253)]
          : role === 'log-forwarder'
            ? [tcp('forward', 24224), tcp('metrics', 2020)]
            : [tcp('otlp-grpc', 4317), tcp('otlp-http', 4318), tcp('metrics', 8888)];
      app.hostPorts = r.chance(0.5);
      app.hostNetwork = role === 'node-dns' && r.chance(0.5);
      break;
    default:
      break;
  }
  app.service = makeService(app, r, manual?.[1], counters);
  if (manual) app.endpoints = makeEndpoints(app, r);
  return app;
}

function makeService(app: App, r: Rng, manualPorts: [string, number][] | undefined, counters: { nodePort: number; clusterIP: number }): ServicePlan {
  const svc: ServicePlan = { type: 'ClusterIP', headless: false, selector: true, ports: [], annotations: [] };
  const byName = r.chance(0.6);
  const port = (p: ContainerPort, servicePort = p.port): ServicePort => ({
    name: p.name,
    port: servicePort,
    targetPort: byName ? p.name : p.port,
    protocol: p.protocol,
    named: true,
  });
  const [first] = app.ports;
  switch (app.type) {
    case 'web':
      if (first) svc.ports.push(port(first, 80));
      if (app.ports[1] && r.chance(0.6)) svc.ports.push(port(app.ports[1]));
      if (r.chance(0.04)) {
        const k = counters.clusterIP++;
        svc.clusterIP = `10.43.${Math.floor(k / 250)}.${(k % 250) + 2}`;
      }
      svc.sessionAffinity = r.chance(0.05);
      break;
    case 'grpc':
      svc.ports = app.ports.map((p) => port(p, p.name === 'http' ? 80 : p.port));
      break;
    case 'nodeport':
      svc.type = 'NodePort';
      if (first) svc.ports.push({ ...port(first, 80), ...(r.chance(0.5) ? { nodePort: counters.nodePort++ } : {}) });
      if (r.chance(0.3)) svc.externalTrafficPolicy = 'Local';
      break;
    case 'public': {
      svc.type = 'LoadBalancer';
      if (first) svc.ports.push(port(first, 80));
      const https = app.ports.find((p) => p.name === 'https');
      if (https) svc.ports.push(port(https, 443));
      svc.annotations = r.pick([
        [['service.beta.kubernetes.io/aws-load-balancer-type', 'nlb']],
        [['metallb.universe.tf/address-pool', 'public']],
        [['cloud.google.com/load-balancer-type', 'External']],
      ] as [string, string][][]);
      if (r.chance(0.4)) svc.loadBalancerIP = `203.0.113.${r.int(10, 250)}`;
      if (r.chance(0.5)) svc.externalTrafficPolicy = 'Local';
      break;
    }
    case 'database':
      svc.headless = true;
      svc.clusterIP = 'None';
      svc.ports = app.ports.map((p) => port(p));
      svc.publishNotReadyAddresses = r.chance(0.3);
      break;
    case 'agent':
      svc.ports = app.ports.map((p) => port(p));
      svc.internalTrafficPolicy = 'Local';
      break;
    case 'external':
      svc.type = 'ExternalName';
      svc.selector = false;
      if (r.chance(0.5)) svc.ports.push({ name: 'https', port: 443, targetPort: 443, protocol: 'TCP', named: true });
      break;
    default:
      svc.selector = false;
      svc.ports = (manualPorts ?? []).map(([name, p]) => ({ name, port: p, targetPort: p, protocol: 'TCP', named: true }));
  }
  // SVC-2: only a lone port may go without a name.
  if (svc.ports.length === 1 && svc.selector) {
    const only = svc.ports[0] as ServicePort;
    only.named = typeof only.targetPort === 'string' || r.chance(0.7);
  }
  return svc;
}

function makeEndpoints(app: App, r: Rng): ManualEndpoints[] {
  const legacy = r.chance(0.15);
  const net = r.pick(['10.0', '192.168', '172.20']);
  const out: ManualEndpoints[] = [];
  for (let s = 0, n = !legacy && r.chance(0.25) ? 2 : 1; s < n; s++) {
    const addresses = Array.from({ length: r.int(1, 4) }, (_, e) => ({
      ip: `${net}.${r.int(1, 254)}.${r.int(2, 254)}`,
      ready: r.chance(0.9),
      ...(r.chance(0.4) ? { hostname: `${app.name.split('-')[0]}-${s * 4 + e + 1}` } : {}),
    }));
    out.push({ name: `${app.name}-${r.suffix(5)}`, legacy, addresses });
  }
  return out;
}

function makeIngresses(ns: Namespace): IngressPlan[] {
  const r = ns.r.fork('ingress');
  const exposed = ns.apps.filter((a) => a.exposed);
  const out: IngressPlan[] = [];
  for (let i = 0; i < exposed.length;) {
    const group = exposed.slice(i, i + r.int(1, 5));
    i += group.length;
    const head = group[0] as App;
    const ing: IngressPlan = { name: out.length === 0 ? `${ns.name}-public` : `${ns.name}-${head.name}`, rules: [], annotations: [] };
    const domain = `${ns.name}.example.com`;
    const wildcard = r.chance(0.25);
    if (wildcard) ing.rules.push({ host: `*.${ns.name}.apps.example.com`, paths: [{ path: '/', type: 'Prefix', app: head, byName: false }] });
    if (group.length > 1 && r.chance(0.5)) {
      ing.rules.push({
        host: `api.${domain}`,
        paths: group.map((a, j) =>
          j === 0 && r.chance(0.3)
            ? { path: '/healthz', type: 'Exact' as const, app: a, byName: false }
            : { path: `/api/v1/${a.name.split('-')[0]}`, type: 'Prefix' as const, app: a, byName: false },
        ),
      });
    } else {
      for (const a of group) {
        const paths: IngressPath[] = [{ path: '/', type: 'Prefix', app: a, byName: false }];
        if (r.chance(0.4)) paths.unshift({ path: '/healthz', type: 'Exact', app: a, byName: false });
        if (r.chance(0.3)) paths.unshift({ path: '/assets', type: 'Prefix', app: a, byName: false });
        if (r.chance(0.1)) paths.push({ path: '/v0/(.*)', type: 'ImplementationSpecific', app: a, byName: false });
        ing.rules.push({ host: `${a.name}.${domain}`, paths });
      }
    }
    if (ing.rules.some((rule) => rule.paths.some((p) => p.type === 'ImplementationSpecific')))
      ing.annotations.push(['nginx.ingress.kubernetes.io/use-regex', 'true']);
    if (r.chance(0.5)) ing.annotations.push(['nginx.ingress.kubernetes.io/proxy-body-size', r.pick(['1m', '8m', '50m'])]);
    if (r.chance(0.6)) {
      ing.annotations.push(['cert-manager.io/cluster-issuer', 'letsencrypt-prod']);
      ing.tlsSecret = wildcard ? `wildcard-${ns.name}-tls` : `${ing.name}-tls`;
    }
    if (r.chance(0.2)) ing.defaultBackend = group[group.length - 1];
    // A backend port by name only where the Service's first port has one.
    for (const rule of ing.rules) for (const p of rule.paths) p.byName = (p.app.service?.ports[0]?.named ?? false) && r.chance(0.4);
    out.push(ing);
  }
  return out;
}

function makePolicies(ns: Namespace, all: Namespace[]): PolicyPlan[] {
  const r = ns.r.fork('netpol');
  const out: PolicyPlan[] = [];
  if (r.chance(0.8)) out.push({ kind: 'default-deny', name: 'default-deny-all' }, { kind: 'dns', name: 'allow-dns-egress' });
  if (ns.ingresses.length) out.push({ kind: 'from-ingress', name: 'allow-from-ingress-nginx', apps: ns.apps.filter((a) => a.exposed) });
  if (r.chance(0.5)) out.push({ kind: 'scrape', name: 'allow-prometheus-scrape' });
  if (r.chance(0.2)) out.push({ kind: 'same-namespace', name: 'allow-same-namespace' });
  const local = ns.apps.filter((a) => a.kind);
  const others = all.filter((n) => n !== ns && n.apps.some((a) => a.kind));
  for (const app of local) {
    if (!r.chance(0.3)) continue;
    const remoteNs = others.length && r.chance(0.5) ? r.pick(others) : undefined;
    out.push({
      kind: 'app',
      name: `${app.name}-netpol`,
      app,
      peers: r.sample(
        local.filter((b) => b !== app),
        r.int(0, 2),
      ),
      ...(remoteNs ? { remote: r.pick(remoteNs.apps.filter((b) => b.kind)) } : {}),
      ...(app.kind === 'Deployment' ? { database: local.find((b) => b.kind === 'StatefulSet') } : {}),
      cidr: r.chance(0.4),
      portRange: r.chance(0.15),
      internet: r.chance(0.3),
    });
  }
  return out;
}
