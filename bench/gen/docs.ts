// Bench layer: the YAML documents of a planned app, Ingress or policy, shaped like real manifests (labels,
// probes, resources, security contexts, config files inside ConfigMaps), so that parsing costs what it would.
import type { App, IngressPlan, LabelStyle, ManualEndpoints, Namespace, PolicyPlan, ServicePort } from './plan';
import { Flow, Note, toYaml, type Value } from './yaml';

type Doc = { [key: string]: Value | undefined };
type Labels = { [key: string]: string };

/** Serializes one document with an optional comment line above it. */
function write(doc: Doc, style: boolean, comment?: string): string {
  return `${comment ? `# ${comment}\n` : ''}${toYaml(doc, style)}`;
}

export function selectorOf(app: App): Labels {
  return app.ns.labels === 'recommended'
    ? { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/instance': `${app.name}-${app.ns.env === 'production' ? 'prod' : app.ns.env}` }
    : { app: app.name };
}

function component(app: App): string {
  return app.kind === 'StatefulSet' ? 'database' : app.kind === 'DaemonSet' ? 'agent' : app.type === 'worker' ? 'worker' : 'backend';
}

export function podLabelsOf(app: App): Labels {
  return app.ns.labels === 'recommended'
    ? { ...selectorOf(app), 'app.kubernetes.io/component': component(app), 'app.kubernetes.io/part-of': app.ns.team, 'app.kubernetes.io/version': app.version }
    : { app: app.name, tier: component(app), version: `v${app.version.split('.')[0]}` };
}

function objectLabels(app: App): Labels {
  return app.ns.labels === 'recommended' ? { ...podLabelsOf(app), 'app.kubernetes.io/managed-by': 'kustomize' } : { app: app.name, team: app.ns.team };
}

function meta(name: string, namespace: string | undefined, labels?: Labels, annotations?: [string, string][]): Doc {
  return {
    name,
    namespace,
    labels: labels && Object.keys(labels).length ? labels : undefined,
    // The writer quotes values that would otherwise read as numbers or booleans ("true", "8").
    annotations: annotations?.length ? Object.fromEntries(annotations) : undefined,
  };
}

export function namespaceDoc(ns: Namespace, style: boolean): string {
  const r = ns.r.fork('namespace');
  const labels: Labels = { team: ns.team, environment: ns.env };
  if (r.chance(0.5)) labels['kubernetes.io/metadata.name'] = ns.name;
  if (r.chance(0.4)) labels['pod-security.kubernetes.io/enforce'] = r.pick(['restricted', 'baseline']);
  return write(
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns.name, undefined, labels, r.chance(0.3) ? [['owner', `${ns.team}@example.com`]] : undefined) },
    style,
  );
}

export function serviceAccountDoc(app: App, style: boolean): string {
  return write(
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(app.name, app.ns.name, objectLabels(app)),
      automountServiceAccountToken: app.r.fork('sa').chance(0.2) ? false : undefined,
    },
    style,
  );
}

/** The app's own config file, embedded as a block scalar the way Spring or Node services keep theirs. */
function configFile(app: App): string {
  const r = app.r.fork('config');
  const lines = [
    'server:',
    `  port: ${app.ports[0]?.port ?? 8080}`,
    '  shutdown: graceful',
    'observability:',
    '  metrics: prometheus',
    `  sampleRate: ${r.pick(['0.01', '0.1', '1.0'])}`,
  ];
  if (app.calls.length) {
    lines.push('upstreams:');
    for (const c of app.calls)
      lines.push(
        `  ${c.name}:`,
        `    url: http://${c.name}.${c.ns.name}.svc.cluster.local:${c.service?.ports[0]?.port ?? 80}`,
        `    timeout: ${r.pick(['250ms', '1s', '3s'])}`,
        `    retries: ${r.int(0, 3)}`,
      );
  }
  lines.push('flags:');
  for (let i = r.int(2, 14); i > 0; i--)
    lines.push(
      `  ${r.pick(['enable', 'use', 'allow'])}-${r.pick(['cache', 'v2', 'tracing', 'batching', 'gzip', 'async', 'shadow', 'canary'])}-${i}: ${r.chance(0.5)}`,
    );
  return lines.map((l) => `    ${l}`).join('\n');
}

