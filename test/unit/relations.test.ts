// Unit tests: who selects whom (SVC-1, EP-1, NP-1), as hovers, code lenses and go-to-definition ask it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podsSelectedBy, policiesSelecting, servicesSelecting } from '../../server/src/model/index';
import { modelOf } from '../support/model';

const deploy = (name: string, ns: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: c, image: x}]}
---
`;
const svc = (name: string, ns: string, selector: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: ${selector}, ports: [{port: 80}]}
---
`;

test('SVC-1, EP-1, NP-1: a workload is selected by the Services of its namespace whose selector it satisfies, and by the policies that pick its pods', () => {
  const m = modelOf({
    'a.yaml':
      deploy('web', 'shop', '{app: web, tier: front}') +
      deploy('web', 'other', '{app: web, tier: front}') +
      svc('web', 'shop', '{app: web}') +
      svc('front', 'shop', '{tier: front, app: web}') +
      svc('api', 'shop', '{app: api}') +
      svc('web', 'other', '{app: web}') +
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {matchLabels: {app: web}}}\n---\n' +
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: other-ns, namespace: other}\nspec: {podSelector: {}}\n',
  });
  const pods = m.index.podsByOwner.get('Deployment/shop/web') ?? [];
  assert.equal(pods.length, 2);
  // Same labels in namespace `other` do not make other/web select shop's pods: selectors are namespaced.
  assert.deepEqual(
    servicesSelecting(m, pods)
      .map((s) => s.id)
      .sort(),
    ['shop/front', 'shop/web'],
  );
  assert.deepEqual(
    policiesSelecting(m, pods).map((n) => n.id),
    ['shop/deny'],
  );
  const web = m.index.serviceById.get('shop/web')!;
  assert.deepEqual(
    podsSelectedBy(m, web)
      .map((p) => p.id)
      .sort(),
    pods.map((p) => p.id).sort(),
  );
  assert.deepEqual(podsSelectedBy(m, m.index.serviceById.get('default/kubernetes')!), [], 'no selector, no pods (EP-2)');
});

/** Makes `field` of every item outside `namespace` count its reads (the value is unchanged). */
function countReads<T extends { namespace: string }>(items: readonly T[], namespace: string, field: keyof T): { reads: number } {
  const counter = { reads: 0 };
  for (const item of items) {
    if (item.namespace === namespace) continue;
    const value = item[field];
    Object.defineProperty(item, field, {
      get: () => {
        counter.reads++;
        return value;
      },
    });
  }
  return counter;
}

test('SVC-1, NP-1 (issue 13): a workload’s Services and policies are looked for in its own namespace only, so a code lens costs what the namespace holds', () => {
  const others = Array.from({ length: 30 }, (_, i) => svc(`s${i}`, `ns${i}`, '{app: web}') + deploy(`d${i}`, `ns${i}`, '{app: web}')).join('');
  const policy = (ns: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ${ns}}\nspec: {podSelector: {}}\n---\n`;
  const m = modelOf({
    'a.yaml': deploy('web', 'shop', '{app: web}') + svc('web', 'shop', '{app: web}') + policy('shop') + others + policy('ns1') + policy('ns2'),
  });
  const pods = m.index.podsByOwner.get('Deployment/shop/web') ?? [];
  servicesSelecting(m, pods); // the first question may index the model once
  const svcReads = countReads(m.services, 'shop', 'selector');
  const polReads = countReads(m.networkPolicies, 'shop', 'selects');
  assert.deepEqual(
    servicesSelecting(m, pods).map((s) => s.id),
    ['shop/web'],
  );
  assert.deepEqual(
    policiesSelecting(m, pods).map((n) => n.id),
    ['shop/p'],
  );
  assert.equal(svcReads.reads, 0, 'no selector of another namespace’s Service is read');
  assert.equal(polReads.reads, 0, 'no other namespace’s policy is read');
});
