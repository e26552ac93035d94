// Unit tests: workloads to pods, names, scheduling, readiness, containers, hostPorts (WL-1..WL-6, IP-3, IP-6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAddress, expandVarRefs, environmentAtStart } from '../../server/src/model/index';
import { modelOf } from '../support/model';

/** A Deployment-like manifest; `extra` goes into the pod spec (indented 6). */
function workload(kind: string, name: string, opts: { ns?: string; spec?: string; pod?: string; apiVersion?: string } = {}): string {
  const ns = opts.ns ? `\n  namespace: ${opts.ns}` : '';
  return `apiVersion: ${opts.apiVersion ?? 'apps/v1'}
kind: ${kind}
metadata:
  name: ${name}${ns}
spec:
${opts.spec ?? ''}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
${opts.pod ?? ''}      containers:
      - name: main
        image: nginx:1.27
        ports:
        - containerPort: 80
`;
}

function pod(name: string, specLines: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
${specLines}  containers:
  - name: main
    image: busybox
${extra}`;
}

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

function podsOf(m: ReturnType<typeof modelOf>, owner: string): string[] {
  return (m.index.podsByOwner.get(owner) ?? []).map((p) => p.name);
}

test('WL-1: Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job and CronJob make pods; replicas defaults to 1', () => {
  const m = modelOf({
    'w.yaml': [
      pod('solo', ''),
      workload('Deployment', 'web', { spec: '  replicas: 3\n' }),
      workload('ReplicaSet', 'rs'),
      workload('StatefulSet', 'db', { spec: '  replicas: 2\n  serviceName: db\n' }),
      // WL-1: the StatefulSet's serviceName names a headless Service (else a diagnostic, see truthful.test.ts).
      'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 80}]}\n',
      'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: legacy}\nspec:\n  selector: {app: legacy}\n  template:\n    metadata: {labels: {app: legacy}}\n    spec: {containers: [{name: main, image: nginx}]}\n',
      workload('DaemonSet', 'agent'),
      workload('Job', 'migrate', { apiVersion: 'batch/v1', spec: '  parallelism: 3\n  completions: 2\n', pod: '      restartPolicy: Never\n' }),
      `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: restic}]
