// Model layer (pure): reads Ingresses, picks their class and checks their backends and TLS (ING-1..6).
// Must not import vscode, LSP, node:* or fs.
import { isWildcardDns1123Subdomain } from '../core/names';
import type { BuildContext } from '../build/build-context';
import { MemoSlot, memoOf, ofKind, stepCounter } from '../build/build-context';
import { KeyedResults, ListInterner, allPods, collecting, podCoresSteps, type WithDiagnostics } from '../build/incremental';
import { serviceCore } from '../services/services';
import type { IngressBackendInfo, IngressInfo, IngressPathInfo, JsonMap, ModelDiagnostic, PodInfo, Resource, ServiceInfo, Span } from '../types';
import { Fields, isMap, labelsOf, metadata, nameSpan, valueSpan } from '../core/typed-fields';
import { hostMatches } from './ingress-rule-match';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'] as const;
const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';

/** An IngressClass's controller and whether it is the cluster default (ING-7). */
export function ingressClassFacts(res: Resource): { controller: string | undefined; isDefault: boolean } {
  const spec = res.body.spec;
  return {
    controller: isMap(spec) && typeof spec.controller === 'string' ? spec.controller : undefined,
    isDefault: labelsOf(metadata(res).annotations)[DEFAULT_CLASS] === 'true',
  };
}

/**
 * Fills `ctx.ingresses` and reports missing classes, backends, ports, TLS hosts and Secrets (ING-4, ING-6). Yields
 * after finding the controllers (every pod) and every few Ingresses (4 units each: each reads its namespace's
 * Services and every Secret), see Stage in pipeline/build-model.ts.
 */
export function* resolveIngresses(ctx: BuildContext): Generator<void, void, void> {
  const tick = stepCounter(ctx, 4);
  const classes = ofKind(ctx, 'IngressClass');
  const defaultClass = classes.find((c) => ingressClassFacts(c).isDefault);
  const memo = memoOf(ctx, INGRESS_MEMO);
  // The pods by namespace, grouped again after the DNS stage's copies: a step at a time, before they are read.
  if (memo) yield* podCoresSteps(ctx, stepCounter(ctx, 1 / 16));
  const controllers = memo ? keptControllers(ctx, memo) : nginxControllers(ctx.pods);
  yield;
  if (!memo) {
    for (const res of ofKind(ctx, 'Ingress')) {
      if (tick()) yield;
      ctx.ingresses.push(resolveIngress(ctx, res, classes, defaultClass, controllers, ctx.diagnostics));
    }
  } else {
    // Per Ingress, kept while what it read is the same objects (build/incremental.ts): its manifest, the classes, the
    // controllers, the Services of its namespace (and every Service's id when a backend is missing), the Secrets.
    // An Ingress reads only what the Services stage sets (name, type, ports): the Services as that stage made them
    // (serviceCore), one list per namespace, kept from the last build while its items are the same.
    const byNs = new Map<string, ServiceInfo[]>();
    for (let si = 0; si < ctx.services.length; si++) {
      const s = ctx.services[si]!;
      const core = serviceCore(ctx, s);
      const list = byNs.get(s.namespace);
      if (list) list.push(core);
      else byNs.set(s.namespace, [core]);
    }
    const kept = new Map<string, readonly ServiceInfo[]>();
    for (const [ns, list] of byNs) kept.set(ns, memo.servicesByNamespace.intern(ns, list));
    memo.servicesByNamespace.settle();
    let ids: string | undefined;
    const allIds = () => (ids ??= ctx.services.map((s) => s.id).join());
    const secrets = memo.secrets.intern('', ofKind(ctx, 'Secret'));
    memo.secrets.settle();
    for (const res of ofKind(ctx, 'Ingress')) {
      if (tick()) yield;
      const own = kept.get(res.namespace) ?? null;
      const inputs = (r: WithDiagnostics<IngressInfo>) => [
        res,
        memo.controllers?.key,
        r.diagnostics.some((d) => d.code === 'ingress-backend-service-not-found') ? allIds() : null,
        classes.length,
        ...classes,
        own,
        secrets,
      ];
      const r = memo.results.get(res.id, inputs, () => collecting((out) => resolveIngress(ctx, res, classes, defaultClass, controllers, out)));
      ctx.diagnostics.push(...r.diagnostics);
      ctx.ingresses.push(r.value);
    }
    memo.results.settle();
  }
  checkConflicts(ctx);
}

