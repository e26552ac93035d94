// Model layer (pure): manual `Endpoints` objects and their mirroring into EndpointSlices (EP-2, EP-3, EP-4). Must not import vscode, LSP, node:* or fs.
import type { EndpointsObjectInfo, JsonMap, Resource } from '../types';
import { Fields, labelsOf, metadata } from '../core/typed-fields';
import {
  type PendingEndpoint,
  type SliceOrigin,
  MAX_ENDPOINTS_ADDRESSES,
  SKIP_MIRROR_LABEL,
  addressTypeOf,
  packSlices,
  readEndpointPlacement,
  readEndpointPorts,
} from './endpoint-slices';

export interface ManualEndpoints {
  res: Resource;
  f: Fields;
  /** EP-3: labelled `endpointslice.kubernetes.io/skip-mirror: "true"`: never mirrored, never seen by kube-proxy. */
  skipMirror: boolean;
  object: EndpointsObjectInfo;
  subsets: { pending: PendingEndpoint[]; portMaps: JsonMap[]; owner: JsonMap }[];
}

function readAddress(f: Fields, a: JsonMap, ready: boolean, ns: string): PendingEndpoint | null {
  const ip = f.str(a, 'ip');
  if (ip === undefined) return null;
  const endpoint = readEndpointPlacement(f, a, { addresses: [ip], ready }, ns);
  return { endpoint, ports: [], addressType: addressTypeOf(ip) };
}

export function readManualEndpoints(res: Resource, f: Fields): ManualEndpoints {
  const md = metadata(res);
  const labels = labelsOf(md.labels);
  const object: EndpointsObjectInfo = { addresses: [], notReadyAddresses: [], annotations: labelsOf(md.annotations), source: res };
  const subsets: ManualEndpoints['subsets'] = [];
  for (const s of f.maps(res.body, 'subsets')) {
    const { ports, maps } = readEndpointPorts(f, s);
    const pending: PendingEndpoint[] = [];
    for (const [key, ready] of [
      ['addresses', true],
      ['notReadyAddresses', false],
    ] as const) {
      for (const a of f.maps(s, key)) {
        const p = readAddress(f, a, ready, res.namespace);
        if (!p) continue;
        p.ports = ports;
        pending.push(p);
        (ready ? object.addresses : object.notReadyAddresses).push(p.endpoint.addresses[0]!);
      }
    }
    subsets.push({ pending, portMaps: maps, owner: s });
  }
  return { res, f, skipMirror: labels[SKIP_MIRROR_LABEL] === 'true', object, subsets };
}

/**
 * EP-3: the EndpointSliceMirroring controller copies a selector-less Service's manual Endpoints into
 * slices (at most 1000 addresses, 100 per slice), unless the Endpoints is labelled skip-mirror.
 */
export function mirror(m: ManualEndpoints): SliceOrigin[] {
  if (m.skipMirror) return [];
  const out: SliceOrigin[] = [];
  let budget = MAX_ENDPOINTS_ADDRESSES;
  m.subsets.forEach((s, i) => {
    const pending = s.pending.slice(0, Math.max(0, budget));
    budget -= pending.length;
    for (const slice of packSlices(m.res.name, `${m.res.id}#${i}`, pending, true, m.res)) {
      out.push({ slice, res: m.res, f: m.f, portMaps: s.portMaps, portsOwner: s.owner });
    }
  });
  return out;
}
