// Unit tests: the packet tracer (TR-1..8) over examples/, the seed's topology: node1 10.0.0.1 with
// 10.42.0.0/24, node2 10.0.0.2 with 10.42.1.0/24, node3 10.0.0.3 outside. Expected addresses are
// worked out by hand from the seed's [Network › 路由] section, kube-proxy's iptables behaviour and the
// Service source-IP tutorial; pod IPs are inputs read from the model, never expected outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRef, reach, RefError, trace, type Model, type TraceHop, type TracePath } from '../../server/src/model/index';
import { modelOf } from '../support/model';

function examples(extra: Record<string, string> = {}): Model {
  const dir = join(__dirname, '..', '..', '..', 'examples');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) files[`examples/${f}`] = readFileSync(join(dir, f), 'utf8');
  return modelOf({ ...files, ...extra });
}
const M = examples();

function pod(m: Model, pred: (id: string) => boolean, node?: string) {
  const p = m.pods.find((x) => pred(x.id) && (!node || x.node === node) && x.ip);
  assert.ok(p, 'pod exists in examples');
  return p;
}
const ipOf = (m: Model, id: string) => pod(m, (x) => x === id).ip!;
const redisOn = (m: Model, node: string) => pod(m, (id) => id.startsWith('default/redis-') && !id.includes('hostport'), node);
const ip = (a: string) => a.replace(/:\d+$/, '');
const acts = (h: TraceHop[]) => h.map((x) => x.action);
const only = (paths: TracePath[]) => {
  assert.equal(paths.length, 1);
  return paths[0]!;
};
const last = <T>(a: T[]) => a[a.length - 1]!;
// client/curl is spread by the scheduler (WL-3): read where it runs instead of assuming node1.
const CURL = pod(M, (id) => id === 'client/curl');
const CURL_NODE = M.nodes.find((n) => n.name === CURL.node)!;
const OTHER_NODE = M.nodes.find((n) => n.name !== CURL.node)!;

test('TR-1: node2 → node1 eth0 stays on the LAN with src 10.0.0.2 (ssh 10.0.0.1)', () => {
  const t = trace(M, 'node:node2', 'ip:10.0.0.1');
  assert.equal(t.verdict, 'delivered');
  const p = only(t.paths);
  assert.equal(p.endpoint, 'node:node1');
  assert.ok(!acts(p.hops).includes('encap'), 'no overlay');
  for (const h of p.hops) assert.deepEqual([h.src, h.dst], ['10.0.0.2', '10.0.0.1']);
});

test("TR-1: node2 → 10.42.0.0 (node1's flannel.1 address) enters the overlay with src 10.42.1.0", () => {
  const p = only(trace(M, 'node:node2', 'ip:10.42.0.0').paths);
  assert.equal(p.verdict, 'delivered');
  assert.equal(p.endpoint, 'node:node1');
  for (const h of p.hops) assert.deepEqual([h.src, h.dst], ['10.42.1.0', '10.42.0.0']);
  assert.deepEqual(
    p.hops.filter((h) => h.action === 'encap' || h.action === 'decap').map((h) => [h.action, h.at, h.iface]),
    [
      ['encap', 'node:node2', 'eth0'],
      ['decap', 'node:node1', 'flannel.1'],
    ],
  );
});

test("TR-1, TR-7: node3 reaches node2's eth0 but has no route to 10.42.1.0", () => {
  const ok = only(trace(M, 'host:10.0.0.3', 'ip:10.0.0.2').paths);
  assert.equal(ok.verdict, 'delivered');
  assert.equal(last(ok.hops).src, '10.0.0.3');
  const no = trace(M, 'host:10.0.0.3', 'ip:10.42.1.0');
  assert.deepEqual([no.verdict, no.reason], ['dropped', 'no-route']);
});

test('WL-5, TR-2: container to container in one pod: 127.0.0.1, or the pod IP as both src and dst', () => {
  const lo = only(trace(M, 'pod:client/curl', 'localhost:80', 'TCP/80').paths);
  assert.equal(lo.verdict, 'delivered');
  for (const h of lo.hops) assert.deepEqual([ip(h.src), h.dst], ['127.0.0.1', '127.0.0.1:80']);
  const self = ipOf(M, 'client/curl');
  const own = only(trace(M, 'pod:client/curl', `ip:${self}:8080`).paths);
  assert.equal(own.verdict, 'delivered');
  assert.ok(own.hops.every((h) => ip(h.src) === self && ip(h.dst) === self));
});

test('TR-2: pod → pod on the same node: veth → cni0 → veth, never NAT-ed', () => {
  const a = CURL;
  const b = pod(M, (id) => id.startsWith('default/etcd-'), a.node!);
  const p = only(trace(M, `pod:${a.id}`, `pod:${b.id}`, 'TCP/2379').paths);
  assert.equal(p.verdict, 'delivered');
  assert.deepEqual(
    p.hops.map((h) => [h.action, h.iface]),
    [
      ['send', 'eth0'],
      ['route', 'veth'],
      ['route', 'cni0'],
      ['policy', 'eth0'],
      ['deliver', 'eth0'],
    ],
  );
  for (const h of p.hops) assert.deepEqual([h.src, h.dst], [`${a.ip}:49152`, `${b.ip}:2379`]);
});

