// Unit tests: NetworkPolicy (NP-1..6). Expectations come from the Kubernetes NetworkPolicy docs (the
// "Behavior of to and from selectors" section, default policies, endPort) and the shape of the
// upstream e2e truth tables (who may reach whom on which port), worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectivity, evaluate, reach, type Model } from '../../server/src/model/index';
import { codes, modelOf } from '../support/model';

function ns(name: string, labels: Record<string, string> = {}): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;
}

/** A bare pod; ports as `name:number[/UDP]` or `number`. */
function pod(name: string, namespace: string, labels: Record<string, string>, ports: string[] = [], extra = ''): string {
  const list = ports.map((p) => {
    const [a, b] = p.includes(':') ? p.split(':') : [undefined, p];
    const [num, proto] = b!.split('/');
    return `      - {${a ? `name: ${a}, ` : ''}containerPort: ${num}${proto ? `, protocol: ${proto}` : ''}}`;
  });
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: ${JSON.stringify(labels)}\nspec:\n${extra}  containers:\n  - name: c\n    image: x\n${list.length ? `    ports:\n${list.join('\n')}\n` : ''}`;
}

function policy(name: string, namespace: string, body: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${body}`;
}

const P = (m: Model, id: string) => {
  const p = m.pods.find((x) => x.id === id);
  assert.ok(p, `pod ${id} exists`);
  return p;
};
const can = (m: Model, from: string, to: string, port?: number, proto: 'TCP' | 'UDP' = 'TCP') => evaluate(m, P(m, from), P(m, to), proto, port).allowed;

test('NP-1: without policies everything is allowed; a pod always reaches itself', () => {
  const m = modelOf({ 'p.yaml': [pod('a', 'default', { app: 'a' }, ['80']), pod('b', 'default', { app: 'b' }, ['80'])].join('---\n') });
  assert.equal(can(m, 'default/a', 'default/b', 80), true);
  const v = evaluate(m, P(m, 'default/a'), P(m, 'default/b'), 'TCP', 80);
  assert.deepEqual([v.egress.policies, v.ingress.policies], [[], []]);
});

test('NP-2: deny-all ingress (type without rules), allow-all (`- {}`), and the seed policies', () => {
  const pods = [pod('a', 'default', { app: 'a' }, ['80']), pod('b', 'default', { app: 'b' }, ['80'])].join('---\n');
  const deny = modelOf({ 'p.yaml': pods, 'n.yaml': policy('ingress-allow-none', 'default', '  podSelector: {}\n  policyTypes: [Ingress]\n') });
  assert.equal(can(deny, 'default/a', 'default/b', 80), false);
  const v = evaluate(deny, P(deny, 'default/a'), P(deny, 'default/b'), 'TCP', 80);
  assert.deepEqual(v.ingress, { allowed: false, isolated: true, policies: ['default/ingress-allow-none'] });
  assert.equal(v.egress.allowed, true, 'an Ingress-only policy leaves egress alone');
  const allow = modelOf({
    'p.yaml': pods,
    'n.yaml': policy('ingress-allow-all', 'default', '  podSelector: {}\n  ingress:\n  - {}\n  policyTypes: [Ingress]\n'),
  });
  assert.equal(can(allow, 'default/a', 'default/b', 12345), true);
  assert.deepEqual(evaluate(allow, P(allow, 'default/a'), P(allow, 'default/b'), 'TCP', 80).ingress.policies, ['default/ingress-allow-all']);
});

