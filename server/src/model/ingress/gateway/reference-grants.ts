// Model layer (pure): ReferenceGrants, which let a Route refer to a Service in another namespace (GW-6).
// Must not import vscode, LSP, node:* or fs.
import type { ModelDiagnostic, ReferenceGrantInfo, Resource } from '../../types';
import { Fields } from '../../core/typed-fields';

/** The API group of Gateway API kinds (`from.group` of a Route). */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Reads every ReferenceGrant (v1beta1 and v1 have the same shape). */
export function readReferenceGrants(resources: readonly Resource[], out: ModelDiagnostic[]): ReferenceGrantInfo[] {
  return resources.map((res) => {
    const f = new Fields(res, out);
    const spec = f.map(res.body, 'spec');
    const from = f.maps(spec, 'from').map((x) => ({ group: f.str(x, 'group') ?? '', kind: f.str(x, 'kind') ?? '', namespace: f.str(x, 'namespace') ?? '' }));
    const to = f.maps(spec, 'to').map((x) => ({ group: f.str(x, 'group') ?? '', kind: f.str(x, 'kind') ?? '', name: f.str(x, 'name') || null }));
    return { id: `${res.namespace}/${res.name}`, namespace: res.namespace, from, to, source: res };
  });
}

/**
 * GW-6: a grant in the target's namespace permits the reference when one `from` entry names the
 * referrer's group, kind and namespace, and one `to` entry names the target's group and kind and
 * either no name (every object of that kind) or the target's name. Returns the grant, else null.
 */
export function grantFor(
  grants: readonly ReferenceGrantInfo[],
  from: { group: string; kind: string; namespace: string },
  to: { group: string; kind: string; namespace: string; name: string },
): ReferenceGrantInfo | null {
  for (const g of grants) {
    if (g.namespace !== to.namespace) continue;
    if (!g.from.some((x) => x.group === from.group && x.kind === from.kind && x.namespace === from.namespace)) continue;
    if (g.to.some((x) => x.group === to.group && x.kind === to.kind && (x.name === null || x.name === to.name))) return g;
  }
  return null;
}
