// Test support: a small random workspace of manifests (every kind the stages read) and random edits of it, for the
// incremental-build property test (test/unit/incremental.test.ts). Objects are plain data rendered to block YAML;
// each edit changes one object, file or the profile the way a person editing the files would.
import type { JsonMap } from '../../server/src/model/index';

/** One object of the workspace and the file it is written in. */
export interface Obj {
  file: string;
  body: JsonMap;
}

export interface EditableWorkspace {
  objects: Obj[];
  /** The profile's text; undefined: no profile file. */
  profile: string | undefined;
}

/** Each object in a file of its own (`file:///ws/<i>.yaml`), so that an edit of one leaves the others' manifests as they were. */
export function workspaceOf(objects: readonly JsonMap[], profile?: string): EditableWorkspace {
  return { objects: objects.map((body, i) => ({ file: `file:///ws/${i}.yaml`, body })), profile };
}

type Rng = () => number;

const NAMESPACES = ['default', 'shop', 'ops'];
const APPS = ['web', 'api', 'db'];
const HOSTS = ['shop.example.com', 'api.example.com', ''];

function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function meta(name: string, namespace: string | undefined, labels?: Record<string, string>): JsonMap {
  const m: JsonMap = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (labels) m.labels = labels;
  return m;
}

function podSpec(r: Rng, app: string): JsonMap {
  const container: JsonMap = { name: 'main', image: 'x', ports: [{ name: pick(r, ['http', 'web']), containerPort: pick(r, [8080, 9090]) }] };
  if (r() < 0.5) {
    container.env = [
      { name: 'PEER', value: '$(API_SERVICE_HOST):$(API_SERVICE_PORT)' },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
    ];
  }
  // WL-6: a hostPort makes pods of one node clash.
  if (r() < 0.1) (container.ports as JsonMap[])[0]!.hostPort = pick(r, [8080, 9090]);
  const spec: JsonMap = { containers: [container] };
  if (r() < 0.15) spec.enableServiceLinks = false;
  if (r() < 0.05) spec.nodeName = pick(r, ['node1', 'node2', 'node9']);
  if (r() < 0.1) spec.hostNetwork = true;
  if (r() < 0.1) spec.nodeSelector = { 'kubernetes.io/hostname': pick(r, ['node1', 'node2', 'node9']) };
  if (r() < 0.1) {
    spec.hostname = `${app}-h`;
    spec.subdomain = pick(r, ['db', 'web']);
  }
  return spec;
}

/** A new object of a random kind, named from a small pool so that names, selectors and references meet. */
export function randomObject(r: Rng): JsonMap {
  const ns = pick(r, NAMESPACES);
  const app = pick(r, APPS);
  const name = `${app}${pick(r, ['', '-2'])}`;
  const labels = { app, tier: pick(r, ['front', 'back']) };
  const k = r();
  if (k < 0.18)
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name, ns),
      spec: { replicas: 1 + Math.floor(r() * 3), selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: podSpec(r, app) } },
    };
  if (k < 0.24)
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(name, ns),
      spec: { replicas: 2, serviceName: pick(r, ['db', 'web']), selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: podSpec(r, app) } },
    };
  if (k < 0.28) return { apiVersion: 'v1', kind: 'Pod', metadata: meta(`${name}-pod`, ns, labels), spec: podSpec(r, app) };
  if (k < 0.3)
    return {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(`${name}-agent`, ns),
      spec: { selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: podSpec(r, app) } },
    };
  if (k < 0.5) return randomService(r, name, ns, app);
  if (k < 0.58) {
    const np: JsonMap = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(`allow-${app}`, ns),
      spec: {
        podSelector: r() < 0.2 ? {} : { matchLabels: { app } },
        ingress: [
          {
            from: [
              r() < 0.5 ? { podSelector: { matchLabels: { app: pick(r, APPS) } } } : { namespaceSelector: { matchLabels: { team: pick(r, ['a', 'b']) } } },
            ],
            ports: [{ port: pick(r, [8080, 9090]) }],
          },
        ],
      },
    };
    if (r() < 0.3) (np.spec as JsonMap).policyTypes = ['Ingress', 'Egress'];
    return np;
  }
  if (k < 0.64) {
    const host = pick(r, HOSTS);
    const rule: JsonMap = {
      http: {
        paths: [{ path: pick(r, ['/', '/api']), pathType: 'Prefix', backend: { service: { name: `${pick(r, APPS)}`, port: { number: pick(r, [80, 81]) } } } }],
      },
    };
    if (host) rule.host = host;
    const spec: JsonMap = { rules: [rule] };
    if (r() < 0.6) spec.ingressClassName = 'nginx';
    if (r() < 0.3) spec.tls = [{ hosts: [host || 'x.example.com'], secretName: 'tls' }];
    return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(`${app}-ing`, ns), spec };
  }
  if (k < 0.67)
    return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('nginx', undefined), spec: { controller: 'k8s.io/ingress-nginx' } };
  if (k < 0.71) return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, { team: pick(r, ['a', 'b']) }) };
  if (k < 0.74) return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings', ns), data: { mode: pick(r, ['fast', 'slow']) } };
  if (k < 0.76) return { apiVersion: 'v1', kind: 'Secret', metadata: meta('tls', ns), type: 'kubernetes.io/tls' };
  if (k < 0.8)
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta(`${app}-manual`, ns, { 'kubernetes.io/service-name': app }),
      addressType: 'IPv4',
      endpoints: [{ addresses: [pick(r, ['10.0.9.1', '10.0.9.2'])] }],
      ports: [{ name: 'http', port: pick(r, [80, 8080]) }],
    };
  if (k < 0.83)
    return {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta(app, ns),
      subsets: [{ addresses: [{ ip: pick(r, ['10.0.8.1', '10.0.8.2']) }], ports: [{ name: 'http', port: 80 }] }],
    };
  if (k < 0.86)
    return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: meta('gw', undefined), spec: { controllerName: 'example.com/gw' } };
  if (k < 0.9)
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: meta('edge', ns),
      spec: {
        gatewayClassName: 'gw',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: pick(r, ['Same', 'All']) } } }],
      },
    };
  if (k < 0.95)
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta(`${app}-route`, ns),
      spec: {
        parentRefs: [{ name: 'edge', namespace: pick(r, NAMESPACES) }],
        hostnames: [pick(r, ['shop.example.com', 'api.example.com'])],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: pick(r, ['/', '/v1']) } }], backendRefs: [{ name: pick(r, APPS), port: pick(r, [80, 81]) }] }],
      },
    };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: meta('allow', ns),
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: pick(r, NAMESPACES) }], to: [{ group: '', kind: 'Service' }] },
  };
}

