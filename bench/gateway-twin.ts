// Bench layer (Node script part): Gateway API objects mirroring a workspace's Ingresses (GW-*), so that routing
// a URL through a Gateway can be timed beside routing it through the Ingresses. Must not import vscode or LSP;
// the model only via model/index.ts. One Gateway (namespace gateway-bench, listener http/80 admitting every
// namespace) and, per Ingress, an HTTPRoute in its namespace with the same hosts, paths and backends.
import type { IngressInfo, Model } from '../server/src/model/index';

const yamlString = (s: string) => JSON.stringify(s);

/** The URL that exercises one Ingress path (a wildcard host gets one label, `a`). */
export function urlOf(host: string, path: string): string {
  return `http://${host === '' ? 'bench.example' : host.replace(/^\*\./, 'a.')}${path}`;
}

function routeOf(m: Model, ing: IngressInfo): string | null {
  const byHost = new Map<string, string[]>();
  for (const r of ing.rules) {
    if (!r.backend.service || r.backend.port === null) continue;
    const svc = m.index.serviceById.get(r.backend.service);
    const port = typeof r.backend.port === 'number' ? r.backend.port : svc?.ports.find((p) => p.name === r.backend.port)?.port;
    if (port === undefined) continue;
    const type = r.pathType === 'Exact' ? 'Exact' : 'PathPrefix';
    const name = r.backend.service.slice(r.backend.service.indexOf('/') + 1);
    const rules = byHost.get(r.host) ?? [];
    rules.push(`  - matches: [{ path: { type: ${type}, value: ${yamlString(r.path)} } }]\n    backendRefs: [{ name: ${yamlString(name)}, port: ${port} }]`);
    byHost.set(r.host, rules);
  }
  if (byHost.size === 0) return null;
  return [...byHost]
    .map(
      ([host, rules], i) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${yamlString(`${ing.name}-${i}`)}, namespace: ${yamlString(ing.namespace)} }
spec:
  parentRefs: [{ name: bench, namespace: gateway-bench }]
${host ? `  hostnames: [${yamlString(host)}]\n` : ''}  rules:
${rules.join('\n')}
`,
    )
    .join('---\n');
}

/** The twin's YAML: a GatewayClass, the Gateway and the HTTPRoutes. */
export function gatewayTwin(m: Model): string {
  const docs = [
    `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: bench }
spec: { controllerName: example.com/bench-controller }
`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: bench, namespace: gateway-bench }
spec:
  gatewayClassName: bench
  listeners: [{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }]
`,
  ];
  for (const ing of m.ingresses) {
    const r = routeOf(m, ing);
    if (r) docs.push(r);
  }
  return docs.join('---\n');
}
