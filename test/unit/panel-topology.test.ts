// Unit tests (webview layer, pure parts): the trace panel's picture (media/src/topology.ts), its one-line verdict
// and candidate groups (media/src/summary.ts), issue 11. The paths are written by hand in the shape of
// `netpath trace --json`: a NodePort from outside (TR-5: DNAT and masquerade on the entry node, VXLAN to the
// endpoint's node, TR-2) and a policy denial (NP-5); expected pictures are derived from them by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HopSubject, TraceHop, TraceNode, TracePath } from '../../shared/trace';
import { anchorKey, fitName, layout, sceneOf, wideWidth } from '../../media/src/topology';
import { groupCandidates, hostOf, summaryLine } from '../../media/src/summary';

const node = (id: string): HopSubject => ({ kind: 'node', id, node: id });
const pod = (id: string, on: string): HopSubject => ({ kind: 'pod', id, node: on });
const host = (id: string): HopSubject => ({ kind: 'host', id });
function hop(action: TraceHop['action'], subject: HopSubject, iface: string, src: string, dst: string, extra: Partial<TraceHop> = {}): TraceHop {
  const at = subject.kind === 'host' ? `host:${subject.id}` : `${subject.kind}:${subject.id}`;
  return { at, iface, action, src, dst, note: '', rule: 'TR-5', subject, ...extra };
}

const NODES: TraceNode[] = [
  { name: 'node1', internalIP: '10.0.0.1', podCIDR: '10.42.0.0/24', overlayIP: '10.42.0.0', bridgeIP: '10.42.0.1' },
  { name: 'node2', internalIP: '10.0.0.2', podCIDR: '10.42.1.0/24', overlayIP: '10.42.1.0', bridgeIP: '10.42.1.1' },
];
const REDIS = 'default/redis-84d9cf6d4d-4bmhd';

/** 10.0.0.3 → node1's NodePort 31017 → redis on node2 (the seed's example, TR-5). */
const NODEPORT: TracePath = {
  endpoint: REDIS,
  verdict: 'delivered',
  reason: null,
  entry: 'node1',
  hops: [
    hop('send', host('10.0.0.3'), 'eth0', '10.0.0.3:49152', '10.0.0.1:31017'),
    hop('route', host('10.0.0.3'), 'eth0', '10.0.0.3:49152', '10.0.0.1:31017'),
    hop('DNAT', node('node1'), 'eth0', '10.0.0.3:49152', '10.42.1.219:6379'),
    hop('SNAT', node('node1'), 'flannel.1', '10.42.0.0:49152', '10.42.1.219:6379'),
    hop('route', node('node1'), 'flannel.1', '10.42.0.0:49152', '10.42.1.219:6379'),
    hop('encap', node('node1'), 'eth0', '10.42.0.0:49152', '10.42.1.219:6379'),
    hop('decap', node('node2'), 'flannel.1', '10.42.0.0:49152', '10.42.1.219:6379'),
    hop('route', node('node2'), 'cni0', '10.42.0.0:49152', '10.42.1.219:6379'),
    hop('deliver', pod(REDIS, 'node2'), 'eth0', '10.42.0.0:49152', '10.42.1.219:6379'),
  ],
  reply: [
    hop('send', pod(REDIS, 'node2'), 'eth0', '10.42.1.219:6379', '10.42.0.0:49152'),
    hop('route', node('node2'), 'flannel.1', '10.42.1.219:6379', '10.42.0.0:49152'),
    hop('encap', node('node2'), 'eth0', '10.42.1.219:6379', '10.42.0.0:49152'),
    hop('decap', node('node1'), 'flannel.1', '10.42.1.219:6379', '10.42.0.0:49152'),
    hop('DNAT', node('node1'), 'flannel.1', '10.42.1.219:6379', '10.0.0.3:49152'),
    hop('SNAT', node('node1'), 'eth0', '10.0.0.1:31017', '10.0.0.3:49152'),
    hop('route', node('node1'), 'eth0', '10.0.0.1:31017', '10.0.0.3:49152'),
    hop('deliver', host('10.0.0.3'), 'eth0', '10.0.0.1:31017', '10.0.0.3:49152'),
  ],
};