function randomService(r: Rng, name: string, ns: string, app: string): JsonMap {
  const type = pick(r, ['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Headless', 'Manual']);
  const port: JsonMap = { name: 'http', port: pick(r, [80, 81]), targetPort: pick<string | number>(r, ['http', 8080, 'web']) };
  const spec: JsonMap = { selector: { app }, ports: [port] };
  if (type === 'NodePort' || type === 'LoadBalancer') {
    spec.type = type;
    if (r() < 0.4) port.nodePort = pick(r, [30080, 30081]);
  } else if (type === 'ExternalName') {
    spec.type = 'ExternalName';
    spec.externalName = 'db.example.com';
    delete spec.selector;
  } else if (type === 'Headless') spec.clusterIP = 'None';
  else if (type === 'Manual') delete spec.selector;
  if (type === 'ClusterIP' && r() < 0.3) spec.clusterIP = pick(r, ['10.43.0.10', '10.43.0.11', '10.43.5.5']);
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(pick(r, [name, app]), ns), spec };
}

/** A starting workspace of `n` objects, one file each or a few per file. */
export function randomWorkspace(r: Rng, n: number): EditableWorkspace {
  const objects: Obj[] = [];
  for (let i = 0; i < n; i++) objects.push({ file: randomFile(r), body: randomObject(r) });
  return { objects, profile: r() < 0.5 ? undefined : randomProfile(r) };
}

function randomFile(r: Rng): string {
  return `file:///ws/${pick(r, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])}${pick(r, ['', '/x'])}.yaml`;
}

function randomProfile(r: Rng): string {
  const nodes = Math.floor(r() * 3);
  const lines = [`clusterDomain: ${pick(r, ['cluster.local', 'example.org'])}`];
  if (r() < 0.3) lines.push('loadBalancer: { enabled: true }');
  // IP-1: nodes that fill up (kubeletMaxPods) or run out of addresses (a /29 holds 5 pods).
  if (r() < 0.4) lines.push(`kubeletMaxPods: ${pick(r, [2, 3, 5])}`);
  if (nodes) {
    lines.push('nodes:');
    for (let i = 1; i <= nodes; i++) lines.push(`  - { name: node${i}, internalIP: 10.0.0.${i}, podCIDR: 10.42.${i - 1}.0/${pick(r, [24, 24, 29])} }`);
  }
  return `${lines.join('\n')}\n`;
}

/** The kinds of edit a person makes; `edit` picks one and says which. */
export const EDITS = [
  'label',
  'selector',
  'port',
  'add',
  'remove',
  'rename',
  'namespace',
  'policy',
  'ingress',
  'route',
  'profile',
  'replicas',
  'move-file',
  'same-text',
] as const;

function at(body: JsonMap, path: (string | number)[]): JsonMap | undefined {
  let cur: unknown = body;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k as string];
  }
  return cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as JsonMap) : undefined;
}