test('NP-2: policyTypes defaults to [Ingress] plus Egress when egress is written: an egress-only policy also isolates ingress', () => {
  const m = modelOf({
    'p.yaml': [pod('a', 'default', { app: 'a' }, ['80']), pod('b', 'default', { app: 'b' }, ['80'])].join('---\n'),
    'n.yaml': policy('egress-only', 'default', '  podSelector: {matchLabels: {app: b}}\n  egress:\n  - {}\n'),
  });
  assert.deepEqual(m.networkPolicies[0]?.policyTypes, ['Ingress', 'Egress']);
  assert.deepEqual(m.networkPolicies[0]?.selects, ['default/b']);
  assert.equal(can(m, 'default/a', 'default/b', 80), false, 'ingress to b denied: Ingress type with no ingress rules');
  assert.equal(can(m, 'default/b', 'default/a', 80), true, 'egress of b: the `{}` rule allows everything');
  const ingressOnly = modelOf({ 'n.yaml': policy('x', 'default', '  podSelector: {}\n  ingress:\n  - {}\n') });
  assert.deepEqual(ingressOnly.networkPolicies[0]?.policyTypes, ['Ingress']);
});

test('NP-3: namespaceSelector AND podSelector in one peer vs two peers OR-ed (docs "Behavior of to and from selectors")', () => {
  const base = [
    ns('client', { user: 'alice' }),
    ns('other', {}),
    pod('db', 'default', { role: 'db' }, ['5432']),
    pod('alice-client', 'client', { role: 'client' }),
    pod('alice-web', 'client', { role: 'web' }),
    pod('other-client', 'other', { role: 'client' }),
    pod('local-client', 'default', { role: 'client' }),
  ].join('---\n');
  const and = modelOf({
    'b.yaml': base,
    'n.yaml': policy(
      'and',
      'default',
      '  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {user: alice}}\n      podSelector: {matchLabels: {role: client}}\n',
    ),
  });
  assert.equal(can(and, 'client/alice-client', 'default/db', 5432), true);
  assert.equal(can(and, 'client/alice-web', 'default/db', 5432), false, 'right namespace, wrong pod labels');
  assert.equal(can(and, 'other/other-client', 'default/db', 5432), false, 'right pod labels, wrong namespace');
  assert.equal(can(and, 'default/local-client', 'default/db', 5432), false);
  const or = modelOf({
    'b.yaml': base,
    'n.yaml': policy(
      'or',
      'default',
      '  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {user: alice}}\n    - podSelector: {matchLabels: {role: client}}\n',
    ),
  });
  assert.equal(can(or, 'client/alice-web', 'default/db', 5432), true, 'any pod of an alice namespace');
  assert.equal(can(or, 'default/local-client', 'default/db', 5432), true, "podSelector alone: the policy's own namespace");
  assert.equal(can(or, 'other/other-client', 'default/db', 5432), false, 'podSelector alone never reaches into another namespace');
});

test('NP-3: the implicit kubernetes.io/metadata.name label selects a namespace by name', () => {
  const m = modelOf({
    'b.yaml': [ns('monitoring'), pod('db', 'default', { role: 'db' }, ['5432']), pod('prom', 'monitoring', {}), pod('x', 'kube-system', {})].join('---\n'),
    'n.yaml': policy(
      'by-name',
      'default',
      '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}\n',
    ),
  });
  assert.equal(can(m, 'monitoring/prom', 'default/db', 5432), true);
  assert.equal(can(m, 'kube-system/x', 'default/db', 5432), false);
});

test('NP-3: ipBlock with except matches addresses, including pod addresses, and never by label', () => {
  const m = modelOf({
    'b.yaml': [
      pod('db', 'default', { role: 'db' }, ['6379'], '  nodeName: node1\n'),
      pod('on-node1', 'default', { role: 'db' }, [], '  nodeName: node1\n'),
      pod('on-node2', 'default', { role: 'db' }, [], '  nodeName: node2\n'),
    ].join('---\n'),
    // The seed's peer: pods on node1 (10.42.0.0/24) match, pods on node2 (10.42.1.0/24) are excepted.
    'n.yaml': policy(
      'ipb',
      'default',
      '  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.42.0.0/16, except: [10.42.1.0/24]}\n',
    ),
  });
  assert.equal(can(m, 'default/on-node1', 'default/db', 6379), true);
  assert.equal(can(m, 'default/on-node2', 'default/db', 6379), false, 'excepted range, even with matching labels');
  assert.equal(evaluate(m, '10.42.7.9', P(m, 'default/db'), 'TCP', 6379).allowed, true);
  assert.equal(evaluate(m, '10.0.0.3', P(m, 'default/db'), 'TCP', 6379).allowed, false, 'node3 is outside the block');
});

