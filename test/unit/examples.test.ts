// Unit tests (Node, child processes): must not import vscode, LSP or the model; node:* is fine here.
// What the seed says about each of its examples, asked of `netpath` on examples/. Expected values are
// derived by hand from the seed (../shared/seed/) and Kubernetes semantics, never copied from output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { netpath, json, ROOT } from '../support/cli';

interface Port {
  name: string;
  port: number;
  protocol: string;
  targetPort: number | string;
  nodePort: number | null;
}
interface Endpoint {
  pod: string | null;
  ip: string;
  node: string | null;
  ready: boolean;
  ports: { name: string; port: number; protocol: string }[];
}
interface Service {
  id: string;
  type: string;
  clusterIP: string | null;
  headless: boolean;
  dns: string[];
  externalIPs: string[];
  loadBalancerIP: string | null;
  externalName?: string | null;
  externalTrafficPolicy?: string;
  ports: Port[];
  endpoints: Endpoint[];
  endpointsObject: { addresses: string[] } | null;
  env: Record<string, string>;
}
interface Pod {
  id: string;
  owner: string;
  node: string | null;
  ip: string | null;
  ready: boolean;
  labels: Record<string, string>;
  hostname?: string;
  subdomain?: string | null;
  containers: { name: string; env: Record<string, string>; ports?: { containerPort: number; hostPort?: number }[] }[];
}
interface Resolved {
  cluster: { serviceCIDR: string; podCIDR: string; clusterDomain: string; nodes: { name: string; ip: string; podCIDR: string; clusterIP: string }[] };
  pods: Pod[];
  services: Service[];
  ingresses: {
    id: string;
    className?: string | null;
    rules: { host: string; path: string; pathType: string; backend: string }[];
    defaultBackend: string | null;
  }[];
  networkPolicies: { id: string; selects: string[]; policyTypes: string[] }[];
  dns: { name: string; type: string; data: string[] }[];
  diagnostics: { code: string; severity: string; file: string; range: { start: { line: number; character: number } } }[];
}

const run = netpath(['resolve', '--json', 'examples']);
const model = json<Resolved>(run);

function svc(id: string): Service {
  const s = model.services.find((x) => x.id === id);
  assert.ok(s, `service ${id} exists`);
  return s;
}
function podsOf(owner: string): Pod[] {
  return model.pods.filter((p) => p.owner === owner);
}
/** 10.42.1.7 in 10.42.1.0/24, for the /24 and /16 CIDRs of the examples. */
function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const octets = Number(bits) / 8;
  return ip.split('.').slice(0, octets).join('.') === (net ?? '').split('.').slice(0, octets).join('.');
}
const noDot = (s: string) => s.replace(/\.$/, '');
function records(name: string, type: string): string[] {
  return model.dns.filter((r) => noDot(r.name) === name && r.type === type).flatMap((r) => r.data.map(noDot));
}
/** Zero-based line of the first line of examples/FILE that starts with TEXT (after indentation; comments skipped). */
function lineOf(file: string, text: string): number {
  return readFileSync(join(ROOT, 'examples', file), 'utf8')
    .split('\n')
    .findIndex((l) => l.trimStart().startsWith(text));
}

test('resolve examples succeeds', () => {
  assert.equal(run.code, 0, run.stderr);
});

test("[Network › 路由] the seed's nodes and their pod CIDRs (CL-1, CL-3)", () => {
  assert.equal(model.cluster.serviceCIDR, '10.43.0.0/16');
  assert.equal(model.cluster.podCIDR, '10.42.0.0/16');
  assert.equal(model.cluster.clusterDomain, 'cluster.local');
  assert.deepEqual(
    model.cluster.nodes.map((n) => [n.name, n.ip, n.podCIDR, n.clusterIP]),
    [
      ['node1', '10.0.0.1', '10.42.0.0/24', '10.42.0.0'],
      ['node2', '10.0.0.2', '10.42.1.0/24', '10.42.1.0'],
    ],
    "node3 is outside the cluster; each node owns its CIDR's network address",
  );
});