test("TR-2: pod → pod across nodes: flannel.1 to the owner of the peer's CIDR, VXLAN encap/decap, never NAT-ed", () => {
  const a = CURL;
  const b = pod(M, (id) => id.startsWith('default/etcd-'), OTHER_NODE.name);
  const p = only(trace(M, `pod:${a.id}`, `pod:${b.id}:2379`).paths);
  assert.equal(p.verdict, 'delivered');
  assert.ok(!p.hops.some((h) => h.action === 'DNAT' || h.action === 'SNAT'));
  for (const h of p.hops) assert.deepEqual([ip(h.src), ip(h.dst)], [a.ip, b.ip]);
  const route = p.hops.find((h) => h.action === 'route' && h.iface === 'flannel.1')!;
  assert.equal(route.at, `node:${CURL_NODE.name}`);
  assert.ok(route.note.includes(`${OTHER_NODE.podCIDR} via flannel.1: owned by ${OTHER_NODE.name}`));
  assert.deepEqual(
    p.hops.filter((h) => h.action === 'encap' || h.action === 'decap').map((h) => h.at),
    [`node:${CURL_NODE.name}`, `node:${OTHER_NODE.name}`],
  );
});

test('TR-3: pod → Service: DNAT on the source node to each endpoint pod_ip:targetPort, one path per endpoint', () => {
  const curl = ipOf(M, 'client/curl');
  const t = trace(M, 'pod:client/curl', 'svc:default/redis:6379');
  assert.equal(t.verdict, 'delivered');
  const eps = [redisOn(M, 'node1'), redisOn(M, 'node2')];
  assert.deepEqual(t.paths.map((p) => p.endpoint).sort(), eps.map((e) => e.id).sort());
  for (const p of t.paths) {
    const ep = eps.find((e) => e.id === p.endpoint)!;
    assert.equal(p.hops[0]!.dst, '10.43.0.11:6379', 'sent to the ClusterIP');
    const dnat = p.hops.find((h) => h.action === 'DNAT')!;
    assert.equal(dnat.at, `node:${CURL_NODE.name}`, "DNAT on the source pod's node");
    assert.deepEqual([dnat.src, dnat.dst], [`${curl}:49152`, `${ep.ip}:6379`]);
    assert.ok(!p.hops.some((h) => h.action === 'SNAT'), 'pod sources are not masqueraded');
    assert.deepEqual([last(p.hops).action, last(p.hops).dst], ['deliver', `${ep.ip}:6379`]);
    assert.equal(last(p.reply!).src, '10.43.0.11:6379', 'the reply looks like it comes from the ClusterIP');
    // conntrack undoes the DNAT on curl's node (which DNAT-ed), in POSTROUTING on the way to curl: that node's
    // bridge, whether the reply came from a pod beside it or out of the overlay; a same-node reply never touches eth0.
    const unDnat = p.reply!.find((h) => h.action === 'SNAT')!;
    assert.deepEqual([unDnat.at, unDnat.iface], [`node:${CURL_NODE.name}`, 'cni0']);
    if (ep.node === CURL.node) assert.ok(!p.reply!.some((h) => h.iface === 'eth0' && h.at.startsWith('node:')), 'a same-node reply stays off eth0');
  }
  // A named targetPort (sentinel) resolves on the pod.
  const s = trace(M, 'pod:client/curl', 'svc:default/redis:26379');
  assert.ok(s.paths.every((p) => last(p.hops).dst.endsWith(':26379')));
});

test('TR-3, SVC-7: internalTrafficPolicy Local keeps ClusterIP traffic on the source node; none there → no-node-local-endpoint', () => {
  const extra = {
    'x.yaml':
      'apiVersion: v1\nkind: Service\nmetadata: {name: redis-itl}\nspec:\n  internalTrafficPolicy: Local\n  selector: {k8s-app: redis}\n  ports: [{port: 6379}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: nginx-itl}\nspec:\n  internalTrafficPolicy: Local\n  selector: {k8s-app: nginx}\n  ports: [{port: 80}]\n',
  };
  const m = examples(extra);
  // From the redis pod on node1 (redis has one pod per node; nginx is pinned to node2).
  const src = `pod:${redisOn(m, 'node1').id}`;
  const t = trace(m, src, 'svc:default/redis-itl');
  assert.deepEqual(
    t.paths.map((p) => p.endpoint),
    [redisOn(m, 'node1').id],
  );
  const none = trace(m, src, 'svc:default/nginx-itl');
  assert.deepEqual([none.verdict, none.reason], ['dropped', 'no-node-local-endpoint']);
});

