// Unit tests: the CLI's argument parsing and text formatting, in-process (no model). Must not import vscode or LSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, splitQuery } from '../../server/src/cli/args';
import { UsageError } from '../../server/src/cli/errors';
import { checkPort } from '../../server/src/cli/commands/port';
import { traceText, reachText, dnsText, ingressText, connectivityText } from '../../server/src/cli/format-answers';
import type { TraceHop, TraceResult } from '../../server/src/cli/model-api';

test('args: options anywhere, --opt=value, -- ends options, query before paths', () => {
  const p = parseArgs(['dns', '--from=pod:client/curl', 'redis.default', 'examples', '--json', '--type', 'srv']);
  assert.equal(p.kind, 'run');
  if (p.kind !== 'run') return;
  assert.equal(p.args.from, 'pod:client/curl');
  assert.equal(p.args.type, 'srv');
  assert.equal(p.args.json, true);
  assert.deepEqual(splitQuery(p.args), { query: 'redis.default', paths: ['examples'] });
  const d = parseArgs(['check', '--', '--weird-folder']);
  assert.ok(d.kind === 'run' && d.args.positionals[0] === '--weird-folder');
  const dflt = parseArgs(['connectivity']);
  assert.ok(dflt.kind === 'run' && splitQuery(dflt.args).paths[0] === '.', 'default PATH is .');
  assert.throws(() => parseArgs(['check', '--from', 'x']), UsageError);
  assert.throws(() => parseArgs(['reach', '--from', 'a', '--from', 'b', '--to', 'c']), /twice/);
  assert.throws(() => parseArgs(['resolve', '--json=yes']), UsageError);
});

test('--port: PROTO/PORT, a bare number is TCP, names allowed, range checked', () => {
  assert.equal(checkPort('80'), 'TCP/80');
  assert.equal(checkPort('udp/53'), 'UDP/53');
  assert.equal(checkPort('TCP/http'), 'TCP/http');
  assert.equal(checkPort(undefined), undefined);
  assert.throws(() => checkPort('TCP/0'), UsageError);
  assert.throws(() => checkPort('ICMP/1'), UsageError);
});

// The text format prints `at`; the subject (the same place as fields) is only filled in to be a whole hop.
const hop = (action: TraceHop['action'], src: string, dst: string, at: `${'host' | 'node' | 'pod'}:${string}`, rule: string, note = ''): TraceHop => {
  const [kind, id] = [at.slice(0, at.indexOf(':')) as 'host' | 'node' | 'pod', at.slice(at.indexOf(':') + 1)];
  return { at, iface: 'eth0', action, src, dst, note, rule, subject: { kind, id } };
};

test('trace text: a hop table within 80 columns, every hop with its packet and rule', () => {
  const t: TraceResult = {
    from: 'host:10.0.0.3',
    to: 'ip:10.0.0.1:31017',
    verdict: 'delivered',
    reason: null,
    paths: [
      {
        endpoint: 'default/redis-5d7f8b9c4d-x2k7q',
        verdict: 'delivered',
        reason: null,
        hops: [
          hop('send', '10.0.0.3:40000', '10.0.0.1:31017', 'host:10.0.0.3', 'TR-5'),
          hop(
            'DNAT',
            '10.0.0.3:40000',
            '10.42.1.7:6379',
            'node:node1',
            'TR-5',
            'kube-proxy: NodePort 31017 of Service default/redis-nodeport picks endpoint default/redis-5d7f8b9c4d-x2k7q on node2, a remote node',
          ),
          hop('SNAT', '10.42.0.0:40000', '10.42.1.7:6379', 'node:node1', 'TR-5', 'masquerade'),
          hop('deliver', '10.42.0.0:40000', '10.42.1.7:6379', 'pod:default/redis-5d7f8b9c4d-x2k7q', 'TR-2'),
        ],
        reply: [
          hop('send', '10.42.1.7:6379', '10.42.0.0:40000', 'pod:default/redis-5d7f8b9c4d-x2k7q', 'TR-5'),
          hop('deliver', '10.0.0.1:31017', '10.0.0.3:40000', 'host:10.0.0.3', 'TR-5'),
        ],
      },
    ],
  };
  const lines = traceText(t);
  for (const l of lines) assert.ok(l.length <= 80, `too wide (${l.length}): ${l}`);
  const text = lines.join('\n');
  assert.match(text, /^host:10\.0\.0\.3 -> ip:10\.0\.0\.1:31017: delivered$/m);
  assert.match(text, /^ {3}2 {2}DNAT {6}10\.0\.0\.3:40000 -> 10\.42\.1\.7:6379 +TR-5$/m);
  assert.match(text, /^ {16}at node:node1 \(eth0\) - kube-proxy: NodePort 31017/m);
  assert.match(text, /^ {2}reply$/m);
  assert.match(text, /10\.0\.0\.1:31017 -> 10\.0\.0\.3:40000/);
});

test('reach, dns, ingress, connectivity text', () => {
  const reach = reachText({
    from: 'pod:secure/nginx',
    to: 'svc:secure/redis:6379',
    port: 'TCP/6379',
    allowed: false,
    egress: { allowed: false, policies: ['secure/test'] },
    ingress: { allowed: true, policies: ['secure/test'] },
    endpoints: [{ pod: 'secure/redis-69879dddbb-n7spp', ip: '10.42.0.107', port: 6379, allowed: false }],
  }).join('\n');
  assert.match(reach, /^DENIED pod:secure\/nginx -> svc:secure\/redis:6379 \(TCP\/6379\)$/m);
  assert.match(reach, /egress {3}DENIED {2}by secure\/test/);
  assert.match(reach, /10\.42\.0\.107:6379 +DENIED/);
  const nx = dnsText({
    query: 'redis',
    type: 'A',
    from: 'pod:client/curl',
    resolvedAs: null,
    rcode: 'NXDOMAIN',
    answers: [],
    tried: ['redis.client.svc.cluster.local'],
  });
  assert.deepEqual(nx, ['redis (A, from pod:client/curl): NXDOMAIN', '  tried redis.client.svc.cluster.local']);
  const name = '_sentinel._tcp.redis.default.svc.cluster.local';
  const srv = dnsText({
    query: name,
    type: 'SRV',
    from: null,
    resolvedAs: name,
    rcode: 'NOERROR',
    answers: [{ name, type: 'SRV', data: '0 100 26379 redis.default.svc.cluster.local' }],
    tried: [name],
  });
  for (const l of srv) assert.ok(l.length <= 80, `too wide: ${l}`);
  assert.ok(srv.includes('    SRV  0 100 26379 redis.default.svc.cluster.local'), srv.join('\n'));
  const none = ingressText({
    url: 'http://x/',
    ingress: null,
    rule: null,
    host: null,
    path: null,
    pathType: null,
    via: null,
    backend: null,
    servicePort: null,
    backendResolvable: false,
  });
  assert.match(none[0] ?? '', /no Ingress matches/);
  assert.deepEqual(connectivityText([{ src: 'client/curl', dst: 'secure/redis', ports: ['TCP/6379'] }]), ['client/curl => secure/redis : TCP/6379']);
});