test('NP-4: named ports resolve on each destination pod with its protocol; endPort is inclusive; protocol defaults to TCP', () => {
  const m = modelOf({
    'b.yaml': [
      pod('web1', 'default', { app: 'web' }, ['http:8080', 'dns:53/UDP']),
      pod('web2', 'default', { app: 'web' }, ['http:9090']),
      pod('c', 'default', { app: 'c' }),
    ].join('---\n'),
    'n.yaml': policy(
      'ports',
      'default',
      '  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - ports:\n    - port: http\n    - {protocol: UDP, port: dns}\n    - {port: 32000, endPort: 32768}\n',
    ),
  });
  assert.equal(can(m, 'default/c', 'default/web1', 8080), true);
  assert.equal(can(m, 'default/c', 'default/web1', 9090), false);
  assert.equal(can(m, 'default/c', 'default/web2', 9090), true, 'the same name means 9090 on web2');
  assert.equal(can(m, 'default/c', 'default/web1', 53, 'UDP'), true);
  assert.equal(can(m, 'default/c', 'default/web1', 53, 'TCP'), false, 'the name is bound to UDP on this pod');
  assert.equal(can(m, 'default/c', 'default/web1', 8080, 'UDP'), false, 'a port entry without protocol is TCP');
  assert.equal(can(m, 'default/c', 'default/web2', 32000), true);
  assert.equal(can(m, 'default/c', 'default/web2', 32768), true, 'endPort inclusive');
  assert.equal(can(m, 'default/c', 'default/web2', 32769), false);
  assert.equal(can(m, 'default/c', 'default/web2', 31999), false);
});

test('NP-4: matchExpressions NotIn and DoesNotExist also select pods lacking the key', () => {
  const m = modelOf({
    'b.yaml': [
      pod('db', 'default', { role: 'db' }, ['1']),
      pod('plain', 'default', {}),
      pod('prod', 'default', { env: 'prod' }),
      pod('dev', 'default', { env: 'dev' }),
    ].join('---\n'),
    'n.yaml': policy(
      'expr',
      'default',
      '  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - from:\n    - podSelector: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}\n',
    ),
  });
  assert.equal(can(m, 'default/plain', 'default/db', 1), true);
  assert.equal(can(m, 'default/dev', 'default/db', 1), true);
  assert.equal(can(m, 'default/prod', 'default/db', 1), false);
  const dne = modelOf({
    'b.yaml': [pod('db', 'default', { role: 'db' }, ['1']), pod('plain', 'default', {}), pod('dev', 'default', { env: 'dev' })].join('---\n'),
    'n.yaml': policy(
      'expr',
      'default',
      '  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - from:\n    - podSelector: {matchExpressions: [{key: env, operator: DoesNotExist}]}\n',
    ),
  });
  assert.equal(can(dne, 'default/plain', 'default/db', 1), true);
  assert.equal(can(dne, 'default/dev', 'default/db', 1), false);
});