test("TR-4: node → pod: same node from the cni0 bridge address, other node from flannel.1's", () => {
  const local = redisOn(M, 'node1');
  const remote = redisOn(M, 'node2');
  const a = only(trace(M, 'node:node1', `pod:${local.id}:6379`).paths);
  assert.equal(a.verdict, 'delivered');
  assert.equal(a.hops[0]!.src, '10.42.0.1:49152');
  assert.match(a.hops[0]!.note, /cni0/);
  assert.match(a.hops[0]!.note, /seed/, 'says why it is not the eth0 IP');
  const b = only(trace(M, 'node:node1', `pod:${remote.id}:6379`).paths);
  assert.ok(b.hops.every((h) => h.src === '10.42.0.0:49152' && h.dst === `${remote.ip}:6379`));
});

test('TR-4: node → Service: DNAT first, then the source the route to the endpoint gives', () => {
  const t = trace(M, 'node:node1', 'svc:default/redis:6379');
  assert.equal(t.paths.length, 2);
  for (const p of t.paths) {
    const ep = M.pods.find((x) => x.id === p.endpoint)!;
    assert.deepEqual(acts(p.hops).slice(0, 3), ['send', 'DNAT', 'SNAT']);
    assert.equal(p.hops[1]!.dst, `${ep.ip}:6379`);
    assert.equal(ip(last(p.hops).src), ep.node === 'node1' ? '10.42.0.1' : '10.42.0.0');
  }
});

test("TR-5: the seed's NodePort from node3 to a remote endpoint: DNAT, SNAT to node1's address, reply un-NAT-ed", () => {
  const t = trace(M, 'host:10.0.0.3', 'ip:10.0.0.1:31017');
  assert.equal(t.verdict, 'delivered');
  assert.equal(t.paths.length, 2, 'Cluster policy: every endpoint is a candidate');
  const remote = redisOn(M, 'node2');
  const p = t.paths.find((x) => x.endpoint === remote.id)!;
  const dnat = p.hops.find((h) => h.action === 'DNAT')!;
  assert.deepEqual([dnat.at, dnat.src, dnat.dst], ['node:node1', '10.0.0.3:49152', `${remote.ip}:6379`]);
  const snat = p.hops.find((h) => h.action === 'SNAT')!;
  assert.deepEqual([snat.at, snat.src, snat.dst], ['node:node1', '10.42.0.0:49152', `${remote.ip}:6379`]);
  assert.ok(p.hops.indexOf(dnat) < p.hops.indexOf(snat));
  assert.ok(acts(p.hops).includes('encap'), 'to node2 through the overlay');
  assert.deepEqual([last(p.hops).src, last(p.hops).dst], ['10.42.0.0:49152', `${remote.ip}:6379`]);
  // Reply: the pod answers node1, which undoes both NATs; node3 sees 10.0.0.1:31017.
  const reply = p.reply!;
  assert.deepEqual([reply[0]!.src, reply[0]!.dst], [`${remote.ip}:6379`, '10.42.0.0:49152']);
  assert.ok(reply.some((h) => h.at === 'node:node1' && h.action === 'DNAT' && h.dst === '10.0.0.3:49152'));
  // The un-SNAT in PREROUTING where the reply arrives on node1 (out of the VXLAN device), the un-DNAT in
  // POSTROUTING on eth0, toward node3.
  assert.deepEqual(
    reply.filter((h) => h.action === 'DNAT' || h.action === 'SNAT').map((h) => [h.at, h.iface, h.action]),
    [
      ['node:node1', 'flannel.1', 'DNAT'],
      ['node:node1', 'eth0', 'SNAT'],
    ],
  );
  assert.deepEqual([last(reply).at, last(reply).src, last(reply).dst], ['host:10.0.0.3', '10.0.0.1:31017', '10.0.0.3:49152']);
  // (k8s) Even the local endpoint is masqueraded, to node1's bridge address.
  const local = t.paths.find((x) => x.endpoint === redisOn(M, 'node1').id)!;
  assert.equal(local.hops.find((h) => h.action === 'SNAT')?.src, '10.42.0.1:49152');
});

test('TR-5: externalTrafficPolicy Local keeps 10.0.0.3 and drops on a node without a local endpoint (nginx-local, nginx on node2)', () => {
  const ok = only(trace(M, 'host:10.0.0.3', 'ip:10.0.0.2:30080').paths);
  assert.equal(ok.verdict, 'delivered');
  assert.ok(!ok.hops.some((h) => h.action === 'SNAT'));
  assert.equal(ip(last(ok.hops).src), '10.0.0.3', "the pod sees the client's address");
  assert.equal(last(ok.reply!).src, '10.0.0.2:30080');
  const no = trace(M, 'host:10.0.0.3', 'ip:10.0.0.1:30080');
  assert.deepEqual([no.verdict, no.reason], ['dropped', 'no-node-local-endpoint']);
  assert.equal(last(no.paths[0]!.hops).at, 'node:node1');
  // By Service: one path per receiving node.
  const bySvc = trace(M, 'host:10.0.0.3', 'svc:default/nginx-local');
  assert.deepEqual(
    bySvc.paths.map((p) => [p.entry, p.verdict]),
    [
      ['node1', 'dropped'],
      ['node2', 'delivered'],
    ],
  );
  // The seed's redis NodePort with Local: only node1's own endpoint, client IP kept.
  const m = examples({
    'x.yaml':
      'apiVersion: v1\nkind: Service\nmetadata: {name: redis-np-local}\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {k8s-app: redis}\n  ports: [{port: 6379, nodePort: 31018}]\n',
  });
  const l = only(trace(m, 'host:10.0.0.3', 'ip:10.0.0.1:31018').paths);
  assert.equal(l.endpoint, redisOn(m, 'node1').id);
  assert.ok(l.hops.every((h) => ip(h.src) === '10.0.0.3' || h.action === 'send'));
});