interface IngressMemo {
  readonly results: KeyedResults<WithDiagnostics<IngressInfo>>;
  /** The controllers found among the pods, kept while the pods are the same; `key` their JSON. */
  controllers?: { pods: object; list: NginxController[]; key: string };
  /** Each pod template's controller flags (null: not a controller), kept while the template is the same object. */
  readonly bySpec: WeakMap<object, ControllerFlags | null>;
  /** Each namespace's Services as the Services stage made them (serviceCore), in model order. */
  readonly servicesByNamespace: ListInterner<ServiceInfo>;
  /** Every Secret (ING-6 reads them), under the name ''. */
  readonly secrets: ListInterner<Resource>;
}

const INGRESS_MEMO = new MemoSlot<IngressMemo>('ingresses', () => ({
  results: new KeyedResults(),
  bySpec: new WeakMap(),
  servicesByNamespace: new ListInterner(),
  secrets: new ListInterner(),
}));

function keptControllers(ctx: BuildContext, memo: IngressMemo): NginxController[] {
  const pods = allPods(ctx);
  if (memo.controllers?.pods !== pods) {
    // Each workload's first pod, in pod order: its pods share the template the controller is read from.
    const list = nginxControllers(
      [...ctx.index.podsByOwner.values()].map((l) => l[0]!),
      memo.bySpec,
    );
    memo.controllers = { pods, list, key: JSON.stringify(list) };
  }
  return memo.controllers.list;
}

/** One Ingress: its class (ING-7), backends (ING-4) and TLS (ING-6); diagnostics to `out`. */
function resolveIngress(
  ctx: BuildContext,
  res: Resource,
  classes: readonly Resource[],
  defaultClass: Resource | undefined,
  controllers: readonly NginxController[],
  out: ModelDiagnostic[],
): IngressInfo {
  const f = new Fields(res, out);
  const ing = readIngress(res, f);
  const spec = f.map(res.body, 'spec');
  // The class: spec.ingressClassName, else the legacy annotation, else the default IngressClass.
  const written = f.str(spec, 'ingressClassName');
  const annotated = ing.annotations['kubernetes.io/ingress.class'];
  ing.className = written ?? annotated ?? defaultClass?.name ?? null;
  const named = written ?? annotated;
  const claimed = (c: string) => controllers.some((x) => x.ingressClass === c);
  if (named !== undefined && classes.length > 0 && !classes.some((c) => c.name === named) && !claimed(named)) {
    const span = written !== undefined ? valueSpan(res, spec!, 'ingressClassName') : nameSpan(res);
    f.report(
      'ingress-class-not-found',
      'warning',
      `IngressClass "${named}"${written === undefined ? ' (from the kubernetes.io/ingress.class annotation)' : ''} is not declared in the workspace (declared: ${classes.map((c) => c.name).join(', ')}) and no controller in the files claims it; no controller serves this Ingress.`,
      span,
      'ING-7',
    );
  }
  // ING-7: ingress-nginx ignores class-less Ingresses unless run with --watch-ingress-without-class.
  if (ing.className === null && controllers.length > 0 && !controllers.some((x) => x.watchWithoutClass)) {
    ing.ignoredBecause = `it has no ingressClassName, no kubernetes.io/ingress.class annotation and no default IngressClass, and ingress-nginx (${controllers.map((x) => x.id).join(', ')}) runs without --watch-ingress-without-class=true`;
    f.report(
      'ingress-without-class-ignored',
      'warning',
      `This Ingress is ignored: ${ing.ignoredBecause}. Set spec.ingressClassName (e.g. "${controllers[0]!.ingressClass}") or mark an IngressClass ingressclass.kubernetes.io/is-default-class: "true".`,
      nameSpan(res),
      'ING-7',
    );
  }
  checkBackends(ctx, f, ing);
  checkTls(ctx, f, ing);
  return ing;
}

