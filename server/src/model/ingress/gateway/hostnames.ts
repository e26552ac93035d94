// Model layer (pure): Gateway API hostname matching and intersection (GW-3). Must not import vscode, LSP, node:* or fs.
// Unlike Ingress (ING-1), a Gateway API `*.` wildcard is a suffix match: it stands for one or more labels.
import { isWildcardDns1123Subdomain } from '../../core/names';

/** GW-3: whether `pattern` (exact, or `*.suffix`) matches the concrete host `host`. */
export function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1); // ".example.com"
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * GW-3: the hostnames a Route keeps on a listener. A listener without a hostname keeps all of the
 * Route's; a Route without hostnames takes the listener's. Otherwise each pair intersects: the more
 * specific of the two when one matches the other (`*.example.com` ∩ `foo.example.com` = `foo.example.com`),
 * and nothing else. `['*']` stands for "every host" (neither side names one).
 */
export function intersectHostnames(listener: string | null, route: readonly string[]): string[] {
  if (route.length === 0) return [listener ?? '*'];
  if (listener === null) return [...route];
  const out: string[] = [];
  for (const h of route) {
    if (h === listener) out.push(h);
    else if (wildcardMatches(listener, h))
      out.push(h); // the Route's name is inside the listener's
    else if (wildcardMatches(h, listener)) out.push(listener); // the listener's name is inside the Route's wildcard
  }
  return [...new Set(out)];
}

/** Whether a hostname kept on a listener (`*` = any) takes the request host. */
export function keptHostnameTakes(kept: string, host: string): boolean {
  return kept === '*' || wildcardMatches(kept, host);
}

/**
 * GW-3: listener precedence for one request host: exact names first, then wildcards with more labels
 * right of the `*`, then listeners without a hostname. Higher is more specific; -1 when it does not match.
 */
export function listenerHostRank(hostname: string | null, host: string): number {
  if (hostname === null) return 0;
  if (!wildcardMatches(hostname, host)) return -1;
  if (!hostname.startsWith('*.')) return 10_000;
  return 1 + hostname.split('.').length;
}

/** A valid Gateway API hostname: RFC 1123 labels, optionally a leading `*.`, no IP address. */
export function validHostname(h: string): boolean {
  if (/^[0-9.]+$/.test(h) || h.includes(':')) return false;
  return isWildcardDns1123Subdomain(h);
}
