// CLI layer: the model's query functions (dns, ingress, reach, trace, connectivity) as the CLI calls them.
// Must not import vscode or LSP; the model only through model/index.ts.
//
// Why an adapter: these functions are being written concurrently in server/src/model/. Until one is
// exported from model/index.ts, `lookup()` finds nothing and its command exits 2 with "not
// implemented yet" instead of failing to build. The shapes below are the JSON of docs/cli.md; when
// a function lands, its real type replaces the expected one here, and nothing else in the CLI moves.
import * as model from '../model/index';
import type { DnsType, Model } from '../model/index';
import { NotImplementedError } from './errors';

export interface DnsAnswerRecord { name: string; type: DnsType | string; data: string }
export interface DnsAnswer {
  query: string;
  type: string;
  from: string | null;
  resolvedAs: string | null;
  rcode: 'NOERROR' | 'NXDOMAIN' | string;
  answers: DnsAnswerRecord[];
  /** Names tried through the search list, when the model says (extra). */
  tried?: string[];
}

export interface IngressMatch {
  url: string;
  ingress: string | null;
  rule: number | null;
  host: string | null;
  path: string | null;
  pathType: string | null;
  via: 'rule' | 'defaultBackend' | null;
  backend: string | null;
  servicePort: number | string | null;
  backendResolvable: boolean;
}

export interface ReachDirection { allowed: boolean; policies: string[] }
export interface ReachResult {
  from: string;
  to: string;
  port: string | null;
  allowed: boolean;
  egress: ReachDirection;
  ingress: ReachDirection;
  endpoints: { pod: string | null; ip: string; port: number; allowed: boolean }[];
}

export interface TraceHop { at: string; iface: string; action: string; src: string; dst: string; note: string; rule: string }
export interface TracePath { endpoint: string; verdict: string; reason: string | null; hops: TraceHop[]; reply?: TraceHop[] }
export interface TraceResult { from: string; to: string; verdict: string; reason: string | null; paths: TracePath[] }

export interface Connection { src: string; dst: string; ports: string | string[] }

interface Api {
  lookupDns(m: Model, name: string, options: { type?: string; from?: string }): DnsAnswer;
  matchIngress(m: Model, url: string): IngressMatch | null;
  reach(m: Model, from: string, to: string, port?: string): ReachResult;
  trace(m: Model, from: string, to: string, port?: string): TraceResult;
  connectivity(m: Model): Connection[] | { connections: Connection[] };
}

/** The model function `name`, or exit 2 "not implemented yet" for `command`. */
export function lookup<K extends keyof Api>(command: string, name: K): Api[K] {
  // Read through an index signature: a name the model does not export yet is simply undefined.
  const fn = (model as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new NotImplementedError(command, name);
  return fn as Api[K];
}