test("[Network › IP] pod IPs come from the CIDR of the pod's node, never .0 (flannel.1) or .1 (cni0) (IP-1)", () => {
  const nodes = new Map(model.cluster.nodes.map((n) => [n.name, n.podCIDR]));
  const ips = new Set<string>();
  for (const p of model.pods) {
    assert.ok(p.node && p.ip, `${p.id} is scheduled and has an IP`);
    assert.ok(inCidr(p.ip, nodes.get(p.node) ?? ''), `${p.id} ${p.ip} in ${p.node}`);
    assert.ok(!/\.(0|1|255)$/.test(p.ip), `${p.id} ${p.ip}`);
    assert.ok(!ips.has(p.ip), `${p.ip} unique`);
    ips.add(p.ip);
  }
});

test('[Service › ClusterIP] default/redis: 10.43.0.11, ports redis 6379 and sentinel 26379 (SVC-1, SVC-2, IP-4)', () => {
  const s = svc('default/redis');
  assert.equal(s.type, 'ClusterIP');
  assert.equal(s.clusterIP, '10.43.0.11');
  assert.equal(s.headless, false);
  assert.deepEqual(
    s.ports.map((p) => [p.name, p.port, p.protocol, p.targetPort]),
    [
      ['redis', 6379, 'TCP', 6379],
      ['sentinel', 26379, 'TCP', 'sentinel'],
    ],
  );
  assert.ok(s.dns.map(noDot).includes('redis.default.svc.cluster.local'));
});

test('[EndPoints] default/redis proxies to both redis pods, one per node, on 6379 and 26379 (EP-1, SVC-2, WL-1, WL-3)', () => {
  const pods = podsOf('Deployment/default/redis');
  assert.equal(pods.length, 2, 'replicas: 2');
  assert.deepEqual(pods.map((p) => p.node).sort(), ['node1', 'node2'], 'spread evenly');
  for (const p of pods) assert.match(p.id, /^default\/redis-[a-z0-9]{10}-[a-z0-9]{5}$/, 'Deployment pod names (WL-2)');
  const s = svc('default/redis');
  assert.deepEqual(s.endpoints.map((e) => e.pod).sort(), pods.map((p) => p.id).sort());
  for (const e of s.endpoints) {
    assert.equal(e.ready, true);
    // The named targetPort `sentinel` resolves to each pod's containerPort 26379.
    assert.deepEqual(e.ports.map((p) => [p.name, p.port, p.protocol]).sort(), [
      ['redis', 6379, 'TCP'],
      ['sentinel', 26379, 'TCP'],
    ]);
  }
  assert.deepEqual([...(s.endpointsObject?.addresses ?? [])].sort(), pods.map((p) => p.ip).sort(), 'the v1 Endpoints object holds the Ready pod IPs');
});

test('[环境变量] service-link variables of default/redis in default pods only (DNS-5)', () => {
  const pod = podsOf('Deployment/default/nginx')[0];
  assert.ok(pod);
  const env = pod.containers[0]?.env ?? {};
  assert.equal(env.REDIS_SERVICE_HOST, '10.43.0.11');
  assert.equal(env.REDIS_SERVICE_PORT, '6379');
  assert.equal(env.REDIS_SERVICE_PORT_SENTINEL, '26379');
  assert.equal(env.REDIS_PORT, 'tcp://10.43.0.11:6379');
  assert.equal(env.REDIS_PORT_6379_TCP, 'tcp://10.43.0.11:6379');
  assert.equal(env.REDIS_PORT_6379_TCP_PROTO, 'tcp');
  assert.equal(env.REDIS_PORT_6379_TCP_PORT, '6379');
  assert.equal(env.REDIS_PORT_6379_TCP_ADDR, '10.43.0.11');
  assert.equal(env.REDIS_PORT_26379_TCP, 'tcp://10.43.0.11:26379');
  assert.equal(env.KUBERNETES_SERVICE_HOST, '10.43.0.1');
  assert.equal(env.KUBERNETES_SERVICE_PORT, '443');
  const curl = model.pods.find((p) => p.id === 'client/curl');
  assert.ok(curl);
  const curlEnv = curl.containers[0]?.env ?? {};
  assert.equal(curlEnv.REDIS_SERVICE_HOST, undefined, 'another namespace gets no link to default/redis');
  assert.equal(curlEnv.KUBERNETES_SERVICE_HOST, '10.43.0.1', 'default/kubernetes always appears');
});