test("NP-5: rules are judged one by one (never one rule's peers with another's ports), policies are additive", () => {
  const m = modelOf({
    'b.yaml': [pod('srv', 'default', { app: 'srv' }, ['80', '443']), pod('a', 'default', { app: 'a' }), pod('b', 'default', { app: 'b' })].join('---\n'),
    'n.yaml': [
      policy(
        'p1',
        'default',
        '  podSelector: {matchLabels: {app: srv}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: a}}}]\n    ports: [{port: 80}]\n  - from: [{podSelector: {matchLabels: {app: b}}}]\n    ports: [{port: 443}]\n',
      ),
    ].join('---\n'),
  });
  assert.equal(can(m, 'default/a', 'default/srv', 80), true);
  assert.equal(can(m, 'default/a', 'default/srv', 443), false);
  assert.equal(can(m, 'default/b', 'default/srv', 443), true);
  assert.equal(can(m, 'default/b', 'default/srv', 80), false);
  // A second policy adds to the first.
  const more = modelOf({
    'b.yaml': [pod('srv', 'default', { app: 'srv' }, ['80', '443']), pod('a', 'default', { app: 'a' })].join('---\n'),
    'n.yaml': [
      policy(
        'p1',
        'default',
        '  podSelector: {matchLabels: {app: srv}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: a}}}]\n    ports: [{port: 80}]\n',
      ),
      policy('p2', 'default', '  podSelector: {matchLabels: {app: srv}}\n  ingress:\n  - ports: [{port: 443}]\n'),
    ].join('---\n'),
  });
  assert.equal(can(more, 'default/a', 'default/srv', 443), true);
  assert.deepEqual(evaluate(more, P(more, 'default/a'), P(more, 'default/srv'), 'TCP', 443).ingress.policies, ['default/p2']);
});

test("NP-5: egress at the source AND ingress at the destination (the examples' secure namespace)", () => {
  const m = modelOf({
    'b.yaml': [ns('secure'), pod('redis', 'secure', { 'k8s-app': 'redis' }, ['redis:6379']), pod('nginx', 'secure', { 'k8s-app': 'nginx' }, ['80'])].join(
      '---\n',
    ),
    'n.yaml': policy(
      'test',
      'secure',
      '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from: [{podSelector: {matchLabels: {k8s-app: nginx}}}]\n    ports: [{protocol: TCP, port: 6379}]\n  egress:\n  - to: [{ipBlock: {cidr: 10.0.0.0/24}}]\n',
    ),
  });
  const v = evaluate(m, P(m, 'secure/nginx'), P(m, 'secure/redis'), 'TCP', 6379);
  assert.equal(v.ingress.allowed, true, 'redis admits nginx on 6379');
  assert.equal(v.egress.allowed, false, 'nginx may only send to 10.0.0.0/24');
  assert.equal(v.allowed, false);
  assert.equal(evaluate(m, P(m, 'secure/nginx'), '10.0.0.5', 'TCP', 3306).allowed, true);
  const r = reach(m, 'pod:secure/nginx', 'pod:secure/redis', 'TCP/6379');
  assert.deepEqual(
    { allowed: r.allowed, egress: r.egress, ingress: r.ingress, port: r.port },
    {
      allowed: false,
      egress: { allowed: false, policies: ['secure/test'] },
      ingress: { allowed: true, policies: ['secure/test'] },
      port: 'TCP/6379',
    },
  );
});

test('NP-6: Service traffic is judged after DNAT, on the endpoint pod and its targetPort', () => {
  const files = (allowPort: number) => ({
    'b.yaml': [pod('api', 'default', { app: 'api' }, ['http:8080']), pod('c', 'default', { app: 'c' })].join('---\n'),
    's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: http}]\n',
    'n.yaml': policy('only', 'default', `  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - ports: [{port: ${allowPort}}]\n`),
  });
  const ok = reach(modelOf(files(8080)), 'pod:default/c', 'svc:default/api:80');
  assert.equal(ok.allowed, true);
  assert.equal(ok.endpoints.length, 1);
  assert.equal(ok.endpoints[0]?.port, 8080);
  assert.equal(ok.endpoints[0]?.pod, 'default/api');
  const no = reach(modelOf(files(80)), 'pod:default/c', 'svc:default/api:80');
  assert.equal(no.allowed, false, 'a rule for the Service port 80 does not admit traffic DNAT-ed to 8080');
  assert.deepEqual(no.ingress, { allowed: false, policies: ['default/only'], endpointsAllowed: 0 });
});

