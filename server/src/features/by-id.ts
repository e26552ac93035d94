// Server layer: the model's Ingresses and Gateway API Routes by id, so that a code lens or hover on one object
// looks it up instead of scanning every Ingress or Route of the workspace (issue 13: a request costs what its
// document holds). May import the model; must not import vscode or LSP. Built once per model, lazily.
import type { IngressInfo, Model, RouteInfo } from '../model/index';

const ingresses = new WeakMap<readonly IngressInfo[], Map<string, IngressInfo>>();
const routes = new WeakMap<readonly RouteInfo[], Map<string, RouteInfo>>();

/** The first value per key, in model order: what `find` over the list would answer. */
function firstByKey<T>(list: readonly T[], key: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of list) {
    const k = key(item);
    if (!out.has(k)) out.set(k, item);
  }
  return out;
}

/** The Ingress `NS/NAME`, as `m.ingresses.find((i) => i.id === id)` would answer. */
export function ingressById(m: Model, id: string): IngressInfo | undefined {
  let byId = ingresses.get(m.ingresses);
  if (!byId) ingresses.set(m.ingresses, (byId = firstByKey(m.ingresses, (i) => i.id)));
  return byId.get(id);
}

/** The Route of `kind` with id `NS/NAME`, as a `find` over `m.gatewayApi.routes` would answer. */
export function routeById(m: Model, kind: string, id: string): RouteInfo | undefined {
  const list = m.gatewayApi.routes;
  let byKey = routes.get(list);
  if (!byKey) routes.set(list, (byKey = firstByKey(list, (r) => `${r.kind} ${r.id}`)));
  return byKey.get(`${kind} ${id}`);
}
