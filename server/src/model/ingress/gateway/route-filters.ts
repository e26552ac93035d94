// Model layer (pure): HTTPRoute/GRPCRoute filters, read into one-line summaries (GW-8).
// Must not import vscode, LSP, node:* or fs.
import type { JsonMap, RouteFilterInfo } from '../../types';
import { type Fields, valueSpan } from '../../core/typed-fields';

/** GW-8: a filter's type and what it does, in one line. Unknown types are kept by name. */
export function readFilter(f: Fields, x: JsonMap): RouteFilterInfo | null {
  const type = f.str(x, 'type');
  if (type === undefined) return null;
  switch (type) {
    case 'RequestRedirect': {
      const r = f.map(x, 'requestRedirect');
      const status = f.int(r, 'statusCode') ?? 302;
      const scheme = f.str(r, 'scheme');
      const host = f.str(r, 'hostname');
      const port = f.int(r, 'port', { min: 1, max: 65535 });
      const path = pathModifier(f, f.map(r, 'path'));
      const parts = [scheme ? `scheme ${scheme}` : '', host ? `host ${host}` : '', port ? `port ${port}` : '', path].filter(Boolean);
      return { type, summary: `${status} redirect${parts.length ? ` (${parts.join(', ')})` : ' to the same URL'}` };
    }
    case 'URLRewrite': {
      const r = f.map(x, 'urlRewrite');
      const host = f.str(r, 'hostname');
      const path = pathModifier(f, f.map(r, 'path'));
      return { type, summary: `rewrite ${[host ? `host to ${host}` : '', path].filter(Boolean).join(', ') || 'nothing'}` };
    }
    case 'RequestHeaderModifier':
    case 'ResponseHeaderModifier': {
      const m = f.map(x, type === 'RequestHeaderModifier' ? 'requestHeaderModifier' : 'responseHeaderModifier');
      const pairs = (key: string) => f.maps(m, key).map((h) => `${f.str(h, 'name') ?? '?'}: ${f.str(h, 'value') ?? ''}`);
      const words = [
        ...pairs('set').map((p) => `set ${p}`),
        ...pairs('add').map((p) => `add ${p}`),
        ...(f.strings(m, 'remove') ?? []).map((n) => `remove ${n}`),
      ];
      return { type, summary: `${type === 'RequestHeaderModifier' ? 'request' : 'response'} headers: ${words.join('; ') || 'none'}` };
    }
    case 'RequestMirror': {
      const b = f.map(f.map(x, 'requestMirror'), 'backendRef');
      const name = f.str(b, 'name') ?? '?';
      const ns = f.str(b, 'namespace');
      return { type, summary: `mirror to ${ns ? `${ns}/` : ''}${name}:${f.int(b, 'port') ?? '?'} (responses ignored)` };
    }
    default:
      return { type, summary: type };
  }
}

function pathModifier(f: Fields, p: JsonMap | undefined): string {
  if (!p) return '';
  const type = f.str(p, 'type');
  if (type === 'ReplaceFullPath') return `path to ${f.str(p, 'replaceFullPath') ?? ''}`;
  if (type === 'ReplacePrefixMatch') return `matched prefix to ${f.str(p, 'replacePrefixMatch') ?? ''}`;
  return '';
}

/** GW-8: RequestRedirect cannot be combined with URLRewrite, nor with backendRefs; the API server rejects either. */
export function checkFilterCombination(f: Fields, rule: JsonMap, filters: readonly RouteFilterInfo[], hasBackends: boolean): void {
  const redirect = filters.some((x) => x.type === 'RequestRedirect');
  if (redirect && filters.some((x) => x.type === 'URLRewrite')) {
    f.report(
      'invalid-field',
      'error',
      'RequestRedirect and URLRewrite may not be used together in one rule; the API server rejects this Route.',
      valueSpan(f.res, rule, 'filters'),
      'GW-8',
    );
  }
  if (redirect && hasBackends) {
    f.report(
      'invalid-field',
      'error',
      'A RequestRedirect filter must not be used together with backendRefs; the API server rejects this Route.',
      valueSpan(f.res, rule, 'filters'),
      'GW-8',
    );
  }
}
