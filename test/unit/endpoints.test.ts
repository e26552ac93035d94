// Unit tests: Endpoints and EndpointSlices (EP-1..4, SVC-2 named targetPorts). Expected values derived by hand from the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Model, ServiceInfo } from '../../server/src/model/index';
import { modelOf } from '../support/model';

const get = (m: Model, id: string): ServiceInfo => {
  const s = m.index.serviceById.get(id);
  assert.ok(s, `service ${id} exists`);
  return s;
};
const diag = (m: Model, code: string) => m.diagnostics.filter((d) => d.code === code);
const podIp = (m: Model, id: string): string => m.index.podById.get(id)!.ip!;

const REDIS_SVC = `apiVersion: v1
kind: Service
metadata: {name: redis, namespace: default}
spec:
  clusterIP: 10.43.0.11
  ports:
  - {name: redis, port: 6379, protocol: TCP, targetPort: 6379}
  - {name: sentinel, port: 26379, protocol: TCP, targetPort: 26379}
  selector: {k8s-app: redis}
---
`;
const pod = (name: string, labels: string, extra = '', ports = '[{containerPort: 6379}]'): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: ${labels}}
spec:
  nodeName: node1
  containers: [{name: c, image: redis:5.0.6, ports: ${ports}}]
${extra}---
`;
const NOT_READY = 'status:\n  phase: Running\n  conditions: [{type: Ready, status: "False"}]\n';

test('EP-1: Ready pods matching every selector label in the namespace; not-ready ones only with publishNotReadyAddresses', () => {
  const files = { 'a.yaml': REDIS_SVC + pod('redis-a', '{k8s-app: redis}') + pod('redis-b', '{k8s-app: redis}', NOT_READY) + pod('other', '{k8s-app: web}') };
  const m = modelOf(files);
  const s = get(m, 'default/redis');
  const a = podIp(m, 'default/redis-a');
  const b = podIp(m, 'default/redis-b');
  assert.deepEqual(
    s.endpoints.map((e) => [e.pod, e.ip, e.node, e.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`)]),
    [['default/redis-a', a, 'node1', ['redis:6379/TCP', 'sentinel:26379/TCP']]],
  );
  assert.deepEqual(s.endpointsObject, { addresses: [a], notReadyAddresses: [b], annotations: {} });
  assert.deepEqual(
    s.endpointSlices.flatMap((x) => x.endpoints.map((e) => [e.addresses[0], e.ready])),
    [
      [a, true],
      [b, false],
    ],
  );
  const pub = modelOf({ 'a.yaml': files['a.yaml'].replace('clusterIP: 10.43.0.11', 'clusterIP: 10.43.0.11\n  publishNotReadyAddresses: true') });
  assert.deepEqual(
    get(pub, 'default/redis')
      .endpoints.map((e) => e.pod)
      .sort(),
    ['default/redis-a', 'default/redis-b'],
  );
});

test('EP-1: a selector matching nothing warns, says what happens, and lists near misses', () => {
  const m = modelOf({ 'a.yaml': REDIS_SVC + pod('redis-server', '{k8s-app: redis-server}') });
  const d = diag(m, 'service-selects-no-pods');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.severity, 'warning');
  assert.match(d[0]!.message, /10\.43\.0\.11:6379 are refused/);
  assert.match(d[0]!.message, /default\/redis-server has k8s-app=redis-server/);
  assert.deepEqual(get(m, 'default/redis').endpoints, []);
});