test('TR-5, SVC-6: externalIP 10.0.0.2:8080 from node3: DNAT at node2, masqueraded', () => {
  const p = only(trace(M, 'host:10.0.0.3', 'ip:10.0.0.2:8080').paths);
  const nginx = pod(M, (id) => id.startsWith('default/nginx-'));
  assert.equal(p.verdict, 'delivered');
  assert.deepEqual(p.hops.find((h) => h.action === 'DNAT')?.dst, `${nginx.ip}:80`);
  assert.equal(p.hops.find((h) => h.action === 'SNAT')?.src, '10.42.1.1:49152', 'local endpoint on node2: its bridge address');
  assert.equal(last(p.reply!).src, '10.0.0.2:8080');
});

test("TR-5: LoadBalancer 1.1.1.1: balancer → each node's nodePort 31212 → endpoints; the reply comes from 1.1.1.1", () => {
  const t = trace(M, 'host:10.0.0.3', 'ip:1.1.1.1:6379');
  assert.equal(t.paths.length, 4, '2 nodes × 2 endpoints');
  for (const p of t.paths) {
    const lb = p.hops.find((h) => h.at === 'load-balancer:1.1.1.1' && h.action === 'DNAT')!;
    assert.equal(lb.dst, `${p.entry === 'node1' ? '10.0.0.1' : '10.0.0.2'}:31212`);
    assert.equal(last(p.reply!).src, '1.1.1.1:6379');
  }
});

test("TR-6: pod → outside host is masqueraded to the node's eth0 IP", () => {
  const p = only(trace(M, 'pod:client/curl', 'host:10.0.0.3:22').paths);
  assert.equal(p.verdict, 'delivered');
  const snat = p.hops.find((h) => h.action === 'SNAT')!;
  assert.deepEqual([snat.at, snat.src, snat.dst], [`node:${CURL_NODE.name}`, `${CURL_NODE.internalIP}:49152`, '10.0.0.3:22']);
  assert.deepEqual([last(p.hops).at, last(p.hops).src], ['host:10.0.0.3', `${CURL_NODE.internalIP}:49152`]);
});

test('TR-6, EP-2: the selector-less Service mysql forwards to 10.0.0.5:3306, masqueraded on the way out', () => {
  const p = only(trace(M, 'pod:client/curl', 'svc:default/mysql').paths);
  assert.equal(p.verdict, 'delivered');
  assert.equal(p.endpoint, 'host:10.0.0.5');
  assert.equal(p.hops.find((h) => h.action === 'DNAT')?.dst, '10.0.0.5:3306');
  assert.equal(last(p.hops).src, `${CURL_NODE.internalIP}:49152`);
});

test('TR-6, SVC-5, DNS-4: ExternalName: CNAME to an in-cluster FQDN continues; to a public name it goes on to an outside address; to a missing cluster name it is nxdomain', () => {
  const ok = trace(M, 'pod:client/curl', 'svc:client/nginx:80');
  assert.equal(ok.verdict, 'delivered');
  const p = only(ok.paths);
  assert.match(p.hops[0]!.note, /CNAME.*nginx\.default\.svc\.cluster\.local/);
  assert.equal(p.hops.find((h) => h.action === 'send')?.dst.startsWith(M.services.find((s) => s.id === 'default/nginx')!.clusterIP!), true);
  // redis.test.com is forwarded upstream (DNS-4): unknown here, so the trace leaves the cluster, masqueraded (TR-6).
  const out = only(trace(M, 'pod:client/curl', 'svc:default/redis-external:6379').paths);
  assert.deepEqual([out.verdict, out.endpoint], ['delivered', 'host:redis.test.com']);
  assert.equal(last(out.hops).dst, 'redis.test.com:6379');
  assert.equal(ip(out.hops.find((h) => h.action === 'SNAT')!.src), CURL_NODE.internalIP);
  const m = examples({
    'x.yaml':
      'apiVersion: v1\nkind: Service\nmetadata: {name: gone, namespace: client}\nspec: {type: ExternalName, externalName: nosuch.default.svc.cluster.local}\n',
  });
  const nx = trace(m, 'pod:client/curl', 'svc:client/gone:80');
  assert.deepEqual([nx.verdict, nx.reason], ['dropped', 'nxdomain']);
});