/**
 * ING-3: the same host, path and path type in two Ingresses of one class is ambiguous: ingress-nginx
 * merges them into one server and the oldest Ingress wins, which the files cannot show. A warning on both.
 */
function checkConflicts(ctx: BuildContext): void {
  const seen = new Map<string, { ing: IngressInfo; rule: IngressPathInfo }[]>();
  for (const ing of ctx.ingresses) {
    for (const rule of ing.rules) {
      const key = `${ing.className ?? ''}\u0000${rule.host}\u0000${rule.pathType === 'Exact' ? 'Exact' : 'Prefix'}\u0000${rule.path}`;
      const list = seen.get(key) ?? [];
      if (!list.some((x) => x.ing === ing)) list.push({ ing, rule });
      seen.set(key, list);
    }
  }
  for (const list of seen.values()) {
    if (list.length < 2) continue;
    for (const { ing, rule } of list) {
      const others = list.filter((x) => x.ing !== ing).map((x) => x.ing.id);
      ctx.diagnostics.push({
        code: 'ingress-rule-conflict',
        severity: 'warning',
        rule: 'ING-3',
        message: `host ${rule.host || '*'} path ${rule.path} (${rule.pathType}) is also routed by Ingress ${others.join(', ')}: ingress-nginx merges them and the oldest Ingress wins, which the files cannot show.`,
        file: ing.source.file,
        span: rule.source ? valueSpan(ing.source, rule.source, 'path') : nameSpan(ing.source),
        subject: ing.source.id,
      });
    }
  }
}

/** An ingress-nginx controller deployed in the files, with the flags that decide what it serves (ING-7). */
export interface NginxController {
  /** The workload that runs it (`Kind/NS/NAME`). */
  id: string;
  ingressClass: string;
  controllerClass: string;
  watchWithoutClass: boolean;
}

/** ingress-nginx workloads among the pods: a container running /nginx-ingress-controller; flag defaults as upstream's. */
export function nginxControllers(pods: Iterable<PodInfo>, bySpec?: WeakMap<object, ControllerFlags | null>): NginxController[] {
  const out: NginxController[] = [];
  // A workload's pods share its template: one look per workload (and, with `bySpec`, per template across builds).
  const seen = new Set<string>();
  for (const pod of pods) {
    if (seen.has(pod.owner.id)) continue;
    seen.add(pod.owner.id);
    let flags = bySpec?.get(pod.spec);
    if (flags === undefined) {
      flags = controllerFlags(pod.spec);
      bySpec?.set(pod.spec, flags);
    }
    if (flags) out.push({ id: pod.owner.id, ...flags });
  }
  return out;
}

/** How an ingress-nginx controller's container is started, from its command and args; null for any other pod. */
type ControllerFlags = Omit<NginxController, 'id'>;

function controllerFlags(spec: PodInfo['spec']): ControllerFlags | null {
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  for (const c of containers) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
    const words = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].filter((x): x is string => typeof x === 'string');
    if (!words.some((w) => w.endsWith('/nginx-ingress-controller'))) continue;
    const flag = (name: string) => words.find((w) => w === `--${name}` || w.startsWith(`--${name}=`));
    const value = (name: string) => flag(name)?.split('=')[1];
    const watch = flag('watch-ingress-without-class');
    return {
      ingressClass: value('ingress-class') ?? 'nginx',
      controllerClass: value('controller-class') ?? 'k8s.io/ingress-nginx',
      watchWithoutClass: watch !== undefined && (watch === '--watch-ingress-without-class' || value('watch-ingress-without-class') === 'true'),
    };
  }
  return null;
}