/** Applies one random edit in place (objects are copied before they change: the texts of other files stay). */
export function edit(ws: EditableWorkspace, r: Rng): string {
  const kind = pick(r, EDITS);
  const i = Math.floor(r() * ws.objects.length);
  const obj = ws.objects[i];
  const changed = (body: JsonMap) => {
    ws.objects[i] = { ...obj!, body };
  };
  const copy = (): JsonMap => JSON.parse(JSON.stringify(obj!.body)) as JsonMap;
  switch (kind) {
    case 'add':
      ws.objects.push({ file: randomFile(r), body: randomObject(r) });
      break;
    case 'remove':
      if (obj) ws.objects.splice(i, 1);
      break;
    case 'profile':
      ws.profile = r() < 0.2 ? undefined : randomProfile(r);
      break;
    case 'move-file':
      if (obj) ws.objects[i] = { ...obj, file: randomFile(r) };
      break;
    case 'same-text':
      break;
    default: {
      if (!obj) break;
      const b = copy();
      const md = b.metadata as JsonMap;
      if (kind === 'rename') md.name = `${String(md.name)}${pick(r, ['', '-x'])}`.replace(/-x-x$/, '');
      else if (kind === 'namespace') {
        if (md.namespace !== undefined) md.namespace = pick(r, NAMESPACES);
      } else if (kind === 'label') {
        const tl = at(b, ['spec', 'template', 'metadata', 'labels']) ?? at(b, ['metadata', 'labels']);
        if (tl) tl[pick(r, ['app', 'tier', 'extra'])] = pick(r, [...APPS, 'front']);
        else md.labels = { team: pick(r, ['a', 'b']) };
      } else if (kind === 'selector') {
        const spec = at(b, ['spec']);
        if (spec && b.kind === 'Service') spec.selector = r() < 0.15 ? {} : { app: pick(r, APPS) };
        else if (spec && spec.podSelector !== undefined) spec.podSelector = { matchLabels: { app: pick(r, APPS) } };
      } else if (kind === 'port') {
        const p =
          at(b, ['spec', 'ports', 0]) ?? at(b, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0]) ?? at(b, ['spec', 'containers', 0, 'ports', 0]);
        if (p && 'containerPort' in p) p.containerPort = pick(r, [8080, 9090]);
        else if (p) {
          p.port = pick(r, [80, 81, 82]);
          if (r() < 0.5) p.targetPort = pick<string | number>(r, ['http', 'web', 8080, 9090]);
        }
      } else if (kind === 'replicas') {
        const spec = at(b, ['spec']);
        if (spec && 'replicas' in spec) spec.replicas = Math.floor(r() * 6);
      } else if (kind === 'policy') {
        if (b.kind === 'NetworkPolicy') {
          const spec = at(b, ['spec'])!;
          spec.ingress =
            r() < 0.3 ? [] : [{ from: [{ podSelector: { matchLabels: { app: pick(r, APPS) } } }], ports: [{ port: pick(r, [8080, 9090, 'http']) }] }];
          if (r() < 0.3) spec.egress = [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }];
        } else b.spec = randomObject(r).spec ?? null;
      } else if (kind === 'ingress') {
        const rule = at(b, ['spec', 'rules', 0]);
        if (rule && b.kind === 'Ingress') {
          rule.host = pick(r, HOSTS.filter(Boolean));
          const path = at(rule, ['http', 'paths', 0]);
          if (path) path.path = pick(r, ['/', '/api', '/shop']);
        }
      } else if (kind === 'route') {
        const spec = at(b, ['spec']);
        if (spec && b.kind === 'HTTPRoute') {
          spec.hostnames = [pick(r, ['shop.example.com', 'api.example.com', '*.example.com'])];
          const ref = at(spec, ['rules', 0, 'backendRefs', 0]);
          if (ref) ref.name = pick(r, APPS);
        } else if (spec && b.kind === 'Gateway') {
          const l = at(spec, ['listeners', 0]);
          if (l) l.hostname = pick(r, ['shop.example.com', '*.example.com']);
        }
      }
      changed(b);
    }
  }
  return kind;
}

/** The workspace's files as texts, by URI (objects of one file in workspace order), and the profile. */
export function texts(ws: EditableWorkspace): Map<string, string> {
  const byFile = new Map<string, string[]>();
  for (const o of ws.objects) {
    const list = byFile.get(o.file);
    const text = toYaml(o.body, '');
    if (list) list.push(text);
    else byFile.set(o.file, [text]);
  }
  const out = new Map<string, string>();
  for (const [file, docs] of byFile) out.set(file, docs.join('---\n'));
  return out;
}

function scalar(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Block YAML of plain data (strings double-quoted, empty containers in flow style). */
export function toYaml(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]\n';
    return v
      .map((item) => {
        const inner = toYaml(item, `${indent}  `);
        return item !== null && typeof item === 'object' && !(Array.isArray(item) && item.length === 0) && Object.keys(item).length > 0
          ? `${indent}- ${inner.slice(indent.length + 2)}`
          : `${indent}- ${inner}`;
      })
      .join('');
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}\n';
    return entries
      .map(([k, x]) => {
        const empty = x !== null && typeof x === 'object' && Object.keys(x).length === 0;
        if (x !== null && typeof x === 'object' && !empty) return `${indent}${JSON.stringify(k)}:\n${toYaml(x, `${indent}  `)}`;
        return `${indent}${JSON.stringify(k)}: ${empty ? (Array.isArray(x) ? '[]' : '{}') : scalar(x)}\n`;
      })
      .join('');
  }
  return `${scalar(v)}\n`;
}