test("NP-1: hostNetwork pods are not subject to pod policies; as peers they are their node's address", () => {
  const m = modelOf({
    'b.yaml': [pod('hn', 'default', { app: 'hn' }, ['9100'], '  hostNetwork: true\n  nodeName: node1\n'), pod('c', 'default', { app: 'c' })].join('---\n'),
    'n.yaml': [
      policy('deny', 'default', '  podSelector: {}\n  policyTypes: [Ingress]\n'),
      policy(
        'from-hn',
        'default',
        '  podSelector: {matchLabels: {app: c}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: hn}}}]\n  - from: [{ipBlock: {cidr: 10.0.0.1/32}}]\n    ports: [{port: 7}]\n',
      ),
    ].join('---\n'),
  });
  assert.equal(can(m, 'default/c', 'default/hn', 9100), true, 'deny-all does not apply to a hostNetwork pod');
  assert.equal(m.networkPolicies.find((p) => p.name === 'deny')?.selects.includes('default/hn'), false);
  assert.equal(can(m, 'default/hn', 'default/c', 80), false, 'the podSelector peer does not match a hostNetwork pod');
  assert.equal(can(m, 'default/hn', 'default/c', 7), true, 'its node address 10.0.0.1 matches the ipBlock');
});

test('NP-1: a policy that selects no pod is a warning on its podSelector', () => {
  const text = policy('lonely', 'default', '  podSelector: {matchLabels: {app: ghost}}\n  policyTypes: [Ingress]\n');
  const m = modelOf({ 'n.yaml': text });
  const d = m.diagnostics.find((x) => x.code === 'networkpolicy-selects-nothing');
  assert.ok(d);
  assert.equal(d.severity, 'warning');
  assert.equal(text.slice(d.span.start, d.span.end), '{matchLabels: {app: ghost}}');
});

test('NP-6: a Service whose every endpoint is denied from everywhere gets service-unreachable-by-policy', () => {
  const base = {
    'b.yaml': pod('api', 'default', { app: 'api' }, ['8080']),
    's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n',
  };
  const denied = modelOf({ ...base, 'n.yaml': policy('deny', 'default', '  podSelector: {}\n  policyTypes: [Ingress]\n') });
  assert.ok(codes(denied).includes('service-unreachable-by-policy'));
  const wrongPort = modelOf({ ...base, 'n.yaml': policy('p', 'default', '  podSelector: {}\n  ingress:\n  - ports: [{port: 80}]\n') });
  assert.ok(codes(wrongPort).includes('service-unreachable-by-policy'), 'only the Service port is open, not the targetPort');
  const open = modelOf({ ...base, 'n.yaml': policy('p', 'default', '  podSelector: {}\n  ingress:\n  - ports: [{port: 8080}]\n') });
  assert.ok(!codes(open).includes('service-unreachable-by-policy'));
});

test('NP-6, NP-3: a label peer counts as a source only if some pod matches both its namespace and pod halves', () => {
  const base = {
    'ns.yaml': [ns('team', { team: 'a' }), ns('other')].join('---\n'),
    'b.yaml': [pod('api', 'default', { app: 'api' }, ['8080']), pod('web', 'team', { app: 'web' }), pod('job', 'other', { app: 'job' })].join('---\n'),
    's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n',
  };
  const unreachable = (from: string) =>
    codes(modelOf({ ...base, 'n.yaml': policy('p', 'default', `  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: [${from}]\n`) })).includes(
      'service-unreachable-by-policy',
    );
  assert.equal(unreachable('{namespaceSelector: {matchLabels: {team: a}}}'), false, 'team has a pod');
  assert.equal(unreachable('{namespaceSelector: {matchLabels: {team: b}}}'), true, 'no namespace has team=b');
  assert.equal(unreachable('{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: web}}}'), false);
  assert.equal(
    unreachable('{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: job}}}'),
    true,
    'app=job lives in other, not in team: both halves must hold for one pod',
  );
  assert.equal(unreachable('{podSelector: {matchLabels: {app: web}}}'), true, "without namespaceSelector only the policy's own namespace counts");
  assert.equal(unreachable('{podSelector: {matchLabels: {app: api}}}'), false, 'api itself is in default');
  assert.equal(unreachable('{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}'), false, 'the implicit name label (CL-4)');
});

