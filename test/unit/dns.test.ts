// Unit tests: DNS records, lookups and service-link env (DNS-1..5). Expected values derived by hand from the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupDns, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { docs, networkPolicy, pod } from '../support/manifests';

const records = (m: Model, name: string, type: string): string[] => m.dns.filter((r) => r.name === name && r.type === type).flatMap((r) => r.data);

const WORLD = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: default}
spec:
  clusterIP: 10.43.0.11
  ports:
  - {name: redis, port: 6379}
  - {name: sentinel, port: 26379}
  selector: {k8s-app: redis}
---
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: default}
spec:
  clusterIP: None
  ports: [{name: web, port: 80}]
  selector: {app: nginx}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: default}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{name: web, containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: default}
spec:
  clusterIP: None
  selector: {app: nobody}
---
apiVersion: v1
kind: Service
metadata: {name: alias, namespace: default}
spec: {type: ExternalName, externalName: redis.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: ledger, namespace: shop}
spec: {type: ExternalName, externalName: ledger.finance}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop}
spec: {nodeName: node2, containers: [{name: c, image: busybox}]}
---
`;

test('DNS-1: <svc>.<ns>.svc.<domain> A -> ClusterIP', () => {
  const m = modelOf({ 'a.yaml': WORLD });
  assert.deepEqual(records(m, 'redis.default.svc.cluster.local', 'A'), ['10.43.0.11']);
  assert.deepEqual(m.index.serviceById.get('default/redis')!.dns, ['redis.default.svc.cluster.local']);
  assert.deepEqual(records(m, 'kubernetes.default.svc.cluster.local', 'A'), ['10.43.0.1']);
});

test('DNS-2: headless answers Ready endpoint IPs; StatefulSet pods get <pod>.<svc> names; no endpoint means NXDOMAIN', () => {
  const m = modelOf({ 'a.yaml': WORLD });
  const ip0 = m.index.podById.get('default/web-0')!.ip!;
  const ip1 = m.index.podById.get('default/web-1')!.ip!;
  assert.deepEqual(records(m, 'nginx.default.svc.cluster.local', 'A').sort(), [ip0, ip1].sort());
  assert.deepEqual(records(m, 'web-0.nginx.default.svc.cluster.local', 'A'), [ip0]);
  const r = lookupDns(m, 'web-1.nginx', 'A', { namespace: 'default' });
  assert.deepEqual([r.rcode, r.resolvedAs, r.answers.map((a) => a.data)], ['NOERROR', 'web-1.nginx.default.svc.cluster.local', [ip1]]);
  assert.equal(lookupDns(m, 'empty.default.svc.cluster.local.', 'A').rcode, 'NXDOMAIN');
  // A pod's subdomain naming a non-headless Service (or none) gives no per-pod record.
  const sub = modelOf({
    'a.yaml':
      WORLD +
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {k8s-app: redis}}\nspec: {hostname: h, subdomain: redis, nodeName: node1, containers: [{name: c, image: x}]}\n',
  });
  assert.equal(
    sub.dns.some((x) => x.name.startsWith('h.redis.')),
    false,
  );
});

test('DNS-3: SRV for named ports ("priority weight port target"), PTR for ClusterIPs and headless pods, pod A records', () => {
  const m = modelOf({ 'a.yaml': WORLD });
  assert.deepEqual(records(m, '_redis._tcp.redis.default.svc.cluster.local', 'SRV'), ['0 100 6379 redis.default.svc.cluster.local']);
  assert.deepEqual(records(m, '_sentinel._tcp.redis.default.svc.cluster.local', 'SRV'), ['0 100 26379 redis.default.svc.cluster.local']);
  // Two headless endpoints: CoreDNS weights each floor(100/2) = 50.
  assert.deepEqual(records(m, '_web._tcp.nginx.default.svc.cluster.local', 'SRV').sort(), [
    '0 50 80 web-0.nginx.default.svc.cluster.local',
    '0 50 80 web-1.nginx.default.svc.cluster.local',
  ]);
  assert.deepEqual(records(m, '11.0.43.10.in-addr.arpa', 'PTR'), ['redis.default.svc.cluster.local']);
  const ip0 = m.index.podById.get('default/web-0')!.ip!;
  const rev = `${ip0.split('.').reverse().join('.')}.in-addr.arpa`;
  assert.deepEqual(records(m, rev, 'PTR'), ['web-0.nginx.default.svc.cluster.local']);
  assert.deepEqual(
    lookupDns(m, ip0, 'PTR').answers.map((a) => a.data),
    ['web-0.nginx.default.svc.cluster.local'],
  );
  const client = m.index.podById.get('shop/client')!.ip!;
  assert.deepEqual(records(m, `${client.replace(/\./g, '-')}.shop.pod.cluster.local`, 'A'), [client]);
});

test('DNS-4: search list and ndots: redis only from its namespace, redis.default from any; ExternalName CNAMEs', () => {
  const m = modelOf({ 'a.yaml': WORLD });
  const own = lookupDns(m, 'redis', { type: 'A', from: 'default' });
  assert.deepEqual([own.rcode, own.resolvedAs, own.answers[0]?.data], ['NOERROR', 'redis.default.svc.cluster.local', '10.43.0.11']);
  const other = lookupDns(m, 'redis', 'A', { namespace: 'shop' });
  assert.equal(other.rcode, 'NXDOMAIN');
  assert.deepEqual(other.tried, ['redis.shop.svc.cluster.local', 'redis.svc.cluster.local', 'redis.cluster.local', 'redis']);
  const fromPod = lookupDns(m, 'redis.default', { from: 'pod:shop/client' });
  assert.deepEqual([fromPod.rcode, fromPod.from, fromPod.tried[0]], ['NOERROR', 'pod:shop/client', 'redis.default.shop.svc.cluster.local']);
  // ndots 5: a name with 5 dots is tried as absolute first; a trailing dot means absolute only.
  assert.equal(lookupDns(m, 'redis.default.svc.cluster.local', 'A', { namespace: 'shop' }).tried.length, 4);
  assert.deepEqual(lookupDns(m, 'a.b.c.d.e.f', 'A').tried[0], 'a.b.c.d.e.f');
  assert.deepEqual(lookupDns(m, 'redis.', 'A', { namespace: 'default' }).tried, ['redis']);
  // An in-cluster FQDN target is followed; `ledger.finance` is absolute, never the Service ledger in finance.
  const alias = lookupDns(m, 'alias', 'A', { namespace: 'default' });
  assert.deepEqual(
    alias.answers.map((a) => `${a.type} ${a.data}`),
    ['CNAME redis.default.svc.cluster.local', 'A 10.43.0.11'],
  );
  const ledger = lookupDns(m, 'ledger', 'A', { namespace: 'shop' });
  assert.deepEqual(
    ledger.answers.map((a) => `${a.type} ${a.data}`),
    ['CNAME ledger.finance'],
  );
  assert.match(ledger.note ?? '', /outside the cluster domain/);
});

test('DNS-5: service-link env for Services of the pod namespace, kubernetes always, $(VAR) expanded, declared wins', () => {
  const pod = (name: string, extra: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default}
spec:
  nodeName: node1
${extra}  containers:
  - name: app
    image: busybox
    env:
    - {name: URL, value: "redis://$(REDIS_SERVICE_HOST):$(REDIS_SERVICE_PORT_SENTINEL)/$$(LITERAL)"}
    - {name: REDIS_SERVICE_PORT, value: "7000"}
---
`;
  const m = modelOf({ 'a.yaml': WORLD + pod('app', '') + pod('quiet', '  enableServiceLinks: false\n') });
  const env = m.index.podById.get('default/app')!.containers[0]!.env;
  assert.equal(env.REDIS_SERVICE_HOST, '10.43.0.11');
  assert.equal(env.REDIS_SERVICE_PORT_REDIS, '6379');
  assert.equal(env.REDIS_PORT, 'tcp://10.43.0.11:6379');
  assert.equal(env.REDIS_PORT_26379_TCP, 'tcp://10.43.0.11:26379');
  assert.equal(env.REDIS_PORT_6379_TCP_PROTO, 'tcp');
  assert.equal(env.REDIS_PORT_6379_TCP_PORT, '6379');
  assert.equal(env.REDIS_PORT_6379_TCP_ADDR, '10.43.0.11');
  assert.equal(env.REDIS_SERVICE_PORT, '7000', 'declared env wins');
  assert.equal(env.URL, 'redis://10.43.0.11:26379/$(LITERAL)');
  assert.equal(env.KUBERNETES_SERVICE_HOST, '10.43.0.1');
  assert.equal(env.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  assert.equal(env.NGINX_SERVICE_HOST, undefined, 'headless Services have no links');
  const quiet = m.index.podById.get('default/quiet')!.containers[0]!.env;
  assert.equal(quiet.REDIS_SERVICE_HOST, undefined);
  assert.equal(quiet.KUBERNETES_SERVICE_HOST, '10.43.0.1');
  assert.equal(quiet.URL, 'redis://$(REDIS_SERVICE_HOST):$(REDIS_SERVICE_PORT_SENTINEL)/$(LITERAL)', 'undefined references stay as written');
  const client = m.index.podById.get('shop/client')!.containers[0]!.env;
  assert.equal(client.REDIS_SERVICE_HOST, undefined, 'only the pod namespace');
  assert.equal(m.index.serviceById.get('default/redis')!.env.REDIS_SERVICE_PORT, '6379');
  assert.equal(JSON.parse(JSON.stringify(m.index.podById.get('default/app')!.containers[0]!)).env.REDIS_SERVICE_HOST, '10.43.0.11', 'serialises');
});

