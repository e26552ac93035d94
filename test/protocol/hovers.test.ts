// Protocol tests: the Network view's tree, and hovers on the fields that had none — loadBalancerIP, externalIPs, hand-written EndpointSlice
// addresses, the `kind:` line, a NetworkPolicy's name and its ipBlock peers — from the real server over LSP.
// Expected values derived by hand from the default profile (node1 10.0.0.1, node2 10.0.0.2, no load-balancer
// implementation) and SVC-4, SVC-6, EP-2, EP-4, NP-1, NP-3.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import type { NetworkItem, NetworkTreeResult } from '../../shared/protocol';
import { inMemoryClient, type TestClient } from './lsp';

const SHOP = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  nodeName: node2
  containers:
  - name: c
    image: nginx
    ports:
    - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: lb
  namespace: shop
spec:
  type: LoadBalancer
  loadBalancerIP: 192.0.2.10
  externalIPs:
  - 198.51.100.7
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: legacy
  namespace: shop
spec:
  ports:
  - name: http
    port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: legacy-1
  namespace: shop
  labels:
    kubernetes.io/service-name: legacy
addressType: IPv4
ports:
- name: http
  port: 8080
endpoints:
- addresses:
  - 10.0.0.1
- addresses:
  - 203.0.113.5
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-in
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
  - Ingress
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/24
        except:
        - 10.0.0.2/32
    ports:
    - port: 80
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
  namespace: shop
spec:
  rules:
  - host: shop.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: lb
            port:
              number: 80
`;

let dir: string;
let client: TestClient;
const uri = (): string => pathToFileURL(join(dir, 'shop.yaml')).toString();

/** The hover text at the `nth` occurrence of `needle` (cursor one character in). */
async function hoverAt(needle: string, nth = 0): Promise<string> {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = SHOP.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const before = SHOP.slice(0, at + 1).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1]!.length };
  const h = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri() }, position })) as Hover | null;
  assert.ok(h, `a hover on ${needle}`);
  return (h.contents as MarkupContent).value;
}

describe('hovers on load-balancer and external IPs, EndpointSlices, kind lines and policies', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpath-hovers-'));
    writeFileSync(join(dir, 'shop.yaml'), SHOP);
    client = await inMemoryClient(dir);
    await client.waitForStatus((s) => s.state === 'ready');
  });
  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('loadBalancerIP without a load-balancer implementation stays <pending> and says how to declare one (SVC-4)', async () => {
    const text = await hoverAt('192.0.2.10');
    assert.match(text, /loadBalancerIP `192\.0\.2\.10`/);
    assert.match(text, /<pending>/);
    assert.match(text, /netpath\.cluster\.yaml/);
  });

  test('an externalIP is forwarded by kube-proxy on both nodes to the one endpoint; the cluster does not own it (SVC-6)', async () => {
    const text = await hoverAt('198.51.100.7');
    assert.match(text, /`198\.51\.100\.7:80\/TCP`/);
    assert.match(text, /every node \(2 nodes\)/);
    assert.match(text, /1 endpoint\b/);
    assert.match(text, /does not own this address/);
  });

  test('an EndpointSlice address names the node that holds it and the Service port it serves (EP-2, EP-4)', async () => {
    const node = await hoverAt('10.0.0.1');
    assert.match(node, /node `node1`/);
    assert.match(node, /endpoint of `shop\/legacy`/);
    assert.match(node, /`10\.0\.0\.1:8080\/TCP`/);
    const outside = await hoverAt('203.0.113.5');
    assert.match(outside, /No pod or node of the manifests has this address/);
    assert.match(outside, /endpoint of `shop\/legacy`/);
  });

  test('the kind line of an EndpointSlice says which Service it feeds (EP-2)', async () => {
    const text = await hoverAt('EndpointSlice');
    assert.match(text, /EndpointSlice `shop\/legacy-1`\*\* → Service `shop\/legacy` · 2 endpoints/);
  });

  test("a NetworkPolicy's name says what it allows and denies, not only what it selects (NP-1, NP-3)", async () => {
    const text = await hoverAt('web-in');
    assert.match(text, /Selects 1 pod\./);
    assert.match(text, /\*\*Ingress\*\* allows CIDR `10\.0\.0\.0\/24` except `10\.0\.0\.2\/32` on 80\/TCP; denies the rest/);
    // The kind line gives the same summary.
    assert.equal(await hoverAt('NetworkPolicy'), text);
  });

  test('an ipBlock peer says which nodes and pods fall inside after except: node1 only, no pod (NP-3)', async () => {
    const text = await hoverAt('10.0.0.0/24');
    assert.match(text, /holds 1 node \(`node1 10\.0\.0\.1`\)/);
    assert.doesNotMatch(text, /node2/);
    assert.doesNotMatch(text, /\bpods? \(/);
  });

  test("netpath/networkTree: the Network view lists the namespace's Services, policies and workloads with their facts and lines", async () => {
    const tree = (await client.conn.sendRequest('netpath/networkTree', {})) as NetworkTreeResult;
    // default/kubernetes is the API server's, not the workspace's: only shop has objects here.
    assert.deepEqual(
      tree.namespaces.map((n) => n.label),
      ['shop'],
    );
    const groups = tree.namespaces[0]!.children ?? [];
    assert.deepEqual(
      groups.map((g) => `${g.label} ${g.description}`),
      ['Services 2', 'Ingresses 1', 'NetworkPolicies 1', 'Workloads 1'],
    );
    const [services, ingresses, policies, workloads] = groups.map((g) => g.children ?? []) as [NetworkItem[], NetworkItem[], NetworkItem[], NetworkItem[]];
    // The class-less Ingress takes the default class (ING-7); its rule traces its URL.
    assert.equal(ingresses[0]!.description, 'class nginx · 1 rule');
    assert.deepEqual(
      ingresses[0]!.children?.map((r) => [r.label, r.description, r.traceTo]),
      [['shop.example/', '→ shop/lb:80', 'url:http://shop.example/']],
    );
    assert.deepEqual(
      services.map((x) => x.label),
      ['lb', 'legacy'],
    );
    assert.match(services[0]!.description!, /^LoadBalancer 10\.43\.\d+\.\d+ · 1 endpoint$/);
    assert.match(services[1]!.description!, /^ClusterIP 10\.43\.\d+\.\d+ · 2 endpoints$/);
    assert.equal(services[0]!.traceTo, 'svc:shop/lb');
    // A click opens the Service's name line (0-based line of `name: lb`).
    assert.equal(services[0]!.location?.range.start.line, SHOP.split('\n').indexOf('  name: lb'));
    assert.equal(policies[0]!.description, 'Ingress · isolates 1 pod');
    assert.match(workloads[0]!.description!, /^Pod · 1 pod on node2$/);
    assert.match(workloads[0]!.children?.[0]?.description ?? '', /^10\.42\.1\.\d+ @node2$/);
  });

  test('an IngressClass says its controller, that it is the default, and which Ingresses take it (ING-7)', async () => {
    const text = await hoverAt('IngressClass');
    assert.match(text, /IngressClass `nginx`\*\* · controller `k8s\.io\/ingress-nginx`/);
    assert.match(text, /The default class/);
    assert.match(text, /Used by 1 Ingress: `shop\/site`/);
  });

  test('the kind line of a Pod summarises it like its name (WL-1)', async () => {
    assert.equal(await hoverAt('Pod'), await hoverAt('web', 0));
  });
});
