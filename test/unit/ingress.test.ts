// Unit tests: Ingress routing (ING-1..6). Expectations come from the Kubernetes Ingress docs' tables
// ("Examples" of path types, "Hostname wildcards") and ingress-nginx's documented merge behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostMatches, matchIngress, pathMatchLength } from '../../server/src/model/index';
import { codes, modelOf } from '../support/model';

/** A Service `name` in `ns` with the given ports (`80` or `80:http`). */
function svc(name: string, ports: string[], ns = 'default'): string {
  const list = ports.map((p) => {
    const [port, pname] = p.split(':');
    return `  - {port: ${port}${pname ? `, name: ${pname}` : ''}}`;
  });
  return `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {app: ${name}}\n  ports:\n${list.join('\n')}\n`;
}

interface P {
  path: string;
  type: string;
  svc: string;
  port?: number | string;
}
function ingress(name: string, rules: { host?: string; paths: P[] }[], extra = '', ns = 'default', annotations = ''): string {
  const r = rules.map((rule) => {
    const paths = rule.paths.map((p) => {
      const port = typeof p.port === 'string' ? `name: ${p.port}` : `number: ${p.port ?? 80}`;
      return `      - {path: "${p.path}", pathType: ${p.type}, backend: {service: {name: ${p.svc}, port: {${port}}}}}`;
    });
    return `  - ${rule.host !== undefined ? `host: "${rule.host}"\n    ` : ''}http:\n      paths:\n${paths.join('\n')}`;
  });
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${annotations ? `  annotations: {${annotations}}\n` : ''}spec:\n${extra}  rules:\n${r.join('\n')}\n`;
}

/** Path match per the k8s docs' table: does rule path (type) match the request path? */
const m = (type: string, path: string, req: string) => pathMatchLength({ path, pathType: type as 'Exact' }, req, false) >= 0;

test('ING-2: the Kubernetes docs path-type table, row by row', () => {
  assert.equal(m('Prefix', '/', '/anything/at/all'), true);
  assert.equal(m('Exact', '/foo', '/foo'), true);
  assert.equal(m('Exact', '/foo', '/bar'), false);
  assert.equal(m('Exact', '/foo', '/foo/'), false, 'Exact: trailing slash is significant');
  assert.equal(m('Exact', '/foo/', '/foo'), false);
  assert.equal(m('Exact', '/Foo', '/foo'), false, 'Exact is case-sensitive');
  assert.equal(m('Prefix', '/foo', '/foo'), true);
  assert.equal(m('Prefix', '/foo', '/foo/'), true);
  assert.equal(m('Prefix', '/foo/', '/foo'), true, 'trailing / in the rule is ignored');
  assert.equal(m('Prefix', '/foo/', '/foo/'), true);
  assert.equal(m('Prefix', '/aaa/bb', '/aaa/bbb'), false, 'element-wise, not string prefix');
  assert.equal(m('Prefix', '/aaa/bbb', '/aaa/bbb'), true);
  assert.equal(m('Prefix', '/aaa/bbb/', '/aaa/bbb'), true);
  assert.equal(m('Prefix', '/aaa/bbb', '/aaa/bbb/'), true);
  assert.equal(m('Prefix', '/aaa/bbb', '/aaa/bbb/ccc'), true);
  assert.equal(m('Prefix', '/aaa/bbb', '/aaa/bbbxyz'), false);
  // The seed's own examples [Ingress].
  assert.equal(m('Prefix', '/index', '/index/1'), true);
  assert.equal(m('Prefix', '/index', '/index.html'), false);
  assert.equal(m('Exact', '/index', '/index/'), false);
  // nginx ImplementationSpecific without regex: a plain string prefix.
  assert.equal(m('ImplementationSpecific', '/aaa/bb', '/aaa/bbb'), true);
});

test('ING-1: one-label wildcard hosts (docs "Hostname wildcards" table and the seed)', () => {
  assert.equal(hostMatches('*.foo.com', 'bar.foo.com'), true);
  assert.equal(hostMatches('*.foo.com', 'baz.bar.foo.com'), false);
  assert.equal(hostMatches('*.foo.com', 'foo.com'), false);
  assert.equal(hostMatches('*.test.com', 'www.test.com'), true);
  assert.equal(hostMatches('*.test.com', '1.www.test.com'), false);
  assert.equal(hostMatches('test.com', 'www.test.com'), false);
  assert.equal(hostMatches('', 'anything.example'), true, 'a hostless rule matches every host');
});

test('ING-2: longest prefix wins; at equal length Exact beats Prefix (docs "Multiple matches")', () => {
  const model = modelOf({
    's.yaml': [svc('root', ['80']), svc('aaa', ['80']), svc('bbb', ['80']), svc('exact', ['80'])].join('---\n'),
    'i.yaml': ingress('multi', [
      {
        paths: [
          { path: '/', type: 'Prefix', svc: 'root' },
          { path: '/aaa', type: 'Prefix', svc: 'aaa' },
          { path: '/aaa/bbb', type: 'Prefix', svc: 'bbb' },
          { path: '/foo', type: 'Prefix', svc: 'root' },
          { path: '/foo', type: 'Exact', svc: 'exact' },
        ],
      },
    ]),
  });
  const b = (url: string) => matchIngress(model, url).backend;
  assert.equal(b('http://x/aaa/ccc'), 'default/aaa:80');
  assert.equal(b('http://x/aaa/bbb'), 'default/bbb:80');
  assert.equal(b('http://x/ccc'), 'default/root:80');
  assert.equal(b('http://x/foo'), 'default/exact:80', 'Exact preferred over an equally long Prefix');
  assert.equal(b('http://x/foo/bar'), 'default/root:80');
  const r = matchIngress(model, 'http://x/aaa/bbb/c?q=1');
  assert.deepEqual(
    { ingress: r.ingress, rule: r.rule, path: r.path, pathType: r.pathType, via: r.via, servicePort: r.servicePort, backendResolvable: r.backendResolvable },
    { ingress: 'default/multi', rule: 0, path: '/aaa/bbb', pathType: 'Prefix', via: 'rule', servicePort: 80, backendResolvable: true },
  );
});

test('ING-3: no match uses the defaultBackend, also for a matched host without a matching path; else 404 (backend null)', () => {
  const files = {
    's.yaml': [svc('web', ['80']), svc('fallback', ['8080'])].join('---\n'),
    'i.yaml': ingress(
      'site',
      [{ host: 'test.com', paths: [{ path: '/aaa', type: 'Prefix', svc: 'web' }] }],
      '  defaultBackend: {service: {name: fallback, port: {number: 8080}}}\n',
    ),
  };
  const model = modelOf(files);
  const hit = matchIngress(model, 'http://test.com/ccc');
  assert.equal(hit.via, 'defaultBackend');
  assert.equal(hit.backend, 'default/fallback:8080');
  assert.equal(hit.servicePort, 8080);
  assert.equal(matchIngress(model, 'http://other.org/aaa').backend, 'default/fallback:8080');
  const bare = modelOf({ 's.yaml': files['s.yaml'], 'i.yaml': ingress('site', [{ host: 'test.com', paths: [{ path: '/aaa', type: 'Prefix', svc: 'web' }] }]) });
  const miss = matchIngress(bare, 'http://test.com/ccc');
  assert.equal(miss.backend, null);
  assert.equal(miss.via, null);
  assert.equal(miss.url, 'http://test.com/ccc');
});

test('ING-1: across Ingresses (nginx merges them): exact host beats wildcard beats hostless, then the longest path', () => {
  const model = modelOf({
    's.yaml': [svc('exact', ['80']), svc('wild', ['80']), svc('any', ['80'])].join('---\n'),
    'a.yaml': ingress('a-any', [
      {
        paths: [
          { path: '/', type: 'Prefix', svc: 'any' },
          { path: '/deep/path', type: 'Prefix', svc: 'any' },
        ],
      },
    ]),
    'b.yaml': ingress('b-wild', [{ host: '*.test.com', paths: [{ path: '/', type: 'Prefix', svc: 'wild' }] }]),
    'c.yaml': ingress('c-exact', [{ host: 'www.test.com', paths: [{ path: '/api', type: 'Prefix', svc: 'exact' }] }]),
  });
  assert.equal(matchIngress(model, 'http://www.test.com/api/v1').ingress, 'default/c-exact');
  assert.equal(matchIngress(model, 'http://shop.test.com/deep/path').backend, 'default/wild:80', 'the host decides the server before path length counts');
  assert.equal(matchIngress(model, 'http://test.com/deep/path').ingress, 'default/a-any', 'the wildcard does not cover the bare domain');
  // A host with rules but no matching path: no fallback to other hosts' rules, 404 here.
  assert.equal(matchIngress(model, 'http://www.test.com/other').backend, null);
});

test('ING-2: nginx use-regex makes paths case-insensitive regular expressions', () => {
  const model = modelOf({
    's.yaml': svc('api', ['80']),
    'i.yaml': ingress(
      're',
      [{ paths: [{ path: '/api/v[0-9]+', type: 'ImplementationSpecific', svc: 'api' }] }],
      '',
      'default',
      '"nginx.ingress.kubernetes.io/use-regex": "true"',
    ),
  });
  assert.equal(matchIngress(model, 'http://x/API/v2/users').backend, 'default/api:80');
  assert.equal(matchIngress(model, 'http://x/api/vX').backend, null);
});

test('ING-4: backends by port name; missing Service, Service in another namespace, missing port are warnings', () => {
  const model = modelOf({
    's.yaml': [svc('web', ['8080:http']), svc('other', ['80'], 'elsewhere')].join('---\n'),
    'i.yaml': ingress('site', [
      {
        paths: [
          { path: '/named', type: 'Prefix', svc: 'web', port: 'http' },
          { path: '/badport', type: 'Prefix', svc: 'web', port: 9999 },
          { path: '/gone', type: 'Prefix', svc: 'nothere' },
          { path: '/cross', type: 'Prefix', svc: 'other' },
        ],
      },
    ]),
  });
  const named = matchIngress(model, 'http://x/named');
  assert.equal(named.backend, 'default/web:http');
  assert.equal(named.servicePort, 8080);
  assert.equal(named.backendResolvable, true);
  assert.equal(matchIngress(model, 'http://x/badport').backendResolvable, false);
  assert.equal(matchIngress(model, 'http://x/cross').backendResolvable, false);
  const ds = model.diagnostics.filter((d) => d.code.startsWith('ingress-'));
  assert.deepEqual(ds.map((d) => [d.code, d.severity]).sort(), [
    ['ingress-backend-port-not-found', 'warning'],
    ['ingress-backend-service-not-found', 'warning'],
    ['ingress-backend-service-not-found', 'warning'],
  ]);
  const cross = ds.find((d) => d.message.includes('elsewhere'));
  assert.ok(cross && /ExternalName/.test(cross.message), 'cross-namespace backend suggests an ExternalName Service');
  // The diagnostic points at the Service name as written.
  const text = ingress('site', [{ paths: [{ path: '/gone', type: 'Prefix', svc: 'nothere' }] }]);
  const one = modelOf({ 'i.yaml': text }).diagnostics.find((d) => d.code === 'ingress-backend-service-not-found')!;
  assert.equal(text.slice(one.span.start, one.span.end), 'nothere');
});

test('ING-4: IngressClass: ingressClassName must exist when classes are declared; the default class is picked', () => {
  const cls = (name: string, dflt: boolean) =>
    `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: ${name}\n${dflt ? '  annotations: {"ingressclass.kubernetes.io/is-default-class": "true"}\n' : ''}spec: {controller: k8s.io/ingress-nginx}\n`;
  const model = modelOf({
    'c.yaml': [cls('nginx', true), cls('other', false)].join('---\n'),
    's.yaml': svc('web', ['80']),
    'i.yaml': [
      ingress('typo', [{ paths: [{ path: '/', type: 'Prefix', svc: 'web' }] }], '  ingressClassName: ngnix\n'),
      ingress('plain', [{ paths: [{ path: '/', type: 'Prefix', svc: 'web' }] }]),
    ].join('---\n'),
  });
  assert.deepEqual(
    codes(model).filter((c) => c.startsWith('ingress-')),
    ['ingress-class-not-found'],
  );
  assert.equal(model.ingresses.find((i) => i.name === 'plain')?.className, 'nginx');
  // Without IngressClasses in the workspace nothing is claimed missing.
  const none = modelOf({
    's.yaml': svc('web', ['80']),
    'i.yaml': ingress('typo', [{ paths: [{ path: '/', type: 'Prefix', svc: 'web' }] }], '  ingressClassName: ngnix\n'),
  });
  assert.ok(!codes(none).includes('ingress-class-not-found'));
});

test('ING-6: TLS hosts without a rule and missing Secrets (when the workspace has Secrets) are warnings', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: present}\ntype: kubernetes.io/tls\n';
  const tls = '  tls:\n  - hosts: [test.com, nope.com]\n    secretName: absent\n';
  const model = modelOf({
    'x.yaml': secret,
    's.yaml': svc('web', ['80']),
    'i.yaml': ingress('site', [{ host: 'test.com', paths: [{ path: '/', type: 'Prefix', svc: 'web' }] }], tls),
  });
  assert.deepEqual(
    codes(model)
      .filter((c) => c.startsWith('ingress-'))
      .sort(),
    ['ingress-tls-host-not-covered', 'ingress-tls-secret-not-found'],
  );
  const noSecrets = modelOf({
    's.yaml': svc('web', ['80']),
    'i.yaml': ingress(
      'site',
      [{ host: 'test.com', paths: [{ path: '/', type: 'Prefix', svc: 'web' }] }],
      '  tls:\n  - hosts: [test.com]\n    secretName: absent\n',
    ),
  });
  assert.deepEqual(
    codes(noSecrets).filter((c) => c.startsWith('ingress-')),
    [],
  );
});

test('ING-2: an Exact or Prefix path must be absolute (IN-3 style error)', () => {
  const model = modelOf({ 's.yaml': svc('web', ['80']), 'i.yaml': ingress('bad', [{ paths: [{ path: 'relative', type: 'Prefix', svc: 'web' }] }]) });
  assert.ok(codes(model).includes('invalid-field'));
  assert.equal(model.ingresses[0]?.rules.length, 0);
});

test('ING-4: an Ingress whose class does not exist is served by no controller, so it takes no URL', () => {
  const cls = 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n';
  const model = modelOf({
    'c.yaml': cls,
    's.yaml': svc('web', ['80']),
    'i.yaml': ingress('typo', [{ paths: [{ path: '/', type: 'Prefix', svc: 'web' }] }], '  ingressClassName: ngnix\n'),
  });
  assert.equal(matchIngress(model, 'http://x/').backend, null);
});