/** client/curl on node1 → quarantine/suspect on node2, whose ingress no policy rule admits (NP-5). */
const DENIED: TracePath = {
  endpoint: 'quarantine/suspect',
  verdict: 'dropped',
  reason: 'policy-denied',
  hops: [
    hop('send', pod('client/curl', 'node1'), 'eth0', '10.42.0.119:49152', '10.42.1.217:80'),
    hop('route', node('node1'), 'veth', '10.42.0.119:49152', '10.42.1.217:80'),
    hop('route', node('node1'), 'flannel.1', '10.42.0.119:49152', '10.42.1.217:80'),
    hop('encap', node('node1'), 'eth0', '10.42.0.119:49152', '10.42.1.217:80'),
    hop('decap', node('node2'), 'flannel.1', '10.42.0.119:49152', '10.42.1.217:80'),
    hop('route', node('node2'), 'cni0', '10.42.0.119:49152', '10.42.1.217:80'),
    hop('policy', pod('quarantine/suspect', 'node2'), 'eth0', '10.42.0.119:49152', '10.42.1.217:80', {
      rule: 'quarantine/deny',
      policies: ['quarantine/deny'],
    }),
    hop('drop', node('node2'), 'veth', '10.42.0.119:49152', '10.42.1.217:80', { rule: 'NP-5', policies: ['quarantine/deny'] }),
  ],
};

const iface = (n: string, i: 'eth0' | 'flannel.1' | 'cni0') => anchorKey({ kind: 'iface', node: n, iface: i });
const podKey = (id: string) => anchorKey({ kind: 'pod', node: '', id, controller: false });
const client = anchorKey({ kind: 'outside', id: '10.0.0.3', what: 'host' });

test('TR-5, TR-2: the NodePort picture — client into node1 eth0 (DNAT), eth0 → flannel.1 (SNAT), VXLAN to node2, its bridge, the pod', () => {
  const s = sceneOf(NODEPORT, NODES, false);
  assert.deepEqual(s.nodes, ['node1', 'node2']);
  assert.deepEqual(
    s.moves.map((m) => [m.hop, m.from, m.to, m.rewrites.map((r) => `${r.kind} ${r.old} → ${r.new}`), m.vxlan ? `${m.vxlan.from}→${m.vxlan.to}` : '']),
    [
      [3, client, iface('node1', 'eth0'), ['DNAT 10.0.0.1:31017 → 10.42.1.219:6379'], ''],
      [4, iface('node1', 'eth0'), iface('node1', 'flannel.1'), ['SNAT 10.0.0.3:49152 → 10.42.0.0:49152'], ''],
      // route (5) and encap (6) happen at flannel.1, the VXLAN device: no move until the decap on node2.
      [7, iface('node1', 'flannel.1'), iface('node2', 'flannel.1'), [], 'node1→node2'],
      [8, iface('node2', 'flannel.1'), iface('node2', 'cni0'), [], ''],
      [9, iface('node2', 'cni0'), podKey(REDIS), [], ''],
    ],
  );
});

test("TR-5: on the reply, conntrack's rewrites are labelled as un-NAT on the arrows that carry them", () => {
  const s = sceneOf(NODEPORT, NODES, true);
  const reply = s.moves.filter((m) => m.reply);
  assert.deepEqual(
    reply.map((m) => [m.hop, m.from, m.to, m.rewrites.map((r) => `${r.kind} ${r.old} → ${r.new}`)]),
    [
      [2, podKey(REDIS), iface('node2', 'flannel.1'), []],
      [4, iface('node2', 'flannel.1'), iface('node1', 'flannel.1'), []],
      // The un-SNAT (hop 5) happens where the reply comes out of the VXLAN device, with no move of its own: it
      // labels the next move, toward eth0, where the un-DNAT (hop 6) happens on the way out to the client, as the
      // forward SNAT labels the move into the interface it leaves by.
      [6, iface('node1', 'flannel.1'), iface('node1', 'eth0'), ['un-SNAT 10.42.0.0:49152 → 10.0.0.3:49152', 'un-DNAT 10.42.1.219:6379 → 10.0.0.1:31017']],
      [8, iface('node1', 'eth0'), client, []],
    ],
  );
});