test('SVC-2: a named targetPort resolves per pod; a pod lacking it is no endpoint for that port; none having it warns with a fix', () => {
  const svcText = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: admin, port: 9000, targetPort: admn}
  selector: {app: web}
---
`;
  const m = modelOf({
    'a.yaml':
      svcText +
      pod('web-a', '{app: web}', '', '[{name: http, containerPort: 8080}, {name: admin, containerPort: 9090}]') +
      pod('web-b', '{app: web}', '', '[{name: http, containerPort: 8081}]') +
      pod('web-c', '{app: web}', '', '[{name: metrics, containerPort: 80}]'),
  });
  const eps = get(m, 'default/web').endpoints;
  assert.deepEqual(
    eps.map((e) => [e.pod, e.ports.map((p) => p.port)]),
    [
      ['default/web-a', [8080]],
      ['default/web-b', [8081]],
    ],
  );
  const d = diag(m, 'service-targetport-unresolved');
  assert.equal(d.length, 1);
  assert.equal(svcText.slice(d[0]!.span.start, d[0]!.span.end), 'admn');
  assert.equal(d[0]!.fixes?.[0]?.edits[0]?.newText, 'admin');
});

test('EP-2: a selector-less Service takes the seed EndpointSlice (mysql -> 10.0.0.5:3306); with nothing it warns', () => {
  const mysql = `apiVersion: v1
kind: Service
metadata: {name: mysql, namespace: default}
spec:
  clusterIP: 10.43.0.2
  ports:
  - name: tcp
    port: 3306
    protocol: TCP
    targetPort: 3306
  type: ClusterIP
---
`;
  const slice = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  labels:
    kubernetes.io/service-name: mysql
  name: mysql
  namespace: default
addressType: IPv4
endpoints:
- addresses:
  - 10.0.0.5
  conditions:
    ready: true
ports:
- name: tcp
  port: 3306
  protocol: TCP
`;
  const m = modelOf({ 'a.yaml': mysql + slice });
  const s = get(m, 'default/mysql');
  assert.deepEqual(s.endpoints, [{ pod: null, ip: '10.0.0.5', node: null, ready: true, ports: [{ name: 'tcp', port: 3306, protocol: 'TCP' }] }]);
  assert.equal(s.endpointsObject, null, 'no Endpoints object is made for a selector-less Service');
  assert.deepEqual(
    s.endpointSlices.map((x) => [x.name, x.managed]),
    [['mysql', false]],
  );
  const alone = modelOf({ 'a.yaml': mysql });
  assert.deepEqual(get(alone, 'default/mysql').endpoints, []);
  assert.equal(diag(alone, 'service-no-endpoints').length, 1);
});

test('EP-3: manual Endpoints are mirrored into slices, unless skip-mirror (then kube-proxy never sees them)', () => {
  const svcText = 'apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n---\n';
  const ep = (labels: string) =>
    `apiVersion: v1\nkind: Endpoints\nmetadata: {name: ext${labels}}\nsubsets:\n- addresses: [{ip: 10.0.0.3}, {ip: 10.0.0.4}]\n  ports: [{port: 8080}]\n`;
  const m = modelOf({ 'a.yaml': svcText + ep('') });
  const s = get(m, 'default/ext');
  assert.deepEqual(
    s.endpoints.map((e) => `${e.ip}:${e.ports[0]!.port}`),
    ['10.0.0.3:8080', '10.0.0.4:8080'],
  );
  assert.equal(s.endpointSlices.length, 1);
  assert.equal(s.endpointSlices[0]!.managed, true);
  assert.deepEqual(s.endpointsObject?.addresses, ['10.0.0.3', '10.0.0.4']);
  const skip = modelOf({ 'a.yaml': svcText + ep(', labels: {endpointslice.kubernetes.io/skip-mirror: "true"}') });
  assert.deepEqual(get(skip, 'default/ext').endpoints, []);
  assert.deepEqual(get(skip, 'default/ext').endpointSlices, []);
  assert.equal(diag(skip, 'endpoints-skip-mirror').length, 1);
});