export function configMapDoc(app: App, style: boolean): string {
  const r = app.r.fork('configmap');
  const head = write(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${app.name}-config`, app.ns.name, objectLabels(app)),
      data: { LOG_LEVEL: r.pick(['info', 'debug', 'warn']), LOG_FORMAT: 'json', CACHE_TTL_SECONDS: String(r.pick([30, 60, 300, 3600])) },
    },
    style,
  );
  // The writer has no block scalars: the config file goes last in `data`, appended as a literal block.
  return `${head}  app.yaml: |\n${configFile(app)}\n`;
}

function container(app: App): Doc {
  const r = app.r.fork('container');
  const first = app.ports[0];
  const probePort = first ? (r.chance(0.7) ? first.name : first.port) : 8080;
  const env: Value[] = [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ...app.calls.map((c) => {
      const host = c.ns === app.ns ? c.name : r.chance(0.5) ? `${c.name}.${c.ns.name}` : `${c.name}.${c.ns.name}.svc.cluster.local`;
      return { name: `${c.name.toUpperCase().replace(/-/g, '_')}_URL`, value: `http://${host}:${c.service?.ports[0]?.port ?? 80}` };
    }),
  ];
  const tcp = app.ports.find((p) => p.protocol === 'TCP');
  const probes: Doc =
    app.kind === 'StatefulSet' || first?.protocol === 'UDP'
      ? { readinessProbe: { tcpSocket: { port: tcp?.name ?? 'metrics' }, initialDelaySeconds: r.pick([5, 10, 15]), periodSeconds: 10 } }
      : Object.fromEntries(
          ['readinessProbe', 'livenessProbe'].map((k) => [
            k,
            {
              httpGet: { path: k === 'readinessProbe' ? '/ready' : '/live', port: probePort },
              initialDelaySeconds: r.pick([5, 10, 15, 30]),
              periodSeconds: r.pick([10, 15, 20]),
              failureThreshold: r.chance(0.4) ? r.pick([3, 5, 6]) : undefined,
            },
          ]),
        );
  return {
    name: app.name,
    image: `registry.example.com/${app.ns.team}/${app.name}:${app.version}`,
    imagePullPolicy: r.pick(['IfNotPresent', 'IfNotPresent', 'Always']),
    args: app.kind !== 'StatefulSet' && first && r.chance(0.7) ? [`--listen=:${first.port}`, ...(r.chance(0.5) ? ['--log-level=info'] : [])] : undefined,
    ports: app.ports.map((p) => ({
      name: p.name,
      containerPort: p.name === 'http' && r.chance(0.3) ? new Note(p.port, 'main listener') : p.port,
      protocol: p.protocol,
      hostPort: app.hostPorts && p.name !== 'metrics' ? p.port : undefined,
    })),
    env,
    envFrom: app.configMap ? [{ configMapRef: { name: `${app.name}-config` } }] : undefined,
    resources: {
      requests: { cpu: r.pick(['50m', '100m', '250m', '500m']), memory: r.pick(['64Mi', '128Mi', '256Mi', '1Gi']) },
      limits: { cpu: r.chance(0.6) ? r.pick(['500m', '1', '2']) : undefined, memory: r.pick(['256Mi', '512Mi', '2Gi']) },
    },
    ...probes,
    volumeMounts: [
      ...(app.kind === 'StatefulSet' ? [{ name: 'data', mountPath: `/var/lib/${app.name}` }] : []),
      { name: 'tmp', mountPath: '/tmp' },
      ...(app.configMap ? [{ name: 'config', mountPath: `/etc/${app.name}`, readOnly: true }] : []),
    ],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: app.kind !== 'StatefulSet', capabilities: { drop: ['ALL'] } },
  };
}

export function workloadDoc(app: App, style: boolean): string {
  const r = app.r.fork('workload');
  const metrics = app.ports.find((p) => p.name === 'metrics');
  const podSpec: Doc = {
    serviceAccountName: app.name,
    hostNetwork: app.hostNetwork || undefined,
    dnsPolicy: app.hostNetwork ? 'ClusterFirstWithHostNet' : undefined,
    tolerations: app.kind === 'DaemonSet' ? [{ operator: 'Exists', effect: 'NoSchedule' }] : undefined,
    nodeSelector: app.kind !== 'DaemonSet' && r.chance(0.15) ? { 'kubernetes.io/hostname': `node${r.int(1, 2)}` } : undefined,
    affinity:
      app.kind !== 'DaemonSet' && r.chance(0.3)
        ? {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selectorOf(app) } } },
              ],
            },
          }
        : undefined,
    securityContext: { runAsNonRoot: true, runAsUser: r.pick([1000, 10001, 65532]), fsGroup: r.pick([1000, 10001, 65532]) },
    containers: [
      container(app),
      ...(app.sidecar
        ? [
            {
              name: 'envoy',
              image: 'envoyproxy/envoy:v1.31.2',
              ports: [
                { name: 'envoy-admin', containerPort: 9901 },
                { name: 'envoy-http', containerPort: 15001 },
              ],
              resources: { requests: new Flow({ cpu: '50m', memory: '64Mi' }) },
            },
          ]
        : []),
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }, ...(app.configMap ? [{ name: 'config', configMap: { name: `${app.name}-config` } }] : [])],
  };
  const spec: Doc = {
    replicas: app.kind === 'DaemonSet' ? undefined : app.replicas,
    serviceName: app.kind === 'StatefulSet' ? app.name : undefined,
    selector: { matchLabels: selectorOf(app) },
    strategy:
      app.kind === 'Deployment'
        ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: r.pick(['25%', '1', '50%']), maxUnavailable: r.pick(['0', '25%', '1']) } }
        : undefined,
    updateStrategy: app.kind === 'Deployment' ? undefined : { type: 'RollingUpdate' },
    template: {
      metadata: {
        labels: podLabelsOf(app),
        annotations: metrics ? { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(metrics.port) } : undefined,
      },
      spec: podSpec,
    },
    volumeClaimTemplates:
      app.kind === 'StatefulSet'
        ? [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: new Flow(['ReadWriteOnce']),
                storageClassName: r.pick(['standard', 'fast-ssd']),
                resources: { requests: { storage: r.pick(['10Gi', '50Gi', '200Gi']) } },
              },
            },
          ]
        : undefined,
  };
  const comment = r.chance(0.5) ? `${app.kind} ${app.name}: ${app.service ? `behind Service ${app.name}` : 'background worker, no Service'}` : undefined;
  return write({ apiVersion: 'apps/v1', kind: app.kind, metadata: meta(app.name, app.ns.name, objectLabels(app)), spec }, style, comment);
}