test('NP-5: a denied path draws the blocked last step into the pod, the drop there with the policy, and the check as a denial', () => {
  const s = sceneOf(DENIED, NODES, false);
  const last = s.moves[s.moves.length - 1]!;
  assert.deepEqual([last.hop, last.from, last.to, last.dropped], [8, iface('node2', 'cni0'), podKey('quarantine/suspect'), true]);
  assert.deepEqual(s.drop, { anchor: podKey('quarantine/suspect'), hop: 8, why: 'denied by NetworkPolicy quarantine/deny' });
  assert.deepEqual(s.checks, [{ anchor: podKey('quarantine/suspect'), hop: 7, allowed: false, policies: ['quarantine/deny'] }]);
});

test('the picture is left to right when the panel is wide enough, stacked when narrower, and never wider than the panel', () => {
  const s = sceneOf(NODEPORT, NODES, true);
  // 8 + client 140 + gap 140 + two nodes of (170 slots + 190 channel + 2 × 8) with a 140 gap between + 8.
  assert.equal(wideWidth(s), 8 + 140 + 140 + 2 * (170 + 190 + 16) + 140 + 8);
  for (const [width, orientation] of [
    [1400, 'wide'],
    [1187, 'narrow'],
    [320, 'narrow'],
  ] as const) {
    const lay = layout(s, NODES, width);
    assert.equal(lay.orientation, orientation, `${width}`);
    assert.equal(lay.width, width, `${width}: nothing sticks out to the right`);
    for (const b of lay.boxes) assert.ok(b.x >= 0 && b.x + b.w <= width, `${width}: ${b.key} inside`);
    for (const a of lay.arrows) {
      if (a.label) assert.ok(a.label.x + a.label.w <= width + 3, `${width}: label of hop ${a.hop} inside`);
    }
  }
});

test('numbers and labels never cover one another, wide or stacked (two arrows between the same places included)', () => {
  for (const path of [NODEPORT, DENIED]) {
    for (const width of [320, 700, 1400]) {
      const lay = layout(sceneOf(path, NODES, true), NODES, width);
      const badges = lay.arrows.map((a) => a.badge);
      badges.forEach((b, i) => badges.slice(i + 1).forEach((c) => assert.ok(Math.hypot(b[0] - c[0], b[1] - c[1]) >= 16, `${width}: badges at ${b} and ${c}`)));
      const labels = lay.arrows.flatMap((a) => (a.label ? [a.label] : []));
      labels.forEach((l, i) =>
        labels.slice(i + 1).forEach((m) => {
          const apart = l.x + l.w <= m.x || m.x + m.w <= l.x || l.y + l.lines.length * 16 <= m.y || m.y + m.lines.length * 16 <= l.y;
          assert.ok(apart, `${width}: labels ${l.lines[0]} and ${m.lines[0]} overlap`);
        }),
      );
    }
  }
});

test('rewrites are labelled old → new on their arrow, over three lines when two do not fit the gap', () => {
  const lay = layout(sceneOf(NODEPORT, NODES, false), NODES, 1400);
  const dnat = lay.arrows.find((a) => a.hop === 3);
  // The gap holds 18 characters: `DNAT 10.0.0.1:31017` (19) does not fit on one line.
  assert.deepEqual(dnat?.label?.lines, ['DNAT', '10.0.0.1:31017', '→ 10.42.1.219:6379']);
  assert.equal(dnat?.label?.title, 'DNAT 10.0.0.1:31017 → 10.42.1.219:6379');
  const vxlan = lay.arrows.find((a) => a.hop === 7);
  assert.deepEqual([vxlan?.vxlan, vxlan?.label?.lines], [true, ['VXLAN node1→node2']]);
  // Interface chips carry their addresses (CL-3); the pod its short name, the whole id in the title.
  const chip = lay.boxes.find((b) => b.key === iface('node1', 'flannel.1'));
  assert.deepEqual([chip?.lines, chip?.idle], [['flannel.1 10.42.0.0'], false]);
  assert.equal(lay.boxes.find((b) => b.key === iface('node1', 'cni0'))?.idle, true, 'node1 cni0 is not on this path');
  // A slot of 170 px holds 21 characters of 7.2 px (after 12 px of padding): the 22 of the name do not fit.
  const redis = lay.boxes.find((b) => b.key === podKey(REDIS));
  assert.deepEqual([redis?.lines, redis?.title], [['redis-…-4bmhd', 'default'], `pod ${REDIS}`]);
});