test('TR-7: node3 → a ClusterIP has no route; with a static route in the profile it is DNAT-ed and masqueraded at that node', () => {
  const no = trace(M, 'host:10.0.0.3', 'ip:10.43.0.11:6379');
  assert.deepEqual([no.verdict, no.reason], ['dropped', 'no-route']);
  const profile = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'netpath.cluster.yaml'), 'utf8').replace(
    'routes: []',
    'routes: [{ host: node3, to: 10.43.0.0/16, via: 10.0.0.1 }]',
  );
  const m = examples({ 'examples/netpath.cluster.yaml': profile });
  const t = trace(m, 'host:10.0.0.3', 'ip:10.43.0.11:6379');
  assert.equal(t.verdict, 'delivered');
  for (const p of t.paths) {
    assert.equal(p.hops.find((h) => h.action === 'DNAT')?.at, 'node:node1');
    assert.ok(
      p.hops.some((h) => h.action === 'SNAT'),
      'the reply must come back through node1',
    );
    assert.equal(last(p.reply!).src, '10.43.0.11:6379');
  }
});

test('TR-7: hostPort: node3 → 10.0.0.1:6379 lands in redis-hostport with the client address; hostNetwork listens on the node IP', () => {
  const hp = ipOf(M, 'default/redis-hostport');
  const p = only(trace(M, 'host:10.0.0.3', 'ip:10.0.0.1:6379').paths);
  assert.equal(p.endpoint, 'default/redis-hostport');
  assert.deepEqual(p.hops.find((h) => h.action === 'DNAT')?.dst, `${hp}:6379`);
  assert.equal(last(p.hops).src, '10.0.0.3:49152');
  const m = examples({
    'x.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata: {name: exporter}\nspec:\n  hostNetwork: true\n  nodeName: node2\n  containers:\n  - {name: e, image: x, ports: [{containerPort: 9100}]}\n',
  });
  const h = only(trace(m, 'host:10.0.0.3', 'ip:10.0.0.2:9100').paths);
  assert.equal(h.endpoint, 'default/exporter');
  assert.ok(
    h.hops.every((x) => x.dst === '10.0.0.2:9100'),
    'no DNAT: the pod is the node',
  );
});

test("TR-8, ING-5: Ingress from node3: node:80 hostPort → controller matches test.com / → new connection from the controller pod straight to nginx's pod (no kube-proxy)", () => {
  const t = trace(M, 'host:10.0.0.3', 'url:http://test.com/get');
  assert.equal(t.verdict, 'delivered');
  const nginx = pod(M, (id) => id.startsWith('default/nginx-'));
  const p = only(t.paths);
  assert.equal(p.endpoint, nginx.id);
  const proxy = p.hops.find((h) => h.action === 'proxy')!;
  assert.equal(proxy.at, 'ingress-controller');
  assert.match(proxy.note, /default\/test/);
  const ctrlDeliver = p.hops[p.hops.indexOf(proxy) - 1]!;
  assert.ok(ctrlDeliver.at.startsWith('pod:ingress-nginx/'), "the client's connection ends at the controller pod");
  assert.equal(ip(ctrlDeliver.src), '10.0.0.3');
  const ctrlIp = ipOf(M, ctrlDeliver.at.slice(4));
  assert.ok(p.hops[0]!.dst.endsWith(':80'));
  const after = p.hops.slice(p.hops.indexOf(proxy) + 1);
  assert.ok(
    after.every((h) => ip(h.src) === ctrlIp),
    'src = controller pod IP (ING-5)',
  );
  // ingress-nginx sends to pod_ip:targetPort itself: no DNAT, the packet is addressed to the pod from the start.
  assert.equal(proxy.dst, `${nginx.ip}:80`);
  assert.ok(
    after.every((h) => h.dst === `${nginx.ip}:80`),
    'addressed to the endpoint all the way',
  );
  assert.equal(after.filter((h) => h.action === 'DNAT').length, 0, 'no kube-proxy DNAT on the second leg');
  const miss = trace(M, 'host:10.0.0.3', 'url:http://nothing.example/');
  assert.equal(miss.verdict, 'dropped');
});

test('ING-5, TR-3: with nginx.ingress.kubernetes.io/service-upstream: "true" the controller connects to the ClusterIP and kube-proxy DNATs', () => {
  const annotated = readFileSync(join(__dirname, '..', '..', '..', 'examples', '20-nginx.yaml'), 'utf8').replace(
    '  name: test\n  namespace: default\n',
    '  name: test\n  namespace: default\n  annotations:\n    nginx.ingress.kubernetes.io/service-upstream: "true"\n',
  );
  const m = examples({ 'examples/20-nginx.yaml': annotated });
  const svc = m.index.serviceById.get('default/nginx')!;
  const nginx = pod(m, (id) => id.startsWith('default/nginx-'));
  const p = only(trace(m, 'host:10.0.0.3', 'url:http://test.com/get').paths);
  const proxy = p.hops.find((h) => h.action === 'proxy')!;
  assert.equal(proxy.dst, `${svc.clusterIP}:80`);
  assert.match(proxy.note, /service-upstream/);
  const after = p.hops.slice(p.hops.indexOf(proxy) + 1);
  assert.equal(after.find((h) => h.action === 'DNAT')?.dst, `${nginx.ip}:80`, "kube-proxy on the controller's node picks the endpoint (TR-3)");
});

