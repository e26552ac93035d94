// Test support: Gateway API manifests written compactly (GW-*). Each test says what it expects and why.

/** A GatewayClass served by Envoy Gateway's controller name. */
export const CLASS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: eg }
spec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
`;

/** A Gateway in `ns` with the given listeners (YAML flow maps, one per entry). */
export function gateway(name: string, ns: string, listeners: string[], cls = 'eg'): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${ns} }
spec:
  gatewayClassName: ${cls}
  listeners:
${listeners.map((l) => `  - ${l}`).join('\n')}
`;
}

/** An HTTPRoute (or GRPCRoute) with parentRefs, hostnames and rules given as YAML block text. */
export function route(name: string, ns: string, body: string, kind = 'HTTPRoute', meta = ''): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: { name: ${name}, namespace: ${ns}${meta} }
spec:
${body.replace(/^/gm, '  ')}
`;
}

/** A Service on port 80 and, unless `pods` is 0, a Deployment whose ready pods back it. */
export function app(name: string, ns: string, pods = 1): string {
  const svc = `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec: { selector: { app: ${name} }, ports: [{ port: 80, targetPort: 8080 }] }
`;
  if (pods === 0) return svc;
  return `${svc}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  replicas: ${pods}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: c, image: x, ports: [{ containerPort: 8080 }] }] }
`;
}

export function namespace(name: string, labels = ''): string {
  return `apiVersion: v1
kind: Namespace
metadata: { name: ${name}${labels ? `, labels: { ${labels} }` : ''} }
`;
}
