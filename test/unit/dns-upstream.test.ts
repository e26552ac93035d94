// Unit tests: DNS-4 names outside the cluster (forwarded upstream, unknown here, never NXDOMAIN), the
// pod's /etc/hosts (hostAliases), dnsPolicy and dnsConfig as kubelet writes resolv.conf, and DNS-6
// lookups blocked by egress policy (TIMEOUT naming the policy; the trace stops at the lookup).
// Expected answers are derived by hand from the Kubernetes "DNS for Services and Pods" page (Pod's DNS
// policy, Pod's DNS config), CoreDNS's default `forward . /etc/resolv.conf`, and the NetworkPolicy docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupDns, trace, type Model } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { json, netpath } from '../support/cli';

const PROFILE = `nodes:
  - { name: node1, ip: 10.0.0.1, podCIDR: 10.42.0.0/24 }
`;
const pod = (name: string, spec = '') => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: app, labels: { app: ${name} } }
spec:
  nodeName: node1${spec}
  containers: [{ name: c, image: x }]
---
`;
const WS: Record<string, string> = {
  'netpath.cluster.yaml': PROFILE,
  'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: app }\n',
  'svc.yaml': `apiVersion: v1
kind: Service
metadata: { name: redis, namespace: app }
spec: { clusterIP: 10.43.0.20, selector: { app: redis }, ports: [{ port: 6379 }] }
---
apiVersion: v1
kind: Service
metadata: { name: payments, namespace: app }
spec: { type: ExternalName, externalName: api.stripe.com, ports: [{ name: https, port: 443 }] }
`,
  'pods.yaml':
    pod('redis') +
    pod('client') +
    pod('aliased', '\n  hostAliases: [{ ip: 192.168.1.50, hostnames: [db.corp.example.org, legacy-db] }]') +
    pod('nodedns', '\n  dnsPolicy: Default') +
    pod('hostnet', '\n  hostNetwork: true') +
    pod('hostnet-cluster', '\n  hostNetwork: true\n  dnsPolicy: ClusterFirstWithHostNet') +
    pod('custom', '\n  dnsPolicy: None\n  dnsConfig: { nameservers: [1.1.1.1], searches: [corp.example.org] }') +
    pod('tuned', '\n  dnsConfig: { searches: [app.svc.cluster.local], options: [{ name: ndots, value: "1" }] }'),
};
const M: Model = modelOf(WS);

test('DNS-4: a public name is forwarded upstream, unknown here, never NXDOMAIN', () => {
  const a = lookupDns(M, 'www.google.com', { from: 'pod:app/client' });
  assert.equal(a.rcode, 'FORWARDED');
  assert.deepEqual(a.answers, []);
  assert.match(a.note ?? '', /upstream/);
  // The search list is still tried first (ndots 5): www.google.com.app.svc.cluster.local, … then the name itself.
  assert.deepEqual(a.tried, ['www.google.com.app.svc.cluster.local', 'www.google.com.svc.cluster.local', 'www.google.com.cluster.local', 'www.google.com']);
  // A name inside the cluster domain that does not exist is still NXDOMAIN (CoreDNS is authoritative there).
  assert.equal(lookupDns(M, 'nosuch.app.svc.cluster.local', { from: 'pod:app/client' }).rcode, 'NXDOMAIN');
});

test('DNS-4, SVC-5: an ExternalName to a public host answers its CNAME and forwards the rest', () => {
  const a = lookupDns(M, 'payments', { from: 'pod:app/client' });
  assert.equal(a.rcode, 'FORWARDED');
  assert.deepEqual(
    a.answers.map((x) => [x.type, x.data.replace(/\.$/, '')]),
    [['CNAME', 'api.stripe.com']],
  );
});

test('DNS-4, TR-6: a trace to a forwarded name goes on to an outside address, masqueraded at the node', () => {
  for (const to of ['dns:www.google.com:443', 'svc:app/payments:https']) {
    const t = trace(M, 'pod:app/client', to);
    assert.equal(t.verdict, 'delivered', to);
    const p = t.paths[0]!;
    const end = p.hops[p.hops.length - 1]!;
    assert.equal(end.rule, 'TR-6');
    assert.match(end.at, /^host:(www\.google\.com|api\.stripe\.com)$/);
    assert.equal(p.hops.find((h) => h.action === 'SNAT')?.src, '10.0.0.1:49152', 'masquerade to node1 (TR-6)');
  }
});

test('DNS-4: hostAliases answer first, from /etc/hosts', () => {
  const a = lookupDns(M, 'legacy-db', { from: 'pod:app/aliased' });
  assert.deepEqual([a.rcode, a.answers], ['NOERROR', [{ name: 'legacy-db', type: 'A', data: '192.168.1.50', source: 'hosts' }]]);
  assert.equal(lookupDns(M, 'db.corp.example.org', { from: 'pod:app/aliased' }).answers[0]?.data, '192.168.1.50');
  // Other pods do not share the file.
  assert.notEqual(lookupDns(M, 'legacy-db', { from: 'pod:app/client' }).rcode, 'NOERROR');
});

test('DNS-4: dnsPolicy Default, and hostNetwork with ClusterFirst, use the node resolver (unknown); ClusterFirstWithHostNet uses the cluster DNS', () => {
  for (const from of ['pod:app/nodedns', 'pod:app/hostnet']) {
    const a = lookupDns(M, 'redis.app.svc.cluster.local', { from });
    assert.equal(a.rcode, 'FORWARDED', from);
    assert.match(a.note ?? '', /node's resolv\.conf/);
  }
  const c = lookupDns(M, 'redis.app', { from: 'pod:app/hostnet-cluster' });
  assert.deepEqual([c.rcode, c.answers[0]?.data], ['NOERROR', '10.43.0.20']);
});

test('DNS-4: dnsPolicy None uses only dnsConfig: nameservers other than the cluster DNS are unknown, searches are its own', () => {
  const a = lookupDns(M, 'redis', { from: 'pod:app/custom' });
  assert.equal(a.rcode, 'FORWARDED');
  assert.match(a.note ?? '', /1\.1\.1\.1/);
  assert.deepEqual(a.tried, ['redis.corp.example.org', 'redis']);
});

test('DNS-4: dnsConfig searches are appended and its ndots wins', () => {
  // ndots 1: "redis.app" has one dot, so it is tried as absolute first (forwarded upstream would come last).
  const a = lookupDns(M, 'redis.app', { from: 'pod:app/tuned' });
  assert.deepEqual(a.tried.slice(0, 2), ['redis.app', 'redis.app.app.svc.cluster.local']);
  assert.deepEqual([a.rcode, a.answers[0]?.data], ['NOERROR', '10.43.0.20']);
});

const DENY_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-egress, namespace: app }
spec: { podSelector: { matchLabels: { app: client } }, policyTypes: [Egress] }
`;
const ALLOW_DNS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: app }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
    ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]
