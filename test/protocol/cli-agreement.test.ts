// Protocol test (issue 14): the editor shows exactly what `netpath check` says. One hand-written workspace holds
// one case of each class of semantic diagnostic the issue names; the CLI's JSON and the real server's
// publishDiagnostics must agree on every file, code, severity, range and message, and both must hold the list
// derived by hand below from the rules (not from either face's output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { json, netpath } from '../support/cli';
import { inMemoryClient } from './lsp';
import { writeWorkspace } from './workspace-files';

const FILES: Record<string, string> = {
  'ns.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: mon
`,
  'shop/app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - name: http
          containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: ghost
  namespace: shop
spec:
  selector:
    app: ghost
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db-headless
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: nothing
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: nothing
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: shop
  labels:
    role: node-agent
spec:
  hostNetwork: true
  containers:
  - name: agent
    image: busybox
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: agent-only
  namespace: shop
spec:
  podSelector:
    matchLabels:
      role: node-agent
  policyTypes: [Ingress]
`,
  'shop/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: first
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: second
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: missing-backend
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: other.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: unserved
  namespace: shop
spec:
  ingressClassName: traefik
  rules:
  - host: third.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`,
  'mon/prometheus.yaml': `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: k8s
  namespace: mon
spec:
  replicas: 2
---
apiVersion: v1
kind: Service
metadata:
  name: prometheus-k8s
  namespace: mon
spec:
  selector:
    app.kubernetes.io/name: prometheus
  ports:
  - name: web
    port: 9090
`,
  'cfg/a.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: fast
`,
  'cfg/b.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: safe
`,
  'base/kustomization.yaml': `resources:
- api.yaml
`,
  'base/api.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: api
        ports:
        - containerPort: 9000
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
  - port: 80
    targetPort: 9000
`,
  'overlays/dev/kustomization.yaml': `namespace: dev
namePrefix: dev-
resources:
- ../../base
- namespace.yaml
patches:
- path: replicas.yaml
`,
  'overlays/dev/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: dev
`,
  'overlays/dev/replicas.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: apx
spec:
  replicas: 3
`,
};

/** The 0-based line of the `nth` line of `file` that contains `needle`. */
function lineOf(file: string, needle: string, nth = 0): number {
  const lines = FILES[file]!.split('\n');
  const found = lines.flatMap((l, i) => (l.includes(needle) ? [i] : []));
  assert.ok(found.length > nth, `${needle} in ${file}`);
  return found[nth]!;
}

/**
 * What a cluster would say of this workspace, one line per diagnostic (`file line code severity`), derived by hand:
 * - IN-5: cfg/b.yaml redefines ConfigMap shop/settings with other data: the later apply overwrites (warning, at its name).
 * - IN-6: mon's Service selects no written pod, but a Prometheus object there makes the operator create them (info).
 * - IN-1: the dev overlay's patch names Deployment apx, which no resource is: `kubectl kustomize` refuses (error).
 * - EP-1: Service shop/ghost selects app=ghost, which no pod has (warning, at its selector).
 * - WL-1: StatefulSet db's serviceName db-headless names no Service of shop (warning).
 * - NP-1: policy `nothing` selects no pod (warning); NP-7: `agent-only` selects only a hostNetwork pod (warning).
 * - ING-3: Ingresses first and second both route shop.example.com / (warning on each path).
 * - ING-4: Ingress missing-backend names Service api, absent from shop (warning, at the name).
 * - ING-7: Ingress unserved asks for class traefik; only nginx is declared and no controller claims traefik.
 * The dev overlay's own objects (dev/dev-api Deployment and Service) are sound, as are shop/web and its Ingress.
 */
const EXPECTED = [
  `cfg/b.yaml ${lineOf('cfg/b.yaml', 'name: settings')} duplicate-resource warning`,
  `mon/prometheus.yaml ${lineOf('mon/prometheus.yaml', 'app.kubernetes.io/name: prometheus')} service-selects-no-pods info`,
  `overlays/dev/kustomization.yaml ${lineOf('overlays/dev/kustomization.yaml', 'path: replicas.yaml')} kustomize-patch-unmatched error`,
  `shop/app.yaml ${lineOf('shop/app.yaml', 'app: ghost')} service-selects-no-pods warning`,
  `shop/app.yaml ${lineOf('shop/app.yaml', 'serviceName: db-headless')} statefulset-service-not-headless warning`,
  `shop/app.yaml ${lineOf('shop/app.yaml', 'app: nothing') - 1} networkpolicy-selects-nothing warning`,
  `shop/app.yaml ${lineOf('shop/app.yaml', 'role: node-agent', 1) - 1} networkpolicy-selects-hostnetwork-only warning`,
  `shop/ingress.yaml ${lineOf('shop/ingress.yaml', '- path: /', 0)} ingress-rule-conflict warning`,
  `shop/ingress.yaml ${lineOf('shop/ingress.yaml', '- path: /', 1)} ingress-rule-conflict warning`,
  `shop/ingress.yaml ${lineOf('shop/ingress.yaml', 'name: api')} ingress-backend-service-not-found warning`,
  `shop/ingress.yaml ${lineOf('shop/ingress.yaml', 'ingressClassName: traefik')} ingress-class-not-found warning`,
].sort();

interface CliDiagnostic {
  file: string;
  code: string;
  severity: string;
  message: string;
  rule?: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const SEVERITY: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** Everything a face says of one diagnostic, as one comparable line. */
function full(file: string, code: string, severity: string, r: CliDiagnostic['range'], message: string): string {
  return `${file} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${code} ${severity} ${message}`;
}

test('the editor publishes exactly the diagnostics `netpath check` prints: file, range, code, severity, message (issue 14; IN-1, IN-5, IN-6, EP-1, WL-1, NP-1, NP-7, ING-3, ING-4, ING-7)', async () => {
  const dir = writeWorkspace('netpath-agree-', FILES);
  const c = await inMemoryClient(dir);
  try {
    const cliDiags = json<{ diagnostics: CliDiagnostic[] }>(netpath(['check', dir, '--json'])).diagnostics;
    const relative = (file: string) => file.slice(dir.length + 1);
    // The editor names the rule after the message (the CLI's JSON has it as `rule`) and another file by its path in
    // the workspace folder (the CLI by the path it was given: here the absolute one).
    const asInEditor = (d: CliDiagnostic) => `${d.message.replaceAll(`${dir}/`, '')}${d.rule ? ` (${d.rule})` : ''}`;
    const cli = cliDiags.map((d) => full(relative(d.file), d.code, d.severity, d.range, asInEditor(d))).sort();
    const cliSummary = cliDiags.map((d) => `${relative(d.file)} ${d.range.start.line} ${d.code} ${d.severity}`).sort();
    assert.deepEqual(cliSummary, EXPECTED);

    await c.waitForStatus((s) => s.state === 'ready');
    const expectedFiles = new Set(EXPECTED.map((l) => l.split(' ')[0]!));
    const server: string[] = [];
    for (const f of Object.keys(FILES)) {
      const uri = pathToFileURL(join(dir, f)).toString();
      const diags: Diagnostic[] = expectedFiles.has(f) ? await c.waitForDiagnostics(uri, (d) => d.length > 0) : (c.diagnostics.get(uri) ?? []);
      for (const d of diags) server.push(full(f, String(d.code), SEVERITY[d.severity ?? DiagnosticSeverity.Error]!, d.range, d.message));
    }
    assert.deepEqual(server.sort(), cli);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