`,
    ].join('---\n'),
  });
  const count = (id: string) => podsOf(m, id).length;
  assert.equal(count('Pod/default/solo'), 1);
  assert.equal(count('Deployment/default/web'), 3);
  assert.equal(count('ReplicaSet/default/rs'), 1);
  assert.equal(count('StatefulSet/default/db'), 2);
  assert.equal(count('DaemonSet/default/agent'), 2); // one per node of the default profile
  assert.equal(count('Job/default/migrate'), 2); // min(parallelism 3, completions 2) run at once
  assert.equal(count('CronJob/default/backup'), 1);
  assert.equal(count('ReplicationController/default/legacy'), 1);
  assert.equal(m.pods.length, 13);
  assert.deepEqual(m.diagnostics, []);
});

test('WL-1, IN-3: `replicas: three` is invalid-field on that value and the Deployment runs the default 1 pod', () => {
  const text = workload('Deployment', 'web', { spec: '  replicas: three\n' });
  const m = modelOf({ 'd.yaml': text });
  const d = m.diagnostics.filter((x) => x.code === 'invalid-field');
  assert.equal(d.length, 1);
  assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), 'three');
  assert.equal(podsOf(m, 'Deployment/default/web').length, 1);
});

test('WL-1: a workload whose selector does not match its template labels is rejected by the API server', () => {
  const text = workload('Deployment', 'web').replace('matchLabels: {app: web}', 'matchLabels: {app: other}');
  const m = modelOf({ 'd.yaml': text });
  const d = m.diagnostics.find((x) => x.code === 'invalid-field')!;
  // A block map's range ends after its last line break (yaml's node.range).
  assert.equal(text.slice(d.span.start, d.span.end).trimEnd(), 'matchLabels: {app: other}');
});

test('WL-2: controller naming habits, derived deterministically', () => {
  const files = {
    'w.yaml': [
      workload('Deployment', 'web', { spec: '  replicas: 2\n' }),
      workload('StatefulSet', 'db', { spec: '  replicas: 3\n  serviceName: db\n' }),
      workload('DaemonSet', 'agent'),
      workload('Job', 'migrate', { apiVersion: 'batch/v1' }),
      workload('CronJob', 'backup', { apiVersion: 'batch/v1' }).replace(
        'spec:\n  selector',
        'spec:\n  schedule: "@daily"\n  jobTemplate:\n   spec:\n    selector',
      ),
    ].join('---\n'),
  };
  const m = modelOf(files);
  const web = podsOf(m, 'Deployment/default/web');
  // pod-template-hash: Kubernetes safe-encodes the decimal digits of a 32-bit hash, so only 4-9 b c d f occur.
  for (const n of web) assert.match(n, new RegExp(`^web-[456789bcdf]{10}-${SAFE}{5}$`));
  assert.equal(web[0]!.split('-')[1], web[1]!.split('-')[1], "replicas share their ReplicaSet's hash");
  assert.notEqual(web[0], web[1]);
  assert.equal(m.index.podById.get(`default/${web[0]}`)!.labels['pod-template-hash'], web[0]!.split('-')[1]);
  assert.deepEqual(podsOf(m, 'StatefulSet/default/db'), ['db-0', 'db-1', 'db-2']);
  for (const n of podsOf(m, 'DaemonSet/default/agent')) assert.match(n, new RegExp(`^agent-${SAFE}{5}$`));
  for (const n of podsOf(m, 'Job/default/migrate')) assert.match(n, new RegExp(`^migrate-${SAFE}{5}$`));
  const cron = podsOf(m, 'CronJob/default/backup');
  assert.equal(cron.length, 1);
  assert.match(cron[0]!, new RegExp(`^backup-\\d{8}-${SAFE}{5}$`));
  assert.equal(m.index.podById.get(`default/${cron[0]}`)!.labels['job-name'], cron[0]!.slice(0, cron[0]!.lastIndexOf('-')));
  // Same input, same names and addresses, byte for byte.
  const again = modelOf(files);
  assert.deepEqual(
    again.pods.map((p) => [p.id, p.node, p.ip]),
    m.pods.map((p) => [p.id, p.node, p.ip]),
  );
});

test('WL-3: nodeName wins; nodeSelector matches node labels (hostname implicit); replicas spread evenly', () => {
  const profile =
    'nodes:\n  - {name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24}\n  - {name: node2, internalIP: 10.0.0.2, podCIDR: 10.42.1.0/24, labels: {disktype: ssd}}\n  - {name: node3, internalIP: 10.0.0.4, podCIDR: 10.42.2.0/24}\n';
  const m = modelOf({
    'netpath.cluster.yaml': profile,
    'w.yaml': [
      pod('pinned', '  nodeName: node3\n  nodeSelector: {kubernetes.io/hostname: node3}\n'),
      pod('fast', '  nodeSelector: {disktype: ssd}\n'),
      pod('byhost', '  nodeSelector: {kubernetes.io/hostname: node1}\n'),
      workload('Deployment', 'web', { spec: '  replicas: 3\n' }),
      workload('Deployment', 'api', { spec: '  replicas: 6\n' }),
    ].join('---\n'),
  });
  const nodeOf = (id: string) => m.index.podById.get(id)?.node;
  assert.equal(nodeOf('default/pinned'), 'node3');
  assert.equal(nodeOf('default/fast'), 'node2');
  assert.equal(nodeOf('default/byhost'), 'node1');
  const spread = (owner: string) => (m.index.podsByOwner.get(owner) ?? []).map((p) => p.node).sort();
  assert.deepEqual(spread('Deployment/default/web'), ['node1', 'node2', 'node3']);
  assert.deepEqual(spread('Deployment/default/api'), ['node1', 'node1', 'node2', 'node2', 'node3', 'node3']);
  assert.deepEqual(m.diagnostics, []);
});

test('WL-3: node affinity (required terms) restricts nodes; DaemonSet nodeSelector admits only matching nodes', () => {
  const profile = 'nodes:\n  - {name: node1, podCIDR: 10.42.0.0/24, labels: {zone: a}}\n  - {name: node2, podCIDR: 10.42.1.0/24, labels: {zone: b}}\n';
  const affinity = `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: zone, operator: NotIn, values: [a]}]
