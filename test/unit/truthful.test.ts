// Unit tests: what real repositories hold must not raise what a real API server would not (issue 14):
// names per kind (IN-3), kubelet's node labels (CL-2), defaults before validation (SVC-2),
// ReplicationControllers and StatefulSet serviceName (WL-1), templates and client-side config (IN-4),
// duplicates (IN-5). Manifests written here by hand; expected results from the Kubernetes sources cited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectivity, parseFile } from '../../server/src/model/index';
import { codes, modelOf } from '../support/model';
import { netpath } from '../support/cli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const named = (kind: string, apiVersion: string, name: string, ns = ''): string =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: "${name}"${ns ? `\n  namespace: ${ns}` : ''}\n---\n`;

test('IN-3: RBAC names are path segments (system:auth-delegator is valid); other kinds keep their own rule', () => {
  const m = modelOf({
    'rbac.yaml': [
      named('ClusterRole', 'rbac.authorization.k8s.io/v1', 'system:auth-delegator'),
      named('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'metallb-system:controller'),
      named('Role', 'rbac.authorization.k8s.io/v1', 'Pod_Reader:x', 'default'),
      named('RoleBinding', 'rbac.authorization.k8s.io/v1', 'a/b', 'default'),
      named('ClusterRole', 'rbac.authorization.k8s.io/v1', '..'),
    ].join(''),
    'other.yaml': [
      named('Service', 'v1', 'web.v1', 'default'), // DNS-1035 label: no dots
      named('ConfigMap', 'v1', 'Settings', 'default'), // DNS-1123 subdomain: lowercase
      named('Namespace', 'v1', 'team.a'), // DNS-1123 label
      named('ConfigMap', 'v1', 'app.config', 'default'), // a subdomain may hold dots
      named('Prometheus', 'monitoring.coreos.com/v1', 'k8s', 'default'), // a custom resource: its CRD decides
    ].join(''),
  });
  const bad = m.diagnostics.filter((d) => d.code === 'invalid-field' && d.rule === 'IN-3').map((d) => d.subject);
  assert.deepEqual(bad.sort(), ['ClusterRole/..', 'ConfigMap/default/Settings', 'Namespace/team.a', 'RoleBinding/default/a/b', 'Service/default/web.v1']);
});

const deployment = (name: string, podSpec: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec}      containers: [{name: main, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{port: 80}]
---
`;

test("CL-2: every node carries kubelet's own labels, beta.kubernetes.io/os|arch too: such selectors schedule", () => {
  const m = modelOf({
    'netpath.cluster.yaml': 'nodes:\n  - {name: node1}\n  - {name: node2}\n',
    'w.yaml': [
      deployment('legacy', '      nodeSelector: {beta.kubernetes.io/os: linux, beta.kubernetes.io/arch: amd64}\n'),
      deployment('modern', '      nodeSelector: {kubernetes.io/os: linux}\n'),
      deployment(
        'pinned',
        `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}
              - {key: kubernetes.io/hostname, operator: In, values: [node2]}
`,
      ),
      deployment('windows', '      nodeSelector: {kubernetes.io/os: windows}\n'),
    ].join(''),
  });
  for (const n of m.nodes) {
    assert.equal(n.labels['beta.kubernetes.io/os'], 'linux', n.name);
    assert.equal(n.labels['beta.kubernetes.io/arch'], 'amd64', n.name);
  }
  const pod = (owner: string) => m.index.podsByOwner.get(`Deployment/default/${owner}`)![0]!;
  assert.ok(pod('legacy').ip, 'beta.kubernetes.io selector schedules');
  assert.ok(pod('modern').ip);
  assert.equal(pod('pinned').node, 'node2');
  assert.equal(pod('windows').node, null, 'no node runs windows: Pending is true');
  assert.equal(m.index.serviceById.get('default/legacy')!.endpoints.length, 1);
  assert.deepEqual(
    codes(m).filter((c) => c !== 'service-selects-no-pods' && c !== 'service-no-endpoints'),
    ['pod-unschedulable'],
  );
});

test('SVC-2: zero values that have a default are defaulted before validation (targetPort: 0, "" protocol/type/affinity)', () => {
  const m = modelOf({
    's.yaml': `apiVersion: v1
kind: Service
metadata: {name: chart}
spec:
  type: ""
  sessionAffinity: ""
  ports:
  - {name: http, port: 8080, targetPort: 0, protocol: ""}
  - {name: grpc, port: 9090, targetPort: ""}
`,
  });
  assert.deepEqual(codes(m), ['service-no-endpoints'], 'no selector: the only diagnostic is the true one');
  const s = m.index.serviceById.get('default/chart')!;
  assert.equal(s.type, 'ClusterIP');
  assert.equal(s.sessionAffinity, 'None');
  assert.deepEqual(
    s.ports.map((p) => [p.port, p.targetPort, p.protocol]),
    [
      [8080, 8080, 'TCP'],
      [9090, 9090, 'TCP'],
    ],
  );
});

test('WL-1: a ReplicationController makes pods (`<rc>-<5>`), and its Service gets them as endpoints', () => {
  const m = modelOf({
    'guestbook.yaml': `apiVersion: v1
kind: ReplicationController
metadata: {name: redis-master}
spec:
  replicas: 2
  selector: {app: redis, role: master}
  template:
    metadata: {labels: {app: redis, role: master}}
    spec:
      containers: [{name: master, image: redis, ports: [{containerPort: 6379}]}]
---
apiVersion: v1
kind: ReplicationController
metadata: {name: frontend}
spec:
  template:
    metadata: {labels: {app: guestbook}}
    spec:
      containers: [{name: php, image: gb-frontend, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: redis-master}
spec:
  selector: {app: redis, role: master}
  ports: [{port: 6379}]
`,
  });
  const pods = m.index.podsByOwner.get('ReplicationController/default/redis-master') ?? [];
  assert.equal(pods.length, 2);
  for (const p of pods) assert.match(p.name, /^redis-master-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(m.index.podsByOwner.get('ReplicationController/default/frontend')?.length, 1, 'no selector: the template labels are the selector');
  assert.equal(m.index.serviceById.get('default/redis-master')!.endpoints.length, 2);
  assert.deepEqual(codes(m), []);
});

test('WL-1: a ReplicationController whose selector does not match its template is refused', () => {
  const m = modelOf({
    'rc.yaml':
      'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  selector: {app: a}\n  template:\n    metadata: {labels: {app: b}}\n    spec:\n      containers: [{name: c, image: x}]\n',
  });
  assert.deepEqual(
    m.diagnostics.map((d) => [d.code, d.rule]),
    [['invalid-field', 'WL-1']],
  );
});

test('WL-1: a StatefulSet serviceName without a headless Service of that name is a warning; a headless one is not', () => {
  const sts = (name: string, serviceName: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${serviceName}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: x, ports: [{containerPort: 80}]}]
---
`;
  const svc = (name: string, app: string, headless: boolean) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  ${headless ? 'clusterIP: None\n  ' : ''}selector: {app: ${app}}\n  ports: [{port: 80}]\n---\n`;
  const m = modelOf({
    'sts.yaml': sts('web', 'nginx') + svc('nginx', 'web', true) + sts('db', 'missing') + sts('cache', 'cache') + svc('cache', 'cache', false),
  });
  const found = m.diagnostics.filter((d) => d.code === 'statefulset-service-not-headless');
  assert.deepEqual(
    found.map((d) => [d.subject, d.severity, d.rule]),
    [
      ['StatefulSet/default/db', 'warning', 'WL-1'],
      ['StatefulSet/default/cache', 'warning', 'WL-1'],
    ],
  );
  assert.match(found[0]!.message, /no Service default\/missing/);
  assert.match(found[1]!.message, /not headless/);
});

test('IN-5: a duplicate identity is a warning (the API server refuses nothing), not an error', () => {
  // Two different definitions (identical copies are an info: test/unit/duplicates.test.ts).
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
  const m = modelOf({ 'base/a.yaml': cm, 'overlay/a.yaml': `${cm}data: {mode: overlay}\n` });
  assert.deepEqual(
    m.diagnostics.map((d) => [d.code, d.severity]),
    [['duplicate-resource', 'warning']],
  );
});

test('IN-4: kustomize transformer configs (apiVersion: builtin) and kustomization files are client-side: never duplicates', () => {
  const transformer =
    'apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: labels}\nlabels: {team: a}\nfieldSpecs: [{path: metadata/labels, create: true}]\n';
  const kustomization = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-really}\n';
  const m = modelOf({
    'a/labels.yaml': transformer,
    'b/labels.yaml': transformer,
    'a/kustomization.yaml': kustomization,
    'b/kustomization.yaml': kustomization,
  });
  assert.deepEqual(m.diagnostics, []);
  assert.deepEqual(
    m.resources.filter((r) => r.kind !== 'Namespace').map((r) => r.id),
    [],
  );
});

test('IN-4: `{{ }}` only inside string values (alert rules, dashboards) is an ordinary manifest; `{{` as structure is a template', () => {
  const rules = `apiVersion: v1
kind: ConfigMap
metadata: {name: alert-rules}
data:
  rules.yaml: |
    groups:
    - name: node
      rules:
      - alert: InstanceDown
        annotations:
          summary: {{ $labels.instance }} is down
    {{- /* a template comment inside the block scalar is text too */}}
  dashboard.json: |
    {"legendFormat": "{{ instance }}"}
`;
  const f = parseFile('rules.yaml', rules);
  assert.equal(f.template, false);
  assert.deepEqual(
    f.resources.map((r) => r.id),
    ['ConfigMap/default/alert-rules'],
  );
  assert.equal(
    parseFile('t.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n').template,
    true,
    'parses as a flow map: still a template',
  );
  assert.equal(parseFile('u.yaml', '{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n').template, true);
});

test('IN-4: one template-skipped per chart, on its Chart.yaml; its crds/ are read, files outside charts are on their own', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 80}]}\n';
  const m = modelOf({
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/values.yaml': 'replicaCount: 1\n',
    'charts/web/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "web.fullname" . }}\n',
    'charts/web/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain-but-templated-folder}\n',
    'charts/web/templates/broken.yaml': '{{- range .Values.items }}\n- {{ . }}\n{{- end }}\n',
    'charts/web/crds/crd.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-crds}\n',
    'loose/template.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
    'plain.yaml': svc,
  });
  const skipped = m.diagnostics.filter((d) => d.code === 'template-skipped');
  assert.deepEqual(skipped.map((d) => d.file).sort(), ['charts/web/Chart.yaml', 'loose/template.yaml']);
  assert.match(skipped.find((d) => d.file === 'charts/web/Chart.yaml')!.message, /3 template files/);
  assert.deepEqual(
    m.diagnostics.filter((d) => d.code !== 'template-skipped').map((d) => d.code),
    ['service-no-endpoints'],
    'only the plain Service, which has no selector',
  );
  const ids = m.resources
    .filter((r) => r.kind !== 'Namespace')
    .map((r) => r.id)
    .sort();
  assert.deepEqual(ids, ['ConfigMap/default/from-crds', 'Service/default/x']);
});

const many = (n: number, prefix = 'app'): string =>
  Array.from(
    { length: n },
    (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${prefix}${i}}
spec:
  selector: {matchLabels: {app: ${prefix}${i}}}
  template:
    metadata: {labels: {app: ${prefix}${i}}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${prefix}${i}}
spec: {selector: {app: ${prefix}${i}}, ports: [{port: 80}]}
---
`,
  ).join('');

test('CL-5: 1,500 Services and their pods without declared nodes: nodes are assumed, every pod gets an address, no capacity warning', () => {
  const m = modelOf({ 'big.yaml': many(1500) });
  assert.deepEqual(
    m.diagnostics.filter((d) => d.severity !== 'info'),
    [],
  );
  assert.ok(
    m.nodes.every((n) => n.assumed),
    'no node was declared',
  );
  assert.equal(m.nodes.length, 32, "1500 pods at 3/4 of kubeletMaxPods (82 per node): the seed's 2 doubled to 32");
  assert.ok(
    m.pods.every((p) => p.ip),
    'every pod is addressed',
  );
  // The same pods on two declared nodes: IP-1 capacity is real there and reported.
  const declared = modelOf({ 'big.yaml': many(300), 'netpath.cluster.yaml': 'nodes:\n  - {name: node1}\n  - {name: node2}\n' });
  assert.ok(declared.diagnostics.some((d) => d.code === 'node-pod-cidr-exhausted' && d.severity === 'warning'));
});

test('CL-5, IP-2: adding a Deployment does not move unrelated pods on assumed nodes', () => {
  const before = modelOf({ 'a.yaml': many(200) });
  const after = modelOf({ 'a.yaml': many(200), 'b.yaml': many(1, 'extra') });
  const where = (m: ReturnType<typeof modelOf>) => new Map(m.pods.map((p) => [p.id, `${p.node} ${p.ip}`]));
  const a = where(before);
  for (const [id, at] of where(after)) if (a.has(id)) assert.equal(at, a.get(id), id);
});

test('CL-5: pods that name their node or select labels no assumed node has get an assumed node of their own', () => {
  const m = modelOf({
    'w.yaml': deployment('pinned', '      nodeName: worker-7\n') + deployment('ssd', '      nodeSelector: {disktype: ssd}\n') + deployment('free', ''),
  });
  assert.deepEqual(
    m.diagnostics.filter((d) => d.code === 'pod-unschedulable'),
    [],
  );
  const pod = (owner: string) => m.index.podsByOwner.get(`Deployment/default/${owner}`)![0]!;
  assert.equal(pod('pinned').node, 'worker-7');
  const ssd = m.index.nodeByName.get(pod('ssd').node!)!;
  assert.equal(ssd.labels.disktype, 'ssd');
  assert.equal(ssd.assumedFor, 'Deployment/default/ssd');
  assert.ok(['node1', 'node2'].includes(pod('free').node!), "a pod that asks for nothing stays on the seed's nodes");
  // A Node manifest declares the cluster: nothing is assumed then.
  const declared = modelOf({
    'w.yaml': deployment('pinned', '      nodeName: worker-7\n'),
    'n.yaml': 'apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\n',
  });
  assert.ok(declared.nodes.every((n) => !n.assumed));
  assert.deepEqual(
    declared.diagnostics.map((d) => d.code).filter((c) => c === 'pod-unschedulable'),
    ['pod-unschedulable'],
  );
});

test('WL-1: connectivity marks Job and CronJob ends as run-to-completion', () => {
  const m = modelOf({
    'j.yaml':
      `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    metadata: {labels: {app: migrate}}
    spec: {restartPolicy: Never, containers: [{name: m, image: x}]}
---
` + deployment('api', ''),
  });
  const c = connectivity(m).filter((x) => x.src.includes('migrate') || x.dst.includes('migrate'));
  assert.deepEqual(c.map((x) => [x.src, x.dst, x.runsToCompletion]).sort(), [
    ['default/api[Deployment]', 'default/migrate[Job]', ['dst']],
    ['default/migrate[Job]', 'default/api[Deployment]', ['src']],
  ]);
});

const OPERATED = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec: {replicas: 2}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus-k8s, namespace: monitoring}
spec: {selector: {app.kubernetes.io/name: prometheus}, ports: [{name: web, port: 9090}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: prometheus-k8s, namespace: monitoring}
spec: {podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}, ingress: [{ports: [{port: 9090}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: orphan, namespace: default}
spec: {selector: {app: gone}, ports: [{port: 80}]}
`;

test('IN-6: a Service or policy whose pods an operator makes from a custom resource in its namespace is an info, not "dead"', () => {
  const m = modelOf({ 'kp.yaml': OPERATED });
  const got = m.diagnostics.map((d) => [d.code, d.severity, d.rule, d.subject]);
  assert.deepEqual(got, [
    ['service-selects-no-pods', 'info', 'IN-6', 'Service/monitoring/prometheus-k8s'],
    ['service-selects-no-pods', 'warning', 'EP-1', 'Service/default/orphan'],
    ['networkpolicy-selects-nothing', 'info', 'IN-6', 'NetworkPolicy/monitoring/prometheus-k8s'],
  ]);
  assert.match(m.diagnostics[0]!.message, /Prometheus k8s/);
  assert.doesNotMatch(m.diagnostics[0]!.message, /^Selector .* so the Service has no endpoints/);
});

test('IN-6: `check` names the kinds read but not simulated in one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-in6-'));
  try {
    writeFileSync(join(dir, 'kp.yaml'), OPERATED);
    const r = netpath(['check', dir]);
    assert.match(r.stdout, /^Read but not simulated \(IN-6\): Prometheus \(1\)\. Operators may create pods/m);
    assert.equal(r.stdout.match(/Read but not simulated/g)?.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