function readIngress(res: Resource, f: Fields): IngressInfo {
  const spec = f.map(res.body, 'spec');
  const md = metadata(res);
  const ing: IngressInfo = {
    id: `${res.namespace}/${res.name}`,
    name: res.name,
    namespace: res.namespace,
    source: res,
    className: null,
    rules: [],
    defaultBackend: null,
    tls: [],
    annotations: f.stringMap(md, 'annotations') ?? {},
  };
  const db = f.map(spec, 'defaultBackend') ?? f.map(spec, 'backend'); // `backend` is the pre-v1 name.
  if (db) ing.defaultBackend = readBackend(f, db, res.namespace);
  f.maps(spec, 'rules').forEach((rule, ruleIndex) => {
    const host = (f.str(rule, 'host') ?? '').toLowerCase();
    if (host && !isWildcardDns1123Subdomain(host)) {
      f.report(
        'invalid-field',
        'error',
        `host "${host}" must be a DNS name; a wildcard is only allowed as the whole first label ("*.example.com").`,
        valueSpan(res, rule, 'host'),
        'ING-1',
      );
    }
    const http = f.map(rule, 'http');
    f.maps(http, 'paths').forEach((p, pathIndex) => {
      const pathType = f.oneOf(p, 'pathType', PATH_TYPES) ?? 'ImplementationSpecific';
      let path = f.str(p, 'path') ?? '';
      if (pathType !== 'ImplementationSpecific' && !path.startsWith('/')) {
        f.report(
          'invalid-field',
          'error',
          `path "${path}" must be absolute (start with "/") for pathType ${pathType}; the API server rejects this Ingress.`,
          valueSpan(res, p.path === undefined ? rule : p, p.path === undefined ? 'http' : 'path'),
          'ING-2',
        );
        return;
      }
      if (path === '') path = '/';
      const backendMap = f.map(p, 'backend') ?? {};
      const info: IngressPathInfo = { host, path, pathType, backend: readBackend(f, backendMap, res.namespace), ruleIndex, pathIndex, source: p };
      ing.rules.push(info);
    });
  });
  f.maps(spec, 'tls').forEach((t) =>
    ing.tls.push({ hosts: (f.strings(t, 'hosts') ?? []).map((h) => h.toLowerCase()), secretName: f.str(t, 'secretName') ?? null }),
  );
  return ing;
}

/** Both `service: {name, port: {number|name}}` (v1) and `serviceName`/`servicePort` (v1beta1). */
function readBackend(f: Fields, b: JsonMap, ns: string): IngressBackendInfo {
  const svc = f.map(b, 'service');
  let name: string | undefined;
  let port: number | string | undefined;
  if (svc) {
    name = f.str(svc, 'name');
    const pm = f.map(svc, 'port');
    port = f.int(pm, 'number', { min: 1, max: 65535 }) ?? f.str(pm, 'name');
  } else {
    name = f.str(b, 'serviceName');
    port = f.intOrString(b, 'servicePort');
  }
  if (name === undefined) return { service: null, port: null, display: f.map(b, 'resource') ? '(resource backend)' : '(none)' };
  return { service: `${ns}/${name}`, port: port ?? null, display: `${ns}/${name}:${port ?? '?'}` };
}

/** Spans of a backend's service name and port inside a `paths[i]` or `defaultBackend` map. */
function backendSpans(res: Resource, holder: JsonMap | undefined, key: string): { name: Span; port: Span } {
  const b = holder?.[key];
  if (!b || typeof b !== 'object' || Array.isArray(b)) return { name: nameSpan(res), port: nameSpan(res) };
  const svc = (b as JsonMap).service;
  if (svc && typeof svc === 'object' && !Array.isArray(svc)) {
    const pm = (svc as JsonMap).port;
    const portSpan =
      pm && typeof pm === 'object' && !Array.isArray(pm)
        ? valueSpan(res, pm as JsonMap, 'number' in pm ? 'number' : 'name')
        : valueSpan(res, svc as JsonMap, 'port');
    return { name: valueSpan(res, svc as JsonMap, 'name'), port: portSpan };
  }
  return { name: valueSpan(res, b as JsonMap, 'serviceName'), port: valueSpan(res, b as JsonMap, 'servicePort') };
}