test('ING-5: an Ingress whose backend has no ready endpoint: the controller answers 503, the trace drops at it', () => {
  const scaled = readFileSync(join(__dirname, '..', '..', '..', 'examples', '20-nginx.yaml'), 'utf8').replace(/replicas: \d+/, 'replicas: 0');
  const t = trace(examples({ 'examples/20-nginx.yaml': scaled }), 'host:10.0.0.3', 'url:http://test.com/get');
  assert.deepEqual([t.verdict, t.reason], ['dropped', 'no-endpoints']);
  assert.match(t.paths[0]!.hops.at(-1)!.note, /no ready endpoint: the controller answers 503/);
});

test('NP-5, TR-3: NetworkPolicy verdicts are hops naming the policy; denied paths drop with policy-denied', () => {
  const e = trace(M, 'pod:secure/nginx', 'svc:secure/redis');
  assert.deepEqual([e.verdict, e.reason], ['dropped', 'policy-denied']);
  const pol = e.paths[0]!.hops.find((h) => h.action === 'policy')!;
  assert.equal(pol.rule, 'secure/test');
  assert.match(pol.note, /egress/);
  const i = trace(M, 'pod:client/curl', 'pod:quarantine/suspect:80');
  assert.equal(i.reason, 'policy-denied');
  assert.equal(i.paths[0]!.hops.find((h) => h.action === 'policy')?.rule, 'quarantine/ingress-allow-none');
  const ok = trace(M, 'pod:client/curl', 'svc:secure/redis:6379');
  assert.equal(ok.verdict, 'delivered', 'client is project=test: admitted by secure/test');
});

test('TR-3: drop reasons no-endpoints and port-not-found', () => {
  const m = examples({
    'x.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec:\n  clusterIP: 10.43.0.99\n  selector: {app: nothing}\n  ports: [{port: 80}]\n',
  });
  const e = trace(m, 'pod:client/curl', 'svc:default/empty');
  assert.deepEqual([e.verdict, e.reason], ['dropped', 'no-endpoints']);
  const p = trace(m, 'pod:client/curl', 'ip:10.43.0.11:1234');
  assert.deepEqual([p.verdict, p.reason], ['dropped', 'port-not-found']);
});

test('refs: unknown and ambiguous references are errors naming the candidates (CLI exit 2)', () => {
  const r = parseRef(M, 'redis');
  assert.equal(r.ok, false);
  if (!r.ok) assert.ok(r.candidates.includes('svc:default/redis') && r.candidates.includes('svc:secure/redis'));
  assert.throws(() => trace(M, 'pod:default/nope', 'node:node1'), RefError);
  const short = parseRef(M, 'curl');
  assert.ok(short.ok && short.ref.kind === 'pod');
  const d = parseRef(M, 'deploy:default/redis');
  assert.ok(d.ok && d.ref.kind === 'pod' && d.ref.pod.owner.kind === 'Deployment');
  const s = parseRef(M, 'svc:default/redis:sentinel');
  assert.ok(s.ok && s.ref.kind === 'service' && s.ref.port?.port === 26379);
});

test("TR-3, DNS-4: dns: targets resolve with the pod's search list; headless pod names go straight to the pod", () => {
  const etcd1 = ipOf(M, 'default/etcd-1');
  const p = only(trace(M, 'pod:default/etcd-0', 'dns:etcd-1.etcd:2379').paths);
  assert.equal(p.endpoint, 'default/etcd-1');
  assert.equal(p.hops[0]!.dst, `${etcd1}:2379`);
  const viaSvc = trace(M, 'pod:client/curl', 'dns:redis.default:redis');
  assert.equal(viaSvc.verdict, 'delivered');
  assert.ok(
    viaSvc.paths.every((x) => x.hops[0]!.dst === '10.43.0.11:6379'),
    'a Service name goes to its ClusterIP, port by name',
  );
  const nx = trace(M, 'pod:client/curl', 'dns:redis:6379');
  assert.deepEqual([nx.verdict, nx.reason], ['dropped', 'nxdomain'], 'redis only resolves from its own namespace');
});

test('TR-8: exposure nodePort: client → node:nodePort → kube-proxy → a controller pod → backend', () => {
  const profile = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'netpath.cluster.yaml'), 'utf8').replace(
    'exposure: hostPort',
    'exposure: nodePort',
  );
  const ctrlSvc =
    'apiVersion: v1\nkind: Service\nmetadata: {name: ingress-nginx-controller, namespace: ingress-nginx}\nspec:\n  type: NodePort\n  selector: {app.kubernetes.io/name: ingress-nginx}\n  ports: [{name: http, port: 80, targetPort: 80, nodePort: 30880}]\n';
  const m = examples({ 'examples/netpath.cluster.yaml': profile, 'x.yaml': ctrlSvc });
  const t = trace(m, 'host:10.0.0.3', 'url:http://test.com/');
  assert.equal(t.verdict, 'delivered');
  assert.equal(t.paths.length, 2, 'kube-proxy picks either controller pod');
  for (const p of t.paths) {
    assert.equal(p.hops[0]!.dst, '10.0.0.1:30880');
    const proxy = p.hops.findIndex((h) => h.action === 'proxy');
    assert.ok(p.hops[proxy - 1]!.at.startsWith('pod:ingress-nginx/'));
    assert.ok(
      p.hops.slice(0, proxy).some((h) => h.action === 'SNAT'),
      'Cluster policy: masqueraded to the controller',
    );
  }
});