test('long names are shortened in the middle: whole segments of a generated pod name first, else characters', () => {
  assert.equal(fitName('redis-84d9cf6d4d-4bmhd', 22), 'redis-84d9cf6d4d-4bmhd');
  assert.equal(fitName('redis-84d9cf6d4d-4bmhd', 14), 'redis-…-4bmhd');
  assert.equal(fitName('abcdefghij', 5), 'ab…ij');
  // `ingress-…-j87vh` is 15: too long for 10, so 5 characters before the ellipsis and 4 after.
  assert.equal(fitName('ingress-nginx-controller-j87vh', 10), 'ingre…87vh');
});

test("the one-line verdict: sender, where it went, every rewrite and the tunnel (issue 11's own example)", () => {
  assert.equal(summaryLine(NODEPORT), 'delivered · 10.0.0.3 → 10.0.0.1:31017 → DNAT 10.42.1.219:6379 · SNAT 10.42.0.0 · VXLAN node1→node2');
  assert.equal(summaryLine(DENIED), 'dropped (policy-denied) · 10.42.0.119 → 10.42.1.217:80 · VXLAN node1→node2 · denied by quarantine/deny');
  assert.deepEqual([hostOf('10.0.0.3:49152'), hostOf('[fd00::1]:80'), hostOf('fd00::1'), hostOf('10.0.0.3')], ['10.0.0.3', 'fd00::1', 'fd00::1', '10.0.0.3']);
});

test('candidates are grouped by entry node, one row per endpoint with its node; past a handful the rest is a count; drops say why', () => {
  const on = (entry: string, name: string, n: string, verdict: 'delivered' | 'dropped' = 'delivered'): TracePath => ({
    endpoint: `default/${name}`,
    verdict,
    reason: verdict === 'dropped' ? 'policy-denied' : null,
    entry,
    hops: [
      verdict === 'delivered'
        ? hop('deliver', pod(`default/${name}`, n), 'eth0', 'a', 'b')
        : hop('drop', node(n), 'veth', 'a', 'b', { policies: ['default/deny'] }),
    ],
  });
  const paths = [
    ...['a', 'b', 'c', 'd', 'e', 'f'].map((x) => on('node1', `redis-84d9cf6d4d-${x}xxxx`, 'node2')),
    on('node1', 'redis-84d9cf6d4d-gxxxx', 'node2', 'dropped'),
    on('node2', 'redis-84d9cf6d4d-axxxx', 'node2'),
  ];
  const groups = groupCandidates(paths, 5, new Set(), 0, 14);
  assert.deepEqual(
    groups.map((g) => [g.entry, g.items.length, g.hidden]),
    [
      ['node1', 5, 2],
      ['node2', 1, 0],
    ],
  );
  assert.deepEqual(groups[0]!.items[0], {
    index: 0,
    label: 'redis-…-axxxx @node2',
    title: 'via node1 → default/redis-84d9cf6d4d-axxxx on node2',
    verdict: 'delivered',
  });
  // Selecting a hidden one (or expanding the group) shows the whole group; the drop says why.
  const open = groupCandidates(paths, 5, new Set(), 6, 14);
  assert.deepEqual(
    [open[0]!.items.length, open[0]!.hidden, open[0]!.items[6]?.why, open[0]!.items[6]?.label],
    [7, 0, 'policy-denied by default/deny', 'redis-…-gxxxx'],
  );
  assert.equal(groupCandidates(paths, 5, new Set(['node1']), 0, 14)[0]!.hidden, 0);
});

