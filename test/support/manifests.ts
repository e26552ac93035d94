// Test support: manifests built from a few facts, so a test says what matters (a selector, a port) and not forty
// lines of YAML. Each builder returns YAML text; `docs` joins them into one file. Shared by unit and protocol tests.
import { stringify } from 'yaml';

type Labels = Record<string, string>;
type Port = number | { port: number; name?: string; targetPort?: number | string; protocol?: string; nodePort?: number };

const yaml = (o: unknown): string => stringify(o, { lineWidth: 0 });
const meta = (name: string, namespace: string | undefined, labels?: Labels) => ({ name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) });

export function namespace(name: string, labels?: Labels): string {
  return yaml({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, undefined, labels) });
}

export interface ServiceFacts {
  namespace?: string;
  selector?: Labels;
  ports?: Port[];
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  clusterIP?: string;
  externalName?: string;
}

export function service(name: string, f: ServiceFacts = {}): string {
  const spec: Record<string, unknown> = {};
  if (f.type) spec.type = f.type;
  if (f.clusterIP) spec.clusterIP = f.clusterIP;
  if (f.externalName) spec.externalName = f.externalName;
  if (f.selector) spec.selector = f.selector;
  if (f.ports) spec.ports = f.ports.map((p) => (typeof p === 'number' ? { port: p } : p));
  return yaml({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, f.namespace), spec });
}

export interface WorkloadFacts {
  namespace?: string;
  labels: Labels;
  replicas?: number;
  /** Container ports, numbered or `{containerPort, name}`. */
  ports?: (number | { containerPort: number; name: string })[];
}

const container = (f: WorkloadFacts) => ({
  name: 'app',
  image: 'registry.example/app:1',
  ...(f.ports ? { ports: f.ports.map((p) => (typeof p === 'number' ? { containerPort: p } : p)) } : {}),
});

export function deployment(name: string, f: WorkloadFacts): string {
  return yaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, f.namespace),
    spec: {
      replicas: f.replicas ?? 1,
      selector: { matchLabels: f.labels },
      template: { metadata: { labels: f.labels }, spec: { containers: [container(f)] } },
    },
  });
}

export function pod(name: string, f: WorkloadFacts): string {
  return yaml({ apiVersion: 'v1', kind: 'Pod', metadata: meta(name, f.namespace, f.labels), spec: { containers: [container(f)] } });
}

export interface PolicyFacts {
  namespace?: string;
  podSelector?: Labels;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: unknown[];
  egress?: unknown[];
}

export function networkPolicy(name: string, f: PolicyFacts = {}): string {
  const spec: Record<string, unknown> = { podSelector: f.podSelector ? { matchLabels: f.podSelector } : {} };
  if (f.policyTypes) spec.policyTypes = f.policyTypes;
  if (f.ingress) spec.ingress = f.ingress;
  if (f.egress) spec.egress = f.egress;
  return yaml({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(name, f.namespace), spec });
}

/** One file of several documents. */
export function docs(...texts: string[]): string {
  return texts.map((t) => t.trimEnd()).join('\n---\n') + '\n';
}

/**
 * A caret-marked fixture: `‸` marks the cursor. Returns the text without it and the cursor's LSP position.
 * Exactly one caret is required (a fixture without one is a broken test, not a passing one).
 */
export function caret(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('‸');
  if (at < 0 || marked.indexOf('‸', at + 1) >= 0) throw new Error('a caret fixture needs exactly one ‸');
  const before = marked.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - (before.lastIndexOf('\n') + 1);
  return { text: marked.slice(0, at) + marked.slice(at + 1), position: { line, character } };
}

/** Puts a caret before the first occurrence of `needle` (plus `offset` characters) in `text`. */
export function caretAt(text: string, needle: string, offset = 0): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`fixture has no ${JSON.stringify(needle)}`);
  return text.slice(0, i + offset) + '‸' + text.slice(i + offset);
}
