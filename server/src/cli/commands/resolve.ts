// CLI layer: `netpath resolve` — the whole resolved model. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { resolveJson } from '../format-json';
import { table } from '../format-text';
import { write, writeJson } from '../output';

export function runResolve(args: Args, loaded: Loaded): number {
  const { model } = loaded;
  if (args.json) {
    writeJson(resolveJson(model, loaded.lineStarts));
    return 0;
  }
  // Without --json: a short summary, like `kubectl get`, for a human glance.
  const out: string[] = [];
  out.push(`nodes (${model.nodes.length})`);
  out.push(...table([['NAME', 'IP', 'POD CIDR'], ...model.nodes.map((n) => [n.name, n.internalIP, n.podCIDR])]).map((l) => `  ${l}`));
  out.push('', `pods (${model.pods.length})`);
  out.push(
    ...table([['POD', 'NODE', 'IP', 'READY'], ...model.pods.map((p) => [p.id, p.node ?? '<none>', p.ip ?? '<none>', p.ready ? 'yes' : 'no'])]).map(
      (l) => `  ${l}`,
    ),
  );
  out.push('', `services (${model.services.length})`);
  out.push(
    ...table([
      ['SERVICE', 'TYPE', 'CLUSTER-IP', 'PORT(S)'],
      ...model.services.map((s) => [
        s.id,
        s.type,
        s.headless ? 'None' : (s.clusterIP ?? '<none>'),
        // ExternalName has no ports worth showing; its target is what matters (kubectl's EXTERNAL-IP).
        s.externalName ? `-> ${s.externalName}` : s.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(','),
      ]),
    ]).map((l) => `  ${l}`),
  );
  const errors = model.diagnostics.filter((d) => d.severity === 'error').length;
  out.push('', `${model.diagnostics.length} diagnostic(s), ${errors} error(s); \`netpath check\` lists them, --json gives everything`);
  write(out.join('\n'));
  return 0;
}
