// Unit tests: Services, ClusterIPs and nodePorts (SVC-1..9, IP-4, IP-5). Expected values derived by hand from the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceListeners, type Model, type ServiceInfo } from '../../server/src/model/index';
import { codes, modelOf } from '../support/model';

const svc = (name: string, spec: string, ns = 'default'): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n---\n`;
const get = (m: Model, id: string): ServiceInfo => {
  const s = m.index.serviceById.get(id);
  assert.ok(s, `service ${id} exists`);
  return s;
};
const diag = (m: Model, code: string) => m.diagnostics.filter((d) => d.code === code);
function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

// The seed's ClusterIP example, verbatim in substance.
const SEED_REDIS = svc(
  'redis',
  `clusterIP: 10.43.0.1
clusterIPs:
- 10.43.0.1
ports:
- name: redis
  port: 6379
  protocol: TCP
  targetPort: 6379
- name: sentinel
  port: 26379
  protocol: TCP
  targetPort: 26379
selector:
  k8s-app: redis`,
);

test('IP-4: the seed clusterIP 10.43.0.1 collides with default/kubernetes, which always holds it (CL-4)', () => {
  const text = SEED_REDIS;
  const m = modelOf({ 'redis.yaml': text });
  const kube = get(m, 'default/kubernetes');
  assert.equal(kube.clusterIP, '10.43.0.1');
  assert.deepEqual(
    kube.ports.map((p) => [p.name, p.port, p.protocol]),
    [['https', 443, 'TCP']],
  );
  assert.equal(kube.source, undefined);
  const d = diag(m, 'clusterip-already-allocated');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.severity, 'error');
  assert.match(d[0]!.message, /default\/kubernetes/);
  assert.match(d[0]!.message, /rejects/);
  assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), '10.43.0.1');
  assert.equal(text.indexOf('10.43.0.1'), d[0]!.span.start, 'on the clusterIP value');
  // The model goes on as if clusterIP were absent: an automatic address from the upper band.
  const ip = get(m, 'default/redis').clusterIP!;
  assert.ok(ipToInt(ip) >= ipToInt('10.43.1.1') && ipToInt(ip) <= ipToInt('10.43.255.254'), ip);
  // The quick fix offers that same address (the hover's), in clusterIP and clusterIPs[0] both (IP-5).
  const edits = d[0]!.fixes?.[0]?.edits ?? [];
  assert.deepEqual(
    edits.map((e) => [text.slice(e.span.start, e.span.end), e.newText]),
    [
      ['10.43.0.1', ip],
      ['10.43.0.1', ip],
    ],
  );
  assert.deepEqual(
    edits.map((e) => text.slice(0, e.span.start).split('\n').length),
    [7, 9],
    'lines of clusterIP and clusterIPs[0]',
  );
  // Applied, the Service is accepted and keeps the address it had (IP-2).
  const fixed = [...edits].sort((a, b) => b.span.start - a.span.start).reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
  const after = modelOf({ 'redis.yaml': fixed });
  assert.deepEqual(
    after.diagnostics.filter((x) => x.severity === 'error').map((x) => x.code),
    [],
  );
  assert.equal(get(after, 'default/redis').clusterIP, ip);
});

test('IP-5: clusterIPs[0] that differs from clusterIP is refused, with a fix that copies clusterIP', () => {
  const text = svc('db', 'clusterIP: 10.43.0.9\nclusterIPs: [10.43.0.8]\nports: [{port: 5432}]');
  const m = modelOf({ 'db.yaml': text });
  const d = diag(m, 'invalid-field');
  assert.equal(d.length, 1);
  assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), '10.43.0.8');
  assert.deepEqual(
    d[0]!.fixes?.[0]?.edits.map((e) => e.newText),
    ['10.43.0.9'],
  );
  assert.equal(get(m, 'default/db').clusterIP, '10.43.0.9');
});

test('IP-4: explicit addresses honoured; outside, network, broadcast, malformed and taken are errors', () => {
  const m = modelOf({
    'a.yaml':
      svc('mysql', 'clusterIP: 10.43.0.2\nports: [{port: 3306}]') +
      svc('outside', 'clusterIP: 10.44.0.5\nports: [{port: 80}]') +
      svc('network', 'clusterIP: 10.43.0.0\nports: [{port: 80}]') +
      svc('broadcast', 'clusterIP: 10.43.255.255\nports: [{port: 80}]') +
      svc('bad', 'clusterIP: 10.43.0.x\nports: [{port: 80}]') +
      svc('second', 'clusterIP: 10.43.0.2\nports: [{port: 80}]'),
  });
  assert.equal(get(m, 'default/mysql').clusterIP, '10.43.0.2');
  const out = diag(m, 'clusterip-out-of-range');
  assert.deepEqual(
    out.map((d) => d.subject),
    ['Service/default/outside', 'Service/default/network', 'Service/default/broadcast', 'Service/default/bad'],
  );
  assert.match(out[0]!.message, /10\.43\.0\.0\/16/);
  const taken = diag(m, 'clusterip-already-allocated');
  assert.equal(taken.length, 1);
  assert.equal(taken[0]!.subject, 'Service/default/second');
  assert.match(taken[0]!.message, /default\/mysql/);
});

test('IP-4: automatic ClusterIPs skip the static band: /16 from 10.43.1.1, /24 from .17 (min(max(16, 256/16), 256) = 16)', () => {
  const many = Array.from({ length: 40 }, (_, i) => svc(`s${i}`, 'ports: [{port: 80}]')).join('');
  const m = modelOf({ 'a.yaml': many });
  for (const s of m.services.filter((x) => x.source)) assert.ok(ipToInt(s.clusterIP!) >= ipToInt('10.43.1.1'), s.clusterIP!);
  const small = modelOf({ 'netpath.cluster.yaml': 'serviceCIDR: 10.96.0.0/24\n', 'a.yaml': many });
  assert.equal(get(small, 'default/kubernetes').clusterIP, '10.96.0.1');
  const ips = small.services.filter((x) => x.source).map((s) => s.clusterIP!);
  for (const ip of ips) assert.ok(ipToInt(ip) >= ipToInt('10.96.0.17') && ipToInt(ip) <= ipToInt('10.96.0.254'), ip);
  assert.equal(new Set(ips).size, ips.length, 'all distinct');
});

test('IP-4, SVC-3: allocation is stable: adding a Service moves no other ClusterIP or nodePort (IP-2)', () => {
  const base = Array.from({ length: 30 }, (_, i) => svc(`app-${i}`, `type: NodePort\nports: [{port: 80}]`, i % 2 ? 'shop' : 'default')).join('');
  const before = modelOf({ 'a.yaml': base });
  const after = modelOf({ 'a.yaml': svc('newcomer', 'type: NodePort\nports: [{port: 8080}]') + base, 'z.yaml': svc('other', 'ports: [{port: 1}]', 'zzz') });
  for (const s of before.services) {
    const t = get(after, s.id);
    assert.equal(t.clusterIP, s.clusterIP, `${s.id} ClusterIP`);
    assert.deepEqual(
      t.ports.map((p) => p.nodePort),
      s.ports.map((p) => p.nodePort),
      `${s.id} nodePort`,
    );
  }
  // Deterministic: the same input gives the same output.
  assert.deepEqual(
    modelOf({ 'a.yaml': base }).services.map((s) => s.clusterIP),
    before.services.map((s) => s.clusterIP),
  );
});

test('IP-5: clusterIPs[0] must equal clusterIP; an IPv6 serviceCIDR works end to end; ipFamilies honoured', () => {
  const m = modelOf({
    'a.yaml': svc('x', 'clusterIP: 10.43.0.20\nclusterIPs: [10.43.0.21]\nports: [{port: 80}]') + svc('v6', 'ipFamilies: [IPv6]\nports: [{port: 80}]'),
  });
  const d = m.diagnostics.filter((x) => x.rule === 'IP-5');
  assert.ok(d.some((x) => x.subject === 'Service/default/x' && /clusterIPs\[0\]/.test(x.message)));
  assert.ok(d.some((x) => x.subject === 'Service/default/v6' && /IPv6 is not configured/.test(x.message)));
  assert.equal(get(m, 'default/x').clusterIP, '10.43.0.20');
  const v6 = modelOf({
    'netpath.cluster.yaml': 'serviceCIDR: fd00:43::/112\n',
    'a.yaml': svc('web', 'clusterIP: "fd00:43::20"\nports: [{port: 80}]') + svc('auto', 'ports: [{port: 80}]'),
  });
  assert.equal(get(v6, 'default/kubernetes').clusterIP, 'fd00:43::1');
  assert.equal(get(v6, 'default/web').clusterIP, 'fd00:43::20');
  assert.deepEqual(get(v6, 'default/web').ipFamilies, ['IPv6']);
  // /112 = 65536 addresses: static band 256 indices, so automatic IPs are at least ::1 + 256 = fd00:43::101.
  const auto = get(v6, 'default/auto').clusterIP!;
  assert.ok(BigInt(`0x${auto.split(':').pop()}`) >= 0x101n, auto);
  assert.deepEqual(
    v6.diagnostics.filter((x) => x.severity === 'error'),
    [],
  );
});

test('SVC-1: ClusterIP by default, headless with clusterIP: None, ExternalName without an IP', () => {
  const m = modelOf({
    'a.yaml': svc('a', 'ports: [{port: 80}]') + svc('h', 'clusterIP: None\nselector: {app: h}') + svc('e', 'type: ExternalName\nexternalName: redis.test.com'),
  });
  assert.equal(get(m, 'default/a').type, 'ClusterIP');
  const h = get(m, 'default/h');
  assert.deepEqual([h.headless, h.clusterIP, h.clusterIPs], [true, null, []]);
  const e = get(m, 'default/e');
  assert.deepEqual([e.type, e.clusterIP, e.externalName], ['ExternalName', null, 'redis.test.com']);
  assert.ok(!codes(m).includes('invalid-field'), 'a headless Service may have no ports');
});

test('SVC-2: protocol defaults to TCP, targetPort to port; a named targetPort stays a name; >1 port needs unique names', () => {
  const m = modelOf({
    'a.yaml':
      svc('a', 'ports: [{port: 80}, {name: dns, port: 53, protocol: UDP, targetPort: dns-udp}]') +
      svc('b', 'ports: [{name: web, port: 80}, {name: web, port: 81}]'),
  });
  const a = get(m, 'default/a');
  assert.deepEqual(
    a.ports.map((p) => [p.name, p.port, p.protocol, p.targetPort]),
    [
      ['', 80, 'TCP', 80],
      ['dns', 53, 'UDP', 'dns-udp'],
    ],
  );
  assert.deepEqual(
    diag(m, 'service-port-name-required').map((d) => d.subject),
    ['Service/default/a'],
  );
  assert.deepEqual(
    diag(m, 'service-port-duplicate').map((d) => d.subject),
    ['Service/default/b'],
  );
});

test('SVC-3: the seed nodePort 31017 is honoured; taken, out of range and automatic nodePorts; TCP+UDP share one', () => {
  const seed = svc('redis', 'type: NodePort\nports:\n- nodePort: 31017\n  port: 80\n  protocol: TCP\n  targetPort: 80\nselector:\n  k8s-app: redis');
  const m = modelOf({
    'a.yaml':
      seed +
      svc('clash', 'type: NodePort\nports: [{port: 81, protocol: UDP, nodePort: 31017}]') +
      svc('low', 'type: NodePort\nports: [{port: 82, nodePort: 80}]') +
      svc('dns', 'type: NodePort\nports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]'),
  });
  assert.equal(get(m, 'default/redis').ports[0]!.nodePort, 31017);
  assert.deepEqual(
    diag(m, 'nodeport-already-allocated').map((d) => d.subject),
    ['Service/default/clash'],
  );
  assert.match(diag(m, 'nodeport-already-allocated')[0]!.message, /default\/redis/);
  assert.deepEqual(
    diag(m, 'nodeport-out-of-range').map((d) => [d.subject, d.severity]),
    [['Service/default/low', 'error']],
  );
  // Automatic ports come from the upper band: 30000 + min(max(16, 2768/32), 128) = 30086.
  for (const id of ['default/clash', 'default/low', 'default/dns']) {
    const n = get(m, id).ports[0]!.nodePort!;
    assert.ok(n >= 30086 && n <= 32767, `${id} ${n}`);
  }
  const dns = get(m, 'default/dns').ports;
  assert.equal(dns[0]!.nodePort, dns[1]!.nodePort, 'UDP and TCP of port 53 share one nodePort');
  assert.equal(get(modelOf({ 'a.yaml': svc('c', 'ports: [{port: 80}]') }), 'default/c').ports[0]!.nodePort, null, 'ClusterIP has none');
});

test('SVC-4: the seed LoadBalancer keeps 1.1.1.1 and nodePort 31212; pending without an IP; shared IP on one port clashes', () => {
  const seed = svc(
    'redis',
    'allocateLoadBalancerNodePorts: true\ntype: LoadBalancer\nloadBalancerIP: 1.1.1.1\nports:\n  - name: redis\n    nodePort: 31212\n    port: 6379\n    protocol: TCP\n    targetPort: 6379\nselector:\n  k8s-app: redis',
  );
  const m = modelOf({
    'netpath.cluster.yaml': 'loadBalancer: {enabled: true}\n',
    'a.yaml':
      seed +
      svc('web', 'type: LoadBalancer\nloadBalancerIP: 1.1.1.1\nports: [{port: 80}]') +
      svc('dup', 'type: LoadBalancer\nloadBalancerIP: 1.1.1.1\nports: [{port: 6379}]') +
      svc('pending', 'type: LoadBalancer\nports: [{port: 80}]') +
      svc('nonp', 'type: LoadBalancer\nallocateLoadBalancerNodePorts: false\nports: [{port: 81}]'),
  });
  const r = get(m, 'default/redis');
  assert.deepEqual([r.loadBalancerIP, r.ports[0]!.nodePort], ['1.1.1.1', 31212]);
  assert.equal(get(m, 'default/web').loadBalancerIP, '1.1.1.1', 'distinct ports share the IP');
  assert.deepEqual(
    diag(m, 'loadbalancer-port-conflict').map((d) => d.subject),
    ['Service/default/dup'],
  );
  assert.equal(get(m, 'default/pending').loadBalancerIP, '10.0.0.1', 'the implementation hands out the node IP');
  assert.notEqual(get(m, 'default/pending').ports[0]!.nodePort, null);
  assert.equal(get(m, 'default/nonp').ports[0]!.nodePort, null);
  // Without an LB implementation nothing honours loadBalancerIP: kubectl shows <pending>, the wish is kept.
  const none = modelOf({ 'a.yaml': seed + svc('pending', 'type: LoadBalancer\nports: [{port: 80}]') });
  assert.deepEqual([get(none, 'default/redis').loadBalancerIP, get(none, 'default/redis').requestedLoadBalancerIP], [null, '1.1.1.1']);
  assert.equal(get(none, 'default/redis').ports[0]!.nodePort, 31212, 'nodePorts work without a balancer');
  assert.equal(get(none, 'default/pending').loadBalancerIP, null);
  // A status written by an implementation stands.
  const st = modelOf({
    'a.yaml': svc('s', 'type: LoadBalancer\nports: [{port: 80}]').replace(/---\n$/, '') + 'status:\n  loadBalancer:\n    ingress: [{ip: 203.0.113.7}]\n',
  });
  assert.equal(get(st, 'default/s').loadBalancerIP, '203.0.113.7');
});

test('SVC-5: ExternalName must be a DNS name: an IPv4 address is accepted by the API but a warning', () => {
  const text = svc('redis', 'type: ExternalName\nexternalName: redis.test.com') + svc('byip', 'type: ExternalName\nexternalName: 1.2.3.4');
  const m = modelOf({ 'a.yaml': text });
  assert.equal(get(m, 'default/redis').externalName, 'redis.test.com');
  const d = diag(m, 'externalname-looks-like-ip');
  assert.deepEqual(
    d.map((x) => [x.subject, x.severity]),
    [['Service/default/byip', 'warning']],
  );
  assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), '1.2.3.4');
});

test('SVC-6: externalIPs are kept (they need not be cluster IPs); a non-IP is rejected', () => {
  const m = modelOf({ 'a.yaml': svc('web', 'externalIPs: [10.0.0.1, 192.168.1.50, nope]\nports: [{port: 80}]') });
  assert.deepEqual(get(m, 'default/web').externalIPs, ['10.0.0.1', '192.168.1.50']);
  assert.ok(m.diagnostics.some((d) => d.code === 'invalid-field' && d.rule === 'SVC-6'));
});

test('SVC-7: externalTrafficPolicy only on NodePort, LoadBalancer or ClusterIP with externalIPs', () => {
  const m = modelOf({
    'a.yaml':
      svc('bad', 'externalTrafficPolicy: Local\nports: [{port: 80}]') +
      svc('ext', 'externalTrafficPolicy: Local\nexternalIPs: [10.0.0.1]\nports: [{port: 80}]') +
      svc('np', 'type: NodePort\nexternalTrafficPolicy: Local\ninternalTrafficPolicy: Local\nports: [{port: 80}]'),
  });
  assert.deepEqual(
    diag(m, 'external-traffic-policy-not-allowed').map((d) => [d.subject, d.severity]),
    [['Service/default/bad', 'error']],
  );
  assert.equal(get(m, 'default/bad').externalTrafficPolicy, 'Cluster');
  assert.equal(get(m, 'default/ext').externalTrafficPolicy, 'Local');
  assert.deepEqual([get(m, 'default/np').externalTrafficPolicy, get(m, 'default/np').internalTrafficPolicy], ['Local', 'Local']);
});

test('SVC-8: sessionAffinity ClientIP defaults to 10800 s; None by default', () => {
  const m = modelOf({
    'a.yaml':
      svc('a', 'sessionAffinity: ClientIP\nports: [{port: 80}]') +
      svc('b', 'sessionAffinity: ClientIP\nsessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\nports: [{port: 80}]') +
      svc('c', 'ports: [{port: 80}]'),
  });
  assert.deepEqual([get(m, 'default/a').sessionAffinity, get(m, 'default/a').sessionAffinityTimeoutSeconds], ['ClientIP', 10800]);
  assert.equal(get(m, 'default/b').sessionAffinityTimeoutSeconds, 60);
  assert.equal(get(m, 'default/c').sessionAffinity, 'None');
});

test('SVC-9: a Service listens nowhere, except a nodePort: kube-proxy on every node', () => {
  const m = modelOf({ 'a.yaml': svc('c', 'ports: [{port: 80}]') + svc('n', 'type: NodePort\nports: [{port: 80, nodePort: 31017}]') });
  assert.deepEqual(serviceListeners(get(m, 'default/c'), m.nodes.length ? m.nodes : m.profile.nodes), []);
  assert.deepEqual(
    serviceListeners(get(m, 'default/n'), m.profile.nodes).map((l) => `${l.node} ${l.address}:${l.port}/${l.protocol} ${l.process}`),
    ['node1 0.0.0.0:31017/TCP kube-proxy', 'node2 0.0.0.0:31017/TCP kube-proxy'],
  );
});