function servicePortDoc(p: ServicePort, onlyOne: boolean, r: ReturnType<App['r']['fork']>): Doc {
  return {
    name: p.named || !onlyOne ? p.name : undefined,
    port: p.port,
    targetPort: p.targetPort !== p.port || r.chance(0.5) ? p.targetPort : undefined,
    protocol: p.protocol !== 'TCP' || r.chance(0.5) ? p.protocol : undefined,
    nodePort: p.nodePort,
  };
}

export function serviceDoc(app: App, style: boolean): string {
  const svc = app.service;
  if (!svc) return '';
  const r = app.r.fork('service');
  const spec: Doc = {
    type: svc.type !== 'ClusterIP' || r.chance(0.3) ? svc.type : undefined,
    clusterIP: svc.clusterIP === undefined ? undefined : svc.headless ? 'None' : new Note(svc.clusterIP, 'pinned: firewall rules name it'),
    externalName: svc.externalName,
    loadBalancerIP: svc.loadBalancerIP,
    externalTrafficPolicy: svc.externalTrafficPolicy,
    internalTrafficPolicy: svc.internalTrafficPolicy,
    publishNotReadyAddresses: svc.publishNotReadyAddresses || undefined,
    sessionAffinity: svc.sessionAffinity ? 'ClientIP' : undefined,
    selector: svc.selector ? selectorOf(app) : undefined,
    ports: svc.ports.length ? svc.ports.map((p) => servicePortDoc(p, svc.ports.length === 1, r)) : undefined,
  };
  const labels = svc.selector ? objectLabels(app) : { team: app.ns.team };
  return write(
    { apiVersion: 'v1', kind: 'Service', metadata: meta(app.name, app.ns.name, labels, svc.annotations), spec },
    style,
    r.chance(0.4) ? `Service ${app.name} (${svc.headless ? 'headless' : svc.type})` : undefined,
  );
}

export function endpointsDoc(app: App, e: ManualEndpoints, style: boolean): string {
  const ports = app.service?.ports ?? [];
  if (e.legacy) {
    return write(
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: meta(app.name, app.ns.name, { team: app.ns.team }),
        subsets: [
          {
            addresses: e.addresses.map((a) => ({ ip: a.ip, hostname: a.hostname })),
            ports: ports.map((p) => ({ name: p.name, port: Number(p.targetPort), protocol: p.protocol })),
          },
        ],
      },
      style,
      'hand-written Endpoints, from before EndpointSlices',
    );
  }
  return write(
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta(e.name, app.ns.name, { 'kubernetes.io/service-name': app.name, 'endpointslice.kubernetes.io/managed-by': 'platform-team' }),
      addressType: 'IPv4',
      ports: ports.map((p) => ({ name: p.name, protocol: p.protocol, port: Number(p.targetPort) })),
      endpoints: e.addresses.map((a) => ({ addresses: [a.ip], conditions: { ready: a.ready }, hostname: a.hostname })),
    },
    style,
  );
}

export function hpaDoc(app: App, style: boolean): string {
  return write(
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(app.name, app.ns.name, objectLabels(app)),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: app.kind, name: app.name },
        minReplicas: app.replicas,
        maxReplicas: app.replicas * 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    style,
  );
}