test("DNS-2: a per-pod name needs hostname and subdomain in the spec (or a StatefulSet) and the pod among the Service's endpoints", () => {
  const pod = (name: string, app: string, spec: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: ${app}}}\nspec:\n${spec}  containers: [{name: c, image: postgres}]\n---\n`;
  const m = modelOf({
    'db.yaml':
      `apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{name: pg, port: 5432}]\n---\n` +
      // subdomain without spec.hostname: in the Service's answer, but no name of its own (the endpoints controller sets none).
      pod('lonely', 'db', '  subdomain: db\n') +
      pod('named', 'db', '  hostname: h1\n  subdomain: db\n') +
      // hostname and subdomain, but not selected: not an endpoint, so no record.
      pod('unselected', 'x', '  hostname: h3\n  subdomain: db\n'),
  });
  const ip = (id: string) => m.index.podById.get(id)!.ip!;
  const fqdn = 'db.default.svc.cluster.local';
  assert.deepEqual(records(m, fqdn, 'A').sort(), [ip('default/lonely'), ip('default/named')].sort());
  assert.deepEqual(records(m, `h1.${fqdn}`, 'A'), [ip('default/named')]);
  assert.deepEqual(records(m, `lonely.${fqdn}`, 'A'), []);
  assert.deepEqual(records(m, `h3.${fqdn}`, 'A'), []);
});

test('CL-4, DNS-6: the implicit CoreDNS takes a pod address no pod of the files holds, so an ipBlock except for that pod does not cut DNS', () => {
  // One node whose /29 holds .2-.6: five pods fill it, so some pod holds 10.42.0.2, the first pod address.
  const profile = 'nodes:\n  - { name: n1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/29 }\n';
  const pods = ['a', 'b', 'c', 'd'].map((n) => pod(n, { labels: { app: n } }));
  const files = (except: string) => ({
    'netpath.cluster.yaml': profile,
    'pods.yaml': docs(...pods, pod('client', { labels: { app: 'client' } })),
    // The client may send DNS to the pod network, except to one pod.
    'np.yaml': networkPolicy('client-out', {
      podSelector: { app: 'client' },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.42.0.0/16', except: [`${except}/32`] } }], ports: [{ protocol: 'UDP', port: 53 }] }],
    }),
  });
  const holder = modelOf(files('10.42.0.6')).pods.find((p) => p.ip === '10.42.0.2');
  assert.ok(holder, 'a pod of the files holds 10.42.0.2');
  const m = modelOf(files('10.42.0.2'));
  const a = lookupDns(m, 'kubernetes.default', { from: 'pod:default/client' });
  assert.equal(a.rcode, 'NOERROR', `${holder.id}'s /32 is excepted, not the cluster DNS`);
});
