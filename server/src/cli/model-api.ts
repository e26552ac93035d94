// CLI layer: the model's query functions and answer types. Must not import vscode or LSP; the model only via model/index.ts.
// The answers' shapes are the model's own (they are the JSON of docs/cli.md); the CLI formats, never recomputes.
export {
  lookupDns,
  matchIngress,
  routeRequest,
  reach,
  trace,
  connectivity,
  parseRef,
  readPortArg,
  isDns1123Label,
  isDns1123Subdomain,
  RefError,
} from '../model/index';
export type { DnsAnswer, IngressMatch, RouteAnswer, ReachDirection, ReachResult, TraceResult, TracePath, TraceHop, Connection } from '../model/index';
