// Test support (pure): renders a workspace given as path -> text with the model's kustomize layer
// (server/src/model/input/kustomize), the way the CLI and the server call it. Used by test/unit/kustomize*.test.ts.
import {
  applyKustomize,
  buildModel,
  defaultProfile,
  parseFile,
  type JsonMap,
  type Model,
  type ModelDiagnostic,
  type ParsedFile,
  type Resource,
} from '../../server/src/model/index';

export interface Rendered {
  roots: string[];
  /** Every modelled object by `Kind/NS/NAME`. */
  byId: Map<string, Resource>;
  diagnostics: ModelDiagnostic[];
  files: ParsedFile[];
  wanted: string[];
  consumed: ReadonlySet<string>;
  texts: Map<string, string>;
}

/** YAML files are parsed as the faces parse them; every file is in the view. */
export function render(files: Record<string, string>): Rendered {
  const texts = new Map(Object.entries(files));
  const parsed = [...texts].filter(([f]) => /\.ya?ml$/.test(f) || f.endsWith('/Kustomization')).map(([f, t]) => parseFile(f, t));
  const out = applyKustomize(parsed, { texts });
  const byId = new Map<string, Resource>();
  const diagnostics: ModelDiagnostic[] = [];
  for (const f of out.files) {
    diagnostics.push(...f.diagnostics);
    for (const r of f.resources) if (!byId.has(r.id)) byId.set(r.id, r);
  }
  return { roots: out.roots, byId, diagnostics, files: out.files, wanted: out.wanted, consumed: out.consumed, texts };
}

export function model(r: Rendered): Model {
  return buildModel(r.files, defaultProfile());
}

/** A field of a rendered object by a dotted path (`spec.template.spec.containers.0.image`). */
export function field(r: Rendered, id: string, path: string): unknown {
  const res = r.byId.get(id);
  if (!res) throw new Error(`${id} not rendered; have ${[...r.byId.keys()].join(', ')}`);
  let v: unknown = res.body;
  for (const p of path.split('.')) v = v === null || v === undefined ? undefined : (v as JsonMap)[p];
  return v;
}

/** The text a diagnostic's span covers in its file. */
export function spanText(r: Rendered, d: ModelDiagnostic): string {
  return (r.texts.get(d.file) ?? '').slice(d.span.start, d.span.end);
}

export function codes(r: Rendered): string[] {
  return r.diagnostics.map((d) => d.code).sort();
}