test('NP-5: connectivity lists workload pairs with the intersected ports, and named ipBlocks', () => {
  const m = modelOf({
    'b.yaml': [pod('srv', 'default', { app: 'srv' }, ['6379']), pod('a', 'default', { app: 'a' }), pod('b', 'default', { app: 'b' })].join('---\n'),
    'n.yaml': [
      policy(
        'srv-in',
        'default',
        '  podSelector: {matchLabels: {app: srv}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: a}}}, {ipBlock: {cidr: 192.168.0.0/16}}]\n    ports: [{port: 6379}, {protocol: UDP, port: 5000, endPort: 5010}]\n',
      ),
      policy('b-out', 'default', '  podSelector: {matchLabels: {app: b}}\n  policyTypes: [Egress]\n  egress:\n  - ports: [{port: 53, protocol: UDP}]\n'),
    ].join('---\n'),
  });
  const c = connectivity(m);
  const find = (src: string, dst: string) => c.find((x) => x.src === src && x.dst === dst)?.ports;
  assert.deepEqual(find('default/a[Pod]', 'default/srv[Pod]'), ['TCP 6379', 'UDP 5000-5010']);
  assert.equal(find('default/b[Pod]', 'default/srv[Pod]'), undefined, 'not a peer of srv-in');
  assert.deepEqual(find('default/b[Pod]', 'default/a[Pod]'), ['UDP 53'], 'b may only send UDP 53');
  assert.equal(find('default/a[Pod]', 'default/b[Pod]'), 'All');
  assert.deepEqual(find('192.168.0.0/16', 'default/srv[Pod]'), ['TCP 6379', 'UDP 5000-5010']);
});

test('NP-3, NP-5: connectivity sees a workload whose one replica (not the first) is inside a /32 ipBlock', () => {
  const profile = 'nodes:\n  - { name: node1, internalIP: 10.0.0.1, podCIDR: 10.42.0.0/24 }\n';
  const client =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: client\n  namespace: default\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: client}}\n  template:\n    metadata:\n      labels: {app: client}\n    spec:\n      containers:\n      - name: c\n        image: x\n';
  const db = pod('db', 'default', { app: 'db' }, ['5432']);
  const base = modelOf({ 'netpath.cluster.yaml': profile, 'a.yaml': [client, db].join('---\n') });
  const replicas = base.pods.filter((p) => p.owner.name === 'client');
  assert.equal(replicas.length, 2);
  assert.equal(new Set(replicas.map((p) => p.node)).size, 1, 'both replicas on the one node');
  // IP-2: adding a policy moves no pod, so the second replica keeps this address.
  const second = replicas[1]!.ip!;
  const only = policy(
    'only-second',
    'default',
    `  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n    - ipBlock: {cidr: ${second}/32}\n    ports:\n    - port: 5432\n`,
  );
  const m = modelOf({ 'netpath.cluster.yaml': profile, 'a.yaml': [client, db, only].join('---\n') });
  assert.equal(m.pods.find((p) => p.id === replicas[1]!.id)?.ip, second);
  assert.equal(can(m, replicas[0]!.id, 'default/db', 5432), false, 'the first replica is outside the block');
  assert.equal(can(m, replicas[1]!.id, 'default/db', 5432), true);
  const c = connectivity(m).find((x) => x.src === 'default/client[Deployment]' && x.dst === 'default/db[Pod]');
  assert.deepEqual(c?.ports, ['TCP 5432']);
});
