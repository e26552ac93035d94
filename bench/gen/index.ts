// Bench layer: the benchmark workspace — a deterministic, realistic folder of manifests with exactly N Services
// (namespaces per team; Deployments, StatefulSets, DaemonSets; ClusterIP, headless, NodePort, LoadBalancer,
// ExternalName and selector-less Services with hand-written EndpointSlices/Endpoints; Ingresses with wildcard
// hosts and every pathType; NetworkPolicies; one `kind: List`; kustomization files). Same N and seed, same bytes.
// Teams lay out their files differently, as real repositories do: one rendered bundle, a file per app, a file per
// kind, a folder per app.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join as joinPath } from 'node:path';
import type { App, Namespace, Plan } from './plan';
import { plan } from './plan';
import { Rng } from './rng';
import {
  configMapDoc,
  endpointsDoc,
  hpaDoc,
  ingressDoc,
  kustomizationDoc,
  namespaceDoc,
  pdbDoc,
  policyDoc,
  serviceAccountDoc,
  serviceDoc,
  workloadDoc,
} from './docs';
import { toYaml } from './yaml';

export type WorkspaceFile = [path: string, text: string];

/** Apps per file of a rendered bundle: the biggest team's files run to several thousand lines. */
const BUNDLE_APPS = 60;

/** Joins documents with `---`, sometimes with a blank line or a leading separator, as files in the wild do. */
function join(docs: readonly string[], r: Rng, header = ''): string {
  let out = header;
  docs.forEach((d, i) => {
    if (i > 0) out += r.chance(0.1) ? '\n---\n' : '---\n';
    else if (header || r.chance(0.5)) out += '---\n';
    out += d;
  });
  return out;
}

function appDocs(a: App, style: boolean): string[] {
  const docs: string[] = [];
  if (a.kind) docs.push(serviceAccountDoc(a, style));
  if (a.configMap) docs.push(configMapDoc(a, style));
  if (a.kind) docs.push(workloadDoc(a, style));
  if (a.service) docs.push(serviceDoc(a, style));
  for (const e of a.endpoints) docs.push(endpointsDoc(a, e, style));
  if (a.hpa) docs.push(hpaDoc(a, style));
  if (a.pdb) docs.push(pdbDoc(a, style));
  return docs;
}

/** A `kind: List` of documents (what `kubectl get -o yaml` writes), its items indented under `items:`. */
function list(docs: readonly string[]): string {
  const items = docs.map((d) =>
    d
      .trimEnd()
      .split('\n')
      .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
      .join('\n'),
  );
  return `# kubectl get configmaps -o yaml\napiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
}

function teamFiles(ns: Namespace, r: Rng, useList: boolean): { files: WorkspaceFile[]; usedList: boolean } {
  const dir = `apps/${ns.name}`;
  const style = ns.r.fork('style').chance(0.7);
  const all = [...ns.apps, ...ns.workers];
  const ingresses = ns.ingresses.map((i) => ingressDoc(ns, i, style));
  const policies = ns.policies.map((p) => policyDoc(ns, p, style));
  const ext = (name: string) => `${name}.${ns.r.fork(`ext-${name}`).chance(0.15) ? 'yml' : 'yaml'}`;
  const files: WorkspaceFile[] = [];
  let usedList = false;
  switch (ns.layout) {
    case 'rendered': {
      const parts = Math.max(1, Math.ceil(all.length / BUNDLE_APPS));
      for (let k = 0; k < parts; k++) {
        const docs = all.slice(k * BUNDLE_APPS, (k + 1) * BUNDLE_APPS).flatMap((a) => appDocs(a, style));
        if (k === parts - 1) docs.push(...ingresses, ...policies);
        files.push([
          parts === 1 ? `${dir}/${ns.name}.yaml` : `${dir}/${ns.name}-part${k + 1}.yaml`,
          join(docs, r, `# Source: helm template charts/${ns.team} (rendered; edit the chart, not this file)\n`),
        ]);
      }
      break;
    }
    case 'file-per-app':
      for (const a of all) files.push([`${dir}/${ext(a.name)}`, join(appDocs(a, style), r, r.chance(0.5) ? `# ${a.name}, owned by ${ns.team}\n` : '')]);
      if (ingresses.length) files.push([`${dir}/ingress.yaml`, join(ingresses, r)]);
      if (policies.length) files.push([`${dir}/network-policies.yaml`, join(policies, r, '# NetworkPolicies: deny by default, then allow-lists\n')]);
      break;
    case 'file-per-kind': {
      const byKind: Record<string, string[]> = { serviceaccounts: [], configmaps: [], workloads: [], services: [], endpoints: [], autoscaling: [] };
      const push = (k: string, d: string) => (byKind[k] as string[]).push(d);
      for (const a of all) {
        if (a.kind) push('serviceaccounts', serviceAccountDoc(a, style));
        if (a.configMap) push('configmaps', configMapDoc(a, style));
        if (a.kind) push('workloads', workloadDoc(a, style));
        if (a.service) push('services', serviceDoc(a, style));
        for (const e of a.endpoints) push('endpoints', endpointsDoc(a, e, style));
        if (a.hpa) push('autoscaling', hpaDoc(a, style));
        if (a.pdb) push('autoscaling', pdbDoc(a, style));
      }
      for (const [kind, docs] of Object.entries(byKind)) {
        if (!docs.length) continue;
        // The first such team keeps its ConfigMaps as one `kind: List`.
        if (kind === 'configmaps' && useList && !usedList) {
          usedList = true;
          files.push([`${dir}/${ext(kind)}`, list(docs)]);
        } else files.push([`${dir}/${ext(kind)}`, join(docs, r)]);
      }
      if (ingresses.length) files.push([`${dir}/ingresses.yaml`, join(ingresses, r)]);
      if (policies.length) files.push([`${dir}/networkpolicies.yaml`, join(policies, r)]);
      break;
    }
    case 'folder-per-app': {
      const entries: string[] = [];
      for (const a of all) {
        const parts: [string, string[]][] = [];
        if (a.kind) parts.push(['workload.yaml', [serviceAccountDoc(a, style), workloadDoc(a, style)]]);
        if (a.configMap) parts.push(['configmap.yaml', [configMapDoc(a, style)]]);
        if (a.service) parts.push(['service.yaml', [serviceDoc(a, style), ...a.endpoints.map((e) => endpointsDoc(a, e, style))]]);
        if (a.hpa || a.pdb) parts.push(['scaling.yaml', [...(a.hpa ? [hpaDoc(a, style)] : []), ...(a.pdb ? [pdbDoc(a, style)] : [])]]);
        for (const [f, docs] of parts) files.push([`${dir}/${a.name}/${f}`, join(docs, r)]);
        files.push([
          `${dir}/${a.name}/kustomization.yaml`,
          kustomizationDoc(
            ns,
            parts.map(([f]) => f),
          ),
        ]);
        entries.push(`${a.name}/`);
      }
      if (ingresses.length) files.push([`${dir}/ingress.yaml`, join(ingresses, r)]);
      if (policies.length) files.push([`${dir}/network-policies.yaml`, join(policies, r)]);
      files.push([
        `${dir}/kustomization.yaml`,
        kustomizationDoc(ns, [...entries, ...(ingresses.length ? ['ingress.yaml'] : []), ...(policies.length ? ['network-policies.yaml'] : [])]),
      ]);
      break;
    }
  }
  return { files, usedList };
}

