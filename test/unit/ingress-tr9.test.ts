// Unit tests: ING-2 (`/foo` vs `/foo/` Prefix: the longer rule string wins), ING-3 (the same host and
// path in two Ingresses is a warning naming both; a `resource` backend names the Ingress and rule in
// text as in JSON) and TR-9 (a trace where one entry node delivers and another drops is delivered, and
// says which). Expected results derived by hand from the Ingress API reference's path table, the
// ingress-nginx docs (merged Ingresses) and kube-proxy's externalTrafficPolicy: Local behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchIngress, trace } from '../../server/src/model/index';
import { ingressText, traceText } from '../../server/src/cli/format-answers';
import { modelOf } from '../support/model';

const ing = (name: string, paths: string, extra = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ${name}, namespace: default }
spec:${extra}
  rules:
  - host: shop.example.com
    http:
      paths:
${paths}
---
`;
const p = (path: string, svc: string, type = 'Prefix') =>
  `      - { path: ${path}, pathType: ${type}, backend: { service: { name: ${svc}, port: { number: 80 } } } }\n`;
const SVCS = ['a', 'b']
  .map((n) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${n}, namespace: default }\nspec: { ports: [{ port: 80 }] }\n---\n`)
  .join('');

test('ING-2: with Prefix /foo and /foo/, /foo/ takes both /foo and /foo/ (longest rule string)', () => {
  const m = modelOf({ 's.yaml': SVCS, 'i.yaml': ing('one', p('/foo', 'a') + p('/foo/', 'b')) });
  for (const url of ['http://shop.example.com/foo', 'http://shop.example.com/foo/', 'http://shop.example.com/foo/x']) {
    assert.equal(matchIngress(m, url).backend, 'default/b:80', url);
  }
});

test('ING-3: the same host and path in two Ingresses is a warning on both, naming the other', () => {
  const m = modelOf({ 's.yaml': SVCS, 'i.yaml': ing('first', p('/api', 'a')) + ing('second', p('/api', 'b') + p('/other', 'b')) });
  const d = m.diagnostics.filter((x) => x.code === 'ingress-rule-conflict');
  assert.deepEqual(
    d.map((x) => [x.subject, x.rule]),
    [
      ['Ingress/default/first', 'ING-3'],
      ['Ingress/default/second', 'ING-3'],
    ],
  );
  assert.match(d[0]!.message, /also routed by Ingress default\/second/);
  assert.match(d[1]!.message, /also routed by Ingress default\/first/);
  assert.ok(d.every((x) => x.severity === 'warning'));
});

test('ING-3, text = JSON: a rule with a resource backend names the Ingress and rule in text too', () => {
  const res = `      - { path: /static, pathType: Prefix, backend: { resource: { apiGroup: k8s.example.com, kind: StorageBucket, name: assets } } }\n`;
  const m = modelOf({ 's.yaml': SVCS, 'i.yaml': ing('assets', res) });
  const j = matchIngress(m, 'http://shop.example.com/static/x.png');
  assert.deepEqual([j.ingress, j.rule, j.backend], ['default/assets', 0, null]);
  const text = ingressText(j).join('\n');
  assert.match(text, /default\/assets/);
  assert.match(text, /rule 0/);
  assert.doesNotMatch(text, /no Ingress matches/);
});

test('TR-9: NodePort with externalTrafficPolicy Local: the node with the endpoint delivers, the other drops; the trace is delivered and says which', () => {
  const m = modelOf({
    'netpath.cluster.yaml':
      'nodes:\n  - { name: node1, ip: 10.0.0.1, podCIDR: 10.42.0.0/24 }\n  - { name: node2, ip: 10.0.0.2, podCIDR: 10.42.1.0/24 }\nexternalHosts:\n  - { name: laptop, ip: 10.0.0.9 }\n',
    'w.yaml': `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default, labels: { app: web } }
spec: { nodeName: node1, containers: [{ name: c, image: x, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { type: NodePort, externalTrafficPolicy: Local, selector: { app: web }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }
`,
  });
  const t = trace(m, 'host:10.0.0.9', 'svc:default/web:80');
  assert.deepEqual([t.verdict, t.reason], ['delivered', null]);
  assert.deepEqual(t.mixed, { delivered: ['via node1'], dropped: ['via node2'], reasons: ['no-node-local-endpoint'] });
  const text = traceText(t).join('\n');
  assert.match(text, /delivered on some paths \(TR-9\)/);
  assert.match(text, /dropped \(no-node-local-endpoint\): via node2/);
});