`;
  const m = modelOf({
    'netpath.cluster.yaml': profile,
    'w.yaml':
      workload('Deployment', 'web', { spec: '  replicas: 2\n', pod: affinity }) +
      '---\n' +
      workload('DaemonSet', 'logs', { pod: '      nodeSelector: {zone: a}\n' }),
  });
  assert.deepEqual(
    m.index.podsByOwner.get('Deployment/default/web')!.map((p) => p.node),
    ['node2', 'node2'],
  );
  assert.deepEqual(
    m.index.podsByOwner.get('DaemonSet/default/logs')!.map((p) => p.node),
    ['node1'],
  );
});

test('WL-3: no admitted node is pod-unschedulable at the selector; the pod is Pending with no IP', () => {
  const text =
    workload('Deployment', 'gpu', { spec: '  replicas: 2\n', pod: '      nodeSelector: {accelerator: nvidia}\n' }) +
    '---\n' +
    pod('lost', '  nodeName: node9\n');
  // Declared nodes (CL-5: with none declared, the model would assume nodes these pods ask for).
  const m = modelOf({ 'w.yaml': text, 'netpath.cluster.yaml': 'nodes:\n  - {name: node1}\n  - {name: node2}\n' });
  const d = m.diagnostics.filter((x) => x.code === 'pod-unschedulable');
  assert.deepEqual(
    d.map((x) => text.slice(x.span.start, x.span.end)),
    ['{accelerator: nvidia}', 'node9'],
  );
  assert.equal(d[0]!.rule, 'WL-3');
  for (const p of m.pods) assert.deepEqual([p.node, p.ip, p.ready], [null, null, false]);
});

test('WL-4: Ready unless status says Ready=False or a phase other than Running', () => {
  const m = modelOf({
    'p.yaml': [
      pod('plain', ''),
      pod('running', '', 'status:\n  phase: Running\n  conditions: [{type: Ready, status: "True"}]\n'),
      pod('starting', '', 'status:\n  phase: Pending\n'),
      pod('failing', '', 'status:\n  phase: Running\n  conditions: [{type: Ready, status: "False"}]\n'),
    ].join('---\n'),
  });
  const ready = Object.fromEntries(m.pods.map((p) => [p.name, p.ready]));
  assert.deepEqual(ready, { plain: true, running: true, starting: false, failing: false });
});

test('WL-5: containers share one pod IP; ports keep name, protocol (TCP by default), hostPort; env values are as declared', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: app, labels: {app: app}}
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - {name: http, containerPort: 8080}
    - {name: dns, containerPort: 53, protocol: UDP}
    env:
    - {name: PORT, value: "8080"}
    - {name: URL, value: "http://$(SVC_HOST):$(PORT)"}
    - name: POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: COLOR
      valueFrom: {configMapKeyRef: {name: settings, key: color}}
  - name: sidecar
    image: envoy
    ports: [{containerPort: 9901, hostPort: 9901}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {color: blue}
`;
  const m = modelOf({ 'p.yaml': text });
  const p = m.index.podById.get('default/app')!;
  assert.deepEqual(
    p.containers.map((c) => c.name),
    ['web', 'sidecar'],
  );
  assert.deepEqual(p.containers[0]!.ports, [
    { name: 'http', containerPort: 8080, protocol: 'TCP' },
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
  ]);
  assert.deepEqual(p.containers[1]!.ports, [{ containerPort: 9901, protocol: 'TCP', hostPort: 9901 }]);
  // Kubelet expansion: PORT was declared earlier so it expands; SVC_HOST names nothing and stays as written.
  // Downward API and ConfigMap values are known to the model.
  assert.equal(p.containers[0]!.env.URL, 'http://$(SVC_HOST):8080');
  assert.equal(p.containers[0]!.env.POD_IP, p.ip);
  assert.equal(p.containers[0]!.env.COLOR, 'blue');
  assert.equal(p.enableServiceLinks, true);
  assert.equal(p.hostname, 'app');
});