test('TR-8: the ingress controller is one box, a pod on its node, whether a hop names the pod or the ingress controller', () => {
  const ctrl = 'ingress-nginx/ingress-nginx-controller';
  const path: TracePath = {
    endpoint: 'shop/web',
    verdict: 'delivered',
    reason: null,
    hops: [
      hop('send', host('10.0.0.3'), 'eth0', '10.0.0.3:49152', '10.0.0.1:80'),
      hop('DNAT', node('node1'), 'eth0', '10.0.0.3:49152', '10.42.0.171:80'),
      hop('route', node('node1'), 'cni0', '10.0.0.3:49152', '10.42.0.171:80'),
      hop('deliver', pod(ctrl, 'node1'), 'eth0', '10.0.0.3:49152', '10.42.0.171:80'),
      hop('proxy', { kind: 'ingress-controller', id: ctrl, node: 'node1' }, 'eth0', '10.42.0.171:49152', '10.43.0.20:80'),
      hop('send', pod(ctrl, 'node1'), 'eth0', '10.42.0.171:49152', '10.43.0.20:80'),
    ],
  };
  const s = sceneOf(path, NODES, false);
  assert.deepEqual(
    [...s.anchors.values()].filter((a) => a.kind === 'pod'),
    [{ kind: 'pod', node: 'node1', id: ctrl, controller: true }],
  );
  const boxes = layout(s, NODES, 1400).boxes.filter((b) => b.cls === 'pod' || b.cls === 'controller');
  assert.deepEqual(
    boxes.map((b) => [b.cls, b.lines[1]]),
    [['controller', 'ingress controller']],
  );
});

test('NP-5: the drop note sits inside the box of the node that dropped the packet, wide or stacked', () => {
  for (const width of [320, 1400]) {
    const lay = layout(sceneOf(DENIED, NODES, false), NODES, width);
    const box = lay.boxes.find((b) => b.key === 'node|node2')!;
    const d = lay.drop!;
    assert.deepEqual(d.lines.slice(0, 1), ['8 ✗ dropped']);
    assert.ok(d.y + d.lines.length * 16 <= box.y + box.h, `${width}: note ends at ${d.y + d.lines.length * 16}, box at ${box.y + box.h}`);
  }
});

test("GW-6: a Gateway proxying in a pod of the files is that pod's box, marked as the Gateway's proxy (not a second box)", () => {
  const gwPod = 'infra/gw-proxy-abcde';
  const path: TracePath = {
    endpoint: 'shop/web',
    verdict: 'delivered',
    reason: null,
    hops: [
      hop('send', host('10.0.0.3'), 'eth0', '10.0.0.3:49152', '10.42.0.9:80'),
      hop('route', node('node1'), 'cni0', '10.0.0.3:49152', '10.42.0.9:80'),
      hop('deliver', pod(gwPod, 'node1'), 'eth0', '10.0.0.3:49152', '10.42.0.9:80'),
      hop('proxy', { kind: 'gateway', id: 'infra/gw', node: 'node1' }, 'eth0', '10.42.0.9:49152', '10.42.1.7:8080'),
      hop('route', node('node1'), 'flannel.1', '10.42.0.9:49152', '10.42.1.7:8080'),
    ],
  };
  const s = sceneOf(path, NODES, false);
  assert.deepEqual(
    [...s.anchors.values()].filter((a) => a.kind === 'pod'),
    [{ kind: 'pod', node: 'node1', id: gwPod, controller: true, gateway: 'infra/gw' }],
  );
  // The packet leaves the gateway pod for flannel.1: the move starts at the pod.
  assert.deepEqual(
    s.moves.map((m) => [m.hop, m.from, m.to]),
    [
      [2, client, iface('node1', 'cni0')],
      [3, iface('node1', 'cni0'), podKey(gwPod)],
      [5, podKey(gwPod), iface('node1', 'flannel.1')],
    ],
  );
  const box = layout(s, NODES, 1400).boxes.find((b) => b.cls === 'controller');
  assert.deepEqual([box?.lines, box?.title], [['gw-proxy-abcde', 'gateway infra/gw'], `pod ${gwPod} (proxy of Gateway infra/gw)`]);
});
