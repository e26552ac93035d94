// Unit tests: the cluster profile netpath.cluster.yaml and editor settings (CL-1, CL-3, IP-5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultProfile, parseProfile, profileFromSettings } from '../../server/src/model/index';
import { modelOf } from '../support/model';

const FILE = 'netpath.cluster.yaml';

/** The text a diagnostic points at. */
function at(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

test("CL-1: no profile file gives the documented defaults (the seed's two nodes, k3s CIDRs)", () => {
  const { profile, diagnostics } = parseProfile(FILE, undefined);
  assert.deepEqual(diagnostics, []);
  assert.equal(profile.serviceCIDR, '10.43.0.0/16');
  assert.equal(profile.podCIDR, '10.42.0.0/16');
  assert.equal(profile.dnsServiceIP, '10.43.0.10');
  assert.deepEqual(profile.nodePortRange, { min: 30000, max: 32767 });
  assert.deepEqual(
    profile.nodes.map((n) => [n.name, n.internalIP, n.podCIDR, n.overlayIP, n.bridgeIP]),
    [
      ['node1', '10.0.0.1', '10.42.0.0/24', '10.42.0.0', '10.42.0.1'],
      ['node2', '10.0.0.2', '10.42.1.0/24', '10.42.1.0', '10.42.1.1'],
    ],
  );
  // An empty file is a profile with every field absent: still the defaults, no complaint.
  assert.deepEqual(parseProfile(FILE, ''), { profile: defaultProfile(), diagnostics: [] });
});

test('CL-1: every field of §1 is read', () => {
  const text = [
    'clusterDomain: corp.internal',
    'serviceCIDR: 10.96.0.0/12',
    'podCIDR: 10.244.0.0/16',
    'nodePortRange: 31000-31999',
    'dnsServiceIP: 10.96.0.10',
    'kubeletMaxPods: 64',
    'dns: { ndots: 2 }',
    'network: { plugin: flannel, backend: host-gw, ipMasq: false, kubeProxyMode: ipvs, mtu: 1500 }',
    'nodes:',
    '  - { name: cp, internalIP: 192.168.1.10, podCIDR: 10.244.0.0/24, labels: { node-role.kubernetes.io/control-plane: "" } }',
    '  - { name: w1, internalIP: 192.168.1.11, podCIDR: 10.244.1.0/24, labels: { disktype: ssd } }',
    'externalHosts: [{ name: nas, ip: 192.168.1.50 }]',
    'routes: [{ host: nas, to: 10.96.0.0/12, via: 192.168.1.10 }]',
    'ingressController: { namespace: ingress, exposure: nodePort }',
  ].join('\n');
  const { profile: p, diagnostics } = parseProfile(FILE, text);
  assert.deepEqual(diagnostics, []);
  assert.equal(p.clusterDomain, 'corp.internal');
  assert.equal(p.serviceCIDR, '10.96.0.0/12');
  assert.deepEqual(p.nodePortRange, { min: 31000, max: 31999 });
  assert.equal(p.kubeletMaxPods, 64);
  assert.equal(p.dns.ndots, 2);
  assert.deepEqual(p.network, { plugin: 'flannel', backend: 'host-gw', ipMasq: false, kubeProxyMode: 'ipvs', mtu: 1500 });
  assert.deepEqual(p.nodes[1], {
    name: 'w1',
    internalIP: '192.168.1.11',
    podCIDR: '10.244.1.0/24',
    overlayIP: '10.244.1.0',
    bridgeIP: '10.244.1.1',
    labels: { disktype: 'ssd' },
  });
  assert.deepEqual(p.externalHosts, [{ name: 'nas', ip: '192.168.1.50' }]);
  assert.deepEqual(p.routes, [{ host: 'nas', to: '10.96.0.0/12', via: '192.168.1.10' }]);
  assert.deepEqual(p.ingressController, { namespace: 'ingress', exposure: 'nodePort' });
});

test('CL-1: a bad field is a diagnostic at its exact value and falls back to its default', () => {
  const text = [
    'serviceCIDR: 10.43.0.0/33',
    'kubeletMaxPods: many',
    'nodePortRange: 32767-30000',
    'network: { mtu: "big" }',
    'ingressController: { exposure: ingress }',
    'serviceCidr: 10.96.0.0/12',
  ].join('\n');
  const { profile, diagnostics } = parseProfile(FILE, text);
  assert.equal(profile.serviceCIDR, '10.43.0.0/16');
  assert.equal(profile.kubeletMaxPods, 110);
  assert.deepEqual(profile.nodePortRange, { min: 30000, max: 32767 });
  assert.equal(profile.network.mtu, 1450);
  assert.equal(profile.ingressController.exposure, 'hostPort');
  assert.ok(diagnostics.every((d) => d.code === 'invalid-field' && d.file === FILE && d.rule === 'CL-1'));
  assert.deepEqual(
    diagnostics.map((d) => [at(text, d.span), d.severity]),
    [
      ['serviceCidr', 'warning'], // unknown key (a typo): the default serviceCIDR silently applying would surprise
      ['10.43.0.0/33', 'error'],
      ['32767-30000', 'error'],
      ['many', 'error'],
      ['"big"', 'error'],
      ['ingress', 'error'],
    ],
  );
});

test("CL-1, CL-3: overlayIP/bridgeIP default to the first two addresses of each node's podCIDR; missing blocks are the next free ones", () => {
  const text = [
    'podCIDR: 10.244.0.0/16',
    'nodes:',
    '  - { name: a, internalIP: 192.168.0.1, podCIDR: 10.244.0.0/24 }',
    '  - { name: b, internalIP: 192.168.0.2 }',
    '  - { name: c, internalIP: 192.168.0.3, podCIDR: 10.244.7.0/24, bridgeIP: 10.244.7.254 }',
  ].join('\n');
  const { profile, diagnostics } = parseProfile(FILE, text);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    profile.nodes.map((n) => [n.name, n.podCIDR, n.overlayIP, n.bridgeIP]),
    [
      ['a', '10.244.0.0/24', '10.244.0.0', '10.244.0.1'],
      ['b', '10.244.1.0/24', '10.244.1.0', '10.244.1.1'], // 10.244.0.0/24 is a's, so b takes the next /24
      ['c', '10.244.7.0/24', '10.244.7.0', '10.244.7.254'], // an explicit bridgeIP inside the block is kept
    ],
  );
  // Without `nodes`, the seed's two nodes are re-cut from the given podCIDR.
  const recut = parseProfile(FILE, 'podCIDR: 10.244.0.0/16\n').profile.nodes;
  assert.deepEqual(
    recut.map((n) => [n.name, n.internalIP, n.podCIDR, n.overlayIP]),
    [
      ['node1', '10.0.0.1', '10.244.0.0/24', '10.244.0.0'],
      ['node2', '10.0.0.2', '10.244.1.0/24', '10.244.1.0'],
    ],
  );
});