test('WL-5: $(VAR) expansion follows the kubelet: earlier vars and service links expand, unknown stay, $$ escapes', () => {
  const env = environmentAtStart(
    { PORT: '8080', URL: 'http://$(REDIS_SERVICE_HOST):$(PORT)/$(LATER)', LATER: 'x', LIT: '$$(PORT) costs $5' },
    { REDIS_SERVICE_HOST: '10.43.1.7' },
  );
  assert.equal(env.URL, 'http://10.43.1.7:8080/$(LATER)');
  assert.equal(env.LIT, '$(PORT) costs $5');
  assert.equal(env.REDIS_SERVICE_HOST, '10.43.1.7');
  assert.equal(
    expandVarRefs('$(A', () => 'v'),
    '$(A',
  );
});

test('DNS-2, WL-1: StatefulSet pods get hostname = pod name and subdomain = serviceName; pods may opt out of service links', () => {
  const m = modelOf({
    's.yaml': workload('StatefulSet', 'redis', { spec: '  replicas: 2\n  serviceName: redis-headless\n', pod: '      enableServiceLinks: false\n' }),
  });
  const p = m.index.podById.get('default/redis-1')!;
  assert.deepEqual([p.hostname, p.subdomain, p.enableServiceLinks, p.ordinal], ['redis-1', 'redis-headless', false, 1]);
  assert.equal(p.labels['statefulset.kubernetes.io/pod-name'], 'redis-1');
});

test('WL-6: a second pod claiming the same (hostIP, hostPort, protocol) on a node is hostport-conflict at its hostPort', () => {
  const hp = (name: string, port: string) => pod(name, '  nodeName: node1\n').replace('    image: busybox\n', `    image: busybox\n    ports: [${port}]\n`);
  const text = [
    hp('first', '{containerPort: 80, hostPort: 8080}'),
    hp('second', '{containerPort: 80, hostPort: 8080}'),
    hp('udp', '{containerPort: 80, hostPort: 8080, protocol: UDP}'), // another protocol: no clash
    pod('elsewhere', '  nodeName: node2\n').replace('    image: busybox\n', '    image: busybox\n    ports: [{containerPort: 80, hostPort: 8080}]\n'),
  ].join('---\n');
  const m = modelOf({ 'p.yaml': text });
  const d = m.diagnostics.filter((x) => x.code === 'hostport-conflict');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.subject, 'Pod/default/second');
  const secondStart = text.indexOf('name: second');
  assert.ok(d[0]!.span.start > secondStart && text.slice(d[0]!.span.start, d[0]!.span.end) === '8080');
  assert.match(d[0]!.message, /default\/first/);
  assert.equal(m.index.podById.get('default/second')!.ip, null);
  assert.ok(m.index.podById.get('default/first')!.ip);
  assert.ok(m.index.podById.get('default/udp')!.ip);
  assert.ok(m.index.podById.get('default/elsewhere')!.ip);
});

test('WL-6: the scheduler puts hostPort replicas on free nodes; with more replicas than nodes the rest are Pending', () => {
  const text = workload('Deployment', 'edge', { spec: '  replicas: 3\n' }).replace(
    '        - containerPort: 80\n',
    '        - containerPort: 80\n          hostPort: 80\n',
  );
  const m = modelOf({ 'd.yaml': text });
  const pods = m.index.podsByOwner.get('Deployment/default/edge')!;
  assert.deepEqual(
    pods
      .map((p) => p.node)
      .filter(Boolean)
      .sort(),
    ['node1', 'node2'],
  );
  const d = m.diagnostics.filter((x) => x.code === 'hostport-conflict');
  assert.equal(d.length, 1);
  assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), '80');
  assert.equal(pods.filter((p) => p.ip === null).length, 1);
});

