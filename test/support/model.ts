// Test support: build a model from inline manifests, the way the CLI and the server do.
import { buildModel, parseFile, parseProfile, type Model, type ParsedFile } from '../../server/src/model/index';

/** `files`: path -> YAML text. A `netpath.cluster.yaml` entry is used as the profile (CL-1). */
export function modelOf(files: Record<string, string>): Model {
  const parsed: ParsedFile[] = [];
  let profileText: string | undefined;
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('netpath.cluster.yaml')) profileText = text;
    else parsed.push(parseFile(path, text));
  }
  const { profile, diagnostics } = parseProfile('netpath.cluster.yaml', profileText);
  return buildModel(parsed, profile, diagnostics);
}

/** Codes of the model's diagnostics, for compact assertions. */
export function codes(model: Model): string[] {
  return model.diagnostics.map((d) => d.code);
}

/** Everything a model answers, as plain data (sources by id), for comparing two builds with deepEqual. */
export function modelJson(m: Model): unknown {
  const src = (r: { id: string } | undefined) => r?.id;
  return {
    nodes: m.nodes.map((n) => ({ ...n, source: src(n.source) })),
    namespaces: m.namespaces.map((n) => ({ ...n, source: src(n.source) })),
    pods: m.pods.map((p) => ({
      ...p,
      owner: p.owner.id,
      spec: undefined,
      containers: p.containers.map((c) => ({ name: c.name, ports: c.ports, env: c.env })),
    })),
    services: m.services.map((s) =>
      JSON.parse(
        JSON.stringify({
          ...s,
          source: src(s.source),
          ports: s.ports.map((p) => ({ ...p, source: undefined })),
          endpointSlices: s.endpointSlices.map((e) => ({ ...e, source: src(e.source) })),
          endpointsObject: s.endpointsObject && { ...s.endpointsObject, source: src(s.endpointsObject.source) },
        }),
      ),
    ),
    ingresses: m.ingresses.map((i) => ({ ...i, source: i.source.id, rules: i.rules.map((r) => ({ ...r, source: undefined })) })),
    networkPolicies: m.networkPolicies.map((n) => ({
      ...n,
      source: n.source.id,
      ingress: n.ingress.map((r) => ({ ...r, source: undefined })),
      egress: n.egress.map((r) => ({ ...r, source: undefined })),
    })),
    dns: m.dns,
    diagnostics: m.diagnostics,
  };
}