`;

test('DNS-6: egress that does not allow UDP/53 to the DNS pods times out, naming the policy; the trace stops at the lookup', () => {
  const m = modelOf({ ...WS, 'np.yaml': DENY_EGRESS });
  const a = lookupDns(m, 'redis', { from: 'pod:app/client' });
  assert.deepEqual([a.rcode, a.blockedBy, a.answers], ['TIMEOUT', ['app/deny-egress'], []]);
  assert.match(a.note ?? '', /no servers could be reached/);
  const t = trace(m, 'pod:app/client', 'dns:redis:6379');
  assert.deepEqual([t.verdict, t.reason], ['dropped', 'policy-denied']);
  const hops = t.paths[0]!.hops;
  assert.equal(hops[hops.length - 1]!.rule, 'DNS-6');
  assert.ok(
    hops.every((h) => h.dst === '10.43.0.10:53'),
    'nothing but the query is sent',
  );
  // The hostAliases answer needs no DNS server.
  assert.equal(
    lookupDns(modelOf({ ...WS, 'np.yaml': DENY_EGRESS.replace('app: client', 'app: aliased') }), 'legacy-db', { from: 'pod:app/aliased' }).rcode,
    'NOERROR',
  );
});

test('DNS-6: an egress rule admitting UDP/53 to kube-system k8s-app=kube-dns lets the lookup through (the implicit CoreDNS, CL-4)', () => {
  const m = modelOf({ ...WS, 'np.yaml': `${DENY_EGRESS}---\n${ALLOW_DNS}` });
  assert.equal(lookupDns(m, 'redis', { from: 'pod:app/client' }).rcode, 'NOERROR');
  // TCP/53 alone is not enough: the resolver asks over UDP first and times out.
  const tcpOnly = modelOf({ ...WS, 'np.yaml': `${DENY_EGRESS}---\n${ALLOW_DNS.replace('{ protocol: UDP, port: 53 }, ', '')}` });
  assert.equal(lookupDns(tcpOnly, 'redis', { from: 'pod:app/client' }).rcode, 'TIMEOUT');
});

test('DNS-4, DNS-6: the CLI exits 0 on FORWARDED, 1 on TIMEOUT with blockedBy, and the text says the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-dns-'));
  try {
    for (const [f, text] of Object.entries({ ...WS, 'np.yaml': DENY_EGRESS })) writeFileSync(join(dir, f), text);
    const fwd = netpath(['dns', 'www.google.com', '--from', 'pod:app/redis', dir, '--json']);
    assert.equal(fwd.code, 0, fwd.stderr);
    assert.equal(json<{ rcode: string }>(fwd).rcode, 'FORWARDED');
    const to = netpath(['dns', 'redis', '--from', 'pod:app/client', dir, '--json']);
    assert.equal(to.code, 1, to.stderr);
    assert.deepEqual(json<{ rcode: string; blockedBy: string[] }>(to).blockedBy, ['app/deny-egress']);
    const text = netpath(['dns', 'redis', '--from', 'pod:app/client', dir]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /TIMEOUT/);
    assert.match(text.stdout, /blocked by app\/deny-egress/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("DNS-6: when one DNS pod is out of the pod's egress and the other refuses at its ingress, the lookup times out naming both, each for its own direction", () => {
  // A declared kube-dns Service with two CoreDNS pods. client's egress admits UDP/53 only to coredns-a;
  // coredns-a's namespace isolates it for ingress with no rule. So: to coredns-a the egress passes and its
  // ingress refuses; to coredns-b the egress refuses (NP-4: both directions must allow).
  const dnsPod = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: kube-system, labels: { k8s-app: kube-dns, instance: ${name} } }
spec:
  nodeName: node1
  containers: [{ name: coredns, image: coredns, ports: [{ name: dns, containerPort: 53, protocol: UDP }] }]
---
`;
  const m = modelOf({
    ...WS,
    'dns.yaml': `${dnsPod('coredns-a')}${dnsPod('coredns-b')}apiVersion: v1
kind: Service
metadata: { name: kube-dns, namespace: kube-system }
spec: { clusterIP: 10.43.0.10, selector: { k8s-app: kube-dns }, ports: [{ name: dns, port: 53, protocol: UDP, targetPort: dns }] }
`,
    'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: client-egress, namespace: app }
spec:
  podSelector: { matchLabels: { app: client } }
  policyTypes: [Egress]
  egress:
  - to: [{ namespaceSelector: {}, podSelector: { matchLabels: { instance: coredns-a } } }]
    ports: [{ protocol: UDP, port: 53 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: coredns-a-closed, namespace: kube-system }
spec:
  podSelector: { matchLabels: { instance: coredns-a } }
  policyTypes: [Ingress]
`,
  });
  const a = lookupDns(m, 'redis', { from: 'pod:app/client' });
  assert.deepEqual([a.rcode, a.blockedBy], ['TIMEOUT', ['app/client-egress', 'kube-system/coredns-a-closed']]);
  assert.match(a.note ?? '', /from some and refuses them at the other/);
  const hops = trace(m, 'pod:app/client', 'dns:redis:6379').paths[0]!.hops;
  const policyHop = hops.find((h) => h.action === 'policy')!;
  assert.match(policyHop.note, /egress towards some DNS pods and at the others' ingress/);
});
