// Unit tests: ING-7, which Ingresses ingress-nginx serves. A class-less Ingress without a default
// IngressClass is ignored unless the controller runs with --watch-ingress-without-class=true; the
// deprecated kubernetes.io/ingress.class annotation names a class; a class nobody serves is a
// diagnostic. Expected results derived by hand from the Ingress docs (default IngressClass) and the
// ingress-nginx "multiple ingress controllers" page (flags and their defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchIngress } from '../../server/src/model/index';
import { modelOf } from '../support/model';

const controller = (args: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ingress-nginx-controller, namespace: ingress-nginx }
spec:
  selector: { matchLabels: { app: ctrl } }
  template:
    metadata: { labels: { app: ctrl } }
    spec: { containers: [{ name: controller, image: registry.k8s.io/ingress-nginx/controller:v1.10.1, args: [/nginx-ingress-controller${args}] }] }
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: nginx }
spec: { controller: k8s.io/ingress-nginx }
`;
const app = (meta = '', spec = '') => `apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { ports: [{ port: 80 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: default${meta} }
spec:${spec}
  rules: [{ host: web.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }]
`;
const URL = 'http://web.example.com/';
const codes = (files: Record<string, string>) =>
  modelOf(files)
    .diagnostics.filter((d) => d.rule === 'ING-7')
    .map((d) => d.code);

test('ING-7: a class-less Ingress with no default class is ignored by ingress-nginx (default flags)', () => {
  const files = { 'c.yaml': controller(', --controller-class=k8s.io/ingress-nginx'), 'a.yaml': app() };
  assert.deepEqual(codes(files), ['ingress-without-class-ignored']);
  assert.equal(matchIngress(modelOf(files), URL).backend, null, 'the controller answers 404');
});

test('ING-7: --watch-ingress-without-class=true, a default IngressClass, ingressClassName or the annotation make it served', () => {
  const served = [
    { 'c.yaml': controller(', --watch-ingress-without-class=true'), 'a.yaml': app() },
    {
      'c.yaml': controller('').replace(
        'metadata: { name: nginx }',
        'metadata: { name: nginx, annotations: { ingressclass.kubernetes.io/is-default-class: "true" } }',
      ),
      'a.yaml': app(),
    },
    { 'c.yaml': controller(''), 'a.yaml': app('', '\n  ingressClassName: nginx') },
    { 'c.yaml': controller(''), 'a.yaml': app(', annotations: { kubernetes.io/ingress.class: nginx }') },
  ];
  for (const files of served) {
    assert.deepEqual(codes(files), []);
    assert.equal(matchIngress(modelOf(files), URL).backend, 'default/web:80');
  }
});

test('ING-7: a class nobody serves (annotation or field) is a diagnostic', () => {
  assert.deepEqual(codes({ 'c.yaml': controller(''), 'a.yaml': app(', annotations: { kubernetes.io/ingress.class: traefik }') }), ['ingress-class-not-found']);
  assert.deepEqual(codes({ 'c.yaml': controller(''), 'a.yaml': app('', '\n  ingressClassName: traefik') }), ['ingress-class-not-found']);
});

test('ING-7: with no controller in the files, the assumed controller serves class-less Ingresses', () => {
  const files = { 'a.yaml': app() };
  assert.deepEqual(codes(files), []);
  assert.equal(matchIngress(modelOf(files), URL).backend, 'default/web:80');
});