test('EP-3: 250 endpoints make slices of 100, 100 and 50; Endpoints keeps 1000 addresses, then is truncated', () => {
  const nodes = Array.from({ length: 6 }, (_, i) => `  - {name: n${i}, internalIP: 10.0.0.${i + 1}, podCIDR: 10.42.${i * 2}.0/23}`).join('\n');
  const profile = `kubeletMaxPods: 500\nnodes:\n${nodes}\n`;
  const deploy = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: big}
spec:
  ports: [{port: 80}]
  selector: {app: big}
`;
  const m = modelOf({ 'netpath.cluster.yaml': profile, 'a.yaml': deploy(250) });
  const s = get(m, 'default/big');
  assert.deepEqual(
    s.endpointSlices.map((x) => x.endpoints.length),
    [100, 100, 50],
  );
  assert.equal(s.endpoints.length, 250);
  assert.deepEqual(s.endpointsObject?.annotations, {});
  const big = modelOf({ 'netpath.cluster.yaml': profile, 'a.yaml': deploy(1001) });
  const b = get(big, 'default/big');
  assert.equal(big.pods.filter((p) => p.ip).length, 1001, 'the profile has room for 1001 pods');
  assert.equal(b.endpointsObject?.addresses.length, 1000);
  assert.deepEqual(b.endpointsObject?.annotations, { 'endpoints.kubernetes.io/over-capacity': 'truncated' });
  assert.equal(b.endpointSlices.length, 11);
  assert.equal(b.endpoints.length, 1001, 'kube-proxy reads slices, which are not truncated');
});

test('EP-4: ports pair by name and protocol (none = TCP); a mismatch warns and carries no traffic; targetPort ignored; first address only', () => {
  const svcText = `apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports:
  - {name: tcp, port: 3306, targetPort: 9999}
  - {name: stats, port: 9100, protocol: UDP}
---
`;
  const slice = (portName: string) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: db-1, labels: {kubernetes.io/service-name: db}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.5, 10.0.0.6]}]
ports: [{name: ${portName}, port: 3306}, {name: stats, port: 9100}]
`;
  const text = svcText + slice('tcp');
  const m = modelOf({ 'a.yaml': text });
  const s = get(m, 'default/db');
  // tcp pairs (no protocol = TCP) with the slice's 3306, not targetPort 9999; UDP stats finds only a TCP "stats".
  assert.deepEqual(
    s.endpoints.map((e) => [e.ip, e.ports]),
    [['10.0.0.5', [{ name: 'tcp', port: 3306, protocol: 'TCP' }]]],
  );
  const d = diag(m, 'endpointslice-port-mismatch');
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /stats/);
  assert.match(d[0]!.message, /no protocol means TCP/);
  const wrong = svcText + slice('mysql');
  const w = modelOf({ 'a.yaml': wrong });
  assert.deepEqual(get(w, 'default/db').endpoints, [], 'neither port pairs: no traffic at all');
  const nameDiag = diag(w, 'endpointslice-port-mismatch').find((x) => /"tcp"/.test(x.message))!;
  assert.equal(wrong.slice(nameDiag.span.start, nameDiag.span.end), 'mysql');
  assert.equal(nameDiag.fixes?.[0]?.edits[0]?.newText, 'tcp');
});

test("EP-3: a controller-made EndpointSlice is named `<service>-` and five characters of the API server's generateName alphabet", () => {
  // Forty Services give forty independent suffixes; the earlier slice namer could index outside the
  // alphabet and write "undefined" into names.
  const docs: string[] = [];
  for (let i = 0; i < 40; i++) {
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: svc${i}}\nspec:\n  selector: {app: a${i}}\n  ports: [{port: 80}]`);
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, labels: {app: a${i}}}\nspec:\n  containers: [{name: c, image: x, ports: [{containerPort: 80}]}]`,
    );
  }
  const m = modelOf({ 'all.yaml': docs.join('\n---\n') });
  for (let i = 0; i < 40; i++) {
    const svc = m.services.find((s) => s.name === `svc${i}`)!;
    const managed = svc.endpointSlices.filter((s) => s.managed);
    assert.equal(managed.length, 1, svc.id);
    assert.match(managed[0]!.name, new RegExp(`^svc${i}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
  }
});