test("IP-3: hostNetwork pods take the node's eth0 IP, are not in podByIp, and their ports are host ports (WL-6)", () => {
  const text = [
    pod('agent', '  hostNetwork: true\n  nodeName: node2\n').replace('    image: busybox\n', '    image: busybox\n    ports: [{containerPort: 9100}]\n'),
    pod('clash', '  nodeName: node2\n').replace('    image: busybox\n', '    image: busybox\n    ports: [{containerPort: 80, hostPort: 9100}]\n'),
  ].join('---\n');
  const m = modelOf({ 'p.yaml': text });
  const agent = m.index.podById.get('default/agent')!;
  assert.deepEqual([agent.ip, agent.hostNetwork, agent.ready], ['10.0.0.2', true, true]);
  assert.equal(m.index.podByIp.get('10.0.0.2'), undefined);
  assert.deepEqual(
    m.diagnostics.map((d) => [d.code, d.subject]),
    [['hostport-conflict', 'Pod/default/clash']],
  );
});

test('IP-6: nodes, flannel.1, cni0 and pods answer ping; a Service ClusterIP does not', () => {
  const m = modelOf({ 'p.yaml': pod('target', '  nodeName: node2\n') });
  const ip = m.index.podById.get('default/target')!.ip!;
  assert.deepEqual(describeAddress(m, ip), { kind: 'pod', owner: 'default/target', iface: 'eth0', answersPing: true });
  assert.deepEqual(describeAddress(m, '10.0.0.1'), { kind: 'node', owner: 'node1', iface: 'eth0', answersPing: true });
  assert.deepEqual(describeAddress(m, '10.42.1.0'), { kind: 'node-overlay', owner: 'node2', iface: 'flannel.1', answersPing: true });
  assert.deepEqual(describeAddress(m, '10.42.1.1'), { kind: 'node-bridge', owner: 'node2', iface: 'cni0', answersPing: true });
  const kubernetes = m.services.find((s) => s.id === 'default/kubernetes');
  if (kubernetes)
    assert.deepEqual(describeAddress(m, kubernetes.clusterIP!), { kind: 'service', owner: 'default/kubernetes', iface: null, answersPing: false });
  assert.equal(describeAddress(m, '192.0.2.1').answersPing, false);
});

test('IN-3, WL-1: wrong shapes anywhere in a workload are reported, never thrown', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: odd, labels: [x]}
spec:
  replicas: -1
  selector: [a]
  template:
    metadata: {labels: {app: 7}}
    spec:
      nodeSelector: "ssd"
      hostNetwork: "yes"
      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Near}]}]}}}
      containers:
      - "nginx"
      - name: c
        ports: [80, {containerPort: "http"}, {containerPort: 70000}, {containerPort: 53, protocol: ICMP}, {containerPort: 81, hostIP: "all"}]
        env: [{name: A, value: 1}, "B", {name: C, valueFrom: {secretKeyRef: {name: s, key: k}}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: empty}
spec: "nothing"
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nojob}
spec: {jobTemplate: []}
`;
  const m = modelOf({ 'odd.yaml': text });
  const odd = m.index.podsByOwner.get('Deployment/default/odd')!;
  assert.equal(odd.length, 1); // replicas -1 is out of range: treated as absent
  assert.ok(odd[0]!.node, 'the broken nodeSelector and affinity count as absent, not as "no node"');
  assert.equal(odd[0]!.hostNetwork, false);
  assert.deepEqual(
    odd[0]!.containers.map((c) => c.name),
    ['c'],
  );
  // 80 (not a map), "http" (not a number) and 70000 (out of range) are dropped; ICMP falls back to TCP; the bad hostIP is ignored.
  assert.deepEqual(odd[0]!.containers[0]!.ports, [
    { containerPort: 53, protocol: 'TCP' },
    { containerPort: 81, protocol: 'TCP' },
  ]);
  assert.equal(odd[0]!.containers[0]!.env.A, ''); // `value: 1` is not a string: treated as absent, an empty variable
  assert.equal(odd[0]!.containers[0]!.env.C, undefined); // a Secret's value is not in the manifests
  assert.equal(m.index.podsByOwner.get('StatefulSet/default/empty')!.length, 1);
  assert.equal(m.index.podsByOwner.get('CronJob/default/nojob')!.length, 1);
  assert.ok(m.diagnostics.filter((d) => d.code === 'invalid-field').length >= 10);
});
