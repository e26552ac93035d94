// Model layer (pure): container environment at start-up, `$(VAR)` expansion as the kubelet does it
// (DNS-5, WL-1). Must not import vscode, LSP, node:* or fs.

/**
 * Expands `$(VAR)` references the way the kubelet does (k8s `third_party/forked/golang/expansion`):
 * a defined name is replaced; an undefined one is left as written; `$$` is an escaped `$`, so
 * `$$(VAR)` yields the literal `$(VAR)`; a `$` before anything else stays.
 */
export function expandVarRefs(input: string, lookup: (name: string) => string | undefined): string {
  if (!input.includes('$')) return input;
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        // No closing paren: the kubelet keeps the text as is.
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = name === '' ? undefined : lookup(name);
      out += value ?? input.slice(i, close + 1);
      i = close + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * The environment a container starts with: service-link variables (DNS-5) first, then the declared
 * `env` in order, each value expanded against the service links and the variables declared before
 * it (a later declaration is not visible to an earlier one). Declared names override links.
 */
export function environmentAtStart(declared: Record<string, string>, serviceLinks: Record<string, string>): Record<string, string> {
  // Most containers declare nothing: share the namespace's link map (frozen) instead of copying
  // hundreds of variables per container.
  if (Object.keys(declared).length === 0) return Object.isFrozen(serviceLinks) ? serviceLinks : Object.freeze({ ...serviceLinks });
  const env: Record<string, string> = { ...serviceLinks };
  for (const [name, raw] of Object.entries(declared)) {
    env[name] = expandVarRefs(raw, (ref) => (Object.prototype.hasOwnProperty.call(env, ref) ? env[ref] : undefined));
  }
  return env;
}