export function pdbDoc(app: App, style: boolean): string {
  return write(
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(app.name, app.ns.name),
      spec: { ...(app.kind === 'StatefulSet' ? { maxUnavailable: 1 } : { minAvailable: 1 }), selector: { matchLabels: selectorOf(app) } },
    },
    style,
  );
}

export function ingressDoc(ns: Namespace, ing: IngressPlan, style: boolean): string {
  const backend = (app: App, byName: boolean): Doc => {
    const p = app.service?.ports[0];
    return { service: { name: app.name, port: byName && p ? { name: p.name } : { number: p?.port ?? 80 } } };
  };
  return write(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(ing.name, ns.name, { team: ns.team }, ing.annotations),
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: ing.defaultBackend ? backend(ing.defaultBackend, false) : undefined,
        tls: ing.tlsSecret ? [{ hosts: ing.rules.map((rule) => rule.host), secretName: ing.tlsSecret }] : undefined,
        rules: ing.rules.map((rule) => ({
          host: rule.host,
          http: { paths: rule.paths.map((p) => ({ path: p.path, pathType: p.type, backend: backend(p.app, p.byName) })) },
        })),
      },
    },
    style,
    `Ingress ${ing.name}, served by ingress-nginx`,
  );
}

function labelKey(style: LabelStyle): string {
  return style === 'recommended' ? 'app.kubernetes.io/name' : 'app';
}

export function policyDoc(ns: Namespace, pol: PolicyPlan, style: boolean): string {
  const head = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(pol.name, ns.name) };
  const byNs = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
  switch (pol.kind) {
    case 'default-deny':
      return write(
        { ...head, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
        style,
        'deny everything; the policies below open what each app needs',
      );
    case 'dns':
      return write(
        {
          ...head,
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [
              {
                to: [{ namespaceSelector: byNs('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
                ports: [
                  { protocol: 'UDP', port: 53 },
                  { protocol: 'TCP', port: 53 },
                ],
              },
            ],
          },
        },
        style,
      );
    case 'from-ingress':
      return write(
        {
          ...head,
          spec: {
            podSelector: { matchExpressions: [{ key: labelKey(ns.labels), operator: 'In', values: pol.apps.map((a) => a.name) }] },
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ namespaceSelector: byNs('ingress-nginx') }], ports: [{ protocol: 'TCP', port: 'http' }] }],
          },
        },
        style,
      );
    case 'scrape':
      return write(
        {
          ...head,
          spec: {
            podSelector: {},
            ingress: [
              {
                from: [{ namespaceSelector: byNs('monitoring'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
                ports: [{ protocol: 'TCP', port: 'metrics' }],
              },
            ],
          },
        },
        style,
      );
    case 'same-namespace':
      return write({ ...head, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] } }, style);
    case 'app': {
      const a = pol.app;
      const r = a.r.fork('netpol');
      const from: Value[] = pol.peers.map((p) => ({ podSelector: { matchLabels: selectorOf(p) } }));
      if (!pol.peers.length && !pol.remote)
        from.push({ podSelector: { matchLabels: { [ns.labels === 'recommended' ? 'app.kubernetes.io/part-of' : 'team']: ns.team } } });
      if (pol.remote) from.push({ namespaceSelector: { matchLabels: { team: pol.remote.ns.team } }, podSelector: { matchLabels: selectorOf(pol.remote) } });
      const egress: Value[] = [];
      if (pol.database)
        egress.push({
          to: [{ podSelector: { matchLabels: selectorOf(pol.database) } }],
          ports: [{ protocol: 'TCP', port: pol.database.ports[0]?.port ?? 5432 }],
        });
      if (pol.cidr) {
        egress.push({
          to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.128.0/17', new Note('10.42.0.0/16', 'not the pod network')] } }],
          ports: [{ protocol: 'TCP', port: 5432 }, ...(pol.portRange ? [{ protocol: 'TCP', port: 32000, endPort: 32768 }] : [])],
        });
      }
      if (pol.internet)
        egress.push({
          to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [new Note('169.254.169.254/32', 'cloud metadata'), '10.0.0.0/8'] } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        });
      return write(
        {
          ...head,
          spec: {
            podSelector: { matchLabels: selectorOf(a) },
            policyTypes: egress.length ? ['Ingress', 'Egress'] : ['Ingress'],
            ingress: [
              { from, ports: a.ports.filter((p) => p.name !== 'metrics').map((p) => ({ protocol: p.protocol, port: r.chance(0.5) ? p.name : p.port })) },
            ],
            egress: egress.length ? egress : undefined,
          },
        },
        style,
      );
    }
  }
}

export function kustomizationDoc(ns: Namespace, resources: string[]): string {
  return toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: ns.name,
    resources,
    labels: [{ pairs: { team: ns.team } }],
  });
}