/** The two platform Services: the ingress controller (hostPort 80/443 and a LoadBalancer) and node-exporter. */
function platformFiles(r: Rng): WorkspaceFile[] {
  const controller = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
  const nginx = [
    toYaml({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ingress-nginx', namespace: 'ingress-nginx' } }),
    toYaml({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx' },
    }),
    `# one controller per node, on the nodes' ports 80 and 443\n${toYaml({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx', labels: controller },
      spec: {
        selector: { matchLabels: controller },
        template: {
          metadata: { labels: controller },
          spec: {
            serviceAccountName: 'ingress-nginx',
            containers: [
              {
                name: 'controller',
                image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
                args: ['/nginx-ingress-controller', '--ingress-class=nginx', '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller'],
                ports: [
                  { name: 'http', containerPort: 80, hostPort: 80, protocol: 'TCP' },
                  { name: 'https', containerPort: 443, hostPort: 443, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 10254, protocol: 'TCP' },
                ],
                env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
                readinessProbe: { httpGet: { path: '/healthz', port: 10254 } },
              },
            ],
          },
        },
      },
    })}`,
    toYaml({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        selector: controller,
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'https', port: 443, targetPort: 'https' },
        ],
      },
    }),
  ];
  const exporter = { 'app.kubernetes.io/name': 'node-exporter' };
  const monitoring = [
    toYaml({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'node-exporter', namespace: 'monitoring', labels: exporter },
      spec: {
        selector: { matchLabels: exporter },
        template: {
          metadata: { labels: exporter },
          spec: {
            hostNetwork: true,
            hostPID: true,
            containers: [
              {
                name: 'node-exporter',
                image: 'quay.io/prometheus/node-exporter:v1.8.2',
                args: ['--path.rootfs=/host'],
                ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }],
                volumeMounts: [{ name: 'root', mountPath: '/host', readOnly: true }],
              },
            ],
            volumes: [{ name: 'root', hostPath: { path: '/' } }],
          },
        },
      },
    }),
    `# headless: Prometheus finds every node-exporter through its endpoints\n${toYaml({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'node-exporter', namespace: 'monitoring' },
      spec: { clusterIP: 'None', selector: exporter, ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics' }] },
    })}`,
  ];
  return [
    ['platform/ingress-nginx.yaml', join(nginx, r, '# platform/ingress-nginx.yaml (SRE)\n')],
    ['platform/monitoring.yaml', join(monitoring, r, '# platform/monitoring.yaml (SRE)\n')],
  ];
}

/** Every file of the workspace, sorted by path. */
export function generateWorkspace(services: number, seed = '1'): WorkspaceFile[] {
  if (!Number.isInteger(services) || services < 1) throw new Error(`the number of Services must be a positive integer, got ${services}`);
  const p: Plan = plan(services, seed);
  const r = new Rng(`netpath-bench-files:${seed}`);
  const nsDocs = p.namespaces.map((ns) => namespaceDoc(ns, true));
  if (p.platform) {
    for (const name of ['ingress-nginx', 'monitoring'])
      nsDocs.push(toYaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } }));
  }
  const files: WorkspaceFile[] = [['00-namespaces.yaml', join(nsDocs, r, '# One namespace per team.\n')]];
  if (p.platform) files.push(...platformFiles(r));
  let listFree = true;
  for (const ns of p.namespaces) {
    const t = teamFiles(ns, r, listFree);
    if (t.usedList) listFree = false;
    files.push(...t.files);
  }
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Writes the files under `dir` and returns what was written (for a summary or a log line). */
export function writeWorkspace(dir: string, files: readonly WorkspaceFile[]): { files: number; bytes: number; sha256: string } {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const [rel, text] of files) {
    const abs = joinPath(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    hash.update(rel).update('\0').update(text).update('\0');
    bytes += Buffer.byteLength(text);
  }
  return { files: files.length, bytes, sha256: hash.digest('hex') };
}