test('CL-1, CL-3: a node address outside its block, and overlapping node blocks, are reported', () => {
  const text = ['nodes:', '  - { name: a, podCIDR: 10.42.0.0/24, overlayIP: 10.42.9.0 }', '  - { name: b, podCIDR: 10.42.0.128/25 }'].join('\n');
  const { profile, diagnostics } = parseProfile(FILE, text);
  assert.equal(profile.nodes[0]!.overlayIP, '10.42.0.0');
  assert.deepEqual(diagnostics.map((d) => at(text, d.span)).sort(), ['10.42.0.128/25', '10.42.9.0']);
  assert.match(diagnostics.find((d) => at(text, d.span) === '10.42.0.128/25')!.message, /overlaps node `a`/);
});

test('CL-1: a profile that is not YAML gives a yaml-syntax diagnostic and the default profile', () => {
  const { profile, diagnostics } = parseProfile(FILE, 'nodes: [ { name: a\n');
  assert.deepEqual(profile, defaultProfile());
  assert.equal(diagnostics[0]?.code, 'yaml-syntax');
});

test('IP-5: IPv6 CIDRs in the profile work: /64 node blocks, ::/::1 for flannel.1 and cni0, the tenth service address for DNS', () => {
  const text = [
    'serviceCIDR: fd00:43::/112',
    'podCIDR: fd00:42::/56',
    'nodes:',
    '  - { name: v6a, internalIP: "2001:db8::1" }',
    '  - { name: v6b, internalIP: "2001:db8::2" }',
  ].join('\n');
  const { profile, diagnostics } = parseProfile(FILE, text);
  assert.deepEqual(diagnostics, []);
  assert.equal(profile.dnsServiceIP, 'fd00:43::a');
  assert.deepEqual(
    profile.nodes.map((n) => [n.name, n.podCIDR, n.overlayIP, n.bridgeIP]),
    [
      ['v6a', 'fd00:42::/64', 'fd00:42::', 'fd00:42::1'],
      ['v6b', 'fd00:42:0:1::/64', 'fd00:42:0:1::', 'fd00:42:0:1::1'],
    ],
  );
  // End to end: a pod pinned to v6b gets an IPv6 address of v6b's block, never ::0 or ::1.
  const m = modelOf({
    [FILE]: text,
    'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  nodeName: v6b\n  containers: [{name: web, image: nginx}]\n',
  });
  const ip = m.index.podById.get('default/web')!.ip!;
  assert.match(ip, /^fd00:42:0:1:/);
  assert.notEqual(ip, 'fd00:42:0:1::');
  assert.notEqual(ip, 'fd00:42:0:1::1');
  assert.equal(m.index.podByIp.get(ip)?.id, 'default/web');
});

test('CL-1: editor settings as a plain object override the defaults field by field', () => {
  const { profile, diagnostics } = profileFromSettings({
    clusterDomain: 'k8s.local',
    serviceCIDR: '10.96.0.0/12',
    nodes: [{ name: 'kind-control-plane', internalIP: '172.18.0.2', podCIDR: '10.42.0.0/24' }],
    kubeletMaxPods: '110', // a string where a number belongs
  });
  assert.equal(profile.clusterDomain, 'k8s.local');
  assert.equal(profile.serviceCIDR, '10.96.0.0/12');
  assert.equal(profile.dnsServiceIP, '10.96.0.10'); // follows serviceCIDR when not given
  assert.equal(profile.podCIDR, '10.42.0.0/16');
  assert.deepEqual(
    profile.nodes.map((n) => [n.name, n.overlayIP, n.bridgeIP]),
    [['kind-control-plane', '10.42.0.0', '10.42.0.1']],
  );
  assert.equal(profile.kubeletMaxPods, 110);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.file]),
    [['invalid-field', 'netpath settings']],
  );
  // Settings may also hold the profile's YAML text; nothing at all means the defaults.
  assert.equal(profileFromSettings('clusterDomain: x.y\n').profile.clusterDomain, 'x.y');
  assert.deepEqual(profileFromSettings(undefined).profile, defaultProfile());
});