test("NP-5, NP-7, TR-1: a pod's egress policy judges traffic to other nodes' addresses, never to its own node (secure/test allows only 10.0.0.0/24 out)", () => {
  const own = trace(M, 'pod:secure/nginx', 'ip:10.0.0.2:22'); // secure/nginx runs on node2
  assert.equal(own.verdict, 'delivered');
  assert.equal(own.paths[0]!.hops.find((h) => h.action === 'policy')?.rule, 'NP-7', 'its own node: always allowed (NP-7)');
  const overlay = trace(M, 'pod:secure/nginx', 'ip:10.42.0.0');
  assert.deepEqual([overlay.verdict, overlay.reason], ['dropped', 'policy-denied'], '10.42.0.0 is outside 10.0.0.0/24');
});

test('ING-6: a TLS host covered by a wildcard rule is not reported', () => {
  const m = modelOf({
    'i.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: w}\nspec:\n  tls: [{hosts: [www.test.com]}]\n  rules:\n  - host: "*.test.com"\n    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]}\n',
  });
  assert.ok(!m.diagnostics.some((d) => d.code === 'ingress-tls-host-not-covered'));
});

test("TR-5, SVC-6: a pod dialling an externalIP is DNAT-ed by its own node's kube-proxy", () => {
  const p = only(trace(M, 'pod:client/curl', 'ip:10.0.0.2:8080').paths);
  const dnat = p.hops.find((h) => h.action === 'DNAT')!;
  assert.equal(dnat.at, `node:${CURL_NODE.name}`);
  assert.equal(last(p.reply!).src, '10.0.0.2:8080');
});

test('NP-5, DNS-4: a pod whose egress policy forbids UDP/53 to kube-dns cannot resolve names (secure/test)', () => {
  const t = trace(M, 'pod:secure/nginx', 'dns:redis.default:6379');
  assert.deepEqual([t.verdict, t.reason], ['dropped', 'policy-denied']);
  const p = only(t.paths);
  assert.equal(p.hops[0]!.dst, '10.43.0.10:53');
  assert.equal(p.hops.find((h) => h.action === 'policy')?.rule, 'secure/test');
  assert.equal(trace(M, 'pod:client/curl', 'dns:redis.default:6379').verdict, 'delivered', 'an unrestricted pod resolves');
});