/** ING-4: the backend Service must exist in the Ingress's namespace, with that port. */
function checkBackends(ctx: BuildContext, f: Fields, ing: IngressInfo): void {
  const spec = ing.source.body.spec as JsonMap | undefined;
  const check = (b: IngressBackendInfo, spans: { name: Span; port: Span }): void => {
    if (!b.service) return;
    const svc = ctx.index.serviceById.get(b.service);
    const svcName = b.service.slice(b.service.indexOf('/') + 1);
    if (!svc) {
      const elsewhere = ctx.services.filter((s) => s.name === svcName).map((s) => s.namespace);
      const hint = elsewhere.length
        ? ` A Service "${svcName}" exists in ${elsewhere.join(', ')}, but an Ingress only reaches Services of its own namespace; add an ExternalName Service "${svcName}" in ${ing.namespace} pointing at ${svcName}.${elsewhere[0]}.svc.${ctx.profile.clusterDomain}.`
        : '';
      f.report(
        'ingress-backend-service-not-found',
        'warning',
        `Service ${b.service} does not exist; the controller answers 503 for this backend.${hint}`,
        spans.name,
        'ING-4',
      );
      return;
    }
    if (b.port === null) return;
    // An ExternalName Service has no port list the controller could check; it proxies to the name.
    if (svc.type === 'ExternalName') return;
    const ok = typeof b.port === 'number' ? svc.ports.some((p) => p.port === b.port) : svc.ports.some((p) => p.name === b.port);
    if (!ok) {
      const have = svc.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ') || 'none';
      f.report(
        'ingress-backend-port-not-found',
        'warning',
        `Service ${b.service} has no port ${typeof b.port === 'number' ? b.port : `named "${b.port}"`} (it has ${have}); the controller answers 503 for this backend.`,
        spans.port,
        'ING-4',
      );
    }
  };
  if (ing.defaultBackend) check(ing.defaultBackend, backendSpans(ing.source, spec, spec?.defaultBackend ? 'defaultBackend' : 'backend'));
  for (const r of ing.rules) check(r.backend, backendSpans(ing.source, r.source, 'backend'));
}

/** ING-6: TLS hosts should have rules, and secrets should exist when the workspace carries Secrets. */
function checkTls(ctx: BuildContext, f: Fields, ing: IngressInfo): void {
  const spec = ing.source.body.spec as JsonMap | undefined;
  const tlsList = spec && Array.isArray(spec.tls) ? spec.tls : [];
  const secrets = ofKind(ctx, 'Secret');
  ing.tls.forEach((t, i) => {
    const item = tlsList[i];
    const itemMap = item && typeof item === 'object' && !Array.isArray(item) ? (item as JsonMap) : undefined;
    const hostsList = itemMap && Array.isArray(itemMap.hosts) ? itemMap.hosts : undefined;
    t.hosts.forEach((h, j) => {
      if (ing.rules.some((r) => r.host === h || (r.host.startsWith('*.') && hostMatches(r.host, h)))) return;
      const span = hostsList ? valueSpan(ing.source, hostsList, j) : nameSpan(ing.source);
      f.report(
        'ingress-tls-host-not-covered',
        'warning',
        `TLS host "${h}" has no rule in this Ingress; the certificate is served but no request for it is routed by this Ingress.`,
        span,
        'ING-6',
      );
    });
    if (t.secretName && secrets.length > 0 && !secrets.some((s) => s.namespace === ing.namespace && s.name === t.secretName)) {
      const span = itemMap ? valueSpan(ing.source, itemMap, 'secretName') : nameSpan(ing.source);
      f.report(
        'ingress-tls-secret-not-found',
        'warning',
        `Secret ${ing.namespace}/${t.secretName} is not in the workspace; the controller falls back to its default (self-signed) certificate.`,
        span,
        'ING-6',
      );
    }
  });
}
