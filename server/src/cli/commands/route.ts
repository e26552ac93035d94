// CLI layer: `netpath route URL` — which Gateway listener, Route rule and weighted backends take a request (GW-3..8).
// Must not import vscode or LSP.
import { UsageError } from '../errors';
import type { Args } from '../args';
import type { Loaded } from '../load';
import { isDns1123Label, isDns1123Subdomain, routeRequest } from '../model-api';
import { routeText } from '../format-route';
import { write, writeJson } from '../output';

/** `NS/NAME`: a namespace (DNS-1123 label) and a Gateway name (DNS-1123 subdomain), as the API server names them. */
function isGatewayRef(ref: string): boolean {
  const slash = ref.indexOf('/');
  return slash > 0 && isDns1123Label(ref.slice(0, slash)) && isDns1123Subdomain(ref.slice(slash + 1));
}

export function runRoute(args: Args, loaded: Loaded, url: string): number {
  // A bare host (`shop.example.com/x`) is taken as http://, as curl does.
  const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  if (!/^(https?|grpc):\/\/[^/\s]/i.test(full)) throw new UsageError(`route: '${url}' is not an http(s):// or grpc:// URL`);
  if (args.gateway !== undefined && !isGatewayRef(args.gateway)) throw new UsageError(`route: --gateway needs NS/NAME, not '${args.gateway}'`);
  if (args.method !== undefined && !/^[A-Za-z]+$/.test(args.method))
    throw new UsageError(`route: --method needs an HTTP method such as GET, not '${args.method}'`);
  const headers: Record<string, string> = {};
  for (const h of args.headers ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError(`route: --header needs 'Name: value', not '${h}'`);
    const name = h.slice(0, colon).trim().toLowerCase();
    // The first of repeated headers counts, as for repeated match entries.
    if (!(name in headers)) headers[name] = h.slice(colon + 1).trim();
  }
  const answer = routeRequest(loaded.model, full, {
    ...(args.method ? { method: args.method } : {}),
    headers,
    ...(args.gateway ? { gateway: args.gateway } : {}),
  });
  if (args.json) writeJson(answer);
  else write(routeText(answer).join('\n'));
  // Exit 0 when the request is answered as configured (a backend serves part of it, or a redirect); 1 otherwise.
  return answer.status !== null && answer.status < 400 ? 0 : 1;
}