test('TR-5, NP-3: IPv6 end to end: [addr]:port, NodePort DNAT/SNAT on a v6 node, v6 ipBlock with except', () => {
  const profile =
    'serviceCIDR: fd00:43::/112\npodCIDR: fd00:42::/56\ndnsServiceIP: fd00:43::a\nnodes:\n  - { name: node1, internalIP: "fd00::1", podCIDR: "fd00:42::/64" }\n  - { name: node2, internalIP: "fd00::2", podCIDR: "fd00:42:0:1::/64" }\nexternalHosts:\n  - { name: node3, ip: "fd00::3" }\n';
  const app =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  nodeName: node2\n  containers: [{name: w, image: x, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ipFamilies: [IPv6]\n  selector: {app: web}\n  ports: [{port: 80, nodePort: 30001}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c1}\nspec: {nodeName: node1, containers: [{name: c, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c2}\nspec: {nodeName: node2, containers: [{name: c, image: x}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from: [{ipBlock: {cidr: "fd00:42::/56", except: ["fd00:42:0:1::/64"]}}, {ipBlock: {cidr: "fd00::/120"}}]\n';
  const m = modelOf({ 'netpath.cluster.yaml': profile, 'a.yaml': app });
  const web = m.pods.find((p) => p.id === 'default/web')!;
  const p = only(trace(m, 'host:fd00::3', 'ip:[fd00::1]:30001').paths);
  assert.equal(p.verdict, 'delivered');
  assert.equal(p.hops.find((h) => h.action === 'DNAT')?.dst, `[${web.ip}]:80`);
  assert.equal(p.hops.find((h) => h.action === 'SNAT')?.src, '[fd00:42::]:49152', "node1's flannel.1 address toward node2");
  assert.equal(last(p.reply!).src, '[fd00::1]:30001');
  assert.equal(trace(m, 'pod:default/c1', 'svc:default/web').verdict, 'delivered');
  assert.equal(trace(m, 'pod:default/c2', 'svc:default/web').reason, 'policy-denied', 'c2 is in the excepted /64');
});

test('ING-5, NP-5: reach through an Ingress needs client → controller and controller → backend endpoints', () => {
  const ok = reach(M, 'host:10.0.0.3', 'url:http://test.com/');
  assert.equal(ok.allowed, true);
  assert.deepEqual(
    ok.endpoints.map((e) => [e.pod, e.port]),
    [[pod(M, (id) => id.startsWith('default/nginx-')).id, 80]],
  );
  const no = reach(M, 'pod:secure/nginx', 'url:http://test.com/');
  assert.deepEqual([no.allowed, no.egress], [false, { allowed: false, policies: ['secure/test'] }]);
  assert.equal(reach(M, 'host:10.0.0.3', 'url:http://nothing.example/').allowed, false);
});

test('TR-3: hairpin: a pod reaching itself through its own Service is masqueraded to the bridge address', () => {
  const nginx = pod(M, (id) => id.startsWith('default/nginx-'));
  const bridge = M.nodes.find((n) => n.name === nginx.node)!.bridgeIP;
  const p = only(trace(M, `pod:${nginx.id}`, 'svc:default/nginx').paths);
  assert.equal(p.verdict, 'delivered');
  assert.deepEqual(p.hops.find((h) => h.action === 'SNAT')?.src, `${bridge}:49152`);
  assert.equal(last(p.hops).dst, `${nginx.ip}:80`);
});

test("TR-8, SVC-4: exposure loadBalancer: client → LB IP → a node's nodePort → kube-proxy DNAT → a controller pod → backend", () => {
  const profile = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'netpath.cluster.yaml'), 'utf8').replace(
    'exposure: hostPort',
    'exposure: loadBalancer',
  );
  const ctrlSvc =
    'apiVersion: v1\nkind: Service\nmetadata: {name: ingress-nginx-controller, namespace: ingress-nginx}\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 192.168.10.50\n  selector: {app.kubernetes.io/name: ingress-nginx}\n  ports: [{name: http, port: 80, targetPort: 80}]\n';
  const m = examples({ 'examples/netpath.cluster.yaml': profile, 'x.yaml': ctrlSvc });
  const svc = m.services.find((s) => s.id === 'ingress-nginx/ingress-nginx-controller')!;
  assert.equal(svc.loadBalancerIP, '192.168.10.50', 'the profile has an LB implementation (SVC-4)');
  const nodePort = svc.ports[0]!.nodePort;
  assert.ok(nodePort, 'a LoadBalancer Service gets nodePorts (allocateLoadBalancerNodePorts defaults to true)');
  const nodeTargets = new Set(m.nodes.map((n) => `${n.internalIP}:${nodePort}`));
  const controllers = new Set(m.pods.filter((p) => p.namespace === 'ingress-nginx' && p.ip).map((p) => `${p.ip}:80`));
  const t = trace(m, 'host:10.0.0.3', 'url:http://test.com/');
  assert.equal(t.verdict, 'delivered');
  assert.equal(t.paths.length, nodeTargets.size * controllers.size, 'the balancer picks any node, kube-proxy there any controller pod');
  const seen = new Set<string>();
  for (const p of t.paths) {
    assert.equal(p.hops[0]!.dst, '192.168.10.50:80', 'the client dials the LoadBalancer IP, not a node');
    const [toNode, toPod] = p.hops.filter((h) => h.action === 'DNAT');
    assert.ok(toNode && nodeTargets.has(toNode.dst), `the balancer forwards to a node's nodePort: ${toNode?.dst}`);
    assert.ok(toPod && controllers.has(toPod.dst), `kube-proxy DNATs to a controller pod: ${toPod?.dst}`);
    assert.ok(
      p.hops.some((h) => h.action === 'SNAT'),
      'externalTrafficPolicy Cluster: masqueraded on the node (SVC-7)',
    );
    assert.ok(
      p.hops.some((h) => h.action === 'proxy'),
      'the controller proxies to the backend',
    );
    seen.add(`${toNode.dst} ${toPod.dst}`);
  }
  assert.equal(seen.size, t.paths.length, 'one path per (node, controller pod)');
});

test("ING-5, TR-8: how the controller is reached is read from its manifests — a NodePort Service in front of pods without hostPort — not from the profile's default (hostPort)", () => {
  // No netpath.cluster.yaml: the profile's default exposure is hostPort, which these manifests do not use.
  const m = modelOf({
    'ctrl.yaml': `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
  template:
    metadata: {labels: {app.kubernetes.io/name: ingress-nginx}}
    spec:
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:v1.11.2
        args: [/nginx-ingress-controller, --ingress-class=nginx]
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  type: NodePort
  selector: {app.kubernetes.io/name: ingress-nginx}
  ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
`,
    'shop.yaml': `${deploymentYaml('web', 'shop', 8080)}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`,
  });
  const t = trace(m, 'host:192.168.1.50', 'url:http://shop.example/');
  assert.equal(t.verdict, 'delivered');
  const p = t.paths[0]!;
  assert.equal(p.hops[0]!.dst, `${m.nodes[0]!.internalIP}:30080`, 'the client enters through the nodePort, not node:80');
  assert.match(p.hops[0]!.note, /nodePort 30080 of ingress-nginx\/ingress-nginx-controller, as its manifests expose it/);
  const web = m.pods.find((x) => x.namespace === 'shop')!;
  assert.equal(p.endpoint, web.id);
  assert.equal(p.hops.at(-1)!.dst, `${web.ip}:8080`, "then straight to web's pod on its targetPort (ING-5)");
});

function deploymentYaml(name: string, ns: string, port: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: x, ports: [{containerPort: ${port}}]}]
`;
}