test("[Service › ClusterIP] the seed's clusterIP 10.43.0.1 collides with default/kubernetes: one error (IP-4, CL-4)", () => {
  const k = svc('default/kubernetes');
  assert.equal(k.clusterIP, '10.43.0.1');
  assert.deepEqual(
    k.ports.map((p) => [p.name, p.port, p.protocol]),
    [['https', 443, 'TCP']],
  );
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => [d.code, d.file, d.range.start.line]),
    [['clusterip-already-allocated', 'examples/90-mistakes.yaml', lineOf('90-mistakes.yaml', 'clusterIP: 10.43.0.1')]],
  );
  assert.notEqual(svc('default/redis-seed').clusterIP, '10.43.0.1', 'the refused claim is not honoured');
  // Nothing else is wrong with the examples: no warning either.
  assert.deepEqual(
    model.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.code} ${d.file}`),
    [],
  );
});

test('check examples: exit 1 for the one deliberate mistake, reported at its 1-based line', () => {
  const r = netpath(['check', 'examples']);
  assert.equal(r.code, 1, r.stderr);
  const line = lineOf('90-mistakes.yaml', 'clusterIP: 10.43.0.1') + 1;
  const col = '  clusterIP: '.length + 1;
  assert.match(r.stdout, new RegExp(`^examples/90-mistakes\\.yaml:${line}:${col} error clusterip-already-allocated `, 'm'));
});

test('[NodePort] redis-nodeport: nodePort 31017 and an automatic ClusterIP from the upper band (SVC-3, IP-4)', () => {
  const s = svc('default/redis-nodeport');
  assert.equal(s.type, 'NodePort');
  assert.deepEqual(
    s.ports.map((p) => [p.port, p.nodePort]),
    [[6379, 31017]],
  );
  assert.ok(s.clusterIP && inCidr(s.clusterIP, '10.43.0.0/16'));
  // A /16 keeps its lowest 256 addresses for explicit claims: automatic ones start at 10.43.1.1.
  assert.ok(!s.clusterIP.startsWith('10.43.0.'), s.clusterIP);
  assert.equal(s.endpoints.length, 2);
});

test('[LoadBalancer] redis-lb: loadBalancerIP 1.1.1.1 with nodePort 31212 (SVC-4)', () => {
  const s = svc('default/redis-lb');
  assert.equal(s.type, 'LoadBalancer');
  assert.equal(s.loadBalancerIP, '1.1.1.1', 'the profile enables a load balancer');
  assert.deepEqual(
    s.ports.map((p) => [p.name, p.port, p.nodePort]),
    [['redis', 6379, 31212]],
  );
  assert.ok(s.clusterIP, 'a LoadBalancer is also a ClusterIP Service');
});

test('[HostPort] redis-hostport runs on node1 with hostPort 6379, no clash (WL-6)', () => {
  const p = model.pods.find((x) => x.id === 'default/redis-hostport');
  assert.ok(p);
  assert.equal(p.node, 'node1');
  assert.equal(p.owner, 'Pod/default/redis-hostport');
  assert.ok(!model.diagnostics.some((d) => d.code === 'hostport-conflict'));
  for (const s of ['default/redis', 'default/redis-nodeport']) assert.ok(!svc(s).endpoints.some((e) => e.pod === p.id), `not an endpoint of ${s}`);
});

test('[ExternalName] both forms answer a CNAME, no ClusterIP (SVC-5, DNS-4)', () => {
  const ext = svc('default/redis-external');
  assert.equal(ext.type, 'ExternalName');
  assert.equal(ext.clusterIP, null);
  assert.deepEqual(records('redis-external.default.svc.cluster.local', 'CNAME'), ['redis.test.com']);
  const cross = svc('client/nginx');
  assert.equal(cross.type, 'ExternalName');
  assert.deepEqual(records('nginx.client.svc.cluster.local', 'CNAME'), ['nginx.default.svc.cluster.local']);
  assert.ok(!model.diagnostics.some((d) => d.code === 'externalname-looks-like-ip'));
});

test('[EndpointSlices] selector-less mysql 10.43.0.2 forwards to 10.0.0.5:3306 from its slice (EP-2, EP-4)', () => {
  const s = svc('default/mysql');
  assert.equal(s.clusterIP, '10.43.0.2');
  assert.deepEqual(
    s.endpoints.map((e) => [e.pod, e.ip, e.ready, e.ports.map((p) => [p.name, p.port, p.protocol])]),
    [[null, '10.0.0.5', true, [['tcp', 3306, 'TCP']]]],
  );
  assert.equal(s.endpointsObject, null, 'no selector: no automatic v1 Endpoints');
  assert.ok(!model.diagnostics.some((d) => d.code === 'endpointslice-port-mismatch'));
});

test('[Ingress] test: host test.com, Prefix / -> default/nginx:80, class nginx (ING-1, ING-4)', () => {
  const ing = model.ingresses.find((i) => i.id === 'default/test');
  assert.ok(ing);
  assert.deepEqual(ing.rules, [{ host: 'test.com', path: '/', pathType: 'Prefix', backend: 'default/nginx:80' }]);
  assert.equal(ing.defaultBackend, null);
  for (const c of ['ingress-backend-service-not-found', 'ingress-backend-port-not-found', 'ingress-class-not-found']) {
    assert.ok(!model.diagnostics.some((d) => d.code === c), c);
  }
  const nginx = svc('default/nginx');
  const pods = podsOf('Deployment/default/nginx');
  assert.deepEqual(
    pods.map((p) => p.node),
    ['node2'],
    'pinned by nodeSelector (WL-3)',
  );
  assert.deepEqual(
    nginx.endpoints.map((e) => [e.pod, e.ports.map((p) => p.port)]),
    [[pods[0]?.id, [80]]],
    'targetPort http -> 80',
  );
});

test('[Ingress] the controller DaemonSet puts one pod on each node with hostPort 80/443 (WL-1, WL-2, WL-6)', () => {
  const pods = podsOf('DaemonSet/ingress-nginx/ingress-nginx-controller');
  assert.deepEqual(pods.map((p) => p.node).sort(), ['node1', 'node2']);
  for (const p of pods) {
    assert.match(p.id, /^ingress-nginx\/ingress-nginx-controller-[a-z0-9]{5}$/);
    assert.deepEqual((p.containers[0]?.ports ?? []).map((x) => x.hostPort).sort(), [443, 80]);
  }
});

test('[TrafficPolicy] nginx-local is NodePort 30080 with externalTrafficPolicy Local, allowed there (SVC-7)', () => {
  const s = svc('default/nginx-local');
  assert.equal(s.type, 'NodePort');
  assert.equal(s.externalTrafficPolicy, 'Local');
  assert.deepEqual(
    s.ports.map((p) => p.nodePort),
    [30080],
  );
  assert.ok(!model.diagnostics.some((d) => d.code === 'external-traffic-policy-not-allowed'));
});

test('[externalIPs] nginx-extip: 10.0.0.2:8080 forwards to nginx (SVC-6)', () => {
  const s = svc('default/nginx-extip');
  assert.equal(s.type, 'ClusterIP');
  assert.deepEqual(s.externalIPs, ['10.0.0.2']);
  assert.deepEqual(
    s.ports.map((p) => p.port),
    [8080],
  );
  assert.equal(s.endpoints.length, 1);
});

test('[Service › DNS] StatefulSet etcd with headless Service: etcd-0..2 and per-pod names (SVC-1, WL-2, DNS-2)', () => {
  const s = svc('default/etcd');
  assert.equal(s.headless, true);
  assert.equal(s.clusterIP, null);
  const pods = podsOf('StatefulSet/default/etcd');
  assert.deepEqual(pods.map((p) => p.id).sort(), ['default/etcd-0', 'default/etcd-1', 'default/etcd-2']);
  assert.deepEqual(records('etcd.default.svc.cluster.local', 'A').sort(), pods.map((p) => p.ip ?? '').sort(), 'the name answers the pod IPs');
  for (const p of pods) {
    const host = p.id.split('/')[1] ?? '';
    assert.deepEqual(records(`${host}.etcd.default.svc.cluster.local`, 'A'), [p.ip]);
  }
});

test('[Service › DNS] A, SRV and PTR records of default/redis (DNS-1, DNS-3)', () => {
  assert.deepEqual(records('redis.default.svc.cluster.local', 'A'), ['10.43.0.11']);
  const srv = records('_sentinel._tcp.redis.default.svc.cluster.local', 'SRV');
  assert.equal(srv.length, 1);
  // SRV data: priority weight port target
  const [, , port, target] = (srv[0] ?? '').split(' ');
  assert.equal(port, '26379');
  assert.equal(noDot(target ?? ''), 'redis.default.svc.cluster.local');
  assert.deepEqual(records('11.0.43.10.in-addr.arpa', 'PTR'), ['redis.default.svc.cluster.local']);
  assert.deepEqual(records('kube-dns.kube-system.svc.cluster.local', 'A'), ['10.43.0.10']);
});

test("[NetworkPolicy] what each of the seed's three policies selects, and its effective types (NP-1, NP-2)", () => {
  const np = (id: string) => model.networkPolicies.find((n) => n.id === id);
  const secure = model.pods
    .filter((p) => p.id.startsWith('secure/'))
    .map((p) => p.id)
    .sort();
  assert.equal(secure.length, 2);
  assert.deepEqual([...(np('secure/test')?.selects ?? [])].sort(), secure);
  assert.deepEqual(np('secure/test')?.policyTypes, ['Ingress', 'Egress']);
  assert.deepEqual(np('quarantine/ingress-allow-none')?.selects, ['quarantine/suspect']);
  assert.deepEqual(np('quarantine/ingress-allow-none')?.policyTypes, ['Ingress']);
  const inDefault = model.pods
    .filter((p) => p.id.startsWith('default/'))
    .map((p) => p.id)
    .sort();
  // redis x2, redis-hostport, nginx, etcd x3
  assert.equal(inDefault.length, 7);
  assert.deepEqual([...(np('default/ingress-allow-all')?.selects ?? [])].sort(), inDefault);
});

// --- questions: dns, ingress, reach, trace on the examples ------------------------------------------

test('[Service › DNS] from client/curl: redis.default resolves, redis does not, nginx is a CNAME (DNS-4)', () => {
  const ask = (name: string) => netpath(['dns', name, '--from', 'pod:client/curl', 'examples', '--json']);
  const a = ask('redis.default');
  assert.deepEqual(
    json<{ answers: { type: string; data: string }[] }>(a)
      .answers.filter((x) => x.type === 'A')
      .map((x) => x.data),
    ['10.43.0.11'],
  );
  const nx = ask('redis');
  assert.equal(nx.code, 1);
  assert.equal(json(nx).rcode, 'NXDOMAIN');
  const cname = json<{ answers: { type: string; data: string }[] }>(ask('nginx'));
  assert.deepEqual(
    cname.answers.filter((x) => x.type === 'CNAME').map((x) => noDot(x.data)),
    ['nginx.default.svc.cluster.local'],
  );
  assert.deepEqual(
    cname.answers.filter((x) => x.type === 'A').map((x) => x.data),
    [svc('default/nginx').clusterIP],
  );
  // From default, the short name works (same namespace), and mysql is the seed's 10.43.0.2.
  const fromDefault = netpath(['dns', 'mysql', '--from', 'default', 'examples', '--json']);
  assert.deepEqual(
    json<{ answers: { type: string; data: string }[] }>(fromDefault).answers.map((x) => x.data),
    ['10.43.0.2'],
  );
});

test('[Ingress] curl -H "Host: test.com" /get goes to default/nginx:80; another host matches nothing (ING-1..3)', () => {
  const r = netpath(['ingress', 'http://test.com/get', 'examples', '--json']);
  const m = json(r);
  assert.equal(m.ingress, 'default/test');
  assert.equal(m.rule, 0);
  assert.equal(m.via, 'rule');
  assert.equal(m.backend, 'default/nginx:80');
  assert.equal(m.backendResolvable, true);
  const none = netpath(['ingress', 'http://www.test.com/', 'examples', '--json']);
  assert.equal(none.code, 1);
  assert.equal(json(none).backend, null);
});

test('[NetworkPolicy] secure/test: namespaceSelector admits client/curl; egress denies secure/nginx; ipBlock except by node (NP-3, NP-5)', () => {
  const reach = (from: string, to: string, port = 'TCP/6379') => netpath(['reach', '--from', from, '--to', to, '--port', port, 'examples', '--json']);
  const r = reach('pod:client/curl', 'svc:secure/redis:6379');
  type Reach = { allowed: boolean; egress: { allowed: boolean; policies: string[] }; ingress: { allowed: boolean; policies: string[] } };
  const curl = json<Reach>(r);
  assert.equal(curl.allowed, true);
  assert.deepEqual(curl.egress.policies, [], 'no policy selects client/curl');
  assert.deepEqual(curl.ingress.policies, ['secure/test']);
  const nginx = json<Reach>(reach('pod:secure/nginx', 'svc:secure/redis:6379'));
  assert.equal(nginx.allowed, false);
  assert.equal(nginx.egress.allowed, false, 'egress only to 10.0.0.0/24');
  assert.equal(nginx.ingress.allowed, true, 'podSelector k8s-app=nginx admits it');
  assert.equal(json<Reach>(reach('pod:client/curl', 'deploy:secure/redis', 'TCP/26379')).allowed, false, 'only 6379');
  // default's redis pods: no label match, judged by ipBlock 10.42.0.0/16 except 10.42.1.0/24.
  for (const p of podsOf('Deployment/default/redis')) {
    assert.equal(json<Reach>(reach(`pod:${p.id}`, 'svc:secure/redis:6379')).allowed, p.node === 'node1', `${p.id} on ${p.node}`);
  }
  const q = json<Reach>(reach('pod:client/curl', 'pod:quarantine/suspect', 'TCP/80'));
  assert.equal(q.allowed, false);
  assert.equal(q.ingress.allowed, false);
});

test('[NodePort] from node3 to node1:31017: DNAT, SNAT for the remote endpoint, reply un-NAT-ed (TR-5)', () => {
  const r = netpath(['trace', '--from', 'host:10.0.0.3', '--to', 'ip:10.0.0.1:31017', 'examples', '--json']);
  type Hop = { action: string; src: string; dst: string; at: string };
  const tr = json<{ verdict: string; paths: { endpoint: string; verdict: string; hops: Hop[]; reply?: Hop[] }[] }>(r);
  assert.equal(tr.verdict, 'delivered');
  const pods = podsOf('Deployment/default/redis');
  assert.deepEqual(tr.paths.map((p) => p.endpoint).sort(), pods.map((p) => p.id).sort(), 'one path per endpoint');
  const remote = pods.find((p) => p.node === 'node2');
  const path = tr.paths.find((p) => p.endpoint === remote?.id);
  assert.ok(path && remote);
  const dnat = path.hops.find((h) => h.action === 'DNAT');
  assert.equal(dnat?.dst, `${remote.ip}:6379`);
  const snat = path.hops.find((h) => h.action === 'SNAT');
  assert.ok(snat, 'masquerade toward a remote endpoint');
  assert.match(snat.src, /^(10\.0\.0\.1|10\.42\.0\.0):/, "the receiving node's address");
  const last = path.reply?.[path.reply.length - 1];
  assert.ok(last, 'a reply path');
  assert.equal(last.src, '10.0.0.1:31017', 'node3 sees the answer from the address it called');
  assert.match(last.dst, /^10\.0\.0\.3:/);
});

test('[TrafficPolicy] nginx-local from node3: node2 keeps the client IP, node1 drops (SVC-7, TR-5)', () => {
  const r = netpath(['trace', '--from', 'host:10.0.0.3', '--to', 'ip:10.0.0.2:30080', 'examples', '--json']);
  type Hop = { action: string; src: string; dst: string };
  const ok = json<{ verdict: string; paths: { hops: Hop[] }[] }>(r);
  assert.equal(ok.verdict, 'delivered');
  const hops = ok.paths[0]?.hops ?? [];
  assert.ok(!hops.some((h) => h.action === 'SNAT'), 'no masquerade with Local');
  assert.match(hops[hops.length - 1]?.src ?? '', /^10\.0\.0\.3:/);
  const drop = netpath(['trace', '--from', 'host:10.0.0.3', '--to', 'ip:10.0.0.1:30080', 'examples', '--json']);
  assert.equal(drop.code, 1);
  const d = json<{ verdict: string; reason: string | null }>(drop);
  assert.equal(d.verdict, 'dropped');
  assert.equal(d.reason, 'no-node-local-endpoint');
});
